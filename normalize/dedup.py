"""Keys that find the same job posted twice: a normalised employer name and the
employer + occupation + district key that ``monitor`` counts unique postings by."""
from __future__ import annotations

import re
from functools import cache, lru_cache

from .gazetteer import place_names
from .text import fold

_BRACKETED = re.compile(r"[(\[【][^)\]】]{0,30}[)\]】]")
_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|总公司|分公司|公司|研究院|"
    r"co\.?,? ?ltd\.?|limited|inc\.?|corp\.?|llc|gmbh)$"
)
_NON_WORD = re.compile(r"[\s\W_]+")


@cache
def _leading_place() -> re.Pattern:
    names = sorted(place_names(), key=len, reverse=True)
    return re.compile("^(?:" + "|".join(re.escape(n) for n in names) + ")+")


@lru_cache(maxsize=100_000)
def company_key(company: str | None) -> str | None:
    """'北京字节跳动科技有限公司' and '字节跳动科技（北京）有限公司' → '字节跳动科技'."""
    if not company or not isinstance(company, str):
        return None
    text = _BRACKETED.sub("", fold(company[:200]))
    for _ in range(3):
        stripped = _LEGAL.sub("", text.strip())
        if stripped == text:
            break
        text = stripped
    text = _leading_place().sub("", text)
    text = _NON_WORD.sub("", text)
    return text or None


def dedup_key(company: str | None, occupation_code: str | None, district: str | None) -> str | None:
    """employer|occupation|district, or None when the employer or occupation is unknown."""
    employer = company_key(company)
    if not employer or not occupation_code:
        return None
    return f"{employer}|{occupation_code}|{district or ''}"
