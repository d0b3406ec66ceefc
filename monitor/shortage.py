"""The ranked shortage list of every week and cut, from the weekly metrics (docs/methodology.md).

For each ranking group — one week, one occupation level, one place, one industry (or all) —
the eligible cells get six indicators, each turned into a percentile rank among the group's
eligible cells; the composite score is their weighted mean (0–100) over the indicators present,
and a cell needs at least ``MIN_INDICATORS`` of them. The week's evidence level comes from the
95% interval of the 求人倍率 and the score; the declared ``shortage_level`` needs that evidence in
``PERSIST_WEEKS`` of the last ``PERSIST_WINDOW`` weeks. The type comes from a demand-scale index
and a supply-demand imbalance index.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .weekly import (
    ALL,
    GROWTH_HORIZONS,
    GROWTH_WINDOW,
    METHOD_VERSION,
    MIN_COUNT,
    MIN_EMPLOYERS,
    MIN_OBSERVATIONS,
    ratio_interval,
)

__all__ = ["METHOD_VERSION", "evidence_level", "shortage_list"]

MIN_POSTINGS = 10          # eligible: at least this many active unique postings ...
MIN_INDICATORS = 4         # ... and this many indicators present
PRIOR_WEIGHT = 10          # tightness shrinks a cell's ratio toward its group's by 10 pseudo seekers
WEIGHTS = {"tightness": 0.30, "relative_tightness": 0.10, "demand_growth": 0.15, "duration": 0.15,
           "repost_rate": 0.10, "salary_growth": 0.20}
SEVERE, SHORT, TIGHT, SURPLUS_BELOW = 2.5, 1.5, 1.0, 0.67
SCORE_SHORT, SCORE_STRONG = 50.0, 75.0
PERSIST_WEEKS, PERSIST_WINDOW, SHORTAGE_WINDOW = 3, 4, 13
RELATIVE_WINDOW = 4        # relative tightness is averaged over the 4 weeks to the week
HIGH_SCALE, HIGH_IMBALANCE = 0.5, 0.5
DRIVER_PCT = 0.75
SEVERITY = {"严重紧缺": 2, "紧缺": 1, "平衡": 0, "过剩": -1}
LEVEL_OF = {v: k for k, v in SEVERITY.items()}
GROUP = ["week", "level", "place_kind", "place", "industry"]  # one list; ``_list`` numbers them
SHORTAGE_COLUMNS = [
    "week", "level", "occupation_code", "occupation_name", "place_kind", "place", "industry", "rank",
    "previous_rank", "volume_rank", "score", "shortage_degree", "stars", "shortage_level", "evidence_level",
    "persistence", "weeks_in_shortage_13", "shortage_type", "demand_scale_index", "imbalance_index",
    "demand_share", "postings_active", "openings", "seekers", "demand_supply_ratio", "demand_supply_ratio_low",
    "demand_supply_ratio_high", "indicators", *(f"{name}_pct" for name in WEIGHTS), "growth_horizon_weeks",
    "demand_growth_4w", "salary_p50", "salary_growth_4w", "drivers", "typical_districts", "list_kind",
]
SUPPLY_COLUMNS = ["seekers", "demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high",
                  "relative_tightness"]


def evidence_level(low: float, high: float, score: float) -> str:
    """One week's evidence from the ratio's 95% interval [low, high] and the composite score:
    严重紧缺 when low ≥ 2.5 and score ≥ 50; 紧缺 when low ≥ 1.5 and score ≥ 50, or low ≥ 1.0 and
    score ≥ 75 (surely more openings than seekers, and hard to fill); 过剩 when high < 0.67 and
    score < 50; else 平衡 (also when the interval is unknown)."""
    return LEVEL_OF[int(_evidence([low], [high], [score])[0])]


def _evidence(low, high, score) -> np.ndarray:
    """``evidence_level`` for arrays, as severities (2 严重紧缺 … −1 过剩)."""
    low, high, score = (np.asarray(v, dtype=float) for v in (low, high, score))
    level = np.zeros(len(low), np.int64)
    level[((low >= SHORT) & (score >= SCORE_SHORT)) | ((low >= TIGHT) & (score >= SCORE_STRONG))] = 1
    level[(low >= SEVERE) & (score >= SCORE_SHORT)] = 2
    level[(high < SURPLUS_BELOW) & (score < SCORE_SHORT) & (level == 0)] = -1
    return level


class _Grid:
    """Cells × consecutive weeks, for windows over a cell's history."""

    def __init__(self, frame: pd.DataFrame, first: int, last: int):
        self.cell = pd.factorize(frame["cell"])[0]
        self.position = frame["week_number"].to_numpy() - first
        self.shape = (int(self.cell.max(initial=-1)) + 1, last - first + 1)

    def dense(self, values, fill=np.nan) -> np.ndarray:
        grid = np.full(self.shape, fill, dtype=np.float64)
        grid[self.cell, self.position] = values
        return grid

    def back(self, grid: np.ndarray) -> np.ndarray:
        return grid[self.cell, self.position]


def _window(grid: np.ndarray, width: int) -> np.ndarray:
    """Sum over the ``width`` weeks to each week (fewer at the start)."""
    padded = np.concatenate([np.zeros((grid.shape[0], 1)), np.cumsum(grid, axis=1)], axis=1)
    start = np.maximum(np.arange(grid.shape[1]) + 1 - width, 0)
    return padded[:, 1:] - padded[:, start]


def _with_city_supply(frame: pd.DataFrame, raw: pd.DataFrame, city: pd.DataFrame | None) -> pd.DataFrame:
    """Industry cells take their occupation's whole-city supply side (seekers name no industry):
    the published seekers, ratio, interval and relative tightness of the whole-city cell of the
    same week, level and occupation (``city``: that grouping's published table), so that nothing
    the city cell hides is published here. Without ``city``, the same values are computed from
    the city's counts and published under the city cell's own row rules (no complements)."""
    by_industry = (frame["industry"] != ALL).to_numpy()
    if not by_industry.any():
        return frame
    openings = raw["_pool_openings"].to_numpy()[by_industry]
    seekers = raw["_pool_seekers"].to_numpy()[by_industry]
    if city is not None:
        index = pd.MultiIndex.from_frame(frame.loc[by_industry, ["week_number", "occupation_code"]])
        found = city.set_index(["week_number", "occupation_code"])[SUPPLY_COLUMNS].reindex(index)
        published = {column: found[column].to_numpy(dtype=float) for column in SUPPLY_COLUMNS}
    else:
        shown = ((openings == 0) | (openings >= MIN_COUNT)) & (seekers >= MIN_COUNT) \
            & (openings + seekers >= MIN_OBSERVATIONS)
        low, high = ratio_interval(openings, seekers)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(seekers > 0, openings / seekers, np.nan)
        published = {"seekers": np.where(seekers >= MIN_COUNT, seekers, np.nan),
                     "demand_supply_ratio": np.where(shown, ratio, np.nan),
                     "demand_supply_ratio_low": np.where(shown, low.to_numpy(), np.nan),
                     "demand_supply_ratio_high": np.where(shown, high.to_numpy(), np.nan),
                     "relative_tightness": np.where(shown, ratio / raw["_market_ratio"].to_numpy()[by_industry],
                                                    np.nan)}
    for column, value in published.items():
        frame.loc[by_industry, column] = value
    frame.loc[by_industry, "_seekers"] = seekers
    frame.loc[by_industry, "_ratio_openings"] = openings
    return frame


def shortage_list(raw: pd.DataFrame, published: pd.DataFrame, first: int | None = None,
                  city: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank every group's eligible cells in every week. ``raw`` and ``published`` are the same
    weekly metrics (same rows, same order) before and after suppression: indicators are read
    from the published values, so nothing ranks on a hidden number; the tightness shrinkage
    reads the raw counts behind a published ratio. Only a cell with a published 求人倍率 is
    eligible. A list none of whose cells has a job seeker is a demand list instead
    (``_demand_list``). The history counts from week number ``first`` (default: the first week
    of ``raw``). ``city``: for industry cells, the published whole-city table of the same level
    (``_with_city_supply``)."""
    frame = published.copy()
    frame["_openings"], frame["_seekers"] = raw["openings"].to_numpy(), raw["seekers"].to_numpy()
    frame["_postings"] = raw["postings_active"].to_numpy()
    frame["_employers"] = raw["employers"].to_numpy()
    frame["_ratio_openings"] = frame["_openings"]  # the openings behind the ratio (industry cells: the city's)
    frame = _with_city_supply(frame, raw, city)
    first = int(frame["week_number"].min()) if first is None else first
    last = int(frame["week_number"].max())
    grid = _Grid(frame, first, last)

    relative = grid.dense(frame["relative_tightness"].to_numpy())
    known = _window((~np.isnan(relative)).astype(float), RELATIVE_WINDOW)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["_relative_4w"] = grid.back(_window(np.nan_to_num(relative), RELATIVE_WINDOW) / known)
    frame["_list"] = frame.groupby(GROUP, sort=False).ngroup()  # grouping by one integer is much faster
    # the share of the openings published in the list: a hidden cell's openings stay out of the
    # denominator, which would otherwise give their sum back
    frame["demand_share"] = (frame["openings"] / frame.groupby("_list")["openings"].transform("sum")).round(4)
    list_seekers = frame["_seekers"].fillna(0).groupby(frame["_list"]).transform("sum")
    demand = _demand_list(frame[(list_seekers == 0).to_numpy()], first, last, raw)

    eligible = frame[(frame["_postings"] >= MIN_POSTINGS) & frame["demand_supply_ratio"].notna()].copy()
    history = eligible["week_number"] - first + 1
    horizon = np.select([history >= h + GROWTH_WINDOW for h in sorted(GROWTH_HORIZONS, reverse=True)],
                        sorted(GROWTH_HORIZONS, reverse=True), 0)
    eligible["growth_horizon_weeks"] = np.where(horizon > 0, horizon, np.nan)

    def by_horizon(kind):
        values = np.full(len(eligible), np.nan)
        for h in GROWTH_HORIZONS:
            values = np.where(horizon == h, eligible[f"{kind}_growth_{h}w"].to_numpy(dtype=float), values)
        return values

    duration = eligible["duration_median_days"].to_numpy(dtype=float)
    # a median that more than half the cohort still open never reached is the longest of all
    unreached = np.isnan(duration) & (eligible["duration_n"].fillna(0) >= MIN_OBSERVATIONS) \
        & (eligible["_employers"] >= MIN_EMPLOYERS)
    duration = np.where(unreached, np.inf, duration)
    group_ratio = (eligible.groupby("_list")["_ratio_openings"].transform("sum")
                   / eligible.groupby("_list")["_seekers"].transform("sum").clip(lower=1))
    indicators = pd.DataFrame({
        "tightness": np.log((eligible["_ratio_openings"] + PRIOR_WEIGHT * group_ratio)
                            / (eligible["_seekers"].fillna(0) + PRIOR_WEIGHT)),
        "relative_tightness": eligible["_relative_4w"],
        "demand_growth": by_horizon("demand"),
        "duration": duration,
        "repost_rate": eligible["repost_rate"],
        "salary_growth": by_horizon("salary"),
    }, index=eligible.index)
    for name in WEIGHTS:
        eligible[f"{name}_pct"] = indicators[name].groupby(eligible["_list"]).rank(pct=True).round(3)
    pct = eligible[[f"{name}_pct" for name in WEIGHTS]].to_numpy()
    weights = np.array(list(WEIGHTS.values()))
    present = ~np.isnan(pct)
    eligible["indicators"] = present.sum(axis=1)
    eligible["score"] = (100 * np.nansum(pct * weights, axis=1) / (present * weights).sum(axis=1)).round(1)
    eligible = eligible[eligible["indicators"] >= MIN_INDICATORS].copy()

    eligible["_evidence"] = _evidence(eligible["demand_supply_ratio_low"], eligible["demand_supply_ratio_high"],
                                      eligible["score"])
    eligible = _declare(eligible, first, last)
    eligible = _rank(eligible, first, last)
    eligible = _classify(eligible)
    eligible["drivers"] = _drivers(eligible)
    eligible["typical_districts"] = raw["_typical_districts"].reindex(eligible.index) \
        if "_typical_districts" in raw else None
    eligible["list_kind"] = "shortage"
    lists = [part[SHORTAGE_COLUMNS] for part in (eligible, demand) if len(part)]
    if not lists:
        return pd.DataFrame(columns=SHORTAGE_COLUMNS)
    return pd.concat(lists).sort_values(["week", "level", "place_kind", "place", "industry", "rank"])


def _demand_list(frame: pd.DataFrame, first: int, last: int, raw: pd.DataFrame) -> pd.DataFrame:
    """The lists without job seekers (no cell of the list has one; industry cells: none in the
    city): the demand side of every cell with at least MIN_POSTINGS published active postings,
    ranked by active postings, then openings. The 求人倍率, the level, the score and the type
    need seekers and stay empty; ``list_kind`` is ``demand``."""
    rows = frame[frame["postings_active"] >= MIN_POSTINGS].copy()
    if not len(rows):
        return rows
    rows = rows.sort_values(["postings_active", "openings", "occupation_code"], ascending=[False, False, True],
                            na_position="last")
    rows["rank"] = rows.groupby("_list", sort=False).cumcount() + 1
    rows["volume_rank"] = rows.groupby("_list")["openings"].rank(ascending=False, method="min")
    grid = _Grid(rows, first, last)
    ranks = grid.dense(rows["rank"].to_numpy())
    previous = np.full_like(ranks, np.nan)
    previous[:, 1:] = ranks[:, :-1]
    rows["previous_rank"] = grid.back(previous)
    for column in SUPPLY_COLUMNS[1:4]:
        rows[column] = np.nan
    for column in ("score", "shortage_degree", "stars", "weeks_in_shortage_13", "demand_scale_index",
                   "imbalance_index", "indicators", "growth_horizon_weeks", *(f"{name}_pct" for name in WEIGHTS)):
        rows[column] = np.nan
    for column in ("shortage_level", "evidence_level", "persistence", "shortage_type", "drivers"):
        rows[column] = None
    rows["typical_districts"] = raw["_typical_districts"].reindex(rows.index) if "_typical_districts" in raw else None
    rows["list_kind"] = "demand"
    return rows


def _declare(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The declared level: the most severe level the evidence reached in PERSIST_WEEKS of the
    last PERSIST_WINDOW weeks (all of them while there are fewer weeks of history)."""
    grid = _Grid(frame, first, last)
    evidence = grid.dense(frame["_evidence"].to_numpy(), fill=0)
    needed = np.minimum(PERSIST_WEEKS, np.minimum(np.arange(grid.shape[1]) + 1, PERSIST_WINDOW))

    def weeks_where(holds):
        return _window(holds.astype(float), PERSIST_WINDOW)

    severe, short, surplus = weeks_where(evidence >= 2), weeks_where(evidence >= 1), weeks_where(evidence <= -1)
    declared = np.select([severe >= needed, short >= needed, surplus >= needed], [2, 1, -1], 0)
    frame["_declared"] = grid.back(declared)
    frame["shortage_level"] = frame["_declared"].map(LEVEL_OF)
    frame["evidence_level"] = frame["_evidence"].map(LEVEL_OF)
    holding = grid.back(np.select([declared == 2, declared == 1, declared == -1],
                                  [severe, short, surplus], weeks_where(evidence == 0)))
    history = frame["week_number"].to_numpy() - first + 1
    frame["persistence"] = np.where(
        history >= PERSIST_WINDOW,
        pd.Series(holding.astype(np.int64)).astype(str).to_numpy(dtype=object) + f"/{PERSIST_WINDOW} weeks",
        "provisional: " + pd.Series(history).astype(str).to_numpy(dtype=object) + " week(s) of history")
    short = (declared > 0).astype(float)
    frame["weeks_in_shortage_13"] = grid.back(_window(short, SHORTAGE_WINDOW)).astype(np.int64)
    return frame


def _rank(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    frame = frame.sort_values(["_declared", "score", "_openings"], ascending=[False, False, False])
    frame["rank"] = frame.groupby("_list", sort=False).cumcount() + 1
    frame["volume_rank"] = frame.groupby("_list")["_openings"].rank(ascending=False, method="min").astype(np.int64)
    grid = _Grid(frame, first, last)
    ranks = grid.dense(frame["rank"].to_numpy())
    previous = np.full_like(ranks, np.nan)
    previous[:, 1:] = ranks[:, :-1]
    frame["previous_rank"] = grid.back(previous)
    frame["shortage_degree"] = (frame["score"] / 100).round(3)
    degree = frame["shortage_degree"]
    stars = np.select(
        [frame["_declared"] == 2, frame["_declared"] == 1],
        [np.where(degree >= 0.8, 5, 4), np.where(degree >= 0.6, 3, np.where(degree >= 0.4, 2, 1))], np.nan)
    frame["stars"] = stars
    return frame


def _classify(frame: pd.DataFrame) -> pd.DataFrame:
    """Demand-scale index: the mean percentile of openings and of employers among the group's
    eligible cells. Imbalance index: 1 − 1 ÷ 求人倍率 (the share of openings the seekers could not
    fill), 0 when balanced or slack. The type names the quadrant, for declared shortages only."""
    lists = frame["_list"]
    scale = (frame["_openings"].groupby(lists).rank(pct=True) + frame["_employers"].groupby(lists).rank(pct=True)) / 2
    ratio = frame["_ratio_openings"] / frame["_seekers"].fillna(0).clip(lower=0.5)
    imbalance = (1 - 1 / ratio.clip(lower=1)).fillna(0)
    frame["demand_scale_index"], frame["imbalance_index"] = scale.round(3), imbalance.round(3)
    big, unbalanced = scale >= HIGH_SCALE, imbalance >= HIGH_IMBALANCE
    kind = np.select([big & unbalanced, big, unbalanced], ["供给性紧缺", "流动性紧缺", "小规模供给性紧缺"], "一般紧缺")
    frame["shortage_type"] = np.where(frame["_declared"] > 0, kind, None)
    return frame


def _drivers(frame: pd.DataFrame) -> pd.Series:
    """The indicators that put a cell where it is: percentiles ≥ 0.75 (≤ 0.25 for a surplus),
    in the order of their weights."""
    surplus = (frame["_declared"] < 0).to_numpy()
    text = pd.Series("", index=frame.index, dtype=object)
    for name in WEIGHTS:
        pct = frame[f"{name}_pct"].to_numpy(dtype=float)
        picked = np.where(surplus, pct <= 1 - DRIVER_PCT, pct >= DRIVER_PCT) & ~np.isnan(pct)
        label = pd.Series(np.round(np.nan_to_num(pct) * 100).astype(np.int64), index=frame.index).astype(str)
        text = text + np.where(picked, ", " + name + " p" + label.astype(object), "")
    text = text.str.removeprefix(", ")
    return text.where(text != "", None)


def city_table(groupings, tables: list[pd.DataFrame], number: int) -> pd.DataFrame | None:
    """For an industry grouping (the ``number``-th of ``groupings``): the published table of the
    whole-city grouping of the same level, all industries (None when it is not computed)."""
    grouping = groupings[number]
    if not grouping.by_industry:
        return None
    for other, table in zip(groupings, tables):
        if other.level == grouping.level and other.place_kind == "city" and not other.by_industry:
            return table
    return None
