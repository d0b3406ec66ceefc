"""`jobmon crawl` tells the truth about its own run (issue 13, "Honest status"): sites on
127.0.0.1, the real Scrapy engine in a child process, a real SQLite store. A crawl that got
nothing fails with the reason and a non-zero exit code; Ctrl-C and SIGTERM give `interrupted`
and 130 / 143; the run printed is the command's own, not the newest in the store; the scheduler
logs the crawl's real outcome."""
import json
import logging
import signal
import threading
import time

import pytest

from crawlers.board.market import build_market
from monitor import exitcodes, scheduling

from ..fault_server import Faults, FaultyBoard
from .helpers import (Route, ScriptedSite, count, free_port, jobmon, runs, source_file, start_jobmon,
                      wait_for)

SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           '<url><loc>{url}/jobs/1.html</loc></url></urlset>')


def test_the_exit_code_table_is_the_readmes():
    readme = (exitcodes.__file__.rsplit("/monitor/", 1)[0] + "/README.md")
    text = open(readme, encoding="utf-8").read()
    for code in (exitcodes.COMPLETE, exitcodes.FAILED, exitcodes.USAGE, exitcodes.PARTIAL, exitcodes.BUSY,
                 *exitcodes.INTERRUPTED.values()):
        assert f"| {code} |" in text
    assert len({exitcodes.COMPLETE, exitcodes.FAILED, exitcodes.USAGE, exitcodes.PARTIAL, exitcodes.BUSY,
                *exitcodes.INTERRUPTED.values()}) == 7


def test_an_unreachable_site_fails_with_its_reason(tmp_path):
    db = tmp_path / "jobmon.db"
    result = jobmon("crawl", "--url", f"http://127.0.0.1:{free_port()}/sitemap.xml", "--source", "gone",
                    "--db", str(db))
    assert result.returncode == exitcodes.FAILED, result.stdout + result.stderr[-2000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"], run["complete"]) == ("failed", "unreachable", 0)
    assert f"run {run['id']} failed (unreachable)" in result.stdout
    assert "no page answered" in run["note"] and "ConnectionRefusedError" in run["note"]


def test_a_site_whose_robots_txt_forbids_everything_fails_as_blocked(tmp_path):
    routes = {"/robots.txt": Route(body="User-agent: *\nDisallow: /\n"), "/sitemap.xml": Route(body="")}
    with ScriptedSite(routes) as site:
        routes["/sitemap.xml"].body = SITEMAP.format(url=site.url)
        db = tmp_path / "jobmon.db"
        result = jobmon("crawl", str(source_file(tmp_path, "closed-site", site.url)), "--db", str(db))
        assert "/sitemap.xml" not in site.hits
    assert result.returncode == exitcodes.FAILED, result.stdout + result.stderr[-2000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"]) == ("failed", "robots_blocked")
    assert json.loads(run["dropped_json"]) == {"robots_forbidden": 1}
    assert "failed (robots_blocked)" in result.stdout and "robots.txt forbids every page" in result.stdout


def test_a_redirect_loop_fails_as_such(tmp_path):
    routes = {"/robots.txt": Route(body="User-agent: *\nAllow: /\n"),
              "/sitemap.xml": Route(302, headers={"Location": "/moved.xml"}),
              "/moved.xml": Route(302, headers={"Location": "/sitemap.xml"})}
    with ScriptedSite(routes) as site:
        db = tmp_path / "jobmon.db"
        result = jobmon("crawl", str(source_file(tmp_path, "loop-site", site.url)), "--db", str(db))
    assert result.returncode == exitcodes.FAILED, result.stdout + result.stderr[-2000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"]) == ("failed", "redirect_loop")
    assert json.loads(run["dropped_json"]) == {"gave_up/redirect_loop": 1}
    assert "failed (redirect_loop)" in result.stdout


@pytest.fixture(scope="module")
def market():
    return build_market(postings=400, seekers=300, seed=21, weeks=12, end_week="2026-W46")


@pytest.mark.slow
@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_crawl_says_so_and_exits_128_plus_the_signal(market, tmp_path, signum, code):
    db = tmp_path / "jobmon.db"
    with FaultyBoard(market) as board:
        # one request at a time, 20 ms apart: slow enough to stop mid-way
        path = source_file(tmp_path, "board", board.url, download_delay=0.02, concurrency=1)
        crawl = start_jobmon("crawl", str(path), "--db", str(db), JOBMON_FLUSH_INTERVAL="0.2")
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 20, what="the first postings stored")
        crawl.send_signal(signum)
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == code, out + err[-2000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"], run["complete"]) == ("interrupted", signum.name, 0)
    stored = count(db, "SELECT count(*) FROM postings")
    assert 20 <= stored < len(market.postings) and run["records_new"] == stored
    assert f"run {run['id']} interrupted ({signum.name})" in out


@pytest.mark.slow
def test_a_second_ctrl_c_still_leaves_an_honest_run(market, tmp_path):
    """The second Ctrl-C stops Scrapy at once, before the run is closed: `jobmon crawl` closes it,
    interrupted, with the counts of what was stored."""
    db = tmp_path / "jobmon.db"
    # half the pages hang (30 s, the download timeout): the graceful stop waits for them
    sitemaps_answer = {path: ["ok"] for path in ["/sitemap.xml", *(f"/sitemaps/jobs-{n}.xml" for n in range(1, 9))]}
    with FaultyBoard(market, Faults(seed=2, hang=0.5, script=sitemaps_answer)) as board:
        path = source_file(tmp_path, "board", board.url, concurrency=8)
        crawl = start_jobmon("crawl", str(path), "--db", str(db), JOBMON_FLUSH_INTERVAL="0.2")
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 3, what="the first postings stored")
        crawl.send_signal(signal.SIGINT)
        time.sleep(0.3)
        crawl.send_signal(signal.SIGINT)
        out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 130, out + err[-2000:]
    (run,) = runs(db)
    assert (run["status"], run["finish_reason"]) == ("interrupted", "SIGINT")
    assert run["records_new"] == count(db, "SELECT count(*) FROM postings") >= 3
    assert f"run {run['id']} interrupted (SIGINT)" in out and "without closing its run" in out


def test_crawl_prints_its_own_run_not_the_newest(tmp_path):
    """A slow crawl opened first, a quick one opened and closed meanwhile: the slow one prints its
    own run, though the quick one's is the newest in the store."""
    db = tmp_path / "jobmon.db"
    gate = threading.Event()
    slow_routes = {"/robots.txt": Route(body=""), "/sitemap.xml": Route(body="", gate=gate)}
    quick_routes = {"/robots.txt": Route(body=""), "/sitemap.xml": Route(body="")}
    with ScriptedSite(slow_routes) as slow_site, ScriptedSite(quick_routes) as quick_site:
        slow_routes["/sitemap.xml"].body = SITEMAP.format(url=slow_site.url)
        quick_routes["/sitemap.xml"].body = SITEMAP.format(url=quick_site.url)
        slow = start_jobmon("crawl", str(source_file(tmp_path, "slow-site", slow_site.url)), "--db", str(db))
        wait_for(lambda: count(db, "SELECT count(*) FROM crawl_runs") == 1, what="the slow crawl's run")
        quick = jobmon("crawl", str(source_file(tmp_path, "quick-site", quick_site.url)), "--db", str(db))
        assert slow.poll() is None
        gate.set()
        out, err = slow.communicate(timeout=60)
    slow_run, quick_run = runs(db)
    assert (slow_run["source"], quick_run["source"]) == ("slow-site", "quick-site")
    assert quick.stdout.startswith(f"run {quick_run['id']} ")
    assert out.startswith(f"run {slow_run['id']} "), out + err[-2000:]
    # its one posting page is a 404 (the posting is gone): it ended on its own with nothing found
    assert slow_run["status"] == "finished" and slow_run["complete"] == 0
    assert slow.returncode == exitcodes.PARTIAL and "incomplete: no records found" in out


def test_the_scheduler_logs_a_failed_crawl_as_failed(tmp_path, caplog):
    db = tmp_path / "jobmon.db"
    path = source_file(tmp_path, "gone", f"http://127.0.0.1:{free_port()}")
    with caplog.at_level(logging.INFO, logger="jobmon.scheduler"):
        with pytest.raises(RuntimeError, match=r"exit status 1 .*\n.*failed \(unreachable\)"):
            scheduling.crawl_source("gone", str(path), str(db))
    assert not any("finished" in record.getMessage() for record in caplog.records)
