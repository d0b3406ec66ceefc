"""``jobmon review``: the titles the matcher could not place (or placed with low confidence),
accepting an alias for one, and exporting the accepted aliases as a shippable file."""
from __future__ import annotations

import csv
from datetime import datetime

import click

from .cli_common import db_option, open_store
from .output import FORMATS, neutralised_row, write_rows

DEFAULT_MIN_SCORE = 80.0


def _load_matcher(db) -> int:
    """Make the title matcher use the store's accepted aliases."""
    from db.review import accepted_aliases
    from normalize.titles import set_extra_aliases

    return set_extra_aliases(accepted_aliases(db))


def list_options(command):
    """The options of the review list, shared by `jobmon review` and `jobmon review list`."""
    command = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)(command)
    command = click.option("--min-score", type=float, default=DEFAULT_MIN_SCORE, show_default=True,
                           help="Matches scoring below this are listed for review too (fuzzy matches always are).")(command)
    return click.option("--limit", type=click.IntRange(1), default=30, show_default=True,
                        help="Titles to list.")(command)


@click.group(invoke_without_command=True)
@db_option
@list_options
@click.pass_context
def review(ctx, db_path, limit, min_score, fmt):
    """Review posting and job-seeker titles the occupation matcher could not place.

    Lists cleaned titles that got no occupation, a score below --min-score, or only a fuzzy
    match, most frequent first (postings and seekers together), with the current answer and the
    matcher's top 3 candidate occupations. Accept the right code for a title with
    `jobmon review accept`; the matcher then knows it, and the records are re-normalized.

    \b
    Example:
        jobmon review --limit 20
        jobmon review accept "快递小哥" 4-02-07-08 --note "courier slang"
        jobmon review export accepted_aliases.csv
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db_path": db_path}
        return
    _list(db_path, limit, min_score, fmt)


@review.command("list")
@db_option
@list_options
@click.pass_context
def review_list(ctx, db_path, limit, min_score, fmt):
    """List unmatched and low-confidence titles by frequency, with their top 3 candidates.

    The same list as plain `jobmon review`; --format csv or json for machines.

    \b
    Example:
        jobmon review list --min-score 85 --format csv > to_review.csv
    """
    _list(db_path or (ctx.obj or {}).get("db_path"), limit, min_score, fmt)


def _list(db_path, limit, min_score, fmt) -> None:
    from db.review import titles_to_review
    from normalize.titles import candidates

    db = open_store(db_path)
    _load_matcher(db)
    rows = []
    for row in titles_to_review(db, min_score, limit):
        found = candidates(row["title_clean"], limit=3)
        for rank in range(3):
            match = found[rank] if rank < len(found) else None
            row[f"candidate_{rank + 1}"] = f"{match.code} {match.name} ({match.score:.0f})" if match else None
        rows.append(row)
    if not rows and fmt == "table":
        click.echo("Nothing to review: every title has an occupation with a score of at least "
                   f"{min_score:g} (or the store is empty).")
        return
    write_rows(rows, fmt, table_columns={
        "records": "n", "title_clean": "title", "code": "current", "score": "score", "method": "method",
        "candidate_1": "candidate 1", "candidate_2": "candidate 2", "candidate_3": "candidate 3"})


@review.command("accept")
@db_option
@click.argument("title")
@click.argument("code")
@click.option("--note", default=None, help="Why this code: kept with the alias.")
@click.pass_context
def review_accept(ctx, db_path, title, code, note):
    """Record TITLE as an alias of occupation CODE and re-normalize the records it changes.

    TITLE may be written as on the board or as `jobmon review` shows it: it is cleaned the way
    the matcher cleans titles. CODE is a 2022 code at 细类 (2-02-10-03) or, when only that is
    certain, a coarser 小类/中类/大类 (2-02-10-00). Postings and job seekers whose cleaned title
    is this alias are normalized again (occupation, score, method, dedup key). Accepting the same
    title again replaces the earlier code.

    \b
    Example:
        jobmon review accept "快递小哥 日结" 4-02-07-08 --note "courier slang"
    """
    from db.review import save_alias
    from db.store import now_iso
    from normalize.taxonomy import LEVEL_NAMES, occupations
    from normalize.titles import MATCHER_VERSION, alias_key, clean_title

    db_path = db_path or (ctx.obj or {}).get("db_path")
    occupation = occupations().get(code.strip())
    if occupation is None:
        raise click.BadParameter(f"{code!r} is not a code of the 2022 classification; codes look like "
                                 "2-02-10-03 (细类) or 2-02-10-00 (小类); see the occupations table",
                                 param_hint="CODE")
    cleaned = clean_title(title)
    key = alias_key(cleaned)
    if not key:
        raise click.BadParameter(f"{title!r} is nothing but noise once cleaned (pay, places, benefits): "
                                 "accept the title's meaningful words", param_hint="TITLE")
    db = open_store(db_path)
    row = {"alias_key": key, "alias": cleaned, "code": occupation.code, "level_name": LEVEL_NAMES[occupation.level],
           "note": note, "accepted_at": now_iso(), "matcher_version": MATCHER_VERSION,
           "postings_renormalized": 0, "seekers_renormalized": 0}
    save_alias(db, row)
    _load_matcher(db)
    counts = {table: _renormalize(db, table, key) for table in ("postings", "seekers")}
    row.update(postings_renormalized=counts["postings"], seekers_renormalized=counts["seekers"])
    save_alias(db, row)
    click.echo(f"accepted: {cleaned} → {occupation.code} {occupation.name} ({LEVEL_NAMES[occupation.level]}); "
               f"re-normalized {counts['postings']} postings and {counts['seekers']} job seekers")


def _renormalize(db, table: str, key: str) -> int:
    """Normalize again, through normalize.record, the records whose cleaned title is ``key``."""
    from crawlers.pipelines import NORMALIZERS, RAW_COLUMNS
    from db.review import records_with_title, update_normalized

    stored = {c[1] for c in db.execute(f"PRAGMA table_info({table})").fetchall()}
    raw_columns = [c for c in RAW_COLUMNS[table] if c in stored]
    records = records_with_title(db, table, key, [*raw_columns, "city"])
    updates = []
    for record in records:
        fetched = record.get("fetched_at")
        fetched_at = datetime.fromisoformat(fetched) if fetched else datetime.now().astimezone()
        # the record's resolved city stands in for the crawl's --city, so its place reads the same
        normalized = NORMALIZERS[table](record, fetched_at, record.get("city"))
        values = {name: getattr(normalized, name) for name in normalized.__slots__ if name in stored}
        updates.append({"id": record["id"], **values})
    return update_normalized(db, table, updates)


@review.command("export")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.pass_context
def review_export(ctx, db_path, file):
    """Write the accepted aliases to FILE as CSV in the shipped alias format (alias,code,note).

    The file can be added to normalize/data/ (title_aliases.csv for 细类 codes,
    title_aliases_coarse.csv for coarser ones) so that every installation knows the aliases.

    \b
    Example:
        jobmon review export accepted_aliases.csv
    """
    from db.review import accepted_alias_rows

    db = open_store(db_path or (ctx.obj or {}).get("db_path"))
    rows = accepted_alias_rows(db)
    with open(file, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias", "code", "note"])
        for row in rows:
            note = f"accepted {row['accepted_at'][:10]}" + (f": {row['note']}" if row["note"] else "")
            writer.writerow(neutralised_row([row["alias"], row["code"], note]))
    click.echo(f"wrote {len(rows)} accepted aliases to {file}")
