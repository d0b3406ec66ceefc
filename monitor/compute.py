"""Compute and store the weekly metrics and shortage lists from the store's postings/seekers."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import sqlite_utils

from db import reads
from db.store import now_iso
from db.writes import replace_weeks

from . import shortage, weekly
from .duplicates import update_clusters
from .weeks import week_of


def available_weeks(postings: pd.DataFrame) -> tuple[str, str] | None:
    """First and last ISO week with a posting, or None."""
    if postings.empty or postings["posted_at"].isna().all():
        return None
    return week_of(postings["posted_at"].min().date()), week_of(postings["posted_at"].max().date())


def compute(db: sqlite_utils.Database, city: str | None = "北京市", weeks: list[str] | None = None,
            progress: Callable[[str], None] | None = None,
            groupings=weekly.DEFAULT_GROUPINGS) -> list[str]:
    """Compute every week with data at once and store ``weeks`` (default: all of them; earlier
    weeks are always computed, for growth and persistence). Returns the weeks written."""
    def say(message):
        if progress:
            progress(message)

    clustered = update_clusters(db)  # duplicate clusters first: the metrics count clusters
    if clustered:
        say(f"duplicates: {clustered['postings']:,} postings in {clustered['clusters']:,} clusters "
            f"({clustered['written']:,} rows updated)")
    postings = weekly.prepare_postings(reads.monitor_postings(db, city))
    seekers = weekly.prepare_seekers(reads.monitor_seekers(db, city))
    span = available_weeks(postings)
    if span is None:
        return []
    first, last = span
    targets = [weekly.week_label(n) for n in range(weekly.week_number(first), weekly.week_number(last) + 1)]
    if weeks is not None:
        targets = [w for w in targets if w in weeks]
    if not targets:
        return []
    last = max(targets)
    say(f"read {len(postings):,} postings and {len(seekers):,} job seekers; weeks {first} … {last}")
    frames = [postings, seekers]
    del postings, seekers  # compute_metrics drops them once exploded: a million rows of text is big
    raw = weekly.compute_metrics(frames.pop(0), frames.pop(0), first, last, reads.occupation_names(db),
                                 city or "all", groupings, reads.official_seekers(db, city))
    published = weekly.suppress(raw)
    say(f"weekly metrics: {len(raw):,} cells ({(published['suppressed'] != '').sum():,} with suppressed values)")
    ranked = shortage.shortage_list(raw, published) if len(raw) else pd.DataFrame(columns=shortage.SHORTAGE_COLUMNS)
    say(f"shortage lists: {len(ranked):,} ranked cells")
    computed_at = now_iso()
    chosen = published["week"].isin(targets)
    _store(db, "weekly_metrics", targets, published.loc[chosen, weekly.METRIC_COLUMNS], computed_at)
    _store(db, "shortages", targets, ranked[ranked["week"].isin(targets)], computed_at)
    latest = ranked[ranked["week"] == last]
    say(f"stored {len(targets)} week(s); {last}: "
        f"{((latest['level'] == '细类') & (latest['place_kind'] == 'city') & (latest['industry'] == 'all')).sum()} "
        f"occupations ranked city-wide")
    return targets


def _store(db: sqlite_utils.Database, table: str, weeks: list[str], frame: pd.DataFrame, computed_at: str) -> None:
    """Write a frame's rows; NaN goes in as NULL, numpy scalars as Python numbers."""
    columns = [*frame.columns, "method_version", "computed_at"]
    values = [_plain(frame[c]) for c in frame.columns]
    n = len(frame)
    values += [[weekly.METHOD_VERSION] * n, [computed_at] * n]
    replace_weeks(db, table, weeks, columns, zip(*values))


def _plain(column: pd.Series) -> list:
    """Python values for sqlite3: numbers as int/float (NaN is stored as NULL), text with None."""
    if column.dtype.kind in "iub":
        return column.tolist()
    if column.dtype.kind == "f":
        return column.astype("float64").tolist()
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()
