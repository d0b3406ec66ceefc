"""Crawl one source described by a YAML file (see crawlers/sources.py and README "Configure a source").

The source's ``shape`` picks how pages are read; what is read where comes only from the file:

- ``jsonld``: schema.org JobPosting pages (JSON-LD or microdata), from sitemaps or listing pages;
- ``json_api``: JSON answers of GET/POST request templates, records and fields by JMESPath;
- ``embedded_json``: state JSON inside HTML pages, then as ``json_api``;
- ``html``: listing rows and detail pages by CSS / XPath;
- ``feed``: RSS / Atom / XML feeds.

    scrapy crawl source -a source=sources/examples/json_api.yaml
    scrapy crawl source -a source=example-json-api -a origin=http://127.0.0.1:8000

``origin`` sends every request for the source's hosts to another scheme://host:port (a mirror,
a staging copy, saved pages served locally) with the same paths and queries.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import scrapy
from parsel import Selector
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

from ..encoding import decode_body
from ..extract import ExtractionError, job_postings_from_html
from ..extract_html import html_fields
from ..extract_source import listing_records
from ..paging import PageRequest, first_request, next_request
from ..sources import load_source
from .common import JobmonSpider


class SourceSpider(JobmonSpider):
    name = "source"

    def __init__(self, source: str | None = None, origin: str | None = None, city: str | None = None, **kwargs):
        if not source:
            raise ValueError("the source spider needs a source file or name: "
                             "scrapy crawl source -a source=sources/examples/json_api.yaml")
        config = load_source(source)
        super().__init__(start=(config.start_urls + config.sitemaps)[0], source=config.name,
                         city=city or config.city, **kwargs)
        self.config = config
        self.kind = config.kind
        self.origin = urlsplit(origin) if origin else None
        self.allowed_domains = list(config.allowed_domains) + ([self.origin.hostname] if self.origin else [])
        self.links = LinkExtractor(allow=config.follow)
        self.follow = [re.compile(p) for p in config.follow]

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        """Apply the source's politeness overrides at spider priority (``-s`` on the command line
        still wins, as for any Scrapy setting)."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        politeness = spider.config.politeness
        for setting, value in (("DOWNLOAD_DELAY", politeness.download_delay),
                               ("CONCURRENT_REQUESTS_PER_DOMAIN", politeness.concurrency),
                               ("USER_AGENT", politeness.user_agent)):
            if value is not None:
                crawler.settings.set(setting, value, priority="spider")
        return spider

    def rebase(self, url: str) -> str:
        """``url`` on the origin given with ``-a origin=`` when it points at one of the source's hosts."""
        if not self.origin:
            return url
        parts = urlsplit(url)
        host = parts.hostname or ""
        if any(host == d or host.endswith("." + d) for d in self.config.allowed_domains):
            return urlunsplit(parts._replace(scheme=self.origin.scheme, netloc=self.origin.netloc))
        return url

    async def start(self):
        # Start pages and pagination are always fetched: a resumed crawl (crawlers/resume.py) walks
        # each listing again to reach what is left; max_pages and the same-URL check bound the walk.
        for url in self.config.sitemaps:
            yield scrapy.Request(self.rebase(url), callback=self.parse_sitemap, dont_filter=True)
        for url in self.config.start_urls:
            if self.config.shape == "jsonld":
                yield scrapy.Request(self.rebase(url), callback=self.parse_jsonld, cb_kwargs={"follow_links": True},
                                     dont_filter=True)
            else:
                yield self.page_request(first_request(self.config, self.rebase(url)))

    def page_request(self, page: PageRequest) -> scrapy.Request:
        return scrapy.Request(page.url, method=page.method, headers=dict(page.headers), body=page.body,
                              callback=self.parse_listing, cb_kwargs={"page": page}, dont_filter=True)

    def text(self, response) -> str:
        """The response's text: the source's forced encoding, else declared or sniffed."""
        if self.config.encoding:
            return response.body.decode(self.config.encoding, errors="replace")
        if isinstance(response, TextResponse):
            return response.text
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        return decode_body(response.body, content_type)

    # ------------------------------------------------------------ schema.org pages

    def detail_request(self, url: str, entry: dict) -> scrapy.Request | None:
        if self.follow and not any(p.search(entry["loc"]) for p in self.follow):
            return None
        return scrapy.Request(url, callback=self.parse_jsonld, cb_kwargs={"follow_links": False},
                              meta={"jobmon_detail": True, "jobmon_lastmod": entry.get("lastmod")})

    def parse_jsonld(self, response, follow_links: bool):
        if not isinstance(response, TextResponse):
            return
        text = self.text(response)
        try:
            postings = job_postings_from_html(text, response.url)
        except ExtractionError as error:
            yield self.reject(error.reason, response.url, {"error": str(error)})
            postings = []
        if postings and self.config.fields:
            extra = html_fields(Selector(text=text), self.config.fields)
            postings = [{**p, **{k: v for k, v in extra.items() if v and not p.get(k)}} for p in postings]
        for fields in postings:
            yield self.record(fields, response.url)
        if follow_links:
            for link in self.links.extract_links(response):
                yield scrapy.Request(self.rebase(link.url), callback=self.parse_jsonld,
                                     cb_kwargs={"follow_links": True})

    # ------------------------------------------------------------ listings: JSON, embedded JSON, HTML, feeds

    def parse_listing(self, response, page: PageRequest):
        try:
            rows, lookup = listing_records(self.config, self.text(response))
        except ExtractionError as error:
            yield self.reject(error.reason, response.url, {"error": str(error)})
            return
        if not rows and page.page == 0:
            yield self.reject("no_records", response.url, {"records": self.config.records})
        for fields, link in rows:
            if link:
                yield scrapy.Request(self.rebase(response.urljoin(link)), callback=self.parse_detail,
                                     errback=self.detail_failed, cb_kwargs={"listed": fields},
                                     meta={"jobmon_detail": True})
            else:
                yield self.finish(fields, response.url)
        following = next_request(self.config, page, len(rows), lookup, response.url)
        if following:
            yield self.page_request(replace(following, url=self.rebase(following.url),
                                            base_url=self.rebase(following.base_url)))

    def parse_detail(self, response, listed: dict):
        found = html_fields(Selector(text=self.text(response)), self.config.detail.fields)
        fields = {**listed, **{k: v for k, v in found.items() if v}}
        fields["url"] = fields.get("url") or response.url
        yield self.finish(fields, response.url)

    def detail_failed(self, failure):
        """A detail page that could not be had (HTTP error, given up): keep what the listing said."""
        request = failure.request
        self.crawler.stats.inc_value("jobmon/detail_failed")
        fields = dict(request.cb_kwargs["listed"])
        fields["url"] = fields.get("url") or request.url
        yield self.finish(fields, request.url)

    def finish(self, fields: dict, page_url: str) -> dict:
        """A record for the pipeline, or a reject when it has no title; ids fall back to the URL,
        else to a hash of the record's fields."""
        if not fields.get(self.config.title_field):
            return self.reject("no_title", page_url, fields)
        record = dict(fields)
        if not record.get("source_id"):
            record["source_id"] = record.get("url") or "sha1:" + hashlib.sha1(
                json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
        return self.record(record, page_url)
