"""Resumable crawls: what a resume dir (Scrapy's ``JOBDIR``, ``jobmon crawl --resume-dir``) holds
and when it can be trusted.

Scrapy writes the request queue's index and flushes the seen-request fingerprints only when a
crawl closes. After a graceful stop (Ctrl-C once, SIGTERM) the dir is consistent and Scrapy
continues from it. After SIGKILL it is not: the fingerprints may name requests the lost queue
never ran, which would then be filtered out for good. So a crawl that finds the dir of a process
that died (its marker file is still there) clears the queue and fingerprints and starts from the
start URL again; the store makes that a continuation: detail pages whose posting was stored by
the killed run are skipped as fresh (``crawlers.incremental``) and the run records
``resumed_from``. A crawl that finishes empties the dir, so the next crawl with the same dir
starts afresh.

The extension tells the spider with ``spider.resumes_crawl``.
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

MARKER = "jobmon-crawl-running"
SCRAPY_STATE = ("requests.seen", "requests.queue")


def clear_request_state(jobdir: Path) -> None:
    """Remove Scrapy's request queue and seen fingerprints from a resume dir."""
    for name in SCRAPY_STATE:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


class ResumeDir:
    def __init__(self, jobdir: Path):
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        extension = cls(Path(jobdir))
        crawler.spider.resumes_crawl = extension.prepare()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def prepare(self) -> bool:
        """Make the dir safe to open before Scrapy's scheduler reads it; return whether this crawl
        continues an unfinished one."""
        self.jobdir.mkdir(parents=True, exist_ok=True)
        marker = self.jobdir / MARKER
        if marker.exists():
            logger.warning("the crawl that used %s did not close (killed?): its request queue cannot be "
                           "trusted, so this crawl starts from the start URL and skips what the store already has",
                           self.jobdir)
            clear_request_state(self.jobdir)
            return True
        return (self.jobdir / "requests.queue" / "active.json").exists() or (self.jobdir / "requests.seen").exists()

    def spider_opened(self, spider):
        (self.jobdir / MARKER).write_text(f"{os.getpid()}\n", encoding="utf-8")

    def spider_closed(self, spider, reason):
        if reason == "finished":
            clear_request_state(self.jobdir)
        (self.jobdir / MARKER).unlink(missing_ok=True)
