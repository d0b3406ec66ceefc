"""The few write paths into the store: batched upserts keyed by (source, source_id), crawl
runs, rejects, the taxonomy, and whole-week replacement of monitor results.

Bulk paths use ``executemany`` inside one transaction: sqlite-utils' ``upsert_all`` commits
every 999 variables, which is several times slower for the crawl's batches.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlite_utils

from .store import now_iso

RECORD_TABLES = ("postings", "seekers")
RESULT_TABLES = ("weekly_metrics", "shortages")


def ensure_source(db: sqlite_utils.Database, name: str, kind: str, spider: str, start_url: str | None) -> None:
    """Register a source the first time it is crawled; later calls keep the first row."""
    db.conn.execute(
        "INSERT INTO sources (name, kind, spider, start_url, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET start_url = coalesce(excluded.start_url, start_url)",
        (name, kind, spider, start_url, now_iso()),
    )


def start_crawl_run(db: sqlite_utils.Database, source: str, spider: str) -> int:
    cursor = db.conn.execute(
        "INSERT INTO crawl_runs (source, spider, started_at) VALUES (?, ?, ?)", (source, spider, now_iso())
    )
    return cursor.lastrowid


def finish_crawl_run(db: sqlite_utils.Database, run_id: int, *, status: str, finish_reason: str,
                     counts: dict[str, int], stats: dict) -> None:
    """Close a crawl run with its counters (pages, items, records_new, ...) and full Scrapy stats."""
    db.conn.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, pages = ?, items = ?, "
        "records_new = ?, records_updated = ?, rejected = ?, errors = ?, stats_json = ? WHERE id = ?",
        (
            now_iso(), status, finish_reason,
            counts.get("pages", 0), counts.get("items", 0), counts.get("records_new", 0),
            counts.get("records_updated", 0), counts.get("rejected", 0), counts.get("errors", 0),
            json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True), run_id,
        ),
    )


def upsert_records(db: sqlite_utils.Database, table: str, rows: Sequence[dict], seen_at: str) -> tuple[int, int]:
    """Insert or update postings/seekers keyed by (source, source_id) in one transaction.

    A new record gets ``first_seen = last_seen = seen_at``; a known one has every other column
    refreshed and ``last_seen`` moved on, keeping its ``first_seen``. Returns (new, updated).
    """
    if table not in RECORD_TABLES:
        raise ValueError(f"upsert_records writes {RECORD_TABLES}, not {table!r}")
    if not rows:
        return 0, 0
    columns = list(rows[0].keys())
    keep = {"source", "source_id", "first_seen"}
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, first_seen, last_seen) "
        f"VALUES ({', '.join('?' * len(columns))}, ?, ?) "
        f"ON CONFLICT(source, source_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in [*columns, "last_seen"] if c not in keep)
    )
    conn = db.conn
    with conn:
        conn.execute("BEGIN")
        before = _count_known(conn, table, rows)
        conn.executemany(sql, [[row[c] for c in columns] + [seen_at, seen_at] for row in rows])
    return len(rows) - before, before


def _count_known(conn, table: str, rows: Sequence[dict]) -> int:
    keys = {(r["source"], r["source_id"]) for r in rows}
    known = 0
    by_source: dict[str, list[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    for source, ids in by_source.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            known += conn.execute(
                f"SELECT count(*) FROM {table} WHERE source = ? AND source_id IN ({', '.join('?' * len(chunk))})",
                [source, *chunk],
            ).fetchone()[0]
    return known


def add_rejects(db: sqlite_utils.Database, rejects: Iterable[dict]) -> int:
    """Record input that could not be used: dicts with crawl_run_id, source, kind, reason, url, raw."""
    rows = [
        (r.get("crawl_run_id"), r.get("source"), r["kind"], r["reason"], r.get("url"),
         json.dumps(r.get("raw"), ensure_ascii=False, default=str), now_iso())
        for r in rejects
    ]
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.executemany(
            "INSERT INTO rejects (crawl_run_id, source, kind, reason, url, raw_json, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def load_occupations(db: sqlite_utils.Database, rows: Sequence[dict]) -> None:
    """Replace the occupations table with the shipped taxonomy (same codes, so references hold)."""
    columns = ["code", "level", "level_name", "name", "parent_code", "major_code", "digital", "green",
               "taxonomy_version"]
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.executemany(
            f"INSERT INTO occupations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            "ON CONFLICT(code) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in columns[1:]),
            [[r[c] for c in columns] for r in rows],
        )


def replace_week(db: sqlite_utils.Database, table: str, week: str, rows: Sequence[dict]) -> None:
    """Replace one week's rows of a monitor result table atomically."""
    if table not in RESULT_TABLES:
        raise ValueError(f"replace_week writes {RESULT_TABLES}, not {table!r}")
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.execute(f"DELETE FROM {table} WHERE week = ?", (week,))
        if rows:
            columns = list(rows[0].keys())
            db.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[r[c] for c in columns] for r in rows],
            )
