"""`jobmon monitor` (compute and store) and `jobmon shortages` (read the ranked lists)."""
from __future__ import annotations

import sys
from contextlib import nullcontext

import click
import pandas as pd

from db import reads

from .cli_common import checked_week, db_option, open_store
from .output import TABLE_FORMATS, write_rows, write_xlsx
from .weekly import DETAILED_GROUPINGS, LEVELS, STANDARD_GROUPINGS
from .weeks import parse_week

SHORTAGE_TABLE = {
    "rank": "rank", "occupation_code": "code", "occupation_name": "occupation", "shortage_level": "level",
    "stars": "★", "shortage_type": "type", "postings_active": "postings", "openings": "openings",
    "seekers": "seekers", "demand_supply_ratio": "求人倍率", "salary_p25": "pay P25", "salary_p50": "P50",
    "salary_p75": "P75", "demand_growth_4w": "demand 4w", "salary_growth_4w": "pay 4w",
}
DEMAND_TABLE = {  # a list without job seekers: the demand side
    "rank": "rank", "occupation_code": "code", "occupation_name": "occupation", "postings_active": "postings",
    "postings_new": "new", "openings": "openings", "salary_p25": "pay P25", "salary_p50": "P50",
    "salary_p75": "P75", "demand_growth_4w": "demand 4w", "salary_growth_4w": "pay 4w",
    "duration_median_days": "days open",
}
DEMAND_NOTE = ("no job seekers in {what}: the demand side only, ordered by active postings; the 求人倍率, the "
               "shortage level and the type need job seekers (jobmon import seekers, or crawl them)")
BY_COLUMN = {"district": {"place": "district"}, "zone": {"place": "zone"}, "industry": {"industry": "industry"}}
EXPLAINED = ["postings_active", "postings_new", "openings", "employers", "seekers", "salary_n", "salary_p25",
             "salary_p50", "salary_p75", "salary_mean"]


def progress_line(message: str) -> None:
    click.echo(f"      {message}", err=True)


@click.command()
@db_option
@click.option("--week", default=None, help="Store only this ISO week, e.g. 2026-W47 (earlier weeks are still "
                                           "read, for growth and persistence).")
@click.option("--all", "all_weeks", is_flag=True, help="Store every week with data (the default).")
@click.option("--city", default="北京市", show_default=True, help="Market to compute; '' for all places.")
@click.option("--detail", type=click.Choice(["standard", "full"]), default="standard", show_default=True,
              help="standard: every level city-wide, 中类 by district, zone and industry; full: also 细类 and "
                   "小类 by district, zone and industry (many more, mostly small, cells).")
def monitor(db_path, week, all_weeks, city, detail):
    """Compute and store weekly metrics and the shortage lists.

    For every ISO week with postings: counts, 求人倍率 with its 95% interval, pay quartiles,
    posting durations, reposts and growth per occupation (细类, 小类, 中类, 大类) × place (the city,
    each district, each zone) × industry, small cells marked suppressed; then the ranked shortage
    list of every cut. Tables: weekly_metrics and shortages (docs/data-dictionary.md); the method:
    docs/methodology.md.

    \b
    Example:
        jobmon monitor --all
        jobmon monitor --week 2026-W47
        jobmon monitor --detail full     # 细类 by district too
    """
    from .compute import compute

    if week and all_weeks:
        raise click.UsageError("give --week or --all, not both")
    db = open_store(db_path)
    groupings = STANDARD_GROUPINGS if detail == "standard" else DETAILED_GROUPINGS
    weeks = compute(db, city=city or None, weeks=[checked_week(week)] if week else None, progress=progress_line,
                    groupings=groupings)
    if not weeks:
        raise click.ClickException(
            f"no postings with an occupation and a date{' in week ' + week if week else ''} in the store: "
            "crawl first (jobmon demo, or jobmon crawl --url ...), or pick a week that has postings")
    click.echo(f"computed {len(weeks)} week(s): {weeks[0]} … {weeks[-1]}")


@click.command()
@db_option
@click.option("--week", default=None, help="ISO week, e.g. 2026-W47. Default: the latest computed.")
@click.option("--by", "by", type=click.Choice(["occupation", "district", "zone", "industry"]), default="occupation",
              show_default=True, help="occupation: the whole city; district / zone / industry: one list per "
                                      "district, zone or industry.")
@click.option("--level", type=click.Choice(list(LEVELS)), default="细类", show_default=True,
              help="Occupation level: 细类 (finest), 小类, 中类, 大类 (大类 only with --by occupation).")
@click.option("--top", type=int, default=20, show_default=True, help="Rows to show (per list with --by; 0 for all).")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output (required for xlsx).")
@click.option("--explain", "explain_code", default=None, metavar="CODE",
              help="Trace one occupation's whole-city numbers to the postings and seekers behind them.")
def shortages(db_path, week, by, level, top, fmt, out_path, explain_code):
    """Print a week's ranked shortage table.

    Columns: rank, occupation (2022 code and name), shortage level (严重紧缺/紧缺/平衡/过剩) with
    stars ★1–5 and type (供给性/流动性/小规模供给性/一般紧缺), active postings, openings, active job
    seekers, demand_supply_ratio (求人倍率 = openings ÷ seekers), pay quartiles of the monthly
    midpoint (CNY) and 4-week growth of demand and pay. csv, json and xlsx carry every column,
    including supply_demand_ratio (供需比), gap, durations, drivers and `suppressed` (fields hidden
    because the cell is small; their values are null). A week without job seekers (postings
    imported alone) gets its demand table instead: active postings, new, openings, pay, growth
    and days open, ordered by active postings, with the ratio, level and type empty
    (list_kind = demand). How each number is made: docs/methodology.md; --explain CODE shows the
    postings and seekers behind one row.

    \b
    Example:
        jobmon shortages --top 10
        jobmon shortages --week 2026-W46 --format json
        jobmon shortages --by district --level 小类 --top 5
        jobmon shortages --format xlsx --out shortages.xlsx
        jobmon shortages --explain 2-02-38-01
    """
    db = open_store(db_path)
    week = checked_week(week)
    if fmt == "xlsx" and not out_path:
        raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
    if explain_code:
        return explain(db, week, explain_code)
    week, rows = reads.shortage_rows(db, week, level=level, by=by)
    if not rows:
        first, last = db.execute("SELECT min(week), max(week) FROM weekly_metrics").fetchone()
        hint = ("run `jobmon monitor` first (or `jobmon demo`)" if week is None else
                f"the store's weeks run from {first} to {last}" if first and not first <= week <= last else
                "大类 lists exist only with --by occupation" if level == "大类" else
                "lists by district, zone or industry are computed at 中类; `jobmon monitor --detail full` adds "
                "细类 and 小类" if by != "occupation" and level != "中类" else
                "no occupation in it was large enough to rank, or to list by demand (docs/methodology.md, section 6)")
        raise click.ClickException(f"no shortage table for {week or 'any week'} (level {level}, by {by}): {hint}")
    rows = _top(rows, top, by)
    for row in rows:
        row["suppressed"] = [f for f in (row["suppressed"] or "").split(",") if f]
    demand = [row for row in rows if row["list_kind"] == "demand"]
    note = None if not demand else DEMAND_NOTE.format(
        what=week if len(demand) == len(rows) else "the lists marked list_kind = demand")
    columns = {**BY_COLUMN.get(by, {}), **(DEMAND_TABLE if len(demand) == len(rows) else SHORTAGE_TABLE)}
    if note and fmt not in ("table", "md"):
        click.echo(f"note: {note}", err=True)  # csv, json and xlsx stay plain tables; each row has list_kind
    if fmt == "xlsx":
        write_xlsx(rows, out_path, f"shortages {week}", note=note)
        click.echo(f"wrote {len(rows)} rows to {out_path}", err=True)
        return
    with open(out_path, "w", encoding="utf-8", newline="") if out_path else nullcontext(sys.stdout) as out:
        if fmt in ("table", "md") and len(demand) == len(rows):
            out.write(f"Demand table {week}, {level}, by {by}: {note}\n")
        elif fmt in ("table", "md"):
            out.write(f"Shortage table {week}, {level}, by {by} (求人倍率 = openings ÷ active job seekers)\n")
            if note:
                out.write(f"Note: {note}\n")
        write_rows(rows, fmt, columns, out=out)


def _top(rows: list[dict], top: int, by: str) -> list[dict]:
    if not top:
        return rows
    if by == "occupation":
        return rows[:top]
    key = "industry" if by == "industry" else "place"
    return [row for row in rows if row["rank"] <= top and row[key] is not None]


def explain(db, week: str | None, code: str) -> None:
    """Print one cell's stored numbers beside the same numbers recomputed by plain SQL over the
    postings and seekers, and the SQL itself."""
    week = week or db.execute("SELECT max(week) FROM weekly_metrics").fetchone()[0]
    if week is None:
        raise click.ClickException("no weekly metrics yet: run `jobmon monitor` first")
    stored = reads.explain_cell(db, week, code)
    if not stored:
        raise click.ClickException(f"no whole-city 细类 row for {code} in {week}: is the code right "
                                   "(jobmon match-titles can find it)?")
    monday, sunday = parse_week(week)
    city = stored["place"] if stored["place"] != "all" else None
    params = {"code": code, "city": city, "monday": monday.isoformat(), "sunday": sunday.isoformat()}
    postings = pd.read_sql_query(reads.cell_postings_sql(db), db.conn, params=params)
    seekers = pd.read_sql_query(reads.cell_seekers_sql(), db.conn, params=params)
    pay = postings["salary"].dropna()
    recomputed = {
        "postings_active": len(postings), "postings_new": int(postings["new"].sum()),
        "openings": int(postings["headcount"].sum()), "employers": postings["company_norm"].nunique(),
        "seekers": len(seekers), "salary_n": len(pay), "salary_p25": pay.quantile(0.25),
        "salary_p50": pay.median(), "salary_p75": pay.quantile(0.75), "salary_mean": pay.mean(),
    }
    click.echo(f"{code} {stored['occupation_name']}, {stored['place']}, {week} ({monday} – {sunday})")
    click.echo(f"suppressed: {stored['suppressed'] or '(none)'}  {stored['suppression_reasons']}")
    write_rows([{"field": f, "stored": stored.get(f), "recomputed from the rows below": recomputed[f]}
                for f in EXPLAINED], "table")
    click.echo(f"\nratio: demand_supply_ratio = openings ÷ seekers = {stored['demand_supply_ratio']}; "
               f"durations, reposts and growth: docs/methodology.md\n")
    click.echo("Unique postings counted (one per duplicate cluster, its latest posting):")
    click.echo(postings.to_string(index=False, max_rows=40))
    click.echo(f"\nSQL (parameters {params}):{reads.cell_postings_sql(db)}")
    click.echo(f"Job seekers counted: {len(seekers)}")
    click.echo(f"SQL:{reads.cell_seekers_sql()}")
