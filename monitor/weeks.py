"""ISO weeks (Monday–Sunday, Asia/Shanghai), written ``2026-W47``."""
from __future__ import annotations

import re
from datetime import date, timedelta

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(week: str) -> tuple[date, date]:
    """'2026-W47' → (Monday, Sunday); ValueError that says the expected form otherwise."""
    match = WEEK.match(week or "")
    if not match:
        raise ValueError(f"week {week!r} is not an ISO week like 2026-W47")
    monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"
