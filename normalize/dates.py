"""Dates as boards write them → calendar dates in Asia/Shanghai.

ISO dates and datetimes (an offset is converted to Shanghai time), ``2023/12/12``,
``2023年12月12日``, ``12月12日`` and ``12-12`` (the year of the fetch, or the one before when
that would lie in the future), RFC 822 feed dates (``Fri, 20 Nov 2026 01:00:00 GMT``), Unix
seconds or milliseconds (as a number or digits), and relative forms resolved against the fetch
time: ``刚刚``, ``今天``, ``08:00发布`` (today, or yesterday when that time has not come yet),
``昨天``, ``前天``, ``3天前发布``, ``5小时前``, ``2周前``, ``1个月前``.

A date before ``EARLIEST`` (2000-01-01) or more than a year after the fetch is no date of a job
posting: a hostile page or a broken file row ("0001-01-01", "9999-12-31"). It is read as None,
as an unreadable text is, so that it is stored as null with the record's ``*_unparsed`` note and
never stretches the weeks the monitor computes.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from .text import fold

SHANGHAI = ZoneInfo("Asia/Shanghai")
EARLIEST = date(2000, 1, 1)
LATEST_AHEAD = timedelta(days=366)  # a valid-through date may lie up to a year after the fetch

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MD = re.compile(r"(?<!\d)(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_AGO = re.compile(r"(\d+|[一二两三四五六七八九十半])\s*(个)?\s*(分钟|小时|天|日|周|星期|个月|月|年)前")
_CLOCK = re.compile(r"^(?:今天)?\s*(\d{1,2}):(\d{2})")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_RFC822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "个月": 30, "月": 30, "年": 365}


def parse_date(text: str | int | None, fetched_at: datetime) -> date | None:
    """The Shanghai calendar date ``text`` names, or None when it names none.

    ``fetched_at`` must be timezone-aware; relative forms count back from it. A whole number
    (or a text of 10 or 13 digits) is Unix seconds or milliseconds.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not text or not isinstance(text, str):
        return None
    found = _absolute(text)
    if found is _RELATIVE:
        try:
            found = _relative(fold(text)[:64], fetched_at.astimezone(SHANGHAI))
        except (ValueError, OverflowError):
            return None
    return found if found is None or plausible(found, fetched_at) else None


def plausible(day: date, fetched_at: datetime) -> bool:
    """Whether ``day`` can be a posting's date: from ``EARLIEST`` to a year after the fetch."""
    return EARLIEST <= day <= fetched_at.astimezone(SHANGHAI).date() + LATEST_AHEAD


_RELATIVE = object()  # the text names no date by itself: it counts from the fetch time


@lru_cache(maxsize=65_536)
def _absolute(text: str) -> date | None | object:
    """The date a text names whatever the fetch time (cached: boards repeat their dates), None
    when it names an impossible one, or _RELATIVE."""
    raw = fold(text)[:64]
    try:
        return _parse_absolute(raw)
    except (ValueError, OverflowError):
        return None


def _parse_absolute(raw: str) -> date | None | object:
    if _EPOCH.match(raw):
        seconds = int(raw) / (1000 if len(raw) == 13 else 1)
        return datetime.fromtimestamp(seconds, SHANGHAI).date()
    if _ISO_TIME.match(raw):
        iso = raw.upper().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            moment = None
        if moment is not None:
            return (moment.astimezone(SHANGHAI) if moment.tzinfo else moment).date()
    if _RFC822.match(raw):
        moment = parsedate_to_datetime(raw)
        return (moment.astimezone(SHANGHAI) if moment.tzinfo else moment).date()
    match = _YMD.search(raw)
    if match:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return _RELATIVE


def _relative(raw: str, now: datetime) -> date | None:
    match = _CLOCK.match(raw)
    if match:
        # "08:00发布" is today's unless 08:00 has not come yet at the fetch (then it was yesterday).
        clock = now.replace(hour=int(match.group(1)), minute=int(match.group(2)), second=0, microsecond=0)
        return now.date() - timedelta(days=1) if clock > now + timedelta(minutes=5) else now.date()
    if raw.startswith(("刚刚", "今天", "今日")) or "分钟前" in raw or "小时前" in raw:
        return now.date()
    if raw.startswith(("昨天", "昨日")):
        return now.date() - timedelta(days=1)
    if raw.startswith("前天"):
        return now.date() - timedelta(days=2)
    match = _AGO.search(raw)
    if match:
        amount = match.group(1)
        count = 0.5 if amount == "半" else _NUMERALS.get(amount) or int(amount)
        return now.date() - timedelta(days=round(count * _UNIT_DAYS[match.group(3)]))
    match = _MD.search(raw)
    if match:
        candidate = date(now.year, int(match.group(1)), int(match.group(2)))
        return candidate if candidate <= now.date() else candidate.replace(year=now.year - 1)
    return None
