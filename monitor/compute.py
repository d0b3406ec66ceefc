"""Compute and store the weekly metrics and shortage lists from the store's postings/seekers."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import sqlite_utils

from db import reads
from db.store import now_iso
from db.writes import replace_weeks
from normalize.clusters import MIN_TEXT_CHARS

from . import shortage, weekly
from .duplicates import Clusters, cluster_changes, store_changes
from .weeks import week_of

MONITOR_COLUMNS = ["id", "occupation_code", "company_norm", "district", "zone", "industry", "posted_at", "closed_at",
                   "valid_through", "headcount", "salary"]  # of reads.monitor_inputs; ``cluster`` is added


def available_weeks(postings: pd.DataFrame) -> tuple[str, str] | None:
    """First and last ISO week with a posting, or None."""
    if postings.empty or postings["posted_at"].isna().all():
        return None
    return week_of(postings["posted_at"].min().date()), week_of(postings["posted_at"].max().date())


def compute(db: sqlite_utils.Database, city: str | None = "北京市", weeks: list[str] | None = None,
            progress: Callable[[str], None] | None = None,
            groupings=weekly.DEFAULT_GROUPINGS) -> list[str]:
    """Compute every week with data at once and store ``weeks`` (default: all of them; earlier
    weeks are always computed, for growth and persistence). Returns the weeks written.

    Duplicate clusters come first (the metrics count clusters): the postings are read once and
    clustered in memory; then a worker thread computes the metrics while this thread writes the
    changed cluster ids (SQLite writes without holding Python's lock)."""
    def say(message):
        if progress:
            progress(message)

    with ThreadPoolExecutor(max_workers=1) as worker:
        postings, seekers, clusters = _inputs(db, city)
        span = available_weeks(postings)
        targets = _targets(span, weeks)
        if targets:
            say(f"read {len(postings):,} postings and {len(seekers):,} job seekers; weeks {span[0]} … {max(targets)}")
            inputs = [postings, seekers]
            del postings, seekers  # the worker drops them once encoded: a million rows of text is big
            tables = worker.submit(_tables, inputs, span[0], max(targets), reads.occupation_names(db), city,
                                   groupings, reads.official_seekers(db, city))
        if clusters is not None:
            counts = store_changes(db, clusters)
            say(f"duplicates: {counts['postings']:,} postings in {counts['clusters']:,} clusters "
                f"({counts['written']:,} rows updated)")
        if not targets:
            return []
        raw, published, ranked = tables.result()
    say(f"weekly metrics: {len(raw):,} cells ({(published['suppressed'] != '').sum():,} with suppressed values)")
    say(f"shortage lists: {len(ranked):,} ranked cells")
    last = max(targets)
    computed_at = now_iso()
    chosen = published["week"].isin(targets)
    _store(db, "weekly_metrics", targets, published.loc[chosen, weekly.METRIC_COLUMNS], computed_at)
    _store(db, "shortages", targets, ranked[ranked["week"].isin(targets)], computed_at)
    latest = ranked[ranked["week"] == last]
    say(f"stored {len(targets)} week(s); {last}: "
        f"{((latest['level'] == '细类') & (latest['place_kind'] == 'city') & (latest['industry'] == 'all')).sum()} "
        f"occupations ranked city-wide")
    return targets


def _inputs(db: sqlite_utils.Database, city: str | None) -> tuple[pd.DataFrame, pd.DataFrame, Clusters | None]:
    """The market's prepared postings, each with its duplicate ``cluster``, the prepared job
    seekers, and the clustering of every posting in the store (None when the store keeps no
    clusters: ``cluster`` is then the stored duplicate key)."""
    records = reads.monitor_inputs(db, city, MIN_TEXT_CHARS)
    if records is None:
        postings, clusters = weekly.prepare_postings(reads.monitor_postings(db, city)), None
    else:
        clusters = cluster_changes(records)
        market = records["in_market"].to_numpy(dtype=bool)
        postings = weekly.prepare_postings(records.loc[market, MONITOR_COLUMNS].assign(cluster=clusters.ids[market]))
        del records  # read the job seekers without the text of every posting in memory
    return postings, weekly.prepare_seekers(reads.monitor_seekers(db, city)), clusters


def _targets(span: tuple[str, str] | None, weeks: list[str] | None) -> list[str]:
    """Every week of the data, or those of them in ``weeks``."""
    if span is None:
        return []
    every = [weekly.week_label(n) for n in range(weekly.week_number(span[0]), weekly.week_number(span[1]) + 1)]
    return every if weeks is None else [w for w in every if w in weeks]


def _tables(inputs: list[pd.DataFrame], first: str, last: str, names: dict[str, str], city: str | None,
            groupings, official: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Weekly metrics before and after suppression, and the shortage lists, from ``inputs`` =
    [postings, seekers] (taken out of the list, so that they can be let go once encoded)."""
    raw = weekly.compute_metrics(inputs.pop(0), inputs.pop(0), first, last, names, city or "all", groupings, official)
    published = weekly.suppress(raw)
    ranked = shortage.shortage_list(raw, published) if len(raw) else pd.DataFrame(columns=shortage.SHORTAGE_COLUMNS)
    return raw, published, ranked


def _store(db: sqlite_utils.Database, table: str, weeks: list[str], frame: pd.DataFrame, computed_at: str) -> None:
    """Write a frame's rows; NaN goes in as NULL, numpy scalars as Python numbers."""
    columns = [*frame.columns, "method_version", "computed_at"]
    replace_weeks(db, table, weeks, columns, _rows(frame, (weekly.METHOD_VERSION, computed_at)))


def _rows(frame: pd.DataFrame, constants: tuple, chunk: int = 20_000):
    """The frame's rows as tuples of plain values followed by ``constants``, converted a chunk of
    rows at a time (a whole table of Python objects at once would take hundreds of MB)."""
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start:start + chunk]
        yield from zip(*(_plain(part[c]) for c in part.columns), *([value] * len(part) for value in constants))


def _plain(column: pd.Series) -> list:
    """Python values for sqlite3: numbers as int/float (NaN is stored as NULL), text with None."""
    if column.dtype.kind in "iub":
        return column.tolist()
    if column.dtype.kind == "f":
        return column.astype("float64").tolist()
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()
