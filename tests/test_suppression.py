"""Suppression that holds (docs/methodology.md, section 5): in generated weeks, no hidden value can
be recomputed from the published fields of its own row, nor as a published total minus its
published parts (an occupation and its finer codes, the city and its districts or zones, a zone
and its districts); only cells with a published ratio are ranked."""
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import complementary, shortage, weekly
from normalize.taxonomy import code_at_level

CODES = ["2-02-10-03", "2-02-10-07", "2-02-10-00", "2-02-38-01", "2-02-38-02", "2-05-08-01", "2-05-08-02",
         "2-05-01-01", "4-02-07-08", "4-02-07-01", "4-02-01-01", "4-10-08-01", "4-10-01-05"]
ZONE_OF = {"东城区": "中心城区", "海淀区": "中心城区", "朝阳区": "中心城区", "通州区": "城市副中心",
           "大兴区": "平原新城", "昌平区": "平原新城", "延庆区": "生态涵养区"}
DISTRICTS = list(ZONE_OF)
WEEK = "2026-W47"
Z = weekly.Z_95


def generated_week(seed: int, placed_share: float):
    """Postings and seekers of two weeks (2026-W46, W47) over a few real-looking codes, skewed so
    that many cells are small; ``placed_share`` of them name a district (and its zone)."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(len(CODES), 0.6))
    n_postings, n_seekers = int(rng.integers(150, 700)), int(rng.integers(0, 500))

    def places(n):
        placed = rng.random(n) < placed_share
        district = np.where(placed, rng.choice(DISTRICTS, n), None)
        return district, [ZONE_OF.get(d) for d in district]

    district, zone = places(n_postings)
    posted = pd.Timestamp("2026-11-09") + pd.to_timedelta(rng.integers(0, 14, n_postings), unit="D")
    postings = pd.DataFrame({
        "id": np.arange(n_postings), "occupation_code": rng.choice(CODES, n_postings, p=weights),
        "cluster": np.arange(n_postings), "company_norm": [f"e{i}" for i in rng.integers(0, 60, n_postings)],
        "district": district, "zone": zone,
        "industry": rng.choice(["金融", "科技服务", "金融|科技服务", None], n_postings),
        "posted_at": posted.strftime("%Y-%m-%d"), "closed_at": None, "valid_through": None,
        "headcount": rng.integers(1, 4, n_postings),
        "salary": np.where(rng.random(n_postings) < 0.8, rng.integers(5, 40, n_postings) * 1000.0, np.nan)})
    district, zone = places(n_seekers)
    start = pd.Timestamp("2026-11-09") + pd.to_timedelta(rng.integers(0, 14, n_seekers), unit="D")
    seekers = pd.DataFrame({"id": np.arange(n_seekers),
                            "occupation_code": rng.choice(CODES, n_seekers, p=rng.dirichlet(np.full(len(CODES), 0.6))),
                            "district": district, "zone": zone, "active_from": start.strftime("%Y-%m-%d"),
                            "active_to": None})
    return weekly.prepare_postings(postings), weekly.prepare_seekers(seekers)


def published_week(postings, seekers, groupings=weekly.DETAILED_GROUPINGS):
    """As `jobmon monitor` does it: every grouping's table, published together, and the lists."""
    inputs = weekly.table_inputs(weekly.encode(postings, seekers), "2026-W46", WEEK, {}, "北京市", groupings)
    raw = [weekly.completed_table(inputs, g, weekly.grouping_table(inputs, g, n)) for n, g in enumerate(groupings)]
    published = complementary.publish(raw, inputs.district_zone)
    ranked = [shortage.shortage_list(r, p, inputs.data_first, shortage.city_table(groupings, published, n))
              for n, (r, p, g) in enumerate(zip(raw, published, groupings))
              if len(r) and g.place_kind == "city" and g.level in ("细类", "中类")]  # the lists take time: some
    return raw, published, ranked


# ---- what a reader can compute from one published row -----------------------------------------

def seekers_from_interval(row):
    """Both counts back from the 95% interval: √(low·high) is the ratio O/S and
    ln(√(high/low)) / z = √(1/O + 1/S)."""
    low, high = row["demand_supply_ratio_low"], row["demand_supply_ratio_high"]
    ratio, k = np.sqrt(low * high), (np.log(np.sqrt(high / low)) / Z) ** 2
    seekers = (1 + 1 / ratio) / k
    return seekers


DERIVATIONS = {  # hidden field: [(published fields it needs, how it comes back)]
    "seekers": [
        (("openings", "demand_supply_ratio"), lambda r: r["openings"] / r["demand_supply_ratio"]),
        (("openings", "supply_demand_ratio"), lambda r: r["openings"] * r["supply_demand_ratio"]),
        (("openings", "gap"), lambda r: r["openings"] - r["gap"]),
        (("demand_supply_ratio_low", "demand_supply_ratio_high"), seekers_from_interval),
    ],
    "openings": [
        (("seekers", "demand_supply_ratio"), lambda r: r["seekers"] * r["demand_supply_ratio"]),
        (("seekers", "supply_demand_ratio"), lambda r: r["seekers"] / r["supply_demand_ratio"]),
        (("seekers", "gap"), lambda r: r["gap"] + r["seekers"]),
        (("demand_supply_ratio_low", "demand_supply_ratio_high"),
         lambda r: seekers_from_interval(r) * np.sqrt(r["demand_supply_ratio_low"] * r["demand_supply_ratio_high"])),
    ],
    "salary_n": [(("salary_coverage", "postings_active"), lambda r: r["salary_coverage"] * r["postings_active"])],
    "postings_active": [(("salary_coverage", "salary_n"), lambda r: r["salary_n"] / r["salary_coverage"])],
}


def row_leaks(raw: pd.DataFrame, published: pd.DataFrame) -> list[str]:
    leaks = []
    for target, ways in DERIVATIONS.items():
        hidden = published[target].isna() & raw[target].notna()
        for needs, _ in ways:
            shown = np.logical_and.reduce([published[f].notna() for f in needs])
            for index in published.index[hidden & shown]:
                leaks.append(f"{target} of {published.loc[index, 'occupation_code']} "
                             f"{published.loc[index, 'place']} from {needs}")
    return leaks


# ---- what a reader can compute from a total and its parts ---------------------------------------

def families(cells: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """(total, parts) by position in ``cells``: each occupation and its codes one computed level
    finer (same week, place and industry); the city and its districts, the city and its zones,
    each zone and its districts (same week, level, occupation and industry)."""
    cells = cells.reset_index(drop=True)
    position = {key: i for i, key in enumerate(zip(cells["week"], cells["level"], cells["occupation_code"],
                                                   cells["place_kind"], cells["place"], cells["industry"]))}
    found: dict[tuple, list[int]] = {}
    depth = weekly.LEVELS
    computed = cells.groupby([cells["place_kind"], cells["industry"] != "all"])["level"].agg(set)
    for i, cell in cells.iterrows():
        levels = sorted(computed[(cell["place_kind"], cell["industry"] != "all")], key=depth.get)
        finer_than = [lvl for lvl in levels if depth[lvl] < depth[cell["level"]]]
        if finer_than:
            coarse = finer_than[-1]
            parent = (cell["week"], coarse, code_at_level(cell["occupation_code"], depth[coarse]), cell["place_kind"],
                      cell["place"], cell["industry"])
            found.setdefault(("occupation", parent), []).append(i)
        if cell["place_kind"] in ("district", "zone"):
            city = (cell["week"], cell["level"], cell["occupation_code"], "city", "北京市", cell["industry"])
            found.setdefault((cell["place_kind"], city), []).append(i)
        if cell["place_kind"] == "district":
            zone = (cell["week"], cell["level"], cell["occupation_code"], "zone", ZONE_OF[cell["place"]],
                    cell["industry"])
            found.setdefault(("zone-districts", zone), []).append(i)
    return [(position[total], parts) for (_, total), parts in found.items() if total in position]


COUNTS = ["postings_new", "postings_active", "openings", "seekers", "salary_n", "duration_n"]


def family_leaks(raw: pd.DataFrame, published: pd.DataFrame) -> list[str]:
    """A hidden part that is the published total minus the other published parts, or a hidden
    total that is the sum of its published parts — where the parts do add up to the total (a
    posting without a district is in the city but in none of its districts: nobody can tell
    how many such there are, so such a family gives nothing back)."""
    raw, published = raw.reset_index(drop=True), published.reset_index(drop=True)
    values, shown = raw[COUNTS].to_numpy(dtype=float), published[COUNTS].notna().to_numpy()
    leaks = []
    for total, parts in families(raw):
        members = [total, *parts]
        adds_up = ~np.isnan(values[members]).any(axis=0) & (np.abs(values[total] - values[parts].sum(axis=0)) < 1e-9)
        hidden_parts = (~shown[parts]).sum(axis=0)
        part_left = adds_up & shown[total] & (hidden_parts == 1)          # total − the other parts
        total_left = adds_up & ~shown[total] & (hidden_parts == 0)        # the sum of the parts
        for f in np.flatnonzero(part_left | total_left):
            derived = total if total_left[f] else parts[int(np.argmin(shown[parts, f]))]
            leaks.append(f"{COUNTS[f]} of {raw.loc[derived, ['level', 'occupation_code', 'place']].tolist()} "
                         f"= total − parts")
    return leaks


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), placed_share=st.sampled_from([1.0, 0.85]))
def test_no_hidden_value_can_be_derived(seed, placed_share):
    raw, published, ranked = published_week(*generated_week(seed, placed_share))
    raw_all, published_all = pd.concat(raw, ignore_index=True), pd.concat(published, ignore_index=True)
    week = (raw_all["week"] == WEEK).to_numpy()
    raw_all, published_all = raw_all[week], published_all[week]
    assert (published_all["suppressed"] != "").any()      # the generated week has small cells
    assert row_leaks(raw_all, published_all) == []
    assert family_leaks(raw_all, published_all) == []
    lists = pd.concat(ranked, ignore_index=True)
    lists = lists[lists["week"] == WEEK]
    assert lists.loc[lists["list_kind"] == "shortage", "demand_supply_ratio"].notna().all()
    # an industry row shows its occupation's published whole-city supply side, nothing it hides
    city = published_all[(published_all["place_kind"] == "city") & (published_all["industry"] == "all")]
    city = city.set_index(["level", "occupation_code"])
    by_industry = lists[lists["industry"] != "all"]
    for column in ("seekers", "demand_supply_ratio", "demand_supply_ratio_low"):
        expected = city[column].reindex(pd.MultiIndex.from_frame(by_industry[["level", "occupation_code"]]))
        assert np.allclose(by_industry[column].astype(float), expected.astype(float), equal_nan=True), column
    # demand_share divides by the openings published in the list: it gives no hidden sum back
    keys = ["level", "place_kind", "place", "industry"]
    shown = published_all.groupby(keys)["openings"].sum()
    shared = lists.dropna(subset=["openings", "demand_share"])
    implied = shared["openings"] / shared["demand_share"]
    assert np.allclose(implied, shown.reindex(pd.MultiIndex.from_frame(shared[keys])).to_numpy(), rtol=0.002)


def test_the_derivations_are_real():
    """The formulas of DERIVATIONS and of a total minus its parts do give the values back on the
    unsuppressed rows: the property above tests something."""
    raw, _, _ = published_week(*generated_week(3, 1.0))
    frame = pd.concat(raw, ignore_index=True)
    frame = frame[(frame["seekers"] > 0) & (frame["openings"] > 0) & (frame["openings"] < 200)]
    for target, ways in DERIVATIONS.items():
        for needs, formula in ways:
            rows = frame.dropna(subset=list(needs) + [target])
            assert len(rows), (target, needs)
            assert np.allclose(formula(rows), rows[target], rtol=0.01, atol=0.5), (target, needs)  # 4 decimals
    everything = pd.concat(raw, ignore_index=True)
    assert family_leaks(everything, everything) == []            # nothing hidden: nothing to derive
    one_hidden = everything.copy()
    districts = one_hidden.index[(one_hidden["place_kind"] == "district") & (one_hidden["openings"] >= 10)]
    one_hidden.loc[districts[0], "openings"] = np.nan
    assert any("openings" in leak for leak in family_leaks(everything, one_hidden))


def test_ratio_and_openings_do_not_give_hidden_seekers_back():
    # the cell: 95 openings and 6 seekers published a ratio of 15.83 (× 95 = 6 seekers)
    rows = [(i, "A", f"c{i}", f"e{i % 20}", "2026-11-16", None, None, 1 + (i < 15), 9000.0) for i in range(80)]
    postings = weekly.prepare_postings(pd.DataFrame(rows, columns=["id", "occupation_code", "cluster", "company_norm",
                                                                   "posted_at", "closed_at", "valid_through",
                                                                   "headcount", "salary"]))
    seekers = weekly.prepare_seekers(pd.DataFrame([(i, "A", "2026-11-01", None) for i in range(6)],
                                                  columns=["id", "occupation_code", "active_from", "active_to"]))
    raw = weekly.metrics_for_week(postings, seekers, "2026-W47", {})
    assert (raw.loc[0, "openings"], raw.loc[0, "seekers"], round(raw.loc[0, "demand_supply_ratio"], 2)) == (95, 6, 15.83)
    row = weekly.suppress(raw).iloc[0]
    assert row["openings"] == 95 and pd.isna(row["seekers"])
    for field in ("demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high", "supply_demand_ratio",
                  "gap", "relative_tightness"):
        assert pd.isna(row[field]) and field in row["suppressed"].split(","), field
    assert "ratios: openings or seekers hidden" in row["suppression_reasons"]


def test_a_cell_without_seekers_is_not_ranked():
    # 30 new openings a week and no seekers, while the market has seekers: monitor-2.0 ranked it
    # 严重紧缺 on the interval of 30 openings ÷ 0.5 seekers; without a published ratio it gets no level
    postings, seekers = [], []
    for code, per_week, n_seekers in (("A", 30, 0), ("B", 20, 40), ("C", 20, 20), ("D", 20, 80), ("E", 20, 30)):
        for week in range(9):
            for i in range(per_week):
                posted = pd.Timestamp("2026-09-21") + pd.Timedelta(days=7 * week + i % 7)
                postings.append((f"{code}{week}-{i}", code, f"{code}{week}-{i}", f"{code}e{i % 10}", posted.date().isoformat(),
                                 (posted + pd.Timedelta(days=10 + i % 20)).date().isoformat(), None, 1, 9000.0 + 100 * week))
        seekers += [(f"{code}{i}", code, "2026-09-01", None) for i in range(n_seekers)]
    postings = weekly.prepare_postings(pd.DataFrame(postings, columns=[
        "id", "occupation_code", "cluster", "company_norm", "posted_at", "closed_at", "valid_through", "headcount",
        "salary"]))
    seekers = weekly.prepare_seekers(pd.DataFrame(seekers, columns=["id", "occupation_code", "active_from", "active_to"]))
    raw = weekly.compute_metrics(postings, seekers, "2026-W39", "2026-W47", {})
    published = weekly.suppress(raw)
    a = published[published["week"] == "2026-W47"].set_index("occupation_code").loc["A"]
    assert a["openings"] > 30 and a["seekers"] == 0 and pd.isna(a["demand_supply_ratio"])
    assert pd.isna(a["demand_supply_ratio_low"])          # no interval for a ratio that does not exist
    ranked = shortage.shortage_list(raw, published)
    assert "A" not in set(ranked["occupation_code"]) and (ranked["list_kind"] == "shortage").all()
    assert {"B", "C", "D", "E"} <= set(ranked.loc[ranked["week"] == "2026-W47", "occupation_code"])


def test_complements_follow_the_next_smallest_part():
    # one total of 40 with parts 5 (small: hidden), 12, 23: the 12 is hidden too, then nothing
    members = pd.DataFrame({"family": 0, "row": [0, 1, 2, 3], "total": [True, False, False, False]})
    values = np.array([40.0, 5, 12, 23])
    assert list(complementary.hidden_complements(values, members)) == [False, False, True, False]
    # parts that do not add up to the total (someone without a district): nothing to protect
    assert not complementary.hidden_complements(np.array([45.0, 5, 12, 23]), members).any()
    # a hidden complement that is itself a total with every part published: one of those goes too
    chained = pd.concat([members, pd.DataFrame({"family": 1, "row": [2, 4, 5], "total": [True, False, False]})])
    values = np.array([40.0, 5, 12, 23, 10, 2])
    assert list(complementary.hidden_complements(values, chained)) == [False, False, True, False, True, False]
    # a complement that is a total whose only part is published: the part goes too
    single = pd.concat([members, pd.DataFrame({"family": 1, "row": [2, 4], "total": [True, False]})])
    values = np.array([40.0, 5, 12, 23, 12])
    assert list(complementary.hidden_complements(values, single)) == [False, False, True, False, True]
