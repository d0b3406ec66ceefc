"""Tabular files as streams of raw rows: CSV / TSV, JSON Lines and Excel (.xlsx).

The importers' counterpart of a spider: it reads, it does not interpret. Each row comes out as
a ``FileRow`` with its line number (the sheet row for Excel) and its fields keyed by the file's
own headers, or with the reason it could not be read (``csv_field_count``, ``invalid_json``,
``encoding_error``, ...), so that the caller records a reject and goes on. Files are read one
row at a time: a 1 GB CSV never sits in memory.

CSV encodings are detected from the first megabyte: a UTF-8 byte-order mark → ``utf-8-sig``;
bytes that decode as UTF-8 (or lines that mostly do: a few bad lines are rejected one by one)
→ ``utf-8``; anything else → ``gb18030`` (a superset of GBK and GB2312, which Chinese
spreadsheets export).
"""
from __future__ import annotations

import codecs
import csv
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from . import bounded_json

FORMATS = ("csv", "tsv", "jsonl", "xlsx")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".json": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx"}
SNIFF_BYTES = 1 << 20
UTF8_SHARE = 0.6  # of non-ASCII lines in the sample that must be UTF-8 for a file to be UTF-8
CSV_FIELD_LIMIT = 16 << 20  # descriptions can be long; csv's default cap is 128 KiB
# A quoted field may hold line breaks (a description), but a record this many lines long is an
# unclosed quote swallowing the rows after it: its first line is rejected and the rest read again.
CSV_RECORD_LINES = 1000


class FileFormatError(Exception):
    """The file as a whole cannot be read (unknown format, no header row, UTF-16, ...)."""


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, per row
class FileRow:
    line: int                      # 1-based line (CSV, JSONL: where the record starts) or sheet row
    fields: dict | None            # header → value; None when the row could not be read
    error: str | None = None       # reason when fields is None, e.g. 'invalid_json'
    detail: str | None = None      # what exactly was wrong, for the reject's raw_json


def detect_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    """``fmt`` when given, else the format the file's extension names."""
    if fmt:
        if fmt not in FORMATS:
            raise FileFormatError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileFormatError(f"cannot tell the format of {Path(path).name!r} from its extension: "
                              f"pass --format ({', '.join(FORMATS)})")
    return EXTENSIONS[suffix]


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig, utf-8 or gb18030 for the first bytes of a text file (see the module docstring)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileFormatError("the file is UTF-16: save it as UTF-8 (or GBK) and import it again")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # A few bad lines in a UTF-8 file must not turn every good line into GB18030 mojibake:
    # GBK text with Chinese in it is almost never valid UTF-8, line after line.
    lines = [line for line in sample.split(b"\n")[:-1] if not line.isascii()]
    valid = sum(1 for line in lines if _is_utf8(line))
    return "utf-8" if lines and valid >= UTF8_SHARE * len(lines) else "gb18030"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class TableFile:
    """An open tabular file: ``headers`` (None for JSON Lines, whose keys vary), ``rows()``,
    and ``done``/``total`` progress units (bytes, or sheet rows for Excel)."""

    def __init__(self, path: str | os.PathLike, fmt: str | None = None, encoding: str | None = None,
                 sheet: str | None = None):
        self.path = Path(path)
        self.format = detect_format(path, fmt)
        self.encoding: str | None = None
        self.headers: list[str] | None = None
        self.done = 0
        self.total = 0
        self._handle = None
        self._workbook = None
        try:
            if self.format == "xlsx":
                self._open_sheet(sheet)
            else:
                self._open_text(encoding)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> TableFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._workbook is not None:
            self._workbook.close()

    def rows(self) -> Iterator[FileRow]:
        """Every data row, in file order."""
        if self.format == "xlsx":
            return self._sheet_rows()
        if self.format == "jsonl":
            return self._json_rows()
        return self._csv_rows()

    # --- text formats -------------------------------------------------------------------------

    def _open_text(self, encoding: str | None) -> None:
        self.total = self.path.stat().st_size
        self._handle = open(self.path, "rb")
        sample = self._handle.read(SNIFF_BYTES)
        self._handle.seek(0)
        self.encoding = encoding or detect_encoding(sample)
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise FileFormatError(f"unknown encoding {self.encoding!r}: try utf-8 or gb18030") from None
        if self.format == "jsonl" and sample.lstrip().startswith(b"["):
            raise FileFormatError(f"{self.path.name} holds one JSON array, not JSON Lines (one object a line): "
                                  "convert it, e.g. jq -c '.[]' FILE > FILE.jsonl")
        self._bad_lines: set[int] = set()
        self._lines = self._decoded_lines()
        if self.format in ("csv", "tsv"):
            csv.field_size_limit(CSV_FIELD_LIMIT)
            self._feed = _LineFeed(self._lines, CSV_RECORD_LINES)
            self._reader = csv.reader(self._feed, delimiter="\t" if self.format == "tsv" else ",")
            header = next(self._reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(self._reader, None)  # blank lines before the header
            if header is None:
                raise FileFormatError(f"{self.path.name} has no header row")
            self.headers = [h.strip() for h in header]
            if len(set(self.headers)) != len(self.headers):
                duplicated = sorted({h for h in self.headers if self.headers.count(h) > 1})
                raise FileFormatError(f"{self.path.name}: duplicated column names {duplicated}")

    def _decoded_lines(self) -> Iterator[str]:
        """Lines decoded one by one (neither GBK nor UTF-8 uses byte 0x0A inside a character),
        so that one badly encoded line costs one row, not the file."""
        decode = codecs.lookup(self.encoding).decode
        first = True
        for number, raw in enumerate(self._handle, start=1):
            self.done += len(raw)
            if first and self.encoding == "utf-8-sig":
                raw = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
            first = False
            try:
                text = decode(raw)[0]
            except UnicodeDecodeError:
                self._bad_lines.add(number)
                text = decode(raw, "replace")[0]
            yield text

    def _csv_rows(self) -> Iterator[FileRow]:
        """Records in file order. A record that is broken and spans several lines (a quote never
        closed, or closed rows later: the wrong number of fields; longer than ``CSV_RECORD_LINES``
        lines; more than ``CSV_FIELD_LIMIT`` characters in a field) and swallowed lines that are
        rows themselves is an unclosed quote: its first line is one reject and the lines after it
        are read again as records of their own. (A broken record whose other lines are not rows
        — a description over several lines — stays one reject.)"""
        reader, feed, width, bad_lines = self._reader, self._feed, len(self.headers), self._bad_lines
        while True:
            feed.start_record()
            problem = None
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, _RecordTooLong) as error:
                values, problem = None, str(error)
            lines = feed.record
            if not lines:
                continue
            start, end = lines[0][0], lines[-1][0]
            fits = problem is None and (len(values) == width or _fits(values, width))
            if end > start and (not fits or feed.ended_inside) and self._holds_rows(lines[1:], width):
                feed.give_back(lines[1:])
                yield FileRow(start, None, "csv_unclosed_quote",
                              f"a quoted field runs over {len(lines)} lines"
                              f"{' to the end of the file' if feed.ended_inside else ''}"
                              f"{': ' + problem if problem else ''}; this line alone: " + lines[0][1][:2000])
                continue
            if problem:
                yield FileRow(start, None, "csv_unreadable", problem)
                continue
            if not values or not any(v.strip() for v in values):
                continue  # a blank line is not a record
            if bad_lines and bad_lines.intersection(range(start, end + 1)):
                yield FileRow(start, None, "encoding_error", f"not valid {self.encoding}: " + ",".join(values))
            elif not fits:
                yield FileRow(start, None, "csv_field_count",
                              f"expected {width} fields, found {len(values)}: " + ",".join(values)[:2000])
            else:
                yield FileRow(start, dict(zip(self.headers, values)))

    def _holds_rows(self, lines: list[tuple[int, str]], width: int) -> bool:
        """Whether any of ``lines``, read alone, is a record of the file's width."""
        delimiter = "\t" if self.format == "tsv" else ","
        for _, text in lines:
            try:
                values = next(csv.reader([text], delimiter=delimiter), [])
            except csv.Error:
                continue
            if _fits(values, width) and any(v.strip() for v in values):
                return True
        return False

    def _json_rows(self) -> Iterator[FileRow]:
        for number, text in enumerate(self._lines, start=1):
            if not text.strip():
                continue
            if number in self._bad_lines:
                yield FileRow(number, None, "encoding_error", text[:2000])
                continue
            try:
                value = bounded_json.loads(text)
            except ValueError as error:  # bounded_json.TooDeep too: a hostile row is one reject
                yield FileRow(number, None, "invalid_json", f"{error}: {text[:2000]}")
                continue
            if not isinstance(value, dict):
                yield FileRow(number, None, "invalid_json", f"a line must hold one JSON object: {text[:2000]}")
                continue
            yield FileRow(number, {str(k).strip(): v for k, v in value.items()})

    # --- Excel --------------------------------------------------------------------------------

    def _open_sheet(self, sheet: str | None) -> None:
        from openpyxl import load_workbook

        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a file that is not a workbook
            raise FileFormatError(f"{self.path.name} is not a readable .xlsx workbook: {error}") from None
        if sheet is not None and sheet not in self._workbook.sheetnames:
            raise FileFormatError(f"no sheet {sheet!r} in {self.path.name}: it has {self._workbook.sheetnames}")
        self._sheet = self._workbook[sheet] if sheet else self._workbook.worksheets[0]
        self.total = self._sheet.max_row or 0
        self._sheet_iter = self._sheet.iter_rows(values_only=True)
        for number, values in enumerate(self._sheet_iter, start=1):
            self.done = number
            if any(_cell(v) for v in values):
                self.headers = [_cell(v) or f"column_{i + 1}" for i, v in enumerate(values)]
                self._header_row = number
                break
        else:
            raise FileFormatError(f"sheet {self._sheet.title!r} of {self.path.name} has no header row")
        while self.headers and self.headers[-1].startswith("column_"):
            self.headers.pop()  # empty trailing header cells

    def _sheet_rows(self) -> Iterator[FileRow]:
        width = len(self.headers)
        for number, values in enumerate(self._sheet_iter, start=self._header_row + 1):
            self.done = number
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            if any(cells[width:]):
                yield FileRow(number, None, "xlsx_field_count",
                              f"values beyond the {width} headed columns: " + ",".join(c for c in cells if c))
                continue
            cells += [""] * (width - len(cells))
            yield FileRow(number, dict(zip(self.headers, cells[:width])))


def _fits(values: list[str], width: int) -> bool:
    """A record of ``width`` fields, or more whose extra cells are empty (as spreadsheets export)."""
    return len(values) == width or (len(values) > width and not any(v.strip() for v in values[width:]))


class _RecordTooLong(Exception):
    """A CSV record longer than the line limit: an unclosed quote, not a field."""


class _LineFeed:
    """The lines a ``csv.reader`` reads, numbered: ``record`` holds (number, text) of the lines of
    the record being read, ``ended_inside`` tells that the file ended inside it (a quote never
    closed), and lines given back are read again before the file goes on."""

    def __init__(self, lines: Iterator[str], max_lines: int):
        self._lines = lines
        self._back: deque[tuple[int, str]] = deque()
        self._number = 0
        self.max_lines = max_lines
        self.record: list[tuple[int, str]] = []
        self.ended_inside = False

    def start_record(self) -> None:
        self.record = []
        self.ended_inside = False

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        self._back.extendleft(reversed(lines))

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        record = self.record
        if len(record) >= self.max_lines:
            raise _RecordTooLong(f"a record of more than {self.max_lines} lines")
        if self._back:
            line = self._back.popleft()
        else:
            try:
                text = next(self._lines)
            except StopIteration:
                self.ended_inside = bool(record)
                raise
            self._number += 1
            line = (self._number, text)
        record.append(line)
        return line[1]


def _cell(value) -> str:
    """An Excel cell as text: dates as ISO dates (times only when set), 12345.0 as '12345'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
