"""Nothing lost when the store is locked (issue 13, "Nothing lost"): another process holds the
store's write lock longer than the crawl's busy timeout (shortened for the test with
JOBMON_BUSY_TIMEOUT); the crawl keeps its records, pauses, tries again with a doubling wait and
logs it. A lock released in time loses nothing; one that outlasts the retries fails the run,
exit code 1, with every record accounted for."""
import json
import sqlite3
import subprocess

import pytest

from crawlers.board.market import build_market
from monitor import exitcodes

from ..crawling import ROOT, crawl_command
from ..fault_server import FaultyBoard
from .helpers import count, runs, source_file, start_jobmon, store_locked, wait_for

QUICK_RETRIES = {"JOBMON_BUSY_TIMEOUT": "0.2", "JOBMON_STORE_RETRY_DELAY": "0.2"}


@pytest.fixture(scope="module")
def market():
    return build_market(postings=600, seekers=400, seed=17, weeks=12, end_week="2026-W46")


@pytest.mark.slow
def test_a_lock_held_past_the_busy_timeout_loses_nothing(market, tmp_path):
    readable = {p.id for p in market.postings if p.broken is None}
    db = tmp_path / "store.db"
    with FaultyBoard(market) as board:
        command = crawl_command(f"{board.url}/sitemap.xml", db, CONCURRENT_REQUESTS_PER_DOMAIN=2,
                                JOBMON_BATCH_SIZE=50, JOBMON_FLUSH_INTERVAL=0.2, LOG_LEVEL="INFO",
                                JOBMON_STORE_RETRY_SECONDS=60, **QUICK_RETRIES)
        crawl = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 50, what="the first batch stored")
        with store_locked(db, seconds=3):   # 15 times the busy timeout
            pass
        _, log = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, log[-3000:]
    stored = [row[0] for row in sqlite3.connect(db).execute("SELECT source_id FROM postings")]
    assert len(stored) == len(set(stored)) and set(stored) == readable
    (run,) = runs(db)
    assert (run["status"], run["complete"], run["records_unsaved"]) == ("finished", 1, 0)
    assert run["records_new"] == len(readable)
    stats = json.loads(run["stats_json"])
    assert stats["jobmon/store_retries"] >= 3   # tried again, with a doubling wait ...
    assert "kept in memory, crawl paused" in log and "the store took the" in log   # ... and said so


@pytest.mark.slow
def test_a_lock_that_outlasts_the_retries_fails_the_run_with_every_record_accounted_for(market, tmp_path):
    db = tmp_path / "jobmon.db"
    with FaultyBoard(market) as board:
        path = source_file(tmp_path, "board", board.url, download_delay=0.01, concurrency=2)
        crawl = start_jobmon("crawl", str(path), "--db", str(db), JOBMON_FLUSH_INTERVAL="0.2",
                             JOBMON_STORE_RETRY_SECONDS="2", **QUICK_RETRIES)
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 20, what="the first postings stored")
        with store_locked(db):   # until the crawl gives up
            lines = []
            for line in crawl.stderr:
                lines.append(line)
                if "giving up: the store refused" in line:
                    break
        out, err = crawl.communicate(timeout=120)
    err = "".join(lines) + err
    assert crawl.returncode == exitcodes.FAILED, out + err[-3000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"], run["complete"]) == ("failed", "store_write_failed", 0)
    assert "database is locked" in run["note"]
    stored = count(db, "SELECT count(*) FROM postings")
    rejected = count(db, "SELECT count(*) FROM rejects")
    assert run["records_new"] == stored and run["rejected"] == rejected
    # every record the spider produced is stored, or counted as not stored and kept in a file
    kept = [json.loads(line) for line in open(f"{db}.unsaved/run-{run['id']}-postings.jsonl", encoding="utf-8")]
    kept_records = [k for k in kept if "reject" not in k]
    assert run["records_unsaved"] == len(kept_records) > 0
    assert stored + run["records_updated"] + rejected + len(kept) == run["items"]
    assert {k["source_id"] for k in kept_records}.isdisjoint(
        {row[0] for row in sqlite3.connect(db).execute("SELECT source_id FROM postings")})
    assert f"run {run['id']} failed (store_write_failed)" in out and f"{len(kept_records)} NOT STORED" in out
