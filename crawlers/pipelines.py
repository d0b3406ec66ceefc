"""The item pipeline: normalize each raw record and write batches to the store.

Opens a crawl run when the spider opens and closes it with its counters when the spider
closes. Rejects (from the spider, or records that cannot be stored) go to the rejects table
with their reason; the crawl goes on.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime

from db.store import now_iso, open_db
from db.writes import (add_rejects, ensure_source, finish_crawl_run, load_occupations, start_crawl_run,
                       upsert_records)
from normalize.record import normalize_posting, normalize_seeker
from normalize.taxonomy import occupation_rows

RAW_COLUMNS = {
    "postings": ("source", "source_id", "url", "title", "company", "salary_text", "location_text",
                 "industry_text", "education_text", "experience_text", "employment_type", "headcount_text",
                 "description", "posted_text", "valid_through_text", "fetched_at"),
    "seekers": ("source", "source_id", "url", "desired_title", "location_text", "expected_salary_text",
                "education_text", "experience_text", "active_from_text", "active_to_text", "fetched_at"),
}
NORMALIZERS = {"postings": normalize_posting, "seekers": normalize_seeker}


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
    row.update(dataclasses.asdict(normalized))
    row["crawl_run_id"] = crawl_run_id
    return row


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("JOBMON_DB")
        self.batch_size = crawler.settings.getint("JOBMON_BATCH_SIZE", 1000)
        self.stats = crawler.stats
        self.buffer: list[dict] = []
        self.rejects: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.db = open_db(self.db_path)
        ensure_taxonomy(self.db)
        ensure_source(self.db, spider.source, spider.kind, spider.name, spider.start_url)
        spider.crawl_run_id = start_crawl_run(self.db, spider.source, spider.name)
        self.spider = spider

    def process_item(self, item, spider=None):
        spider = self.spider
        if item["kind"] == "reject":
            self.rejects.append({"crawl_run_id": spider.crawl_run_id, "source": item["source"],
                                 "kind": "posting" if item["record_kind"] == "postings" else "seeker"
                                 if item["record_kind"] == "seekers" else "page",
                                 "reason": item["reason"], "url": item["url"], "raw": item.get("raw")})
        else:
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
        spider = self.spider
        self.flush()
        stats = self.stats.get_stats()
        reason = stats.get("finish_reason", "finished")
        counts = {
            "pages": stats.get("response_received_count", 0),
            "items": stats.get("item_scraped_count", 0),
            "records_new": stats.get("jobmon/records_new", 0),
            "records_updated": stats.get("jobmon/records_updated", 0),
            "rejected": stats.get("jobmon/rejected", 0),
            "errors": stats.get("log_count/ERROR", 0) + stats.get("downloader/exception_count", 0),
        }
        status = "finished" if reason == "finished" else "failed"
        finish_crawl_run(self.db, spider.crawl_run_id, status=status, finish_reason=reason, counts=counts,
                         stats=stats)
        self.db.conn.close()
