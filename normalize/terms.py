"""Find many dictionary terms in a text in one pass (Aho–Corasick), with word boundaries for
Latin terms: the matcher behind skills and industry keywords.

A term that begins or ends with a Latin letter or digit only counts as a whole token: "go" is
not found in "google", "java" not in "javascript", "js" not in "node.js" ('.' continues a word
on the left), "c" never at the start of "c++" ('+' and '#' continue a word on the right).
Chinese terms match anywhere. A match lying inside a longer match is dropped ("react" inside
"react native", "新能源" inside "新能源汽车"), so the longer, more specific term decides.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import ahocorasick

from .text import is_word_char

_WORD_LEFT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.")
_WORD_RIGHT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_+#")


class TermMatcher:
    """Terms (already folded: lower case, half-width) → the labels each one stands for."""

    def __init__(self, terms: Mapping[str, Iterable[str]]):
        self._automaton = ahocorasick.Automaton()
        for term, labels in terms.items():
            if term:
                self._automaton.add_word(term, (len(term), tuple(sorted(set(labels))),
                                                is_word_char(term[0]), is_word_char(term[-1])))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def labels(self, folded: str) -> set[str]:
        """Labels of every term found in ``folded`` (a text passed through ``text.fold``)."""
        if self._empty or not folded:
            return set()
        spans = []
        for end, (length, labels, check_left, check_right) in self._automaton.iter(folded):
            start = end - length + 1
            if check_left and start > 0 and folded[start - 1] in _WORD_LEFT:
                continue
            if check_right and end + 1 < len(folded) and folded[end + 1] in _WORD_RIGHT:
                continue
            spans.append((start, end, labels))
        spans.sort(key=lambda span: (span[0] - span[1], span[0]))  # longest first
        kept: list[tuple[int, int]] = []
        found: set[str] = set()
        for start, end, labels in spans:
            if any(s <= start and end <= e for s, e in kept):
                continue
            kept.append((start, end))
            found.update(labels)
        return found
