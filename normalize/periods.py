"""Reporting periods as official statistics write them → (first day, last day).

``2024`` / ``2024年``, ``2024-03`` / ``2024年3月``, ``2024Q1`` / ``2024-Q1`` / ``2024年一季度`` /
``2024年第1季度``, ``2024H1`` / ``2024年上半年``. Anything else → None.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from .text import fold

_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_YEAR = re.compile(r"^(\d{4})年?(?:度)?$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})月?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:[-/ ]?q([1-4])|年?第?([1-4一二三四])季度?)$")
_HALF = re.compile(r"^(\d{4})\s*(?:[-/ ]?h([12])|年?([上下])半年)$")


def parse_period(text: str | None) -> tuple[date, date] | None:
    """The first and last day of the period ``text`` names (see the module docstring)."""
    if not text:
        return None
    raw = fold(str(text)).replace(" ", "")
    match = _YEAR.match(raw)
    if match:
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    match = _MONTH.match(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        return (_months(year, month, month)) if 1 <= month <= 12 else None
    match = _QUARTER.match(raw)
    if match:
        quarter = _QUARTERS[match.group(2) or match.group(3)]
        return _months(int(match.group(1)), 3 * quarter - 2, 3 * quarter)
    match = _HALF.match(raw)
    if match:
        first = match.group(2) == "1" or match.group(3) == "上"
        return _months(int(match.group(1)), 1 if first else 7, 6 if first else 12)
    return None


def _months(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
