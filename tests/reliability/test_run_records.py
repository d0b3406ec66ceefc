"""A run's record shows what it stored, whatever happens to its process (issue 13, "counts as
committed"): records and pages are counted in the same transaction that stores them, so a crawl
killed with SIGKILL shows its real counts; the run records its pid and host, so `jobmon runs`
shows a run whose process is gone as killed, and the next crawl marks it so in the store."""
import json
import os
import signal
import sqlite3
import subprocess

import pytest

from crawlers.board.market import build_market
from monitor import exitcodes

from ..crawling import ROOT, crawl_command
from ..fault_server import FaultyBoard
from .helpers import count, free_port, jobmon, runs, wait_for


@pytest.fixture(scope="module")
def market():
    return build_market(postings=600, seekers=400, seed=19, weeks=12, end_week="2026-W46")


@pytest.mark.slow
def test_a_crawl_killed_with_sigkill_shows_what_it_stored(market, tmp_path):
    db = tmp_path / "store.db"
    with FaultyBoard(market) as board:
        command = crawl_command(f"{board.url}/sitemap.xml", db, CONCURRENT_REQUESTS_PER_DOMAIN=2,
                                JOBMON_FLUSH_INTERVAL=0.2, JOBMON_BATCH_SIZE=25)
        crawl = subprocess.Popen(command, cwd=ROOT)
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 100, what="100 postings stored")
        assert crawl.poll() is None, "the crawl ended before it could be killed"
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
    stored = count(db, "SELECT count(*) FROM postings")
    (run,) = runs(db)
    assert run["records_new"] == stored >= 100          # counted as committed, not at the end
    assert run["pages"] >= stored and run["items"] >= stored
    assert run["status"] == "running" and run["pid"] == crawl.pid and run["host"] == os.uname().nodename

    # `jobmon runs` tells a dead process from a running one ...
    shown = json.loads(jobmon("runs", "--format", "json", "--db", str(db)).stdout)
    assert (shown[0]["status"], shown[0]["finish_reason"]) == ("failed", "killed")
    assert shown[0]["records_new"] == stored
    table = jobmon("runs", "--db", str(db)).stdout.splitlines()
    assert table[2].split()[4] == "killed"
    # ... and the next crawl, of any source, marks it so in the store
    result = jobmon("crawl", "--url", f"http://127.0.0.1:{free_port()}/sitemap.xml", "--source", "other",
                    "--db", str(db))
    assert result.returncode == exitcodes.FAILED
    killed, other = runs(db)
    assert (killed["status"], killed["finish_reason"], killed["records_new"]) == ("failed", "killed", stored)
    assert "ended without closing the run" in killed["note"]
    assert other["source"] == "other" and other["pid"] != crawl.pid


def test_a_running_crawl_is_not_marked_killed(tmp_path):
    """A run whose process is alive (this test's) stays running for `jobmon runs` and other crawls."""
    from db.store import open_db
    from db.writes import ensure_source, open_crawl_run

    db = tmp_path / "jobmon.db"
    store = open_db(db)
    ensure_source(store, "alive", "postings", "jobposting", None)
    alive = open_crawl_run(store, "alive", "jobposting")["id"]
    store.conn.close()
    shown = json.loads(jobmon("runs", "--format", "json", "--db", str(db)).stdout)
    assert shown[0]["status"] == "running"
    jobmon("crawl", "--url", f"http://127.0.0.1:{free_port()}/sitemap.xml", "--source", "other", "--db", str(db))
    assert runs(db)[0]["id"] == alive and runs(db)[0]["status"] == "running"
    sqlite3.connect(db).close()
