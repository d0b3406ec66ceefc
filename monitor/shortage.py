"""The ranked shortage list of a week, from the weekly metrics (see docs/methodology.md).

Indicators, each turned into a percentile rank among eligible occupations:
tightness (log of the 求人倍率 shrunk toward the whole market's by ``PRIOR_WEIGHT`` pseudo
seekers, so that a cell of 20 openings and 6 seekers does not outrank 300 and 60), demand
growth over 4 weeks (smoothed by ``PRIOR_WEIGHT`` pseudo postings) and median pay growth over
4 weeks (shrunk toward 0 by ``PAY_PRIOR`` pseudo postings with pay). The composite score is their weighted mean over the indicators present (0–100).

The level comes from the ratio's 95% interval, not from the ranks, so that a whole market that
is tight still says so and a small cell needs strong evidence: 严重紧缺 when the interval's
lower bound is ≥ 2.5, 紧缺 when it is ≥ 1.5, 过剩 when the upper bound is < 0.67, else 平衡.
Occupations are ranked by level first, then by score.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

METHOD_VERSION = "shortage-1"
PRIOR_WEIGHT = 10          # pseudo observations that shrink small cells toward the market
MIN_POSTINGS = 10          # eligible: at least this many active postings (duplicate clusters)
WEIGHTS = {"tightness": 0.7, "demand_growth": 0.15, "salary_growth": 0.15}
PAY_PRIOR = 30             # pay growth is shrunk toward 0 by n ÷ (n + PAY_PRIOR) postings with pay
SEVERE, SHORT, SURPLUS_BELOW = 2.5, 1.5, 0.67
LEVEL_ORDER = {"严重紧缺": 0, "紧缺": 1, "平衡": 2, "过剩": 3}


def shortage_level(low: float | None, high: float | None, seekers: int = 1) -> str:
    """The level from the 95% interval of 求人倍率 (see the module docstring)."""
    if seekers == 0:
        return "严重紧缺"  # openings and no seekers at all
    if low is None or np.isnan(low):
        return "平衡"
    if low >= SEVERE:
        return "严重紧缺"
    if low >= SHORT:
        return "紧缺"
    if high < SURPLUS_BELOW:
        return "过剩"
    return "平衡"


def _growth(history: pd.DataFrame, column: str, week: str, how: str, prior: float = 0.0) -> pd.Series:
    """new ÷ old − 1 between the 4 weeks ending ``week`` and the 4 weeks before them, with
    ``prior`` added to both (0 for the plain growth that is published)."""
    weeks = sorted(w for w in history["week"].unique() if w <= week)
    recent, earlier = weeks[-4:], weeks[-8:-4]
    if len(earlier) < 4:
        return pd.Series(dtype="float64")
    pivot = history[history["week"].isin(recent + earlier)].pivot_table(
        index="occupation_code", columns="week", values=column, aggfunc="first")
    new = getattr(pivot[[w for w in recent if w in pivot]], how)(axis=1)
    old = getattr(pivot[[w for w in earlier if w in pivot]], how)(axis=1)
    return ((new + prior) / (old + prior).replace(0, np.nan) - 1).replace([np.inf, -np.inf], np.nan)


def shortage_list(history: pd.DataFrame, week: str) -> pd.DataFrame:
    """Rank the eligible occupations of ``week``; ``history`` holds the weekly metrics of every
    week up to it (for growth)."""
    current = history[(history["week"] == week) & (history["postings_active"] >= MIN_POSTINGS)].copy()
    if current.empty:
        return current
    current = current.set_index("occupation_code")
    current["demand_growth_4w"] = _growth(history, "postings_new", week, "sum").round(4)
    current["salary_growth_4w"] = _growth(history, "salary_p50", week, "mean").round(4)
    market = current["openings"].sum() / max(current["seekers"].sum(), 1)
    shrunk = (current["openings"] + PRIOR_WEIGHT * market) / (current["seekers"] + PRIOR_WEIGHT)
    indicators = pd.DataFrame({
        "tightness": np.log(shrunk).rank(pct=True),
        "demand_growth": _growth(history, "postings_new", week, "sum", PRIOR_WEIGHT).rank(pct=True),
        "salary_growth": (current["salary_growth_4w"] * current["salary_n"]
                          / (current["salary_n"] + PAY_PRIOR)).rank(pct=True),
    })
    weights = pd.Series(WEIGHTS)
    present = indicators.notna()
    score = (indicators.fillna(0) * weights).sum(axis=1) / (present * weights).sum(axis=1)
    current["score"] = (score * 100).round(1)
    current["shortage_level"] = [
        shortage_level(low, high, seekers) for low, high, seekers in
        zip(current["demand_supply_ratio_low"], current["demand_supply_ratio_high"], current["seekers"])]
    current["level_order"] = current["shortage_level"].map(LEVEL_ORDER)
    current = current.sort_values(["level_order", "score", "openings"], ascending=[True, False, False])
    current["rank"] = range(1, len(current) + 1)
    return current.reset_index()[[
        "week", "occupation_code", "occupation_name", "rank", "score", "shortage_level", "postings_active",
        "openings", "seekers", "demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high",
        "demand_growth_4w", "salary_p50", "salary_growth_4w",
    ]]
