"""Known-answer tests of the weekly metrics and the shortage list."""
import pandas as pd
import pytest

from monitor import shortage, weekly

NAMES = {"A": "甲职业", "B": "乙职业"}


def postings(rows):
    frame = pd.DataFrame(rows, columns=["id", "occupation_code", "cluster", "company_norm", "posted_at",
                                        "closed_at", "valid_through", "headcount", "salary"])
    return weekly.prepare_postings(frame)


def seekers(rows):
    return weekly.prepare_seekers(pd.DataFrame(rows, columns=["id", "occupation_code", "active_from", "active_to"]))


def seekers_of(code, count, start="2026-11-01", end=None):
    return [(f"{code}{i}", code, start, end) for i in range(count)]


def test_three_openings_five_seekers():
    p = postings([(1, "A", "c1", "e1", "2026-11-10", None, None, 3, 10000.0)])
    m = weekly.metrics_for_week(p, seekers(seekers_of("A", 5)), "2026-W47", NAMES).set_index("occupation_code")
    assert m.loc["A", "openings"] == 3
    assert m.loc["A", "seekers"] == 5
    assert m.loc["A", "demand_supply_ratio"] == pytest.approx(0.6)
    assert round(m.loc["A", "supply_demand_ratio"], 2) == 1.67
    assert m.loc["A", "gap"] == -2


def test_median_and_mean_differ_on_skewed_pay():
    pays = [8000, 9000, 10000, 11000, 60000]
    p = postings([(i, "A", f"c{i}", f"e{i}", "2026-11-16", None, None, 1, float(pay)) for i, pay in enumerate(pays)])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES).iloc[0]
    assert m["salary_p50"] == 10000
    assert m["salary_mean"] == 19600
    assert (m["salary_p25"], m["salary_p75"]) == (9000, 11000)
    assert m["salary_n"] == 5


def test_negotiable_pay_is_excluded_not_zero():
    p = postings([(1, "A", "c1", "e1", "2026-11-16", None, None, 1, 10000.0),
                  (2, "A", "c2", "e2", "2026-11-16", None, None, 1, None)])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES).iloc[0]
    assert (m["salary_p50"], m["salary_n"], m["salary_coverage"], m["postings_active"]) == (10000, 1, 0.5, 2)


def test_duplicates_count_once_and_closed_postings_drop_out():
    p = postings([
        (1, "A", "same", "e1", "2026-11-16", None, None, 2, 9000.0),
        (2, "A", "same", "e1", "2026-11-17", None, None, 2, 9000.0),          # cross-post of 1
        (3, "A", "other", "e2", "2026-10-01", "2026-11-01", None, 1, None),    # closed before the week
        (4, "A", "late", "e3", "2026-10-01", None, "2026-11-18", 1, None),     # expires inside the week
    ])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES).iloc[0]
    assert (m["postings_active"], m["openings"], m["employers"], m["postings_new"]) == (2, 3, 2, 1)


def test_seekers_active_only_within_their_dates():
    s = seekers([(1, "A", "2026-11-01", "2026-11-15"),   # last active the Sunday before
                 (2, "A", "2026-11-01", "2026-11-16"),   # active on the Monday
                 (3, "A", "2026-11-23", None)])          # starts the week after
    m = weekly.metrics_for_week(postings([]), s, "2026-W47", NAMES).iloc[0]
    assert m["seekers"] == 1
    assert m["demand_supply_ratio"] == 0
    assert pd.isna(m["supply_demand_ratio"])  # no openings: 供需比 is not claimed


def test_growth_from_52674_to_55684_is_5_71_percent():
    history = pd.DataFrame({
        "week": [f"2026-W{w:02d}" for w in range(40, 48)],
        "occupation_code": ["A"] * 8,
        "salary_p50": [52674.0] * 4 + [55684.0] * 4,
    })
    growth = shortage._growth(history, "salary_p50", "2026-W47", "mean")
    assert round(growth["A"] * 100, 2) == 5.71


LEVEL_CASES = [  # openings, seekers, level
    (300, 60, "严重紧缺"),   # 5.0, interval 3.8–6.6
    (30, 6, "紧缺"),         # 5.0 too, but six seekers: interval 2.1–12.1
    (46, 17, "紧缺"),        # 2.7 on few cases: interval 1.55–4.7, short but not surely severe
    (120, 100, "平衡"),
    (100, 300, "过剩"),      # 0.33, interval 0.27–0.42
    (3, 9, "平衡"),          # 0.33 on 12 cases: cannot tell
    (12, 0, "严重紧缺"),     # openings and no seekers
]


@pytest.mark.parametrize("openings,seekers,level", LEVEL_CASES, ids=[f"{o}/{s}" for o, s, _ in LEVEL_CASES])
def test_shortage_levels_use_the_interval(openings, seekers, level):
    low, high = weekly.ratio_interval(pd.Series([openings]), pd.Series([seekers]))
    assert shortage.shortage_level(low[0], high[0], seekers) == level


def test_ratio_interval_contains_the_ratio_and_narrows_with_counts():
    low, high = weekly.ratio_interval(pd.Series([30, 300]), pd.Series([6, 60]))
    assert low[0] < 5 < high[0] and low[1] < 5 < high[1]
    assert high[1] - low[1] < high[0] - low[0]


def test_shortage_list_ranks_tight_cells_first_and_skips_small_ones():
    rows = []
    for code, openings, seekers_count, active in [("A", 300, 60, 150), ("B", 100, 250, 80), ("C", 8, 1, 5)]:
        rows.append({"week": "2026-W47", "occupation_code": code, "occupation_name": code, "postings_new": 10,
                     "postings_active": active, "openings": openings, "seekers": seekers_count,
                     "salary_p50": 10000.0, "salary_n": 50})
    frame = pd.DataFrame(rows)
    frame["demand_supply_ratio"] = frame["openings"] / frame["seekers"]
    frame["demand_supply_ratio_low"], frame["demand_supply_ratio_high"] = weekly.ratio_interval(
        frame["openings"], frame["seekers"])
    ranked = shortage.shortage_list(frame, "2026-W47")
    assert list(ranked["occupation_code"]) == ["A", "B"]          # C has under 10 postings
    assert list(ranked["shortage_level"]) == ["严重紧缺", "过剩"]
    assert list(ranked["rank"]) == [1, 2]
