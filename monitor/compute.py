"""Compute and store the weekly metrics and shortage lists from the store's postings/seekers."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pandas as pd
import sqlite_utils

from db import reads
from db.frame_writer import FrameWriter
from db.store import checkpoint_deferred, now_iso
from normalize.clusters import MIN_TEXT_CHARS

from . import complementary, shortage, weekly
from .duplicates import Clusters, cluster_changes, store_changes
from .weeks import week_of

READ_PARTS = 2  # the postings are read in this many id ranges at once (one per core)
MONITOR_COLUMNS = ["id", "occupation_code", "company_norm", "district", "zone", "industry", "posted_at", "closed_at",
                   "valid_through", "headcount", "salary"]  # of reads.monitor_inputs_query; ``cluster`` is added


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

    Duplicate clusters come first (the metrics count clusters): postings and job seekers are read
    at once by child processes, and the postings clustered in memory by a worker thread. Then the
    worker computes each grouping's cells while this thread writes the changed cluster ids; a
    second thread completes each grouping's table (growth, ratios) while the worker computes the
    next. Suppression needs every table at once (a hidden count must not come back as a total
    minus its parts, across groupings: ``complementary``); then both threads rank the lists, and
    this thread hands each finished grouping to the child process that stores them all in one
    transaction (``db.frame_writer``). numpy and SQLite work without holding Python's lock, so the
    threads share both cores."""
    def say(message):
        if progress:
            progress(message)

    with ThreadPoolExecutor(max_workers=1) as worker, ThreadPoolExecutor(max_workers=1) as finisher:
        postings, seekers, clusters = _inputs(db, city, worker)
        span = available_weeks(postings)
        targets = _targets(span, weeks)
        if targets:
            say(f"read {len(postings):,} postings and {len(seekers):,} job seekers; weeks {span[0]} … {max(targets)}")
            frames = [postings, seekers]
            del postings, seekers  # the worker drops them once encoded: a million rows of text is big
            setup = worker.submit(_table_inputs, frames, span[0], max(targets), reads.occupation_names(db),
                                  city or "all", groupings, reads.official_seekers(db, city))
            raw = [worker.submit(_grouping_table, setup, grouping, number) for number, grouping in enumerate(groupings)]
            completed = [finisher.submit(_completed, setup, grouping, table) for grouping, table in zip(groupings, raw)]
            published = finisher.submit(_published, setup, completed)
            finished = [(worker if number % 2 else finisher).submit(_ranked, groupings, published, number)
                        for number in range(len(groupings))]  # the two threads rank the lists
            del raw, completed, setup  # the exploded rows are let go once every table is complete
        if clusters is not None:
            with checkpoint_deferred(db):
                counts = store_changes(db, clusters)
            say(f"duplicates: {counts['postings']:,} postings in {counts['clusters']:,} clusters "
                f"({counts['written']:,} rows updated)")
        if not targets:
            return []
        last, seen = max(targets), {"cells": 0, "suppressed": 0, "ranked": 0, "demand": 0, "latest": 0,
                                    "latest_demand": 0}
        constants = {"method_version": weekly.METHOD_VERSION, "computed_at": now_iso()}
        with FrameWriter(db, reads.store_file(db), targets) as writer:
            for number in range(len(finished)):
                published, ranked = finished[number].result()
                finished[number] = None
                seen["cells"] += len(published)
                seen["suppressed"] += (published["suppressed"] != "").sum()
                seen["ranked"] += (ranked["list_kind"] == "shortage").sum()
                seen["demand"] += (ranked["list_kind"] == "demand").sum()
                latest = ((ranked["week"] == last) & (ranked["level"] == "细类") & (ranked["place_kind"] == "city")
                          & (ranked["industry"] == "all"))
                seen["latest"] += (latest & (ranked["list_kind"] == "shortage")).sum()
                seen["latest_demand"] += (latest & (ranked["list_kind"] == "demand")).sum()
                writer.write("weekly_metrics", published.loc[published["week"].isin(targets),
                                                             weekly.METRIC_COLUMNS], constants)
                writer.write("shortages", ranked[ranked["week"].isin(targets)], constants)
    say(f"weekly metrics: {seen['cells']:,} cells ({seen['suppressed']:,} with suppressed values)")
    say(f"shortage lists: {seen['ranked']:,} ranked cells"
        + (f"; {seen['demand']:,} cells in demand lists (lists without job seekers)" if seen["demand"] else ""))
    say(f"stored {len(targets)} week(s); {last}: {seen['latest']} occupations ranked city-wide"
        + (f", {seen['latest_demand']} listed by demand only (no job seekers)" if seen["latest_demand"] else ""))
    return targets


def _inputs(db: sqlite_utils.Database, city: str | None, worker: ThreadPoolExecutor
            ) -> tuple[pd.DataFrame, pd.DataFrame, Clusters | None]:
    """The market's prepared postings, each with its duplicate ``cluster``, the prepared job
    seekers, and the clustering of every posting in the store (None when the store keeps no
    clusters: ``cluster`` is then the stored duplicate key). Both tables are read at once
    (``reads.read_frames``); ``worker`` clusters the postings while the job seekers are prepared."""
    queries = [reads.monitor_inputs_query(db, city, MIN_TEXT_CHARS, ids)
               for ids in reads.id_ranges(db, "postings", READ_PARTS)]
    if queries[0] is None:
        seekers, = reads.read_frames(db, [[reads.monitor_seekers_query(city)]])
        return weekly.prepare_postings(reads.monitor_postings(db, city)), weekly.prepare_seekers(seekers), None
    records, seekers = reads.read_frames(db, [queries, [reads.monitor_seekers_query(city)]])
    clustering = worker.submit(_clustered, records)
    del records  # the worker lets go of the text of every posting once clustered
    seekers = weekly.prepare_seekers(seekers)
    postings, clusters = clustering.result()
    return postings, seekers, clusters


def _clustered(records: pd.DataFrame) -> tuple[pd.DataFrame, Clusters]:
    """The prepared postings of the market among ``records`` (``reads.monitor_inputs_query``), each
    with its duplicate ``cluster``, and the clustering of all of them."""
    clusters = cluster_changes(records)
    market = records["in_market"].to_numpy(dtype=bool)
    return weekly.prepare_postings(records.loc[market, MONITOR_COLUMNS].assign(cluster=clusters.ids[market])), clusters


def _targets(span: tuple[str, str] | None, weeks: list[str] | None) -> list[str]:
    """Every week of the data, or those of them in ``weeks``."""
    if span is None:
        return []
    every = [weekly.week_label(n) for n in range(weekly.week_number(span[0]), weekly.week_number(span[1]) + 1)]
    return every if weeks is None else [w for w in every if w in weeks]


def _table_inputs(frames: list[pd.DataFrame], first: str, last: str, names: dict[str, str], city: str, groupings,
                  official: pd.DataFrame | None) -> weekly.TableInputs:
    """``weekly.table_inputs`` of ``frames`` = [postings, seekers], taken out of the list so that
    they are let go once encoded."""
    encoded = weekly.encode(frames.pop(0), frames.pop(0))
    return weekly.table_inputs(encoded, first, last, names, city, groupings, official)


def _grouping_table(setup: Future, grouping: weekly.Grouping, number: int) -> pd.DataFrame:
    return weekly.grouping_table(setup.result(), grouping, number)


def _completed(setup: Future, grouping: weekly.Grouping, table: Future) -> pd.DataFrame:
    """One grouping's table with growth and the rest, before suppression."""
    return weekly.completed_table(setup.result(), grouping, table.result())


def _published(setup: Future, completed: list[Future]) -> tuple[list[pd.DataFrame], list[pd.DataFrame], int]:
    """(every grouping's table before suppression, after it, the first week number of the data):
    small counts and their complements are hidden across all the tables at once
    (``complementary.publish``)."""
    raw = [table.result() for table in completed]
    inputs = setup.result()
    return raw, complementary.publish(raw, inputs.district_zone), inputs.data_first


def _ranked(groupings, published: Future, number: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(weekly metrics after suppression, shortage list) of the ``number``-th grouping."""
    raw, tables, first = published.result()
    table, raw[number] = raw[number], None  # only this grouping reads its table before suppression: let it go
    if not len(table):
        return tables[number], pd.DataFrame(columns=shortage.SHORTAGE_COLUMNS)
    city = shortage.city_table(groupings, tables, number)
    return tables[number], shortage.shortage_list(table, tables[number], first, city)
