"""The item pipeline: normalize each raw record and write batches to the store.

Takes the source's lock (db/locks.py: one crawl of a source at a time) and opens a crawl run
recording this process when the spider opens, and closes the run with its outcome
(crawlers/outcome.py) when the spider closes; a complete crawl of postings also counts which
postings it missed and closes those missed too often (``JOBMON_CLOSE_AFTER_MISSES``).

Records are written every ``JOBMON_BATCH_SIZE`` records or ``JOBMON_FLUSH_INTERVAL`` seconds,
whichever comes first, each batch in one transaction with the run's counters, so the run always
shows what is stored, even after SIGKILL. A batch the store refuses (locked by another process
past ``JOBMON_BUSY_TIMEOUT``, disk I/O) stays in memory and is tried again with a doubling wait
(``JOBMON_STORE_RETRY_DELAY`` …) while the crawl pauses; after ``JOBMON_STORE_RETRY_SECONDS`` of
failures the crawl stops, its run ``failed`` (``store_write_failed``) with the records not stored
counted in ``records_unsaved`` and kept, raw, in a JSON Lines file beside the store. Rejects (from
the spider, or records that cannot be normalized) go to the rejects table with their reason; the
crawl goes on.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import logging
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import task

from db import locks
from db.review import accepted_aliases
from db.store import is_busy, now_iso, open_db, resolve_db_path
from db.writes import (close_missing_postings, commit_batch, ensure_source, finish_crawl_run, load_occupations,
                       open_crawl_run)
from normalize.record import NormalizedPosting, NormalizedSeeker, normalize_posting, normalize_seeker
from normalize.taxonomy import occupation_rows
from normalize.titles import match_title, set_extra_aliases

from .extract import canonical_url
from .outcome import crawl_outcome, gave_up
from .secrets import mask_url

logger = logging.getLogger(__name__)

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


class StoreRefused(Exception):
    """The store refused a batch for good (retries exhausted, or an error a retry cannot fix)."""


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = str(resolve_db_path(settings.get("JOBMON_DB")))
        self.batch_size = settings.getint("JOBMON_BATCH_SIZE", 1000)
        self.stats = crawler.stats
        self.flush_interval = settings.getfloat("JOBMON_FLUSH_INTERVAL", 2.0)
        self.close_after = settings.getint("JOBMON_CLOSE_AFTER_MISSES", 2)
        self.busy_timeout = settings.getfloat("JOBMON_BUSY_TIMEOUT", 30.0)
        self.retry_delay = settings.getfloat("JOBMON_STORE_RETRY_DELAY", 1.0)
        self.retry_seconds = settings.getfloat("JOBMON_STORE_RETRY_SECONDS", 600.0)
        self.buffer: list[dict] = []      # raw records not normalized yet
        self.rows: list[dict] = []        # normalized rows not stored yet
        self.rejects: list[dict] = []     # rejects not stored yet
        self.flusher = None
        self.items = 0                    # items this pipeline has taken (Scrapy counts them after)
        self.lock = None
        self.db = None                    # opened once the source's lock is held
        self.failing_since: float | None = None   # when the store first refused the pending batch
        self.attempts = 0
        self.retry_at = 0.0
        self.write_error: str | None = None        # set when the store refused for good

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run is closed on spider_closed, the first moment Scrapy's finish reason is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.spider = spider
        # One crawl of a source at a time: raises SourceBusy before anything is fetched or recorded.
        self.lock = locks.acquire(self.db_path, spider.source)
        self.db = open_db(self.db_path, busy_timeout=self.busy_timeout)
        ensure_taxonomy(self.db)
        set_extra_aliases(accepted_aliases(self.db))  # titles accepted in `jobmon review`
        match_title("软件工程师")  # build the title index and cleaner now, not mid-crawl
        # What is loaded by now (Scrapy, the taxonomy, the indexes) lives as long as the process:
        # keep the garbage collector from scanning it again at every collection.
        gc.freeze()
        ensure_source(self.db, spider.source, spider.kind, spider.name, spider.start_url)
        run = open_crawl_run(self.db, spider.source, spider.name, resume=getattr(spider, "resumes_crawl", False))
        spider.crawl_run_id, spider.seen_since = run["id"], run["seen_since"]
        if self.flush_interval > 0:
            # Records never wait long in memory: a killed crawl loses at most this many seconds,
            # and the resumed crawl fetches their pages again (they are not in the store).
            self.flusher = task.LoopingCall(self.flush)
            self.flusher.start(self.flush_interval, now=False)

    def process_item(self, item, spider=None):
        spider = self.spider
        self.items += 1
        if item["kind"] == "reject":
            self.rejects.append({"crawl_run_id": spider.crawl_run_id, "source": item["source"],
                                 "kind": "posting" if item["record_kind"] == "postings" else "seeker"
                                 if item["record_kind"] == "seekers" else "page",
                                 "reason": item["reason"], "url": mask_url(item["url"]), "raw": item.get("raw")})
        else:
            if not item.get("source_id"):  # identity falls back to the canonical URL
                item["source_id"] = canonical_url(item.get("url") or item["page_url"])
            self.buffer.append(item)
        if len(self.buffer) + len(self.rows) >= self.batch_size:
            self.flush()
        return item

    def normalize_buffer(self) -> None:
        """Move the raw records to ``rows``, normalized; one normalize cannot handle is a reject."""
        spider = self.spider
        for raw in self.buffer:
            try:
                self.rows.append(store_row(spider.kind, raw, spider.crawl_run_id, spider.default_city))
            except Exception as error:  # a record normalize cannot handle must not end the crawl
                self.stats.inc_value("jobmon/rejected/normalize_failed")
                self.rejects.append({"crawl_run_id": spider.crawl_run_id, "source": raw.get("source"),
                                     "kind": "posting" if spider.kind == "postings" else "seeker",
                                     "reason": "normalize_failed", "url": mask_url(raw.get("url")),
                                     "raw": {**raw, "error": repr(error)}})
        self.buffer = []

    def flush(self) -> bool:
        """Write what waits, in one transaction with the run's counters; True when nothing waits
        any more. A refused write keeps everything for a later try (see the module's doc)."""
        if self.write_error is not None:
            return False
        self.normalize_buffer()
        if not self.rows and not self.rejects:
            return True
        if self.failing_since is not None and time.monotonic() < self.retry_at:
            return False
        try:
            self.write_pending()
        except sqlite3.Error as error:
            self.refused(error)
            return False
        return True

    def write_pending(self) -> None:
        stats = self.stats.get_stats()
        totals = {"pages": stats.get("response_received_count", 0), "items": self.items,
                  "blocked": stats.get("jobmon/blocked", 0), "skipped_fresh": stats.get("jobmon/skipped_fresh", 0),
                  "errors": stats.get("log_count/ERROR", 0)}
        new, updated = commit_batch(self.db, self.spider.kind, self.rows, self.rejects, now_iso(),
                                    self.spider.crawl_run_id, totals)
        self.stats.inc_value("jobmon/records_new", new)
        self.stats.inc_value("jobmon/records_updated", updated)
        self.stats.inc_value("jobmon/rejected", len(self.rejects))
        for row in self.rows:
            for note in (row.get("normalize_notes") or "").split(","):
                if note:
                    self.stats.inc_value(f"jobmon/notes/{note}")
        if self.failing_since is not None:
            logger.warning("the store took the %d records and %d rejects kept in memory after %d failed tries "
                           "over %.0f s; the crawl goes on", len(self.rows), len(self.rejects), self.attempts,
                           time.monotonic() - self.failing_since)
            self.failing_since, self.attempts = None, 0
            self.crawler.engine.unpause()
        self.rows, self.rejects = [], []

    def refused(self, error: sqlite3.Error) -> None:
        """The store refused the pending batch: keep it, pause the crawl and try again later, or,
        when retries are exhausted or cannot help, stop the crawl as failed."""
        now = time.monotonic()
        if self.failing_since is None:
            self.failing_since = now
            self.crawler.engine.pause()   # fetch no more while nothing can be stored
        self.attempts += 1
        self.stats.inc_value("jobmon/store_retries")
        waited = now - self.failing_since
        retryable = isinstance(error, sqlite3.OperationalError)  # locked, busy, disk I/O, disk full
        if retryable and waited < self.retry_seconds:
            delay = min(self.retry_delay * 2 ** (self.attempts - 1), 60.0, max(self.retry_seconds - waited, 0.0))
            self.retry_at = now + delay
            logger.warning("the store refused %d records and %d rejects (%s%s): kept in memory, crawl paused, "
                           "try %d again in %.1f s", len(self.rows), len(self.rejects), error,
                           " after the busy timeout" if is_busy(error) else "", self.attempts + 1, delay)
            from twisted.internet import reactor  # the one Scrapy installed

            reactor.callLater(delay, self.flush)
            return
        self.write_error = f"{error} ({self.attempts} tries over {waited:.0f} s)"
        logger.error("giving up: the store refused %d records and %d rejects: %s; the crawl stops as failed",
                     len(self.rows), len(self.rejects), self.write_error)
        self.crawler.engine.unpause()
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_write_failed"))

    async def close_spider(self, spider=None):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        if self.write_error is None:
            await self.until_written(self.flush)

    async def until_written(self, write) -> None:
        """Call ``write`` (returns True when done) until it is done or the store refused for good."""
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        while not write() and self.write_error is None:
            await maybe_deferred_to_future(deferLater(reactor, max(self.retry_at - time.monotonic(), 0.05),
                                                      lambda: None))

    async def spider_closed(self, spider, reason):
        """Close postings the crawl no longer finds (complete crawls only) and the run's row."""
        if self.db is None:   # never opened: the source's lock was held by another crawl
            return
        try:
            await self.close_run(reason)
        finally:
            self.db.conn.close()
            locks.release(self.lock)

    async def close_run(self, reason: str) -> None:
        spider = self.spider
        self.normalize_buffer()
        unsaved = len(self.rows)
        kept = self.keep_unsaved() if unsaved or self.rejects else None
        stats = self.stats.get_stats()
        outcome = crawl_outcome(reason, stats, signal_name=stats.get("jobmon/signal"), write_error=self.write_error,
                                unsaved=unsaved)
        if kept:
            outcome = dataclasses.replace(outcome, note=f"{outcome.note}; kept raw in {kept}")
        closed = 0
        if spider.kind == "postings" and self.write_error is None:
            closed = await self.with_retries(lambda: close_missing_postings(
                self.db, spider.source, seen_since=spider.seen_since, complete=outcome.complete,
                close_after=self.close_after, unfetched_urls=getattr(spider, "unfetched_details", ())))
            closed = closed or 0
            self.stats.set_value("jobmon/records_closed", closed)
        dropped = {key[len("jobmon/rejected/"):]: value for key, value in stats.items()
                   if key.startswith("jobmon/rejected/")}
        if stats.get("robotstxt/forbidden"):
            dropped["robots_forbidden"] = stats["robotstxt/forbidden"]
        if unsaved:
            dropped["unsaved"] = unsaved
        counts = {
            "pages": stats.get("response_received_count", 0),
            "items": self.items,
            "records_new": stats.get("jobmon/records_new", 0),
            "records_updated": stats.get("jobmon/records_updated", 0),
            "records_closed": closed,
            "rejected": stats.get("jobmon/rejected", 0),
            "blocked": stats.get("jobmon/blocked", 0),
            "skipped_fresh": stats.get("jobmon/skipped_fresh", 0),
            "errors": stats.get("log_count/ERROR", 0),  # includes every request given up after its retries
            "records_unsaved": unsaved,
        }
        await self.with_retries(lambda: finish_crawl_run(
            self.db, spider.crawl_run_id, status=outcome.status, finish_reason=outcome.finish_reason,
            counts=counts, stats=self.stats.get_stats(), complete=outcome.complete,
            dropped={**dropped, **gave_up(stats)}, note=outcome.note))

    async def with_retries(self, write):
        """The result of ``write()``, tried again like a batch while the store refuses it (the run
        must be closed even after its records were refused); None when it never succeeded."""
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        started, attempt = time.monotonic(), 0
        while True:
            try:
                return write()
            except sqlite3.OperationalError as error:
                attempt += 1
                waited = time.monotonic() - started
                if waited >= self.retry_seconds:
                    logger.error("could not close crawl run %s in the store: %s (%d tries over %.0f s); "
                                 "`jobmon runs` will show it killed", self.spider.crawl_run_id, error, attempt, waited)
                    self.stats.set_value("jobmon/run_unrecorded", str(error))
                    return None
                delay = min(self.retry_delay * 2 ** (attempt - 1), 60.0)
                logger.warning("the store refused to close crawl run %s (%s): try %d again in %.1f s",
                               self.spider.crawl_run_id, error, attempt + 1, delay)
                await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    def keep_unsaved(self) -> Path:
        """Write the records and rejects the store refused, raw, to a JSON Lines file beside it."""
        folder = Path(f"{self.db_path}.unsaved")
        folder.mkdir(exist_ok=True)
        path = folder / f"run-{self.spider.crawl_run_id}-{self.spider.kind}.jsonl"
        with open(path, "a", encoding="utf-8") as out:
            for row in self.rows:
                raw = {c: row.get(c) for c in RAW_COLUMNS[self.spider.kind]}
                out.write(json.dumps(raw, ensure_ascii=False, default=str) + "\n")
            for reject in self.rejects:
                out.write(json.dumps({"reject": reject}, ensure_ascii=False, default=str) + "\n")
        logger.error("%d records and %d rejects the store refused are kept in %s", len(self.rows),
                     len(self.rejects), path)
        self.stats.set_value("jobmon/unsaved_file", str(path))
        return path
