"""Incremental and resumable crawls of a board on 127.0.0.1 with the real Scrapy engine in child
processes and a real SQLite store: postings missing from consecutive complete crawls close,
fresh detail pages are not fetched again, and a crawl killed with SIGKILL resumes with nothing
lost or doubled."""
import dataclasses
import os
import signal
import sqlite3
import subprocess
import time

import pytest
from click.testing import CliRunner

from crawlers.board.market import build_market
from db.store import open_db
from monitor.cli import main

from .crawling import ROOT, crawl, crawl_command
from .fault_server import FaultyBoard



@pytest.fixture(scope="module")
def market():
    return build_market(postings=1500, seekers=1100, seed=13, weeks=12, end_week="2026-W46")


def postings(db_path) -> dict[str, tuple]:
    db = open_db(db_path)
    try:
        return {row[0]: row[1:] for row in db.execute("SELECT source_id, misses, closed_at FROM postings")}
    finally:
        db.conn.close()


def test_postings_missing_from_consecutive_complete_crawls_close(market, tmp_path):
    small = dataclasses.replace(market, postings=market.postings[:300])
    readable = {p.id for p in small.postings if p.broken is None}
    gone = {p.id for p in small.postings[:20] if p.broken is None}
    db = tmp_path / "store.db"
    with FaultyBoard(small) as board:
        start = f"{board.url}/sitemap.xml"
        first = crawl(start, db)
        assert first["records_new"] == len(readable) and first["complete"] == 1
        board.serve(dataclasses.replace(small, postings=[p for p in small.postings if p.id not in gone]))
        second = crawl(start, db)  # fresh pages are not fetched again, but count as seen
        assert second["skipped_fresh"] == len(readable - gone) and second["pages"] < 10
        assert {k for k, (misses, closed) in postings(db).items() if misses} == gone
        assert second["records_closed"] == 0
        third = crawl(start, db, JOBMON_REFETCH_TTL_HOURS=0)  # fetched again, the same outcome
        assert third["records_updated"] == len(readable - gone) and third["records_closed"] == len(gone)
        state = postings(db)
        assert {k for k, (_, closed) in state.items() if closed} == gone
        assert {closed for k, (_, closed) in state.items() if closed} == {third["seen_since"]}
        board.faults.script["/sitemaps/jobs-1.xml"] = ["5xx"] * 10  # an incomplete crawl counts no misses
        incomplete = crawl(start, db, RETRY_TIMES=1)
        # its only sitemap lost, it got nothing: failed, and incomplete
        assert incomplete["complete"] == 0 and (incomplete["status"], incomplete["finish_reason"]) == (
            "failed", "pages_lost")
        assert postings(db) == state
        board.faults.script.clear()
        board.serve(small)  # back again: reopened
        crawl(start, db)
        assert all(misses == 0 and closed is None for misses, closed in postings(db).values())
    table = CliRunner().invoke(main, ["runs", "--db", str(db)]).output.splitlines()
    assert table[0].split() == ["run", "source", "started", "seconds", "status", "complete", "pages", "new",
                                "updated", "closed", "fresh", "blocked", "dropped", "errors"]
    assert [line.split()[9] for line in table[2:]] == ["0", "0", str(len(gone)), "0", "0"]  # newest first
    assert "gave_up/http_500 1" in table[3]


def test_crawl_killed_with_sigkill_resumes_with_nothing_lost_or_doubled(market, tmp_path):
    readable = {p.id for p in market.postings if p.broken is None}
    db, jobdir = tmp_path / "store.db", tmp_path / "job"
    with FaultyBoard(market) as board:
        # No TTL: only the resume makes the second run skip what the first one stored.
        command = crawl_command(f"{board.url}/sitemap.xml", db, JOBDIR=jobdir, JOBMON_REFETCH_TTL_HOURS=0,
                                CONCURRENT_REQUESTS_PER_DOMAIN=8, JOBMON_FLUSH_INTERVAL=1)
        child = subprocess.Popen(command, cwd=ROOT)
        stored_at_kill = 0
        deadline = time.monotonic() + 60
        while stored_at_kill < 300 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
            if db.exists():
                connection = sqlite3.connect(db)
                try:
                    stored_at_kill = connection.execute("SELECT count(*) FROM postings").fetchone()[0]
                except sqlite3.OperationalError:  # the schema is still being created
                    pass
                finally:
                    connection.close()
        assert child.poll() is None, "the crawl ended before it could be killed: slow it down"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        fetched_before = len([1 for _, path, _, _ in board.log if path.startswith("/jobs/")])
        subprocess.run(command, cwd=ROOT, check=True, timeout=120)
        fetched_after = len([1 for _, path, _, _ in board.log if path.startswith("/jobs/")]) - fetched_before
    store = open_db(db)
    stored = [row[0] for row in store.execute("SELECT source_id FROM postings")]
    runs = [dict(r) for r in store.query("SELECT * FROM crawl_runs ORDER BY id")]
    print(f"\nkilled with {stored_at_kill} stored after {fetched_before} detail pages; resumed run fetched "
          f"{fetched_after}, skipped {runs[1]['skipped_fresh']}; stored {len(stored)} of {len(readable)}")
    assert len(stored) == len(set(stored)) and set(stored) == readable
    assert (runs[0]["status"], runs[0]["finish_reason"]) == ("failed", "killed")
    assert runs[1]["status"] == "finished" and runs[1]["resumed_from"] == runs[0]["id"]
    assert runs[1]["skipped_fresh"] >= stored_at_kill
    assert fetched_after < len(market.postings) - stored_at_kill + 50  # continued, not started over
    assert not (jobdir / "requests.seen").exists()  # a finished crawl leaves the dir fresh
