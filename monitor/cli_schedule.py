"""``jobmon schedule ...`` (what runs when) and ``jobmon scheduler run`` (the daemon that runs it)."""
from __future__ import annotations

import logging

import click

from db.store import resolve_db_path

from . import scheduling
from .cli_common import db_option, open_store
from .output import FORMATS, write_rows

LIST_TABLE = {"id": "id", "target": "what", "cron": "cron", "timezone": "time zone", "next_run": "next run",
              "state": "state"}


def _store_path(db_path) -> str:
    """Open (and migrate) the store first, so schedules never create a file jobmon cannot read."""
    open_store(db_path).conn.close()
    return str(resolve_db_path(db_path).resolve())


def _editing(db_path):
    return scheduling.editing(_store_path(db_path))


def _find(scheduler, name):
    try:
        return scheduling.find_job(scheduler, name)
    except scheduling.ScheduleError as error:
        raise click.ClickException(str(error)) from None


def _describe(job) -> str:
    if job.next_run_time is None:
        return f"{job.id} (paused)"
    return f"{job.id}: next run {job.next_run_time.isoformat(timespec='minutes')}"


@click.group()
def schedule():
    """Recurring crawls and the weekly monitor job, kept in the store's file.

    Schedules are stored in the table apscheduler_jobs of the same SQLite file (--db), so they
    survive restarts. They run only while `jobmon scheduler run` is running. Cron expressions
    have five fields (minute hour day month weekday) in Asia/Shanghai time unless --timezone.

    \b
    Example:
        jobmon schedule add mysite --cron "0 3 * * *"
        jobmon schedule list
        jobmon scheduler run
    """


@schedule.command("add")
@db_option
@click.argument("source")
@click.option("--cron", default=None,
              help='When to crawl: "minute hour day month weekday", e.g. "0 3 * * *". '
                   "Default: the source file's own `schedule:`.")
@click.option("--timezone", default=scheduling.TIMEZONE, show_default=True, help="Time zone of the cron fields.")
def add(db_path, source, cron, timezone):
    """Crawl SOURCE on a cron schedule (replaces the source's earlier schedule).

    SOURCE is what `jobmon crawl SOURCE` takes: a source's name or the path of its YAML file; the
    file's absolute path is stored, so the scheduler finds it from any folder. Each run is
    `jobmon crawl SOURCE --db PATH` in its own process, recorded as a crawl run (`jobmon runs`);
    a source never runs twice at once, and runs missed while the scheduler was down are made up
    once (within 6 hours).

    \b
    Example:
        jobmon schedule add mysite --cron "0 3 * * *"                  # every day at 03:00
        jobmon schedule add sources/mysite.yaml --cron "30 */6 * * *"  # every 6 hours at :30
        jobmon schedule add mysite                                     # the file's `schedule:`
    """
    with _editing(db_path) as scheduler:
        try:
            job = scheduling.add_crawl_job(scheduler, source, cron, db_path, timezone)
        except scheduling.ScheduleError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"scheduled {_describe(job)} ({job.args[1]})")


@schedule.command("add-monitor")
@db_option
@click.option("--cron", default=scheduling.MONITOR_CRON, show_default=True,
              help="When to compute the week just ended.")
@click.option("--city", default=scheduling.MONITOR_CITY, show_default=True, help="Market; '' for all places.")
@click.option("--timezone", default=scheduling.TIMEZONE, show_default=True)
def add_monitor(db_path, cron, city, timezone):
    """Schedule (or re-schedule) the weekly monitor job.

    It computes the metrics and the shortage list of the ISO week that just ended, by default
    every Monday at 06:00 Asia/Shanghai. `jobmon scheduler run` adds it by itself when it is
    missing; use this to change its time or market.

    \b
    Example:
        jobmon schedule add-monitor
        jobmon schedule add-monitor --cron "30 7 * * mon"
    """
    with _editing(db_path) as scheduler:
        try:
            job = scheduling.add_monitor_job(scheduler, db_path, cron, city or None, timezone)
        except scheduling.ScheduleError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"scheduled {_describe(job)}")


@schedule.command("list")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def list_jobs(db_path, fmt):
    """List the schedules: id, what runs, cron, next run, paused or not.

    \b
    Example:
        jobmon schedule list
        jobmon schedule list --format json
    """
    with _editing(db_path) as scheduler:
        rows = scheduling.job_rows(scheduler)
    if not rows and fmt == "table":
        click.echo("no schedules yet: jobmon schedule add SOURCE --cron \"0 3 * * *\"")
        return
    write_rows(rows, fmt, LIST_TABLE)


def _change(action: str, help_text: str):
    @schedule.command(action, help=help_text)
    @db_option
    @click.argument("name")
    def command(db_path, name):
        with _editing(db_path) as scheduler:
            job = _find(scheduler, name)
            if action == "remove":
                scheduler.remove_job(job.id)
                click.echo(f"removed {job.id}")
                if job.id == scheduling.MONITOR_JOB_ID:
                    click.echo("note: `jobmon scheduler run` adds the weekly monitor job back unless "
                               "started with --no-monitor; `jobmon schedule pause monitor-weekly` "
                               "keeps it stopped", err=True)
                return
            getattr(scheduler, f"{action}_job")(job.id)
            click.echo(f"{action}d {_describe(scheduler.get_job(job.id))}")
    return command


_change("pause", """Pause a schedule (it stays stored; `resume` restarts it).

NAME is a source name, a schedule id from `jobmon schedule list`, or monitor-weekly.

\b
Example:
    jobmon schedule pause mysite
    jobmon schedule pause monitor-weekly
""")
_change("resume", """Resume a paused schedule from now on (missed runs are not made up).

\b
Example:
    jobmon schedule resume mysite
""")
_change("remove", """Delete a schedule.

\b
Example:
    jobmon schedule remove mysite
""")


@click.group()
def scheduler():
    """The daemon that runs the schedules of `jobmon schedule`.

    \b
    Example:
        jobmon scheduler run --db /srv/jobmon/jobmon.db
    """


@scheduler.command("run")
@db_option
@click.option("--no-monitor", is_flag=True, help="Do not add the weekly monitor job when it is missing.")
@click.option("--city", default=scheduling.MONITOR_CITY, show_default=True,
              help="Market of the weekly monitor job it adds; '' for all places.")
@click.option("-v", "--verbose", is_flag=True, help="Log APScheduler's own debug messages too.")
def run(db_path, no_monitor, city, verbose):
    """Run the stored schedules until Ctrl-C or SIGTERM, logging each job's start and end.

    Adds the weekly monitor job (Monday 06:00 Asia/Shanghai) when it is missing. Schedules
    added, paused or removed by `jobmon schedule` while it runs are picked up within a minute.
    On SIGTERM or Ctrl-C it stops starting jobs, asks running crawls to finish and exits when
    they have. Run it under systemd (see the README) or in a terminal.

    \b
    Example:
        jobmon scheduler run
        jobmon scheduler run --db /srv/jobmon/jobmon.db --no-monitor
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduling.run_daemon(_store_path(db_path), monitor=not no_monitor, city=city or None)
