"""Incremental crawling: detail pages that are still fresh are not fetched again.

A spider marks a request for one posting's own page with ``meta["jobmon_detail"] = True`` and,
when the listing or sitemap gives it, ``meta["jobmon_lastmod"]`` (a sitemap ``<lastmod>``).
``FreshPagesMiddleware`` drops such a request when the source's posting at that URL was fetched
within ``JOBMON_REFETCH_TTL_HOURS`` (or earlier in the crawl this run resumes) and the lastmod is
not newer than that fetch; the posting still counts as seen (its ``last_seen`` moves on), so it is
not closed. Counted in ``jobmon/skipped_fresh``.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals

from db.reads import posting_fetched_at
from db.store import now_iso, open_db
from db.writes import mark_postings_seen

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_timestamp(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 / W3C datetime as an aware datetime (no offset: Asia/Shanghai); a bare date is
    its start, or with ``end_of_day`` the start of the next day (it may have changed any time
    that day). None when unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
            return moment + timedelta(days=1) if end_of_day else moment
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def is_fresh(fetched_at: str | None, lastmod: str | None, *, now: datetime, ttl: timedelta,
             seen_since: datetime | None = None) -> bool:
    """Whether a page fetched at ``fetched_at`` need not be fetched again: fetched within ``ttl``
    of ``now`` or since ``seen_since`` (the start of the crawl being resumed), and not modified
    after that fetch according to ``lastmod``."""
    fetched = parse_timestamp(fetched_at)
    if fetched is None:
        return False
    modified = parse_timestamp(lastmod, end_of_day=True)
    if modified is not None and modified > fetched:
        return False
    cutoff = now - ttl
    if seen_since is not None:
        cutoff = min(cutoff, seen_since)
    return fetched >= cutoff


class FreshPagesMiddleware:
    """Spider middleware: drop requests for detail pages that are still fresh in the store."""

    def __init__(self, crawler, ttl: timedelta):
        self.crawler = crawler
        self.ttl = ttl
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler, timedelta(hours=crawler.settings.getfloat("JOBMON_REFETCH_TTL_HOURS", 24)))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _fresh(self, request) -> bool:
        spider = self.crawler.spider
        if not request.meta.get("jobmon_detail") or getattr(spider, "kind", None) != "postings":
            return False
        if self.db is None:
            self.db = open_db(self.crawler.settings.get("JOBMON_DB"))
        seen_since = parse_timestamp(getattr(spider, "seen_since", None))
        return is_fresh(posting_fetched_at(self.db, spider.source, request.url), request.meta.get("jobmon_lastmod"),
                        now=datetime.now(timezone.utc), ttl=self.ttl, seen_since=seen_since)

    def _mark_seen(self, urls: list[str]) -> None:
        if urls:
            mark_postings_seen(self.db, self.crawler.spider.source, urls, now_iso())
            self.crawler.stats.inc_value("jobmon/skipped_fresh", len(urls))

    def process_spider_output(self, response, result):
        skipped = []
        for entry in result:
            if isinstance(entry, scrapy.Request) and self._fresh(entry):
                skipped.append(entry.url)
                continue
            yield entry
        self._mark_seen(skipped)

    async def process_spider_output_async(self, response, result):
        skipped = []
        async for entry in result:
            if isinstance(entry, scrapy.Request) and self._fresh(entry):
                skipped.append(entry.url)
                continue
            yield entry
        self._mark_seen(skipped)

    async def process_start(self, start):
        async for entry in start:
            if isinstance(entry, scrapy.Request) and self._fresh(entry):
                self._mark_seen([entry.url])
                continue
            yield entry

    def spider_closed(self, spider):
        if self.db is not None:
            self.db.conn.close()
            self.db = None
