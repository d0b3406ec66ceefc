"""Import official job-seeker counts (求职人数, e.g. a public employment service's quarterly
table) into ``supply_counts``, apart from the crawled seekers.

Each row: a period (``period_start`` and ``period_end``, or one ``period`` such as ``2024Q1``),
an occupation (code or exact official name, resolved against the 2022 classification), an area
(``北京市``, ``海淀区``), the number of seekers and optionally of openings, and the source
label the monitor shows beside every figure taken from it. Re-importing the same (source,
period, occupation, area) updates the row.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from db.writes import upsert_supply_counts
from normalize.dates import SHANGHAI, parse_date
from normalize.occupation_lookup import find_occupation
from normalize.periods import parse_period
from normalize.place import parse_place

from .columns import ColumnMap, MappingError
from .files import TableFile
from .imports import BATCH_SIZE, BatchImporter, ImportResult, ImportRun, Progress, run_import, text_value
from .pipelines import ensure_taxonomy

STANDARD_COLUMNS = ("source", "period_start", "period_end", "period", "occupation", "area", "seekers", "openings")
REJECT_KIND = "seeker"  # rejects.kind allows posting / seeker / page: these are supply rows
_COUNT = re.compile(r"^\d{1,18}$")
MAX_COUNT = 10 ** 9  # more job seekers than any country has: a typo or a hostile file, not a count


def parse_count(value) -> int | None:
    """'1,234' / '1234' / 1234.0 → 1234; negative, fractional, above ``MAX_COUNT`` or other text → None."""
    text = (text_value(value) or "").replace(",", "").replace("，", "").replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    count = int(text) if _COUNT.match(text) else None
    return count if count is not None and count <= MAX_COUNT else None


def import_supply_counts(db, path, *, source: str | None = None, mapping: dict[str, str] | None = None,
                         fmt: str | None = None, encoding: str | None = None, sheet: str | None = None,
                         city: str | None = None, batch_size: int = BATCH_SIZE,
                         progress: Progress | None = None) -> ImportResult:
    """Import a file of official supply counts; ``source`` labels rows without a source column
    (default: the file's stem); ``city`` is the city a bare district in ``area`` belongs to, and
    the city of an area the place parser cannot read (``全市``)."""
    path = Path(path)
    columns = ColumnMap(STANDARD_COLUMNS, mapping or {})
    with TableFile(path, fmt, encoding, sheet) as table:
        if table.headers is not None:
            _check_headers(columns, table.headers)
        ensure_taxonomy(db)
        run = ImportRun(db, path, table, "seekers", source or path.stem, "import:supply-counts")
        importer = _CountImporter(run, columns, source or path.stem, city, batch_size, progress)
        return run_import(importer.load, run)


def _check_headers(columns: ColumnMap, headers: list[str]) -> None:
    missing = columns.missing_headers(headers)
    if missing:
        raise MappingError(f"--map names headers the file does not have: {missing}; its headers are: "
                           + ", ".join(headers))
    needed = ["occupation", "area", "seekers"]
    if not columns.has(headers, "period"):
        needed += ["period_start", "period_end"]
    absent = [name for name in needed if not columns.has(headers, name)]
    if absent:
        raise MappingError(f"no {', '.join(absent)} column(s): name the headers with --map "
                           + ",".join(f"{a}=<header>" for a in absent) + "; the file's headers are: "
                           + ", ".join(headers))


class _CountImporter(BatchImporter):
    reject_kind = REJECT_KIND

    def __init__(self, run: ImportRun, columns: ColumnMap, default_source: str, city: str | None,
                 batch_size: int, progress: Progress | None):
        self.run, self.columns, self.default_source, self.city = run, columns, default_source, city
        self.batch_size, self.progress = batch_size, progress
        self.now = datetime.now(SHANGHAI)
        self.batch: dict[tuple, dict] = {}

    def add(self, line: int, fields: dict) -> None:
        standard, extra = self.columns.split(fields)
        values = {name: text_value(value) for name, value in standard.items()}
        source = values.get("source") or self.default_source
        row, reason = self._row(values)
        if reason:
            self.run.reject(REJECT_KIND, source, line, reason, {"fields": fields})
            return
        row.update(source=source, extra_json=json.dumps(extra, ensure_ascii=False, default=str) if extra else None,
                   crawl_run_id=self.run.result.run_id)
        key = (source, row["period_start"], row["period_end"], row["occupation_code"], row["area"])
        if key in self.batch:
            self.run.result.repeated += 1
        self.batch[key] = row

    def _row(self, values: dict) -> tuple[dict | None, str | None]:
        """The stored row, or the reject reason."""
        start_text, end_text = values.get("period_start"), values.get("period_end")
        if start_text or end_text:
            start, end = parse_date(start_text, self.now), parse_date(end_text, self.now)
        else:
            start, end = parse_period(values.get("period")) or (None, None)
        if start is None or end is None or end < start:
            return None, "bad_period"
        if not values.get("occupation"):
            return None, "no_occupation"
        occupation = find_occupation(values["occupation"])
        if occupation is None:
            return None, "occupation_unresolved"
        if not values.get("area"):
            return None, "no_area"
        seekers = parse_count(values.get("seekers"))
        if seekers is None:
            return None, "bad_seekers"
        openings = parse_count(values["openings"]) if values.get("openings") else None
        if values.get("openings") and openings is None:
            return None, "bad_openings"
        place = parse_place(values["area"], default_city=self.city)
        city = place.city if place and place.city else self.city  # 全市 / 合计 with --city 北京市
        return {
            "period_start": start.isoformat(), "period_end": end.isoformat(),
            "occupation_code": occupation.code, "occupation_name": occupation.name,
            "occupation_text": values["occupation"], "area": values["area"],
            "province": place.province if place and place.city else None, "city": city,
            "district": place.district if place else None, "seekers": seekers, "openings": openings,
        }, None

    def write(self, db, rows: list[dict], seen_at: str) -> tuple[int, int]:
        return upsert_supply_counts(db, rows, seen_at)
