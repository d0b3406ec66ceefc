"""Print rows as a terminal table, CSV, JSON or Markdown, or write them to an Excel workbook.

Text from the web reaches these files (a crawled title such as ``=HYPERLINK(...)``): every CSV
and Excel file jobmon writes neutralises it. In CSV a text cell that starts with ``= + - @``, a
tab or a carriage return gets a leading ``'`` (``neutralise``), so that a spreadsheet shows it
instead of running it; numbers, and text that is a plain number such as ``-5``, stay as they are.
In a workbook every text cell is stored as text, never as a formula (``text_cells``).
"""
from __future__ import annotations

import csv
import json
import re
import sys

from tabulate import tabulate

FORMATS = ("table", "csv", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
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
            writer.writerows([{k: neutralise(_csv_value(v)) for k, v in row.items()} for row in rows])
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
    text_cells(page)
    page.freeze_panes = "A2"
    if rows:
        page.auto_filter.ref = page.dimensions
    if note:
        page.cell(row=page.max_row + 2, column=1, value=f"Note: {note}")
    book.save(path)


def neutralise(value):
    """A CSV cell a spreadsheet would run as a formula (text starting with ``= + - @``, a tab or a
    carriage return) with a leading ``'``; numbers, text that is a plain number, and all other
    values unchanged. A carriage return inside text becomes a line feed, which the csv module
    quotes (it does not quote a lone CR, which a spreadsheet reads as a row break, so that the
    rest of the cell would start a row of its own). Every CSV jobmon writes passes its cells
    through this."""
    if value.__class__ is not str:
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def neutralised_row(values) -> list:
    """``neutralise`` applied to each value of a CSV row."""
    return [neutralise(v) for v in values]


def text_cells(sheet) -> None:
    """Store every text cell of an openpyxl worksheet as text: openpyxl makes a formula of any text
    starting with ``=`` (a crawled title too). Call it after filling a sheet, before saving."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


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
