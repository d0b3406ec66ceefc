"""What every jobmon spider shares: its arguments, provenance, and reject items."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

SHANGHAI = ZoneInfo("Asia/Shanghai")


def source_name(start: str, source: str | None = None) -> str:
    """The name a crawl of ``start`` stores its records under: ``source``, else the URL's host."""
    return source or urlsplit(start).hostname or "unknown"


class JobmonSpider(scrapy.Spider):
    """Base for spiders whose items the StorePipeline stores.

    Arguments (``-a name=value``): ``start`` the start URL (required), ``source`` the name the
    records are stored under (default: the start URL's host), ``city`` the city a bare district
    name belongs to (e.g. 北京市).
    """
    kind = "postings"   # or "seekers": which table the records go to

    def __init__(self, start: str | None = None, source: str | None = None, city: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not start:
            raise ValueError(f"{self.name} needs a start URL: scrapy crawl {self.name} -a start=https://...")
        self.start_url = start
        host = urlsplit(start).hostname or "unknown"
        self.source = source_name(start, source)
        self.default_city = city
        self.allowed_domains = [host]
        self.crawl_run_id: int | None = None
        # Crawl state the store pipeline and jobmon's middlewares share (crawlers/middlewares.py,
        # crawlers/incremental.py, crawlers/resume.py): detail pages given up for good, the start
        # of the crawl (of the run this one resumes), and whether this run resumes one.
        self.unfetched_details: set[str] = set()
        self.seen_since: str | None = None
        self.resumes_crawl = False

    def rebase(self, url: str) -> str:
        """The URL to request for a link found on the site (SourceSpider moves it to ``origin``)."""
        return url

    def text(self, response) -> str:
        return response.text

    def parse_sitemap(self, response):
        """A sitemap, sitemap index or robots.txt: every posting page in it to ``detail_request``."""
        if urlsplit(response.url).path.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(self.text(response), base_url=response.url):
                yield scrapy.Request(self.rebase(url), callback=self.parse_sitemap)
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # lxml raises several types for non-XML bodies
            yield self.reject("sitemap_invalid", response.url)
            return
        for entry in sitemap:
            url = self.rebase(entry["loc"])
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(url, callback=self.parse_sitemap)
            elif (request := self.detail_request(url, entry)) is not None:
                yield request

    def detail_request(self, url: str, entry: dict) -> scrapy.Request | None:
        """The request for one posting page a sitemap lists (None to leave it out); its meta
        lets crawlers/incremental.py skip it while it is fresh."""
        raise NotImplementedError(f"{self.name} does not read sitemaps")

    @staticmethod
    def fetched_at() -> str:
        return datetime.now(SHANGHAI).isoformat(timespec="seconds")

    def record(self, fields: dict, url: str) -> dict:
        return {"kind": self.kind, "source": self.source, "fetched_at": self.fetched_at(), "page_url": url, **fields}

    def reject(self, reason: str, url: str, raw: object = None) -> dict:
        self.crawler.stats.inc_value(f"jobmon/rejected/{reason}")
        return {"kind": "reject", "record_kind": self.kind, "source": self.source, "reason": reason,
                "url": url, "raw": raw}
