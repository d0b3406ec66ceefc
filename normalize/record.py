"""One raw posting or job-seeker record → its normalized fields.

The crawler's pipeline and the importers hand raw text here and store what comes back beside
it. Problems (a salary that could not be read, a title with no occupation) are returned as
``notes`` so that an operator can count and inspect them; nothing raises.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Mapping

from .dates import parse_date
from .dedup import company_key, dedup_key
from .industry import classify_industries
from .place import parse_place
from .requirements import parse_requirements
from .salary import parse_salary
from .skills import parse_skills
from .taxonomy import TAXONOMY_VERSION
from .titles import MATCHER_VERSION, match_title

NORMALIZER_VERSION = f"normalize-0.3+{MATCHER_VERSION}"  # 0.2: skills, industries; 0.3: months of experience, cached dates
_HEADCOUNT = re.compile(r"(\d{1,4})")
MAX_HEADCOUNT = 500


# Not frozen: a frozen dataclass sets each of its ~30 fields through object.__setattr__, a
# fifth of the time a cached posting takes.
@dataclass(slots=True)
class NormalizedPosting:
    title_clean: str
    occupation_code: str | None
    occupation_name: str | None
    match_score: float
    match_method: str | None
    salary_min_monthly: float | None
    salary_max_monthly: float | None
    salary_mid_monthly: float | None
    salary_months: int | None
    salary_period: str | None
    salary_negotiable: int | None
    salary_currency: str | None
    province: str | None
    city: str | None
    district: str | None
    zone: str | None
    functional_area: str | None
    education_level: int | None
    experience_min_years: float | None
    experience_max_years: float | None
    headcount: int
    company_norm: str | None
    dedup_key: str | None
    posted_at: str | None
    valid_through: str | None
    skills: str                 # JSON array of canonical skill names, '[]' for none
    industries: str             # JSON array of key industries, '[]' for none
    normalize_notes: str | None
    normalizer_version: str = NORMALIZER_VERSION
    taxonomy_version: str = TAXONOMY_VERSION


@dataclass(slots=True)
class NormalizedSeeker:
    title_clean: str
    occupation_code: str | None
    occupation_name: str | None
    match_score: float
    match_method: str | None
    salary_min_monthly: float | None
    salary_max_monthly: float | None
    salary_mid_monthly: float | None
    salary_negotiable: int | None
    province: str | None
    city: str | None
    district: str | None
    zone: str | None
    education_level: int | None
    experience_min_years: float | None
    active_from: str | None
    active_to: str | None
    normalize_notes: str | None
    normalizer_version: str = NORMALIZER_VERSION
    taxonomy_version: str = TAXONOMY_VERSION


def _text(raw: Mapping, key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _tags(raw: Mapping) -> tuple[str, ...] | None:
    """The record's tags (a 'tags' or 'skills' field: a list or one string), or None."""
    if "tags" not in raw and "skills" not in raw:  # the common case, kept cheap
        return None
    tags = [raw.get(key) for key in ("tags", "skills") if raw.get(key)]
    if not tags:
        return None
    return tuple(str(t) for value in tags for t in (value if isinstance(value, (list, tuple)) else [value]))


@lru_cache(maxsize=65_536)
def _skills_and_industries(description: str | None, tags: tuple[str, ...] | None, occupation_code: str | None,
                           industry_text: str | None, title: str) -> tuple[str, str]:
    """Both as JSON arrays; cached whole, since postings repeat their texts (one lookup a posting)."""
    skills = parse_skills(description, tags)
    industries = classify_industries(occupation_code, industry_text, title, description)
    return json.dumps(skills, ensure_ascii=False), json.dumps(industries, ensure_ascii=False)


def parse_headcount(text: str | None) -> int | None:
    """'招3人' → 3, '若干' → None; implausible counts (> MAX_HEADCOUNT) → None."""
    if not text:
        return None
    match = _HEADCOUNT.search(str(text))
    if not match:
        return None
    count = int(match.group(1))
    return count if 0 < count <= MAX_HEADCOUNT else None


def normalize_posting(raw: Mapping, fetched_at: datetime, default_city: str | None = None) -> NormalizedPosting:
    """Normalize a posting's raw fields (title, salary_text, location_text, company, ...)."""
    notes: list[str] = []
    title = _text(raw, "title") or ""
    match = match_title(title)
    if match.code is None:
        notes.append("title_unmatched")
    salary_text = _text(raw, "salary_text")
    salary = parse_salary(salary_text)
    if salary_text and salary is None:
        notes.append("salary_unparsed")
    elif salary is not None and salary.flags:
        notes.extend(f"salary_{flag}" for flag in salary.flags)
    location_text = _text(raw, "location_text")
    place = parse_place(location_text, default_city=default_city)
    if location_text and (place is None or place.city is None):
        notes.append("place_unparsed")
    requirements = parse_requirements(
        " ".join(t for t in (_text(raw, "education_text"), _text(raw, "experience_text")) if t)
    )
    headcount_text = _text(raw, "headcount_text")
    headcount = parse_headcount(headcount_text)
    if headcount_text and headcount is None:
        notes.append("headcount_unparsed")
    posted_text = _text(raw, "posted_text")
    posted = parse_date(posted_text, fetched_at)
    if posted_text and posted is None:
        notes.append("posted_unparsed")
    company = _text(raw, "company")
    district = place.district if place else None
    # raw values as the cache key (the parsers read None and blank text as nothing)
    description, industry_text = raw.get("description"), raw.get("industry_text")
    skills, industries = _skills_and_industries(
        description if description is None or isinstance(description, str) else str(description), _tags(raw),
        match.code, industry_text if industry_text is None or isinstance(industry_text, str) else str(industry_text),
        title)
    return NormalizedPosting(
        title_clean=match.title_clean,
        occupation_code=match.code,
        occupation_name=match.name,
        match_score=match.score,
        match_method=match.method,
        salary_min_monthly=salary.min_monthly if salary else None,
        salary_max_monthly=salary.max_monthly if salary else None,
        salary_mid_monthly=salary.midpoint_monthly if salary else None,
        salary_months=salary.months_per_year if salary else None,
        salary_period=salary.period if salary else None,
        salary_negotiable=int(salary.negotiable) if salary else None,
        salary_currency=salary.currency if salary else None,
        province=place.province if place else None,
        city=place.city if place else None,
        district=district,
        zone=place.zone if place else None,
        functional_area=place.functional_area if place else None,
        education_level=requirements.education_level if requirements else None,
        experience_min_years=requirements.experience_min_years if requirements else None,
        experience_max_years=requirements.experience_max_years if requirements else None,
        headcount=headcount or 1,
        company_norm=company_key(company),
        dedup_key=dedup_key(company, title, district, place.city if place else None),
        posted_at=_iso(posted),
        valid_through=_iso(parse_date(_text(raw, "valid_through_text"), fetched_at)),
        skills=skills,
        industries=industries,
        normalize_notes=",".join(notes) or None,
    )


def normalize_seeker(raw: Mapping, fetched_at: datetime, default_city: str | None = None) -> NormalizedSeeker:
    """Normalize a job-seeker listing's raw fields (desired_title, expected_salary_text, ...)."""
    notes: list[str] = []
    match = match_title(_text(raw, "desired_title") or "")
    if match.code is None:
        notes.append("title_unmatched")
    salary_text = _text(raw, "expected_salary_text")
    salary = parse_salary(salary_text)
    if salary_text and salary is None:
        notes.append("salary_unparsed")
    place = parse_place(_text(raw, "location_text"), default_city=default_city)
    requirements = parse_requirements(
        " ".join(t for t in (_text(raw, "education_text"), _text(raw, "experience_text")) if t)
    )
    active_from = parse_date(_text(raw, "active_from_text"), fetched_at)
    active_to = parse_date(_text(raw, "active_to_text"), fetched_at)
    if active_from and active_to and active_to < active_from:
        notes.append("active_dates_swapped")
        active_from, active_to = active_to, active_from
    return NormalizedSeeker(
        title_clean=match.title_clean,
        occupation_code=match.code,
        occupation_name=match.name,
        match_score=match.score,
        match_method=match.method,
        salary_min_monthly=salary.min_monthly if salary else None,
        salary_max_monthly=salary.max_monthly if salary else None,
        salary_mid_monthly=salary.midpoint_monthly if salary else None,
        salary_negotiable=int(salary.negotiable) if salary else None,
        province=place.province if place else None,
        city=place.city if place else None,
        district=place.district if place else None,
        zone=place.zone if place else None,
        education_level=requirements.education_level if requirements else None,
        experience_min_years=requirements.experience_min_years if requirements else None,
        active_from=_iso(active_from),
        active_to=_iso(active_to),
        normalize_notes=",".join(notes) or None,
    )
