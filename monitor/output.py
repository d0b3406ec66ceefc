"""Print rows as a terminal table, CSV, JSON or Markdown, or write them to an Excel workbook."""
from __future__ import annotations

import csv
import json
import sys

from tabulate import tabulate

FORMATS = ("table", "csv", "json")
TABLE_FORMATS = ("table", "csv", "json", "md", "xlsx")


def write_rows(rows: list[dict], fmt: str, table_columns: dict[str, str] | None = None, out=None) -> None:
    """``table`` and ``md`` show ``table_columns`` (column → header) for people; csv and json
    carry every column for machines. xlsx goes through ``write_xlsx``."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows([{k: _csv_value(v) for k, v in row.items()} for row in rows])
    else:
        columns = table_columns or {c: c for c in (rows[0] if rows else {})}
        body = [[_cell(row.get(c)) for c in columns] for row in rows]
        style = "pipe" if fmt == "md" else "simple"
        out.write(tabulate(body, headers=list(columns.values()), tablefmt=style, disable_numparse=True) + "\n")


def write_xlsx(rows: list[dict], path, sheet: str, headers: dict[str, str] | None = None,
               note: str | None = None) -> None:
    """One sheet with every column of ``rows`` (``headers`` renames some), a frozen header row
    and an autofilter, as analysts expect when they open it in Excel; ``note`` below the rows."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    page.title = sheet[:31]
    columns = list(rows[0]) if rows else list(headers or {})
    page.append([(headers or {}).get(c, c) for c in columns])
    for row in rows:
        page.append([_csv_value(row.get(c)) for c in columns])
    page.freeze_panes = "A2"
    if rows:
        page.auto_filter.ref = page.dimensions
    if note:
        page.cell(row=page.max_row + 2, column=1, value=f"Note: {note}")
    book.save(path)


def _csv_value(value):
    return ",".join(value) if isinstance(value, list) else value


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ",".join(value) or "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)
