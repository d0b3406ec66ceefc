"""Read whole query results as columns, through Apache Arrow, in child processes.

The monitor reads every posting of the store at once. Python's ``sqlite3`` makes one Python
object per value (15 million for a million postings), which takes seconds; the ADBC SQLite
driver fills Arrow columns in C instead, several times faster. That driver links its own copy
of SQLite, and two copies of SQLite in one process break each other's POSIX locks on the same
file (https://www.sqlite.org/howtocorrupt.html §2.2.1), so it runs only here, in a child
process that opens the store read-only, like any other reader, and writes the columns to a
temporary Arrow IPC file that the parent maps into memory. Several queries run at once, in
threads of one child.

Run as ``python db/columnar.py read`` it is that child: a JSON request (path, and per query its
sql, parameters, numeric columns and output file) on standard input, an error message on standard error with exit
status 1. ``python db/columnar.py ingest`` is the child that ``db.frame_writer`` starts to store
the monitor's results the same way. Both import only the standard library, pyarrow and the driver (its
low-level API): neither pandas nor Python's ``sqlite3``, nor this package.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

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


def start_child(*args: str) -> subprocess.Popen:
    """``python db/columnar.py args`` — this very file, so parent and child are always the same
    code whatever else is installed — with a pipe to its standard input; ``finish_child`` it."""
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish_child(), after the child exits
    child = subprocess.Popen([sys.executable, str(Path(__file__)), *args], stdin=subprocess.PIPE, stderr=errors)
    child.errors = errors
    return child


def finish_child(child: subprocess.Popen) -> str | None:
    """Wait for the child; None when it succeeded, else the last line of its error output (the
    same answer when asked again)."""
    if child.errors.closed:
        return child.failure
    try:
        child.stdin.close()
    except BrokenPipeError:
        pass
    status = child.wait()
    child.errors.seek(0)
    message = child.errors.read().decode(errors="replace").strip()
    child.errors.close()
    child.failure = None if not status else message.splitlines()[-1] if message else f"exit status {status}"
    return child.failure


def start(path: str, queries: list[Query]) -> subprocess.Popen:
    """Start a child reading ``queries`` from the store at ``path``, each in a thread of its own
    (the driver lets go of Python's lock); ``collect`` their results."""
    outputs = []
    for _ in queries:
        handle, output = tempfile.mkstemp(prefix="jobmon-", suffix=".arrow")
        os.close(handle)
        outputs.append(output)
    child = start_child("read")
    child.outputs = outputs
    request = {"path": path, "queries": [{**query._asdict(), "output": output} for query, output in zip(queries, outputs)]}
    child.stdin.write(json.dumps(request).encode())
    child.stdin.close()
    return child


def collect(child: subprocess.Popen) -> list:
    """The child's results as Arrow tables, one per query; ``ReadFailed`` with its message if it
    failed."""
    import pyarrow as pa

    failure = finish_child(child)
    try:
        if failure:
            raise ReadFailed(failure)
        return [pa.ipc.open_file(pa.memory_map(output)).read_all() for output in child.outputs]  # columns stay in the files' pages
    finally:
        for output in child.outputs:
            os.unlink(output)  # gone once unmapped


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


def _connect(path: str, read_only: bool):
    """(database, connection) of the driver's low-level API: the DB-API layer would import
    pandas, half a second of every child's start."""
    import adbc_driver_manager
    import adbc_driver_sqlite

    database = adbc_driver_sqlite.connect(Path(path).absolute().as_uri() + ("?mode=ro" if read_only else ""))
    return database, adbc_driver_manager.AdbcConnection(database)


def _statement(connection, sql: str | None = None, params: list | None = None, **options):
    """A statement of ``sql`` with ``params`` bound (one value per ``?``, or one list of values
    per ``?`` to run it once per row)."""
    import adbc_driver_manager
    import pyarrow as pa

    statement = adbc_driver_manager.AdbcStatement(connection)
    if options:
        statement.set_options(**options)
    if sql is not None:
        statement.set_sql_query(sql)
    if params:
        columns = [pa.array(value if isinstance(value, list) else [value]) for value in params]
        statement.bind(pa.record_batch(columns, names=[str(n) for n in range(len(columns))]))
    return statement


def _execute(connection, sql: str | None = None, params: list | None = None, bind_stream=None, **options) -> int:
    """Run a statement that returns no rows (``bind_stream``: an Arrow table to insert) and close it."""
    statement = _statement(connection, sql, params, **options)
    try:
        if bind_stream is not None:
            statement.bind_stream(bind_stream)
        return statement.execute_update()
    finally:
        statement.close()


def read_main() -> int:
    """``python db/columnar.py read``: a JSON request on standard input, each result to its file."""
    request = json.load(sys.stdin)
    try:
        from concurrent.futures import ThreadPoolExecutor

        import pyarrow as pa

        def read(query: dict) -> None:
            database, connection = _connect(request["path"], read_only=True)
            statement = _statement(connection, query["sql"], query["params"],
                                   **{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
            try:
                stream, _ = statement.execute_query()
                table = _typed(pa.RecordBatchReader.from_stream(stream).read_all(), query["numeric"])
            finally:
                statement.close(), connection.close(), database.close()
            with pa.ipc.new_file(query["output"], table.schema) as output:
                output.write_table(table)

        with ThreadPoolExecutor(max_workers=len(request["queries"]) or 1) as threads:
            for done in [threads.submit(read, query) for query in request["queries"]]:
                done.result()
    except Exception as error:  # noqa: BLE001 - any failure goes to the parent, which reads another way
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def ingest_main(path: str, busy_timeout_ms: str) -> int:
    """``python db/columnar.py ingest PATH BUSY_TIMEOUT_MS``, the child of ``db.frame_writer``:
    pickled messages on standard input — (weeks, tables), then (table, Arrow file) parts, then
    None — delete the weeks from the tables and append each part, in one transaction committed
    at the None (an end of input before it rolls everything back)."""
    import pickle

    import adbc_driver_manager
    import pyarrow as pa

    stream = sys.stdin.buffer
    weeks, tables = pickle.load(stream)
    message = pickle.load(stream)  # the write lock is taken with the first part, not while the parent computes it
    database, connection = _connect(path, read_only=False)
    try:
        # As open_db: wait for another writer; in WAL mode, sync at checkpoints, not at every
        # commit. Copying the log back into the database file (a checkpoint: seconds for a year of
        # results) is left to the next connection that commits or closes, as SQLite does for any
        # writer, instead of holding up the monitor.
        for pragma in (f"PRAGMA busy_timeout = {int(busy_timeout_ms)}", "PRAGMA synchronous = NORMAL",
                       "PRAGMA wal_autocheckpoint = 0"):
            _execute(connection, pragma)
        connection.set_autocommit(False)  # one transaction from here to the commit
        for table in tables:
            _execute(connection, f"DELETE FROM {table} WHERE week = ?", [list(weeks)])
        while message is not None:  # EOFError when the parent stopped first: rolled back
            table, name = message
            with pa.memory_map(name) as part:
                _execute(connection, bind_stream=pa.ipc.open_file(part).read_all(),
                         **{adbc_driver_manager.INGEST_OPTION_TARGET_TABLE: table,
                            adbc_driver_manager.INGEST_OPTION_MODE: adbc_driver_manager.INGEST_OPTION_MODE_APPEND})
            Path(name).unlink()
            message = pickle.load(stream)
        connection.commit()
    finally:
        connection.close()
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(read_main() if sys.argv[1] == "read" else ingest_main(*sys.argv[2:]))
