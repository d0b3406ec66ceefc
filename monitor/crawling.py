"""Run jobmon's spiders in this process with the project's Scrapy settings."""
from __future__ import annotations

import os

from scrapy.crawler import CrawlerProcess
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


def run_spiders(jobs: list[tuple[str, dict]], db_path: str, overrides: dict | None = None) -> None:
    """Crawl each (spider name, spider arguments) at the same time; return when all are done.

    Twisted's reactor runs once per process: call this once per process.
    """
    process = CrawlerProcess(project_settings(db_path, overrides))
    for name, arguments in jobs:
        process.crawl(SPIDERS[name], **arguments)
    process.start()


def crawl_source(ref: str, db_path: str, *, origin: str | None = None, city: str | None = None,
                 overrides: dict | None = None) -> str:
    """Crawl one configured source (a path or a name in sources/) now; return its name.

    Raises crawlers.sources.SourceInvalid (with every problem) or FileNotFoundError before
    anything is fetched. Like run_spiders, once per process.
    """
    source = load_source(ref)
    run_spiders([("source", {"source": source.path, "origin": origin, "city": city})], db_path, overrides)
    return source.name
