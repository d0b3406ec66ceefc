"""`jobmon demo` end to end: the local board on 127.0.0.1, the real Scrapy engine, a real
SQLite file, and the shortage table it prints finds the planted answer."""
import json
import subprocess

import pytest

from crawlers.board.market import PLANTED_SHORTAGES, PLANTED_SURPLUSES, PLANTED_TYPES

POSTINGS = 6000


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run(
        ["jobmon", "demo", "--postings", str(POSTINGS), "--end-week", "2026-W46", "--db", str(db), "--top", "10"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return db, result


def shortages_json(db):
    result = subprocess.run(["jobmon", "shortages", "--db", str(db), "--top", "0", "--format", "json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_demo_prints_the_planted_shortages_on_top(demo):
    _, result = demo
    lines = result.stdout.splitlines()
    assert lines[0] == "Shortage table, Beijing, 2026-W46 (求人倍率 = openings ÷ active job seekers)"
    table_rows = [line for line in lines if line[:1].isdigit()][:len(PLANTED_SHORTAGES)]
    assert {row.split()[1] for row in table_rows} == set(PLANTED_SHORTAGES)
    assert "Store:" in result.stdout and "docs/data-dictionary.md" in result.stdout


def test_demo_shows_progress(demo):
    _, result = demo
    for step in ("[1/4]", "[2/4]", "[3/4]", "[4/4]", "pages/s", "done"):
        assert step in result.stderr


def test_planted_levels_and_types(demo):
    rows = {r["occupation_code"]: r for r in shortages_json(demo[0])}
    for code in PLANTED_SHORTAGES:
        assert rows[code]["shortage_level"] in ("严重紧缺", "紧缺"), code
        assert rows[code]["shortage_type"] == PLANTED_TYPES[code], code
        assert rows[code]["demand_supply_ratio"] > 2
        assert rows[code]["rank"] <= len(PLANTED_SHORTAGES)
    for code in PLANTED_SURPLUSES:
        assert rows[code]["shortage_level"] == "过剩", code
        assert rows[code]["shortage_type"] is None and rows[code]["stars"] is None
        assert rows[code]["rank"] > len(rows) - len(PLANTED_SURPLUSES) - 1


def test_json_rows_carry_the_documented_keys(demo):
    rows = shortages_json(demo[0])
    required = {"week", "occupation_code", "occupation_name", "postings_active", "seekers", "demand_supply_ratio",
                "supply_demand_ratio", "gap", "salary_p25", "salary_p50", "salary_p75", "salary_mean", "salary_n",
                "shortage_level", "shortage_type", "shortage_degree", "rank", "suppressed"}
    assert rows and all(required <= set(row) for row in rows)
    assert all(row["week"] == "2026-W46" for row in rows)
    assert all(row[field] is None for row in rows for field in row["suppressed"] if field in row)
    first = rows[0]
    assert first["rank"] == 1 and 0 <= first["shortage_degree"] <= 1
    priced = [r for r in rows if r["salary_p50"] is not None]
    assert priced and all(r["salary_p25"] <= r["salary_p50"] <= r["salary_p75"] for r in priced)


def test_csv_export(demo):
    result = subprocess.run(["jobmon", "shortages", "--db", str(demo[0]), "--top", "3", "--format", "csv"],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("week,rank,previous_rank,level,occupation_code,occupation_name")
    assert len(lines) == 4
