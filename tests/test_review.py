"""The title review loop on real SQLite files: list what needs review, accept an alias (stored,
used by the matcher, records re-normalized), export the accepted aliases, and crawls that use
them."""
import csv
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from crawlers.pipelines import ensure_taxonomy, store_row
from db.review import accepted_aliases
from db.store import now_iso, open_db
from db.writes import ensure_source, upsert_records
from monitor.cli import main
from normalize.titles import match_title, set_extra_aliases

from .crawling import crawl_command

UNKNOWN = "数字游民体验官"
FETCHED = datetime(2026, 11, 16, 9, tzinfo=UTC).isoformat()


@pytest.fixture(autouse=True)
def forget_accepted_aliases():
    set_extra_aliases({})
    yield
    set_extra_aliases({})


def posting(n: int, title: str) -> dict:
    return {"source": "test", "source_id": f"p{n}", "url": f"http://127.0.0.1/jobs/{n}", "title": title,
            "company": "北京数创科技有限公司", "salary_text": "15-25K", "location_text": "北京-朝阳区",
            "fetched_at": FETCHED}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.db"
    db = open_db(path)
    ensure_taxonomy(db)
    ensure_source(db, "test", "postings", "jobposting", None)
    ensure_source(db, "test-talent", "seekers", "seekers", None)
    postings = [posting(1, f"{UNKNOWN}（急招）"), posting(2, f"{UNKNOWN} 双休"), posting(3, "Java开发工程师"),
                posting(4, "搬砖侠")]
    upsert_records(db, "postings", [stored(db, "postings", p) for p in postings], now_iso())
    seeker = {"source": "test-talent", "source_id": "s1", "desired_title": UNKNOWN, "location_text": "北京",
              "fetched_at": FETCHED}
    upsert_records(db, "seekers", [stored(db, "seekers", seeker)], now_iso())
    db.conn.close()
    return path


def stored(db, table: str, raw: dict) -> dict:
    """The pipeline's row for a raw record, limited to the table's columns (normalizers may
    return fields whose migration another change brings)."""
    columns = {c[1] for c in db.execute(f"PRAGMA table_info({table})").fetchall()}
    return {k: v for k, v in store_row(table, raw, None, "北京市").items() if k in columns}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_review_lists_unmatched_titles_by_frequency_with_candidates(store):
    result = run("review", "--db", store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["title_clean"] == UNKNOWN
    assert (rows[0]["records"], rows[0]["postings"], rows[0]["seekers"]) == (3, 2, 1)
    assert rows[0]["code"] is None
    assert all(rows[0][f"candidate_{k}"] for k in (1, 2, 3))
    assert "java开发工程师" not in {r["title_clean"] for r in rows}     # matched with confidence
    table = run("review", "list", "--db", store)
    assert table.exit_code == 0 and UNKNOWN in table.output


def test_accept_records_the_alias_and_renormalizes_postings_and_seekers(store):
    result = run("review", "accept", f"{UNKNOWN}（五险一金）", "4-13-01-05", "--db", store, "--note", "new media")
    assert result.exit_code == 0, result.output
    assert "re-normalized 2 postings and 1 job seekers" in result.output
    db = open_db(store)
    rows = db.execute("SELECT occupation_code, match_method, match_score, normalize_notes FROM postings "
                      "WHERE title LIKE ?", [f"{UNKNOWN}%"]).fetchall()
    assert rows == [("4-13-01-05", "alias", 100.0, None)] * 2
    assert db.execute("SELECT occupation_code FROM seekers").fetchone()[0] == "4-13-01-05"
    alias = dict(next(db.query("SELECT * FROM title_aliases")))
    assert (alias["alias"], alias["code"], alias["level_name"], alias["note"]) == (UNKNOWN, "4-13-01-05", "细类",
                                                                                  "new media")
    assert (alias["postings_renormalized"], alias["seekers_renormalized"]) == (2, 1)
    assert accepted_aliases(db) == {UNKNOWN: "4-13-01-05"}
    listed = json.loads(run("review", "--db", store, "--format", "json").output)
    assert UNKNOWN not in {r["title_clean"] for r in listed}
    # the other records are untouched
    assert db.execute("SELECT occupation_code FROM postings WHERE source_id = 'p3'").fetchone()[0] == "2-02-10-03"


def test_accept_takes_a_coarse_code_and_replaces_an_earlier_one(store):
    assert run("review", "accept", UNKNOWN, "4-13-01-05", "--db", store).exit_code == 0
    assert run("review", "accept", UNKNOWN, "4-13-01-00", "--db", store).exit_code == 0
    db = open_db(store)
    assert db.execute("SELECT code, level_name FROM title_aliases").fetchall() == [("4-13-01-00", "小类")]
    assert {r[0] for r in db.execute("SELECT occupation_code FROM postings WHERE title LIKE ?", [f"{UNKNOWN}%"])} \
        == {"4-13-01-00"}


@pytest.mark.parametrize("title,code,message", [
    (UNKNOWN, "9-99-99-99", "is not a code of the 2022 classification"),
    (UNKNOWN, "java", "is not a code of the 2022 classification"),
    ("五险一金 包吃住", "4-13-01-05", "nothing but noise"),
])
def test_accept_refuses_what_it_cannot_use(store, title, code, message):
    result = run("review", "accept", title, code, "--db", store)
    assert result.exit_code == 2 and message in result.output
    assert open_db(store)["title_aliases"].count == 0


def test_export_writes_the_shipped_alias_format(store, tmp_path):
    run("review", "accept", UNKNOWN, "4-13-01-05", "--db", store, "--note", "new media")
    run("review", "accept", "搬砖侠", "6-00-00-00", "--db", store)
    out = tmp_path / "accepted.csv"
    result = run("review", "export", out, "--db", store)
    assert result.exit_code == 0 and "wrote 2 accepted aliases" in result.output
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["alias"], r["code"]) for r in rows) == sorted([(UNKNOWN, "4-13-01-05"), ("搬砖侠", "6-00-00-00")])
    notes = {r["alias"]: r["note"] for r in rows}
    assert notes[UNKNOWN].startswith("accepted 20") and notes[UNKNOWN].endswith(": new media")


def test_a_crawl_uses_the_accepted_aliases(board_url, tmp_path):
    """Accept a code for a title the board uses, then crawl job seekers: they get the accepted code."""
    import subprocess

    from .crawling import ROOT

    path = tmp_path / "crawl.db"
    title = "养老院护工"                       # a board title of 养老护理员 (4-10-01-05)
    assert match_title(title).code == "4-10-01-05"
    assert run("review", "accept", title, "4-14-01-02", "--db", path).exit_code == 0
    command = crawl_command(f"{board_url}/talent/", path, source="board-talent", spider="seekers")
    subprocess.run(command, cwd=ROOT, check=True, timeout=120)
    db = open_db(path)
    codes = {r[0] for r in db.execute("SELECT occupation_code FROM seekers WHERE desired_title = ?", [title])}
    assert codes == {"4-14-01-02"}
    others = db.execute("SELECT count(*) FROM seekers WHERE desired_title = '养老护理员' "
                        "AND occupation_code = '4-10-01-05'").fetchone()[0]
    assert others > 0
