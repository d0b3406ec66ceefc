"""Posting titles → occupations by the labelled real titles they resemble (nearest neighbours).

``data/title_examples.csv`` holds real titles of the development half of the real postings with
the code a person gave them (``tools/build_title_examples.py``; labels may be coarse, with ``00``
segments, or ``NONE`` for a title that names no occupation). A title is compared, in the matcher's
cleaned form without spaces, with the cleaned examples by rapidfuzz's ``ratio``; the neighbours
within ``WINDOW`` points of the closest one (at most ``NEIGHBOURS``, none below ``CUTOFF``) vote,
each with weight ``score - CUTOFF + 1``. The answer is the deepest level at which one code holds
at least ``AGREE`` of the votes (a coarse label votes for its own levels only and counts as
undecided below them), so neighbours that disagree at 细类 give a 小类/中类/大类 code with ``00``
segments. When no neighbour is close enough, or the neighbours say ``NONE`` or agree on nothing,
the layer is silent (None).

``titles.match_title`` asks ``overrule`` after the rule matcher has answered: an exact name or
alias of the whole title stands, a close answer from examples (``NEAR``) beats an alias found
inside the title, and any answer from examples beats the rules, conventions and fuzzy matching
(method ``example`` in the Match); see docs/methodology.md for the measurement that chose this. Every function takes any string and never raises.
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from rapidfuzz import fuzz, process

from .taxonomy import LEVEL_NAMES, code_at_level, occupations

NONE = "NONE"
CUTOFF = 60.0      # neighbours below this similarity do not vote
WINDOW = 5.0       # … nor those this far behind the closest one
NEIGHBOURS = 10
AGREE = 0.7        # share of the votes one code needs at a level
NEAR = 80.0        # an answer this close overrules an alias found inside the title too
CONVENTION = 90.0  # … this close (near-identical), a convention of title_parse (a rule scoring 85): the domain decides


@dataclass(frozen=True, slots=True)
class Guess:
    code: str
    level: str          # 细类 / 小类 / 中类 / 大类
    score: float        # similarity of the closest voting example, 0–100
    confidence: float   # share of the weighted votes behind the code, 0–1
    neighbour: str      # the closest example's cleaned form
    voted: frozenset[str] = frozenset()  # every code a voting example gave


def _level_of(code: str) -> int:
    """The level a code states: 4 for a leaf, 3 for …-00, 2 for …-00-00, 1 for …-00-00-00."""
    parts = code.split("-")
    level = 4
    while level > 1 and parts[level - 1] == "00":
        level -= 1
    return level


class Examples:
    """Labelled titles, cleaned, with the neighbour vote over them."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        """``pairs``: (cleaned title without spaces, code or NONE); empty keys and codes outside the
        taxonomy are skipped."""
        taxonomy = occupations()
        by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, code in pairs:
            if key and (code == NONE or code in taxonomy):
                by_key[key][code] += 1
        self.keys = sorted(by_key)
        self.codes = [dict(by_key[key]) for key in self.keys]
        # Which examples hold each character, how often: the characters two strings share bound
        # their similarity, so only examples that share enough are compared (it keeps this fast).
        self.lengths = np.array([len(key) for key in self.keys], dtype=np.int32)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for at, key in enumerate(self.keys):
            for ch, times in Counter(key).items():
                ids, counts = postings.setdefault(ch, ([], []))
                ids.append(at)
                counts.append(times)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray] | np.ndarray] = {}
        for ch, (ids, counts) in postings.items():
            if len(ids) * 32 > len(self.keys):   # a common character: a dense column is faster
                column = np.zeros(len(self.keys), dtype=np.int32)
                column[ids] = counts
                self.postings[ch] = column
            else:
                self.postings[ch] = (np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int32))

    def __len__(self) -> int:
        return len(self.keys)

    def guess(self, compact: str) -> Guess | None:
        """The code the closest examples agree on for a cleaned title without spaces, or None."""
        if not compact or not self.keys:
            return None
        query = compact[:60]
        shared = np.zeros(len(self.keys), dtype=np.int32)
        for ch, times in Counter(query).items():
            posting = self.postings.get(ch)
            if isinstance(posting, np.ndarray):
                shared += np.minimum(posting, times) if times > 1 else np.minimum(posting, 1)
            elif posting is not None:
                shared[posting[0]] += np.minimum(posting[1], times)
        # ratio = 200 * common / (len a + len b), and the common subsequence ≤ the shared characters
        near = np.flatnonzero(shared * 200 >= CUTOFF * (self.lengths + len(query)))
        if not len(near):
            return None
        found = process.extract(query, [self.keys[at] for at in near], scorer=fuzz.ratio, processor=None,
                                limit=NEIGHBOURS, score_cutoff=CUTOFF)
        if not found:
            return None
        best = found[0][1]
        closest = self.keys[near[found[0][2]]]
        votes: list[tuple[str, float]] = []
        for _, score, at in found:
            if score < best - WINDOW:
                break
            for code, times in self.codes[near[at]].items():
                votes.append((code, (score - CUTOFF + 1.0) * times))
        total = sum(weight for _, weight in votes)
        for level in (4, 3, 2, 1):
            tally: dict[str, float] = defaultdict(float)
            for code, weight in votes:
                if code == NONE:
                    tally[NONE] += weight
                elif _level_of(code) >= level:
                    tally[code_at_level(code, level)] += weight
            if not tally:
                continue
            code, weight = max(tally.items(), key=lambda item: (item[1], item[0]))
            if weight >= AGREE * total:
                if code == NONE or code not in occupations():
                    return None
                return Guess(code, LEVEL_NAMES[level], round(best, 1), round(weight / total, 3), closest,
                             frozenset(c for c, _ in votes))
        return None


def example_rows(name: str = "title_examples.csv") -> list[dict]:
    """Rows (title, code) of the shipped examples file."""
    text = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _compact_clean(title: str) -> str:
    from .titles import clean_title  # titles asks this module: import on first use
    return clean_title(title).replace(" ", "")


def build(rows: Iterable[tuple[str, str]], clean: Callable[[str], str] | None = None) -> Examples:
    """Examples from (raw title, code) pairs, cleaned as the matcher cleans titles."""
    clean = clean or _compact_clean
    return Examples((clean(title), code.strip()) for title, code in rows)


@cache
def shipped() -> Examples:
    """The examples of ``data/title_examples.csv`` (built once)."""
    try:
        return build((row["title"], row["code"]) for row in example_rows())
    except (OSError, KeyError, ValueError):
        return Examples(())


_override: Examples | None = None


def set_examples(examples: Examples | None) -> None:
    """Use other examples than the shipped ones (None: the shipped ones again), e.g. one fold of
    a cross-validation. ``titles.match_title``'s cache must be emptied after."""
    global _override
    _override = examples
    _example.cache_clear()


def example(compact: str) -> Guess | None:
    """The examples' answer for a cleaned title without spaces (see the module docstring)."""
    return _example(compact) if isinstance(compact, str) else None


@lru_cache(maxsize=100_000)
def _example(compact: str) -> Guess | None:
    """Cached: many raw titles clean to the same form."""
    return (_override if _override is not None else shipped()).guess(compact)


def _under(code: str | None, coarse: str) -> bool:
    """Whether ``code`` lies under ``coarse`` (its ``00`` segments are wildcards)."""
    return code is not None and all(c == "00" or c == f for f, c in zip(code.split("-"), coarse.split("-")))


def overrule(method: str | None, score: float, compact: str, code: str | None = None) -> Guess | None:
    """The examples' answer when it should replace the rule matcher's (``method``, ``score``,
    ``code``) for a cleaned title without spaces, else None.

    Measured by 5-fold cross-validation over the labelled titles (``benchmarks/eval_titles.py
    --cross-validate``): an exact official name or alias of the whole title (score 97 and up)
    stands, and so does a rule answer that lies under the examples' (coarser) code or that one of
    the voting examples gave; an answer from examples at least ``NEAR`` similar beats the other
    names and aliases found in the title, but only one at least ``CONVENTION`` similar (near-identical)
    beats a convention of ``title_parse`` (the domain decides: "保险渠道销售" is no "渠道销售"), and any answer from examples beats the head-word rules and fuzzy similarity
    (and no answer), for titles of three characters or more.
    """
    if method in ("exact", "alias") and score >= 97.0:
        return None
    guess = example(compact)
    if guess is None or _under(code, guess.code) or code in guess.voted:
        return None
    if method == "rule" and score >= 85.0 and guess.score < CONVENTION:
        return None  # "保险渠道销售" is insurance sales by convention, whatever "渠道销售" was labelled
    if guess.score >= NEAR:
        return guess
    if len(compact) < 3:
        return None  # "专员", "司机": a bare word resembles too much (as in fuzzy matching)
    return guess if method in (None, "fuzzy", "rule") else None
