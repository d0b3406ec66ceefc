"""The store's reader and writer child processes (db.columnar, db.frame_writer), against real
SQLite files: the same frames and rows as the in-process paths, odd values included, and
nothing half-written when either side fails."""
import logging
import math
import sqlite3

import numpy as np
import pandas as pd
import pytest

from db import reads
from db.columnar import Query
from db.frame_writer import FrameWriter, WriteFailed
from db.store import open_db

ROWS = 5000


@pytest.fixture
def odd_store(tmp_path):
    """A table whose columns hold what SQLite's dynamic typing allows: numbers as text, text in
    a number column, a column NULL for the first few thousand rows, integers and reals mixed."""
    path = tmp_path / "odd.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n, late TEXT, mixed, name TEXT, code)")
    rows = [(i, i % 7, None if i <= ROWS - 10 else f"late{i}", i if i % 2 else i + 0.5,
             ["东城区", "朝阳区", None][i % 3], i % 5) for i in range(1, ROWS + 1)]
    rows[100] = (101, "12", None, "x", "海淀区", "A1")   # a number as text; text where numbers are
    rows[200] = (201, "abc", None, None, "", 3.5)
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def _both_ways(path, queries):
    """read_frames through the child processes, and in this process."""
    db = open_db(path)
    through_children = reads.read_frames(db, [queries])[0]
    in_process = reads._compact_frame(db, queries)
    return through_children, in_process


def test_children_read_what_sqlite3_reads(odd_store):
    query = Query("SELECT id, n, late, mixed, name, code FROM t ORDER BY id", numeric=("id", "n", "mixed"))
    arrow, python = _both_ways(odd_store, [query])
    assert len(arrow) == ROWS
    assert arrow["id"].dtype == np.int64 and arrow["id"].tolist() == python["id"].tolist()
    for column in ("n", "mixed"):  # numbers; text that is a number is read as one, other text as NaN
        np.testing.assert_array_equal(arrow[column].to_numpy(float), python[column].to_numpy(float))
    assert arrow.loc[100, "n"] == 12 and math.isnan(arrow.loc[200, "n"]) and math.isnan(arrow.loc[100, "mixed"])
    assert arrow["late"].isna().sum() == ROWS - 10 and arrow["late"].iloc[-1] == f"late{ROWS}"
    assert arrow["name"].isna().tolist() == python["name"].isna().tolist()
    assert arrow["name"].dropna().tolist() == python["name"].dropna().tolist()
    assert arrow.loc[100, "code"] == "A1"  # a text column keeps text; numbers in it come back as text
    assert arrow.loc[101, "code"] == "2"


def test_a_read_split_in_ranges_is_the_whole_read(odd_store):
    db = open_db(odd_store)
    whole = Query("SELECT id, n, late FROM t ORDER BY id", numeric=("id", "n"))
    parts = [Query("SELECT id, n, late FROM t WHERE id > ? AND id <= ? ORDER BY id", (low, high), ("id", "n"))
             for low, high in reads.id_ranges(db, "t", 3)]
    split, = reads.read_frames(db, [parts])
    pd.testing.assert_frame_equal(split, reads.read_frames(db, [[whole]])[0])
    assert split["late"].notna().sum() == 10  # only the last range has any: the column is text all the same


def test_a_failed_child_read_is_logged_and_read_here(odd_store, caplog):
    db = open_db(odd_store)
    query = Query("SELECT id, x'fffe' AS blob FROM t ORDER BY id", numeric=("id",))  # bytes that are no text
    with caplog.at_level(logging.WARNING, logger="db.reads"):
        frame, = reads.read_frames(db, [[query]])
    assert len(frame) == ROWS
    assert "reading through Arrow failed" in caplog.text


def test_in_memory_or_uncommitted_stores_are_read_here():
    db = open_db(":memory:")
    assert reads.store_file(db) is None
    frame, = reads.read_frames(db, [[Query("SELECT 1 AS one", numeric=("one",))]])
    assert frame["one"].tolist() == [1]


def _result_frame(week: str, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "week": [week] * n, "level": ["细类"] * n, "occupation_code": [f"2-02-{i:02d}-01" for i in range(n)],
        "occupation_name": ["工程师"] * n, "place_kind": ["city"] * n, "place": ["北京市"] * n,
        "industry": ["all"] * n, "postings_active": np.arange(n, dtype=np.int64),
        "salary_p50": np.where(np.arange(n) % 2, np.nan, 9000.5), "suppressed": [""] * n,
        "seekers_official_source": pd.Series([None] * n, dtype=object),
    })


def _stored(path, week):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT occupation_code, postings_active, salary_p50, typeof(salary_p50), "
                            "seekers_official_source, method_version FROM weekly_metrics WHERE week = ? "
                            "ORDER BY occupation_code", [week]).fetchall()
    finally:
        conn.close()


def test_child_writer_stores_what_the_in_process_writer_stores(tmp_path):
    stored = {}
    for way in ("child", "here"):
        path = tmp_path / f"{way}.db"
        db = open_db(path)
        with FrameWriter(db, str(path) if way == "child" else None, ["2026-W47"]) as writer:
            writer.write("weekly_metrics", _result_frame("2026-W47", 50), {"method_version": "m", "computed_at": "t"})
        stored[way] = _stored(path, "2026-W47")
    assert len(stored["child"]) == 50
    assert stored["child"] == stored["here"]
    assert stored["child"][1][3] == "null" and stored["child"][0][2] == 9000.5  # NaN is stored as NULL


@pytest.fixture
def stored_week(tmp_path):
    """(store, its path, what it holds of 2026-W47): a week written once by the child writer."""
    path = tmp_path / "s.db"
    db = open_db(path)
    with FrameWriter(db, str(path), ["2026-W47"]) as writer:
        writer.write("weekly_metrics", _result_frame("2026-W47", 5), {"method_version": "old", "computed_at": "t"})
    return db, path, _stored(path, "2026-W47")


def test_a_failure_in_the_parent_leaves_the_old_weeks(stored_week):
    db, path, before = stored_week
    with pytest.raises(RuntimeError, match="computing failed"), FrameWriter(db, str(path), ["2026-W47"]) as writer:
        writer.write("weekly_metrics", _result_frame("2026-W47", 9), {"method_version": "new", "computed_at": "t"})
        raise RuntimeError("computing failed")
    assert _stored(path, "2026-W47") == before  # neither deleted nor half replaced


def test_a_failure_in_the_child_is_raised_and_nothing_is_written(stored_week):
    db, path, before = stored_week
    bad = _result_frame("2026-W47", 3).assign(no_such_column=1)
    with pytest.raises(WriteFailed, match="2026-W47"), FrameWriter(db, str(path), ["2026-W47"]) as writer:
        writer.write("weekly_metrics", _result_frame("2026-W47", 9), {"method_version": "new", "computed_at": "t"})
        writer.write("weekly_metrics", bad, {"method_version": "new", "computed_at": "t"})
    assert _stored(path, "2026-W47") == before
