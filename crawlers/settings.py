"""Scrapy settings: polite by default for real sites.

The local job board (``jobmon demo``) lifts the politeness limits through ``LOCAL_BOARD``;
nothing else should.
"""
import os

BOT_NAME = "jobmon"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Say who crawls and how to reach them: set JOBMON_USER_AGENT (or -s USER_AGENT=...) to your
# project's name and contact page.
USER_AGENT = os.environ.get("JOBMON_USER_AGENT") or \
    "jobmon/0.1 (+https://github.com/jobmon/jobmon; labour-market research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio tasks for every response's output, however little it holds; a
# page here yields one record (a listing page its links), and the item pipeline is synchronous, so
# a few are enough and the default 100 costs more CPU than the pipeline itself.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# The HTTP cache replays old pages: for developing a spider only (JOBMON_DEV_HTTPCACHE=1), never
# for crawls whose data is stored.
HTTPCACHE_ENABLED = os.environ.get("JOBMON_DEV_HTTPCACHE") == "1"
HTTPCACHE_DIR = "httpcache-dev"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}
# Undeclared GBK / GB18030 / Big5 pages get their sniffed charset; below 590 so that it sees the
# body after HttpCompressionMiddleware has decompressed it.
DOWNLOADER_MIDDLEWARES = {
    # After the offsite filter, before robots.txt (which would fetch /robots.txt of the new host):
    # no connection to a non-http(s) URL or to a private address a page led to.
    "crawlers.middlewares.DestinationGuardMiddleware": 60,
    "crawlers.encoding.EncodingSniffMiddleware": 580,
    # Below the encoding sniffer (it reads the decoded text), above the retries (a blocked answer
    # is retried here, with the site slowed down, not by RetryMiddleware).
    "crawlers.middlewares.BlockDetectionMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.RetryAfterMiddleware": 550,
    # Below the retries: sees only what is given up for good.
    "crawlers.middlewares.GivenUpMiddleware": 540,
    # Counts pages lost in a redirect loop (gave_up/redirect_loop).
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.middlewares.RedirectLoopMiddleware": 600,
}
# http(s) only: file://, ftp://, s3:// and data: URLs are never fetched (crawlers/destinations.py).
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
SPIDER_MIDDLEWARES = {"crawlers.incremental.FreshPagesMiddleware": 950}
EXTENSIONS = {"crawlers.progress.CrawlProgress": 500, "crawlers.resume.ResumeDir": 510,
              # URLs with tokens and secrets from ${NAME} never reach the log
              "crawlers.secrets.MaskSecretsInLogs": 0}

# jobmon's own settings
JOBMON_DB = None                 # store path; None → $JOBMON_DB → ./jobmon.db
JOBMON_BATCH_SIZE = 1000         # records normalized and written per transaction
JOBMON_PROGRESS_INTERVAL = 0     # seconds between progress lines on stderr; 0 = off
JOBMON_FLUSH_INTERVAL = 2.0      # seconds: records waiting longer than this are written anyway
# A write the store refuses (another process holds its write lock past the busy timeout, disk
# I/O) keeps its records in memory and pauses the crawl; it is tried again after
# JOBMON_STORE_RETRY_DELAY s, doubling (at most 60 s), for JOBMON_STORE_RETRY_SECONDS, after
# which the crawl stops as failed (store_write_failed) and the records are kept in a file.
JOBMON_BUSY_TIMEOUT = float(os.environ.get("JOBMON_BUSY_TIMEOUT") or 30)   # seconds a write waits for a lock
JOBMON_STORE_RETRY_DELAY = float(os.environ.get("JOBMON_STORE_RETRY_DELAY") or 1)
JOBMON_STORE_RETRY_SECONDS = float(os.environ.get("JOBMON_STORE_RETRY_SECONDS") or 600)
JOBMON_CLOSE_AFTER_MISSES = 2    # complete crawls in a row that miss a posting before it is closed
JOBMON_REFETCH_TTL_HOURS = 24    # a detail page fetched this recently (and no newer lastmod) is not fetched again
JOBMON_RETRY_AFTER_MAX = 120     # seconds: the longest Retry-After (429/503) honoured; longer asks wait this
JOBMON_RETRY_AFTER_STATUSES = [429, 503]
JOBMON_ALLOW_PRIVATE_ADDRESSES = False  # True: pages may lead to private/loopback/link-local hosts (a source's allow_private_addresses)

# Blocking: an answer that is not the page asked for. JOBMON_BLOCK_PATTERNS are phrases a block
# page says and a posting does not; they are matched as plain text (case-insensitive) in a 2xx
# page's <title>, and in its whole text when it is at most JOBMON_BLOCK_SCAN_CHARS long (block
# pages are small; real pages often carry a hidden login form saying 请输入验证码), unless it
# carries JOBMON_BLOCK_DATA_MARKER. JOBMON_BLOCK_TITLE_PATTERNS are words a job description may
# use too (安全验证, 登录后查看薪资): they count only in the <title>. URL parts are matched in the
# URL a redirect ended on. A blocked answer is counted in jobmon/blocked/<reason>, never parsed,
# the site's delay is doubled (at least JOBMON_BLOCK_BACKOFF s, at most JOBMON_BLOCK_BACKOFF_MAX
# s) and the page retried up to JOBMON_BLOCK_RETRY_TIMES times.
JOBMON_BLOCK_DETECTION = True
JOBMON_BLOCK_PATTERNS = {
    "captcha": ["请输入验证码", "输入图中验证码", "请输入图片中的字符"],
    "slider": ["请拖动滑块", "拖动下方滑块", "向右滑动完成验证", "请完成滑动验证", "请按住滑块", "slide to verify"],
    "rate_limited": ["您操作太频繁", "操作过于频繁", "访问过于频繁", "访问太频繁", "请求过于频繁", "访问频率过高",
                     "too many requests"],
    "verification": ["verify you are human", "are you a robot", "checking your browser", "cf-challenge"],
}
JOBMON_BLOCK_TITLE_PATTERNS = {
    "captcha": ["验证码"],
    "slider": ["滑动验证", "滑块验证"],
    "verification": ["安全验证", "人机验证", "身份验证", "异常访问", "访问受限", "just a moment", "attention required"],
    "login_wall": ["请登录", "用户登录", "账号登录", "登录后查看"],
}
JOBMON_BLOCK_URL_PATTERNS = {
    "login_wall": ["/login", "/signin", "passport.", "/passport/"],
    "captcha": ["captcha", "/verify", "/antispider", "/security-check"],
}
JOBMON_BLOCK_STATUSES = {403: "forbidden"}
JOBMON_BLOCK_SCAN_CHARS = 30_000
JOBMON_BLOCK_DATA_MARKER = "JobPosting"
JOBMON_BLOCK_RETRY_TIMES = 2
JOBMON_BLOCK_BACKOFF = 10.0
JOBMON_BLOCK_BACKOFF_MAX = 300.0

LOCAL_BOARD = {
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}
