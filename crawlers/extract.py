"""Extraction of raw fields from pages: pure functions, no I/O, no interpretation.

Salaries, places and dates stay text here; what they mean is normalize/'s job. Structured
schema.org values are only flattened to text (``14000-19000 CNY/MONTH``).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator

from parsel import Selector
from w3lib.url import canonicalize_url, url_query_cleaner

from . import bounded_json

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TAGS = re.compile(r"<[^>]+>")
# Query parameters that say how a visitor arrived, not which posting it is.
TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "spm", "scm", "from",
                   "ka", "lid", "sessionId", "securityId", "ref", "trackId", "track_id", "fbclid", "gclid")


def canonical_url(url: str) -> str:
    """A posting's URL as its identity when the page gives no id: tracking parameters removed,
    the rest sorted and normalized, no fragment (w3lib's canonicalize_url)."""
    return canonicalize_url(url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False))


class ExtractionError(ValueError):
    """A page that should carry data but whose data cannot be read; ``reason`` names why."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def load_json_ld(text: str) -> object:
    """Parse a JSON-LD block, forgiving what real pages get wrong (trailing commas, raw control
    characters); raise ExtractionError('jsonld_invalid') when it still cannot be read, and
    ExtractionError('json_too_deep') when it nests deeper than ``bounded_json.MAX_DEPTH``."""
    try:
        return bounded_json.loads(text, strict=False)
    except bounded_json.TooDeep as error:
        raise ExtractionError("json_too_deep", str(error)) from None
    except ValueError:
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text.strip().rstrip(";")))
    try:
        return bounded_json.loads(repaired, strict=False)
    except bounded_json.TooDeep as error:
        raise ExtractionError("json_too_deep", str(error)) from None
    except ValueError as error:
        raise ExtractionError("jsonld_invalid", str(error)) from None


def _nodes(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for entry in data:
            yield from _nodes(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes(data["@graph"])


def _is_job_posting(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@id")
    if isinstance(value, list):
        value = ", ".join(t for t in (_text(v) for v in value) if t)
    text = str(value)
    if "&" in text:  # JSON-LD often carries escaped HTML: "&lt;p&gt;岗位职责&lt;/p&gt;", "&nbsp;"
        text = html.unescape(text)
    text = _TAGS.sub(" ", text).strip()
    return text or None


def _salary(value) -> str | None:
    """schema.org baseSalary (text, number, MonetaryAmount) → display text."""
    if not isinstance(value, dict):
        return _text(value)
    amount = value.get("value", value)
    currency = value.get("currency") or value.get("salaryCurrency") or ""
    if isinstance(amount, dict):
        low, high = amount.get("minValue"), amount.get("maxValue")
        single = amount.get("value")
        unit = amount.get("unitText") or value.get("unitText") or ""
    else:
        low = high = None
        single, unit = amount, value.get("unitText") or ""
    numbers = f"{low}-{high}" if low is not None and high is not None else str(single if single is not None else low or high or "")
    if not numbers or numbers == "None":
        return None
    return " ".join(p for p in (numbers, f"{currency}/{unit}" if unit else currency) if p).strip()


def _location(value) -> str | None:
    places = value if isinstance(value, list) else [value]
    texts = []
    for place in places:
        address = place.get("address") if isinstance(place, dict) else place
        if isinstance(address, dict):
            parts = [address.get(k) for k in ("addressRegion", "addressLocality", "streetAddress")]
            seen = []
            for part in parts:
                if isinstance(part, str) and part.strip() and part.strip() not in seen:
                    seen.append(part.strip())
            texts.append("·".join(seen))
        elif address:
            texts.append(_text(address) or "")
    joined = " / ".join(t for t in texts if t)
    return joined or None


def _requirement(value) -> str | None:
    """educationRequirements / experienceRequirements: text, or schema.org's structured forms
    ({"credentialCategory": "bachelor degree"}, {"monthsOfExperience": 36}) flattened to text."""
    if isinstance(value, list):
        texts = [t for t in (_requirement(v) for v in value) if t]
        return ", ".join(texts) or None
    if isinstance(value, dict):
        if value.get("monthsOfExperience") not in (None, ""):
            return f"{value['monthsOfExperience']} months of experience"
        return _text(value.get("credentialCategory") or value.get("description") or value)
    return _text(value)


def _identifier(node: dict) -> str | None:
    ident = node.get("identifier")
    if isinstance(ident, dict):
        ident = ident.get("value") or ident.get("name")
    return _text(ident)


def job_postings_from_html(html: str, url: str) -> list[dict]:
    """Every schema.org JobPosting in a page, as raw-field dicts: from its JSON-LD, or from its
    microdata (``itemtype="http://schema.org/JobPosting"``) when the JSON-LD has none.

    Raises ExtractionError('jsonld_invalid') when a JSON-LD block cannot be read, and
    ExtractionError('no_title') for a JobPosting without a title.
    """
    selector = Selector(text=html)
    found = []
    for block in selector.css('script[type="application/ld+json"]::text').getall():
        for node in _nodes(load_json_ld(block)):
            if _is_job_posting(node):
                found.append(_posting_fields(node, url, selector))
    if not found:
        found = [_posting_fields(node, url, selector) for node in microdata_items(selector)
                 if _is_job_posting(node)]
    return found


def microdata_items(selector: Selector) -> list[dict]:
    """Top-level microdata items of a page as JSON-LD-like dicts (``@type`` from ``itemtype``, one
    key per ``itemprop``, nested items as dicts), so one reader serves both forms."""
    return [_microdata_item(element) for element in selector.root.iter()
            if isinstance(element.tag, str) and element.get("itemscope") is not None
            and element.get("itemprop") is None]


def _microdata_item(element) -> dict:
    item = {"@type": (element.get("itemtype") or "").split()[0] if element.get("itemtype") else None}
    for prop, value in _microdata_props(element):
        for name in prop.split():
            item.setdefault(name, value)  # the first value of a repeated property
    return item


def _microdata_props(element):
    for child in element:
        if not isinstance(child.tag, str):
            continue
        prop = child.get("itemprop")
        if prop:
            yield prop, _microdata_item(child) if child.get("itemscope") is not None else _microdata_value(child)
        if child.get("itemscope") is None:
            yield from _microdata_props(child)


def _microdata_value(element) -> str | None:
    tag = element.tag.lower()
    if element.get("content") is not None:
        value = element.get("content")
    elif tag in ("a", "link", "area"):
        value = element.get("href")
    elif tag in ("img", "audio", "video", "source", "iframe", "embed"):
        value = element.get("src")
    elif tag == "time" and element.get("datetime"):
        value = element.get("datetime")
    elif tag in ("data", "meter") and element.get("value") is not None:
        value = element.get("value")
    else:
        value = " ".join(" ".join(element.itertext()).split())
    return value.strip() if value and value.strip() else None


def _posting_fields(node: dict, url: str, page: Selector) -> dict:
    title = _text(node.get("title"))
    if not title:
        raise ExtractionError("no_title", url)
    salary = _salary(node.get("baseSalary") or node.get("estimatedSalary"))
    if salary is None:
        salary = _text(page.css(".salary::text, .job-salary::text, [class*=salary]::text").get())
    headcount = node.get("totalJobOpenings")
    if headcount is None:
        headcount = page.css(".headcount::text").get()
    return {
        "source_id": _identifier(node) or canonical_url(url),
        "url": _text(node.get("url")) or url,
        "title": title,
        "company": _text(node.get("hiringOrganization")),
        "salary_text": salary,
        "location_text": _location(node.get("jobLocation")) or _text(node.get("jobLocationType")),
        "industry_text": _text(node.get("industry")),
        "education_text": _requirement(node.get("educationRequirements")),
        "experience_text": _requirement(node.get("experienceRequirements")),
        "employment_type": _text(node.get("employmentType")),
        "headcount_text": _text(headcount),
        "description": _text(node.get("description")),
        "posted_text": _text(node.get("datePosted")),
        "valid_through_text": _text(node.get("validThrough")),
    }


def records_from_listing(html: str, item_css: str, fields: dict[str, str]) -> list[dict]:
    """Rows of a listing page: ``item_css`` selects each row; ``fields`` maps a field name to a
    CSS selector inside the row (``::text`` / ``::attr(x)`` as parsel allows). Text is
    stripped and joined; a missing field is None."""
    rows = []
    for item in Selector(text=html).css(item_css):
        row = {}
        for name, css in fields.items():
            parts = [p.strip() for p in item.css(css).getall() if p.strip()]
            row[name] = " ".join(parts) or None
        rows.append(row)
    return rows
