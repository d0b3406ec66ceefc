"""JSON APIs and JSON embedded in HTML → raw records, addressed by JMESPath. Pure.

Embedded state comes as ``window.__INITIAL_STATE__ = {...};`` (or ``__SEARCH_RESULT__``,
``__PRELOADED_STATE__``, ``__NUXT__`` ...) inside a script, or as a whole script element such as
``<script id="__NEXT_DATA__" type="application/json">``.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

import jmespath
from parsel import Selector

from . import bounded_json
from .extract import ExtractionError
from .extract_fields import fields_of
from .sources import Field

KNOWN_STATE_VARIABLES = ("__INITIAL_STATE__", "__SEARCH_RESULT__", "__PRELOADED_STATE__", "__INITIAL_DATA__",
                         "__NUXT__", "__APOLLO_STATE__")
_JSONP = re.compile(r"^\s*[\w$.]+\s*\((.*)\)\s*;?\s*$", re.DOTALL)
_UNDEFINED = re.compile(r"(?<=[:\[,])\s*undefined\s*(?=[,}\]])")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@lru_cache(maxsize=512)
def _compiled(expression: str):
    return jmespath.compile(expression)


def search(expression: str, data: object) -> object:
    """The value of a JMESPath expression (compiled once per expression)."""
    return _compiled(expression).search(data)


def load_json_text(text: str) -> object:
    """Parse an API answer: JSON, or JSONP ``callback({...})``; raise ExtractionError('json_invalid'),
    or ExtractionError('json_too_deep') for nesting deeper than ``bounded_json.MAX_DEPTH``."""
    try:
        return bounded_json.loads(text)
    except bounded_json.TooDeep as error:
        raise ExtractionError("json_too_deep", str(error)) from None
    except ValueError:
        pass
    match = _JSONP.match(text)
    if match:
        try:
            return bounded_json.loads(match.group(1))
        except bounded_json.TooDeep as error:
            raise ExtractionError("json_too_deep", str(error)) from None
        except ValueError:
            pass
    raise ExtractionError("json_invalid", text[:80])


def _decode_from(text: str, start: int) -> object:
    """The JSON value starting at ``start`` in page text, forgiving ``undefined`` and trailing commas;
    nesting deeper than ``bounded_json.MAX_DEPTH`` raises ExtractionError('json_too_deep')."""
    try:
        return _bounded(_raw_decode, text, start)
    except ExtractionError:
        raise
    except ValueError:
        pass
    end = text.find("</script>", start)
    chunk = text[start:end if end > 0 else len(text)]
    repaired = _TRAILING_COMMA.sub(r"\1", _UNDEFINED.sub(" null", chunk))
    try:
        return _bounded(_raw_decode, repaired, 0)
    except ExtractionError:
        raise
    except ValueError as error:
        raise ExtractionError("embedded_json_invalid", str(error)) from None


def _raw_decode(text: str, start: int) -> object:
    return json.JSONDecoder(strict=False).raw_decode(text, start)[0]


def _bounded(decode, text: str, start: int) -> object:
    """``decode(text, start)`` with its nesting bounded (see crawlers.bounded_json)."""
    try:
        return bounded_json.whole_characters(bounded_json.check_depth(decode(text, start)), text)
    except (RecursionError, bounded_json.TooDeep):
        raise ExtractionError("json_too_deep", f"JSON nested more than {bounded_json.MAX_DEPTH} deep") from None


def embedded_json(html: str, locator: str | None = None) -> object:
    """The state object a page embeds.

    ``locator`` is a script selector (``script#__NEXT_DATA__``, any CSS starting with ``script``),
    or a variable name (``window.__INITIAL_STATE__`` or ``__INITIAL_STATE__``); None tries
    ``__NEXT_DATA__`` and then the well-known state variables. Raises ExtractionError
    ('embedded_json_missing' or 'embedded_json_invalid').
    """
    if locator and locator.startswith("script"):
        return _script_json(html, locator)
    if locator:
        return _variable_json(html, locator.removeprefix("window."))
    if "__NEXT_DATA__" in html and 'id="__NEXT_DATA__"' in html:
        return _script_json(html, "script#__NEXT_DATA__")
    for variable in KNOWN_STATE_VARIABLES:
        if variable in html:
            return _variable_json(html, variable)
    raise ExtractionError("embedded_json_missing", "no __NEXT_DATA__ script or known state variable")


def _script_json(html: str, css: str) -> object:
    text = Selector(text=html).css(css + "::text").get()
    if text is None:
        raise ExtractionError("embedded_json_missing", css)
    return _decode_from(text.strip(), 0)


def _variable_json(html: str, variable: str) -> object:
    pattern = re.compile(r"(?:window\.|window\[['\"]|var\s+|let\s+|const\s+)?" + re.escape(variable)
                         + r"(?:['\"]\])?\s*=\s*")
    for match in pattern.finditer(html):
        rest = html[match.end():]
        if rest[:1] in "{[":
            return _decode_from(html, match.end())
        # JSON.parse("...") — a JSON text inside a JS string literal
        parsed = re.match(r"JSON\.parse\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)", rest)
        if parsed:
            literal = parsed.group(1)
            if literal.startswith("'"):
                literal = '"' + literal[1:-1].replace('\\"', '"').replace('"', '\\"') + '"'
            return _decode_from(json.loads(literal), 0)
    raise ExtractionError("embedded_json_missing", variable)


def json_records(data: object, records: str | None) -> list:
    """The record list at ``records`` (JMESPath); a single object counts as one record."""
    found = search(records, data) if records else data
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def json_record_fields(record: object, fields: dict[str, Field]) -> dict[str, str | None]:
    """One record's raw fields, each addressed by JMESPath relative to the record."""
    return fields_of(fields, lambda expression: search(expression, record))
