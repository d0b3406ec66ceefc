"""The few write paths into the store: batched upserts keyed by (source, source_id), crawl
runs, rejects, the taxonomy, and whole-week replacement of monitor results.

Bulk paths use ``executemany`` inside one transaction: sqlite-utils' ``upsert_all`` commits
every 999 variables, which is several times slower for the crawl's batches.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain, islice

import sqlite_utils

from .store import now_iso

RECORD_TABLES = ("postings", "seekers")
RESULT_TABLES = ("weekly_metrics", "shortages")
ROWS_PER_INSERT = 200


def ensure_source(db: sqlite_utils.Database, name: str, kind: str, spider: str, start_url: str | None) -> None:
    """Register a source the first time it is crawled; later calls keep the first row."""
    db.conn.execute(
        "INSERT INTO sources (name, kind, spider, start_url, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET start_url = coalesce(excluded.start_url, start_url)",
        (name, kind, spider, start_url, now_iso()),
    )


def start_crawl_run(db: sqlite_utils.Database, source: str, spider: str) -> int:
    """Open a run (a crawl or an import) of ``source``; return its id."""
    return open_crawl_run(db, source, spider, mark_killed=False)["id"]


RUN_COUNTS = ("pages", "items", "records_new", "records_updated", "records_closed", "rejected", "blocked",
              "skipped_fresh", "errors", "records_unsaved")


def dead_runs(db: sqlite_utils.Database) -> list[int]:
    """Ids of runs marked ``running`` whose process (pid on this host) is no longer alive."""
    from .locks import HOST, process_alive

    rows = db.conn.execute("SELECT id, pid, host FROM crawl_runs WHERE status = 'running' AND host = ?",
                           (HOST,)).fetchall()
    return [run_id for run_id, pid, host in rows if process_alive(pid, host) is False]


def open_crawl_run(db: sqlite_utils.Database, source: str, spider: str, *, resume: bool = False,
                   mark_killed: bool = True) -> dict:
    """Open a crawl run of ``source``; return it as a dict (id, started_at, resumed_from, seen_since).

    The run records this process (``pid``, ``host``). With ``mark_killed``, runs still marked
    ``running`` whose process died without closing them (SIGKILL, power loss) become ``failed``
    with finish_reason ``killed``: any run whose pid on this host is gone, and runs of the source
    and spider from before pids were recorded. Call it holding the source's lock (db/locks.py).
    With ``resume`` the run continues the source's latest run when that one did not finish: it
    records ``resumed_from`` and inherits its ``seen_since``, so what the earlier run stored
    counts as seen in this crawl.
    """
    from .locks import HOST

    conn, started = db.conn, now_iso()
    dead = dead_runs(db) if mark_killed else []
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        if mark_killed:
            conn.executemany(
                "UPDATE crawl_runs SET status = 'failed', finish_reason = 'killed', complete = 0, "
                "note = 'its process ended without closing the run (killed?): counts are what it had stored' "
                "WHERE id = ? AND status = 'running'", [(run_id,) for run_id in dead])
            conn.execute(
                "UPDATE crawl_runs SET status = 'failed', finish_reason = 'killed', complete = 0 "
                "WHERE source = ? AND spider = ? AND status = 'running' AND pid IS NULL", (source, spider))
        previous = conn.execute(
            "SELECT id, status, coalesce(seen_since, started_at) FROM crawl_runs WHERE source = ? AND spider = ? "
            "ORDER BY id DESC LIMIT 1", (source, spider)).fetchone()
        resumed_from, seen_since = None, started
        if resume and previous and previous[1] != "finished":
            resumed_from, seen_since = previous[0], previous[2]
        cursor = conn.execute(
            "INSERT INTO crawl_runs (source, spider, started_at, resumed_from, seen_since, pid, host) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (source, spider, started, resumed_from, seen_since, os.getpid(), HOST))
    return {"id": cursor.lastrowid, "started_at": started, "resumed_from": resumed_from, "seen_since": seen_since}


def finish_crawl_run(db: sqlite_utils.Database, run_id: int, *, status: str, finish_reason: str,
                     counts: dict[str, int], stats: dict, complete: bool | None = None,
                     dropped: dict[str, int] | None = None, note: str | None = None) -> None:
    """Close a crawl run (status ``finished``, ``failed`` or ``interrupted``) with its counters
    (pages, items, records_new, records_closed, blocked, skipped_fresh, records_unsaved, ...),
    whether it saw the whole site, what it dropped by reason, a note on how it ended, and its full
    Scrapy stats."""
    columns = [c for c in RUN_COUNTS if c in counts or c not in ("records_unsaved",)]
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, complete = ?, dropped_json = ?, "
            "note = ?, " + ", ".join(f"{c} = ?" for c in columns) + ", stats_json = ? WHERE id = ?",
            (
                now_iso(), status, finish_reason, None if complete is None else int(complete),
                json.dumps(dropped or {}, ensure_ascii=False, sort_keys=True), note,
                *(counts.get(c, 0) for c in columns),
                json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True), run_id,
            ),
        )


def abandon_crawl_run(db: sqlite_utils.Database, run_id: int, *, status: str, finish_reason: str, note: str) -> bool:
    """Close a run its crawl left ``running`` (its process stopped the crawl without closing it,
    e.g. a second Ctrl-C): its counters stay what was committed. False when it was closed."""
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        return db.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, complete = 0, note = ? "
            "WHERE id = ? AND status = 'running'", (now_iso(), status, finish_reason, note, run_id)).rowcount == 1


def record_run_progress(conn: sqlite3.Connection, run_id: int, added: dict[str, int], totals: dict[str, int]) -> None:
    """Inside the caller's transaction: add ``added`` to the run's counters (what this
    transaction commits) and set ``totals`` (counters known only as totals, e.g. pages)."""
    columns = [c for c in added if c in RUN_COUNTS] + [c for c in totals if c in RUN_COUNTS]
    if not columns:
        return
    assignments = [f"{c} = {c} + ?" for c in added if c in RUN_COUNTS] + [f"{c} = ?" for c in totals if c in RUN_COUNTS]
    values = [added[c] for c in added if c in RUN_COUNTS] + [totals[c] for c in totals if c in RUN_COUNTS]
    conn.execute(f"UPDATE crawl_runs SET {', '.join(assignments)} WHERE id = ?", [*values, run_id])


def commit_batch(db: sqlite_utils.Database, table: str, rows: Sequence[dict], rejects: Sequence[dict],
                 seen_at: str, run_id: int, totals: dict[str, int] | None = None) -> tuple[int, int]:
    """Store a crawl's batch in one transaction: the records (as ``upsert_records``), the rejects,
    and the run's counters moved on by what is committed (records_new, records_updated, rejected;
    ``totals`` such as pages set as they are). Either all of it is stored or none: a batch that
    fails (e.g. the store locked past the busy timeout) can be tried again. Returns (new, updated)."""
    conn = db.conn
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        new, updated = _upsert(conn, table, rows, seen_at) if rows else (0, 0)
        if rejects:
            _insert_rejects(conn, rejects)
        record_run_progress(conn, run_id, {"records_new": new, "records_updated": updated,
                                           "rejected": len(rejects)}, totals or {})
    return new, updated


def mark_postings_seen(db: sqlite_utils.Database, source: str, urls: Iterable[str], seen_at: str) -> int:
    """Move ``last_seen`` of the source's postings at ``urls`` to ``seen_at`` (pages not fetched
    again because they are fresh still count as seen); return how many rows moved."""
    urls = list(urls)
    if not urls:
        return 0
    with db.conn:
        db.conn.execute("BEGIN")
        before = db.conn.total_changes
        db.conn.executemany("UPDATE postings SET last_seen = ? WHERE source = ? AND url = ?",
                            [(seen_at, source, url) for url in urls])
        return db.conn.total_changes - before


def close_missing_postings(db: sqlite_utils.Database, source: str, *, seen_since: str, complete: bool,
                           close_after: int, unfetched_urls: Iterable[str] = ()) -> int:
    """Track which of a source's postings a crawl did not see; return how many it closed.

    Postings seen since ``seen_since`` (``last_seen`` from then on) are open: ``misses`` back to
    0 and ``closed_at`` cleared. Only a ``complete`` crawl counts against the others: each open
    posting it did not see gets one more miss, except those at ``unfetched_urls`` (their page
    failed, so the crawl cannot tell); at ``close_after`` misses in a row ``closed_at`` becomes
    ``seen_since``, the start of this crawl.
    """
    conn = db.conn
    with conn:
        conn.execute("BEGIN")
        conn.execute("UPDATE postings SET misses = 0, closed_at = NULL WHERE source = ? AND last_seen >= ? "
                     "AND (misses != 0 OR closed_at IS NOT NULL)", (source, seen_since))
        if not complete:
            return 0
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS unfetched_urls (url TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.unfetched_urls")
        conn.executemany("INSERT OR IGNORE INTO temp.unfetched_urls (url) VALUES (?)", [(u,) for u in unfetched_urls])
        conn.execute("UPDATE postings SET misses = misses + 1 WHERE source = ? AND last_seen < ? AND closed_at IS NULL "
                     "AND (url IS NULL OR url NOT IN (SELECT url FROM temp.unfetched_urls))", (source, seen_since))
        closed = conn.execute("UPDATE postings SET closed_at = ? WHERE source = ? AND closed_at IS NULL AND misses >= ?",
                              (seen_since, source, max(close_after, 1))).rowcount
        conn.execute("DELETE FROM temp.unfetched_urls")
    return closed


def upsert_records(db: sqlite_utils.Database, table: str, rows: Sequence[dict], seen_at: str) -> tuple[int, int]:
    """Insert or update postings/seekers keyed by (source, source_id) in one transaction.

    A new record gets ``first_seen = last_seen = seen_at``; a known one has every other column
    refreshed and ``last_seen`` moved on, keeping its ``first_seen``; a key twice in ``rows``
    keeps its last values. Returns (new, updated).

    New and known keys are told apart first and written with a plain INSERT and an UPDATE: an
    ``INSERT ... ON CONFLICT DO UPDATE`` of the same rows takes twice as long in SQLite.
    """
    if table not in RECORD_TABLES:
        raise ValueError(f"upsert_records writes {RECORD_TABLES}, not {table!r}")
    if not rows:
        return 0, 0
    conn = db.conn
    with conn:
        conn.execute("BEGIN IMMEDIATE")  # no other writer between telling keys apart and writing
        return _upsert(conn, table, rows, seen_at)


def _upsert(conn: sqlite3.Connection, table: str, rows: Sequence[dict], seen_at: str) -> tuple[int, int]:
    """``upsert_records`` inside the caller's write transaction."""
    columns = list(rows[0].keys())
    latest = {(row["source"], row["source_id"]): row for row in rows}
    known = _known_keys(conn, table, latest)
    inserted = [*columns, "first_seen", "last_seen"]
    fresh = [[row[c] for c in columns] + [seen_at, seen_at] for key, row in latest.items() if key not in known]
    if table == "postings":
        # A new posting starts alone in its duplicate cluster: its own id, given here (the
        # write lock is held) so that the row is written once, not inserted then updated.
        first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM postings").fetchone()[0]
        fresh = [[*values, first_id + n, first_id + n] for n, values in enumerate(fresh)]
        inserted += ["id", "cluster_id"]
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(inserted)}) VALUES ({', '.join('?' * len(inserted))})", fresh)
    changed = [c for c in columns if c not in ("source", "source_id")]
    conn.executemany(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)}, last_seen = ? "
        f"WHERE source = ? AND source_id = ?",
        [[row[c] for c in changed] + [seen_at, *key] for key, row in latest.items() if key in known])
    new = len(latest) - len(known)
    return new, len(rows) - new


def _known_keys(conn, table: str, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (source, source_id) keys among ``keys`` that the table already holds."""
    by_source: dict[str, list[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    known = set()
    for source, ids in by_source.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            known.update(conn.execute(
                f"SELECT source, source_id FROM {table} WHERE source = ? AND source_id IN ({', '.join('?' * len(chunk))})",
                [source, *chunk]).fetchall())
    return known


def store_clusters(db: sqlite_utils.Database, ids: Sequence[int], cluster_ids: Sequence[int],
                   rules: Sequence[str | None]) -> int:
    """Write postings' duplicate ``cluster_id`` and ``cluster_rule`` (pass only the rows that
    changed) in one transaction; return how many rows were written.

    Two statements, each over a JSON array, instead of one statement per row: the postings alone
    in their cluster (cluster id = own id, no rule: most of them) and the others. SQLite then
    does the whole update without holding Python's lock, so other threads compute meanwhile."""
    alone = [i for i, cluster, rule in zip(ids, cluster_ids, rules) if cluster == i and rule is None]
    grouped = [(i, cluster, rule) for i, cluster, rule in zip(ids, cluster_ids, rules)
               if not (cluster == i and rule is None)]
    if alone or grouped:
        with db.conn:
            db.conn.execute("BEGIN")
            db.conn.execute("UPDATE postings SET cluster_id = id, cluster_rule = NULL "
                            "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(alone)])
            db.conn.execute(
                "UPDATE postings SET cluster_id = json_extract(c.value, '$[1]'), "
                "cluster_rule = json_extract(c.value, '$[2]') "
                "FROM json_each(?) AS c WHERE postings.id = json_extract(c.value, '$[0]')",
                [json.dumps(grouped, ensure_ascii=False)])
    return len(alone) + len(grouped)


def add_rejects(db: sqlite_utils.Database, rejects: Iterable[dict]) -> int:
    """Record input that could not be used: dicts with crawl_run_id, source, kind, reason, url, raw;
    rows of an imported file also carry its ``file`` and ``line``. The caller masks secrets in the
    url (``crawlers.secrets.mask_url``)."""
    rejects = list(rejects)
    with db.conn:
        db.conn.execute("BEGIN")
        _insert_rejects(db.conn, rejects)
    return len(rejects)


def _insert_rejects(conn: sqlite3.Connection, rejects: Sequence[dict]) -> None:
    """``add_rejects`` inside the caller's transaction."""
    columns = ["crawl_run_id", "source", "kind", "reason", "url", "raw_json", "created_at"]
    if any("file" in r for r in rejects):
        columns += ["file", "line"]
    created = now_iso()
    rows = [
        (r.get("crawl_run_id"), r.get("source"), r["kind"], r["reason"], r.get("url"),
         json.dumps(r.get("raw"), ensure_ascii=False, default=str), created, r.get("file"), r.get("line"))
        [:len(columns)]
        for r in rejects
    ]
    conn.executemany(f"INSERT INTO rejects ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)


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


def replace_weeks(db: sqlite_utils.Database, weeks: Sequence[str],
                  parts: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> None:
    """Replace the rows of ``weeks`` in the monitor result tables atomically: delete them from
    every table, then insert each part (table, columns, rows as value sequences in ``columns``
    order; float NaN is stored as NULL). ``parts`` is read as it is written, so the next part
    can be computed meanwhile."""
    with db.conn:
        db.conn.execute("BEGIN")
        for table in RESULT_TABLES:
            db.conn.executemany(f"DELETE FROM {table} WHERE week = ?", [(week,) for week in weeks])
        for table, columns, rows in parts:
            if table not in RESULT_TABLES:
                raise ValueError(f"replace_weeks writes {RESULT_TABLES}, not {table!r}")
            insert_rows(db.conn, table, columns, rows)


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT ``rows`` with up to ``ROWS_PER_INSERT`` rows per statement: a statement per row
    would pay the statement overhead on every row, which is most of the time of a large write."""
    per_statement = max(1, min(ROWS_PER_INSERT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    one = f"({', '.join('?' * len(columns))})"
    full = head + ", ".join([one] * per_statement)
    rows = iter(rows)
    while batch := list(islice(rows, per_statement)):
        sql = full if len(batch) == per_statement else head + ", ".join([one] * len(batch))
        conn.execute(sql, list(chain.from_iterable(batch)))


SUPPLY_COUNT_KEY = ("source", "period_start", "period_end", "occupation_code", "area")


def upsert_supply_counts(db: sqlite_utils.Database, rows: Sequence[dict], imported_at: str) -> tuple[int, int]:
    """Insert or update official supply counts keyed by (source, period, occupation, area) in one
    transaction; returns (new, updated)."""
    if not rows:
        return 0, 0
    columns = list(rows[0].keys())
    sql = (
        f"INSERT INTO supply_counts ({', '.join(columns)}, imported_at) "
        f"VALUES ({', '.join('?' * len(columns))}, ?) "
        f"ON CONFLICT({', '.join(SUPPLY_COUNT_KEY)}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in [*columns, "imported_at"] if c not in SUPPLY_COUNT_KEY)
    )
    known_sql = "SELECT count(*) FROM supply_counts WHERE " + " AND ".join(f"{c} = ?" for c in SUPPLY_COUNT_KEY)
    conn = db.conn
    with conn:
        conn.execute("BEGIN IMMEDIATE")  # a deferred read upgraded to a write fails beside another writer
        known = sum(conn.execute(known_sql, [row[c] for c in SUPPLY_COUNT_KEY]).fetchone()[0] for row in rows)
        conn.executemany(sql, [[row[c] for c in columns] + [imported_at] for row in rows])
    return len(rows) - known, known
