"""HTML listing and detail pages, and XML feeds → raw records, by CSS or XPath selectors. Pure.

A selector that ends in ``::text`` / ``::attr(x)`` (CSS) or ``text()`` / ``@x`` (XPath) gives that
text; a selector that picks elements gives their visible text, whitespace collapsed. XPath is
recognised by a leading ``/``, ``./`` or ``(`` (or an ``xpath:`` prefix); anything else is CSS.
"""
from __future__ import annotations

from parsel import Selector, SelectorList

from .encoding import decode_body
from .extract_fields import fields_of
from .sources import Field, is_xpath

FEED_RECORDS = "//item | //entry"
# What RSS 2.0 and Atom carry for every entry; a source's own fields take precedence.
FEED_FIELDS = {
    "source_id": Field(("guid", "id", "link[not(@rel) or @rel='alternate']/@href", "link"), mode="first"),
    "url": Field(("link[not(@rel) or @rel='alternate']/@href", "link"), mode="first"),
    "title": Field(("title",)),
    "posted_text": Field(("pubDate", "published", "updated", "date"), mode="first"),
    "description": Field(("description", "summary", "content"), mode="first"),
}


def select(node: Selector, expression: str) -> SelectorList:
    """The matches of a CSS or XPath expression inside ``node``."""
    if is_xpath(expression):
        return node.xpath(expression.removeprefix("xpath:"))
    return node.css(expression)


def _text_of(match: Selector) -> str:
    if isinstance(match.root, str):
        return match.root
    return " ".join(t for t in match.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())


def select_text(node: Selector, expression: str) -> str | None:
    """All matches' text, joined by a space and whitespace-collapsed; None when nothing matches."""
    texts = [" ".join(_text_of(m).split()) for m in select(node, expression)]
    return " ".join(t for t in texts if t) or None


def html_rows(page: Selector, records: str, fields: dict[str, Field]) -> list[tuple[Selector, dict]]:
    """Each listing row (``records`` selects it) with its raw fields, selectors relative to the row."""
    return [(row, fields_of(fields, lambda e, row=row: select_text(row, e))) for row in select(page, records)]


def html_fields(page: Selector, fields: dict[str, Field]) -> dict[str, str | None]:
    """Raw fields of a whole page (a detail page)."""
    return fields_of(fields, lambda e: select_text(page, e))


def feed_selector(xml: str | bytes) -> Selector:
    """A feed as an XML selector with namespaces removed (``<job:salary>`` is ``salary``); bytes are
    decoded by their XML declaration, else sniffed."""
    selector = Selector(text=decode_body(xml) if isinstance(xml, bytes) else xml, type="xml")
    selector.remove_namespaces()
    return selector


def feed_rows(feed: Selector, records: str | None, fields: dict[str, Field]) -> list[tuple[Selector, dict]]:
    """Each feed entry (RSS ``item``, Atom ``entry``, or ``records``) with its raw fields: the feed
    standard's fields, overridden by the source's (XPath relative to the entry)."""
    merged = {**FEED_FIELDS, **fields}
    return [(item, fields_of(merged, lambda e, item=item: select_text(item, "xpath:" + e)))
            for item in feed.xpath(records or FEED_RECORDS)]
