"""``jobmon report``: the week's shortage report as one HTML file and an Excel workbook."""
from __future__ import annotations

from pathlib import Path

import click

from .cli_common import checked_week, db_option, open_store
from .report import TOP, ReportError, write_report


@click.command()
@db_option
@click.option("--week", default=None, help="ISO week, e.g. 2026-W47. Default: the latest computed.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder to write the report into (created if missing).")
@click.option("--top", type=int, default=TOP, show_default=True, help="Shortage rows in the report (0 for all).")
def report(db_path, week, out_dir, top):
    """Write a week's report: one self-contained HTML file and the same tables as Excel.

    The HTML file (jobmon-report-WEEK.html) needs no network: the top shortages table, charts of
    求人倍率 and median pay over the last 13 weeks for the top shortages, the district and
    industry tables (when the metrics have them), the data's coverage (postings, seekers, rejects,
    sources, crawl runs) and method notes. The workbook (jobmon-report-WEEK.xlsx) has one sheet
    per table. Run `jobmon monitor` first.

    \b
    Example:
        jobmon report --out reports/
        jobmon report --week 2026-W46 --out reports/ --top 50
    """
    try:
        html_path, xlsx_path = write_report(open_store(db_path), checked_week(week), Path(out_dir), top)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {html_path}\nwrote {xlsx_path}")
