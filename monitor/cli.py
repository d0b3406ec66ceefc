"""The ``jobmon`` command line: demo, crawl, monitor, and the tables analysts read."""
from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from dataclasses import asdict
from pathlib import Path

import click

from db import reads
from db.store import resolve_db_path

from .cli_common import checked_week, db_option, last_complete_week, open_store
from .cli_monitor import SHORTAGE_TABLE, progress_line
from .output import FORMATS, neutralised_row, write_rows

RUNS_TABLE = {"id": "run", "source": "source", "started_at": "started", "duration_s": "seconds", "status": "status",
              "complete": "complete", "pages": "pages", "records_new": "new", "records_updated": "updated",
              "records_closed": "closed", "skipped_fresh": "fresh", "blocked": "blocked", "dropped": "dropped",
              "errors": "errors"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jobmon")
def main():
    """jobmon: crawl job postings and job seekers, match them to the 2022 occupational
    classification, and publish weekly supply-demand ratios, pay quartiles and shortage lists.

    Start with `jobmon demo`. Every command takes --db PATH (default: $JOBMON_DB, else
    ./jobmon.db) and explains itself with --help.

    \b
    Example:
        jobmon demo
        jobmon shortages --top 10 --format csv > shortages.csv
    """


@main.command()
@db_option
@click.option("--postings", default=20_000, show_default=True, help="Postings on the local board.")
@click.option("--seekers", type=int, default=None, help="Job seekers on the board. Default: 3/4 of --postings.")
@click.option("--weeks", default=12, show_default=True, help="ISO weeks of history on the board.")
@click.option("--end-week", default=None, help="Last week on the board, e.g. 2026-W46. Default: last complete week.")
@click.option("--seed", default=20261122, show_default=True, help="Random seed of the synthetic market.")
@click.option("--top", default=15, show_default=True, help="Rows of the shortage table to print.")
def demo(db_path, postings, seekers, weeks, end_week, seed, top):
    """Run the whole pipeline on the bundled local job board.

    Starts a synthetic Beijing job board on 127.0.0.1, crawls its postings (schema.org JobPosting
    pages from its sitemap) and its job-seeker listings, normalizes and stores them, computes
    every week's metrics and prints the latest shortage table.

    \b
    Example:
        jobmon demo                      # ~20,000 postings, under 2 minutes
        jobmon demo --postings 3000 --db /tmp/small.db
    """
    from crawlers.board.server import start_board
    from crawlers.settings import LOCAL_BOARD

    from .compute import compute
    from .crawling import run_spiders

    started = time.monotonic()
    db_file = resolve_db_path(db_path).resolve()
    open_store(db_file).conn.close()
    end_week = checked_week(end_week) or last_complete_week()
    seekers = postings * 3 // 4 if seekers is None else seekers
    click.echo(f"[1/4] Starting the local job board: {postings:,} postings, {seekers:,} job seekers, "
               f"{weeks} weeks to {end_week} ...", err=True)
    with start_board(postings=postings, seekers=seekers, seed=seed, weeks=weeks, end_week=end_week) as url:
        click.echo(f"      board at {url}", err=True)
        click.echo("[2/4] Crawling postings (sitemap → JobPosting pages) and job seekers (listing pages) ...",
                   err=True)
        run_spiders(
            [("jobposting", {"start": f"{url}/sitemap.xml", "source": "localboard", "city": "北京市"}),
             ("seekers", {"start": f"{url}/talent/", "source": "localboard-talent", "city": "北京市"})],
            str(db_file), {**LOCAL_BOARD, "JOBMON_PROGRESS_INTERVAL": 5},
        )
    db = open_store(db_file)
    click.echo("[3/4] Computing weekly metrics and shortage lists ...", err=True)
    compute(db, city="北京市", progress=progress_line)
    click.echo("[4/4] Latest shortage table:\n", err=True)
    week, rows = reads.shortage_rows(db, None)
    click.echo(f"Shortage table, Beijing, {week} (求人倍率 = openings ÷ active job seekers)")
    write_rows(rows[:top], "table", SHORTAGE_TABLE)
    runs = reads.crawl_runs(db, 2)
    click.echo(
        f"\nDone in {time.monotonic() - started:.0f} s. Crawled {sum(r['pages'] for r in runs):,} pages; "
        f"rejected {sum(r['rejected'] for r in runs):,} (see the rejects table).\n"
        f"Store: {db_file}\n"
        f"  jobmon shortages --db {db_file} --format csv        # the table for Excel\n"
        f"  sqlite-utils {db_file} \"select * from latest_shortages\" --table\n"
        f"  python -c \"import pandas, sqlite3; print(pandas.read_sql('select * from weekly_metrics', "
        f"sqlite3.connect('{db_file}')))\"\n"
        f"Tables and columns: docs/data-dictionary.md"
    )


@main.command()
@db_option
@click.argument("source_file", metavar="[SOURCE]", required=False)
@click.option("--url", default=None, callback=lambda ctx, param, value: _http_url(value),
              help="Crawl this start URL without a source file: a sitemap, robots.txt, or a listing page.")
@click.option("--kind", type=click.Choice(["postings", "seekers"]), default="postings", show_default=True,
              help="With --url. postings: pages with schema.org JobPosting; seekers: job-seeker listing pages.")
@click.option("--source", default=None, help="With --url: name to store records under. Default: the URL's host.")
@click.option("--follow", default=None, help="With --url: only follow listing links matching this regular expression.")
@click.option("--city", default=None, help="City a bare district name belongs to, e.g. 北京市 (overrides the "
                                           "source file's city).")
@click.option("--origin", default=None, help="With SOURCE: send the source's requests to this scheme://host:port "
                                             "instead (a mirror or saved pages served locally).")
@click.option("--resume-dir", type=click.Path(file_okay=False), default=None,
              help="Folder that keeps the crawl's state (Scrapy's JOBDIR): a crawl stopped with Ctrl-C or killed "
                   "and started again with the same folder continues where it stopped. One folder per source.")
def crawl(db_path, source_file, url, kind, source, follow, city, origin, resume_dir):
    """Crawl one source now, politely (robots.txt, 2 requests at a time per site, AutoThrottle).

    SOURCE is a source file (sources/*.yaml, see `jobmon sources list`) or its name; --url
    crawls any site whose pages carry schema.org JobPosting, with no source file.

    Prints this crawl's run and exits 0 only when it is complete: 1 failed (site unreachable,
    robots.txt forbids it, redirect loop, the store refused the records), 2 usage, 3 partial
    (pages given up, nothing found), 4 another crawl of the source is running, 130 / 143
    stopped by Ctrl-C / SIGTERM (see README "Exit codes").

    \b
    Example:
        jobmon crawl example-json-api
        jobmon crawl sources/examples/html_gbk_listing.yaml --db /tmp/test.db
        jobmon crawl --url https://careers.example.com/sitemap.xml --city 北京市
        jobmon crawl --url http://127.0.0.1:8000/talent/ --kind seekers
        jobmon crawl example-json-api --resume-dir state/example-json-api
    """
    from crawlers.sources import SourceInvalid, load_source
    from crawlers.spiders.common import source_name
    from db import locks

    from . import exitcodes
    from .crawling import run_spiders

    if bool(source_file) == bool(url):
        raise click.UsageError("give a SOURCE (a file or name from `jobmon sources list`) or --url URL, one of them")
    if source_file:
        try:
            loaded = load_source(source_file)
        except (SourceInvalid, FileNotFoundError) as error:
            raise UsageProblem(f"{error}\nFix the source file; `jobmon sources check FILE` checks it.") from None
        name, job = loaded.name, ("source", {"source": loaded.path, "origin": origin, "city": city})
    else:
        name = source_name(url, source)
        arguments = {"start": url, "source": source, "city": city}
        if kind == "postings":
            arguments["follow"] = follow
        job = ("jobposting" if kind == "postings" else "seekers", arguments)
    db_file = resolve_db_path(db_path).resolve()
    open_store(db_file).conn.close()
    progress = {"JOBMON_PROGRESS_INTERVAL": 10}
    if resume_dir:
        progress["JOBDIR"] = str(Path(resume_dir).resolve())
    try:
        with locks.source_lock(db_file, name):
            result = run_spiders([job], str(db_file), progress)
    except locks.SourceBusy as busy:
        click.echo(f"Error: not crawled: {busy}. Wait for it to end, or stop it.", err=True)
        sys.exit(exitcodes.BUSY)
    run_id = result.run_ids[0]
    run = reads.crawl_run(open_store(db_file), run_id) if run_id is not None else None
    if run is None:
        click.echo(f"Error: the crawl of {name} did not start: {'; '.join(result.errors) or 'see the log above'}",
                   err=True)
        sys.exit(exitcodes.interrupted(result.signal) if result.signal else exitcodes.FAILED)
    if run["status"] == "running":   # the crawl ended without closing its run (a second Ctrl-C)
        from db.writes import abandon_crawl_run

        store = open_store(db_file)
        try:
            abandon_crawl_run(store, run_id, status="interrupted" if result.signal else "failed",
                              finish_reason=result.signal or "not_closed",
                              note="the crawl stopped without closing its run: counts are what it had stored")
        except sqlite3.Error as error:
            click.echo(f"Error: could not close run {run_id} in the store ({error})", err=True)
        run = reads.crawl_run(store, run_id)
        if run["status"] == "running":
            run.update(status="interrupted" if result.signal else "failed", note="not closed in the store")
    click.echo(run_summary(run))
    dropped = json.loads(run["dropped"]) if run.get("dropped") else {}
    code = exitcodes.crawl_exit_code(run["status"], run["complete"], dropped, result.signal)
    if code:
        sys.exit(code)


class UsageProblem(click.ClickException):
    """A file the command line names is missing or invalid: exit code 2, like a usage error."""
    exit_code = 2


def run_summary(run: dict) -> str:
    """One crawl run in a line (two with its note): what an operator reads after `jobmon crawl`."""
    status = run["status"] + ("" if run["status"] != "finished" else ", complete" if run["complete"] == 1
                              else ", incomplete")
    reason = f" ({run['finish_reason']})" if run.get("finish_reason") not in (None, "finished") else ""
    line = (f"run {run['id']} {status}{reason}: {run['pages']} pages, {run['records_new']} new, "
            f"{run['records_updated']} updated, {run['records_closed']} closed, {run['skipped_fresh']} fresh "
            f"(not fetched again), {run['rejected']} rejected, {run['blocked']} blocked, {run['errors']} errors")
    if run.get("records_unsaved"):
        line += f", {run['records_unsaved']} NOT STORED"
    return line + (f"\n  {run['note']}" if run.get("note") else "")


def _http_url(url: str | None) -> str | None:
    """``--url`` as given when it is an absolute http(s) URL; a usage error otherwise (file:// would
    read this machine's files into the store)."""
    from crawlers.destinations import scheme_problem

    problem = url is not None and scheme_problem(url)
    if problem:
        raise click.BadParameter(problem, param_hint="--url")
    return url


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--postings", default=20_000, show_default=True)
@click.option("--seekers", default=15_000, show_default=True)
@click.option("--weeks", default=12, show_default=True)
@click.option("--end-week", default=None, help="Last week on the board. Default: last complete week.")
@click.option("--seed", default=20261122, show_default=True)
def board(port, postings, seekers, weeks, end_week, seed):
    """Serve the synthetic local job board until Ctrl-C (for trying spiders by hand).

    \b
    Example:
        jobmon board --port 8000 &
        scrapy crawl jobposting -a start=http://127.0.0.1:8000/sitemap.xml
    """
    from crawlers.board.server import main as serve_board

    serve_board(["--port", str(port), "--postings", str(postings), "--seekers", str(seekers),
                 "--weeks", str(weeks), "--end-week", checked_week(end_week) or last_complete_week(),
                 "--seed", str(seed)])


@main.command()
@db_option
@click.option("--limit", default=20, show_default=True, help="Most recent runs to show.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def runs(db_path, limit, fmt):
    """List crawl runs, newest first: source, start, duration, pages, postings new / updated /
    closed, detail pages not fetched again because they were fresh, answers blocked (captcha,
    login wall, 操作太频繁, 403), what was dropped by reason (rejects, pages given up, records
    the store refused) and errors.

    Status: running, finished, failed (see the note: unreachable, robots_blocked, redirect_loop,
    store_write_failed, ...), interrupted (Ctrl-C, SIGTERM) or killed: a run whose process
    died without closing it (SIGKILL, power loss), with the counts it had stored. A run is
    complete when it saw the whole site; only complete runs close postings. csv and json carry
    every column.

    \b
    Example:
        jobmon runs --limit 5
        jobmon runs --format json
    """
    from db import locks

    rows = reads.crawl_runs(open_store(db_path), limit)
    for row in rows:
        if row["status"] == "running" and locks.process_alive(row.get("pid"), row.get("host")) is False:
            # Its process is gone: what the next crawl of the source will record.
            row.update(status="failed", finish_reason="killed", complete=0,
                       note="its process ended without closing the run (killed?): counts are what it had stored")
    if fmt == "table":
        rows = [{**row, "status": _status_text(row), "dropped": _dropped_text(row["dropped"])} for row in rows]
    write_rows(rows, fmt, RUNS_TABLE)


def _status_text(row: dict) -> str:
    """``killed``, ``failed:unreachable``, ``interrupted:SIGTERM``, ``finished``, ``running``."""
    if row["finish_reason"] == "killed":
        return "killed"
    if row["status"] in ("failed", "interrupted") and row["finish_reason"]:
        return f"{row['status']}:{row['finish_reason']}"
    return row["status"]


def _dropped_text(dropped_json: str | None) -> str:
    """``{"no_title": 2, "gave_up/http_503": 1}`` → ``no_title 2, gave_up/http_503 1``."""
    dropped = json.loads(dropped_json) if dropped_json else {}
    return ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items(), key=lambda kv: -kv[1]))


@main.command("match-titles")
def match_titles():
    """Match job titles (one a line on standard input) to 2022 occupations; CSV on standard output.

    Columns: title,code,name,level,score,method (an unmatched title has an empty code).

    \b
    Example:
        printf 'Java开发工程师（急招）\\n北京 快递员 五险一金\\n' | jobmon match-titles
    """
    from normalize.titles import match_title

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["title", "code", "name", "level", "score", "method"])
    for title in _stdin_lines():
        match = match_title(title)
        writer.writerow(neutralised_row([title, match.code or "", match.name or "", match.level or "", match.score,
                                         match.method or ""]))


def _stdin_lines():
    """Standard input line by line, without the line end. Bytes that are not valid in its encoding
    (Latin-1 or GBK text under a UTF-8 locale) become U+FFFD and the line is processed like any
    other; stderr says how many lines had them. Never a traceback halfway through the output."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stream (tests, embedding): already decoded
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
    replaced = 0
    for raw in stream:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = raw.decode(encoding, "replace")
            replaced += 1
        yield text.rstrip("\r\n")
    if replaced:
        click.echo(f"{replaced} input line(s) held bytes that are not {encoding}: read with U+FFFD in their "
                   f"place", err=True)


@main.command("parse-salary")
def parse_salary_command():
    """Parse salary strings (one a line on standard input); one JSON object a line on standard output.

    Keys: raw, min_monthly, max_monthly (per month, in currency), months_per_year, period,
    negotiable, currency, flags; null for a line with no salary.

    \b
    Example:
        printf '15-25K·13薪\\n20-30万/年\\n面议\\n' | jobmon parse-salary
    """
    from normalize.salary import parse_salary

    for raw in _stdin_lines():
        salary = parse_salary(raw)
        value = asdict(salary) if salary else {"raw": raw, "min_monthly": None, "max_monthly": None,
                                                 "months_per_year": None, "period": None, "negotiable": False}
        click.echo(json.dumps(value, ensure_ascii=False))


# Command groups defined in their own modules (cli_<topic>.py) register here, one line each.
from .cli_schedule import schedule, scheduler

main.add_command(schedule)
main.add_command(scheduler)
from .cli_import import import_group

main.add_command(import_group)
from .cli_monitor import monitor, shortages

main.add_command(monitor)
main.add_command(shortages)
from .cli_report import report

main.add_command(report)
from .cli_sources import sources

main.add_command(sources)
from .cli_review import review  # noqa: E402

main.add_command(review)
