"""The item pipeline: normalize each raw record and write batches to the store.

Opens a crawl run when the spider opens and closes it with its counters when the spider
closes; a complete crawl of postings also counts which postings it missed and closes those missed
too often (``JOBMON_CLOSE_AFTER_MISSES``). Records are written every ``JOBMON_BATCH_SIZE`` records
or ``JOBMON_FLUSH_INTERVAL`` seconds, whichever comes first. Rejects (from the spider, or records
that cannot be stored) go to the rejects table with their reason; the crawl goes on.
"""
from __future__ import annotations

import dataclasses
import gc
from datetime import datetime

from scrapy import signals
from twisted.internet import task

from db.review import accepted_aliases
from db.store import now_iso, open_db
from db.writes import (add_rejects, close_missing_postings, ensure_source, finish_crawl_run, load_occupations,
                       open_crawl_run, upsert_records)
from normalize.record import NormalizedPosting, NormalizedSeeker, normalize_posting, normalize_seeker
from normalize.taxonomy import occupation_rows
from normalize.titles import match_title, set_extra_aliases

from .extract import canonical_url

RAW_COLUMNS = {
    "postings": ("source", "source_id", "url", "title", "company", "salary_text", "location_text",
                 "industry_text", "education_text", "experience_text", "employment_type", "headcount_text",
                 "description", "posted_text", "valid_through_text", "fetched_at"),
    "seekers": ("source", "source_id", "url", "desired_title", "location_text", "expected_salary_text",
                "education_text", "experience_text", "active_from_text", "active_to_text", "fetched_at"),
}
NORMALIZERS = {"postings": normalize_posting, "seekers": normalize_seeker}
NORMALIZED_FIELDS = {
    "postings": tuple(f.name for f in dataclasses.fields(NormalizedPosting)),
    "seekers": tuple(f.name for f in dataclasses.fields(NormalizedSeeker)),
}


def ensure_taxonomy(db) -> None:
    """Load the shipped classification into the store when it is missing or outdated."""
    rows = occupation_rows()
    if db["occupations"].count != len(rows) or not db.execute(
        "SELECT 1 FROM occupations WHERE taxonomy_version = ? LIMIT 1", [rows[0]["taxonomy_version"]]
    ).fetchone():
        load_occupations(db, rows)


def store_row(kind: str, raw: dict, crawl_run_id: int | None, default_city: str | None) -> dict:
    """Raw fields + their normalized fields + provenance, as one row for the store."""
    fetched = datetime.fromisoformat(raw["fetched_at"])
    normalized = NORMALIZERS[kind](raw, fetched, default_city)
    row = {column: raw.get(column) for column in RAW_COLUMNS[kind]}
    # The normalized dataclasses hold only flat values: getattr is ~10x cheaper than asdict.
    row.update({name: getattr(normalized, name) for name in NORMALIZED_FIELDS[kind]})
    row["crawl_run_id"] = crawl_run_id
    return row


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("JOBMON_DB")
        self.batch_size = crawler.settings.getint("JOBMON_BATCH_SIZE", 1000)
        self.stats = crawler.stats
        self.flush_interval = crawler.settings.getfloat("JOBMON_FLUSH_INTERVAL", 2.0)
        self.close_after = crawler.settings.getint("JOBMON_CLOSE_AFTER_MISSES", 2)
        self.buffer: list[dict] = []
        self.rejects: list[dict] = []
        self.flusher = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run is closed on spider_closed, the first moment Scrapy's finish reason is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.db = open_db(self.db_path)
        ensure_taxonomy(self.db)
        set_extra_aliases(accepted_aliases(self.db))  # titles accepted in `jobmon review`
        match_title("软件工程师")  # build the title index and cleaner now, not mid-crawl
        # What is loaded by now (Scrapy, the taxonomy, the indexes) lives as long as the process:
        # keep the garbage collector from scanning it again at every collection.
        gc.freeze()
        ensure_source(self.db, spider.source, spider.kind, spider.name, spider.start_url)
        run = open_crawl_run(self.db, spider.source, spider.name, resume=getattr(spider, "resumes_crawl", False))
        spider.crawl_run_id, spider.seen_since = run["id"], run["seen_since"]
        self.spider = spider
        if self.flush_interval > 0:
            # Records never wait long in memory: a killed crawl loses at most this many seconds,
            # and the resumed crawl fetches their pages again (they are not in the store).
            self.flusher = task.LoopingCall(self.flush)
            self.flusher.start(self.flush_interval, now=False)

    def process_item(self, item, spider=None):
        spider = self.spider
        if item["kind"] == "reject":
            self.rejects.append({"crawl_run_id": spider.crawl_run_id, "source": item["source"],
                                 "kind": "posting" if item["record_kind"] == "postings" else "seeker"
                                 if item["record_kind"] == "seekers" else "page",
                                 "reason": item["reason"], "url": item["url"], "raw": item.get("raw")})
        else:
            if not item.get("source_id"):  # identity falls back to the canonical URL
                item["source_id"] = canonical_url(item.get("url") or item["page_url"])
            self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        spider = self.spider
        rows = []
        for raw in self.buffer:
            try:
                rows.append(store_row(spider.kind, raw, spider.crawl_run_id, spider.default_city))
            except Exception as error:  # a record normalize cannot handle must not end the crawl
                self.stats.inc_value("jobmon/rejected/normalize_failed")
                self.rejects.append({"crawl_run_id": spider.crawl_run_id, "source": raw.get("source"),
                                     "kind": "posting" if spider.kind == "postings" else "seeker",
                                     "reason": "normalize_failed", "url": raw.get("url"),
                                     "raw": {**raw, "error": repr(error)}})
        self.buffer = []
        if rows:
            new, updated = upsert_records(self.db, spider.kind, rows, now_iso())
            self.stats.inc_value("jobmon/records_new", new)
            self.stats.inc_value("jobmon/records_updated", updated)
            for row in rows:
                for note in (row.get("normalize_notes") or "").split(","):
                    if note:
                        self.stats.inc_value(f"jobmon/notes/{note}")
        if self.rejects:
            add_rejects(self.db, self.rejects)
            self.stats.inc_value("jobmon/rejected", len(self.rejects))
            self.rejects = []

    def close_spider(self, spider=None):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        self.flush()

    def spider_closed(self, spider, reason):
        """Close postings the crawl no longer finds (complete crawls only) and the run's row."""
        spider = self.spider
        stats = self.stats.get_stats()
        seen = stats.get("jobmon/records_new", 0) + stats.get("jobmon/records_updated", 0) \
            + stats.get("jobmon/skipped_fresh", 0)
        # Complete: Scrapy finished on its own, no sitemap or listing page was lost, and the site
        # answered with something (an empty crawl says more about the site than its postings).
        complete = reason == "finished" and not stats.get("jobmon/gave_up_pages") and seen > 0
        closed = 0
        if spider.kind == "postings":
            closed = close_missing_postings(self.db, spider.source, seen_since=spider.seen_since, complete=complete,
                                            close_after=self.close_after,
                                            unfetched_urls=getattr(spider, "unfetched_details", ()))
            self.stats.set_value("jobmon/records_closed", closed)
        gave_up = {key[len("jobmon/"):]: value for key, value in stats.items() if key.startswith("jobmon/gave_up/")}
        dropped = {key[len("jobmon/rejected/"):]: value for key, value in stats.items()
                   if key.startswith("jobmon/rejected/")}
        counts = {
            "pages": stats.get("response_received_count", 0),
            "items": stats.get("item_scraped_count", 0),
            "records_new": stats.get("jobmon/records_new", 0),
            "records_updated": stats.get("jobmon/records_updated", 0),
            "records_closed": closed,
            "rejected": stats.get("jobmon/rejected", 0),
            "blocked": stats.get("jobmon/blocked", 0),
            "skipped_fresh": stats.get("jobmon/skipped_fresh", 0),
            "errors": stats.get("log_count/ERROR", 0),  # includes every request given up after its retries
        }
        status = "finished" if reason == "finished" else "failed"
        finish_crawl_run(self.db, spider.crawl_run_id, status=status, finish_reason=reason, counts=counts,
                         stats=self.stats.get_stats(), complete=complete, dropped={**dropped, **gave_up})
        self.db.conn.close()
