"""Scrapy settings: polite by default for real sites.

The local job board (``jobmon demo``) lifts the politeness limits through ``LOCAL_BOARD``;
nothing else should.
"""
BOT_NAME = "jobmon"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "jobmon/0.1 (+https://github.com/jobmon/jobmon; labour-market research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}
EXTENSIONS = {"crawlers.progress.CrawlProgress": 500}

# jobmon's own settings
JOBMON_DB = None                 # store path; None → $JOBMON_DB → ./jobmon.db
JOBMON_BATCH_SIZE = 1000         # records normalized and written per transaction
JOBMON_PROGRESS_INTERVAL = 0     # seconds between progress lines on stderr; 0 = off

LOCAL_BOARD = {
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}
