"""Read whole query results as columns, through Apache Arrow, in child processes.

The monitor reads every posting of the store at once. Python's ``sqlite3`` makes one Python
object per value (15 million for a million postings), which takes seconds; the ADBC SQLite
driver fills Arrow columns in C instead, several times faster. That driver links its own copy
of SQLite, and two copies of SQLite in one process break each other's POSIX locks on the same
file (https://www.sqlite.org/howtocorrupt.html §2.2.1), so it runs only here, in a child
process that opens the store read-only, like any other reader, and writes the columns to a
temporary Arrow IPC file that the parent maps into memory. Several queries run in as many
children at once.

Run as ``python -m db.columnar read`` it is that child: a JSON request (path, sql, parameters,
numeric columns, output file) on standard input, an error message on standard error with exit
status 1. ``python -m db.columnar ingest`` is the child that ``db.frame_writer`` starts to store
the monitor's results the same way. Both import only pyarrow and the driver: neither pandas nor
Python's ``sqlite3``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from . import children

BATCH_ROWS = 2**31 - 2  # the driver's largest batch: one batch, so each column's type is read from every row


class Query(NamedTuple):
    """SQL with ``?`` parameters; ``numeric`` columns come back as numbers (int64 when every
    value is an integer, else float64 with NaN for NULL and for text that is not a number), the
    others as text."""
    sql: str
    params: tuple = ()
    numeric: tuple[str, ...] = ()


class ReadFailed(RuntimeError):
    """The child could not read (no driver, an unreadable store, a type it cannot convert)."""


def start(path: str, query: Query) -> subprocess.Popen:
    """Start a child reading ``query`` from the store at ``path``; ``collect`` its result."""
    handle, output = tempfile.mkstemp(prefix="jobmon-", suffix=".arrow")
    os.close(handle)
    child = children.start("db.columnar", "read")
    child.output = output
    child.stdin.write(json.dumps({"path": path, "output": output, **query._asdict()}).encode())
    child.stdin.close()
    return child


def collect(child: subprocess.Popen):
    """The child's result as an Arrow table; ``ReadFailed`` with its message if it failed."""
    import pyarrow as pa

    failure = children.finish(child)
    try:
        if failure:
            raise ReadFailed(failure)
        return pa.ipc.open_file(pa.memory_map(child.output)).read_all()  # the columns stay in the file's pages
    finally:
        os.unlink(child.output)  # gone once unmapped


# ---- the child -------------------------------------------------------------------------------

def _typed(table, numeric: list[str]):
    """Columns as the parent expects them: numeric ones int64 (whole and complete) or float64,
    the others text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for name, column in zip(table.column_names, table.columns):
        if name in numeric:
            if pa.types.is_string(column.type):  # text in a number column (SQLite is dynamically typed)
                column = pc.cast(pc.if_else(pc.match_substring_regex(
                    column, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"), column, None), pa.float64())
            elif not (pa.types.is_integer(column.type) and column.null_count == 0):
                column = column.cast(pa.float64())
        elif not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def read_main() -> int:
    """``python -m db.columnar read``: a JSON request on standard input, the result to its file."""
    request = json.load(sys.stdin)
    try:
        import pyarrow as pa
        from adbc_driver_sqlite import dbapi

        uri = Path(request["path"]).absolute().as_uri() + "?mode=ro"
        with dbapi.connect(uri) as connection, connection.cursor() as cursor:
            cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
            cursor.execute(request["sql"], tuple(request["params"]))
            table = _typed(cursor.fetch_arrow_table(), request["numeric"])
        with pa.ipc.new_file(request["output"], table.schema) as output:
            output.write_table(table)
    except Exception as error:  # noqa: BLE001 - any failure goes to the parent, which reads another way
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def ingest_main(path: str, busy_timeout_ms: str) -> int:
    """``python -m db.columnar ingest PATH BUSY_TIMEOUT_MS``, the child of ``db.frame_writer``:
    pickled messages on standard input — (weeks, tables), then (table, Arrow file) parts, then
    None — delete the weeks from the tables and append each part, in one transaction committed
    at the None (an end of input before it rolls everything back)."""
    import pickle

    import pyarrow as pa
    from adbc_driver_sqlite import dbapi

    stream = sys.stdin.buffer
    weeks, tables = pickle.load(stream)
    message = pickle.load(stream)  # the write lock is taken with the first part, not while the parent computes it
    with dbapi.connect(Path(path).absolute().as_uri(), autocommit=False) as connection, \
            connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")  # as open_db: wait for another writer
        # The commit is durable in the write-ahead log; copying those pages back into the database
        # file (a checkpoint: seconds for a full year of results) is left to the next connection
        # that commits or closes, as SQLite does for any writer, instead of holding up the monitor.
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
        for table in tables:
            cursor.executemany(f"DELETE FROM {table} WHERE week = ?", [(week,) for week in weeks])
        while message is not None:  # EOFError when the parent stopped first: rolled back
            table, name = message
            with pa.memory_map(name) as part:
                cursor.adbc_ingest(table, pa.ipc.open_file(part).read_all(), mode="append")
            Path(name).unlink()
            message = pickle.load(stream)
        connection.commit()
    return 0


if __name__ == "__main__":
    sys.exit(read_main() if sys.argv[1] == "read" else ingest_main(*sys.argv[2:]))
