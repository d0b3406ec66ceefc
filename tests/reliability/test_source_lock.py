"""One crawl of a source at a time, held by the crawl itself (issue 13): a second `jobmon crawl`
of a source being crawled ends at once with its own exit code and says who holds it; the
scheduler (a daemon restarted while its crawl still runs) does not start a second one; a lock
whose holder died is free."""
import logging
import threading

from db.locks import lock_path
from monitor import exitcodes, scheduling

from .helpers import Route, ScriptedSite, count, jobmon, runs, source_file, start_jobmon, wait_for

SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           '<url><loc>{url}/jobs/1.html</loc></url></urlset>')


def gated_site():
    gate = threading.Event()
    routes = {"/robots.txt": Route(body=""), "/sitemap.xml": Route(body="", gate=gate)}
    return gate, routes


def test_a_second_crawl_of_a_source_being_crawled_exits_busy(tmp_path, caplog):
    db = tmp_path / "jobmon.db"
    gate, routes = gated_site()
    with ScriptedSite(routes) as site:
        routes["/sitemap.xml"].body = SITEMAP.format(url=site.url)
        path = source_file(tmp_path, "site-a", site.url)
        # e.g. the crawl a SIGKILLed scheduler daemon left running
        first = start_jobmon("crawl", str(path), "--db", str(db))
        wait_for(lambda: count(db, "SELECT count(*) FROM crawl_runs") == 1, what="the first crawl's run")
        second = jobmon("crawl", str(path), "--db", str(db))
        with caplog.at_level(logging.INFO, logger="jobmon.scheduler"):
            skipped = scheduling.crawl_source("site-a", str(path), str(db))   # a restarted daemon's job
        gate.set()
        out, err = first.communicate(timeout=60)
    assert second.returncode == exitcodes.BUSY, second.stdout + second.stderr[-2000:]
    assert f"another crawl of site-a is running (pid {first.pid} on " in second.stderr
    assert skipped == -1 and f"pid {first.pid}" in caplog.text and "skipped" in caplog.text
    assert [run["source"] for run in runs(db)] == ["site-a"]           # no second run started
    assert first.returncode == exitcodes.PARTIAL, out + err[-2000:]    # its one page is a 404
    assert site.hits.count("/sitemap.xml") == 1
    # released on exit: the next crawl runs
    gate.set()
    with ScriptedSite(routes) as site:
        routes["/sitemap.xml"].body = SITEMAP.format(url=site.url)
        assert jobmon("crawl", str(source_file(tmp_path, "site-a", site.url)), "--db", str(db)).returncode \
            == exitcodes.PARTIAL
    assert len(runs(db)) == 2


def test_a_lock_file_left_by_a_dead_crawl_is_free(tmp_path):
    db = tmp_path / "jobmon.db"
    stale = lock_path(db, "site-b")
    stale.parent.mkdir()
    stale.write_text("pid 999999 on somewhere since 2026-01-01T00:00:00+00:00\n", encoding="utf-8")
    gate, routes = gated_site()
    gate.set()
    with ScriptedSite(routes) as site:
        routes["/sitemap.xml"].body = SITEMAP.format(url=site.url)
        result = jobmon("crawl", str(source_file(tmp_path, "site-b", site.url)), "--db", str(db))
    assert result.returncode == exitcodes.PARTIAL, result.stderr[-2000:]
    assert stale.read_text(encoding="utf-8") == ""    # emptied on release
