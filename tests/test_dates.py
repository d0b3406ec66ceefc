from datetime import date, datetime

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
]
NO_DATE = ["", "面议", "garbage", "2026-02-30", "🙂", None]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_parse_date(text, expected):
    assert parse_date(text, FETCHED) == expected


@pytest.mark.parametrize("text", NO_DATE, ids=[repr(t) for t in NO_DATE])
def test_no_date(text):
    assert parse_date(text, FETCHED) is None
