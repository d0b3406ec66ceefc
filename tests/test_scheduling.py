"""Scheduling: triggers from tables with a pinned time zone (no sleeping), schedules persisted in
the store's SQLite file across scheduler instances, coalesced misfires, the lock that keeps one
crawl of a source at a time, the weekly monitor job run for real, and the daemon's clean stop."""
import json
import queue
import signal
import sqlite3
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from click.testing import CliRunner

from db.store import open_db
from monitor import scheduling
from monitor.cli import main

SHANGHAI = ZoneInfo("Asia/Shanghai")

# (cron, time zone, now, next fire) — next fire is at or after now.
TRIGGERS = [
    ("weekly monitor from Sunday afternoon", scheduling.MONITOR_CRON, "Asia/Shanghai",
     datetime(2026, 11, 22, 15, 40, tzinfo=SHANGHAI), datetime(2026, 11, 22, 22, 0, tzinfo=UTC)),
    ("weekly monitor: Monday 06:00 Shanghai is Sunday 22:00 UTC", scheduling.MONITOR_CRON, "Asia/Shanghai",
     datetime(2026, 11, 22, 21, 59, tzinfo=UTC), datetime(2026, 11, 23, 6, 0, tzinfo=SHANGHAI)),
    ("weekly monitor just after it fired", scheduling.MONITOR_CRON, "Asia/Shanghai",
     datetime(2026, 11, 23, 6, 0, 1, tzinfo=SHANGHAI), datetime(2026, 11, 30, 6, 0, tzinfo=SHANGHAI)),
    ("daily 03:00, before it", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 11, 22, 2, 59, tzinfo=SHANGHAI), datetime(2026, 11, 22, 3, 0, tzinfo=SHANGHAI)),
    ("daily 03:00, at it", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 11, 22, 3, 0, tzinfo=SHANGHAI), datetime(2026, 11, 22, 3, 0, tzinfo=SHANGHAI)),
    ("daily 03:00, after it: tomorrow", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 11, 22, 3, 0, 1, tzinfo=SHANGHAI), datetime(2026, 11, 23, 3, 0, tzinfo=SHANGHAI)),
    ("daily 03:00 Shanghai is 19:00 UTC the day before", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 11, 22, 7, 40, tzinfo=UTC), datetime(2026, 11, 22, 19, 0, tzinfo=UTC)),
    ("daily 03:00 UTC", "0 3 * * *", "UTC",
     datetime(2026, 11, 22, 7, 40, tzinfo=UTC), datetime(2026, 11, 23, 3, 0, tzinfo=UTC)),
    ("across the month end", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 11, 30, 4, 0, tzinfo=SHANGHAI), datetime(2026, 12, 1, 3, 0, tzinfo=SHANGHAI)),
    ("across the year end", "0 3 * * *", "Asia/Shanghai",
     datetime(2026, 12, 31, 23, 0, tzinfo=SHANGHAI), datetime(2027, 1, 1, 3, 0, tzinfo=SHANGHAI)),
    ("weekdays: Friday evening → Monday", "0 2 * * mon-fri", "Asia/Shanghai",
     datetime(2026, 11, 20, 20, 0, tzinfo=SHANGHAI), datetime(2026, 11, 23, 2, 0, tzinfo=SHANGHAI)),
    ("every 6 hours at :30", "30 */6 * * *", "Asia/Shanghai",
     datetime(2026, 11, 22, 6, 31, tzinfo=SHANGHAI), datetime(2026, 11, 22, 12, 30, tzinfo=SHANGHAI)),
]


@pytest.mark.parametrize("name,cron,zone,now,expected", TRIGGERS, ids=[t[0] for t in TRIGGERS])
def test_next_fire_time(name, cron, zone, now, expected):
    fire = scheduling.next_fire(scheduling.cron_trigger(cron, zone), now)
    assert fire == expected
    assert fire.utcoffset() == expected.astimezone(ZoneInfo(zone)).utcoffset()


WEEKS_JUST_ENDED = [
    (datetime(2026, 11, 23, 6, 0, tzinfo=SHANGHAI), "2026-W47"),   # Monday morning: last week
    (datetime(2026, 11, 22, 22, 0, tzinfo=UTC), "2026-W47"),       # the same instant in UTC
    (datetime(2026, 11, 22, 15, 59, tzinfo=UTC), "2026-W46"),      # still Sunday in Shanghai
    (datetime(2026, 11, 29, 23, 59, tzinfo=SHANGHAI), "2026-W47"), # Sunday night: week not over
    (datetime(2027, 1, 4, 6, 0, tzinfo=SHANGHAI), "2026-W53"),     # 2026 has 53 ISO weeks
    (datetime(2026, 1, 5, 6, 0, tzinfo=SHANGHAI), "2026-W01"),
]


@pytest.mark.parametrize("now,week", WEEKS_JUST_ENDED, ids=[w for _, w in WEEKS_JUST_ENDED])
def test_week_just_ended(now, week):
    assert scheduling.week_just_ended(now) == week


def test_a_bad_cron_expression_says_the_form():
    with pytest.raises(scheduling.ScheduleError, match="five fields"):
        scheduling.cron_trigger("0 3 * *")
    with pytest.raises(scheduling.ScheduleError):
        scheduling.cron_trigger("0 25 * * *")


def source_file(folder, name, schedule=None):
    """A minimal valid YAML source (as `jobmon crawl SOURCE` reads them) in ``folder``."""
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nkind: postings\nshape: jsonld\ncity: 北京市\n"
                    f"start_urls: ['http://127.0.0.1:9/jobs/']\n"
                    + (f"schedule: '{schedule}'\n" if schedule else ""), encoding="utf-8")
    return path


def test_a_source_is_found_by_path_or_name_and_kept_as_an_absolute_path(tmp_path, monkeypatch):
    path = source_file(tmp_path, "site-a", "0 3 * * *")
    assert scheduling.resolve_source(str(path)) == ("site-a", str(path.resolve()), "0 3 * * *")
    monkeypatch.setenv("JOBMON_SOURCES", str(tmp_path))
    assert scheduling.resolve_source("site-a")[1] == str(path.resolve())
    with pytest.raises(scheduling.ScheduleError, match="no source file or source named 'site-z'"):
        scheduling.resolve_source("site-z")
    (tmp_path / "broken.yaml").write_text("name: broken\nkind: nonsense\n", encoding="utf-8")
    with pytest.raises(scheduling.ScheduleError, match="has problems"):
        scheduling.resolve_source(str(tmp_path / "broken.yaml"))


def test_the_source_files_own_schedule_is_the_default(tmp_path):
    db = tmp_path / "jobmon.db"
    with scheduling.editing(db) as scheduler:
        job = scheduling.add_crawl_job(scheduler, str(source_file(tmp_path, "site-a", "15 4 * * *")), None, db)
        assert scheduling.job_rows(scheduler)[0]["cron"] == "15 4 * * *"
        assert job.args == ("site-a", str((tmp_path / "site-a.yaml").resolve()), str(db.resolve()))
        with pytest.raises(scheduling.ScheduleError, match="give --cron"):
            scheduling.add_crawl_job(scheduler, str(source_file(tmp_path, "site-b")), None, db)


def test_schedules_survive_a_new_scheduler_on_the_same_file(tmp_path):
    db = tmp_path / "jobmon.db"
    open_db(db).conn.close()
    site_a, site_b = source_file(tmp_path, "site-a"), source_file(tmp_path, "site-b")
    with scheduling.editing(db) as first:
        scheduling.add_crawl_job(first, str(site_a), "0 3 * * *", db)
        scheduling.add_crawl_job(first, str(site_b), "30 */6 * * *", db)
        scheduling.add_monitor_job(first, db)
        first.pause_job("crawl:site-b")
        before = scheduling.job_rows(first)
    with scheduling.editing(db) as second:
        after = scheduling.job_rows(second)
        monitor = second.get_job(scheduling.MONITOR_JOB_ID)
        crawl = second.get_job("crawl:site-a")
    assert after == before
    assert {row["id"]: row["state"] for row in after} == {
        "crawl:site-a": "scheduled", "crawl:site-b": "paused", "monitor-weekly": "scheduled"}
    assert {row["id"]: row["cron"] for row in after}["crawl:site-b"] == "30 */6 * * *"
    # stored as references to module-level functions with plain arguments
    assert crawl.func_ref == "monitor.scheduling:crawl_source"
    assert crawl.args == ("site-a", str(site_a.resolve()), str(db.resolve()))
    assert monitor.func_ref == "monitor.scheduling:weekly_monitor"
    assert monitor.next_run_time.weekday() == 0 and monitor.next_run_time.hour == 6
    rows = sqlite3.connect(db).execute("SELECT id FROM apscheduler_jobs ORDER BY id").fetchall()
    assert rows == [("crawl:site-a",), ("crawl:site-b",), ("monitor-weekly",)]
    # the store is still a jobmon store
    assert "postings" in open_db(db).table_names()


def test_adding_a_source_again_replaces_its_schedule(tmp_path):
    db = tmp_path / "jobmon.db"
    site_a = str(source_file(tmp_path, "site-a"))
    with scheduling.editing(db) as scheduler:
        scheduling.add_crawl_job(scheduler, site_a, "0 3 * * *", db)
        scheduling.add_crawl_job(scheduler, site_a, "0 4 * * *", db)
        assert [(row["id"], row["cron"]) for row in scheduling.job_rows(scheduler)] == [
            ("crawl:site-a", "0 4 * * *")]


def test_misfires_are_coalesced_and_one_run_at_a_time(tmp_path):
    db = tmp_path / "jobmon.db"
    with scheduling.editing(db) as scheduler:
        crawl = scheduling.add_crawl_job(scheduler, str(source_file(tmp_path, "site-a")), "0 3 * * *", db)
        monitor = scheduling.add_monitor_job(scheduler, db)
        for job in (crawl, monitor):
            assert job.coalesce is True
            assert job.max_instances == 1
        assert crawl.misfire_grace_time == scheduling.CRAWL_GRACE_SECONDS == 6 * 3600
        assert monitor.misfire_grace_time == scheduling.MONITOR_GRACE_SECONDS


CALLS: list[str] = []


def record_call(label: str) -> None:
    """A job function for the tests (module level, so the job store can keep a reference)."""
    CALLS.append(label)


def _run_until(scheduler, codes, count=1, timeout=30):
    """Start ``scheduler`` and wait (bounded, on an Event) until ``count`` events of ``codes``."""
    events, done = [], threading.Event()

    def listen(event):
        events.append(event)
        if len(events) >= count:
            done.set()

    scheduler.add_listener(listen, codes)
    scheduler.start()
    assert done.wait(timeout), "the job did not run in time"
    scheduler.shutdown(wait=True)
    return events


def test_missed_runs_run_once_after_a_restart(tmp_path):
    """Five missed runs of an hourly job, due while the scheduler was down (within the grace
    time), run once when it starts again."""
    db = tmp_path / "jobmon.db"
    CALLS.clear()
    missed_since = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=4)
    with scheduling.editing(db) as scheduler:
        job = scheduler.add_job(record_call, scheduling.cron_trigger("0 * * * *"), args=["tick"], id="tick",
                                next_run_time=missed_since)
        assert len(job._get_run_times(datetime.now(UTC))) == 5   # 4 hours ago, ..., this hour
        assert job.misfire_grace_time == scheduling.CRAWL_GRACE_SECONDS > 5 * 3600
    restarted = scheduling.create_scheduler(db)
    events = _run_until(restarted, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    assert events[0].code == EVENT_JOB_EXECUTED
    assert CALLS == ["tick"]
    with scheduling.editing(db) as scheduler:
        assert scheduler.get_job("tick").next_run_time > datetime.now(UTC)


def test_the_weekly_monitor_job_computes_the_week_just_ended(small_store, tmp_path):
    db = tmp_path / "jobmon.db"
    with sqlite3.connect(small_store) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    week = scheduling.week_just_ended(datetime.now(UTC))
    store = open_db(db)
    store.execute("DELETE FROM shortages WHERE week = ?", [week])
    store.execute("DELETE FROM weekly_metrics WHERE week = ?", [week])
    store.conn.close()
    scheduler = scheduling.create_scheduler(db)
    scheduler.add_job(scheduling.weekly_monitor, "date", args=[str(db), scheduling.MONITOR_CITY], id="now")
    events = _run_until(scheduler, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR, timeout=60)
    assert events[0].code == EVENT_JOB_EXECUTED, events[0].exception
    assert events[0].retval == [week]
    store = open_db(db)
    assert store.execute("SELECT count(*) FROM weekly_metrics WHERE week = ?", [week]).fetchone()[0] > 10
    assert store.execute("SELECT count(*) FROM shortages WHERE week = ?", [week]).fetchone()[0] > 0


def test_a_stored_crawl_job_crawls_its_source_and_the_crawl_records_its_run(board_url,
                                                                             tmp_path):
    """The job as stored (a due crawl schedule) run by a freshly started scheduler: `jobmon crawl
    SOURCE` in a child process against the local board, recorded in crawl_runs."""
    source = tmp_path / "board-e2e.yaml"
    source.write_text(f"name: board-e2e\nkind: postings\nshape: jsonld\ncity: 北京市\n"
                      f"sitemaps: ['{board_url}/sitemap.xml']\nfollow: ['/jobs/[^/]*11\\.html$']\n"
                      f"politeness: {{download_delay: 0, concurrency: 8}}\n", encoding="utf-8")
    db = tmp_path / "jobmon.db"
    open_db(db).conn.close()
    with scheduling.editing(db) as editor:
        job = scheduling.add_crawl_job(editor, str(source), "0 3 * * *", db)
        editor.modify_job(job.id, next_run_time=datetime.now(UTC))
    events = _run_until(scheduling.create_scheduler(db), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR, timeout=120)
    assert events[0].code == EVENT_JOB_EXECUTED, events[0].exception
    assert events[0].retval == 0
    runs = open_db(db).execute("SELECT source, status, records_new FROM crawl_runs").fetchall()
    assert len(runs) == 1 and runs[0][:2] == ("board-e2e", "finished") and runs[0][2] > 0
    with scheduling.editing(db) as editor:   # and it stays scheduled for the next 03:00
        assert editor.get_job("crawl:board-e2e").next_run_time.hour == 3


def test_a_crawl_is_skipped_while_another_crawl_of_the_source_runs(tmp_path):
    db = str(tmp_path / "jobmon.db")
    with scheduling.crawl_lock(db, "site-a") as held:
        assert held
        assert scheduling.crawl_source("site-a", "site-a", db) == -1
        with scheduling.crawl_lock(db, "site-b") as other:
            assert other


def test_a_failed_crawl_raises_with_the_crawl_output(tmp_path):
    db = str(tmp_path / "jobmon.db")
    open_db(db).conn.close()
    with pytest.raises(RuntimeError, match="crawl no-such-source failed with exit status"):
        scheduling.crawl_source("no-such-source", "no-such-source", db)
    with scheduling.crawl_lock(db, "no-such-source") as held:
        assert held   # the lock was released


def test_schedule_commands(tmp_path):
    db = str(tmp_path / "jobmon.db")
    runner = CliRunner()
    site_a = str(source_file(tmp_path, "site-a"))
    result = runner.invoke(main, ["schedule", "add", site_a, "--cron", "0 3 * * *", "--db", db])
    assert result.exit_code == 0, result.output
    assert "scheduled crawl:site-a: next run" in result.output
    assert runner.invoke(main, ["schedule", "add-monitor", "--db", db]).exit_code == 0
    assert runner.invoke(main, ["schedule", "pause", "site-a", "--db", db]).output == "paused crawl:site-a (paused)\n"
    rows = json.loads(runner.invoke(main, ["schedule", "list", "--format", "json", "--db", db]).output)
    assert [(r["id"], r["state"]) for r in rows] == [("monitor-weekly", "scheduled"), ("crawl:site-a", "paused")]
    result = runner.invoke(main, ["schedule", "resume", "crawl:site-a", "--db", db])
    assert "resumed crawl:site-a: next run" in result.output
    assert runner.invoke(main, ["schedule", "remove", site_a, "--db", db]).output == "removed crawl:site-a\n"
    result = runner.invoke(main, ["schedule", "remove", "site-a", "--db", db])
    assert result.exit_code != 0 and "no schedule 'site-a'" in result.output
    result = runner.invoke(main, ["schedule", "add", site_a, "--cron", "every day", "--db", db])
    assert result.exit_code != 0 and "five fields" in result.output


@pytest.mark.parametrize("group", ["schedule", "scheduler"])
def test_subcommand_help_has_an_example(group):
    for name in main.commands[group].commands:
        result = CliRunner().invoke(main, [group, name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output and f"jobmon {group}" in result.output, name


def test_the_daemon_adds_the_monitor_job_and_stops_cleanly_on_sigterm(tmp_path):
    db = tmp_path / "jobmon.db"
    daemon = subprocess.Popen(["jobmon", "scheduler", "run", "--db", str(db)],
                              stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in daemon.stderr], daemon=True).start()
    seen = []
    try:
        while not any("scheduler running" in line for line in seen):
            seen.append(lines.get(timeout=30))
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        daemon.kill()
    while not lines.empty():
        seen.append(lines.get())
    text = "".join(seen)
    assert "job monitor-weekly" in text and "SIGTERM received" in text and "scheduler stopped" in text
    with scheduling.editing(db) as scheduler:
        assert scheduler.get_job(scheduling.MONITOR_JOB_ID) is not None
