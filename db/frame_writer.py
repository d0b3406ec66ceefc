"""Replace whole weeks of the result tables with DataFrames, written by a child process.

A quarter of a million result rows of some forty columns take seconds to insert through
Python's ``sqlite3`` (each value a Python object, bound one by one, under Python's lock). Here
the parent writes each part as Arrow columns to a temporary file and sends its name, after the
week list, on the standard input of a child that inserts the columns with the ADBC SQLite driver
(values bound from them in C) on another core, while the parent computes the next part. The
child deletes the weeks and inserts every part in one transaction, committed only after the parent's end mark:
readers see the old weeks or the new ones, never a mix, and when either side fails nothing is
written. (The driver links its own copy of SQLite, which is why it only runs in a child: see
``db.columnar``.)

The child is ``python db/columnar.py ingest`` (``db.columnar.ingest_main``). For a store in
memory, or a connection with uncommitted writes (``reads.store_file`` is None), ``FrameWriter``
writes in this process with ``writes.replace_weeks`` instead.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Self

import pandas as pd
import sqlite_utils

from . import columnar
from .store import BUSY_TIMEOUT_MS
from .writes import RESULT_TABLES, replace_weeks


class WriteFailed(RuntimeError):
    """The weeks could not be stored; none of them was written."""


def frame_rows(frame: pd.DataFrame, constants: Sequence = (), chunk: int = 20_000) -> Iterator[tuple]:
    """The frame's rows as tuples of plain values followed by ``constants``, converted a chunk of
    rows at a time (a whole table of Python objects at once would take hundreds of MB)."""
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start:start + chunk]
        yield from zip(*(_plain(part[c]) for c in part.columns), *([value] * len(part) for value in constants))


def _plain(column: pd.Series) -> list:
    """Python values for sqlite3: numbers as int/float (NaN is stored as NULL), text with None."""
    if column.dtype.kind in "iub":
        return column.tolist()
    if column.dtype.kind == "f":
        return column.astype("float64").tolist()
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()


def _arrow(frame: pd.DataFrame, constants: dict):
    """The frame and its constant columns as an Arrow table (NaN and None become NULL)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name, value in constants.items():
        table = table.append_column(name, pa.array([value] * len(frame)))
    return table


class FrameWriter:
    """``write(table, frame, constants)`` each part of ``weeks`` as it is ready; used as a context
    manager, it stores them all when the block ends, or none of them when it raises."""

    def __init__(self, db: sqlite_utils.Database, path: str | None, weeks: Sequence[str]):
        self.db, self.weeks, self.pending, self.files = db, list(weeks), [], []
        self.child = None if path is None else columnar.start_child("ingest", path, str(BUSY_TIMEOUT_MS))
        if self.child:
            self._send((self.weeks, RESULT_TABLES))

    def _send(self, message) -> None:
        try:
            pickle.dump(message, self.child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.child.stdin.flush()
        except BrokenPipeError:  # the child stopped: say why
            raise WriteFailed(f"storing weeks failed: {columnar.finish_child(self.child)}") from None

    def write(self, table: str, frame: pd.DataFrame, constants: dict) -> None:
        if table not in RESULT_TABLES:
            raise ValueError(f"FrameWriter writes {RESULT_TABLES}, not {table!r}")
        if self.child is None:
            self.pending.append((table, [*frame.columns, *constants], frame_rows(frame, list(constants.values()))))
            return
        # the part goes through a file, the pipe carries its name: the parent never waits for the child
        import pyarrow as pa

        columns = _arrow(frame, constants)
        with tempfile.NamedTemporaryFile(prefix="jobmon-", suffix=".arrow", delete=False) as part, \
                pa.ipc.new_file(part, columns.schema) as output:
            output.write_table(columns)
        self.files.append(part.name)
        self._send((table, part.name))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self.child is None:
            if kind is None:
                replace_weeks(self.db, self.weeks, self.pending)
            self.pending = []
            return
        try:
            if kind is not None:  # the child never sees the end mark and rolls back
                self.child.kill()
                columnar.finish_child(self.child)
                return
            self._send(None)  # the end mark: commit
            failure = columnar.finish_child(self.child)
        finally:
            for name in self.files:  # the child removes each part it has read; the rest are removed here
                Path(name).unlink(missing_ok=True)
        if failure:
            raise WriteFailed(f"storing weeks {self.weeks[0]} … {self.weeks[-1]} failed: {failure}")
