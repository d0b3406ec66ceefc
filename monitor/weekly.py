"""Weekly metrics per occupation: pure functions over DataFrames (see docs/methodology.md).

A posting is active in a week when it was posted on or before the Sunday and had not ended
before the Monday; it ends at ``closed_at`` or ``valid_through``, whichever comes first. Postings
are counted once per duplicate cluster. A seeker is active from ``active_from`` to
``active_to`` (open-ended when missing).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .weeks import parse_week

METHOD_VERSION = "weekly-1"
METRIC_COLUMNS = [
    "week", "occupation_code", "occupation_name", "postings_new", "postings_active", "openings", "employers",
    "seekers", "demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high", "supply_demand_ratio", "gap", "salary_p25", "salary_p50", "salary_p75",
    "salary_mean", "salary_n", "salary_coverage",
]


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frame


def prepare_postings(postings: pd.DataFrame) -> pd.DataFrame:
    """Add ``end_at`` (the earlier of closed_at and valid_through) and typed dates."""
    frame = _dates(postings, "posted_at", "closed_at", "valid_through")
    frame["end_at"] = frame[["closed_at", "valid_through"]].min(axis=1, skipna=True)
    frame["headcount"] = frame["headcount"].fillna(1).clip(lower=1)
    return frame


def prepare_seekers(seekers: pd.DataFrame) -> pd.DataFrame:
    return _dates(seekers, "active_from", "active_to")


def ratio_interval(openings: pd.Series, seekers: pd.Series, z: float = 1.96) -> tuple[pd.Series, pd.Series]:
    """95% interval of openings ÷ seekers, both read as Poisson counts: on the log scale the
    ratio's standard error is √(1/openings + 1/seekers). NaN unless both counts are positive."""
    valid = (openings > 0) & (seekers > 0)
    o, s = openings.where(valid).astype("float64"), seekers.where(valid).astype("float64")
    spread = np.exp(z * np.sqrt(1 / o + 1 / s))
    ratio = o / s
    return ratio / spread, ratio * spread


def metrics_for_week(postings: pd.DataFrame, seekers: pd.DataFrame, week: str,
                     names: dict[str, str]) -> pd.DataFrame:
    """One row per occupation with postings or seekers active in ``week``."""
    monday, sunday = (pd.Timestamp(d) for d in parse_week(week))
    active = postings[(postings["posted_at"] <= sunday) & (postings["end_at"].isna() | (postings["end_at"] >= monday))]
    clusters = active.groupby(["occupation_code", "cluster"], sort=False).agg(
        headcount=("headcount", "max"), salary=("salary", "median"), company=("company_norm", "first"),
        posted_at=("posted_at", "min"),
    ).reset_index()
    by_occupation = clusters.groupby("occupation_code")
    demand = pd.DataFrame({
        "postings_active": by_occupation.size(),
        "openings": by_occupation["headcount"].sum(),
        "employers": by_occupation["company"].nunique(),
        "postings_new": clusters[clusters["posted_at"] >= monday].groupby("occupation_code").size(),
    })
    salary = by_occupation["salary"].agg(
        salary_p25=lambda s: s.quantile(0.25), salary_p50="median",
        salary_p75=lambda s: s.quantile(0.75), salary_mean="mean", salary_n="count",
    )
    supply = seekers[(seekers["active_from"] <= sunday)
                     & (seekers["active_to"].isna() | (seekers["active_to"] >= monday))]
    table = demand.join(salary, how="outer").join(
        supply.groupby("occupation_code").size().rename("seekers"), how="outer")
    counts = ["postings_active", "openings", "employers", "postings_new", "seekers", "salary_n"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table = table[(table["postings_active"] > 0) | (table["seekers"] > 0)]
    seekers_count = table["seekers"].replace(0, np.nan)
    openings = table["openings"].replace(0, np.nan)
    table["demand_supply_ratio"] = (table["openings"] / seekers_count).round(4)
    low, high = ratio_interval(table["openings"], table["seekers"])
    table["demand_supply_ratio_low"], table["demand_supply_ratio_high"] = low.round(4), high.round(4)
    table["supply_demand_ratio"] = (table["seekers"] / openings).round(4)
    table["gap"] = table["openings"] - table["seekers"]
    table["salary_coverage"] = (table["salary_n"] / table["postings_active"].replace(0, np.nan)).round(4)
    table = table.reset_index().rename(columns={"index": "occupation_code"})
    table["week"] = week
    table["occupation_name"] = table["occupation_code"].map(names).fillna("")
    return table[METRIC_COLUMNS].sort_values("occupation_code", ignore_index=True)
