"""Reads and writes of the title review loop: titles waiting for review, accepted aliases
(``title_aliases``) and the re-normalized columns of the records an accepted alias changes."""
from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from .writes import RECORD_TABLES

_TITLE_COLUMN = {"postings": "title", "seekers": "desired_title"}


def accepted_aliases(db: sqlite_utils.Database) -> dict[str, str]:
    """Every accepted alias → its code, oldest first."""
    return dict(db.execute("SELECT alias, code FROM title_aliases ORDER BY accepted_at, alias_key").fetchall())


def accepted_alias_rows(db: sqlite_utils.Database) -> list[dict]:
    cursor = db.execute("SELECT * FROM title_aliases ORDER BY accepted_at, alias_key")
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def save_alias(db: sqlite_utils.Database, row: dict) -> None:
    """Insert or replace one accepted alias (keyed by ``alias_key``)."""
    columns = list(row)
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.execute(
            f"INSERT OR REPLACE INTO title_aliases ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})", [row[c] for c in columns])


def titles_to_review(db: sqlite_utils.Database, min_score: float, limit: int) -> list[dict]:
    """Cleaned titles of postings and seekers left unmatched, matched below ``min_score`` or
    matched only by fuzzy similarity, most frequent first, with their current answer."""
    cursor = db.execute(
        """
        WITH titles AS (
            SELECT title_clean, title AS example, occupation_code, match_score, match_method,
                   1 AS postings, 0 AS seekers FROM postings
            UNION ALL
            SELECT title_clean, desired_title, occupation_code, match_score, match_method, 0, 1 FROM seekers
        )
        SELECT title_clean, sum(postings) + sum(seekers) AS records, sum(postings) AS postings,
               sum(seekers) AS seekers, min(example) AS example, occupation_code AS code,
               max(match_score) AS score, match_method AS method
        FROM titles
        WHERE title_clean IS NOT NULL AND title_clean != ''
          AND (occupation_code IS NULL OR match_score < :min_score OR match_method = 'fuzzy')
        GROUP BY title_clean
        ORDER BY records DESC, title_clean
        LIMIT :limit
        """,
        {"min_score": min_score, "limit": limit},
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def records_with_title(db: sqlite_utils.Database, table: str, alias_key: str, columns: Sequence[str]) -> list[dict]:
    """Rows of ``table`` (with ``id`` and ``columns``) whose cleaned title, without spaces, is
    ``alias_key``: the records an accepted alias re-normalizes."""
    if table not in RECORD_TABLES:
        raise ValueError(f"records_with_title reads {RECORD_TABLES}, not {table!r}")
    cursor = db.execute(
        f"SELECT id, {', '.join(columns)} FROM {table} WHERE replace(title_clean, ' ', '') = ?", [alias_key])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def update_normalized(db: sqlite_utils.Database, table: str, rows: Sequence[dict]) -> int:
    """Write re-normalized columns back: each row holds ``id`` and the columns to set."""
    if table not in RECORD_TABLES:
        raise ValueError(f"update_normalized writes {RECORD_TABLES}, not {table!r}")
    if not rows:
        return 0
    columns = [c for c in rows[0] if c != "id"]
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.executemany(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [[row[c] for c in columns] + [row["id"]] for row in rows])
    return len(rows)

