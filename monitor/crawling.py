"""Run jobmon's spiders in this process with the project's Scrapy settings."""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.utils.ossignal import signal_names
from scrapy.utils.project import get_project_settings

from crawlers.sources import load_source
from crawlers.spiders.jobposting import JobPostingSpider
from crawlers.spiders.seekers import SeekerSpider
from crawlers.spiders.source import SourceSpider

SPIDERS = {"jobposting": JobPostingSpider, "seekers": SeekerSpider, "source": SourceSpider}


def project_settings(db_path: str, overrides: dict | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    settings = get_project_settings()
    settings.set("JOBMON_DB", str(db_path), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    """What ``run_spiders`` ran: each crawl's run id (None when it never opened one) and the
    signal that stopped the process (``SIGINT``, ``SIGTERM``), if one did."""
    run_ids: list[int | None] = field(default_factory=list)
    signal: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def signal_number(self) -> int | None:
        return int(getattr(signal, self.signal)) if self.signal else None


class _Process(CrawlerProcess):
    """CrawlerProcess that remembers the signal that stopped it and tells each crawl (stat
    ``jobmon/signal``), so the crawl's run says who stopped it and the command can exit 130/143."""

    received: str | None = None

    def _remember(self, signum: int) -> None:
        self.received = self.received or signal_names.get(signum, str(signum))
        for crawler in list(self.crawlers):
            if crawler.stats is not None:
                crawler.stats.set_value("jobmon/signal", self.received)

    def _signal_shutdown(self, signum, frame):
        self._remember(signum)
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum, frame):
        self._remember(signum)
        super()._signal_kill(signum, frame)


def run_spiders(jobs: list[tuple[str, dict]], db_path: str, overrides: dict | None = None) -> CrawlResult:
    """Crawl each (spider name, spider arguments) at the same time; return when all are done,
    with the id of each one's crawl run, in order.

    Twisted's reactor runs once per process: call this once per process.
    """
    process = _Process(project_settings(db_path, overrides))
    crawlers = []
    result = CrawlResult()
    for name, arguments in jobs:
        crawler = process.create_crawler(SPIDERS[name])
        crawlers.append(crawler)
        process.crawl(crawler, **arguments).addErrback(lambda failure: result.errors.append(
            failure.getErrorMessage()) or None)
    process.start()
    result.run_ids = [getattr(crawler.spider, "crawl_run_id", None) for crawler in crawlers]
    result.signal = process.received
    return result


def crawl_source(ref: str, db_path: str, *, origin: str | None = None, city: str | None = None,
                 overrides: dict | None = None) -> CrawlResult:
    """Crawl one configured source (a path or a name in sources/) now; return what ran.

    Raises crawlers.sources.SourceInvalid (with every problem) or FileNotFoundError before
    anything is fetched. Like run_spiders, once per process.
    """
    source = load_source(ref)
    return run_spiders([("source", {"source": source.path, "origin": origin, "city": city})], db_path, overrides)
