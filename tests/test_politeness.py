"""The decisions behind polite, incremental crawling, as tables: Retry-After, block pages,
freshness of detail pages, canonical URLs; and the store's bookkeeping of runs and misses."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from crawlers import settings
from crawlers.extract import canonical_url
from crawlers.incremental import is_fresh
from crawlers.middlewares import BlockClassifier, retry_after_seconds
from db.store import open_db
from db.writes import close_missing_postings, ensure_source, open_crawl_run



NOW = datetime(2026, 11, 22, 8, 0, 0, tzinfo=timezone.utc)

RETRY_AFTER = [
    ("1", 1.0),
    ("  30 ", 30.0),
    ("3600", 120.0),                              # capped
    ("Sun, 22 Nov 2026 08:00:45 GMT", 45.0),      # an HTTP date
    ("Sun, 22 Nov 2026 07:59:00 GMT", 0.0),       # already past
    ("Mon, 23 Nov 2026 08:00:00 GMT", 120.0),
    (b"5", 5.0),
    ("soon", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize("value, expected", RETRY_AFTER, ids=[repr(v) for v, _ in RETRY_AFTER])
def test_retry_after(value, expected):
    assert retry_after_seconds(value, NOW, cap=120.0) == expected


CLASSIFIER = BlockClassifier(settings.JOBMON_BLOCK_PATTERNS, settings.JOBMON_BLOCK_TITLE_PATTERNS,
                             settings.JOBMON_BLOCK_URL_PATTERNS,
                             settings.JOBMON_BLOCK_STATUSES, settings.JOBMON_BLOCK_SCAN_CHARS,
                             settings.JOBMON_BLOCK_DATA_MARKER)
PAGE = "<html><head><title>{title}</title></head><body>{body}</body></html>"
JOB = ('<script type="application/ld+json">{{"@type": "JobPosting", "title": "安全工程师", '
       '"description": "{body}"}}</script>')
BLOCKS = [
    # (status, url, redirected, text, reason)
    (200, "https://x.cn/job/1", False, PAGE.format(title="安全验证", body="请完成验证"), "verification"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="提示", body="<p>请输入验证码</p><input>"), "captcha"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="滑动验证页面", body="向右滑动完成验证"), "slider"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="拉勾", body="您操作太频繁,请稍后再访问"), "rate_limited"),
    (200, "https://x.cn/api", False, '{"code": 37, "msg": "访问过于频繁"}', "rate_limited"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="用户登录 - 某招聘", body="登录后查看完整职位信息"),
     "login_wall"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="验证", body="请拖动滑块完成拼图"), "slider"),
    (200, "https://x.cn/job/1", False, PAGE.format(title="Just a moment...", body="Checking your browser"),
     "verification"),
    (403, "https://x.cn/job/1", False, "<h1>403 Forbidden</h1>", "forbidden"),
    (200, "https://passport.x.cn/login?next=/job/1", True, PAGE.format(title="登录", body=""), "login_wall"),
    (200, "https://x.cn/antispider/?from=/job/1", True, PAGE.format(title="x", body=""), "captcha"),
    # ordinary answers
    (200, "https://x.cn/job/1", False, PAGE.format(title="Java开发工程师", body="岗位职责"), None),
    (200, "https://x.cn/job/1", False, JOB.format(body="负责安全验证与渗透测试；请输入验证码模块开发"), None),
    (200, "https://x.cn/api/jobs", False, '{"list": [{"title": "安全工程师", "desc": "负责安全验证、异常访问检测"}]}',
     None),  # API records: such words count only in a <title>
    (200, "https://x.cn/jobs/", False, PAGE.format(title="北京招聘", body="月薪 登录后查看薪资"), None),
    (200, "https://x.cn/jobs/", False,
     PAGE.format(title="职位列表", body="x" * 40_000 + '<input placeholder="请输入验证码">'),
     None),  # a big page is judged by its title: hidden login forms say 请输入验证码
    (200, "https://x.cn/login-tips.html", False, PAGE.format(title="求职指南", body="如何登录"), None),
    (500, "https://x.cn/job/1", False, "<h1>服务器繁忙，请稍后再试</h1>", None),
    (404, "https://x.cn/job/1", False, "页面不存在", None),
    (200, "https://x.cn/job/1.pdf", False, None, None),
]


@pytest.mark.parametrize("status, url, redirected, text, reason", BLOCKS,
                         ids=[f"{b[0]}-{(b[3] or '')[:40]}" for b in BLOCKS])
def test_block_pages_are_recognised(status, url, redirected, text, reason):
    assert CLASSIFIER.classify(status, url, redirected, text) == reason


DAY = timedelta(hours=24)
FRESH = [
    # (fetched_at, lastmod, ttl, seen_since, fresh)
    ("2026-11-22T15:00:00+08:00", None, DAY, None, True),          # an hour ago
    ("2026-11-21T15:00:00+08:00", None, DAY, None, False),         # 25 hours ago
    ("2026-11-21T15:00:00+08:00", None, timedelta(hours=48), None, True),
    ("2026-11-22T15:00:00+08:00", "2026-11-20", DAY, None, True),  # not modified since
    ("2026-11-22T15:00:00+08:00", "2026-11-22", DAY, None, False),  # modified that day: maybe after
    ("2026-11-22T15:00:00+08:00", "2026-11-22T15:30:00+08:00", DAY, None, False),
    ("2026-11-22T15:00:00+08:00", "2026-11-22T06:00:00Z", DAY, None, True),
    ("2026-11-22T15:00:00+08:00", "not a date", DAY, None, True),
    ("2026-11-22T15:00:00+08:00", None, timedelta(0), None, False),  # TTL 0: always fetched again
    ("2026-11-22T15:00:00+08:00", None, timedelta(0), datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc), True),
    ("2026-11-22T13:00:00+08:00", None, timedelta(0), datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc), False),
    (None, None, DAY, None, False),                                # never fetched
]


@pytest.mark.parametrize("fetched_at, lastmod, ttl, seen_since, fresh", FRESH)
def test_fresh_detail_pages(fetched_at, lastmod, ttl, seen_since, fresh):
    assert is_fresh(fetched_at, lastmod, now=NOW, ttl=ttl, seen_since=seen_since) is fresh


CANONICAL = [
    ("https://jobs.x.cn/job/123.html", "https://jobs.x.cn/job/123.html"),
    ("https://jobs.x.cn/job/123.html?utm_source=wx&utm_medium=share", "https://jobs.x.cn/job/123.html"),
    ("https://jobs.x.cn/job_detail/ab12.html?lid=9f&securityId=x&sessionId=", "https://jobs.x.cn/job_detail/ab12.html"),
    ("https://jobs.x.cn/detail?id=7&from=list&spm=a.b.c", "https://jobs.x.cn/detail?id=7"),
    ("https://jobs.x.cn/detail?b=2&a=1#apply", "https://jobs.x.cn/detail?a=1&b=2"),
]


@pytest.mark.parametrize("url, expected", CANONICAL, ids=[u for u, _ in CANONICAL])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def _posting(db, source_id, last_seen, url=None):
    db.conn.execute(
        "INSERT INTO postings (source, source_id, url, title, normalizer_version, taxonomy_version, first_seen, "
        "last_seen) VALUES ('s', ?, ?, 't', 'n', 'x', ?, ?)", (source_id, url or f"https://x/{source_id}", last_seen,
                                                                last_seen))


def _state(db):
    return {r[0]: (r[1], r[2]) for r in db.execute("SELECT source_id, misses, closed_at FROM postings")}


def test_misses_close_postings_after_consecutive_complete_crawls(tmp_path):
    db = open_db(tmp_path / "store.db")
    ensure_source(db, "s", "postings", "jobposting", None)
    for source_id in "abcd":
        _posting(db, source_id, "2026-11-20T00:00:00+00:00")
    seen_a = "2026-11-21T00:00:00+00:00"
    db.conn.execute("UPDATE postings SET last_seen = ? WHERE source_id = 'a'", (seen_a,))
    # an incomplete crawl counts nothing against anyone
    assert close_missing_postings(db, "s", seen_since=seen_a, complete=False, close_after=2) == 0
    assert set(_state(db).values()) == {(0, None)}
    # a complete crawl: b, c, d missed once (d's page failed: not counted)
    assert close_missing_postings(db, "s", seen_since=seen_a, complete=True, close_after=2,
                                  unfetched_urls=["https://x/d"]) == 0
    assert _state(db) == {"a": (0, None), "b": (1, None), "c": (1, None), "d": (0, None)}
    # the next complete crawl sees a and c: b closes at that crawl's start, c reopens
    seen = "2026-11-22T00:00:00+00:00"
    db.conn.execute("UPDATE postings SET last_seen = ? WHERE source_id IN ('a', 'c')", (seen,))
    assert close_missing_postings(db, "s", seen_since=seen, complete=True, close_after=2) == 1
    assert _state(db) == {"a": (0, None), "b": (2, seen), "c": (0, None), "d": (1, None)}
    # b comes back
    later = "2026-11-23T00:00:00+00:00"
    db.conn.execute("UPDATE postings SET last_seen = ? WHERE source_id = 'b'", (later,))
    close_missing_postings(db, "s", seen_since=later, complete=False, close_after=2)
    assert _state(db)["b"] == (0, None)


def test_a_run_left_running_is_marked_killed_and_resumed(tmp_path):
    db = open_db(tmp_path / "store.db")
    ensure_source(db, "s", "postings", "jobposting", None)
    first = open_crawl_run(db, "s", "jobposting")
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db.conn.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", (int(ended.stdout), first["id"]))  # its process died
    second = open_crawl_run(db, "s", "jobposting", resume=True)
    assert db.execute("SELECT status, finish_reason FROM crawl_runs WHERE id = ?", [first["id"]]).fetchone() == \
        ("failed", "killed")
    assert second["resumed_from"] == first["id"] and second["seen_since"] == first["started_at"]
    db.conn.execute("UPDATE crawl_runs SET status = 'finished' WHERE id = ?", (second["id"],))
    third = open_crawl_run(db, "s", "jobposting", resume=True)  # nothing unfinished to resume
    assert third["resumed_from"] is None and third["seen_since"] == third["started_at"]
