"""Print rows as a terminal table, CSV or JSON."""
from __future__ import annotations

import csv
import json
import sys

from tabulate import tabulate

FORMATS = ("table", "csv", "json")


def write_rows(rows: list[dict], fmt: str, table_columns: dict[str, str] | None = None, out=None) -> None:
    """``table`` shows ``table_columns`` (column → header) for people; csv and json carry every
    column for machines."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    else:
        columns = table_columns or {c: c for c in (rows[0] if rows else {})}
        body = [[_cell(row.get(c)) for c in columns] for row in rows]
        out.write(tabulate(body, headers=list(columns.values()), disable_numparse=True) + "\n")


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)
