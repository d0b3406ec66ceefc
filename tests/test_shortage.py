"""The shortage list: evidence levels from the ratio's interval and the score, persistence,
types from the two indices, ranks, on a small synthetic market computed end to end."""
import numpy as np
import pandas as pd
import pytest

from monitor import shortage, weekly

LEVEL_CASES = [  # openings, seekers, score, level
    (300, 60, 80, "严重紧缺"),   # 5.0, interval 3.8–6.6
    (300, 60, 40, "平衡"),       # the same ratio, but nothing else says hard to fill
    (30, 6, 80, "紧缺"),         # 5.0 too, but six seekers: interval 2.1–12.1
    (46, 17, 80, "紧缺"),        # 2.7 on few cases: interval 1.55–4.7, short but not surely severe
    (130, 100, 80, "紧缺"),      # 1.3, interval 1.0–1.7: surely above 1 and hard to fill
    (130, 100, 60, "平衡"),
    (100, 300, 20, "过剩"),      # 0.33, interval 0.27–0.42
    (3, 9, 20, "平衡"),          # 0.33 on 12 cases: cannot tell
    (60, 0, 80, "严重紧缺"),     # openings and no seekers (0.5 seekers in the interval)
    (12, 0, 80, "紧缺"),         # ... but only 12 of them
]


@pytest.mark.parametrize("openings,seekers,score,level", LEVEL_CASES,
                         ids=[f"{o}/{s}@{sc}" for o, s, sc, _ in LEVEL_CASES])
def test_evidence_uses_the_interval_and_the_score(openings, seekers, score, level):
    low, high = weekly.ratio_interval([openings], [seekers])
    assert shortage.evidence_level(low[0], high[0], score) == level


def test_ratio_interval_contains_the_ratio_and_narrows_with_counts():
    low, high = weekly.ratio_interval([30, 300], [6, 60])
    assert low[0] < 5 < high[0] and low[1] < 5 < high[1]
    assert high[1] - low[1] < high[0] - low[0]


def synthetic_market(weeks=6, seed=5):
    """Ten occupations over ``weeks`` weeks: A large and tight with rising pay and long-open
    postings, B small and tight, C large and slack, the rest balanced."""
    rng = np.random.default_rng(seed)
    plan = {  # code: (postings a week, seekers per opening, pay, stay in days)
        # B's seekers (5 a week, about 10 active) are just enough to publish, and so its ratio
        "A": (60, 0.2, 20000, 30), "B": (14, 0.36, 30000, 30), "C": (60, 4.0, 6000, 7),
        **{f"N{i}": (20 + 5 * i, 1.0, 9000 + 500 * i, 14) for i in range(7)},
    }
    monday = pd.Timestamp("2026-10-05")  # 2026-W41
    postings, seekers = [], []
    for code, (per_week, seekers_per_opening, pay, stay) in plan.items():
        for week in range(weeks):
            for i in range(per_week):
                posted = monday + pd.Timedelta(days=7 * week + i % 7)
                rising = 1.03 ** week if code in "AB" else 1.0
                postings.append({
                    "id": len(postings), "occupation_code": code, "cluster": f"{code}-{week}-{i}",
                    "company_norm": f"{code}-employer-{i % 12}", "district": ["海淀区", "朝阳区", "昌平区"][i % 3],
                    "posted_at": posted.date().isoformat(),
                    "closed_at": (posted + pd.Timedelta(days=int(rng.integers(stay // 2, stay + 1)))).date().isoformat(),
                    "valid_through": None, "headcount": 1, "salary": pay * rising * rng.lognormal(0, 0.1)})
            for i in range(max(1, round(per_week * 2 * seekers_per_opening / 2))):
                start = monday + pd.Timedelta(days=7 * week)
                seekers.append({"id": len(seekers), "occupation_code": code, "district": "海淀区",
                                "active_from": start.date().isoformat(),
                                "active_to": (start + pd.Timedelta(days=13)).date().isoformat()})
    return weekly.prepare_postings(pd.DataFrame(postings)), weekly.prepare_seekers(pd.DataFrame(seekers))


@pytest.fixture(scope="module")
def ranked():
    postings, seekers = synthetic_market()
    raw = weekly.compute_metrics(postings, seekers, "2026-W41", "2026-W46", {}, "北京市",
                                 (weekly.Grouping("细类"), weekly.Grouping("细类", "district")))
    return shortage.shortage_list(raw, weekly.suppress(raw))


def city(ranked, week="2026-W46"):
    rows = ranked[(ranked["week"] == week) & (ranked["place_kind"] == "city")]
    return rows.set_index("occupation_code")


def test_tight_occupations_rank_first_with_their_type(ranked):
    latest = city(ranked)
    assert latest.loc["A", "shortage_level"] in ("严重紧缺", "紧缺")
    assert latest.loc["B", "shortage_level"] in ("严重紧缺", "紧缺")
    assert latest.loc["A", "shortage_type"] == "供给性紧缺"          # large demand, very few seekers
    assert latest.loc["B", "shortage_type"] == "小规模供给性紧缺"    # small demand, very few seekers
    assert latest.loc["C", "shortage_level"] == "过剩" and pd.isna(latest.loc["C", "shortage_type"])
    assert set(latest.sort_values("rank").index[:2]) == {"A", "B"}
    assert latest.loc["C", "rank"] == len(latest)
    assert latest.loc["A", "stars"] >= 4 and np.isnan(latest.loc["C", "stars"])
    assert 0 <= latest["shortage_degree"].min() and latest["shortage_degree"].max() <= 1


def test_persistence_and_history(ranked):
    latest, first = city(ranked), city(ranked, "2026-W41")
    assert latest.loc["A", "persistence"] == "4/4 weeks"
    assert latest.loc["A", "weeks_in_shortage_13"] == 6
    assert first.loc["A", "persistence"] == "provisional: 1 week(s) of history"
    assert np.isnan(first.loc["A", "previous_rank"]) and latest.loc["A", "previous_rank"] >= 1
    assert "tightness" in latest.loc["A", "drivers"] and "tightness" in latest.loc["C", "drivers"]


def test_share_of_demand_and_typical_districts(ranked):
    latest = city(ranked)
    assert latest["demand_share"].sum() == pytest.approx(1, abs=0.01)   # every occupation is eligible here
    assert latest.loc["A", "typical_districts"].startswith(("海淀区", "朝阳区", "昌平区"))
    assert latest.loc["A", "typical_districts"].count("%") == 3


def test_at_least_four_indicators(ranked):
    lists = ranked[ranked["list_kind"] == "shortage"]
    assert (lists["indicators"] >= shortage.MIN_INDICATORS).all()
    assert lists["growth_horizon_weeks"].dropna().eq(4).all()


def test_a_place_without_seekers_gets_a_demand_list(ranked):
    # every seeker is in 海淀区: 朝阳区's list has the demand side only, ranked by active postings
    chaoyang = ranked[(ranked["place"] == "朝阳区") & (ranked["week"] == "2026-W46")]
    assert len(chaoyang) and (chaoyang["list_kind"] == "demand").all()
    assert list(chaoyang["rank"]) == list(range(1, len(chaoyang) + 1))
    assert chaoyang["postings_active"].is_monotonic_decreasing
    for column in ("demand_supply_ratio", "shortage_level", "shortage_type", "score", "evidence_level"):
        assert chaoyang[column].isna().all(), column
    assert chaoyang["openings"].notna().all() and chaoyang["demand_share"].notna().all()
    haidian = ranked[(ranked["place"] == "海淀区") & (ranked["week"] == "2026-W46")]
    assert (haidian["list_kind"] == "shortage").all()


def test_a_level_needs_three_of_four_weeks():
    frame = pd.DataFrame({"cell": 0, "week_number": np.arange(6), "_evidence": [1, 1, 0, 0, 1, 1]})
    declared = shortage._declare(frame, 0, 5)
    assert list(declared["shortage_level"]) == ["紧缺", "紧缺", "平衡", "平衡", "平衡", "平衡"]
    frame["_evidence"] = [0, 1, 1, 0, 1, 2]
    assert list(shortage._declare(frame, 0, 5)["shortage_level"])[-1] == "紧缺"
