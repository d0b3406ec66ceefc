"""Weekly metrics per ISO week × occupation level × place × industry: pure functions over
DataFrames, every week at once (see docs/methodology.md, whose version is ``METHOD_VERSION``).

A posting is active in a week when it was posted on or before the Sunday and had not ended
before the Monday; it ends at ``closed_at`` or ``valid_through``, whichever comes first, and an
open one stays active to the last week of the data. Postings are counted once per duplicate
cluster and week (the cluster's latest posting speaks for it). A seeker is active from
``active_from`` to ``active_to`` (open-ended when missing).

The work is vectorised: postings are exploded into one row per (cluster, active week), seekers
into one row per (seeker, active week), and each grouping (occupation level × place kind ×
industry) is one pass of integer group codes through ``monitor.grouped``.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from normalize.taxonomy import code_at_level

from . import grouped
from .weeks import parse_week, week_of

METHOD_VERSION = "monitor-2.1"
MIN_COUNT = 10            # counts of 1–9 are suppressed
MIN_OBSERVATIONS = 30     # ratios, medians, durations, growth need this many observations
MIN_EMPLOYERS = 5         # ... and this many distinct employers
COHORT_WEEKS = 4          # durations and reposts: postings first posted in the 4 weeks to the week
REPOST_MIN_DAYS = 7       # a posting repeats its cluster's earlier posting from ≥ 7 days before
GROWTH_HORIZONS = (4, 13, 52)
GROWTH_WINDOW = 4         # growth compares 4-week windows: the one ending W and the one ending W − h
Z_95 = 1.959964
LEVELS = {"细类": 4, "小类": 3, "中类": 2, "大类": 1}
ALL = "all"
_EPOCH_MONDAY = date(1970, 1, 5)


@dataclass(frozen=True)
class Grouping:
    """One cut of the table: occupations at ``level``, places of ``place_kind`` (city, district,
    zone), and each industry separately or all industries together."""
    level: str
    place_kind: str = "city"
    by_industry: bool = False


# What `jobmon monitor` computes: every level city-wide, 中类 by place and industry. Largest
# first: results are stored while the next grouping is computed, so a small last one is stored soon.
STANDARD_GROUPINGS = (
    Grouping("细类"), Grouping("中类", "district"), Grouping("中类", "city", True), Grouping("小类"),
    Grouping("中类", "zone"), Grouping("中类"), Grouping("大类"),
)
DETAILED_GROUPINGS = tuple(  # `jobmon monitor --detail full`: 细类 and 小类 by place and industry too
    Grouping(level, kind, industry) for level in ("细类", "小类")
    for kind, industry in (("district", False), ("city", True), ("zone", False))) + STANDARD_GROUPINGS
DEFAULT_GROUPINGS = STANDARD_GROUPINGS
TYPICAL_DISTRICTS = 3
KEY_COLUMNS = ["week", "level", "occupation_code", "occupation_name", "place_kind", "place", "industry"]
COUNT_COLUMNS = ["postings_new", "postings_active", "openings", "employers", "seekers", "seekers_official",
                 "salary_n", "duration_n"]
METRIC_COLUMNS = [
    *KEY_COLUMNS, "postings_new", "postings_active", "openings", "employers", "seekers", "seekers_official",
    "seekers_official_source", "demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high",
    "supply_demand_ratio", "gap", "relative_tightness", "salary_p25", "salary_p50", "salary_p75", "salary_mean", "salary_n", "salary_coverage",
    "duration_median_days", "duration_p75_days", "duration_n", "duration_closed", "repost_rate",
    *(f"demand_growth_{h}w" for h in GROWTH_HORIZONS), *(f"salary_growth_{h}w" for h in GROWTH_HORIZONS),
    "suppressed", "suppression_reasons",
]


# ---- weeks as integers ---------------------------------------------------------------------

def week_number(week: str) -> int:
    """'2026-W47' → weeks since the Monday 1970-01-05 (consecutive weeks differ by 1)."""
    return (parse_week(week)[0] - _EPOCH_MONDAY).days // 7


def week_label(number: int) -> str:
    return week_of(_EPOCH_MONDAY + timedelta(weeks=int(number)))


def _week_numbers(dates) -> np.ndarray:
    days = np.asarray(dates, dtype="datetime64[D]")
    numbers = (days - np.datetime64(_EPOCH_MONDAY, "D")).astype(np.int64) // 7
    return np.where(np.isnat(days), np.iinfo(np.int64).min, numbers)


# ---- inputs --------------------------------------------------------------------------------

def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = _parsed_dates(frame[column])
    return frame


def _parsed_dates(values: pd.Series) -> pd.Series:
    """ISO 8601 text as timestamps (NaT when unreadable), each distinct text parsed once: a
    million postings hold a few hundred dates."""
    codes, uniques = pd.factorize(values)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="ISO8601")
    return pd.Series(parsed.array.take(codes, allow_fill=True), index=values.index)


def prepare_postings(postings: pd.DataFrame) -> pd.DataFrame:
    """Typed dates, ``end_at`` (the earlier of closed_at and valid_through), headcount ≥ 1, and
    the optional place and industry columns (None when the store has none)."""
    frame = _dates(postings, "posted_at", "closed_at", "valid_through")
    frame["end_at"] = frame[["closed_at", "valid_through"]].min(axis=1, skipna=True)
    frame["headcount"] = pd.to_numeric(frame["headcount"], errors="coerce").fillna(1).clip(lower=1)
    for column in ("district", "zone", "industry"):
        if column not in frame:
            frame[column] = None
    return frame


def prepare_seekers(seekers: pd.DataFrame) -> pd.DataFrame:
    frame = _dates(seekers, "active_from", "active_to")
    for column in ("district", "zone"):
        if column not in frame:
            frame[column] = None
    return frame


def industries_of(value) -> list[str]:
    """A posting's industries: a JSON list, 'a|b', or one name; [] when none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            return [str(v).strip() for v in json.loads(text) if str(v).strip()]
        except ValueError:
            pass
    return [part.strip() for part in text.split("|") if part.strip()]


def ratio_interval(openings, seekers, z: float = Z_95) -> tuple[pd.Series, pd.Series]:
    """95% interval of openings ÷ seekers, both read as Poisson counts: on the log scale the
    ratio's standard error is √(1/openings + 1/seekers). With openings and no seekers the
    seekers count is taken as 0.5 (a continuity correction), so the interval says how sure a
    shortage is; NaN without openings."""
    openings = pd.Series(openings, dtype="float64")
    seekers = pd.Series(seekers, dtype="float64").where(lambda s: s > 0, 0.5)
    valid = openings > 0
    o, s = openings.where(valid), seekers.where(valid)
    spread = np.exp(z * np.sqrt(1 / o + 1 / s))
    ratio = o / s
    return ratio / spread, ratio * spread


def release_freed_memory() -> None:
    """Hand memory freed by the C allocator back to the system (glibc's ``malloc_trim``; nothing
    elsewhere). Arrays of a few MB that numpy frees stay in the allocator's heap otherwise, and the
    exploded tables leave hundreds of MB of them: the next step's peak would come on top."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _glibc()


# ---- exploded tables -------------------------------------------------------------------------

def _explode_weeks(start: np.ndarray, end: np.ndarray, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """(row index, week) for every week from start to end, clipped to [first, last]."""
    start, end = np.maximum(start, first), np.minimum(end, last)
    length = np.where(end >= start, end - start + 1, 0)
    rows = np.repeat(np.arange(len(start)), length)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(length) - length, length)
    return rows, start[rows] + offset


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (int32, to keep the exploded tables small; −1 for missing) and the values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


def _shared_codes(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of two columns against one list of values (−1 for missing)."""
    codes, uniques = _codes(first)
    extra, more = _codes(second)
    known = {value: i for i, value in enumerate(uniques)}
    added = [value for value in more if value not in known]
    uniques = np.concatenate([uniques, np.array(added, dtype=object)]) if added else uniques
    known.update({value: len(known) + i for i, value in enumerate(added)})
    remap = np.array([known[value] for value in more] + [-1], dtype=np.int32)
    return codes, remap[extra], uniques


class Rows(dict):
    """Columns of equal length as numpy arrays: a lighter DataFrame for the exploded tables."""

    def __len__(self) -> int:
        return len(next(iter(self.values()))) if dict.__len__(self) else 0

    def take(self, index: np.ndarray, names: tuple[str, ...]) -> Rows:
        """The rows at ``index`` (the same arrays, not copies, when ``index`` is every row in order)."""
        if len(index) == len(self) and np.array_equal(index, np.arange(len(self))):
            return Rows({name: self[name] for name in names})
        return Rows({name: self[name][index] for name in names})


@dataclass
class Activity:
    """The exploded rows every grouping aggregates, with dimension codes."""
    occupations: np.ndarray         # occupation code of each occupation id
    districts: np.ndarray
    zones: np.ndarray
    industries: np.ndarray
    clusters: Rows                  # one row per (cluster, active week)
    cluster_industry: Rows          # (row of clusters, industry id) pairs
    cohort: Rows                    # one row per (posting, cohort week) for durations and reposts
    cohort_industry: Rows
    seekers: Rows                   # one row per (seeker, active week)
    market: pd.DataFrame            # per week: all openings and all seekers (the market ratio)
    salary_by_rank: np.ndarray      # the clusters' distinct salaries in ``salary_rank`` order (NaN last)
    openings: np.ndarray            # openings per week × occupation id (whole city)
    district_openings: np.ndarray   # openings per week × occupation id × district id


@dataclass
class Encoded:
    """Prepared postings (in posting order) and seekers as plain arrays of integer codes, dates
    and numbers: what the metrics need, without the text, so the frames can be let go."""
    posted_days: np.ndarray
    end_days: np.ndarray
    salary: np.ndarray
    headcount: np.ndarray
    occupation: np.ndarray
    district: np.ndarray
    zone: np.ndarray
    cluster: np.ndarray
    employer: np.ndarray
    raw_industry: np.ndarray
    industry_lists: list[list[int]]
    seeker_occupation: np.ndarray
    seeker_district: np.ndarray
    seeker_zone: np.ndarray
    seeker_from: np.ndarray
    seeker_to: np.ndarray
    occupations: np.ndarray
    districts: np.ndarray
    zones: np.ndarray
    industries: np.ndarray


def encode(postings: pd.DataFrame, seekers: pd.DataFrame) -> Encoded:
    """Integer-code the text columns of prepared postings and seekers; postings sorted by date."""
    posted_days = postings["posted_at"].to_numpy(dtype="datetime64[D]")
    order = np.argsort(posted_days, kind="stable")  # posting order: later rows are later postings
    posted_days = posted_days[order]
    end_days = postings["end_at"].to_numpy(dtype="datetime64[D]")[order]
    salary = pd.to_numeric(postings["salary"], errors="coerce").to_numpy(dtype=np.float64)[order]
    headcount = postings["headcount"].to_numpy(dtype=np.float64)[order]
    posting_occupation, seeker_occupation, occupations = _shared_codes(postings["occupation_code"],
                                                                       seekers["occupation_code"])
    posting_district, seeker_district, districts = _shared_codes(postings["district"], seekers["district"])
    posting_zone, seeker_zone, zones = _shared_codes(postings["zone"], seekers["zone"])
    posting_occupation, posting_district, posting_zone = (a[order] for a in (posting_occupation, posting_district,
                                                                             posting_zone))
    cluster, employer = (_codes(postings[c])[0][order] for c in ("cluster", "company_norm"))
    raw_industry, raw_industries = _codes(postings["industry"])
    raw_industry = raw_industry[order]
    parsed = [industries_of(v) for v in raw_industries]
    industries = np.array(sorted({name for names in parsed for name in names}), dtype=object)
    industry_id = {name: i for i, name in enumerate(industries)}
    lists = [[industry_id[name] for name in names] for names in parsed]
    return Encoded(
        posted_days=posted_days, end_days=end_days, salary=salary, headcount=headcount, occupation=posting_occupation,
        district=posting_district, zone=posting_zone, cluster=cluster, employer=employer, raw_industry=raw_industry,
        industry_lists=lists, seeker_occupation=seeker_occupation, seeker_district=seeker_district,
        seeker_zone=seeker_zone, seeker_from=seekers["active_from"].to_numpy(dtype="datetime64[D]"),
        seeker_to=seekers["active_to"].to_numpy(dtype="datetime64[D]"), occupations=occupations,
        districts=districts, zones=zones, industries=industries)


def build_activity(inputs: Encoded, first: int, last: int) -> Activity:
    """Explode encoded postings and seekers into the weeks ``first``..``last`` (week numbers).
    Each table is built by its own function, so that its temporary arrays are let go before the
    next one is built."""
    clusters = _cluster_weeks(inputs, first, last)
    clusters["salary_rank"], salary_by_rank = grouped.value_ranks(clusters["salary"])
    cohort = _cohort_weeks(inputs, first, last)
    seeker_rows = _seeker_weeks(inputs, first, last)
    week_span = last - first + 1
    market = pd.DataFrame({
        "week": np.arange(first, last + 1),
        "openings": np.bincount(clusters["week"] - first, weights=clusters["headcount"], minlength=week_span),
        "seekers": np.bincount(seeker_rows["week"] - first, minlength=week_span),
    })
    return Activity(
        occupations=inputs.occupations, districts=inputs.districts, zones=inputs.zones, industries=inputs.industries,
        clusters=clusters,
        cluster_industry=_industry_pairs(inputs.raw_industry[clusters["posting"]], inputs.industry_lists),
        cohort=cohort, cohort_industry=_industry_pairs(inputs.raw_industry[cohort["posting"]], inputs.industry_lists),
        seekers=seeker_rows, market=market, salary_by_rank=salary_by_rank,
        **_openings(clusters, week_span, len(inputs.occupations), len(inputs.districts), first),
    )


def _openings(clusters: Rows, weeks: int, n_occupations: int, n_districts: int, first: int) -> dict[str, np.ndarray]:
    """Openings per week × occupation, and per week × occupation × district (for
    ``typical_districts``: summed up to any level, a few thousand cells instead of every row)."""
    n_occupations, n_districts = max(n_occupations, 1), max(n_districts, 1)
    known = clusters["occupation"] >= 0
    cell = (clusters["week"][known].astype(np.int64) - first) * n_occupations + clusters["occupation"][known]
    headcount = clusters["headcount"][known]
    placed = clusters["district"][known] >= 0
    return {
        "openings": np.bincount(cell, weights=headcount, minlength=weeks * n_occupations),
        "district_openings": np.bincount(cell[placed] * n_districts + clusters["district"][known][placed],
                                         weights=headcount[placed], minlength=weeks * n_occupations * n_districts),
    }


def _posting_weeks(inputs: Encoded, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's first and last active week number (open ones: to ``last``)."""
    start = _week_numbers(inputs.posted_days)
    end = np.where(np.isnat(inputs.end_days), last, _week_numbers(inputs.end_days))
    return start, np.maximum(end, start)


def _cluster_weeks(inputs: Encoded, first: int, last: int) -> Rows:
    """One row per duplicate cluster and active week: the last of its postings active that
    week, which is its latest (postings are in posting order); one integer sort finds them."""
    cluster = inputs.cluster
    start, end = _posting_weeks(inputs, last)
    rows, weeks = _explode_weeks(start, end, first, last)
    first_week_of_cluster = _cluster_minimum(cluster, start)
    keyed = np.sort((cluster[rows] * (last - first + 1) + weeks - first) * len(rows) + np.arange(len(rows)))
    latest = np.concatenate((keyed[1:] // len(rows) != keyed[:-1] // len(rows), [True])) if len(rows) else \
        np.zeros(0, bool)
    chosen = keyed[latest] % max(len(rows), 1)
    del keyed, latest
    rows, weeks = rows[chosen], weeks[chosen]
    return Rows({
        "week": weeks.astype(np.int32), "occupation": inputs.occupation[rows],
        "district": inputs.district[rows], "zone": inputs.zone[rows],
        "employer": inputs.employer[rows], "headcount": inputs.headcount[rows],
        "salary": inputs.salary[rows],
        "new": weeks == first_week_of_cluster[cluster[rows]],
        "posting": rows.astype(np.int32),
    })


def _cohort_weeks(inputs: Encoded, first: int, last: int) -> Rows:
    """For durations and reposts: one row per posting first posted in the COHORT_WEEKS weeks to
    W (cross-posts of one cluster in one week counted once) and week W, as seen at the end of W:
    closed by then, or censored."""
    cluster, posted_days, end_days = inputs.cluster, inputs.posted_days, inputs.end_days
    start, _ = _posting_weeks(inputs, last)
    unique_posts = _first_of_pairs(cluster, start)
    no_day = np.iinfo(np.int64).max
    first_day = _cluster_minimum(cluster, np.where(np.isnat(posted_days), no_day, posted_days.astype(np.int64)))[cluster]
    cluster_first_day = np.where(first_day == no_day, np.datetime64("NaT"), first_day.astype("datetime64[D]"))
    repost = (posted_days - cluster_first_day).astype("timedelta64[D]").astype(np.int64) >= REPOST_MIN_DAYS
    del first_day, cluster_first_day
    candidates = np.nonzero(unique_posts & (start > np.iinfo(np.int64).min))[0]
    c_rows, c_weeks = _explode_weeks(start[candidates], start[candidates] + COHORT_WEEKS - 1, first, last)
    c_rows = candidates[c_rows]
    sunday = np.datetime64(_EPOCH_MONDAY, "D") + (c_weeks * 7 + 6).astype("timedelta64[D]")
    ended = ~np.isnat(end_days[c_rows]) & (end_days[c_rows] <= sunday)
    stop = np.where(ended, end_days[c_rows], sunday)
    return Rows({
        "week": c_weeks.astype(np.int32), "occupation": inputs.occupation[c_rows],
        "district": inputs.district[c_rows], "zone": inputs.zone[c_rows],
        "employer": inputs.employer[c_rows],
        "duration": np.maximum((stop - posted_days[c_rows]).astype(np.int32), 0), "closed": ended,
        "repost": repost[c_rows], "posting": c_rows.astype(np.int32),
    })


def _seeker_weeks(inputs: Encoded, first: int, last: int) -> Rows:
    """One row per job seeker and active week (open-ended ones: to ``last``)."""
    s_start = _week_numbers(inputs.seeker_from)
    s_end = np.where(np.isnat(inputs.seeker_to), last, _week_numbers(inputs.seeker_to))
    s_rows, s_weeks = _explode_weeks(s_start, s_end, first, last)
    return Rows({
        "week": s_weeks.astype(np.int32), "occupation": inputs.seeker_occupation[s_rows],
        "district": inputs.seeker_district[s_rows], "zone": inputs.seeker_zone[s_rows],
    })


def _cluster_minimum(cluster: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The smallest int64 value of each cluster code 0..max."""
    smallest = np.full(int(cluster.max(initial=-1)) + 1, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(smallest, cluster, values)
    return smallest


def _first_of_pairs(cluster: np.ndarray, week: np.ndarray) -> np.ndarray:
    """Whether each row is the first of its (cluster, week) pair."""
    _, week_code = np.unique(week, return_inverse=True)
    _, first = np.unique(cluster.astype(np.int64) * (int(week_code.max(initial=0)) + 1) + week_code,
                         return_index=True)
    chosen = np.zeros(len(cluster), bool)
    chosen[first] = True
    return chosen


def _industry_pairs(raw: np.ndarray, lists: list[list[int]]) -> Rows:
    """(row, industry id) for every industry of every row (a posting may name several)."""
    if all(len(v) == 1 for v in lists) and (raw >= 0).all():  # one industry each: no need to repeat rows
        single = np.array([v[0] for v in lists] + [0], dtype=np.int32)
        return Rows({"row": np.arange(len(raw), dtype=np.int32), "industry": single[raw]})
    lengths = np.array([len(v) for v in lists] + [0], dtype=np.int64)
    flat = np.array([i for v in lists for i in v] + [0], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    raw = np.where(raw < 0, len(lists), raw)  # no industry: the empty list at the end
    count = lengths[raw]
    rows = np.repeat(np.arange(len(raw), dtype=np.int32), count)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    return Rows({"row": rows, "industry": flat[starts[raw][rows] + offset].astype(np.int32)})


# ---- one grouping ----------------------------------------------------------------------------

def _level_ids(occupations: np.ndarray, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Occupation id → id of its code at ``level`` (细类 keeps the code as matched)."""
    depth = LEVELS[level]
    rolled = [code if depth == 4 else code_at_level(code, depth) for code in occupations]
    ids, codes = pd.factorize(pd.Series(rolled, dtype=object))
    return ids.astype(np.int64), np.asarray(codes, dtype=object)


def _keys(table: Rows, grouping: Grouping, level_ids: np.ndarray, sizes: tuple[int, int, int],
          first: int, industry: np.ndarray | None = None) -> tuple[np.ndarray | slice, np.ndarray]:
    """(positions of the rows that belong to a cell of ``grouping`` — a slice when all do —, their
    cell keys: int32 when every key fits, else int64)."""
    n_occupations, n_places, n_industries = sizes
    weeks = int(table["week"].max(initial=first)) - first + 1
    dtype = np.int32 if weeks * n_occupations * n_places * n_industries < 2**31 else np.int64
    key = table["week"].astype(dtype) - first
    key *= n_occupations
    key += level_ids.astype(dtype)[table["occupation"]]
    keep = table["occupation"] >= 0
    if grouping.place_kind != "city":
        place = table[grouping.place_kind]
        key *= n_places
        key += place
        keep &= place >= 0
    if industry is not None:
        key *= n_industries
        key += industry
    return (slice(None), key) if keep.all() else (np.flatnonzero(keep), key[keep])


CLUSTER_VALUES = ("employer", "headcount", "salary", "new", "salary_rank")  # what a cell aggregates


def first_cell_week(activity: Activity, groupings, first: int) -> int:
    """The first week number in which any of ``groupings`` has a cell (``first`` when none has):
    the rows ``grouping_metrics`` counts — cluster rows, and seeker rows unless by industry —
    with an occupation and, below the whole city, a place."""
    weeks = []
    for grouping in groupings:
        tables = [(activity.clusters, activity.cluster_industry["row"] if grouping.by_industry else None)]
        if not grouping.by_industry:
            tables.append((activity.seekers, None))
        for table, rows in tables:
            keep = table["occupation"] >= 0
            if grouping.place_kind != "city":
                keep &= table[grouping.place_kind] >= 0
            week = table["week"] if rows is None else table["week"][rows]
            keep = keep if rows is None else keep[rows]
            if keep.any():
                weeks.append(int(week[keep].min()))
    return min(weeks, default=first)


def grouping_metrics(activity: Activity, grouping: Grouping, number: int, first: int, city: str) -> pd.DataFrame:
    """Counts, pay, durations and reposts of every cell of one grouping (the ``number``-th) in
    every week. Industry cells also get ``_pool_openings`` and ``_pool_seekers``: their
    occupation's whole-city openings and seekers (seekers name no industry)."""
    level_ids, level_codes = _level_ids(activity.occupations, grouping.level)
    places = {"city": np.array([city], dtype=object), "district": activity.districts,
              "zone": activity.zones}[grouping.place_kind]
    industries = activity.industries if grouping.by_industry else np.array([ALL], dtype=object)
    sizes = (max(len(level_codes), 1), max(len(places), 1), max(len(industries), 1))

    clusters, cohort = activity.clusters, activity.cohort
    industry_of_cluster = industry_of_cohort = None
    if grouping.by_industry:
        keys = ("week", "occupation") + (() if grouping.place_kind == "city" else (grouping.place_kind,))
        clusters = clusters.take(activity.cluster_industry["row"], keys + CLUSTER_VALUES)
        industry_of_cluster = activity.cluster_industry["industry"]
        cohort = cohort.take(activity.cohort_industry["row"], keys + ("duration", "closed", "repost"))
        industry_of_cohort = activity.cohort_industry["industry"]
    n = (int(activity.market["week"].max()) - first + 1) * sizes[0] * sizes[1] * sizes[2]  # keys are dense
    c_pos, c_code = _keys(clusters, grouping, level_ids, sizes, first, industry_of_cluster)
    col = {name: clusters[name][c_pos] for name in CLUSTER_VALUES}
    salary_n, salary_mean, (p25, p50, p75) = grouped.quantiles(c_code, col["salary"], n, (0.25, 0.5, 0.75),
                                                                col["salary_rank"], activity.salary_by_rank)
    postings_active = grouped.counts(c_code, n)
    seekers_count = grouped.counts(np.zeros(0, np.int64) if grouping.by_industry else
                                   _keys(activity.seekers, grouping, level_ids, sizes, first)[1], n)
    key = np.flatnonzero((postings_active > 0) | (seekers_count > 0))
    cluster_side = {
        "postings_new": grouped.sums(c_code, col["new"].astype(np.float64), n)[key],
        "postings_active": postings_active[key],
        "openings": grouped.sums(c_code, col["headcount"], n)[key],
        "employers": grouped.distinct(c_code, col["employer"], n)[key],
        "seekers": seekers_count[key].astype(np.float64) if not grouping.by_industry else np.nan,
        "salary_p25": p25[key], "salary_p50": p50[key], "salary_p75": p75[key], "salary_mean": salary_mean[key],
        "salary_n": salary_n[key],
    }
    durations = _cohort_metrics(cohort, grouping, level_ids, sizes, first, industry_of_cohort, n)
    durations = {name: values[key] for name, values in durations.items()}

    industry_id = key % sizes[2]
    place_id = key // sizes[2] % sizes[1]
    occupation_id = key // (sizes[2] * sizes[1]) % sizes[0]
    week = key // (sizes[2] * sizes[1] * sizes[0]) + first
    with np.errstate(invalid="ignore", divide="ignore"):
        frame = pd.DataFrame({
            "cell": (number << 40) + key % (sizes[0] * sizes[1] * sizes[2]),
            "week_number": week, "level": grouping.level, "occupation_code": level_codes[occupation_id],
            "place_kind": grouping.place_kind, "place": places[place_id], "industry": industries[industry_id],
            **cluster_side, **durations,
        })
    frame.loc[frame["duration_n"] == 0, "repost_rate"] = np.nan
    if grouping.by_industry:
        pool = (week - first) * sizes[0] + occupation_id
        frame["_pool_openings"], frame["_pool_seekers"] = _pool(activity, level_ids, sizes[0], first, pool)
    return frame


def _cohort_metrics(cohort: Rows, grouping: Grouping, level_ids: np.ndarray, sizes: tuple[int, int, int],
                    first: int, industry: np.ndarray | None, n: int) -> dict[str, np.ndarray]:
    """Durations (Kaplan–Meier median and P75, observations, closed) and repost rate of every
    cell key 0..n-1 of ``grouping``, from the cohort rows."""
    h_pos, h_code = _keys(cohort, grouping, level_ids, sizes, first, industry)
    closed = cohort["closed"][h_pos]
    duration_p50, duration_p75 = grouped.km_quantiles(h_code, cohort["duration"][h_pos], closed, n, (0.5, 0.75))
    duration_n = grouped.counts(h_code, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        reposts = grouped.sums(h_code, cohort["repost"][h_pos].astype(np.float64), n) / np.maximum(duration_n, 1)
    return {"duration_median_days": duration_p50, "duration_p75_days": duration_p75, "duration_n": duration_n,
            "duration_closed": grouped.sums(h_code, closed.astype(np.float64), n), "repost_rate": reposts}


def _pool(activity: Activity, level_ids: np.ndarray, n_occupations: int, first: int, index: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Whole-city openings and seekers of (week, occupation) pairs, ``index`` = week offset ×
    n_occupations + occupation id."""
    size = int(activity.market["week"].max() - first + 1) * n_occupations

    def dense(table, weights=None):
        known = table["occupation"] >= 0
        where = (table["week"][known] - first) * n_occupations + level_ids[table["occupation"][known]]
        return np.bincount(where, weights=None if weights is None else weights[known], minlength=size)

    openings = dense(activity.clusters, activity.clusters["headcount"])
    seekers = dense(activity.seekers).astype(np.float64)
    return openings[index], seekers[index]


def typical_districts(activity: Activity, level: str, first: int) -> pd.DataFrame:
    """Per week and occupation at ``level`` (whole city, all industries): the districts with the
    most openings (each ≥ MIN_COUNT), with their share of the occupation's openings."""
    level_ids, level_codes = _level_ids(activity.occupations, level)
    n_occupations, n_districts = max(len(level_codes), 1), max(len(activity.districts), 1)
    weeks = int(activity.market["week"].max()) - first + 1
    # the activity's openings by occupation id, summed up to the level's occupations
    week, occupation = np.divmod(np.arange(len(activity.openings)), max(len(activity.occupations), 1))
    cell = week * n_occupations + level_ids[occupation]
    total = np.bincount(cell, weights=activity.openings, minlength=weeks * n_occupations)
    by_district = np.bincount(np.repeat(cell, n_districts) * n_districts + np.tile(np.arange(n_districts), len(cell)),
                              weights=activity.district_openings, minlength=weeks * n_occupations * n_districts)
    big = np.flatnonzero(by_district >= MIN_COUNT)
    if not len(big):
        return pd.DataFrame(columns=["week_number", "level", "occupation_code", "text"])
    top = pd.DataFrame({"cell": big // n_districts, "district": big % n_districts, "openings": by_district[big]})
    top = top.sort_values(["cell", "openings"], ascending=[True, False], kind="stable")
    top = top[top.groupby("cell", sort=False).cumcount() < TYPICAL_DISTRICTS]
    share = np.round(100 * top["openings"].to_numpy() / total[top["cell"].to_numpy()]).astype(np.int64)
    top["text"] = activity.districts[top["district"].to_numpy()] + " " + share.astype(str).astype(object) + "%"
    top["nth"] = top.groupby("cell", sort=False).cumcount()
    wide = top.pivot(index="cell", columns="nth", values="text")
    text = wide[0]
    for nth in wide.columns[1:]:
        text = text + (", " + wide[nth]).fillna("")
    cells = wide.index.to_numpy()
    return pd.DataFrame({"week_number": cells // n_occupations + first, "level": level,
                         "occupation_code": level_codes[cells % n_occupations], "text": text.to_numpy()})


# ---- the whole table -------------------------------------------------------------------------

def compute_metrics(postings: pd.DataFrame, seekers: pd.DataFrame, first_week: str, last_week: str,
                    names: dict[str, str], city: str = "北京市", groupings=DEFAULT_GROUPINGS,
                    official: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every metric of every cell of every week from ``first_week`` to ``last_week``, before
    suppression (``suppress`` marks small cells): the tables of ``metric_tables`` in one."""
    tables = [frame for frame, _ in metric_tables(postings, seekers, first_week, last_week, names, city, groupings,
                                                  official)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


@dataclass
class TableInputs:
    """What every grouping's table is computed from (``table_inputs``)."""
    activity: Activity
    first: int                      # week number of the first week computed
    data_first: int                 # ... and of the first week with a cell in any grouping
    market_ratio: pd.Series         # all openings ÷ all seekers, by week number
    official: pd.DataFrame | None   # official seeker counts by (week number, occupation code)
    names: dict[str, str]
    city: str
    district_zone: dict[str, str]   # the zone of each district that lies in one zone (``district_zones``)


def table_inputs(encoded: Encoded, first_week: str, last_week: str, names: dict[str, str], city: str = "北京市",
                 groupings=DEFAULT_GROUPINGS, official: pd.DataFrame | None = None) -> TableInputs:
    """Explode encoded postings and seekers (``encode``) for ``grouping_table``."""
    first, last = week_number(first_week), week_number(last_week)
    activity = build_activity(encoded, first, last)
    release_freed_memory()
    market = activity.market.set_index("week")
    return TableInputs(
        activity=activity, first=first, data_first=first_cell_week(activity, groupings, first),
        market_ratio=market["openings"] / market["seekers"].replace(0, np.nan),
        official=official_by_week(official, first, last) if official is not None and len(official) else None,
        names=names, city=city, district_zone=district_zones(activity))


def district_zones(activity: Activity) -> dict[str, str]:
    """The zone each district lies in, from the postings' and seekers' (district, zone) pairs:
    districts seen in one zone only (the zone cells are then sums of their districts' cells)."""
    pairs = set()
    for table in (activity.clusters, activity.seekers):
        both = (table["district"] >= 0) & (table["zone"] >= 0)
        pairs |= set(zip(table["district"][both].tolist(), table["zone"][both].tolist()))
    zones: dict[int, set[int]] = {}
    for district, zone in pairs:
        zones.setdefault(district, set()).add(zone)
    return {str(activity.districts[d]): str(activity.zones[next(iter(z))]) for d, z in zones.items() if len(z) == 1}


def grouping_table(inputs: TableInputs, grouping: Grouping, number: int) -> pd.DataFrame:
    """The cells of one grouping (the ``number``-th), before ``completed_table``."""
    frame = grouping_metrics(inputs.activity, grouping, number, inputs.first, inputs.city)
    release_freed_memory()
    return frame


def completed_table(inputs: TableInputs, grouping: Grouping, frame: pd.DataFrame) -> pd.DataFrame:
    """A ``grouping_table`` with week labels, names, ratios, official counts, typical districts
    and growth: still before suppression."""
    typical = typical_districts(inputs.activity, grouping.level, inputs.first) \
        if len(frame) and grouping.place_kind == "city" and not grouping.by_industry else None
    return _completed(frame, inputs.names, inputs.market_ratio, inputs.official, typical, inputs.data_first)


def metric_tables(postings: pd.DataFrame, seekers: pd.DataFrame, first_week: str, last_week: str,
                  names: dict[str, str], city: str = "北京市", groupings=DEFAULT_GROUPINGS,
                  official: pd.DataFrame | None = None) -> Iterator[tuple[pd.DataFrame, int]]:
    """(metrics of one grouping, first week number of the data) for each grouping in turn, before
    suppression; the data starts at the first week with a cell in any grouping (growth and the
    shortage lists' history count from there). ``official``: optional official seeker counts
    (columns source, period_start, period_end, occupation_code, seekers), reported beside the
    crawled ones for whole-city cells (``official_by_week``)."""
    encoded = encode(postings, seekers)
    del postings, seekers  # the integer arrays are all that is needed from here: let the text go
    inputs = table_inputs(encoded, first_week, last_week, names, city, groupings, official)
    del encoded
    for number, grouping in enumerate(groupings):
        yield completed_table(inputs, grouping, grouping_table(inputs, grouping, number)), inputs.data_first


def _completed(frame: pd.DataFrame, names: dict[str, str], market_ratio: pd.Series, counts: pd.DataFrame | None,
               typical: pd.DataFrame | None, first: int) -> pd.DataFrame:
    """One grouping's cells with week labels, occupation names, ratios, the official seeker
    counts, the typical districts and growth."""
    frame["week"] = frame["week_number"].map({w: week_label(w) for w in frame["week_number"].unique()})
    codes, occupations = pd.factorize(frame["occupation_code"])
    frame["occupation_name"] = np.array([names.get(code, "") for code in occupations], dtype=object)[codes]
    frame["_market_ratio"] = market_ratio.reindex(frame["week_number"]).to_numpy()
    frame = _ratios(frame)
    frame["seekers_official"], frame["seekers_official_source"] = np.nan, None
    city_cells = ((frame["place_kind"] == "city") & (frame["industry"] == ALL)).to_numpy()
    if counts is not None:
        index = pd.MultiIndex.from_arrays([frame.loc[city_cells, "week_number"], frame.loc[city_cells, "occupation_code"]])
        found = counts.reindex(index)
        frame.loc[city_cells, "seekers_official"] = found["seekers"].to_numpy()
        frame.loc[city_cells, "seekers_official_source"] = found["source"].to_numpy()
    if typical is not None:
        index = pd.MultiIndex.from_frame(frame.loc[city_cells, ["week_number", "level", "occupation_code"]])
        frame["_typical_districts"] = None
        frame.loc[city_cells, "_typical_districts"] = typical.set_index(
            ["week_number", "level", "occupation_code"])["text"].reindex(index).to_numpy()
    return add_growth(frame, first)


def official_by_week(official: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Official seeker counts per (week number, occupation code): each week takes the count of
    the shortest period that covers it (the most specific figure; the latest on ties), summed
    over sources that report that same period length, and ``source``: those sources' labels,
    sorted and comma-joined. Never mixed into the crawled ratio."""
    frame = _dates(official, "period_start", "period_end").dropna(subset=["period_start", "period_end"])
    rows, weeks = _explode_weeks(_week_numbers(frame["period_start"]), _week_numbers(frame["period_end"]), first, last)
    expanded = frame.iloc[rows].assign(
        week_number=weeks, length=(frame["period_end"] - frame["period_start"]).dt.days.to_numpy()[rows])
    expanded = expanded.sort_values(["length", "period_start"], ascending=[True, False])
    best = expanded.groupby(["week_number", "occupation_code"])["length"].transform("first")
    chosen = expanded[expanded["length"] == best]
    latest = chosen.groupby(["week_number", "occupation_code"])["period_start"].transform("max")
    chosen = chosen[chosen["period_start"] == latest]
    by_cell = chosen.groupby(["week_number", "occupation_code"])
    return pd.DataFrame({"seekers": by_cell["seekers"].sum(),
                         "source": by_cell["source"].agg(lambda sources: ",".join(sorted(set(sources))))})


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    openings, seekers = frame["openings"], frame["seekers"]
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["demand_supply_ratio"] = (openings / seekers.where(seekers > 0)).round(4)
        low, high = ratio_interval(openings.to_numpy(), seekers.to_numpy())
        has_seekers = (seekers > 0).to_numpy()  # the interval of a ratio that exists
        frame["demand_supply_ratio_low"] = np.where(has_seekers, low.round(4), np.nan)
        frame["demand_supply_ratio_high"] = np.where(has_seekers, high.round(4), np.nan)
        # a week whose market has no job seeker at all (postings imported alone; the market ratio is
        # then NaN) measured no supply: the 供需比 and the gap are not claimed from its zero seekers
        measured = frame["_market_ratio"].notna()
        frame["supply_demand_ratio"] = (seekers / openings.where(openings > 0)).where(measured).round(4)
        frame["gap"] = (openings - seekers).where(measured)
        frame["relative_tightness"] = (frame["demand_supply_ratio"] / frame["_market_ratio"]).round(4)
        frame["salary_coverage"] = (frame["salary_n"] / frame["postings_active"].where(lambda s: s > 0)).round(4)
    return frame


def add_growth(frame: pd.DataFrame, first: int | None = None) -> pd.DataFrame:
    """Growth of demand (new postings) and of median pay over each horizon h: the 4-week window
    ending W against the one ending W − h, new ÷ old − 1. Demand: the windows' sums of new
    postings; pay: the means of the weekly medians. NaN where the older window lies before the
    data (which starts in week number ``first``, default the frame's first week); ``_growth_base_*``
    columns keep the observations behind each (for suppression)."""
    cell = pd.factorize(frame["cell"])[0]
    if first is None:
        first = int(frame["week_number"].min()) if len(frame) else 0
    span = int(frame["week_number"].max()) - first + 1 if len(frame) else 1
    n_cells = int(cell.max()) + 1 if len(frame) else 0
    position = frame["week_number"].to_numpy() - first

    def dense(values, fill):
        grid = np.full((n_cells, span), fill, dtype=np.float64)
        grid[cell, position] = values
        return grid

    def window_sums(grid):
        padded = np.concatenate([np.zeros((n_cells, 1)), np.cumsum(grid, axis=1)], axis=1)
        sums = np.full_like(grid, np.nan)
        w = GROWTH_WINDOW
        sums[:, w - 1:] = padded[:, w:] - padded[:, :-w]
        return sums

    new = window_sums(dense(frame["postings_new"].to_numpy(), 0.0))
    pay = dense(frame["salary_p50"].to_numpy(), np.nan)
    pay_sum, pay_weeks = window_sums(np.nan_to_num(pay)), window_sums((~np.isnan(pay)).astype(float))
    paid = window_sums(dense(frame["salary_n"].to_numpy(), 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        pay_mean = pay_sum / np.where(pay_weeks > 0, pay_weeks, np.nan)
    for h in GROWTH_HORIZONS:
        old_new, old_pay, old_paid = (_shifted(grid, h) for grid in (new, pay_mean, paid))
        with np.errstate(invalid="ignore", divide="ignore"):
            demand = np.where(old_new > 0, new / old_new - 1, np.nan)
            pay_growth = pay_mean / old_pay - 1
        frame[f"demand_growth_{h}w"] = np.round(demand[cell, position], 4)
        frame[f"salary_growth_{h}w"] = np.round(pay_growth[cell, position], 4)
        frame[f"_growth_base_{h}w"] = np.fmin(new, old_new)[cell, position]
        frame[f"_pay_base_{h}w"] = np.fmin(paid, old_paid)[cell, position]
    return frame


def _shifted(grid: np.ndarray, weeks: int) -> np.ndarray:
    """Each cell's value ``weeks`` weeks earlier (NaN before the data)."""
    out = np.full_like(grid, np.nan)
    if weeks < grid.shape[1]:
        out[:, weeks:] = grid[:, :-weeks]
    return out


# ---- small cells -----------------------------------------------------------------------------

_RATIO_FIELDS = ["demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high",
                 "supply_demand_ratio", "relative_tightness"]
_SALARY_FIELDS = ["salary_p25", "salary_p50", "salary_p75", "salary_mean"]
_DURATION_FIELDS = ["duration_median_days", "duration_p75_days", "repost_rate"]


def suppression_rules(frame: pd.DataFrame, complements: dict[str, np.ndarray] | None = None
                      ) -> list[tuple[str, pd.Series, list[str]]]:
    """(reason, cells it applies to, fields it hides) — docs/methodology.md lists the same.
    ``complements``: counts hidden, beyond the small ones, so that no total minus its published
    parts gives a hidden count back (``monitor.complementary``), as a mask per count column."""
    complements = complements or {}

    def small(column):
        values = frame[column]
        return (values > 0) & (values < MIN_COUNT)

    def hidden(column):  # small, or hidden as a complement: a value derived from it must not give it back
        extra = complements.get(column)
        return small(column) if extra is None else small(column) | pd.Series(extra, index=frame.index)

    obs = frame["openings"] + frame["seekers"].fillna(0)
    few_employers = frame["employers"] < MIN_EMPLOYERS
    rules = [(f"{c}<{MIN_COUNT}", small(c), [c]) for c in COUNT_COLUMNS]
    rules += [(f"{c}: complementary", pd.Series(mask, index=frame.index), [c]) for c, mask in complements.items()]
    counts_hidden = hidden("openings") | hidden("seekers")
    rules += [
        ("gap: openings or seekers hidden", counts_hidden, ["gap"]),
        ("ratios: openings or seekers hidden", counts_hidden, _RATIO_FIELDS),
        (f"openings+seekers<{MIN_OBSERVATIONS}", obs < MIN_OBSERVATIONS, _RATIO_FIELDS),
        (f"postings_active<{MIN_OBSERVATIONS}", frame["postings_active"] < MIN_OBSERVATIONS, ["salary_coverage"]),
        ("salary_coverage: salary_n or postings_active hidden", hidden("salary_n") | hidden("postings_active"),
         ["salary_coverage"]),
        (f"salary_n<{MIN_OBSERVATIONS}", frame["salary_n"] < MIN_OBSERVATIONS, _SALARY_FIELDS),
        (f"duration_n<{MIN_OBSERVATIONS}", frame["duration_n"] < MIN_OBSERVATIONS, _DURATION_FIELDS),
        ("repost_rate: duration_n hidden", hidden("duration_n"), ["repost_rate"]),  # reposts ÷ n: n can be read off
        (f"employers<{MIN_EMPLOYERS}", few_employers, _RATIO_FIELDS + _SALARY_FIELDS + _DURATION_FIELDS),
    ]
    for h in GROWTH_HORIZONS:
        rules.append((f"demand_growth_{h}w: new postings in a window<{MIN_OBSERVATIONS}",
                      frame[f"_growth_base_{h}w"] < MIN_OBSERVATIONS, [f"demand_growth_{h}w"]))
        rules.append((f"salary_growth_{h}w: salary_n in a window<{MIN_OBSERVATIONS}",
                      frame[f"_pay_base_{h}w"] < MIN_OBSERVATIONS, [f"salary_growth_{h}w"]))
    return rules


def suppress(frame: pd.DataFrame, complements: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Null the values of small cells and say which and why in ``suppressed`` (comma-separated
    field names) and ``suppression_reasons``. Rows are kept, never dropped. ``complements``: see
    ``suppression_rules`` (``monitor.complementary.publish`` passes them)."""
    rules = suppression_rules(frame, complements)
    fields = list(dict.fromkeys(f for _, _, names in rules for f in names))
    values = {name: frame[name].to_numpy(dtype=np.float64, copy=True) for name in fields}
    field_bits = np.zeros(len(frame), np.int64)  # one bit per field (fewer than 63)
    reason_bits = np.zeros(len(frame), np.int64)
    for r, (_, mask, names) in enumerate(rules):
        mask = mask.fillna(False).to_numpy(dtype=bool)
        hides = np.zeros(len(frame), dtype=bool)
        for name in names:
            hit = mask & ~np.isnan(values[name])  # a missing value is not suppressed: nothing is hidden
            field_bits |= hit.astype(np.int64) << fields.index(name)
            hides |= hit
        reason_bits |= hides.astype(np.int64) << r
    published = {name: np.where((field_bits >> i) & 1 == 1, np.nan, values[name]) for i, name in enumerate(fields)}
    published["suppressed"] = _labels(field_bits, fields)
    published["suppression_reasons"] = _labels(reason_bits, [reason for reason, _, _ in rules], sep="; ")
    kept = [c for c in frame.columns if c not in published and not c.startswith("_")]
    return pd.concat([frame[kept], pd.DataFrame(published, index=frame.index)], axis=1)


def _labels(bits: np.ndarray, names: list[str], sep: str = ",") -> list[str]:
    unique, inverse = np.unique(bits, return_inverse=True)
    text = [sep.join(n for i, n in enumerate(names) if (int(u) >> i) & 1) for u in unique]
    return [text[i] for i in inverse]


def metrics_for_week(postings: pd.DataFrame, seekers: pd.DataFrame, week: str, names: dict[str, str],
                     grouping: Grouping = Grouping("细类")) -> pd.DataFrame:
    """One week's unsuppressed metrics of one grouping (whole city, all industries by default),
    one row per occupation; for checking the method on small examples."""
    frame = compute_metrics(postings, seekers, week, week, names, groupings=(grouping,))
    return frame.sort_values("occupation_code", ignore_index=True)
