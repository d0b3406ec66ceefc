import sqlite3

import pytest

from db.store import StoreError, migrations, open_db, resolve_db_path
from db.writes import upsert_records


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("JOBMON_DB", raising=False)
    assert str(resolve_db_path(None)) == "jobmon.db"
    monkeypatch.setenv("JOBMON_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert str(resolve_db_path(tmp_path / "flag.db")) == str(tmp_path / "flag.db")


def test_open_applies_migrations_and_pragmas(tmp_path):
    db = open_db(tmp_path / "s.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert [r[0] for r in db.execute("SELECT version FROM schema_migrations")] == list(range(1, len(migrations()) + 1))


def test_older_file_is_upgraded_in_place_not_recreated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE researcher_notes (note TEXT)")
    conn.execute("INSERT INTO researcher_notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    db = open_db(path)
    assert db.execute("SELECT note FROM researcher_notes").fetchone()[0] == "keep me"
    assert "postings" in db.table_names()
    db.conn.close()
    again = open_db(path)  # a second open applies nothing and loses nothing
    assert again.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())


def test_newer_file_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="upgrade jobmon"):
        open_db(path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_db(tmp_path / "nope" / "s.db")


def _posting(source_id, title):
    return {"source": "s", "source_id": source_id, "title": title, "normalizer_version": "t", "taxonomy_version": "t"}


def test_upsert_counts_new_and_updated_and_keeps_first_seen(tmp_path):
    db = open_db(tmp_path / "s.db")
    db.execute("INSERT INTO sources (name, kind, spider, created_at) VALUES ('s', 'postings', 'x', 'now')")
    assert upsert_records(db, "postings", [_posting("1", "a"), _posting("2", "b")], "2026-01-01") == (2, 0)
    assert upsert_records(db, "postings", [_posting("2", "b2"), _posting("3", "c")], "2026-01-08") == (1, 1)
    row = db.execute("SELECT title, first_seen, last_seen FROM postings WHERE source_id = '2'").fetchone()
    assert row == ("b2", "2026-01-01", "2026-01-08")
    assert db["postings"].count == 3


def test_foreign_keys_are_enforced(tmp_path):
    db = open_db(tmp_path / "s.db")
    with pytest.raises(sqlite3.IntegrityError):
        upsert_records(db, "postings", [_posting("1", "a")], "2026-01-01")  # unknown source
