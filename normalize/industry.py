"""Beijing's key industries a posting belongs to (multi-label), from its occupation, the
employer's industry text and keywords in its title and description.

``classify_industries("2-02-38-01", "互联网/IT服务", "大模型算法工程师", "负责LLM预训练")`` →
``('新一代信息技术', '人工智能')``

The mapping ships as ``data/industries.csv``, one row per industry (in the order results are
returned): ``occupation_prefixes`` (2022 occupation codes or their prefixes, ``2-02-10`` or
``5-``; the longest prefix that matches decides), ``industry_keywords`` (read in the employer's industry text: "互联网", "半导体") and
``text_keywords`` (read in the title and the description: "大模型", "光伏"). All lists are
``|``-separated and lower case. A posting gets every industry any of the three names; none
when nothing does (the key industries do not cover the whole economy). It is a mapping, not
one truth: official statistics (GB/T 4754) and job boards draw the lines differently.
"""
from __future__ import annotations

import csv
from functools import cache, lru_cache
from importlib import resources

from .terms import TermMatcher
from .text import fold

INDUSTRIES_VERSION = "industries-1"
MAX_CHARS = 20_000


@cache
def _table() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], TermMatcher, TermMatcher]:
    text = resources.files("normalize").joinpath("data/industries.csv").read_text(encoding="utf-8")
    names, prefixes = [], []
    industry_terms: dict[str, set[str]] = {}
    text_terms: dict[str, set[str]] = {}
    for row in csv.DictReader(text.splitlines()):
        name = row["industry"]
        names.append(name)
        prefixes.extend((p.strip(), name) for p in row["occupation_prefixes"].split("|") if p.strip())
        for column, terms in (("industry_keywords", industry_terms), ("text_keywords", text_terms)):
            for keyword in row[column].split("|"):
                if keyword.strip():
                    terms.setdefault(fold(keyword), set()).add(name)
    return tuple(names), tuple(prefixes), TermMatcher(industry_terms), TermMatcher(text_terms)


def key_industries() -> tuple[str, ...]:
    """Every industry the mapping knows, in its order."""
    return _table()[0]


@lru_cache(maxsize=65_536)
def _from_occupation(code: str) -> frozenset[str]:
    matches = [(len(prefix), name) for prefix, name in _table()[1] if code.startswith(prefix)]
    longest = max((length for length, _ in matches), default=0)
    # the most specific prefix decides: 2-02-07-11 汽车工程 is vehicles, not all of 2-02-07 machinery
    return frozenset(name for length, name in matches if length == longest)


@lru_cache(maxsize=65_536)
def _from_industry_text(text: str) -> frozenset[str]:
    return frozenset(_table()[2].labels(fold(text[:MAX_CHARS])))


@lru_cache(maxsize=65_536)
def _from_text(text: str) -> frozenset[str]:
    return frozenset(_table()[3].labels(fold(text[:MAX_CHARS])))


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def classify_industries(occupation_code: str | None, industry_text: str | None = None,
                        title: str | None = None, description: str | None = None) -> tuple[str, ...]:
    """The key industries named by any of the inputs, in the mapping's order; ``()`` for none."""
    found: set[str] = set()
    code, industry, title, description = (_as_text(v) for v in (occupation_code, industry_text, title, description))
    if code:
        found |= _from_occupation(code)
    if industry:
        found |= _from_industry_text(industry)
    if title:
        found |= _from_text(title)
    if description:
        found |= _from_text(description)
    return tuple(name for name in key_industries() if name in found) if found else ()
