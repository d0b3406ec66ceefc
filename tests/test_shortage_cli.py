"""`jobmon monitor` and `jobmon shortages` on a real SQLite store: formats, suppression in the
output, cuts, and `--explain`, whose plain-SQL recount must agree with the stored numbers."""
import json
from datetime import date, timedelta

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from db.store import open_db
from db.writes import ensure_source, load_occupations
from monitor.cli import main
from normalize.taxonomy import TAXONOMY_VERSION, occupation_rows

PLAN = {  # code: (postings a week, seekers a week, district)
    "2-02-38-01": (30, 4, "海淀区"), "2-02-10-03": (25, 25, "朝阳区"), "4-01-02-03": (25, 90, "朝阳区"),
    "2-05-08-01": (20, 18, "西城区"), "4-02-01-01": (18, 20, "大兴区"), "3-01-02-02": (3, 2, "丰台区"),
    "4-02-07-08": (40, 2, "通州区"),  # many openings, too few seekers to publish: no ratio, not ranked
}
MONDAY = date(2026, 9, 28)  # 2026-W40; the data runs to 2026-W47
STAMP = "2026-11-22T00:00:00+00:00"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store.db"
    db = open_db(path)
    load_occupations(db, occupation_rows())
    ensure_source(db, "test", "postings", "jobposting", None)
    ensure_source(db, "test-talent", "seekers", "seekers", None)
    rng = np.random.default_rng(11)
    postings, seekers = [], []
    for code, (per_week, seekers_per_week, district) in PLAN.items():
        for week in range(8):
            for i in range(per_week):
                posted = MONDAY + timedelta(days=7 * week + i % 7)
                closed = posted + timedelta(days=int(rng.integers(5, 30)))
                employer = f"employer{week}-{i}"  # a new job each time: clustering keeps them apart
                postings.append((
                    "test", f"{code}-{week}-{i}", "title", "岗位职责：见面详谈", code, None if i % 10 == 0 else float(rng.integers(8, 30) * 1000),
                    int(i % 10 == 0), "CNY", "北京市", district, "中心城区", "金融|科技服务" if i % 2 else "金融",
                    1 + i % 3, employer, f"{employer}|{code}|{district}|{week}-{i}" if i % 9 else f"repost|{code}|{district}",
                    posted.isoformat(), None, closed.isoformat() if closed < date(2026, 11, 22) else None,
                    "test", TAXONOMY_VERSION, STAMP, STAMP))
            for i in range(seekers_per_week):
                start = MONDAY + timedelta(days=7 * week + i % 7)
                seekers.append(("test-talent", f"{code}-{week}-{i}", "title", code, "北京市", district, "中心城区",
                                start.isoformat(), (start + timedelta(days=20)).isoformat(), "test", TAXONOMY_VERSION,
                                STAMP, STAMP))
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.executemany(
            "INSERT INTO postings (source, source_id, title, description, occupation_code, salary_mid_monthly, "
            "salary_negotiable, "
            "salary_currency, city, district, zone, industry_text, headcount, company_norm, dedup_key, posted_at, "
            "valid_through, closed_at, normalizer_version, taxonomy_version, first_seen, last_seen) "
            "VALUES (" + ", ".join("?" * 22) + ")", postings)
        db.conn.executemany(
            "INSERT INTO seekers (source, source_id, desired_title, occupation_code, city, district, zone, active_from, "
            "active_to, normalizer_version, taxonomy_version, first_seen, last_seen) VALUES (" + ", ".join("?" * 13) + ")",
            seekers)
    db.conn.close()
    result = CliRunner().invoke(main, ["monitor", "--db", str(path), "--all"])
    assert result.exit_code == 0, result.output
    assert "computed 8 week(s): 2026-W40 … 2026-W47" in result.output
    return path


def run(store, *args):
    result = CliRunner().invoke(main, ["shortages", "--db", str(store), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_rows_carry_the_issue_keys_and_suppressed_fields(store):
    rows = json.loads(run(store, "--format", "json", "--top", "0"))
    required = {"week", "occupation_code", "occupation_name", "postings_active", "seekers", "demand_supply_ratio",
                "supply_demand_ratio", "gap", "salary_p25", "salary_p50", "salary_p75", "salary_mean", "salary_n",
                "shortage_level", "shortage_type", "shortage_degree", "rank", "suppressed"}
    assert rows and all(required <= set(row) for row in rows)
    by_code = {row["occupation_code"]: row for row in rows}
    assert by_code["2-02-38-01"]["rank"] == 1 and by_code["2-02-38-01"]["shortage_type"] == "供给性紧缺"
    assert by_code["4-01-02-03"]["shortage_level"] == "过剩"
    assert "3-01-02-02" not in by_code                      # too small to rank ...
    assert "4-02-07-08" not in by_code                      # ... and without a published ratio
    for row in rows:
        assert isinstance(row["suppressed"], list)
        assert all(row[field] is None for field in row["suppressed"] if field in row)
        assert row["demand_supply_ratio"] is not None and row["list_kind"] == "shortage"


def test_hidden_seekers_take_every_field_that_gives_them_back(store):
    db = open_db(store)
    row = dict(zip(["openings", "seekers", "ratio", "low", "high", "inverse", "gap", "relative", "suppressed"],
                   db.execute("SELECT openings, seekers, demand_supply_ratio, demand_supply_ratio_low, "
                              "demand_supply_ratio_high, supply_demand_ratio, gap, relative_tightness, suppressed "
                              "FROM weekly_metrics WHERE week = '2026-W47' AND occupation_code = '4-02-07-08' "
                              "AND level = '细类' AND place_kind = 'city'").fetchone()))
    assert row["openings"] > 30 and row["seekers"] is None   # openings published, seekers hidden (1–9) ...
    for field in ("ratio", "low", "high", "inverse", "gap", "relative"):  # ... so nothing that gives them back
        assert row[field] is None, field
    assert "demand_supply_ratio" in row["suppressed"] and "gap" in row["suppressed"]


def test_small_cells_stay_in_the_metrics(store):
    db = open_db(store)
    small = db.execute("SELECT postings_active, suppressed, suppression_reasons FROM weekly_metrics WHERE week = "
                       "'2026-W47' AND occupation_code = '3-01-02-02' AND level = '细类' AND place_kind = 'city'"
                       ).fetchone()
    assert small[0] is None and "postings_active" in small[1] and "postings_active<10" in small[2]


def test_table_md_csv_and_cuts(store):
    table = run(store, "--top", "3")
    assert table.splitlines()[0].startswith("Shortage table 2026-W47, 细类, by occupation")
    assert "2-02-38-01" in table.splitlines()[3]
    assert "| rank |" in run(store, "--format", "md").replace("|   rank |", "| rank |") or "rank" in run(store, "--format", "md")
    assert run(store, "--format", "csv", "--top", "2").splitlines()[0].startswith("week,rank,previous_rank,level")
    by_district = run(store, "--by", "district", "--level", "中类", "--format", "json")
    assert {row["place"] for row in json.loads(by_district)} >= {"朝阳区", "海淀区"}
    by_industry = json.loads(run(store, "--by", "industry", "--level", "中类", "--format", "json"))
    assert {row["industry"] for row in by_industry} == {"金融", "科技服务"}
    assert all(row["demand_supply_ratio"] for row in by_industry if row["occupation_code"] == "2-02-00-00")


def test_xlsx_needs_out_and_writes_a_workbook(store, tmp_path):
    result = CliRunner().invoke(main, ["shortages", "--db", str(store), "--format", "xlsx"])
    assert result.exit_code != 0 and "--out" in result.output
    out = tmp_path / "shortages.xlsx"
    run(store, "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    assert "demand_supply_ratio" in header and sheet.max_row > 2
    assert sheet.cell(2, header.index("occupation_code") + 1).value == "2-02-38-01"


def test_explain_recomputes_the_stored_numbers_from_the_postings(store):
    output = run(store, "--explain", "2-02-10-03")
    lines = {line.split()[0]: line.split()[1:] for line in output.splitlines() if line[:1].isalpha() and len(line.split()) == 3}
    assert lines["salary_p50"][0] != "–"  # a cell large enough to publish its pay
    for field in ("postings_active", "postings_new", "openings", "employers", "seekers", "salary_n", "salary_p25",
                  "salary_p50", "salary_mean"):
        stored, recomputed = lines[field]
        assert float(stored.replace(",", "")) == pytest.approx(float(recomputed.replace(",", ""))), field
    assert "WITH cell AS" in output and "FROM seekers" in output


def test_monitor_one_week_and_a_week_without_data(store):
    result = CliRunner().invoke(main, ["monitor", "--db", str(store), "--week", "2026-W47"])
    assert result.exit_code == 0 and "computed 1 week(s): 2026-W47" in result.output
    result = CliRunner().invoke(main, ["monitor", "--db", str(store), "--week", "2030-W01"])
    assert result.exit_code != 0 and "pick a week that has postings" in result.output


def test_full_detail_adds_finer_places(store):
    result = CliRunner().invoke(main, ["monitor", "--db", str(store), "--detail", "full"])
    assert result.exit_code == 0, result.output
    rows = json.loads(run(store, "--by", "district", "--level", "细类", "--format", "json", "--top", "0"))
    assert {row["place"] for row in rows} >= {"海淀区", "朝阳区"} and all(row["level"] == "细类" for row in rows)
    assert CliRunner().invoke(main, ["monitor", "--db", str(store)]).exit_code == 0
    result = CliRunner().invoke(main, ["shortages", "--db", str(store), "--by", "district", "--level", "细类"])
    assert result.exit_code != 0 and "jobmon monitor" in result.output   # standard detail: none again


def test_a_week_outside_the_store_names_the_weeks_it_has(store):
    result = CliRunner().invoke(main, ["shortages", "--db", str(store), "--week", "2020-W01"])
    assert result.exit_code == 1
    assert "the store's weeks run from 2026-W" in result.output


POSTINGS_ONLY = {"快递员": 45, "网约配送员": 30, "中式烹调师": 20, "会计专业人员": 5}  # title: postings


@pytest.fixture(scope="module")
def postings_only(tmp_path_factory):
    """A real store filled by `jobmon import postings` of a CSV and nothing else: no job seekers."""
    folder = tmp_path_factory.mktemp("postings_only")
    lines = ["source_id,title,company,salary_text,location_text,posted_at,headcount"]
    for title, count in POSTINGS_ONLY.items():
        for i in range(count):
            posted = date(2026, 11, 2) + timedelta(days=i % 14)  # 2026-W45 and W46: W46 is the busiest
            lines.append(f"{title}-{i},{title},顺达{title}{i:03d}服务有限公司,{6 + i % 5}-{9 + i % 5}K,"
                         f"北京市{['朝阳区', '海淀区', '丰台区'][i % 3]},{posted.isoformat()},{1 + i % 2}")
    csv = folder / "postings.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "store.db"
    result = CliRunner().invoke(main, ["import", "postings", str(csv), "--db", str(path), "--source", "survey"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["monitor", "--db", str(path), "--all"])
    assert result.exit_code == 0, result.output
    return path


def test_postings_without_seekers_get_a_demand_table(postings_only, tmp_path):
    db = open_db(postings_only)
    assert db.execute("SELECT count(*) FROM seekers").fetchone()[0] == 0
    result = CliRunner().invoke(main, ["shortages", "--db", str(postings_only), "--week", "2026-W46"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Demand table 2026-W46, 细类, by occupation: no job seekers in 2026-W46")
    assert "the 求人倍率, the shortage level and the type need job seekers" in lines[0]
    assert "postings" in lines[1] and "openings" in lines[1] and "P50" in lines[1] and "求人倍率" not in lines[1]
    names = [line.split()[2] for line in lines[3:]]
    assert names == ["快递员", "网约配送员", "中式烹调师"]       # by active postings; 5 are too few to list

    result = CliRunner().invoke(main, ["shortages", "--db", str(postings_only), "--week", "2026-W46",
                                       "--format", "json"])
    assert result.exit_code == 0 and "no job seekers" in result.stderr
    rows = json.loads(result.stdout)
    assert [row["postings_active"] for row in rows] == [45, 30, 20]
    for row in rows:
        assert row["list_kind"] == "demand"
        for field in ("demand_supply_ratio", "demand_supply_ratio_low", "demand_supply_ratio_high",
                      "supply_demand_ratio", "shortage_level", "shortage_type", "stars", "score"):
            assert row[field] is None, field
    assert rows[0]["openings"] > 45 and rows[0]["postings_new"] == 21 and rows[0]["salary_p50"] > 6000

    for fmt in ("csv", "md"):
        result = CliRunner().invoke(main, ["shortages", "--db", str(postings_only), "--format", fmt])
        assert result.exit_code == 0 and "快递员" in result.stdout, fmt
    out = tmp_path / "demand.xlsx"
    result = CliRunner().invoke(main, ["shortages", "--db", str(postings_only), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet.cell(2, [c.value for c in sheet[1]].index("occupation_name") + 1).value == "快递员"
    assert any("no job seekers" in str(cell.value) for cell in sheet["A"])

    # the store says the same: the shortages table holds the demand list, weekly_metrics its cells
    stored = db.execute("SELECT occupation_name, rank, list_kind, shortage_level, demand_supply_ratio FROM shortages "
                        "WHERE week = '2026-W46' AND level = '细类' AND place_kind = 'city' AND industry = 'all' "
                        "ORDER BY rank").fetchall()
    assert stored == [("快递员", 1, "demand", None, None), ("网约配送员", 2, "demand", None, None),
                      ("中式烹调师", 3, "demand", None, None)]

    result = CliRunner().invoke(main, ["report", "--db", str(postings_only), "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report" / "jobmon-report-2026-W46.html").read_text(encoding="utf-8")
    assert "No job seekers this week" in html and "<td>快递员</td>" in html


def test_report_of_a_week_with_seekers_ranks_shortages(store, tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(store), "--week", "2026-W47", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "jobmon-report-2026-W47.html").read_text(encoding="utf-8")
    assert "No job seekers this week" not in html and "ranked occupations" in html
    assert "<td>2-02-38-01</td>" in html and "求人倍率 (openings ÷ seekers)" in html
