"""Skills a posting asks for, read from its description and tags against a shipped dictionary.

``parse_skills("熟悉Java、Spring Boot，有K8s经验，持PMP证书优先")`` →
``('Java', 'Kubernetes', 'PMP', 'Spring Boot')``

The dictionary is ``data/skills.csv``: ``name,category,variants`` with the variants written in
lower case and separated by ``|`` (``Node.js,framework,node.js|nodejs|node``); the name itself
is only matched when it is listed among the variants ("C" and "R" are not). Categories:
language, framework, tool, database, cloud, data_ai, design, office, certificate, domain,
foreign_language, soft.

How text is read: folded (full-width → half-width, traditional → simplified, lower case), then
every variant is found in one pass with ``terms.TermMatcher``: a Latin variant only as a whole
token (so "go" is not found in "google" nor "java" in "javascript"), and a match inside a longer
match dropped ("react" inside "react native"). Ambiguous bare words (C, R, AI, PR, ES) are not
variants at all; only safe forms are ("c语言", "c/c++", "r语言").
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .terms import TermMatcher
from .text import fold

SKILLS_VERSION = "skills-1"
MAX_CHARS = 20_000  # a description longer than this is cut: the skills are named early


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    category: str
    variants: tuple[str, ...]


@cache
def skills() -> dict[str, Skill]:
    """The shipped dictionary, by canonical name."""
    text = resources.files("normalize").joinpath("data/skills.csv").read_text(encoding="utf-8")
    result = {}
    for row in csv.DictReader(text.splitlines()):
        variants = {fold(v) for v in row["variants"].split("|") if v.strip()}
        result[row["name"]] = Skill(row["name"], row["category"], tuple(sorted(variants)))
    return result


@cache
def _matcher() -> TermMatcher:
    names_of: dict[str, set[str]] = {}
    for skill in skills().values():
        for variant in skill.variants:
            names_of.setdefault(variant, set()).add(skill.name)
    return TermMatcher(names_of)


@lru_cache(maxsize=65_536)
def _skills_in(text: str) -> tuple[str, ...]:
    return tuple(sorted(_matcher().labels(fold(text[:MAX_CHARS]))))


def parse_skills(text: str | None, tags=None) -> tuple[str, ...]:
    """Canonical names of the skills named in ``text`` (a description) and ``tags`` (a string
    or a list of tag strings), sorted and without repeats; ``()`` when none."""
    parts = []
    for part in (text, *(tags if isinstance(tags, (list, tuple, set, frozenset)) else (tags,))):
        if part is None:
            continue
        if isinstance(part, bytes):
            part = part.decode("utf-8", "replace")
        parts.append(str(part))
    joined = "\n".join(p for p in parts if p)
    return _skills_in(joined) if joined else ()


def skill_category(name: str) -> str | None:
    """The category of a canonical skill name (``'language'``, ``'certificate'``, ...)."""
    skill = skills().get(name)
    return skill.category if skill else None
