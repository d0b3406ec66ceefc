"""Parse the salary strings of job postings into monthly amounts.

Pure Python, standard library only, no I/O.  ``parse_salary`` accepts the
salary field of Chinese boards (BOSS直聘, 智联, 前程无忧, 猎聘, 58同城, 拉勾) and
of English ATS listings (Greenhouse, Lever, Workday, schema.org JobPosting)
and returns a :class:`Salary` whose bounds are **per month, in the currency
that was written** (no exchange conversion), or ``None`` when the text holds
no salary.  See docs/domain.md, section "Indicators": monthly CNY is the
unit, ``·13薪`` is the number of monthly payments a year, 万/年 is annual,
元/天 is multiplied by 21.75 and 元/时 by 174, 面议 is "no salary", not zero.

Conversion to monthly uses :data:`MONTHLY_FACTORS` (year ÷ 12, day × 21.75,
hour × 174, week × 52/12).

Decisions on ambiguous forms (each one is covered by tests/test_salary.py)
-------------------------------------------------------------------------
* **万 without a period is monthly** ("1-1.5万" = 10,000–15,000 a month), the
  Chinese board convention.  So "20-30万" is 200,000–300,000 a month; bounds
  are *not* reinterpreted, but a monthly upper bound above 500,000 or a lower
  bound below 500 (compared in CNY terms, see below) gets the flag
  ``'implausible'`` (likely a unit mistake or an annual figure).
* **Pay columns** (a board's export with numeric minimum / maximum / months columns and no
  pay text, e.g. 最低薪资 / 最高薪资 / 几薪): the importer writes them as the text
  ``"salary_min=150 salary_max=250 salary_months=13"`` (:func:`pay_columns_text`; a missing or
  zero bound is left out) and ``parse_salary`` reads that text with :func:`pay_from_columns`.
  Such columns are labelled monthly, but boards put daily and hourly pay in them without a
  unit (internships "150-250", day jobs "200-", part-time "20-25").  The **larger** bound
  given decides the period (:data:`PAY_COLUMN_PERIODS`): under 15 yuan it is no wage (a piece
  rate, "7-10" per delivered order) → ``None``; under 100 → per hour; under 1,000 → per day;
  otherwise per month.  A non-monthly period is converted with :data:`MONTHLY_FACTORS` (day ×
  21.75, hour × 174) and flagged ``'period_inferred'``.  The larger bound, not the minimum,
  decides because a monthly range may start low ("600-2000" for an apprentice) while no daily
  range in the real exports reaches 1,000.  A bound that is not a number is ignored; "0" is
  "not shown".
* **Shared unit**: a unit written only on one bound ("6-8千", "15-25K",
  "$120-150k") is applied to the other bound when that puts the two bounds
  closer in magnitude; otherwise the bare bound stays as written
  ("8000-1.2万" = 8,000–12,000, "25-15K" = 15,000–25,000 swapped).
* **No period written**: for CNY (and ¥, which is taken as CNY) the period is
  ``'month'``.  For other currencies the period is inferred from the size of
  the amount and the flag ``'period_inferred'`` is set: worth ≥ 140,000 CNY →
  ``'year'`` ("$120k-150k", "€45,000"), worth ≤ 1,500 CNY → ``'hour'``
  ("$25"), otherwise ``'month'`` (no flag).  The CNY worth used here and for
  ``'implausible'`` comes from rough static rates in
  ``_PLAUSIBILITY_CNY_PER_UNIT``; they only classify, amounts are never
  converted.
* **Bare numbers** count as a salary only as a range of plausible monthly
  amounts (both bounds 1,000–500,000, not a span of years like "2019-2023"),
  or next to evidence: a unit (千/k/万/w/百/元/块), a currency, a period
  ("/月", "/天", "per hour"...), an open-bound marker ("8000起", "≥8000",
  "3000以下"; bare amount 500–500,000), or a salary keyword just before it
  ("工资6000", "日薪300").  A bare single number elsewhere in a text that
  mentions 薪/工资 is *not* taken ("薪资面议 世界500强" is negotiable, no
  numbers).  A lone "8000" returns ``None``.
* Amounts need Arabic digits: Chinese numerals are read only in the month
  count ("十三薪"), so "月薪一万" / "年薪百万" return ``None``.
* Piece rates ("100-200元/次", "300元/单", "50元/件", "/课时") have no
  monthly equivalent and are not salaries.
* Numbers that are dates (2023-12-12, 2023/12, 2023.12.12, 2023-12), times
  (9:00-18:00), phone numbers (11 digits, 0-prefixed area codes, 400-820-8820),
  "401(k)" or are followed by a counting word (人, 年, 岁, 天, 个月, 层, %,
  years, employees, million...) are never salaries.
* **·13薪** (also "13薪", "*13薪", "x14薪", "十三薪", "年底双薪" = 13,
  "15k*13" / "15K·13" right after a unit) → ``months_per_year``; for a
  range of months ("13-15薪") the lower one is kept.  Only 12–24 accepted.
  Monthly amounts are unchanged.  A text with only "13薪" and no amount
  returns ``None``.
* **Commission** (提成, 佣金, commission, 计件; not OTE, which is a total):
  flag ``'commission'``.
  A single amount with commission ("底薪4000+提成", "4000+提成",
  "底薪3000，提成另算") is the minimum: upper bound ``None`` with
  ``'open_upper'``.  A range with commission ("底薪3000-5000+提成") keeps its
  bounds.
* "最低5000 最高8000" (a lower-only and an upper-only amount with the same
  period and currency) are merged into one range.
* When several amounts qualify, the one with the strongest evidence wins
  (unit/currency/attached period > keyword or open marker > bare range);
  ties go to the first one.
* **Negotiable** words (面议, 面谈, 协商, 可议, negotiable, DOE, competitive,
  commensurate/depending on experience, TBD) set ``negotiable=True``
  whether or not amounts are present; with no amount the numbers and the
  period are ``None``.
* European thousands dots ("€60.000", "1.200.000") are read as thousands
  when the currency is not CNY (single dot followed by exactly three digits)
  or when there are several dot groups; otherwise the dot is a decimal.
* "起薪5000" / "from $80,000" / "最低5000" = lower bound with open upper;
  "up to £45,000" / "最高2万" = upper bound with open lower.  An open marker
  next to a full range is ignored.
* "8000左右" is a single value when it has other evidence ("月薪8000左右");
  a bare "8000左右", like a bare "8000", returns ``None``.
* Amounts right after an allowance/bonus word (交通补贴300元/月, 餐补,
  全勤奖, 年终奖, signing bonus, relocation...) are not the salary and are
  skipped; "(含绩效)：30-50万" is still read.
* "上不封顶" / "uncapped" with a single amount → open upper.  A "+" followed
  by another amount ("$120k + $20k bonus") is not an open marker.
* Colloquial "6千5" = 6,500, "1万5" = 15,000, "6k5" = 6,500.
* A period keyword that is not attached to the amount ("年薪：30-50万",
  "Hourly: $30") is used when it lies within 40 characters and is not nearer
  to another amount ("15-20k·13薪 (年薪约20-26万)" stays monthly).
* Currency: "$" = USD, "¥"/"￥" = CNY, "CAD $" / "HK$" / "S$" use the code;
  no currency anywhere → CNY.  "DOE" is matched upper-case only.
* Only the first 100 amount-like tokens of a text are examined, which keeps
  the time linear and small on pathological 10,000-character inputs.
* "$35/hr - $45/hr" (a period on each bound) is one range.
* ``raw`` is the input unchanged (bytes are decoded as UTF-8 first).
* ``parse_salary`` never raises: non-str input gives ``None``, and any
  unexpected internal error is turned into ``None``.
  ``parse_salary_uncached`` is the same parser without the cache and without
  that safety net (tests call it so that bugs are not hidden).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MONTHLY_FACTORS",
    "PAY_COLUMN_PERIODS",
    "Salary",
    "parse_salary",
    "parse_salary_uncached",
    "pay_columns_text",
    "pay_from_columns",
]

MONTHLY_FACTORS: dict[str, float] = {
    "month": 1,
    "year": 1 / 12,
    "day": 21.75,
    "hour": 174,
    "week": 52 / 12,
}

# Pay columns labelled monthly (see the module docstring): the period of the larger bound given,
# in yuan, as (below this, period); at or above the last threshold it is monthly pay.
PAY_COLUMN_PERIODS: tuple[tuple[float, str | None], ...] = (
    (15, None),       # no wage: a piece rate ("7-10" yuan an order); under any hourly minimum wage
    (100, "hour"),    # "20-25", "10-20": part-time hourly pay
    (1000, "day"),    # "150-250", "200-": internships and day jobs
)

# Plausibility thresholds, in CNY per month.
_IMPLAUSIBLE_LOW = 500.0
_IMPLAUSIBLE_HIGH = 500_000.0
# Period inference for non-CNY amounts without a period (CNY worth).
_INFER_YEAR_AT = 140_000.0
_INFER_HOUR_AT = 1_500.0
# Rough CNY worth of one unit; used only to classify amounts, never to convert.
_PLAUSIBILITY_CNY_PER_UNIT = {
    "CNY": 1.0, "USD": 7.2, "EUR": 7.8, "GBP": 9.1, "HKD": 0.92,
    "JPY": 0.048, "SGD": 5.3, "AUD": 4.7, "CAD": 5.2, "CHF": 8.1,
    "TWD": 0.22, "INR": 0.086, "KRW": 0.0053, "MYR": 1.5, "NZD": 4.3,
}

_CACHE_MAX_LEN = 512  # longer strings are parsed without the cache
_PERIOD_WINDOW = 40  # a period keyword ("年薪", "hourly") counts within this many chars
_MAX_CANDIDATES = 100  # amounts examined per string (bounds the work on huge inputs)


@dataclass(frozen=True, slots=True)
class Salary:
    min_monthly: float | None
    max_monthly: float | None
    months_per_year: int | None
    period: str | None
    negotiable: bool
    raw: str
    currency: str = "CNY"
    flags: tuple[str, ...] = ()

    @property
    def midpoint_monthly(self) -> float | None:
        lo, hi = self.min_monthly, self.max_monthly
        if lo is None:
            return hi
        if hi is None:
            return lo
        return (lo + hi) / 2


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------
# NFKC already turns full-width forms into ASCII ("－" "～" "，" "：" "＄" "￥").
_TRANSLATE = {ord(c): "-" for c in "‐‑‒–—―−﹘﹣－〜∼～~⁓"}
_TRANSLATE.update({ord("≧"): "≥", ord("≦"): "≤", ord("﹢"): "+"})
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DIGIT = re.compile(r"\d")

# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------
_CUR_PRE = (
    r"(?:(?<![a-z])(?:usd|cad|aud|hkd|sgd|twd|nzd)\s?\$"
    r"|(?:(?<![a-z])(?:us|hk|nt|ca|au|nz|a|c|s))?\$"
    r"|(?<![a-z])(?:usd|hkd|sgd|aud|cad|twd|nzd|rmb|cny|jpy|gbp|eur|chf|inr|myr|krw)(?![a-z])"
    r"|人民币|美元|美金|港币|港元|英镑|欧元|日元|£|€|¥|₹|₩)"
)
_CUR_SUF = (
    r"(?:块钱|块|元|円|人民币|日元|美元|美金|港币|港元|英镑|欧元|新币"
    r"|(?<![a-z])(?:rmb|cny|yuan|usd|hkd|sgd|aud|cad|twd|jpy|gbp|eur|chf|inr|myr|krw"
    r"|dollars?|euros?|pounds?)(?![a-z])"
    r"|€|£|\$|¥)"
)
_MULT = r"(?:百万|千|万|百|k(?![a-z])|w(?![a-z]))"
_NUM = r"(?<![\d.])(?<!\d[:/])\d{1,15}(?:\.\d+)*+(?!\d)(?!:\d)(?!\s*/\s*\d)"
_SEP = r"\s*(?:-+|至|到|(?<![a-z])to(?![a-z])|(?<![a-z])and(?![a-z]))\s*"


def _amount(i: int) -> str:
    return (
        rf"(?:(?P<c{i}>{_CUR_PRE})\s{{0,3}})?"
        rf"(?P<n{i}>{_NUM})"
        rf"(?:\s?(?P<m{i}>{_MULT})(?P<t{i}>[1-9](?![\d.]))?)?"
        rf"(?:\s?(?P<s{i}>{_CUR_SUF}))?"
    )


_GAP_SEP = re.compile(_SEP)
_EXPR = re.compile(_amount(1) + r"(?:" + _SEP + _amount(2) + r")?")

_MULT_VALUE = {"百万": 1e6, "千": 1e3, "万": 1e4, "百": 1e2, "k": 1e3, "w": 1e4}

_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD",
    "dollar": "USD", "dollars": "USD",
    "hk$": "HKD", "hkd": "HKD", "港币": "HKD", "港元": "HKD",
    "s$": "SGD", "sgd": "SGD", "新币": "SGD",
    "a$": "AUD", "au$": "AUD", "aud": "AUD",
    "c$": "CAD", "ca$": "CAD", "cad": "CAD",
    "nt$": "TWD", "twd": "TWD",
    "£": "GBP", "gbp": "GBP", "英镑": "GBP", "pound": "GBP", "pounds": "GBP",
    "€": "EUR", "eur": "EUR", "欧元": "EUR", "euro": "EUR", "euros": "EUR",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "人民币": "CNY",
    "元": "CNY", "块": "CNY", "块钱": "CNY",
    "円": "JPY", "日元": "JPY", "jpy": "JPY",
    "chf": "CHF", "inr": "INR", "₹": "INR", "krw": "KRW", "₩": "KRW",
    "myr": "MYR", "nzd": "NZD", "nz$": "NZD",
}


def _currency_code(tok: str) -> str | None:
    tok = tok.strip()
    code = _CURRENCY_CODES.get(tok)
    if code is None and len(tok) > 1 and tok.endswith("$"):  # "CAD $", "usd$"
        code = _CURRENCY_CODES.get(tok[:-1].strip())
    return code
_CUR_ANY = re.compile(
    r"(?<![a-z])(?:usd|cad|aud|hkd|sgd|twd|nzd)\s?\$"
    r"|(?:(?<![a-z])(?:us|hk|nt|ca|au|nz|a|c|s))?\$"
    r"|(?<![a-z])(?:usd|hkd|sgd|aud|cad|twd|nzd|rmb|cny|jpy|gbp|eur|chf|inr|myr|krw)(?![a-z])"
    r"|人民币|美元|美金|港币|港元|英镑|欧元|日元|円|£|€|¥|₹|₩"
)

# --------------------------------------------------------------------------
# Months per year ("·13薪")
# --------------------------------------------------------------------------
_MONTHS_XIN = re.compile(
    r"(?:[·・•*x×]\s*)?(?<![\d.])(\d{1,2})(?:\s*-\s*(\d{1,2}))?\s*薪"
)
_MONTHS_CN = re.compile(r"(?:[·・•*x×]\s*)?十([二三四五六七八九])薪|二十([一二三四]?)薪")
_MONTHS_DOUBLE = re.compile(r"(?:年底|年终)双薪")
_MONTHS_X = re.compile(
    r"(?<=[k千万w元])(\s*[*x×·・•]\s*(1[2-9]|2[0-4])(?:\s*(?:个月|months?))?)"
    r"(?![\d.])(?!\s*[k千万w元%])"
)
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# --------------------------------------------------------------------------
# Masks: numbers that are never salaries
# --------------------------------------------------------------------------
_MASKS = (  # (substring that must be present, pattern)
    ("401", re.compile(r"(?<!\d)401\s*\(?k\)?")),
    (None, re.compile(r"(?<![\d.])\d++(?:[-/:]\d++){2,}")),  # dates, phones, versions
    (":", re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")),  # times
    (None, re.compile(  # year-month
        r"(?<![\d.])(?:19|20)\d{2}\s*[-/.]\s*(?:0?[1-9]|1[0-2])(?![\d.])"
        r"(?!\s*(?:[k千万w元百]|到|至|to))"
    )),
)

# --------------------------------------------------------------------------
# Context after / before an amount
# --------------------------------------------------------------------------
_P_MONTH = (
    r"/\s*(?:个)?月|/\s*(?:month|mth|mon|mo|m)(?![a-z])|每个?月|一个月"
    r"|(?:per|a|each|every)\s+(?:calendar\s+)?month(?![a-z])|monthly|pcm(?![a-z])|p/m(?![a-z])"
)
_P_YEAR = (
    r"/\s*(?:年|year|yr|annum|a)(?![a-z])|每年"
    r"|(?:per|a|each|every)\s+(?:year|annum|yr)(?![a-z])|annual(?:ly)?(?![a-z])|yearly"
    r"|p\.\s?a\.?|pa(?![a-z])|p/a(?![a-z])"
)
_P_DAY = (
    r"/\s*(?:天|日|工作日|day|d)(?![a-z])|每天|每日|一天"
    r"|(?:per|a|each)\s+day(?![a-z])|daily|p/?d(?![a-z])"
)
_P_HOUR = (
    r"/\s*(?:小时|时|h|hr|hrs|hour)(?![a-z])|每小时|每个?钟头?|一小时|一个小时"
    r"|(?:per|an?|each)\s+(?:hour|hr)(?![a-z])|hourly|p/?h(?![a-z])|p/hr(?![a-z])"
)
_P_WEEK = (
    r"/\s*(?:周|星期|礼拜|week|wk)(?![a-z])|每周|每星期"
    r"|(?:per|a|each)\s+(?:week|wk)(?![a-z])|weekly|p/?w(?![a-z])"
)

_SUFFIX_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<up>及以上|以上|起步|起|\+(?!\s*(?:[\d$£€¥]|rmb|usd))|or\s+(?:more|above|higher)(?![a-z])|and\s+(?:up|above)(?![a-z])"
    r"|更高)"
    r"|(?P<lo>及以下|以下|以内|之内|封顶|or\s+(?:less|below|lower)(?![a-z])|max(?:imum)?(?![a-z]))"
    rf"|(?P<month>{_P_MONTH})|(?P<year>{_P_YEAR})|(?P<day>{_P_DAY})"
    rf"|(?P<hour>{_P_HOUR})|(?P<week>{_P_WEEK})"
    rf"|(?P<cur>{_CUR_SUF})"
    r"|(?P<skip>[()\[\]]|税前|税后|左右|上下|(?:pre|after|before)[-\s]?tax(?![a-z])|gross(?![a-z])"
    r"|approx(?:imately)?\.?)"
    r")"
)

_GLOBAL_PERIOD = re.compile(
    r"(?P<month>月薪|月工资|月收入|月入|月给|月給|月均|月结|/\s*月|/\s*month|per\s+month|a\s+month"
    r"|monthly|pcm(?![a-z]))"
    r"|(?P<year>年薪|年包|年收入?|年入|年俸|年収|/\s*年|/\s*(?:year|yr|annum)|per\s+(?:year|annum)"
    r"|a\s+year|annual(?:ly)?|yearly|p\.\s?a\.)"
    r"|(?P<day>日薪|日工资|日结|日给|日給|/\s*(?:天|日)|/\s*day|per\s+day|a\s+day|daily)"
    r"|(?P<hour>时薪|時給|小时工资|/\s*(?:小时|时)|/\s*(?:hour|hr)|per\s+(?:hour|hr)|an\s+hour|hourly)"
    r"|(?P<week>周薪|周结|/\s*(?:周|星期)|/\s*(?:week|wk)|per\s+week|a\s+week|weekly)"
)

_PREFIX_PERIOD = re.compile(
    r"(?:每个?|一个?)(?P<u>小时|钟头|天|日|月|年|周|星期)[\s:：]*(?:工资|薪资|收入)?[\s:：]*$"
)
_PREFIX_UNIT_PERIOD = {"小时": "hour", "钟头": "hour", "天": "day", "日": "day",
                       "月": "month", "年": "year", "周": "week", "星期": "week"}

_OPEN_TAIL = r"[\s:]*(?:可达|可到|达到|可至|达|为|能到|能达到|可以到)?[\s:]*(?:月薪|工资|薪资|年薪|日薪|时薪|收入)?[\s:]*$"
_PREFIX_OPEN_LO = re.compile(
    r"(?:最高|最多|不超过|不高于|至多|上限|封顶|≤|<=|<|(?<![a-z])up\s*to|(?<![a-z])max(?:imum)?"
    r"|(?<![a-z])under|(?<![a-z])below|less\s+than|no\s+more\s+than)" + _OPEN_TAIL
)
_PREFIX_OPEN_UP = re.compile(
    r"(?:最低|最少|不低于|不少于|至少|起薪|保底|起步价|≥|>=|(?<![a-z/'\"])>|(?<![a-z])from|(?<![a-z])min(?:imum)?"
    r"|at\s+least|starting\s+(?:at|from)|starts?\s+(?:at|from)|(?<![a-z])over|(?<![a-z])above"
    r"|more\s+than|in\s+excess\s+of|no\s+less\s+than)" + _OPEN_TAIL
)
_PREFIX_KEYWORD = re.compile(
    r"(?:薪|工资|待遇|收入|报酬|酬劳|月入|年入|日结|周结|保底|提成|给|給|収"
    r"|(?<![a-z])(?:salary|pay|wages?|compensation|comp|rate|ote|base|income|earnings?|stipend)(?![a-z]))"
    r"[^\d]{0,10}$"
)
_PREFIX_ALLOWANCE = re.compile(  # amounts that are not the salary itself
    r"(?:补贴|补助|津贴|奖金|全勤奖?|满勤奖?|餐补|房补|话补|车补|饭补|交通费|押金|培训费|服装费|体检费"
    r"|定金|报销|年终奖|加班费|餐费|房租|租金|bonus|allowance|relocation|signing|sign-on"
    r"|equity|stock|deposit|fee|tips?(?![a-z]))[^\d)\]]{0,4}$"
)
_KEYWORD_ANY = re.compile(
    r"薪|工资|待遇|收入|报酬|酬劳|月入|年入|給|salary|(?<![a-z])pay(?![a-z])|wage|compensation|stipend"
)
_COMMISSION = re.compile(r"提成|佣金|计件|commission")
_NEGOTIABLE = re.compile(
    r"面议|面谈|协商|商议|待议|可议|另议|negotiable|negotiate|competitive|commensurate"
    r"|(?:depending|dependent|based)\s+(?:up)?on\s+(?:experience|qualifications?)"
    r"|(?<![a-z])d\.o\.e(?![a-z])|(?<![a-z])tb[da](?![a-z])|to\s+be\s+(?:discussed|negotiated|agreed)"
)
_UNCAPPED = re.compile(r"不封顶|上不封顶|uncapped|no\s+cap")
_FEATURES = re.compile(  # one pass over the text for the text-wide features
    rf"(?P<neg>{_NEGOTIABLE.pattern})|(?P<comm>{_COMMISSION.pattern})"
    rf"|(?P<unc>{_UNCAPPED.pattern})|(?P<kw>{_KEYWORD_ANY.pattern})|(?P<cur>{_CUR_ANY.pattern})"
)
_DOE = re.compile(r"(?<![A-Za-z])DOE(?![A-Za-z])")

_BLOCK_CN = re.compile(
    r"人|名|位|个|岁|周岁|年(?!薪|包|收|入|终|底)|月(?!薪|给|収|收|入)|日(?!薪|给|结|工资)|号|天|小时|分钟|次|平|米"
    r"|公里|公斤|斤|%|楼|层|室|栋|届|级|家|套|间|台|件|倍|条|张|强|所|项|期|周(?!薪|结)|星期|辆"
    r"|亿|薪|份|场|单|篇|本|节|课|颗|只|头|辆|吨|万人|千人"
)
_PIECE_RATE = re.compile(r"\s*/\s*(?:次|单|件|人|个|份|位|节|课时?|篇|张|条|套|piece|item|visit|session)")
_BLOCK_EN = re.compile(
    r"\s*(?:years?|yrs?|months?|mos|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|people|persons?"
    r"|employees?|staff|members?|positions?|openings?|roles?|students?|percent|miles?|km|kg|lbs?"
    r"|sq|ft|million|mn|bn|billion|m|b|h|x|g|gb|tb|mb|ghz|mhz|times|seats?|users?|customers?"
    r"|clients?|countries|offices?|locations?|stores?)(?![a-z])"
)

_PERIOD_GROUPS = ("month", "year", "day", "hour", "week")


def _to_number(tok: str, foreign: bool, has_mult: bool) -> float | None:
    int_part, dot, frac = tok.partition(".")
    if len(int_part) > 1 and int_part[0] == "0":
        return None  # area codes, ids
    if dot:
        parts = tok.split(".")
        if len(parts) > 2:
            if (not has_mult and 1 <= len(parts[0]) <= 3
                    and all(len(p) == 3 for p in parts[1:])):
                return float("".join(parts))
            return None
        if foreign and not has_mult and len(frac) == 3 and 1 <= len(int_part) <= 3:
            return float(int_part + frac)
    if len(int_part) > 9:
        return None
    value = float(tok)
    if not math.isfinite(value):
        return None
    return value


def _closer(base: float, a: float, b: float) -> bool:
    """True when *a* is closer in magnitude to *base* than *b* is."""
    if base <= 0 or a <= 0 or b <= 0:
        return True
    return abs(math.log(a / base)) <= abs(math.log(b / base))


class _Cand:
    __slots__ = ("start", "end", "lo", "hi", "currency", "period", "score",
                 "open_lo", "open_up", "single", "bare")

    def __init__(self) -> None:
        self.start = 0
        self.end = 0
        self.lo: float | None = None
        self.hi: float | None = None
        self.currency: str | None = None
        self.period: str | None = None
        self.score = 0
        self.open_lo = False
        self.open_up = False
        self.single = False
        self.bare = True


def _is_year_pair(a: float, b: float) -> bool:
    return 1900 <= a <= 2100 and 1900 <= b <= 2100 and a.is_integer() and b.is_integer()


def _evaluate(m: re.Match, s: str, has_keyword: bool, has_currency: bool) -> _Cand | None:
    start = m.start()
    n1, m1, c1, s1 = m.group("n1", "m1", "c1", "s1")
    n2, m2, c2, s2 = m.group("n2", "m2", "c2", "s2")
    num_start = m.start("n1")
    if not c1 and num_start > 0 and "a" <= s[num_start - 1] <= "z":
        return None  # "python3", "t3", "h5"
    currency = None
    for tok in (c1, s1, c2, s2):
        if tok:
            currency = _currency_code(tok)
            if currency:
                break
    foreign = currency is not None and currency != "CNY"
    v1 = _to_number(n1, foreign, bool(m1))
    if v1 is None:
        return None
    v2 = None
    if n2 is not None:
        v2 = _to_number(n2, foreign, bool(m2))
        if v2 is None:
            return None
    mult1 = _MULT_VALUE[m1] if m1 else None
    mult2 = _MULT_VALUE[m2] if m2 else None
    # Colloquial trailing digit: "6千5" = 6,500, "1万2" = 12,000, "6k5" = 6,500.
    t1, t2 = m.group("t1", "t2")
    extra1 = int(t1) * mult1 / 10 if t1 and mult1 and mult1 >= 1000 else 0.0
    extra2 = int(t2) * mult2 / 10 if t2 and mult2 and mult2 >= 1000 else 0.0
    if v2 is None:
        lo = v1 * (mult1 or 1) + extra1
        hi = lo
    else:
        if mult1 and not mult2:
            a = v1 * mult1 + extra1
            lo, hi = a, (v2 * mult1 if _closer(a, v2 * mult1, v2) else v2)
        elif mult2 and not mult1:
            b = v2 * mult2 + extra2
            lo, hi = (v1 * mult2 if _closer(b, v1 * mult2, v1) else v1), b
        else:
            lo, hi = v1 * (mult1 or 1) + extra1, v2 * (mult2 or 1) + extra2
    end = m.end()
    # A counting word right after the amount: not a salary.
    if _BLOCK_CN.match(s, end) or _BLOCK_EN.match(s, end) or _PIECE_RATE.match(s, end):
        return None  # "3-5年", "500强", "5 years", piece rates "100元/次"

    cand = _Cand()
    cand.start, cand.lo, cand.hi, cand.currency = start, lo, hi, currency
    cand.single = v2 is None
    has_unit = bool(m1 or m2)
    has_cur = bool(c1 or s1 or c2 or s2)
    cand.bare = not (has_unit or has_cur)

    # ---- after the amount
    pos = end
    open_up = open_lo = False
    period = None
    consumed_any = False
    for _ in range(6):
        t = _SUFFIX_TOKEN.match(s, pos)
        if t is None:
            break
        kind = t.lastgroup
        consumed_any = True
        pos = t.end()
        if kind == "up":
            open_up = True
        elif kind == "lo":
            open_lo = True
        elif kind == "cur":
            if currency is None:
                currency = _currency_code(t.group("cur"))
                cand.currency = currency
            has_cur = True
        elif kind in _PERIOD_GROUPS:
            if period is None:
                period = kind
    if not consumed_any and end < len(s) and "a" <= s[end] <= "z":
        return None  # "5g", "3d", "8kpi"
    if pos != end and period is None and cand.bare and _BLOCK_EN.match(s, pos):
        return None  # "5+ years"
    cand.end = pos

    # ---- before the amount
    prefix_keyword = False
    pre = s[max(0, start - 24):start].lstrip() if start else ""
    if pre:
        if _PREFIX_ALLOWANCE.search(pre):
            return None  # "交通补贴300元/月", "signing bonus $10,000"
        if cand.single:
            if _PREFIX_OPEN_LO.search(pre):
                open_lo = True
            elif _PREFIX_OPEN_UP.search(pre):
                open_up = True
        if period is None:
            pp = _PREFIX_PERIOD.search(pre)
            if pp:
                period = _PREFIX_UNIT_PERIOD[pp.group("u")]
        if not (has_unit or has_cur or period is not None):
            prefix_keyword = bool(_PREFIX_KEYWORD.search(pre))
    cand.period = period

    if cand.single:
        if open_lo and not open_up:
            cand.open_lo = True
            cand.lo = None
        elif open_up and not open_lo:
            cand.open_up = True
            cand.hi = None

    # ---- evidence
    if has_unit or has_cur or period is not None:
        score = 3
    elif prefix_keyword:
        score = 2
    elif cand.open_lo or cand.open_up:
        value = cand.lo if cand.lo is not None else cand.hi
        score = 2 if value is not None and 500 <= value <= 500_000 else 0
    elif not cand.single:
        if 1000 <= min(lo, hi) and max(lo, hi) <= 500_000 and not _is_year_pair(lo, hi):
            score = 1
        elif has_keyword or has_currency:
            score = 1
        else:
            score = 0
    else:
        score = 0
    if score == 0:
        return None
    cand.score = score
    return cand


def _extract_months(s: str) -> tuple[int | None, str]:
    months: int | None = None

    def take(n: int) -> bool:
        nonlocal months
        if 12 <= n <= 24:
            if months is None:
                months = n
            return True
        return False

    def xin(mt: re.Match) -> str:
        a = int(mt.group(1))
        b = mt.group(2)
        ok = take(a)
        if b is not None and not ok:
            ok = take(int(b))
        return "#" if ok else mt.group(0)

    def cn(mt: re.Match) -> str:
        if mt.group(1):
            take(10 + _CN_DIGIT[mt.group(1)])
        else:
            take(20 + (_CN_DIGIT[mt.group(2)] if mt.group(2) else 0))
        return "#"

    def dbl(mt: re.Match) -> str:
        take(13)
        return "#"

    def xmul(mt: re.Match) -> str:
        take(int(mt.group(2)))
        return " "

    if "薪" in s:
        s = _MONTHS_XIN.sub(xin, s)
        s = _MONTHS_CN.sub(cn, s)
        s = _MONTHS_DOUBLE.sub(dbl, s)
    s = _MONTHS_X.sub(xmul, s)
    return months, s


def _distance(a: int, b: int, cand: _Cand) -> float:
    if b <= cand.start:
        return cand.start - b
    if a >= cand.end:
        return a - cand.end + 0.5  # prefer a preceding keyword on ties
    return 0


def _nearest_period(periods: list[tuple[int, int, str]], cand: _Cand,
                    cands: list[_Cand]) -> str | None:
    """The period keyword nearest to *cand* among those not nearer to another
    amount ("15-20k·13薪 (年薪约20-26万)": 年薪 belongs to the second one)."""
    best = None
    best_d = None
    for a, b, kind in periods:
        d = _distance(a, b, cand)
        if any(o is not cand and _distance(a, b, o) < d for o in cands):
            continue
        if best_d is None or d < best_d:
            best, best_d = kind, d
    return best


# --------------------------------------------------------------------------
# Pay columns: numeric bounds from columns a board labels monthly
# --------------------------------------------------------------------------
_PAY_COLUMNS = re.compile(
    r"\s*(?:salary_min=(?P<min>[^\s=]+))?\s*(?:salary_max=(?P<max>[^\s=]+))?"
    r"\s*(?:salary_months=(?P<months>[^\s=]+))?\s*"
)


def _column_number(value: object) -> float | None:
    """A positive finite number from a pay column ("4000.00", 4000, "4,000"), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, (int, float)) else float(str(value).strip().replace(",", ""))
    except (ValueError, OverflowError):  # "面议"; an int too large for a float
        return None
    return number if math.isfinite(number) and number > 0 else None


def pay_columns_text(minimum: object, maximum: object, months: object = None) -> str | None:
    """The salary text an import writes for numeric pay columns, numbers as written:
    ``pay_columns_text("150", "250", "")`` → ``"salary_min=150 salary_max=250"``. None when
    neither bound is a positive number (a board's "0"/"0" means no pay shown)."""
    if _column_number(minimum) is None and _column_number(maximum) is None:
        return None
    parts = []
    for name, value in (("salary_min", minimum), ("salary_max", maximum), ("salary_months", months)):
        text = "" if value is None else str(value).strip()
        if text and "=" not in text and not any(c.isspace() for c in text) and (
                name == "salary_months" or _column_number(text) is not None):
            parts.append(f"{name}={text}")
    return " ".join(parts)


def _column_period(reference: float) -> tuple[bool, str]:
    """(is a wage, period) of pay columns whose larger bound is ``reference`` yuan."""
    for below, period in PAY_COLUMN_PERIODS:
        if reference < below:
            return period is not None, period or ""
    return True, "month"


def pay_from_columns(minimum: object, maximum: object, months: object = None,
                     raw: str | None = None) -> Salary | None:
    """Pay from a board's numeric minimum / maximum / months columns, labelled monthly but
    holding daily or hourly pay when small (the rule: :data:`PAY_COLUMN_PERIODS`, module
    docstring). ``pay_from_columns("150", "250")`` is 150–250 a day: 3,262.5–5,437.5 a month,
    period ``'day'``, flag ``'period_inferred'``. None when no bound is a positive number or the
    larger bound is no wage. Never raises."""
    lo, hi = _column_number(minimum), _column_number(maximum)
    if lo is None and hi is None:
        return None
    flags: list[str] = []
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
        flags.append("swapped_bounds")
    is_wage, period = _column_period(max(b for b in (lo, hi) if b is not None))
    if not is_wage:
        return None
    if lo is None:
        flags.append("open_lower")
    if hi is None:
        flags.append("open_upper")
    if lo is not None and lo == hi:
        flags.append("single_value")
    if period != "month":
        flags.append("period_inferred")
    count = _column_number(months)
    months_per_year = int(count) if count is not None and count.is_integer() and 12 <= count <= 24 else None
    factor = MONTHLY_FACTORS[period]
    lo_m = lo * factor if lo is not None else None
    hi_m = hi * factor if hi is not None else None
    if (lo_m is not None and lo_m < _IMPLAUSIBLE_LOW) or (hi_m is not None and hi_m > _IMPLAUSIBLE_HIGH):
        flags.append("implausible")
    if raw is None:
        raw = pay_columns_text(minimum, maximum, months) or ""
    return Salary(lo_m, hi_m, months_per_year, period, False, raw, "CNY", tuple(flags))


def _parse_core(text: str) -> Salary | None:
    """Parse *text* (a str).  Pure, uncached, may raise on internal bugs."""
    if not text or text.isspace():
        return None
    if "salary_m" in text:
        columns = _PAY_COLUMNS.fullmatch(text)
        if columns and (columns["min"] or columns["max"]):
            return pay_from_columns(columns["min"], columns["max"], columns["months"], raw=text)
    s0 = unicodedata.normalize("NFKC", text)
    s = s0.translate(_TRANSLATE).lower()
    if "," in s:
        s = _THOUSANDS_COMMA.sub("", s)
    months, s = _extract_months(s)
    negotiable = commission = uncapped = has_keyword = False
    global_cur = None
    for f in _FEATURES.finditer(s):
        kind = f.lastgroup
        if kind == "neg":
            negotiable = True
        elif kind == "kw":
            has_keyword = True
        elif kind == "cur":
            if global_cur is None:
                global_cur = f.group("cur")
        elif kind == "comm":
            commission = True
        else:
            uncapped = True
    if not negotiable and "DOE" in s0 and _DOE.search(s0):
        negotiable = True

    cands: list[_Cand] = []
    if _DIGIT.search(s):
        for trigger, mask in _MASKS:
            if trigger is None or trigger in s:
                s = mask.sub("#", s)
        for i, m in enumerate(_EXPR.finditer(s)):
            if i >= _MAX_CANDIDATES:
                break
            c = _evaluate(m, s, has_keyword, global_cur is not None)
            if c is not None:
                cands.append(c)

    default_currency = "CNY"
    if global_cur:
        default_currency = _currency_code(global_cur) or "CNY"

    if not cands:
        if negotiable:
            return Salary(None, None, months, None, True, text, default_currency, ())
        return None

    best = cands[0]
    for c in cands[1:]:
        if c.score > best.score:
            best = c
    currency = best.currency or default_currency
    lo, hi = best.lo, best.hi
    single = best.single and not (best.open_lo or best.open_up)

    # "$35/hr - $45/hr": two single amounts joined by a separator.
    idx = cands.index(best)
    if single and idx + 1 < len(cands):
        c = cands[idx + 1]
        if (c.single and not (c.open_lo or c.open_up)
                and _GAP_SEP.fullmatch(s, best.end, c.start)
                and (c.currency or currency) == currency
                and (c.period is None or c.period == best.period)):
            hi = c.hi
            single = False
    # "最低5000 最高8000": merge a lower-only and an upper-only amount.
    if best.open_lo or best.open_up:
        for c in cands:
            if c is best or (c.currency or default_currency) != currency or c.period != best.period:
                continue
            if best.open_up and c.open_lo and c.hi is not None and lo is not None:
                hi = c.hi
                break
            if best.open_lo and c.open_up and c.lo is not None and hi is not None:
                lo = c.lo
                break

    period = best.period
    if period is None:
        lo_pos = max(0, best.start - _PERIOD_WINDOW)
        periods = [(pm.start(), pm.end(), pm.lastgroup)
                   for pm in _GLOBAL_PERIOD.finditer(s, lo_pos, best.end + _PERIOD_WINDOW)]
        if periods:
            period = _nearest_period(periods, best, cands)
    rate = _PLAUSIBILITY_CNY_PER_UNIT.get(currency, 1.0)
    inferred = False
    if period is None:
        period = "month"
        if currency != "CNY":
            ref = hi if hi is not None else lo
            if ref is not None:
                worth = ref * rate
                if worth >= _INFER_YEAR_AT:
                    period = "year"
                    inferred = True
                elif worth <= _INFER_HOUR_AT:
                    period = "hour"
                    inferred = True

    swapped = False
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
        swapped = True

    if single and (commission or uncapped):
        hi = None  # "底薪4000+提成", "底薪5000 上不封顶": the amount is a minimum
        single = False
    flags = ["swapped_bounds"] if swapped else []
    if lo is None:
        flags.append("open_lower")
    if hi is None:
        flags.append("open_upper")
    if single:
        flags.append("single_value")
    if commission:
        flags.append("commission")
    if inferred:
        flags.append("period_inferred")

    factor = MONTHLY_FACTORS[period]
    lo_m = lo * factor if lo is not None else None
    hi_m = hi * factor if hi is not None else None
    if (lo_m is not None and lo_m * rate < _IMPLAUSIBLE_LOW) or (
        hi_m is not None and hi_m * rate > _IMPLAUSIBLE_HIGH
    ):
        flags.append("implausible")
    return Salary(lo_m, hi_m, months, period, negotiable, text, currency, tuple(flags))


_parse_cached = lru_cache(maxsize=65536)(_parse_core)


def _coerce(text: object) -> str | None:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", "replace")
    return None


def parse_salary_uncached(text: str | None) -> Salary | None:
    """Same as :func:`parse_salary` but without the cache and without the
    exception safety net (for tests and benchmarks)."""
    t = _coerce(text)
    if t is None:
        return None
    return _parse_core(t)


def parse_salary(text: str | None) -> Salary | None:
    """Parse a salary string; ``None`` when it holds no salary.  Never raises."""
    try:
        t = _coerce(text)
        if t is None:
            return None
        if len(t) <= _CACHE_MAX_LEN:
            return _parse_cached(t)
        return _parse_core(t)
    except Exception:  # pragma: no cover - safety net, see module docstring
        return None
