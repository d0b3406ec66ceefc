from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from normalize.dates import SHANGHAI, parse_date

FETCHED = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)

CASES = [
    ("2023-12-12 09:22:00", date(2023, 12, 12)),
    ("2026-11-02", date(2026, 11, 2)),
    ("2026/11/02", date(2026, 11, 2)),
    ("2026年11月2日", date(2026, 11, 2)),
    ("2026-11-20T23:30:00Z", date(2026, 11, 21)),       # UTC evening is the next Shanghai day
    ("2026-11-20T10:00:00+08:00", date(2026, 11, 20)),
    ("1700000000000", date(2023, 11, 15)),                # Unix milliseconds
    ("1700000000", date(2023, 11, 15)),                   # Unix seconds
    ("3天前发布", date(2026, 11, 19)),
    ("昨天", date(2026, 11, 21)),
    ("前天", date(2026, 11, 20)),
    ("08:00发布", date(2026, 11, 22)),
    ("今天", date(2026, 11, 22)),
    ("今日活跃", date(2026, 11, 22)),
    ("刚刚", date(2026, 11, 22)),
    ("5小时前", date(2026, 11, 22)),
    ("2周前", date(2026, 11, 8)),
    ("1个月前", date(2026, 10, 23)),
    ("半个月前", date(2026, 11, 7)),
    ("三天前", date(2026, 11, 19)),
    ("11-20", date(2026, 11, 20)),
    ("12月25日", date(2025, 12, 25)),                     # a future month-day is last year's
    ("求职开始 2026-10-02", date(2026, 10, 2)),
    ("2026-10-02 活跃", date(2026, 10, 2)),
    # forms the example sources' saved pages use (tests/fixtures/sites/)
    ("2023年12月12日", date(2023, 12, 12)),
    ("12月12日", date(2025, 12, 12)),
    ("2023-12-12 23:30:00+00:00", date(2023, 12, 13)),    # ISO with a space and an offset
    ("2026-11-18T08:30:00.000+0000", date(2026, 11, 18)),
    ("2026-11-19T16:30:00Z", date(2026, 11, 20)),
    ("2026-11-20T23:30:00+08:00", date(2026, 11, 20)),
    ("1702344120000", date(2023, 12, 12)),                # 2023-12-12 09:22 in Shanghai
    ("1702344120", date(2023, 12, 12)),
    ("Fri, 20 Nov 2026 01:00:00 GMT", date(2026, 11, 20)),  # RSS pubDate
    ("Thu, 19 Nov 2026 18:00:00 GMT", date(2026, 11, 20)),  # 02:00 the next day in Shanghai
    ("Sat, 21 Nov 2026 23:30:00 +0800", date(2026, 11, 21)),
    ("今天 09:30", date(2026, 11, 22)),
    ("23:50发布", date(2026, 11, 21)),                      # later than the fetch (10:00): yesterday's
    ("昨天 18:30", date(2026, 11, 21)),
    ("前天发布", date(2026, 11, 20)),
    ("刚刚活跃", date(2026, 11, 22)),
]
NUMBERS = [(1702344120000, date(2023, 12, 12)), (1702344120, date(2023, 12, 12))]
NO_DATE = ["", "面议", "garbage", "2026-02-30", "🙂", None, "25:00发布", True]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_parse_date(text, expected):
    assert parse_date(text, FETCHED) == expected


@pytest.mark.parametrize("value,expected", NUMBERS, ids=[str(n[0]) for n in NUMBERS])
def test_unix_time_as_a_number(value, expected):
    assert parse_date(value, FETCHED) == expected


def test_clock_time_counts_from_the_fetch_in_shanghai():
    just_after_midnight = datetime(2026, 11, 21, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 22nd in Shanghai
    assert parse_date("00:10发布", just_after_midnight) == date(2026, 11, 22)
    assert parse_date("08:00发布", just_after_midnight) == date(2026, 11, 21)
    assert parse_date("3天前发布", just_after_midnight) == date(2026, 11, 19)


@pytest.mark.parametrize("text", NO_DATE, ids=[repr(t) for t in NO_DATE])
def test_no_date(text):
    assert parse_date(text, FETCHED) is None


@pytest.mark.parametrize("text", ["0001-01-01", "1900-01-01", "1999-12-31", "9999-12-31", "2027-11-24", "100"],
                         ids=repr)
def test_dates_no_posting_can_have_are_none(text):
    # a hostile page or a broken row: stored as null (with the record's note), never a week of year 1
    assert parse_date(text, FETCHED) is None


def test_the_range_of_posting_dates():
    assert parse_date("2000-01-01", FETCHED) == date(2000, 1, 1)
    assert parse_date("2027-11-22", FETCHED) == date(2027, 11, 22)  # valid through, a year ahead


def test_an_import_with_a_hostile_date_keeps_the_row_as_a_reject(tmp_path):
    from crawlers.imports import import_records
    from db.store import open_db

    data = tmp_path / "postings.csv"
    data.write_text("title,company,posted_at\nJava开发工程师,甲公司,0001-01-01\n快递员,乙公司,2026-11-02\n",
                    encoding="utf-8")
    db = open_db(tmp_path / "store.db")
    import_records(db, "postings", data)
    rows = {r["title"]: r for r in db.query("SELECT * FROM postings")}
    assert rows["快递员"]["posted_at"] == "2026-11-02"
    assert "Java开发工程师" not in rows
    assert [r["reason"] for r in db.query("SELECT reason FROM rejects")] == ["bad_date_posted_at"]


def test_a_crawled_posting_with_a_hostile_date_is_stored_with_a_null_date_and_a_note():
    from normalize.record import normalize_posting

    posting = normalize_posting({"title": "快递员", "posted_text": "0001-01-01"}, FETCHED)
    assert posting.posted_at is None
    assert "posted_unparsed" in posting.normalize_notes
