"""Recurring crawls and the weekly monitor job, scheduled with APScheduler 3.x.

Schedules live in the store's own SQLite file, in APScheduler's table ``apscheduler_jobs``
(SQLAlchemyJobStore), so they survive a restart and travel with the data. A job is a reference to
a module-level function of this module with plain arguments (a source and a path), which is what
the job store can persist.

- A crawl job runs ``jobmon crawl SOURCE --db PATH`` as a child process: Twisted's reactor runs
  once per process, and the crawl records its own crawl run. One crawl of a source at a time:
  ``max_instances=1`` inside a scheduler, and across processes the source's lock, which the
  crawl itself holds (db/locks.py), so a crawl left running by a killed daemon keeps it and a
  restarted daemon's crawl of the same source ends at once (exit code 4). The crawl's exit code
  (monitor/exitcodes.py) is its outcome: the daemon logs it as such.
- The weekly monitor job (Monday 06:00 Asia/Shanghai) computes the ISO week that just ended.
- Missed runs are coalesced into one, if the scheduler comes back within the grace time.

The pure helpers take ``now`` as an argument, so triggers are tested without sleeping.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
)
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import create_engine

from db import locks
from db.store import BUSY_TIMEOUT_MS, resolve_db_path

from . import exitcodes
from .weeks import week_of

log = logging.getLogger("jobmon.scheduler")

TIMEZONE = "Asia/Shanghai"
JOB_TABLE = "apscheduler_jobs"
MONITOR_JOB_ID = "monitor-weekly"
MONITOR_CRON = "0 6 * * mon"          # Monday 06:00: the ISO week (Monday–Sunday) has just ended
MONITOR_CITY = "北京市"
CRAWL_PREFIX = "crawl:"
CRAWL_GRACE_SECONDS = 6 * 3600        # a crawl missed by up to 6 hours still runs (once)
MONITOR_GRACE_SECONDS = 24 * 3600     # the weekly monitor still runs up to a day late
REFRESH_SECONDS = 60                  # the daemon re-reads the job table this often
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": CRAWL_GRACE_SECONDS}
# The jobmon command line in a child process, whatever the interpreter and install.
JOBMON_COMMAND = [sys.executable, "-c", "from monitor.cli import main; main(prog_name='jobmon')"]


class ScheduleError(Exception):
    """A schedule cannot be made as asked (bad cron expression, unknown job)."""


# --- pure helpers ------------------------------------------------------------------------------

def cron_trigger(expression: str, timezone: str = TIMEZONE) -> CronTrigger:
    """A five-field crontab expression (minute hour day month weekday) in ``timezone``."""
    try:
        return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))
    except (ValueError, KeyError) as error:
        raise ScheduleError(
            f"cron expression {expression!r} is not valid ({error}): give five fields, "
            "minute hour day month weekday, e.g. \"0 3 * * *\" for every day at 03:00") from None


def next_fire(trigger, now: datetime) -> datetime | None:
    """When ``trigger`` fires next, at or after ``now`` (an aware datetime)."""
    return trigger.get_next_fire_time(None, now)


def week_just_ended(now: datetime, timezone: str = TIMEZONE) -> str:
    """The last complete ISO week (Monday–Sunday) at ``now`` in ``timezone``."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    return week_of(today - timedelta(days=today.weekday() + 1))


def crawl_job_id(name: str) -> str:
    return CRAWL_PREFIX + name


lock_path = locks.lock_path   # the lock file of one source's crawls, beside the store


# --- sources ---------------------------------------------------------------------------------

def resolve_source(ref: str) -> tuple[str, str, str | None]:
    """(name, absolute path of its YAML file, the file's own ``schedule``) of a source given as
    ``jobmon crawl`` takes it: a name or a path. The path is what the job keeps, so the daemon
    finds the file whatever folder it runs in. Raises ScheduleError when it cannot be loaded."""
    from crawlers.sources import SourceInvalid, load_source

    try:
        source = load_source(ref)
    except FileNotFoundError as error:
        raise ScheduleError(str(error)) from None
    except SourceInvalid as error:
        raise ScheduleError(f"source {ref!r} has problems; fix them first:\n{error}") from None
    return source.name, str(Path(source.path).resolve()), source.schedule


# --- the scheduler ------------------------------------------------------------------------------

def job_store(db_path: str | os.PathLike) -> SQLAlchemyJobStore:
    """APScheduler's SQLAlchemy job store in the store's SQLite file (table ``apscheduler_jobs``)."""
    path = resolve_db_path(db_path).resolve()
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    return SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)


class JobEditor(BaseScheduler):
    """A scheduler that reads and changes stored jobs and never runs one: no thread, no loop, so
    a command that edits schedules cannot race the daemon for a due job."""

    def shutdown(self, wait=True):
        super().shutdown(wait)

    def wakeup(self):
        pass


def create_scheduler(db_path: str | os.PathLike, blocking: bool = False, timezone: str = TIMEZONE,
                     kind=None):
    """A scheduler (not started) whose default job store is the store's file: a
    BackgroundScheduler, a BlockingScheduler with ``blocking``, or ``kind``."""
    kind = kind or (BlockingScheduler if blocking else BackgroundScheduler)
    return kind(jobstores={"default": job_store(db_path)}, job_defaults=dict(JOB_DEFAULTS),
                timezone=ZoneInfo(timezone))


@contextmanager
def editing(db_path: str | os.PathLike):
    """A started JobEditor on the store's file, to read and change the stored jobs."""
    scheduler = create_scheduler(db_path, kind=JobEditor)
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)


def create_job_table(db_path: str | os.PathLike) -> None:
    """Create ``apscheduler_jobs`` in the store's file if it is not there yet."""
    with editing(db_path):
        pass


def add_crawl_job(scheduler, source: str, cron: str | None, db_path: str | os.PathLike,
                  timezone: str = TIMEZONE):
    """Schedule ``jobmon crawl SOURCE`` on ``cron`` (default: the source file's ``schedule``);
    replaces the source's earlier schedule."""
    name, path, own_schedule = resolve_source(source)
    cron = cron or own_schedule
    if not cron:
        raise ScheduleError(f"source {name!r} has no schedule: give --cron, or add `schedule: \"0 3 * * *\"` "
                            f"to {path}")
    return scheduler.add_job(
        crawl_source, cron_trigger(cron, timezone), args=[name, path, str(resolve_db_path(db_path).resolve())],
        id=crawl_job_id(name), name=f"crawl {name}", replace_existing=True,
        misfire_grace_time=CRAWL_GRACE_SECONDS)


def add_monitor_job(scheduler, db_path: str | os.PathLike, cron: str = MONITOR_CRON,
                    city: str | None = MONITOR_CITY, timezone: str = TIMEZONE, replace: bool = True):
    """Schedule the weekly monitor job; with ``replace=False`` an existing one (maybe paused) stays."""
    existing = scheduler.get_job(MONITOR_JOB_ID)
    if existing and not replace:
        return existing
    return scheduler.add_job(
        weekly_monitor, cron_trigger(cron, timezone), args=[str(resolve_db_path(db_path).resolve()), city],
        id=MONITOR_JOB_ID, name="weekly monitor", replace_existing=True,
        misfire_grace_time=MONITOR_GRACE_SECONDS)


def find_job(scheduler, name: str):
    """A job by its id (``crawl:NAME``, ``monitor-weekly``) or by its source name or path."""
    for candidate in (name, crawl_job_id(name)):
        job = scheduler.get_job(candidate)
        if job:
            return job
    try:   # a source file's path, or a name the file gives differently
        job = scheduler.get_job(crawl_job_id(resolve_source(name)[0]))
    except ScheduleError:
        job = None
    if job:
        return job
    known = ", ".join(job.id for job in scheduler.get_jobs()) or "none"
    raise ScheduleError(f"no schedule {name!r}; scheduled: {known} (see jobmon schedule list)")


def job_rows(scheduler) -> list[dict]:
    """One row per stored job, soonest first; paused jobs last."""
    rows = []
    for job in scheduler.get_jobs():
        trigger = job.trigger
        rows.append({
            "id": job.id,
            "job": job.name,
            "target": job.args[1] if job.func is crawl_source else f"week just ended, {job.args[1] or 'all places'}",
            "cron": _crontab(trigger) if isinstance(trigger, CronTrigger) else str(trigger),
            "timezone": str(trigger.timezone) if hasattr(trigger, "timezone") else "",
            "next_run": job.next_run_time.isoformat(timespec="minutes") if job.next_run_time else None,
            "state": "paused" if job.next_run_time is None else "scheduled",
            "coalesce": job.coalesce,
            "max_instances": job.max_instances,
            "misfire_grace_time": job.misfire_grace_time,
        })
    return rows


def _crontab(trigger: CronTrigger) -> str:
    fields = {field.name: str(field) for field in trigger.fields}
    return " ".join(fields[name] for name in ("minute", "hour", "day", "month", "day_of_week"))


# --- job functions (module level, plain arguments: the job store keeps references to them) ---------

_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()


@contextmanager
def crawl_lock(db_path: str | os.PathLike, name: str):
    """Hold the source's lock (as a crawl does); yields False when another process holds it."""
    try:
        with locks.source_lock(db_path, name):
            yield True
    except locks.SourceBusy:
        yield False


def crawl_source(name: str, source: str, db_path: str) -> int:
    """Run ``jobmon crawl SOURCE --db PATH`` in a child process and return its exit code.

    The crawl holds its source's lock itself; when another crawl of ``name`` holds it the run
    is skipped (returns -1, logged). A partial or interrupted crawl is logged as a warning and
    returns its code; a failed one raises, so the scheduler logs it as a failed job. Either way
    the log says the crawl's own run (its summary line), recorded by the crawl in crawl_runs.
    """
    holder = locks.holder(db_path, name)
    if holder:
        log.warning("crawl %s skipped: another crawl of it is still running (%s; %s)",
                    name, holder, lock_path(db_path, name))
        return -1
    command = [*JOBMON_COMMAND, "crawl", source, "--db", db_path]
    log.info("crawl %s started", name)
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with _children_lock:
        _children.add(child)
    try:
        output, _ = child.communicate()
    finally:
        with _children_lock:
            _children.discard(child)
    seconds = time.monotonic() - started
    code = child.returncode
    summary = _run_summary(output)
    last_lines = "\n".join(output.strip().splitlines()[-5:])
    if code == exitcodes.BUSY:
        log.warning("crawl %s skipped: another crawl of it is still running (%s)", name,
                    last_lines.splitlines()[-1] if last_lines else lock_path(db_path, name))
        return -1
    if code == exitcodes.COMPLETE:
        log.info("crawl %s finished in %.0f s: %s", name, seconds, summary)
    elif code == exitcodes.PARTIAL:
        log.warning("crawl %s finished incomplete in %.0f s: %s", name, seconds, summary)
    elif code in exitcodes.INTERRUPTED.values() or code in (-signal.SIGTERM, -signal.SIGINT):
        log.warning("crawl %s interrupted after %.0f s: %s", name, seconds, summary)
    else:
        raise RuntimeError(f"crawl {name} failed with exit status {code} after {seconds:.0f} s:\n{summary}")
    return code


def _run_summary(output: str) -> str:
    """The crawl's own run as ``jobmon crawl`` printed it (``run N status: ...`` and its note),
    else its last lines."""
    lines = output.strip().splitlines()
    for index in range(len(lines) - 1, -1, -1):
        if re.match(r"run \d+ ", lines[index]):
            note = lines[index + 1:index + 2]
            return "\n".join([lines[index], *(line for line in note if line.startswith("  "))])
    return "\n".join(lines[-5:])


def weekly_monitor(db_path: str, city: str | None = MONITOR_CITY) -> list[str]:
    """Compute and store the metrics and shortage list of the ISO week that just ended."""
    from db.store import open_db

    from .compute import compute

    week = week_just_ended(datetime.now(ZoneInfo(TIMEZONE)))
    log.info("monitor %s started", week)
    started = time.monotonic()
    db = open_db(db_path)
    try:
        weeks = compute(db, city=city, weeks=[week])
    finally:
        db.conn.close()
    if weeks:
        log.info("monitor %s finished in %.0f s", week, time.monotonic() - started)
    else:
        log.warning("monitor %s: no postings dated in that week, nothing computed", week)
    return weeks


def refresh() -> None:
    """No-op run every REFRESH_SECONDS so the daemon sees schedules changed by other processes."""


# --- the daemon --------------------------------------------------------------------------------

def _log_event(event) -> None:
    if event.code == EVENT_JOB_ERROR:
        # A failed crawl says why in its message; anything else gets its traceback.
        detail = "" if isinstance(event.exception, RuntimeError) else f"\n{event.traceback}"
        log.error("job %s failed: %s%s", event.job_id, event.exception, detail)
    elif event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s (beyond the grace time)", event.job_id,
                    event.scheduled_run_time)
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        log.warning("job %s skipped: its previous run is still going", event.job_id)


def stop_children() -> None:
    """Ask running crawls to stop (Scrapy closes cleanly on SIGTERM and records its run)."""
    with _children_lock:
        for child in _children:
            if child.poll() is None:
                child.terminate()


def run_daemon(db_path: str | os.PathLike, monitor: bool = True, city: str | None = MONITOR_CITY) -> None:
    """Run the stored schedules until SIGTERM or Ctrl-C (blocks)."""
    if monitor:
        with editing(db_path) as scheduler:
            add_monitor_job(scheduler, db_path, city=city, replace=False)
    scheduler = create_scheduler(db_path, blocking=True)
    scheduler.add_jobstore(MemoryJobStore(), "internal")
    scheduler.add_job(refresh, "interval", seconds=REFRESH_SECONDS, id="refresh", jobstore="internal")
    scheduler.add_listener(_log_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    # Our listener and job functions log each run once; the executor's own lines would repeat them.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.CRITICAL)

    stopping = threading.Event()

    def shut_down():
        try:
            scheduler.shutdown(wait=False)
        except SchedulerNotRunningError:
            pass

    def stop(signum, _frame):
        log.info("%s received: stopping (running crawls are asked to finish)", signal.Signals(signum).name)
        stopping.set()
        shut_down()
        stop_children()

    def started(_event):
        if stopping.is_set():   # a signal came while the scheduler was starting
            shut_down()
        else:
            log.info("scheduler running on %s; stop with Ctrl-C or SIGTERM", resolve_db_path(db_path).resolve())

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    with editing(db_path) as reader:
        for row in job_rows(reader):
            log.info("job %s (%s, %s): next run %s", row["id"], row["target"], row["cron"], row["next_run"])
    if not stopping.is_set():
        scheduler.start()
    log.info("scheduler stopped")
