"""Compute and store the weekly metrics and shortage lists from the store's postings/seekers."""
from __future__ import annotations

import pandas as pd
import sqlite_utils

from db import reads
from db.store import now_iso
from db.writes import replace_week

from . import shortage, weekly
from .weeks import weeks_between


def available_weeks(postings: pd.DataFrame) -> list[str]:
    if postings.empty:
        return []
    return weeks_between(postings["posted_at"].min().date(), postings["posted_at"].max().date())


def compute(db: sqlite_utils.Database, city: str | None = "北京市", weeks: list[str] | None = None,
            progress=None) -> list[str]:
    """Compute every week with data (or only ``weeks``; earlier weeks are still read for growth)
    and store the results. Returns the weeks written."""
    postings = weekly.prepare_postings(reads.monitor_postings(db, city))
    seekers = weekly.prepare_seekers(reads.monitor_seekers(db, city))
    names = reads.occupation_names(db)
    every_week = available_weeks(postings)
    targets = [w for w in every_week if weeks is None or w in weeks]
    if targets:
        every_week = [w for w in every_week if w <= max(targets)]
    history = []
    computed_at = now_iso()
    for week in every_week:
        metrics = weekly.metrics_for_week(postings, seekers, week, names)
        history.append(metrics)
        if week not in targets:
            continue
        so_far = pd.concat(history, ignore_index=True)
        ranked = shortage.shortage_list(so_far, week)
        replace_week(db, "weekly_metrics", week, _records(metrics, weekly.METHOD_VERSION, computed_at))
        replace_week(db, "shortages", week, _records(ranked, shortage.METHOD_VERSION, computed_at))
        if progress:
            progress(week, len(metrics), len(ranked))
    return targets


def _records(frame: pd.DataFrame, method_version: str, computed_at: str) -> list[dict]:
    frame = frame.astype(object).where(frame.notna(), None)
    rows = frame.to_dict("records")
    for row in rows:
        row["method_version"] = method_version
        row["computed_at"] = computed_at
    return rows
