"""A Scrapy extension that prints a progress line to stderr every few seconds."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class CrawlProgress:
    def __init__(self, stats, interval: float):
        self.stats = stats
        self.interval = interval
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("JOBMON_PROGRESS_INTERVAL")
        if not interval:
            raise NotConfigured
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.spider = spider
        self.task = task.LoopingCall(self.report)
        self.task.start(self.interval, now=False)

    def report(self, final: bool = False):
        stats = self.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        print(
            f"  crawl {self.spider.name:<10} {pages:>7,} pages  {stats.get('item_scraped_count', 0):>7,} records"
            f"  {stats.get('jobmon/rejected', 0):>4,} rejected  {pages / elapsed:6.0f} pages/s"
            + ("  done" if final else ""),
            file=sys.stderr, flush=True,
        )

    def spider_closed(self, spider):
        if self.task.running:
            self.task.stop()
        self.report(final=True)
