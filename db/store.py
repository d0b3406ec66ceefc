"""The SQLite store: where the file is, how it is opened, and its numbered migrations.

Migrations are the files ``db/migrations/NNNN_name.sql``, applied in order inside one
transaction each; ``PRAGMA user_version`` holds the number of the last one applied and the
``schema_migrations`` table records when each ran. An older file is upgraded in place. A
migration that rebuilds a table other tables refer to says ``-- jobmon: foreign_keys off``: it
runs with foreign keys off (SQLite cannot switch them inside a transaction) and commits only if
``PRAGMA foreign_key_check`` finds every reference intact.
"""
from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import sqlite_utils

DEFAULT_DB = "jobmon.db"
ENV_VAR = "JOBMON_DB"
BUSY_TIMEOUT_MS = 30_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_FOREIGN_KEYS_OFF = "-- jobmon: foreign_keys off"


class StoreError(Exception):
    """The store cannot be opened or is newer than this version of jobmon understands."""


def resolve_db_path(option: str | os.PathLike | None = None) -> Path:
    """``--db PATH`` if given, else ``$JOBMON_DB``, else ``./jobmon.db``."""
    return Path(option or os.environ.get(ENV_VAR) or DEFAULT_DB)


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every shipped migration, in order."""
    found = []
    for entry in resources.files("db").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations must be numbered 1..N without gaps, found {numbers}")
    return found


def open_db(path: str | os.PathLike | None = None, *, busy_timeout: float | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the store and bring its schema up to date.

    ``busy_timeout``: seconds a statement waits for another process's write lock before it fails
    with "database is locked" (default ``BUSY_TIMEOUT_MS``)."""
    db_path = resolve_db_path(path)
    if db_path.parent and not db_path.parent.exists():
        raise StoreError(f"folder {db_path.parent} does not exist: create it or pass another --db")
    timeout_ms = BUSY_TIMEOUT_MS if busy_timeout is None else max(0, int(busy_timeout * 1000))
    conn = sqlite3.connect(db_path, timeout=timeout_ms / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return sqlite_utils.Database(conn)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations the file has not seen yet; return their numbers."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    available = migrations()
    if current > len(available):
        raise StoreError(
            f"the store is at schema version {current} but this jobmon knows only "
            f"{len(available)}: upgrade jobmon (pip install -U jobmon)"
        )
    applied = []
    for number, name, sql in available[current:]:
        keys_off = _FOREIGN_KEYS_OFF in sql.splitlines()
        keys_were_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        if keys_off:
            conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (number, name, now_iso()),
            )
            conn.execute(f"PRAGMA user_version = {number}")
            if keys_off and (broken := conn.execute("PRAGMA foreign_key_check").fetchmany(5)):
                raise StoreError(f"migration {number} {name} would break references: {broken}")
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        finally:
            if keys_off and keys_were_on:
                conn.execute("PRAGMA foreign_keys = ON")
        applied.append(number)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows the grammar)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return statements


@contextmanager
def checkpoint_deferred(db: sqlite_utils.Database):
    """Within the block this connection's commits leave the write-ahead log as it is: copying its
    pages back into the database file (a checkpoint) waits for the next commit after the block,
    or for the last connection to close, as ``db.columnar``'s result writer does. A large write
    (the monitor's cluster ids) then does not also pay for the checkpoint in the middle of a run."""
    previous = db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA wal_autocheckpoint = {int(previous)}")


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's answer to a write lock another connection held past the busy
    timeout ("database is locked" / "database is busy"): the write may succeed when tried again."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error))


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
