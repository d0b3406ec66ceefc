"""Crawl job-seeker (求职 / 人才库) listing pages for supply.

Each listing row is one seeker; the CSS selectors below fit the local board and boards built
like it, and each can be overridden with ``-a <field>=<css>`` (e.g. ``-a item='.resume-card'``).
Pagination follows the ``next`` selector.

    scrapy crawl seekers -a start=http://127.0.0.1:8000/talent/ -a source=localboard-talent
"""
from __future__ import annotations

import scrapy

from ..extract import records_from_listing
from .common import JobmonSpider

DEFAULT_SELECTORS = {
    "item": ".resume-item",
    "next": "a.next::attr(href)",
    "source_id": "::attr(data-id)",
    "desired_title": ".expect-title::text",
    "expected_salary_text": ".expect-salary::text",
    "location_text": ".expect-city::text",
    "education_text": ".edu::text",
    "experience_text": ".exp::text",
    "active_from_text": ".since::text",
    "active_to_text": ".active::text",
}


class SeekerSpider(JobmonSpider):
    name = "seekers"
    kind = "seekers"

    def __init__(self, **kwargs):
        overrides = {k: kwargs.pop(k) for k in list(kwargs) if k in DEFAULT_SELECTORS}
        super().__init__(**kwargs)
        self.selectors = {**DEFAULT_SELECTORS, **overrides}

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response):
        fields = {k: v for k, v in self.selectors.items() if k not in ("item", "next")}
        rows = records_from_listing(response.text, self.selectors["item"], fields)
        if not rows:
            yield self.reject("no_listing_rows", response.url)
        for row in rows:
            if not row.get("desired_title"):
                yield self.reject("no_title", response.url, row)
                continue
            row["source_id"] = row.get("source_id") or f"{response.url}#{row['desired_title']}"
            row["url"] = response.url
            yield self.record(row, response.url)
        next_page = response.css(self.selectors["next"]).get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)
