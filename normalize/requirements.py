"""Normalise a posting's education and experience requirements.

``parse_requirements("1-3年本科")`` ->
``Requirements(education_level=5, education='本科', experience_min_years=1.0,
experience_max_years=3.0, fresh_graduate=False, raw='1-3年本科')``

Decisions
---------
* Education is the *floor* the posting asks for: "大专/本科" -> 大专, "本科及以上" -> 本科.
  A level followed by 优先 / 为佳 / preferred ("本科以上，硕士优先") is a preference, not a
  requirement, and is ignored; if only preferences are stated the education is None.
  "学历不限" -> level 0 ('不限') unless a level is required as well.
  研究生 / MBA / EMBA -> 硕士; 博士研究生 / 博士后 / PhD -> 博士; 统招 / 全日制 / 一本 /
  985 / 211 院校 -> 本科; 职高 / 技校 / 中职 -> 中专/中技.
* Experience: "1-3年" -> (1, 3); "10年以上" / "3+ years" / "至少3年" / "3年经验" -> (3, None);
  "1年以内" / "3年以下" -> (0, 1) / (0, 3); "经验不限" / "无经验" / "no experience" ->
  (0, None); "半年" -> 0.5, "一年半" -> 1.5, "6个月以上经验" -> 0.5.  Chinese numerals
  (一 两 三 ... 十 十五) are read.  Numbers above 50 are not years of experience
  ("2025年毕业") and are ignored.
* ``fresh_graduate``: 应届 / 校招 / 校园招聘 / 在校 / 在读 / 实习 / 毕业生 / "2025届" / intern /
  new grad / campus (but not 非应届 / 不接受应届 / 往届).  When no years are given, a
  fresh-graduate posting gets experience (0, 0).
* A bare "不限" (which requirement?) and text with nothing recognisable give None.

Never raises; memoised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["EDUCATION_LEVELS", "Requirements", "parse_requirements"]

EDUCATION_LEVELS = {0: '不限', 1: '初中及以下', 2: '中专/中技', 3: '高中', 4: '大专', 5: '本科', 6: '硕士', 7: '博士'}


@dataclass(frozen=True, slots=True)
class Requirements:
    education_level: int | None
    education: str | None
    experience_min_years: float | None
    experience_max_years: float | None
    fresh_graduate: bool
    raw: str


_MAX_TEXT = 2000
_MAX_YEARS = 50.0

# (pattern, level); alternatives are tried longest first by the combined regex
_EDU_TERMS: list[tuple[str, int]] = [
    # 7 博士
    (r"博士后", 7), (r"博士研究生", 7), (r"博士", 7), (r"\bph\.?\s?d\b\.?", 7),
    (r"\bdoctorate\b", 7), (r"\bdoctoral\b", 7), (r"\bdoctor'?s\s+degree\b", 7),
    # 6 硕士
    (r"硕士研究生", 6), (r"硕士", 6), (r"研究生", 6), (r"\be?mba\b", 6), (r"\bmpa\b", 6),
    (r"\bmpacc\b", 6), (r"\bmaster'?s?(?:\s+degree)?\b", 6), (r"\bm\.?sc\b\.?", 6),
    (r"\bpostgraduate\b", 6), (r"\bgraduate\s+degree\b", 6),
    # 5 本科
    (r"统招本科", 5), (r"全日制本科", 5), (r"大学本科", 5), (r"本科", 5), (r"学士", 5),
    (r"一本", 5), (r"二本", 5), (r"(?:985|211|双一流)(?:\s*/\s*(?:985|211|双一流))*\s*(?:院校|高校|大学|学校|毕业)", 5),
    (r"985\s*/\s*211|211\s*/\s*985", 5),
    (r"\bbachelor'?s?(?:\s+degree)?\b", 5), (r"\bundergraduate\b", 5), (r"\bb\.?sc\b\.?", 5),
    (r"\buniversity\s+degree\b", 5),
    # 4 大专
    (r"大学专科", 4), (r"大专", 4), (r"专科", 4), (r"高职", 4),
    (r"\bassociate'?s?\s+degree\b", 4), (r"\bjunior\s+college\b", 4),
    # 3 高中
    (r"高中", 3), (r"普高", 3), (r"\bhigh\s+school\b", 3),
    # 2 中专/中技
    (r"中专", 2), (r"中技", 2), (r"技校", 2), (r"职高", 2), (r"中职", 2), (r"职业高中", 2),
    (r"\bvocational\s+(?:school|secondary)\b", 2), (r"\btechnical\s+secondary\b", 2),
    # 1 初中及以下
    (r"初中", 1), (r"小学", 1), (r"\bjunior\s+high\b", 1), (r"\bmiddle\s+school\b", 1),
]
_EDU_RE = re.compile("|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_EDU_TERMS)))
_EDU_LEVEL = {f"e{i}": lvl for i, (_, lvl) in enumerate(_EDU_TERMS)}
_EDU_ANY = re.compile(
    r"学历\s*:?\s*(?:不限|无要求|要求不限|无限制)|不限学历|无学历要求|不要求学历|学历无要求|对学历无要求"
    r"|\bno\s+degree\s+required\b|\bany\s+degree\b|\bdegree\s+not\s+required\b")
_PREFERRED = re.compile(
    r"\s*(?:或)?(?:及以上|以上|或以上)?\s*(?:学历|学位)?\s*(?:者)?\s*"
    r"(?:优先|更佳|为佳|最佳|加分|更好|is\s+a\s+plus|a\s+plus|preferred|is\s+preferred)")

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = re.compile(r"[零〇一二两三四五六七八九十]+(?=\s*(?:年|个月|月|\+|-|~|至|到|或))")

_Y = r"(?:年|years?|yrs?)"
_N = r"(\d+(?:\.\d+)?)"
_DASH = r"(?:-|~|至|到|\bto\b)"
_RE_RANGE = re.compile(_N + r"\s*" + _Y + r"?\s*" + _DASH + r"\s*" + _N + r"\s*" + _Y)
_RE_PLUS = re.compile(_N + r"\s*(?:\+\s*" + _Y + r"|" + _Y + r"\s*(?:\+|及以上|以上|或以上|或更多|起"
                      r"|or\s+more|and\s+above|and\s+over|plus))")
_RE_ATLEAST = re.compile(r"(?:至少|最少|不少于|不低于|at\s+least|minimum(?:\s+of)?|min\.?)\s*" + _N + r"\s*" + _Y)
_RE_WITHIN = re.compile(_N + r"\s*" + _Y + r"\s*(?:以内|以下|之内|内|or\s+less|and\s+below)")
_RE_UPTO = re.compile(r"(?:不超过|不多于|less\s+than|up\s+to|under)\s*" + _N + r"\s*" + _Y)
_RE_PLAIN = re.compile(_N + r"\s*" + _Y)
_RE_NO_EXP = re.compile(
    r"经验\s*:?\s*(?:不限|无要求|要求不限)|不限经验|无经验要求|无需经验|不需要经验|不要求经验|无需工作经验"
    r"|无工作经验要求|无经验|零经验|零基础|经验无|\bno\s+(?:prior\s+)?experience\b"
    r"|\bexperience\s+not\s+required\b|\bno\s+experience\s+required\b")
_RE_FRESH_NEG = re.compile(r"非应届|不接受应届|不招应届|不要应届|不考虑应届|往届")
_RE_FRESH = re.compile(
    r"应届|校招|校园招聘|在校|在读|实习|毕业生|(?:20)?\d{2}\s*届"
    r"|\bnew\s*grads?\b|\bfresh\s+graduates?\b|\bgraduate\s+program\b|\binternship\b|\binterns?\b|\bcampus\b")


def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()
    for a, b in (("—", "-"), ("–", "-"), ("－", "-"), ("~", "~"), ("’", "'"), ("：", ":")):
        s = s.replace(a, b)
    return s


def _cn_value(run: str) -> str:
    if "十" in run:
        a, _, b = run.partition("十")
        if len(a) > 1 or len(b) > 1 or "十" in b:
            return run
        tens = _CN_DIGIT.get(a, 1) if a else 1
        ones = _CN_DIGIT.get(b, 0) if b else 0
        return str(tens * 10 + ones)
    return "".join(str(_CN_DIGIT[ch]) for ch in run)


def _prep_years(s: str) -> str:
    s = _CN_NUM.sub(lambda m: _cn_value(m.group()), s)
    s = re.sub(r"(\d+(?:\.\d+)?)\s*年半", lambda m: f"{float(m.group(1)) + 0.5:g}年", s)
    s = re.sub(r"(?<![\d.])半年", "0.5年", s)
    s = re.sub(r"(\d+)\s*个?月(?=\s*(?:及?以上|或以上|以内|的?(?:相关|工作)?经验))",
               lambda m: f"{int(m.group(1)) / 12:.2g}年", s)
    s = re.sub(r"(\d+)\s*months?(?=\s+(?:of\s+)?(?:\w+\s+)?experience)",
               lambda m: f"{int(m.group(1)) / 12:.2g} years", s)
    return s


def _years(x: str) -> float | None:
    try:
        v = float(x)
    except ValueError:
        return None
    return v if 0 <= v <= _MAX_YEARS else None


def _experience(s: str) -> tuple[float | None, float | None]:
    t = _prep_years(s)
    m = _RE_RANGE.search(t)
    if m:
        a, b = _years(m.group(1)), _years(m.group(2))
        if a is not None and b is not None:
            return min(a, b), max(a, b)
    for rx in (_RE_WITHIN, _RE_UPTO):
        m = rx.search(t)
        if m and (v := _years(m.group(1))) is not None:
            return 0.0, v
    for rx in (_RE_PLUS, _RE_ATLEAST):
        m = rx.search(t)
        if m and (v := _years(m.group(1))) is not None:
            return v, None
    if _RE_NO_EXP.search(t):
        return 0.0, None
    for m in _RE_PLAIN.finditer(t):
        v = _years(m.group(1))
        if v is not None:
            return v, None
    return None, None


def _education(s: str) -> int | None:
    required: list[int] = []
    for m in _EDU_RE.finditer(s):
        level = _EDU_LEVEL[m.lastgroup or ""]
        if _PREFERRED.match(s, m.end()):
            continue
        required.append(level)
    if required:
        return min(required)
    if _EDU_ANY.search(s):
        return 0
    return None


@lru_cache(maxsize=65536)
def _parse(text: str) -> Requirements | None:
    s = _norm(text[: _MAX_TEXT * 2])[:_MAX_TEXT]
    level = _education(s)
    fresh = bool(_RE_FRESH.search(_RE_FRESH_NEG.sub(" ", s)))
    lo, hi = _experience(s)
    if lo is None and hi is None and fresh:
        lo, hi = 0.0, 0.0
    if level is None and lo is None and hi is None and not fresh:
        return None
    return Requirements(
        education_level=level,
        education=EDUCATION_LEVELS.get(level) if level is not None else None,
        experience_min_years=lo,
        experience_max_years=hi,
        fresh_graduate=fresh,
        raw=text,
    )


def parse_requirements(text: str | None) -> Requirements | None:
    """Parse education / experience requirements; None when the text states neither."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - defensive: a parser must never take a job down
        return None
