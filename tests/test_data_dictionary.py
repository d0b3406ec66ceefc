"""The data dictionary documents every table, view and column of the store, and only those."""
import re
from pathlib import Path

from db.store import open_db
from monitor.scheduling import create_job_table

DICTIONARY = Path(__file__).parent.parent / "docs" / "data-dictionary.md"
SECTION = re.compile(r"^## (\w+)( \(view\))?$", re.M)
ROW = re.compile(r"^\| (\w+) \| ([\w()]+) \| .+ \|$", re.M)
INHERITS = re.compile(r"every column of `(\w+)`")


def documented() -> dict[str, dict[str, str]]:
    text = DICTIONARY.read_text(encoding="utf-8")
    parts = SECTION.split(text)
    sections = {}
    for index in range(1, len(parts), 3):
        name, body = parts[index], parts[index + 2]
        columns = {}
        for inherited in INHERITS.findall(body):
            columns.update(sections[inherited])
        columns.update({c: t for c, t in ROW.findall(body) if c != "column"})
        sections[name] = columns
    return sections


def actual(db) -> dict[str, dict[str, str]]:
    names = db.table_names() + db.view_names()
    return {
        name: {row[1]: (row[2] or "") for row in db.execute(f"PRAGMA table_info({name})").fetchall()}
        for name in names
    }


def opened(tmp_path):
    """A new store as open_db leaves it, plus the schedules table APScheduler creates in it."""
    db = open_db(tmp_path / "store.db")
    create_job_table(tmp_path / "store.db")
    return db


def test_every_table_and_view_is_documented(tmp_path):
    db = opened(tmp_path)
    assert set(documented()) == set(actual(db))


def test_every_column_is_documented_with_its_type(tmp_path):
    db = opened(tmp_path)
    docs = documented()
    for name, columns in actual(db).items():
        if name in db.view_names():
            assert set(docs[name]) == set(columns), name
        else:
            assert docs[name] == columns, name
