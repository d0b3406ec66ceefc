"""A listing page of a configured source → its records, by the source's shape. Pure.

``listing_records`` is what the ``source`` spider calls for every listing page, and what the
extraction tests call on saved pages.
"""
from __future__ import annotations

from collections.abc import Callable

from parsel import Selector

from .extract_fields import field_value
from .extract_html import feed_rows, feed_selector, html_rows, select_text
from .extract_json import embedded_json, json_record_fields, json_records, load_json_text, search
from .sources import Source


def listing_records(source: Source, text: str) -> tuple[list[tuple[dict, str | None]], Callable[[str], object]]:
    """(raw fields, detail link or None) of every record on a listing page of ``source``, and a
    lookup that evaluates an expression (total, cursor, next link ...) against the whole page.

    Raises ExtractionError ('json_invalid', 'embedded_json_missing', 'embedded_json_invalid').
    """
    link = source.detail.link if source.detail else None
    if source.shape in ("json_api", "embedded_json"):
        data = load_json_text(text) if source.shape == "json_api" else embedded_json(text, source.embedded)
        rows = [(json_record_fields(record, source.fields),
                 field_value(link, lambda e, r=record: search(e, r)) if link else None)
                for record in json_records(data, source.records)]
        return rows, lambda expression: search(expression, data)
    if source.shape == "feed":
        page, prefix = feed_selector(text), "xpath:"
        nodes = feed_rows(page, source.records, source.fields)
    elif source.shape == "html":
        page, prefix = Selector(text=text), ""
        nodes = html_rows(page, source.records, source.fields)
    else:
        raise ValueError(f"shape {source.shape} has no listing records")
    rows = [(fields, field_value(link, lambda e, node=node: select_text(node, prefix + e)) if link else None)
            for node, fields in nodes]
    return rows, lambda expression: select_text(page, prefix + expression)
