"""Posting titles → occupations of the 2022 classification.

``clean_title`` strips what says nothing about the occupation (urgency and benefit words, pay
fragments, place names, bracketed asides) after folding width, script and case.
``match_title`` then tries, in order: the official name (``exact``), an alias equal to the
title or to one of its pieces or contained in it (``alias``), and rapidfuzz similarity
against every name and alias (``fuzzy``). Below ``FUZZY_CUTOFF`` the title is left unmatched
(``code`` None) for review.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from .gazetteer import place_names
from .taxonomy import LEVEL_NAMES, occupations
from .text import fold

MATCHER_VERSION = "titles-1"
FUZZY_CUTOFF = 72.0
MAX_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Match:
    code: str | None
    name: str | None
    level: str | None       # 细类 / 小类 / 中类 / 大类 of the matched code
    score: float            # 0–100
    method: str | None      # exact / alias / fuzzy; None when unmatched
    title_clean: str


def _data_lines(name: str) -> list[str]:
    text = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _compact(text: str) -> str:
    return text.replace(" ", "")


@cache
def _alias_index() -> tuple[dict[str, str], dict[str, str]]:
    """(official names → code, aliases → code), keys folded and without spaces.

    Shipped extras in ``title_aliases.csv`` override the taxonomy's own aliases.
    """
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for occ in occupations().values():
        names.setdefault(_compact(fold(occ.name)), occ.code)
    for occ in sorted(occupations().values(), key=lambda o: -o.level):
        for alias in occ.aliases:
            aliases.setdefault(_compact(fold(alias)), occ.code)
    for row in csv.DictReader(_data_lines("title_aliases.csv")):
        aliases[_compact(fold(row["alias"]))] = row["code"]
    for key, code in names.items():
        aliases.setdefault(key, code)
    return names, aliases


@cache
def _cleaning_patterns() -> tuple[re.Pattern, re.Pattern]:
    noise = sorted({fold(w) for w in _data_lines("title_noise.txt")}, key=len, reverse=True)
    words = sorted(set(noise) | place_names(), key=len, reverse=True)
    word_pattern = re.compile("|".join(re.escape(w) for w in words))
    return word_pattern, _PAY


_BRACKETED = re.compile(r"[(\[【〔〈《{][^)\]】〕〉》}]{0,40}[)\]】〕〉》}]")
_PAY = re.compile(
    r"(?:月入|月薪|年薪|底薪|综合薪资|薪资|工资)?\s*\d+(?:\.\d+)?\s*(?:[-~至到]\s*\d+(?:\.\d+)?\s*)?"
    r"(?:k|千|万|w|元|块)(?:\s*/\s*(?:月|天|日|时|小时|年))?(?:以上|起|\+)?"
    r"|\d+\s*薪|(?:月入|月薪|年薪)过?万"
)
# "+", "#" and "." stay inside words (c++, c#, node.js); left alone they are dropped below.
_SEPARATORS = re.compile(r"[\s·•|/\\_,、;:\-—~!?*&@$%^=<>\"'`。，；：！？]+")
_NO_WORD = re.compile(r"^[+#.\d]+$")  # lone punctuation or a bare number (what is left of pay)


def clean_title(title: str) -> str:
    """The title with noise removed, pieces separated by single spaces ('' when nothing is left)."""
    text = fold(title[:MAX_TITLE_CHARS])
    words, pay = _cleaning_patterns()
    text = _BRACKETED.sub(" ", text)
    text = pay.sub(" ", text)
    text = words.sub(" ", text)
    pieces = _SEPARATORS.split(text)
    return " ".join(p for p in pieces if p and not _NO_WORD.match(p))


def _contained_alias(compact: str, aliases: dict[str, str]) -> str | None:
    """The longest alias found inside the title (rightmost on ties: Chinese titles end in the
    head noun); ASCII aliases must stand on word boundaries and have ≥3 characters."""
    best: tuple[int, int, str] | None = None
    n = len(compact)
    for start in range(n):
        for end in range(n, start + 1, -1):
            piece = compact[start:end]
            if piece not in aliases:
                continue
            if piece.isascii() and (
                len(piece) < 3
                or (start > 0 and compact[start - 1].isascii() and compact[start - 1].isalnum())
                or (end < n and compact[end].isascii() and compact[end].isalnum())
            ):
                continue
            candidate = (end - start, end, piece)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
            break
    return best[2] if best else None


@lru_cache(maxsize=200_000)
def match_title(title: str) -> Match:
    """Match one posting title to the classification (see the module docstring)."""
    cleaned = clean_title(title) if isinstance(title, str) else ""
    if not cleaned:
        return Match(None, None, None, 0.0, None, cleaned)
    names, aliases = _alias_index()
    compact = _compact(cleaned)
    if compact in names:
        return _result(names[compact], 100.0, "exact", cleaned)
    if compact in aliases:
        return _result(aliases[compact], 100.0, "alias", cleaned)
    pieces = [p for p in cleaned.split(" ") if p in aliases]
    if pieces:
        piece = max(pieces, key=len)
        return _result(aliases[piece], 95.0, "alias", cleaned)
    contained = _contained_alias(compact, aliases)
    if contained:
        coverage = len(contained) / len(compact)
        return _result(aliases[contained], round(70 + 25 * coverage, 1), "alias", cleaned)
    keys = _fuzzy_keys()
    best = process.extractOne(compact, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if best:
        return _result(aliases[best[0]], round(best[1], 1), "fuzzy", cleaned)
    return Match(None, None, None, 0.0, None, cleaned)


@cache
def _fuzzy_keys() -> list[str]:
    return list(_alias_index()[1])


def _result(code: str, score: float, method: str, cleaned: str) -> Match:
    occ = occupations()[code]
    return Match(code, occ.name, LEVEL_NAMES[occ.level], score, method, cleaned)
