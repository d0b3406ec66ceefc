"""Requests a source makes: the first from its request template, the next by its pagination. Pure.

Pagination types: ``page`` (a page number parameter), ``offset`` (a record offset parameter),
``cursor`` (a parameter set to the cursor the last answer gave), ``next_link`` (a URL the last
answer gave). Every type stops on a page with no records, after ``max_pages``, when ``total``
records have been seen, or when ``has_more`` is false.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .sources import Source

_INT = re.compile(r"\d[\d,]*")


@dataclass(frozen=True)
class PageRequest:
    """One request of a paginated listing: what to send, and where in the pagination it is."""
    url: str
    base_url: str = ""       # the start URL the parameters are added to
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    page: int = 0            # 0 for the first page
    value: object = None     # the pagination parameter's value sent
    seen: int = 0            # records received before this page
    params: tuple = ()       # query parameters added to the URL (JSON-encoded values)
    form: tuple = ()         # body fields (JSON-encoded values)


def _location(source: Source) -> str:
    return source.pagination.location or ("body" if source.request.method == "POST" else "query")


def _with_query(url: str, params: dict) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: ("" if v is None else str(v)) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def _build(source: Source, base_url: str, params: dict, body: dict | None, **state) -> PageRequest:
    template = source.request
    headers = dict(template.headers)
    data = None
    if template.method == "POST":
        body = body or {}
        if template.body_format == "json":
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers.setdefault("Content-Type", "application/json;charset=UTF-8")
        else:
            data = urlencode({k: "" if v is None else v for k, v in body.items()}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    return PageRequest(url=_with_query(base_url, params), base_url=base_url, method=template.method,
                       headers=tuple(headers.items()), body=data,
                       params=tuple((k, json.dumps(v)) for k, v in params.items()),
                       form=tuple((k, json.dumps(v)) for k, v in (body or {}).items()), **state)


def first_request(source: Source, url: str) -> PageRequest:
    """The first request for a start URL: template parameters, plus the start page / offset."""
    params, body = dict(source.request.params), dict(source.request.body or {})
    pagination = source.pagination
    value = None
    if pagination.type in ("page", "offset") and pagination.param:
        value = pagination.start
        (body if _location(source) == "body" else params)[pagination.param] = value
    return _build(source, url, params, body if source.request.method == "POST" else None, page=0, value=value)


def as_int(value) -> int | None:
    """A count from a JSON number or a text such as "共 1,234 条"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    match = _INT.search(str(value))
    return int(match.group().replace(",", "")) if match else None


def next_request(source: Source, current: PageRequest, records: int, lookup: Callable[[str], object],
                 response_url: str) -> PageRequest | None:
    """The request for the page after ``current``, or None when the listing is done.

    ``records`` is how many records the current page held; ``lookup(expression)`` evaluates an
    expression (total, has_more, cursor, next) against the current page.
    """
    pagination = source.pagination
    seen = current.seen + records
    if pagination.type == "none" or records == 0 or current.page + 1 >= pagination.max_pages:
        return None
    if pagination.total:
        total = as_int(lookup(pagination.total))
        if total is not None and seen >= total:
            return None
    if pagination.has_more:
        more = lookup(pagination.has_more)
        if more in (False, 0, None, "", "false", "False", "0"):
            return None
    state = {"page": current.page + 1, "seen": seen}
    if pagination.type == "next_link":
        link = lookup(pagination.next)
        if isinstance(link, list):
            link = link[0] if link else None
        if not link or not str(link).strip():
            return None
        url = urljoin(response_url, str(link).strip())
        return replace(current, url=url, base_url=url, params=(), value=url, **state) if url != current.url else None
    if pagination.type == "cursor":
        value = lookup(pagination.cursor)
        if value in (None, "", [], {}) or value == current.value:
            return None
    elif pagination.type == "page":
        value = (current.value or 0) + (pagination.step or 1)
    else:  # offset: by the page size when configured, else by the records received
        value = (current.value or 0) + (pagination.step or records)
    params = {k: json.loads(v) for k, v in current.params}
    body = {k: json.loads(v) for k, v in current.form}
    (body if _location(source) == "body" else params)[pagination.param] = value
    return _build(source, current.base_url, params, body if source.request.method == "POST" else None,
                  value=value, **state)
