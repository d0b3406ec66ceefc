"""Keys that find the same ad seen twice: a normalised employer name, a normalised title, and
the employer + title + place key that ``monitor`` counts unique postings by when the store has
no cluster ids yet."""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from .gazetteer import place_names
from .text import fold

_BRACKETED = re.compile(r"[(\[【][^)\]】]{0,30}[)\]】]")
_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|总公司|分公司|公司|研究院|"
    r"co\.?,? ?ltd\.?|limited|inc\.?|corp\.?|llc|gmbh)$"
)
_NON_WORD = re.compile(r"[\s\W_]+")
_NON_TITLE_WORD = re.compile(r"[^\w+#]+|_+")  # "c++" and "c#" keep their signs
# Pay written into a title ("8k", "日薪400", "6000-8000元/月", "月入过万"): never what tells two ads apart.
_PAY = re.compile(
    r"(?:月入|月薪|年薪|底薪|综合薪资|薪资|工资|税前|日薪|时薪|保底)\s*(?:过)?\s*\d*(?:\.\d+)?\s*[kw千万元]?"
    r"(?:\s*[-~至到]\s*\d+(?:\.\d+)?\s*[kw千万元]?)?(?:\s*/\s*(?:月|天|日|时|小时|年))?\+?"
    r"|\d+(?:\.\d+)?\s*[kw千万元]?\s*[-~至到]\s*\d+(?:\.\d+)?\s*[kw千万元](?:\s*/\s*(?:月|天|日|时|小时|年))?\+?"
    r"|\d+(?:\.\d+)?\s*[kw千万](?:\s*/\s*(?:月|天|日|时|小时|年))?\+?"
    r"|\d+\s*元\s*/\s*(?:月|天|日|时|小时)"
    r"|\d+\s*薪"
)


@cache
def _leading_place() -> re.Pattern:
    names = sorted(place_names(), key=len, reverse=True)
    return re.compile("^(?:" + "|".join(re.escape(n) for n in names) + ")")


@cache
def _title_noise() -> re.Pattern:
    text = resources.files("normalize").joinpath("data", "dedup_title_noise.txt").read_text(encoding="utf-8")
    words = {unicodedata.normalize("NFKC", line.strip()).lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w))


@lru_cache(maxsize=100_000)
def company_key(company: str | None) -> str | None:
    """The employer without its legal form, bracketed asides and at most one leading
    registration place: '北京字节跳动科技有限公司' and '字节跳动科技（北京）有限公司' → '字节跳动科技';
    a place word inside the trade name stays ('北京天津康养服务有限公司' → '天津康养服务')."""
    if not company or not isinstance(company, str):
        return None
    text = _BRACKETED.sub("", fold(company[:200]))
    for _ in range(3):
        stripped = _LEGAL.sub("", text.strip())
        if stripped == text:
            break
        text = stripped
    text = text.strip()
    without_place = _leading_place().sub("", text, count=1)
    if _NON_WORD.sub("", without_place):  # a name that is only a place ('北京公司') keeps it
        text = without_place
    text = _NON_WORD.sub("", text)
    return text or None


@lru_cache(maxsize=200_000)
def title_key(title: str | None) -> str | None:
    """A title as two postings of one employer are compared: full-width → half-width, lower
    case, without pay, urgency and benefit words (``data/dedup_title_noise.txt``), brackets and punctuation. Everything else
    stays — places, shops, stations, shifts, 实习 — since that is what tells an employer's ads
    apart: '【急招】快递员（望京站）8k' → '快递员望京站'."""
    if not title or not isinstance(title, str):
        return None
    text = unicodedata.normalize("NFKC", title[:200]).lower()  # not fold(): a million titles must be quick
    text = _PAY.sub(" ", text)
    text = _title_noise().sub(" ", text)
    text = _NON_TITLE_WORD.sub("", text)
    return text or None


def dedup_key(company: str | None, title: str | None, district: str | None, city: str | None = None) -> str | None:
    """employer|title|city|district, or None when the employer or the title is unknown: the
    cluster of a posting before the monitor has clustered the store (rule 2 of
    ``normalize.clusters`` without its date window)."""
    employer, title_part = company_key(company), title_key(title)
    if not employer or not title_part:
        return None
    return f"{employer}|{title_part}|{city or ''}|{district or ''}"
