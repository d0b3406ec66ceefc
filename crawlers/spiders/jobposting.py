"""Crawl any site whose pages carry schema.org JobPosting JSON-LD.

Start from a sitemap (``.../sitemap.xml``, or ``robots.txt`` to use the sitemaps it names) or
from a listing page, whose links are followed within the site (``follow`` narrows them to URLs
matching a regular expression).

    scrapy crawl jobposting -a start=http://127.0.0.1:8000/sitemap.xml -a source=localboard
    scrapy crawl jobposting -a start=http://127.0.0.1:8000/jobs/ -a follow='/jobs/'
"""
from __future__ import annotations

import re

import scrapy
from scrapy.linkextractors import LinkExtractor

from ..extract import ExtractionError, job_postings_from_html
from .common import JobmonSpider


class JobPostingSpider(JobmonSpider):
    name = "jobposting"
    kind = "postings"

    def __init__(self, follow: str | None = None, **kwargs):
        super().__init__(**kwargs)
        # OffsiteMiddleware keeps the crawl on the site (allow_domains here would drop IP hosts).
        self.links = LinkExtractor(allow=[follow] if follow else ())
        self.from_sitemap = bool(re.search(r"(\.xml(\.gz)?|/robots\.txt)$", self.start_url))

    async def start(self):
        callback = self.parse_sitemap if self.from_sitemap else self.parse_page
        # Always fetched: a resumed crawl walks the sitemap or listing again to find what is left.
        yield scrapy.Request(self.start_url, callback=callback, dont_filter=True)

    def detail_request(self, url: str, entry: dict) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page,
                              meta={"jobmon_detail": True, "jobmon_lastmod": entry.get("lastmod")})

    def parse_page(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        try:
            postings = job_postings_from_html(response.text, response.url)
        except ExtractionError as error:
            yield self.reject(error.reason, response.url, {"error": str(error)})
            postings = []
        for fields in postings:
            yield self.record(fields, response.url)
        if not self.from_sitemap:
            for link in self.links.extract_links(response):
                yield scrapy.Request(link.url, callback=self.parse_page)
