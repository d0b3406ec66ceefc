"""The ``jobmon`` command line: demo, crawl, monitor, and the tables analysts read."""
from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import asdict

import click

from db import reads
from db.store import resolve_db_path

from .cli_common import checked_week, db_option, last_complete_week, open_store
from .output import FORMATS, write_rows

SHORTAGE_TABLE = {
    "rank": "rank", "occupation_code": "code", "occupation_name": "occupation", "shortage_level": "level",
    "postings_active": "postings", "openings": "openings", "seekers": "seekers",
    "demand_supply_ratio": "求人倍率", "salary_p25": "pay P25", "salary_p50": "P50", "salary_p75": "P75",
    "demand_growth_4w": "demand 4w", "salary_growth_4w": "pay 4w",
}
RUNS_TABLE = {"id": "run", "source": "source", "spider": "spider", "started_at": "started", "status": "status",
              "pages": "pages", "records_new": "new", "records_updated": "updated", "rejected": "rejected",
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
    compute(db, city="北京市", progress=lambda w, n, r: click.echo(f"      {w}: {n} occupations, {r} ranked", err=True))
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
@click.option("--url", required=True, help="Start URL: a sitemap, robots.txt, or a listing page.")
@click.option("--kind", type=click.Choice(["postings", "seekers"]), default="postings", show_default=True,
              help="postings: pages with schema.org JobPosting; seekers: job-seeker listing pages.")
@click.option("--source", default=None, help="Name to store records under. Default: the URL's host.")
@click.option("--follow", default=None, help="Regular expression: only follow listing links matching it.")
@click.option("--city", default=None, help="City a bare district name belongs to, e.g. 北京市.")
def crawl(db_path, url, kind, source, follow, city):
    """Crawl one site now, politely (robots.txt, 2 requests at a time per site, AutoThrottle).

    \b
    Example:
        jobmon crawl --url https://careers.example.com/sitemap.xml --city 北京市
        jobmon crawl --url http://127.0.0.1:8000/talent/ --kind seekers
    """
    from .crawling import run_spiders

    arguments = {"start": url, "source": source, "city": city}
    if kind == "postings":
        arguments["follow"] = follow
    db_file = resolve_db_path(db_path).resolve()
    open_store(db_file).conn.close()
    run_spiders([("jobposting" if kind == "postings" else "seekers", arguments)], str(db_file),
                {"JOBMON_PROGRESS_INTERVAL": 10})
    for run in reads.crawl_runs(open_store(db_file), 1):
        click.echo(f"run {run['id']} {run['status']}: {run['pages']} pages, {run['records_new']} new, "
                   f"{run['records_updated']} updated, {run['rejected']} rejected, {run['errors']} errors")


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
@click.option("--week", default=None, help="Compute only this ISO week, e.g. 2026-W47.")
@click.option("--all", "all_weeks", is_flag=True, help="Compute every week with data (the default).")
@click.option("--city", default="北京市", show_default=True, help="Market to compute; '' for all places.")
def monitor(db_path, week, all_weeks, city):
    """Compute and store weekly metrics and the shortage list.

    \b
    Example:
        jobmon monitor --all
        jobmon monitor --week 2026-W47
    """
    from .compute import compute

    if week and all_weeks:
        raise click.UsageError("give --week or --all, not both")
    db = open_store(db_path)
    weeks = compute(db, city=city or None, weeks=[checked_week(week)] if week else None,
                    progress=lambda w, n, r: click.echo(f"{w}: {n} occupations, {r} ranked", err=True))
    if not weeks:
        raise click.ClickException("no postings with an occupation and a date in the store: crawl first "
                                   "(jobmon demo, or jobmon crawl --url ...)")
    click.echo(f"computed {len(weeks)} week(s): {weeks[0]} … {weeks[-1]}")


@main.command()
@db_option
@click.option("--week", default=None, help="ISO week, e.g. 2026-W47. Default: the latest computed.")
@click.option("--top", type=int, default=20, show_default=True, help="Rows to show (0 for all).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def shortages(db_path, week, top, fmt):
    """Print a week's ranked shortage table.

    Columns: rank, occupation (2022 code and name), shortage level (严重紧缺/紧缺/平衡/过剩),
    active postings, openings, active job seekers, demand_supply_ratio (求人倍率 = openings ÷
    seekers), supply_demand_ratio (供需比), pay quartiles of the monthly midpoint (CNY) and
    4-week growth of demand and pay. csv and json carry every column.

    \b
    Example:
        jobmon shortages --top 10
        jobmon shortages --week 2026-W46 --format json
    """
    week, rows = reads.shortage_rows(open_store(db_path), checked_week(week))
    if not rows:
        raise click.ClickException(
            f"no shortage table for {week or 'any week'}: run `jobmon monitor` first (or `jobmon demo`)")
    rows = rows[:top] if top else rows
    if fmt == "table":
        click.echo(f"Shortage table {week} (求人倍率 = openings ÷ active job seekers)")
    write_rows(rows, fmt, SHORTAGE_TABLE)


@main.command()
@db_option
@click.option("--limit", default=20, show_default=True, help="Most recent runs to show.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def runs(db_path, limit, fmt):
    """List crawl runs, newest first: pages, new and updated records, rejects, errors.

    \b
    Example:
        jobmon runs --limit 5
    """
    write_rows(reads.crawl_runs(open_store(db_path), limit), fmt, RUNS_TABLE)


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
    for line in sys.stdin:
        title = line.rstrip("\r\n")
        match = match_title(title)
        writer.writerow([title, match.code or "", match.name or "", match.level or "", match.score,
                         match.method or ""])


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

    for line in sys.stdin:
        raw = line.rstrip("\r\n")
        salary = parse_salary(raw)
        value = asdict(salary) if salary else {"raw": raw, "min_monthly": None, "max_monthly": None,
                                                 "months_per_year": None, "period": None, "negotiable": False}
        click.echo(json.dumps(value, ensure_ascii=False))


# Command groups defined in their own modules (cli_<topic>.py) register here, one line each.
