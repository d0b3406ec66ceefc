"""Saved pages + expected output (web-poet style): each tests/fixtures/sites/<shape>/_expected/*.json
names a source, a saved page and the Content-Type it is served with, and holds what extraction
must give for it, field by field."""
from __future__ import annotations

import json
from pathlib import Path

from parsel import Selector

from crawlers.encoding import decode_body
from crawlers.extract import job_postings_from_html
from crawlers.extract_html import html_fields
from crawlers.extract_source import listing_records
from crawlers.sources import load_source

ROOT = Path(__file__).parent.parent
SITES = Path(__file__).parent / "fixtures" / "sites"


def cases() -> list[Path]:
    return sorted(SITES.glob("*/_expected/*.json"))


def extract(case: dict, site: Path) -> object:
    """What extraction gives for a case's page: listing records (with the page's lookups),
    a detail page's fields, or the JobPostings of a schema.org page."""
    source = load_source(ROOT / case["source"])
    text = decode_body((site / case["page"]).read_bytes(), case.get("content_type"))
    if case["part"] == "listing":
        rows, lookup = listing_records(source, text)
        return {"records": [{"fields": fields, "detail_link": link} for fields, link in rows],
                "lookups": {expression: lookup(expression) for expression in case.get("lookups", [])}}
    if case["part"] == "detail":
        return html_fields(Selector(text=text), source.detail.fields)
    return job_postings_from_html(text, case["url"])


def write_expected(case_path: Path, case: dict) -> None:
    """(Re)write a case's expected output from the current code — review the diff before keeping it."""
    case = {k: v for k, v in case.items() if k != "expected"}
    case["expected"] = extract(case, case_path.parent.parent)
    case_path.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
