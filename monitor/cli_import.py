"""``jobmon import``: bring postings, job seekers and official supply counts from files."""
from __future__ import annotations

import sys

import click

from db.store import resolve_db_path

from .cli_common import db_option, open_store

FORMAT_NAMES = ("csv", "tsv", "jsonl", "xlsx")


def _file_options(command):
    """The options every import subcommand shares."""
    for option in reversed([
        click.argument("file", type=click.Path(exists=True, dir_okay=False)),
        db_option,
        click.option("--source", default=None,
                     help="Source name for rows without a `source` column. Default: the file name without extension."),
        click.option("--map", "maps", multiple=True, metavar="STANDARD=THEIRS,...",
                     help="Which of your headers holds a standard column, e.g. --map title=职位名称,company=公司; "
                          "location_text=地区+地址 joins two headers' values. Repeatable."),
        click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
                     help="File format. Default: from the extension (.csv .tsv .jsonl .ndjson .xlsx)."),
        click.option("--encoding", default=None,
                     help="Text encoding of CSV/JSONL. Default: detected (UTF-8, UTF-8 with BOM, GBK/GB18030)."),
        click.option("--sheet", default=None, help="Excel sheet to read. Default: the first."),
        click.option("--city", default=None, help="City a bare district name belongs to, e.g. 北京市."),
    ]):
        command = option(command)
    return command


@click.group("import")
def import_group():
    """Import data the crawler did not collect: postings, job seekers, official supply counts.

    Files may be CSV (UTF-8, UTF-8 with BOM or GBK, detected), TSV, JSON Lines or Excel .xlsx.
    Columns with a standard name are used as such (see `jobmon import postings --help`);
    --map names your own headers; any other column is kept in the record's extra_json.
    Records go through the same normalization as crawled ones; each import is a row of
    `jobmon runs` (spider import:<format>), and rows that cannot be used are stored in the
    rejects table with the reason, the file and the line, while the import goes on.

    \b
    Example:
        jobmon import postings jobs.csv --source survey2024
        jobmon import seekers talent.xlsx --map desired_title=期望职位
        jobmon import supply-counts pes_2024q1.csv --source 北京市公共就业服务
    """


def _run(kind: str, file, db_path, source, maps, fmt, encoding, sheet, city):
    from crawlers.columns import MappingError, parse_mapping
    from crawlers.files import FileFormatError

    if kind == "supply-counts":
        from crawlers.supply_counts import STANDARD_COLUMNS
        from crawlers.supply_counts import import_supply_counts as do_import
        standard = STANDARD_COLUMNS
    else:
        from crawlers.imports import STANDARD_COLUMNS, import_records

        standard = tuple(STANDARD_COLUMNS[kind])

        def do_import(db, path, **options):
            return import_records(db, kind, path, **options)
    try:
        mapping = parse_mapping(maps, standard)
    except MappingError as error:
        raise click.BadParameter(str(error), param_hint="--map") from None
    db = open_store(db_path)
    with click.progressbar(length=1000, label=f"importing {file}", file=sys.stderr) as bar:
        state = {"shown": 0}

        def progress(done: int, total: int) -> None:
            target = int(1000 * done / total) if total else 0
            bar.update(target - state["shown"])
            state["shown"] = target

        try:
            result = do_import(db, file, source=source, mapping=mapping, fmt=fmt, encoding=encoding, sheet=sheet,
                               city=city, progress=progress)
        except (FileFormatError, MappingError) as error:
            raise click.ClickException(str(error)) from None
    rejected = sum(result.rejected.values())
    reasons = ", ".join(f"{reason} {n}" for reason, n in result.rejected.most_common())
    click.echo(
        f"run {result.run_id}: {result.rows:,} rows of {result.file} ({result.format}"
        f"{', ' + result.encoding if result.encoding else ''}) → {result.new:,} new, {result.updated:,} updated, "
        f"{rejected:,} rejected{' (' + reasons + ')' if reasons else ''} in {result.seconds:.1f} s "
        f"({result.rows_per_second:,.0f} rows/s)"
    )
    if rejected:
        click.echo(f"  see them: sqlite-utils {resolve_db_path(db_path)} \"select line, reason, raw_json from rejects "
                   f"where crawl_run_id = {result.run_id}\" --table")


@import_group.command("postings")
@_file_options
def import_postings(file, db_path, source, maps, fmt, encoding, sheet, city):
    """Import job postings (demand) from FILE.

    \b
    Standard columns (only title is required):
      source, source_id, url, title, company, salary_text, location_text,
      posted_at, closed_at, industry_text, education_text, experience_text,
      description, headcount  (also: employment_type, valid_through)
      salary_min, salary_max, salary_months: numeric pay columns, for files with no pay
      text (a "monthly" maximum under 1,000 is read as daily pay, under 100 as hourly)
    A row's identity is (source, source_id): re-importing it updates the stored record. Without
    source_id the url is the id; without both, a hash of the row. Dates may be written as boards
    write them (2024-03-01, 2024/3/1, 2024年3月1日, 3天前 counted from now); a date that cannot be
    read rejects the row (bad_date_posted_at, ...).

    \b
    Example:
        jobmon import postings jobs.csv --source survey2024 --city 北京市
        jobmon import postings export.xlsx --map title=职位名称,company=公司名称,salary_text=薪资
        jobmon import postings jobs.jsonl --db /tmp/research.db
    """
    _run("postings", file, db_path, source, maps, fmt, encoding, sheet, city)


@import_group.command("seekers")
@_file_options
def import_seekers(file, db_path, source, maps, fmt, encoding, sheet, city):
    """Import job-seeker listings (supply) from FILE.

    \b
    Standard columns (only desired_title is required):
      source, source_id, desired_title, location_text, expected_salary_text,
      active_from, active_to  (also: url, education_text, experience_text)
    Identity, re-imports and dates work as for `jobmon import postings`.

    \b
    Example:
        jobmon import seekers talent.csv --source campus-fair
        jobmon import seekers talent.xlsx --map desired_title=期望职位,expected_salary_text=期望薪资
    """
    _run("seekers", file, db_path, source, maps, fmt, encoding, sheet, city)


@import_group.command("supply-counts")
@_file_options
def import_supply_counts(file, db_path, source, maps, fmt, encoding, sheet, city):
    """Import official job-seeker counts (e.g. a public employment service's table) from FILE.

    They go to the supply_counts table, apart from crawled job seekers, labelled by --source so
    every metric that uses them can name where they came from.

    \b
    Standard columns:
      period_start, period_end  dates; or one `period`: 2024, 2024-03, 2024Q1, 2024年一季度, 2024H1
      occupation                2022 code (2-02-10-03, or coarser 2-02-10) or exact official name
      area                      北京市, 海淀区, ...
      seekers                   number of job seekers (求职人数)
      openings                  optional: number of openings (需求人数)
      source                    optional: label per row (default --source)
    An occupation that is neither a code nor an official name is rejected
    (occupation_unresolved). Re-importing a (source, period, occupation, area) updates it.
    --city names the city of bare districts (海淀区) and of areas such as 全市.

    \b
    Example:
        jobmon import supply-counts pes_2024q1.csv --source 北京市公共就业服务 --city 北京市
        jobmon import supply-counts 供求.xlsx --map occupation=职业名称,seekers=求职人数,period=季度,area=地区
    """
    _run("supply-counts", file, db_path, source, maps, fmt, encoding, sheet, city)
