"""Bulk import of postings and job seekers from files: file rows → normalize → store.

Each row is mapped onto the standard columns (``STANDARD_COLUMNS``), turned into the raw record
a spider would have produced, and stored through the crawl pipeline's own ``store_row`` and
``upsert_records``, so an imported record is normalized exactly like a crawled one. Columns the
standard does not know are kept in ``extra_json``. Numeric pay columns without pay text
(``salary_min``, ``salary_max``, ``salary_months``) are written into ``salary_text`` in the form
``normalize.salary`` reads by its pay-column rule (small "monthly" bounds are daily or hourly
pay). Every import is a row of ``crawl_runs``
(spider ``import:<format>``); rows that cannot be used are rejects with the reason, the file
and the line, and the import goes on.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from db.store import now_iso
from db.writes import add_rejects, ensure_source, finish_crawl_run, start_crawl_run, upsert_records
from normalize.dates import SHANGHAI, parse_date
from normalize.salary import pay_columns_text

from .columns import ColumnMap, MappingError
from .files import TableFile
from .pipelines import ensure_taxonomy, store_row
from .secrets import mask_url

# standard column → the raw field the normalizer reads (None: handled here, not a raw field)
STANDARD_COLUMNS = {
    "postings": {
        "source": "source", "source_id": "source_id", "url": "url", "title": "title", "company": "company",
        "salary_text": "salary_text", "location_text": "location_text", "posted_at": "posted_text",
        "closed_at": None, "industry_text": "industry_text", "education_text": "education_text",
        "experience_text": "experience_text", "description": "description", "headcount": "headcount_text",
        "employment_type": "employment_type", "valid_through": "valid_through_text",
        "salary_min": None, "salary_max": None, "salary_months": None,
    },
    "seekers": {
        "source": "source", "source_id": "source_id", "url": "url", "desired_title": "desired_title",
        "location_text": "location_text", "expected_salary_text": "expected_salary_text",
        "active_from": "active_from_text", "active_to": "active_to_text",
        "education_text": "education_text", "experience_text": "experience_text",
    },
}
TITLE_COLUMN = {"postings": "title", "seekers": "desired_title"}
DATE_COLUMNS = {"postings": ("posted_at", "closed_at", "valid_through"), "seekers": ("active_from", "active_to")}
REJECT_KIND = {"postings": "posting", "seekers": "seeker"}
# numeric pay columns (no pay text): written into salary_text as normalize.salary reads them
PAY_COLUMNS = ("salary_min", "salary_max", "salary_months")
BATCH_SIZE = 1000
DATE_CACHE_SIZE = 100_000


@dataclass
class ImportResult:
    """What one import did; ``rejected`` counts rejects by reason."""
    run_id: int
    file: str
    format: str
    encoding: str | None
    rows: int = 0
    new: int = 0
    updated: int = 0
    repeated: int = 0                      # rows whose (source, source_id) came earlier in the file
    rejected: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def stats(self) -> dict:
        return {"file": self.file, "format": self.format, "encoding": self.encoding, "rows": self.rows,
                "repeated_in_file": self.repeated, "seconds": round(self.seconds, 3),
                "rows_per_second": round(self.rows_per_second, 1),
                **{f"jobmon/rejected/{r}": n for r, n in sorted(self.rejected.items())},
                **{f"jobmon/notes/{n}": c for n, c in sorted(self.notes.items())}}


Progress = Callable[[int, int], None]


class ImportRun:
    """The bookkeeping every import shares: its crawl run, its sources, its rejects."""

    def __init__(self, db, path: Path, table: TableFile, kind: str, default_source: str, spider: str):
        self.db, self.path, self.table, self.kind = db, path, table, kind
        self.spider = spider
        self.file = str(path.resolve())
        self.uri = path.resolve().as_uri()
        self.sources: set[str] = set()
        self.ensure_source(default_source)
        self.result = ImportResult(start_crawl_run(db, default_source, spider), self.file, table.format,
                                   table.encoding)
        self.rejects: list[dict] = []
        self.started = time.monotonic()

    def ensure_source(self, name: str) -> None:
        if name not in self.sources:
            ensure_source(self.db, name, self.kind, self.spider, self.uri)
            self.sources.add(name)

    def reject(self, reject_kind: str, source: str | None, line: int, reason: str, raw: dict,
               url: str | None = None) -> None:
        self.result.rejected[reason] += 1
        self.rejects.append({"crawl_run_id": self.result.run_id, "source": source, "kind": reject_kind,
                             "reason": reason, "url": mask_url(url), "raw": raw, "file": self.file, "line": line})

    def flush_rejects(self) -> None:
        if self.rejects:
            add_rejects(self.db, self.rejects)
            self.rejects = []

    def finish(self, status: str, reason: str) -> ImportResult:
        self.flush_rejects()
        result = self.result
        result.seconds = time.monotonic() - self.started
        counts = {"items": result.rows, "records_new": result.new, "records_updated": result.updated,
                  "rejected": sum(result.rejected.values()), "errors": int(status != "finished")}
        finish_crawl_run(self.db, result.run_id, status=status, finish_reason=reason, counts=counts,
                         stats=result.stats())
        return result


def run_import(work: Callable[[ImportRun], None], run: ImportRun) -> ImportResult:
    """Run an import's loop; a crash still closes its crawl run (as failed) before it propagates."""
    try:
        work(run)
    except BaseException as error:
        run.finish("failed", type(error).__name__)
        raise
    return run.finish("finished", "finished")


def text_value(value) -> str | None:
    """A file value as stripped text: numbers as written, nested JSON as JSON, '' → None."""
    if value.__class__ is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def row_hash(fields: dict) -> str:
    """A stable id for a row with neither source_id nor url: the same row gets the same id."""
    text = json.dumps({k: text_value(v) for k, v in sorted(fields.items())}, ensure_ascii=False)
    return "row-sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def import_records(db, kind: str, path, *, source: str | None = None, mapping: dict[str, str] | None = None,
                   fmt: str | None = None, encoding: str | None = None, sheet: str | None = None,
                   city: str | None = None, batch_size: int = BATCH_SIZE,
                   progress: Progress | None = None) -> ImportResult:
    """Import a file of postings or seekers (``kind``) into the store; see the module docstring.

    ``source`` names rows without a source column (default: the file's stem); ``mapping`` is
    ``{standard column: the file's header}`` (``"地区+地址"`` joins two headers' values); ``city`` is the city a bare district belongs to.
    Raises ``FileFormatError`` / ``MappingError`` before anything is written when the file as a
    whole cannot be used.
    """
    path = Path(path)
    with TableFile(path, fmt, encoding, sheet) as table:
        columns = ColumnMap(STANDARD_COLUMNS[kind], mapping or {}, table.headers)
        if table.headers is not None:
            _check_headers(kind, columns, table.headers)
        ensure_taxonomy(db)
        run = ImportRun(db, path, table, kind, source or path.stem, f"import:{table.format}")
        importer = _RecordImporter(run, kind, columns, source or path.stem, city, batch_size, progress)
        return run_import(importer.load, run)


def _check_headers(kind: str, columns: ColumnMap, headers: list[str]) -> None:
    missing = columns.missing_headers(headers)
    if missing:
        raise MappingError(f"--map names headers the file does not have: {missing}; its headers are: "
                           + ", ".join(headers))
    title = TITLE_COLUMN[kind]
    if not columns.has(headers, title):
        raise MappingError(f"no {title} column: name the header that holds it with --map {title}=<header>; "
                           "the file's headers are: " + ", ".join(headers))


class BatchImporter:
    """Reads an import's rows: each readable row goes to ``add`` (which fills ``batch``), written by
    ``flush`` every ``batch_size`` rows; an unreadable row is a reject of kind ``reject_kind``."""

    reject_kind: str
    run: ImportRun
    default_source: str
    batch: dict
    batch_size: int
    progress: Progress | None

    def load(self, run: ImportRun) -> None:
        table = run.table
        for row in table.rows():
            run.result.rows += 1
            if row.fields is None:
                run.reject(self.reject_kind, self.default_source, row.line, row.error, {"detail": row.detail})
            else:
                self.add(row.line, row.fields)
            if len(self.batch) >= self.batch_size or len(run.rejects) >= self.batch_size:
                self.flush()
                if self.progress:
                    self.progress(table.done, table.total)
        self.flush()
        if self.progress:
            self.progress(table.total, table.total)

    def add(self, line: int, fields: dict) -> None:
        raise NotImplementedError

    def write(self, db, rows: list[dict], seen_at: str) -> tuple[int, int]:
        """Store one batch; return (new, updated)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Write the batch (its sources registered first) and the rejects collected so far."""
        run = self.run
        if self.batch:
            rows = list(self.batch.values())
            for row in rows:
                run.ensure_source(row["source"])
            new, updated = self.write(run.db, rows, now_iso())
            run.result.new += new
            run.result.updated += updated
            self.batch = {}
        run.flush_rejects()


class _RecordImporter(BatchImporter):
    def __init__(self, run: ImportRun, kind: str, columns: ColumnMap, default_source: str, city: str | None,
                 batch_size: int, progress: Progress | None):
        self.run, self.kind, self.columns = run, kind, columns
        self.reject_kind = REJECT_KIND[kind]
        self.default_source, self.city = default_source, city
        self.batch_size, self.progress = batch_size, progress
        self.to_raw = STANDARD_COLUMNS[kind]
        self.fetched_at = datetime.now(SHANGHAI).replace(microsecond=0)
        self.fetched_text = self.fetched_at.isoformat()
        self.batch: dict[tuple[str, str], dict] = {}
        self.dates: dict[str, str | None] = {}

    def add(self, line: int, fields: dict) -> None:
        run, kind = self.run, self.kind
        standard, extra = self.columns.split(fields)
        values = {name: text_value(value) for name, value in standard.items()}
        source = values.get("source") or self.default_source
        values["source"] = source
        values["source_id"] = values.get("source_id") or values.get("url") or row_hash(fields)
        rejected = self._problem(values)
        if rejected:
            run.reject(REJECT_KIND[kind], source, line, rejected, {"fields": fields}, values.get("url"))
            return
        if kind == "postings" and any(name in values for name in PAY_COLUMNS):
            self._pay_columns(values, standard, extra)
        raw = {raw_name: values.get(name) for name, raw_name in self.to_raw.items() if raw_name}
        raw["fetched_at"] = self.fetched_text
        try:
            record = store_row(kind, raw, run.result.run_id, self.city)
        except Exception as error:  # a row normalize cannot handle must not end the import
            run.reject(REJECT_KIND[kind], source, line, "normalize_failed",
                       {"fields": fields, "error": repr(error)}, values.get("url"))
            return
        if kind == "postings":
            record["closed_at"] = self._date(values.get("closed_at"))
        record["extra_json"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
        for note in (record.get("normalize_notes") or "").split(","):
            if note:
                run.result.notes[note] += 1
        key = (source, record["source_id"])
        if key in self.batch:
            run.result.repeated += 1  # the later row wins, as a re-crawl would
        self.batch[key] = record

    def _pay_columns(self, values: dict, standard: dict, extra: dict) -> None:
        """Numeric pay columns become the salary text (``normalize.salary.pay_columns_text``) when
        the row has no salary_text; a value the text does not hold (the row has a salary_text, no
        bound is a number above 0, a bound is not a number) is kept as an extra column under its
        own header."""
        text = None if values.get("salary_text") else pay_columns_text(
            *(values.get(name) for name in PAY_COLUMNS))
        if text:
            values["salary_text"] = text
        for name in PAY_COLUMNS:
            if name in standard and not (text and f"{name}=" in text):
                extra[self.columns.mapping.get(name, name)] = standard[name]

    def _problem(self, values: dict) -> str | None:
        """The reject reason of a row, or None when it can be stored."""
        if not values.get(TITLE_COLUMN[self.kind]):
            return "no_title"
        for name in DATE_COLUMNS[self.kind]:
            if values.get(name) and self._date(values[name]) is None:
                return f"bad_date_{name}"
        return None

    def _date(self, text: str | None) -> str | None:
        if not text:
            return None
        if text not in self.dates:  # a file repeats few distinct dates many times
            if len(self.dates) >= DATE_CACHE_SIZE:
                self.dates.clear()
            parsed = parse_date(text, self.fetched_at)
            self.dates[text] = parsed.isoformat() if parsed else None
        return self.dates[text]

    def write(self, db, rows: list[dict], seen_at: str) -> tuple[int, int]:
        return upsert_records(db, self.kind, rows, seen_at)
