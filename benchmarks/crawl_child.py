"""One crawl of the local board in its own process (Twisted's reactor runs once a process).

    python benchmarks/crawl_child.py bare URL
    python benchmarks/crawl_child.py jobmon URL DB
    python benchmarks/crawl_child.py jobmon-nopipeline URL DB   # to see what the pipeline costs

``bare`` is the baseline: a plain Scrapy spider that walks the same sitemap and parses each
detail page's JSON-LD with ``json.loads``, with Scrapy's own middlewares only (none of jobmon's
middlewares, extensions or pipeline) and the same engine settings (concurrency, robots.txt).
``jobmon`` is the product's ``jobposting`` spider with its extraction, normalization and store
pipeline; ``jobmon-nopipeline`` the same spider without the pipeline. Each prints one JSON line:
pages, items, seconds and the process's CPU seconds (steadier than wall time on a busy machine).
"""
from __future__ import annotations

import json
import resource
import sys

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])

from crawlers.settings import LOCAL_BOARD  # noqa: E402
from crawlers.spiders.jobposting import JobPostingSpider  # noqa: E402
from monitor.crawling import project_settings  # noqa: E402


class BareJsonLdSpider(scrapy.Spider):
    name = "bare_jsonld"

    def __init__(self, start: str, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse_sitemap)

    def parse_sitemap(self, response):
        sitemap = Sitemap(response.body)
        callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse_page
        for entry in sitemap:
            yield scrapy.Request(entry["loc"], callback=callback)

    def parse_page(self, response):
        for block in response.css('script[type="application/ld+json"]::text').getall():
            try:
                yield {"posting": json.loads(block)}
            except ValueError:
                pass


def main(argv: list[str]) -> None:
    mode, url = argv[0], argv[1]
    overrides = {**LOCAL_BOARD, "LOG_LEVEL": "ERROR"}
    if mode == "bare":
        overrides.update({"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "DOWNLOADER_MIDDLEWARES": {},
                          "SPIDER_MIDDLEWARES": {}})
        settings = project_settings(":memory:", overrides)
        spider, arguments = BareJsonLdSpider, {"start": f"{url}/sitemap.xml"}
    else:
        if mode == "jobmon-nopipeline":
            overrides["ITEM_PIPELINES"] = {}
        settings = project_settings(argv[2], overrides)
        spider, arguments = JobPostingSpider, {"start": f"{url}/sitemap.xml", "source": "bench", "city": "北京市"}
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **arguments)
    process.start()
    stats = crawler.stats.get_stats()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"pages": stats.get("response_received_count", 0),
                      "items": stats.get("item_scraped_count", 0),
                      "seconds": stats["elapsed_time_seconds"],
                      "cpu_seconds": usage.ru_utime + usage.ru_stime}))


if __name__ == "__main__":
    main(sys.argv[1:])
