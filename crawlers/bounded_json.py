"""JSON with bounded nesting: one hostile value (an array nested 200,000 deep) is a bad value,
never a crash of the import or the crawl that reads it.

``json.loads`` raises RecursionError for nesting deeper than Python's recursion limit, and a value
nested a few hundred deep still breaks every recursive walk after it (``json.dumps``, JMESPath):
``loads`` raises ``ValueError`` for both, so callers reject the value the way they reject any
invalid JSON. JSON may also escape half a character (``"\\ud800"``, a lone surrogate), which
no UTF-8 text can hold: SQLite and hashing fail on it, so ``loads`` puts U+FFFD in its place.
"""
from __future__ import annotations

import json
import re

MAX_DEPTH = 64  # arrays and objects inside each other; real records and API answers use < 15
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class TooDeep(ValueError):
    """A JSON value nested deeper than ``MAX_DEPTH``."""


def nesting_depth(value, limit: int = MAX_DEPTH) -> int:
    """How deep arrays and objects nest in ``value`` (a scalar is 0), counted up to ``limit + 1``:
    the walk stops as soon as the limit is passed. Iterative: never recurses."""
    deepest = 0
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def check_depth(value, text: str | None = None, limit: int = MAX_DEPTH):
    """``value`` when it nests at most ``limit`` deep, else raise TooDeep. ``text`` (the JSON it was
    read from) skips the walk when it holds too few brackets to nest that deep."""
    if text is not None and text.count("[") + text.count("{") <= limit:
        return value
    if nesting_depth(value, limit) > limit:
        raise TooDeep(f"JSON nested more than {limit} deep")
    return value


def loads(text: str, limit: int = MAX_DEPTH, **options):
    """``json.loads`` that raises ValueError (TooDeep) for a value nested more than ``limit`` deep."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise TooDeep(f"JSON nested more than {limit} deep") from None
    return whole_characters(check_depth(value, text, limit), text)


def whole_characters(value, text: str | None = None):
    """``value`` with every lone surrogate in its texts and keys replaced by U+FFFD (a pair that
    makes one character was joined by the JSON decoder already). ``text``, the JSON it was read
    from, skips the walk when it holds no surrogate, escaped or not. Call it on a value of bounded depth."""
    if text is not None and not _SURROGATE_ESCAPE.search(text) and not _SURROGATE.search(text):
        return value
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {whole_characters(k): whole_characters(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_characters(v) for v in value]
    return value
