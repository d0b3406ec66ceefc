"""Field specs (crawlers/sources.py ``Field``) → raw text, whatever language addresses the values.

Each shape supplies ``evaluate(expression) -> value`` (JMESPath on a JSON record, CSS / XPath on
an HTML row, XPath on a feed item); this module turns values into text and applies the spec's
form (one expression, joined, first non-empty, template). Pure.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from .sources import PLACEHOLDER, Field

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACE = re.compile(r"\s+")


def as_text(value) -> str | None:
    """A JSON / selector value as stripped text: numbers as written (15000.0 → "15000"), lists
    joined with ", ", objects by their name / value, markup removed; None for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        texts = [t for t in (as_text(v) for v in value) if t]
        return ", ".join(texts) or None
    if isinstance(value, dict):
        for key in ("name", "value", "text", "label"):
            if value.get(key) not in (None, ""):
                return as_text(value[key])
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "<" in text and _TAG.search(text):
        text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    return text or None


def field_value(spec: Field, evaluate: Callable[[str], object]) -> str | None:
    """The text of one field: ``evaluate`` gives the value of one expression."""
    if spec.mode == "template":
        missing = False

        def fill(match):
            nonlocal missing
            text = as_text(evaluate(match.group(1)))
            missing = missing or text is None
            return text or ""

        filled = PLACEHOLDER.sub(fill, spec.paths[0])
        return None if missing else filled
    texts = (as_text(evaluate(path)) for path in spec.paths)
    if spec.mode == "first":
        return next((t for t in texts if t), None)
    return spec.sep.join(t for t in texts if t) or None


def fields_of(fields: dict[str, Field], evaluate: Callable[[str], object]) -> dict[str, str | None]:
    """Every configured field's text."""
    return {name: field_value(spec, evaluate) for name, spec in fields.items()}
