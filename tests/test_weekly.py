"""Known-answer tests of the weekly metrics: ratios, pay, duplicates, growth, durations, small cells."""
import numpy as np
import pandas as pd
import pytest

from monitor import grouped, weekly

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


def test_grouped_quantiles_agree_with_pandas():
    rng = np.random.default_rng(7)
    codes, values = rng.integers(0, 40, 3000), rng.lognormal(9, 0.4, 3000)
    values[rng.random(3000) < 0.1] = np.nan
    n, mean, (p25, p50) = grouped.quantiles(codes, values, 40, (0.25, 0.5))
    by_code = pd.Series(values).groupby(codes)
    assert np.allclose(p25, by_code.quantile(0.25)) and np.allclose(p50, by_code.median())
    assert np.allclose(mean, by_code.mean()) and (n == by_code.count()).all()


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


def history(column, values):
    """One cell's weekly metrics over consecutive weeks from 2026-W40."""
    frame = pd.DataFrame({"cell": 0, "level": "细类", "occupation_code": "A", "place_kind": "city", "place": "北京市",
                          "industry": "all", "week_number": weekly.week_number("2026-W40") + np.arange(len(values)),
                          "postings_new": 40.0, "salary_p50": 10000.0, "salary_n": 40.0})
    frame[column] = values
    return weekly.add_growth(frame)


def test_growth_from_52674_to_55684_is_5_71_percent():
    grown = history("salary_p50", [52674.0] * 4 + [55684.0] * 4)
    assert round(grown["salary_growth_4w"].iloc[7] * 100, 2) == 5.71
    assert grown["salary_growth_4w"].iloc[:7].isna().all()   # the older window lies before the data
    assert grown["salary_growth_13w"].isna().all()


def test_demand_growth_compares_four_week_windows():
    grown = history("postings_new", [10.0, 10, 10, 10, 15, 15, 15, 15])
    assert grown["demand_growth_4w"].iloc[7] == pytest.approx(0.5)


def test_kaplan_meier_treats_open_postings_as_censored():
    durations, closed = [2, 3, 4, 5, 6, 7], [1, 0, 1, 0, 1, 1]
    times, survival = grouped.kaplan_meier(durations, closed)
    assert list(times) == [2, 4, 6, 7]
    assert survival == pytest.approx([5 / 6, 5 / 6 * 3 / 4, 5 / 6 * 3 / 4 / 2, 0])
    assert grouped.km_quantile(durations, closed, 0.5) == 6      # closed-only median: 5; all as closed: 4.5
    assert grouped.km_quantile([5, 9, 12], [0, 0, 1], 0.5) == 12
    assert np.isnan(grouped.km_quantile([5, 9, 12], [0, 0, 0], 0.5))  # none closed yet: unknown, not 0


def test_grouped_kaplan_meier_agrees_with_the_single_sample_one():
    rng = np.random.default_rng(3)
    codes, days, closed = rng.integers(0, 30, 4000), rng.integers(0, 50, 4000), rng.random(4000) < 0.6
    p50, p75 = grouped.km_quantiles(codes, days, closed, 30, (0.5, 0.75))
    for code in range(30):
        mine = codes == code
        assert p50[code] == grouped.km_quantile(days[mine], closed[mine], 0.5)
        assert np.isnan(p75[code]) == np.isnan(grouped.km_quantile(days[mine], closed[mine], 0.75))


def test_durations_in_the_weekly_metrics_are_censored_at_the_week_end():
    # posted Monday 2026-11-16 (W47): two closed after 2 and 4 days, one still open at Sunday (6 days)
    p = postings([(1, "A", "c1", "e1", "2026-11-16", "2026-11-18", None, 1, None),
                  (2, "A", "c2", "e2", "2026-11-16", "2026-11-20", None, 1, None),
                  (3, "A", "c3", "e3", "2026-11-16", None, "2026-12-31", 1, None)])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES).iloc[0]
    assert (m["duration_n"], m["duration_closed"], m["duration_median_days"]) == (3, 2, 4)
    assert np.isnan(m["duration_p75_days"])  # a third are still open: P75 is not reached


def test_reposts_by_the_same_cluster():
    p = postings([(1, "A", "c1", "e1", "2026-11-02", "2026-11-09", None, 1, None),
                  (2, "A", "c1", "e1", "2026-11-17", None, None, 1, None),     # the same job again 15 days on
                  (3, "A", "c2", "e2", "2026-11-17", None, None, 1, None)])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES).iloc[0]
    assert m["repost_rate"] == pytest.approx(1 / 3)   # the cohort: postings first posted in W44–W47


def test_a_small_cell_is_suppressed_not_missing():
    small = [(i, "A", f"a{i}", f"e{i % 2}", "2026-11-16", None, None, 1, 9000.0 + i) for i in range(3)]
    large = [(100 + i, "B", f"b{i}", f"f{i % 12}", "2026-11-16", None, None, 1, 9000.0 + i) for i in range(40)]
    p = postings(small + large)
    raw = weekly.metrics_for_week(p, seekers(seekers_of("A", 4) + seekers_of("B", 30)), "2026-W47", NAMES)
    published = weekly.suppress(raw).set_index("occupation_code")
    assert list(published.index) == ["A", "B"]                        # kept, not dropped
    a, b = published.loc["A"], published.loc["B"]
    for field in ("postings_active", "openings", "seekers", "demand_supply_ratio", "salary_p50", "gap"):
        assert pd.isna(a[field]) and field in a["suppressed"].split(","), field
    assert "postings_active<10" in a["suppression_reasons"] and "employers<5" in a["suppression_reasons"]
    assert a["occupation_name"] == "甲职业"
    assert b["postings_active"] == 40 and b["salary_p50"] == pytest.approx(9019.5)
    assert b["demand_supply_ratio"] == pytest.approx(40 / 30, abs=1e-4) and "demand_supply_ratio" not in b["suppressed"]


def test_industries_may_be_a_list_and_each_counts():
    assert weekly.industries_of('["金融", "科技服务"]') == ["金融", "科技服务"]
    assert weekly.industries_of("金融|科技服务") == ["金融", "科技服务"]
    assert weekly.industries_of(None) == [] and weekly.industries_of("金融") == ["金融"]
    p = postings([(1, "A", "c1", "e1", "2026-11-16", None, None, 2, None)])
    p["industry"] = "金融|科技服务"
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", NAMES, weekly.Grouping("细类", "city", True))
    assert sorted(m["industry"]) == ["科技服务", "金融"] and list(m["openings"]) == [2, 2]


def test_rollup_to_coarser_levels():
    p = postings([(1, "2-02-10-03", "c1", "e1", "2026-11-16", None, None, 1, None),
                  (2, "2-02-10-07", "c2", "e2", "2026-11-16", None, None, 2, None)])
    m = weekly.metrics_for_week(p, seekers([]), "2026-W47", {}, weekly.Grouping("小类"))
    assert list(m["occupation_code"]) == ["2-02-10-00"] and m["openings"].iloc[0] == 3


def test_official_seeker_counts_sit_beside_the_crawled_ones():
    p = postings([(1, "A", "c1", "e1", "2026-11-16", None, None, 3, None)])
    official = pd.DataFrame({"source": ["人社局", "人社局"], "period_start": ["2026-10-01", "2026-11-16"],
                             "period_end": ["2026-12-31", "2026-11-22"], "occupation_code": ["A", "A"],
                             "seekers": [900, 120]})
    m = weekly.compute_metrics(p, seekers(seekers_of("A", 5)), "2026-W47", "2026-W47", NAMES,
                               official=official).iloc[0]
    assert m["seekers_official"] == 120        # the week's own figure beats the quarter's
    assert m["seekers_official_source"] == "人社局"
    assert m["seekers"] == 5 and m["demand_supply_ratio"] == pytest.approx(0.6)   # never mixed in
