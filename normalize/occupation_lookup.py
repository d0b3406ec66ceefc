"""An occupation named the way official statistics name it → its 2022 classification entry.

Official tables give a code (``2-02-10-03``, or a coarser ``2-02-10`` / ``2-02``), an official
name at any level (``计算机软件工程技术人员``, ``专业技术人员``), or both (``2-02-10-03 计算机软件
工程技术人员``). Unlike ``match_title`` nothing is guessed: a name must be an official name or a
known alias exactly, else the answer is None and the caller rejects the row.
"""
from __future__ import annotations

import re
from functools import cache

from .taxonomy import Occupation, occupations
from .text import fold
from .titles import match_title

_CODE = re.compile(r"^\s*(\d)(?:-(\d{2}))?(?:-(\d{2}))?(?:-(\d{2}))?(?![\d-])\s*(.*)$")


def find_occupation(text: str | None) -> Occupation | None:
    """The occupation a code or an exact official name (or alias) denotes; None otherwise.

    A code wins over the name after it; a name shared by several levels is the finest one.
    """
    if not text or not text.strip():
        return None
    match = _CODE.match(text)
    if match:
        parts = [match.group(1)] + [match.group(i) or "00" for i in (2, 3, 4)]
        found = occupations().get("-".join(parts))
        if found is not None:
            return found
        if not match.group(5):
            return None
        text = match.group(5)
    key = _key(text)
    code = _names().get(key)
    if code is None:
        title = match_title(text)
        code = title.code if title.method in ("exact", "alias") and title.score == 100.0 else None
    return occupations()[code] if code else None


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


@cache
def _names() -> dict[str, str]:
    """Folded official names → code, the finest level winning when a name repeats."""
    index: dict[str, str] = {}
    for occupation in sorted(occupations().values(), key=lambda o: o.level):
        index[_key(occupation.name)] = occupation.code
    return index
