"""Normalise the free-text work place of a job posting.

``parse_place("北京·海淀区·中关村")`` ->
``Place(province='北京市', city='北京市', district='海淀区', district_code='110108',
zone='中心城区', functional_area='中关村', remote=False, raw=..., flags=(), unparsed=None)``

Reference data (loaded lazily, once):

* China's administrative divisions as the statistics bureau coded them on 2022-10-31, read
  by ``gazetteer.py``: ``data/divisions.csv`` (provinces, cities, the 2,978 county-level
  divisions with short names and pinyin -- 深圳 龙华区, 成都 郫都区, 杭州 临平区 ...),
  ``data/divisions_extra.csv`` (Hong Kong, Macao, Taiwan) and ``data/streets.csv`` (the
  街道 / 镇 / 乡).  ``tools/build_divisions.py`` builds them.  The bureau also counts some
  development zones as county-level units (苏州工业园区, 济南高新技术产业开发区 ->
  "济南-高新区"); they are districts here.  Nothing in this module names a particular city,
  except the two small tables below.
* ``data/functional_areas.csv`` – work areas that postings name (中关村, 亦庄, 望京 ...):
  ``name, aliases ('|'-separated), city, district, standalone``.  ``standalone=1`` means
  the name alone places the posting (望京 is always Beijing); ``0`` means the name is
  generic (科技园, 经开区, 学院路, 永丰 ...) and is only recognised when the text or
  ``default_city`` already puts the posting in that city.
* ``_ZONES`` – Beijing's four planning zones (the domain's "Place" dimension).
* ``HOME_CITIES`` – the monitor's own market(s); used only to break ties, see below.

How text is read
----------------
The text is NFKC-normalised (full-width -> half-width) and lower-cased, then scanned
left to right for the longest known name at each position (province/city/district full
and short names, functional-area aliases; latin words are looked up as pinyin, so
"Beijing Haidian" works).  Every mention keeps all places it could denote.  Each
candidate is scored by how many *other* mentions agree with it (same city, or one
contains the other; ``default_city`` counts half a mention).  So "南通通州" is Nantong's
通州区, "北京通州" is Beijing's, "辽宁朝阳" is 辽宁省朝阳市, "朝阳区, 长春" is Changchun's.

Ambiguous names (decision)
--------------------------
A name that still denotes several places after scoring is resolved, in this order, to

1. the candidate that contains all the others (吉林 -> 吉林省, which holds 吉林市);
2. when ``default_city`` is None: the candidate in a ``HOME_CITIES`` market, flagged
   ``'ambiguous'`` (bare "朝阳" / "朝阳区" / "通州" -> Beijing's district, flagged; a
   generic functional-area name of the home market with no context -- "临空经济区",
   "经开区", "永丰" -- is read the same way and flagged);
   with a ``default_city`` the scoring step has already preferred that city's district
   (no flag), and a home-market tie-break is *not* applied when the caller named
   another city;
3. the only province/city among district-level namesakes (西安 -> 西安市, not 西安区;
   flagged ``'ambiguous'`` only when a home-market district was passed over, e.g.
   "朝阳" with ``default_city='上海市'`` -> 辽宁省朝阳市, flagged);
4. otherwise nothing: the place is left unresolved and flagged ``'ambiguous'``
   (bare "鼓楼区" exists in four cities).

A district name that several cities have (龙华区: 深圳 and 海口) is resolved by the city
around it, or by ``default_city``; bare and without one it is left open (rule 4).

Streets (街道 / 镇 / 乡)
-----------------------
When the text names a city but no district (or names nothing and ``default_city`` gives
the city), the 街道 / 镇 / 乡 of that city are looked for in what the text has left: a full
name anywhere ("广州市石楼镇"), a short name only as a piece of its own ("深圳·民治",
"济南 姚家", "云城街").  It gives the district when all the streets found lie in one
district; when a name is in several districts of the city (湛江 海滨街道) the district stays
open and the place is flagged ``'ambiguous'``.  A district or functional area named in the
text always wins, so streets never move a Beijing posting; names that are not official
街道 (西二旗) are functional areas or nothing.  A short name that is a road (南京西路) is
not a street's.

What stays unparsed
-------------------
``Place.unparsed`` keeps the words of the text that placed nothing (building and road
names, zones that are no division, former districts such as 江干区).  ``district_gap``
says why a text gives no district (``GAP_REASONS``: ``no_place``, ``ambiguous``,
``not_recognised``, ``no_district_named``) and ``unparsed_places`` lists the most
frequent such texts, for an operator or a benchmark.

Several places
--------------
The primary place is built around the first explicit province/city mention (or the
first mention when there is none); other mentions in the same city refine it.  A
different city named elsewhere ("北京/上海/深圳") sets ``'multiple_cities'`` (the first
one is kept).  A city-level short name that comes after the district inside the same
address ("北京市朝阳区东方东路") is street noise and ignored.

Flags: ``'multiple_cities'``, ``'multiple_districts'``, ``'ambiguous'``,
``'other_region'`` (异地招聘), ``'nationwide'`` (全国 / 不限 with no place),
``'overseas'`` (海外 / 境外), ``'area_outside_district'`` (the named functional area
lies in another district than the one stated).

``parse_place`` returns None when the text carries no place information at all
("", "面议", "12345"), never raises, and is memoised (job-board strings repeat).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .gazetteer import Division, divisions
from .gazetteer import streets as gazetteer_streets

__all__ = ["Place", "parse_place", "district_gap", "unparsed_places", "UnparsedPlace", "GAP_REASONS",
           "HOME_CITIES"]


@dataclass(frozen=True, slots=True)
class Place:
    province: str | None
    city: str | None
    district: str | None
    district_code: str | None
    zone: str | None
    functional_area: str | None
    remote: bool
    raw: str
    flags: tuple[str, ...] = ()
    unparsed: str | None = None   # the text's words that named no place ("天安科技创业园a座2楼")


# Beijing's planning zones (城市总体规划 2016-2035).  Keyed by city, so another market can
# be added without touching the code.
_ZONES: dict[str, dict[str, tuple[str, ...]]] = {
    "北京市": {
        "中心城区": ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区"),
        "城市副中心": ("通州区",),
        "平原新城": ("顺义区", "大兴区", "昌平区", "房山区"),
        "生态涵养区": ("门头沟区", "平谷区", "怀柔区", "密云区", "延庆区"),
    },
}

# The monitor's own market(s).  Only used as a last tie-break for a bare name that
# exists in several cities when the caller gave no ``default_city``.
HOME_CITIES: tuple[str, ...] = ("北京市",)

# Latin names that are not (or wrongly) in divisions.csv's pinyin column.
_EXONYMS = {
    "peking": "北京市",
    "chongqing": "重庆市",
    "hongkong": "香港特别行政区",
    "macao": "澳门特别行政区",
}

# Short names that are ordinary words rather than place names: recognised only next to
# their city ("兰州城关"); the full name (城关区) always matches.
_SHORT_STOP = frozenset({"城区", "矿区", "郊区", "新区", "市中", "城中", "城关", "中心"})

_MAX_TEXT = 1000      # characters of a place string that are looked at
_MAX_MENTIONS = 24    # mentions considered per string

_MULTI_SEP = frozenset("/、,;|\n")

_RE_REMOTE = re.compile(r"远程|在家办公|居家办公|线上办公|云办公|remote|work\s*from\s*home|\bwfh\b|home\s*office")
_RE_NATION = re.compile(r"全国|各地|nationwide|anywhere")
_RE_ANY = re.compile(r"不限|任意|any\s*location")
_RE_OTHER = re.compile(r"异地")
_RE_OVERSEAS = re.compile(r"海外|国外|境外|overseas|abroad")
_RE_ROAD = re.compile(r"[东西南北中]?(?:路|大街|街|大道|巷|胡同)")
_RE_LATIN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_RE_NOISE = re.compile(r"中国大陆|中国|邮编[:：]?\s*\d{6}")   # words that never place anything
# a development zone the statistics bureau does not count as a division: a known kind of place,
# not an unrecognised word, though it gives no district (宁波·高新区, 潍坊·高新技术开发区)
_RE_ZONE_WORD = re.compile(r"(?:高新技术产业|高新技术|新技术产业|经济技术|经济)开发区|高新园区|高新区|经开区")
_RE_SPLIT = re.compile(r"[\W_]+")
_MAX_LEFTOVER = 80

_PROVINCE, _CITY, _DISTRICT, _AREA = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class _Unit:
    code: str
    name: str
    level: int                    # _PROVINCE / _CITY / _DISTRICT
    path: tuple[str, ...]         # codes from province down to this unit
    city_key: tuple[str, ...]     # path down to the city (or the province when none)
    province: str
    city: str | None
    city_like: bool               # province-level unit that is itself a city (北京市)


@dataclass(frozen=True, slots=True)
class _Area:
    name: str
    unit: _Unit                   # the district (or city) it lies in
    standalone: bool

    @property
    def path(self) -> tuple[str, ...]:
        return self.unit.path + ("fa:" + self.name,)

    @property
    def city_key(self) -> tuple[str, ...]:
        return self.unit.city_key

    level = _AREA


@dataclass(frozen=True, slots=True)
class _Cand:
    obj: _Unit | _Area
    needs_support: bool           # only valid when the context supports it


@dataclass(slots=True)
class _Gaz:
    lex: dict[str, tuple[_Cand, ...]]
    prefix: dict[str, tuple[int, ...]]
    pinyin: dict[str, tuple[_Cand, ...]]
    by_code: dict[str, _Unit]
    by_name: dict[str, tuple[_Unit, ...]]
    zone_of: dict[tuple[str, str], str]
    home: tuple[_Unit, ...]
    streets: dict[tuple[str, ...], "_StreetIndex"]


@dataclass(slots=True)
class _StreetIndex:
    """The 街道 / 镇 / 乡 of one city: full names anywhere, short names (民治) only as a piece."""
    full: dict[str, set[_Unit]]
    short: dict[str, set[_Unit]]
    lengths: tuple[int, ...]


def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.lower()
    for a, b in (("·", "·"), ("•", "·"), ("・", "·"), ("‧", "·"), ("—", "-"), ("–", "-"), ("’", "'")):
        s = s.replace(a, b)
    return s


def _is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _read_data(name: str) -> list[dict[str, str]]:
    raw = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw)))


@lru_cache(maxsize=1)
def _gaz() -> _Gaz:
    by_code: dict[str, _Unit] = {}
    units: list[tuple[_Unit, Division]] = []
    for d in divisions():               # parents come before their children
        if d.level == "province":
            city_like = d.name.endswith(("市", "特别行政区"))
            u = _Unit(d.code, d.name, _PROVINCE, (d.code,), (d.code,), d.name,
                      d.name if city_like else None, city_like)
        else:
            par = by_code.get(d.parent or "")
            if par is None:
                continue
            if d.level == "city" and par.level == _PROVINCE:
                # a prefecture city, or a county-level city the province governs (仙桃市)
                u = _Unit(d.code, d.name, _CITY, (par.code, d.code), (par.code, d.code), par.name, d.name, False)
            elif d.level == "county" and par.level == _PROVINCE and par.city_like:
                # a municipality's district: its city is the province-level city
                u = _Unit(d.code, d.name, _DISTRICT, (par.code, d.code), (par.code,), par.name, par.name, False)
            elif d.level == "county" and par.level == _CITY:
                u = _Unit(d.code, d.name, _DISTRICT, par.path + (d.code,), par.path, par.province, par.name, False)
            else:
                continue
        by_code[u.code] = u
        units.append((u, d))

    lex: dict[str, list[_Cand]] = {}
    pinyin: dict[str, list[_Cand]] = {}

    def add(d: dict[str, list[_Cand]], key: str, cand: _Cand) -> None:
        key = _norm(key).strip()
        if len(key) < 2:
            return
        lst = d.setdefault(key, [])
        if all(c.obj is not cand.obj for c in lst):
            lst.append(cand)

    by_name: dict[str, list[_Unit]] = {}
    for u, d in units:
        add(lex, u.name, _Cand(u, False))
        by_name.setdefault(u.name, []).append(u)
        if d.short != u.name and _is_subsequence(d.short, u.name):
            add(lex, d.short, _Cand(u, d.short in _SHORT_STOP))
            by_name.setdefault(d.short, []).append(u)
        for alias in d.aliases:             # 济南高新区
            add(lex, alias, _Cand(u, False))
        for alias in d.context_aliases:     # 高新区, only inside its city
            add(lex, alias, _Cand(u, True))
        py = re.sub(r"[^a-z]", "", d.pinyin)
        if len(py) >= 3:
            # a county's pinyin is too often an English word (mile, dean, saga ...):
            # accept it only with support from the rest of the text
            county = u.level == _DISTRICT and len(u.path) == 3
            add(pinyin, py, _Cand(u, county))
    for py, name in _EXONYMS.items():
        for u in by_name.get(name, ()):
            add(pinyin, py, _Cand(u, False))

    # functional areas
    for r in _read_data("functional_areas.csv"):
        name = (r.get("name") or "").strip()
        city = _find_unit(by_name, (r.get("city") or "").strip(), None)
        if not name or city is None:
            continue
        unit = _find_unit(by_name, (r.get("district") or "").strip(), city) or city
        area = _Area(name, unit, (r.get("standalone") or "1").strip() != "0")
        keys = [name] + [a for a in (r.get("aliases") or "").split("|") if a.strip()]
        for k in keys:
            add(lex, k.strip(), _Cand(area, not area.standalone))

    # 街道 / 镇 / 乡 by city: name -> the districts holding one of that name
    streets: dict[tuple[str, ...], _StreetIndex] = {}
    for st in gazetteer_streets():
        u = by_code.get(st.parent)
        if u is None or u.level != _DISTRICT:
            continue                    # a city without districts (东莞): nothing to resolve
        idx = streets.get(u.city_key)
        if idx is None:
            idx = streets[u.city_key] = _StreetIndex({}, {}, ())
        idx.full.setdefault(_norm(st.name), set()).add(u)
        if len(st.short) >= 2 and st.short not in _SHORT_STOP:
            idx.short.setdefault(_norm(st.short), set()).add(u)
    for idx in streets.values():
        idx.lengths = tuple(sorted({len(k) for k in idx.full} | {len(k) for k in idx.short}, reverse=True))

    frozen = {k: tuple(v) for k, v in lex.items()}
    prefix: dict[str, set[int]] = {}
    for k in frozen:
        prefix.setdefault(k[:2], set()).add(len(k))
    zone_of = {}
    for city, zones in _ZONES.items():
        for zone, districts in zones.items():
            for d in districts:
                zone_of[(city, d)] = zone
    home = tuple(u for name in HOME_CITIES for u in by_name.get(name, ()) if u.level <= _CITY)
    return _Gaz(
        lex=frozen,
        prefix={k: tuple(sorted(v, reverse=True)) for k, v in prefix.items()},
        pinyin={k: tuple(v) for k, v in pinyin.items()},
        by_code=by_code,
        by_name={k: tuple(v) for k, v in by_name.items()},
        zone_of=zone_of,
        home=home,
        streets=streets,
    )


def _find_unit(by_name: dict[str, list[_Unit]], name: str, within: _Unit | None) -> _Unit | None:
    if not name:
        return None
    for u in by_name.get(name, ()):
        if within is None:
            if u.level <= _CITY and (u.level == _CITY or u.city_like):
                return u
        elif u.path[: len(within.path)] == within.path and u is not within:
            return u
    return None


# ----------------------------------------------------------------------------- scanning

@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    cands: tuple[_Cand, ...]
    seg: int = 0


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _scan(s: str, g: _Gaz) -> list[_Mention]:
    out: list[_Mention] = []
    n, i = len(s), 0
    lex, prefix = g.lex, g.prefix
    while i < n and len(out) < _MAX_MENTIONS:
        lens = prefix.get(s[i:i + 2])
        hit = 0
        if lens:
            for ln in lens:
                if i + ln > n:
                    continue
                key = s[i:i + ln]
                cands = lex.get(key)
                if not cands:
                    continue
                if _ascii_alnum(key[0]) and i > 0 and _ascii_alnum(s[i - 1]):
                    continue
                if _ascii_alnum(key[-1]) and i + ln < n and _ascii_alnum(s[i + ln]):
                    continue
                hit = ln
                if _RE_ROAD.match(s, i + ln) and not any(isinstance(c.obj, _Area) for c in cands):
                    break               # 中山路, 南京西路, 广州北京路: a street, not the place
                out.append(_Mention(i, i + ln, cands))
                break
        i += hit or 1
    # latin words looked up as pinyin ("Beijing Haidian", "Hong Kong")
    if any("a" <= ch <= "z" for ch in s):
        taken = [(m.start, m.end) for m in out]
        words = [m for m in _RE_LATIN.finditer(s)]
        j = 0
        while j < len(words) and len(out) < _MAX_MENTIONS:
            w = words[j]
            if any(a < w.end() and w.start() < b for a, b in taken):
                j += 1
                continue
            if j + 1 < len(words):
                w2 = words[j + 1]
                pair = g.pinyin.get(w.group().replace("'", "") + w2.group().replace("'", ""))
                if pair and s[w.end():w2.start()].strip() == "":
                    out.append(_Mention(w.start(), w2.end(), pair))
                    j += 2
                    continue
            c = g.pinyin.get(w.group().replace("'", ""))
            if c:
                out.append(_Mention(w.start(), w.end(), c))
            j += 1
        out.sort(key=lambda m: m.start)
    return out


def _piece_start(s: str, i: int, ends: set[int]) -> bool:
    return i == 0 or not s[i - 1].isalnum() or i in ends


def _piece_end(s: str, j: int) -> bool:
    return j == len(s) or not s[j].isalnum() or s[j] == "街"      # 云城街 for 云城街道


def _street_scan(s: str, idx: _StreetIndex, mentions: list[_Mention],
                 names: list[_Mention]) -> list[tuple[int, int, set[_Unit]]]:
    """Streets of one city named in the text, outside the ``mentions`` that placed it: a full
    name (民治街道, 石楼镇) anywhere, a short one (民治, 姚家) only as a piece of its own and not
    inside a longer name read elsewhere (``names``: "北京 光明区" names 深圳's district, not
    顺义's 光明街道)."""
    taken = sorted((m.start, m.end) for m in mentions)
    ends = {m.end for m in mentions}
    other = [(m.start, m.end) for m in names]
    out: list[tuple[int, int, set[_Unit]]] = []
    n, i, t = len(s), 0, 0
    while i < n and len(out) < _MAX_MENTIONS:
        while t < len(taken) and taken[t][1] <= i:
            t += 1
        if t < len(taken) and taken[t][0] <= i:
            i = taken[t][1]
            continue
        limit = taken[t][0] if t < len(taken) else n
        hit = None
        for ln in idx.lengths:
            if i + ln > limit:
                continue
            key = s[i:i + ln]
            units = idx.full.get(key)
            if units is None:
                units = idx.short.get(key)
                if units is not None and (not (_piece_start(s, i, ends) and _piece_end(s, i + ln))
                                          or any(a <= i and i + ln <= b and b - a > ln for a, b in other)):
                    units = None
            if units:
                hit = (i, i + ln, units)
                break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def _leftover(s: str, covered: list[tuple[int, int]]) -> str | None:
    """What the text holds besides the names read: the part to look at when no district came out."""
    if not covered:
        rest = s
    else:
        chars = list(s)
        for a, b in covered:
            for k in range(a, min(b, len(chars))):
                chars[k] = " "
        rest = "".join(chars)
    rest = " ".join(_RE_SPLIT.split(rest)).strip()
    return rest[:_MAX_LEFTOVER] or None


# ----------------------------------------------------------------------------- resolving

def _related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    k = min(len(a), len(b))
    return a[:k] == b[:k]


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return len(outer) <= len(inner) and inner[: len(outer)] == outer


def _supports(c: _Cand) -> bool:
    """May this candidate lend support to others?"""
    return not c.needs_support


def _choose(m: _Mention, mentions: list[_Mention], default: _Unit | None,
            g: _Gaz) -> tuple[_Unit | _Area | None, bool]:
    """Pick the place a mention denotes.  Returns (object or None, ambiguous?)."""
    scored: list[tuple[float, _Cand]] = []
    weak: list[_Unit | _Area] = []
    for c in m.cands:
        key = c.obj.city_key
        score = 0.0
        for o in mentions:
            if o is m:
                continue
            if any(_supports(oc) and oc.obj is not c.obj and _related(key, oc.obj.city_key)
                   for oc in o.cands):
                score += 1.0
        if default is not None and _related(key, default.city_key):
            score += 0.5
        if c.needs_support and score == 0:
            # a generic name (经开区, 临空经济区, 永丰) with no context: only the home
            # market's reading survives, and only when the caller named no city
            if default is None and any(_related(key, h.city_key) for h in g.home):
                weak.append(c.obj)
            else:
                continue
        scored.append((score, c))
    if not scored:
        return None, False
    best = max(s for s, _ in scored)
    objs = [c.obj for s, c in scored if s == best]
    if len(objs) == 1:
        return objs[0], objs[0] in weak
    for o in objs:
        if all(_contains(o.path, x.path) for x in objs):
            return o, o in weak
    if default is None and g.home:
        home = [o for o in objs if any(_related(o.city_key, h.city_key) for h in g.home)]
        if len(home) == 1:
            return home[0], True
    top = min(o.level for o in objs)
    if top <= _CITY:
        tops = [o for o in objs if o.level == top]
        if len(tops) == 1:
            # passing over a home-market reading (朝阳 with default_city='上海市') is
            # worth a flag; 西安 -> 西安市 over two small 西安区 is not
            passed_home = any(_related(o.city_key, h.city_key) for o in objs if o is not tops[0]
                              for h in g.home)
            return tops[0], passed_home
    return None, True


def _segments(s: str) -> list[int]:
    return [i for i, ch in enumerate(s) if ch in _MULTI_SEP]


def _is_city_level(o: _Unit | _Area) -> bool:
    return o.level <= _CITY


@lru_cache(maxsize=256)
def _default_unit(default_city: str | None) -> _Unit | None:
    if not default_city or not isinstance(default_city, str):
        return None
    g = _gaz()
    key = _norm(default_city).strip()
    cands = g.lex.get(key) or g.pinyin.get(re.sub(r"[^a-z]", "", key)) or ()
    units = [c.obj for c in cands if isinstance(c.obj, _Unit)]
    for u in units:
        if u.level == _CITY or u.city_like:
            return u
    return units[0] if units else None


@lru_cache(maxsize=65536)
def _parse(text: str, default_city: str | None) -> Place | None:
    g = _gaz()
    s = _norm(text[: _MAX_TEXT * 2])[:_MAX_TEXT]
    default = _default_unit(default_city)
    flags: list[str] = []
    remote = bool(_RE_REMOTE.search(s))

    mentions = _scan(s, g)
    seps = _segments(s)
    for m in mentions:
        m.seg = bisect.bisect_right(seps, m.start)

    chosen: list[tuple[_Mention, _Unit | _Area, bool]] = []
    unresolved: list[_Mention] = []
    for m in mentions:
        obj, amb = _choose(m, mentions, default, g)
        if obj is None:
            if amb:
                unresolved.append(m)
            continue
        chosen.append((m, obj, amb))

    cur: tuple[str, ...] | None = None
    district: _Unit | None = None
    area: _Area | None = None
    used_amb = False
    multi_city = multi_district = False
    primary: list[_Mention] = []        # the mentions that make the place

    if chosen:
        anchor = next((c for c in chosen if _is_city_level(c[1])), chosen[0])
        cur = anchor[1].city_key
        # deepen the city key with the city-level mentions that agree with the anchor
        # (河北 -> 河北省廊坊市)
        for m, o, amb in chosen:
            if _is_city_level(o) and _related(o.city_key, cur) and len(o.city_key) > len(cur):
                cur = o.city_key
        marks: list[_Mention] = []      # district / area mentions of the primary place
        others: list[tuple[_Mention, _Unit | _Area]] = []
        for m, o, amb in chosen:
            if not _related(o.city_key, cur):
                others.append((m, o))
                continue
            if len(o.city_key) > len(cur):
                cur = o.city_key        # a district below a province-only anchor
            primary.append(m)
            used_amb = used_amb or amb
            if isinstance(o, _Area):
                marks.append(m)
                if area is None:
                    area = o
                elif o.unit is not area.unit and m.seg != marks[0].seg:
                    multi_district = True   # "中关村/望京"
            elif o.level == _DISTRICT:
                marks.append(m)
                if district is None:
                    district = o
                elif o is not district and m.seg != marks[0].seg:
                    multi_district = True
        primary_segs = {m.seg for m in primary}
        for m, o in others:
            if _is_city_level(o):
                # a city short name after the district inside one address is street noise
                if not any(p.end <= m.start and p.seg == m.seg for p in marks):
                    multi_city = True
            elif isinstance(o, _Unit) and o.name.endswith(("区", "县", "市")) \
                    and m.end - m.start == len(o.name) and m.seg not in primary_segs:
                multi_city = True       # "海淀区/浦东新区"
        if district is not None and not _related(district.city_key, cur):
            district = None
        if area is not None and not _related(area.city_key, cur):
            area = None
        if area is not None:
            if district is None:
                if area.unit.level == _DISTRICT:
                    district = area.unit
            elif area.unit.level == _DISTRICT and area.unit is not district:
                flags.append("area_outside_district")
        if district is not None and len(district.city_key) > len(cur):
            cur = district.city_key

    # a 街道 / 镇 / 乡 of the city named (or of the caller's city when the text names none)
    # gives the district when it lies in one district only
    street_hits: list[tuple[int, int]] = []
    if district is None:
        key = cur if cur and (len(cur) >= 2 or g.by_code[cur[0]].city_like) else None
        if cur is None and not unresolved and default is not None and (
                default.level == _CITY or default.city_like):
            key = default.city_key
        idx = g.streets.get(key) if key else None
        if idx is not None:
            found: set[_Unit] = set()
            # free for a street: the words that placed nothing, or a district of a city the text
            # does not name (广州市石楼镇: 石楼 is also 山西's 石楼县); never a province or city (北京/河北)
            placed = primary + [m for m, o, _a in chosen if _is_city_level(o)]
            for a, b, units in _street_scan(s, idx, placed, mentions):
                street_hits.append((a, b))
                found |= units
            if len(found) == 1:
                district = next(iter(found))
                cur = district.city_key
            elif found:
                used_amb = True         # 湛江 海滨街道: one in 霞山区, one in 吴川市

    province = city = dname = dcode = zone = None
    if cur:
        prov_u = g.by_code.get(cur[0])
        if prov_u is not None:
            province = prov_u.name
            if prov_u.city_like:
                city = prov_u.name
        if len(cur) >= 2:
            cu = g.by_code.get(cur[1])
            if cu is not None:
                city = cu.name
    if district is not None:
        dname, dcode = district.name, district.code
        if city is not None:
            zone = g.zone_of.get((city, dname))

    if cur is None and unresolved:
        # leave the place open but keep what all readings share
        paths = [c.obj.city_key for c in unresolved[0].cands if not c.needs_support]
        if paths:
            common = paths[0]
            for p in paths[1:]:
                k = 0
                while k < min(len(common), len(p)) and common[k] == p[k]:
                    k += 1
                common = common[:k]
            if common:
                pu = g.by_code.get(common[0])
                if pu is not None:
                    province = pu.name
                    city = pu.name if pu.city_like else None
                if len(common) >= 2 and common[1] in g.by_code:
                    city = g.by_code[common[1]].name
        used_amb = True

    if used_amb:
        flags.append("ambiguous")
    if multi_city:
        flags.append("multiple_cities")
    if multi_district:
        flags.append("multiple_districts")
    if _RE_OTHER.search(s):
        flags.append("other_region")
    if _RE_NATION.search(s) or (province is None and _RE_ANY.search(s)):
        flags.append("nationwide")
    if _RE_OVERSEAS.search(s):
        flags.append("overseas")

    if province is None and city is None and area is None and not remote and not flags:
        return None
    # recognised: the names that placed something (here or elsewhere) or were ambiguous
    covered = [(m.start, m.end) for m, _o, _a in chosen] + [(m.start, m.end) for m in unresolved]
    covered += street_hits
    for rx in (_RE_REMOTE, _RE_NATION, _RE_ANY, _RE_OTHER, _RE_OVERSEAS, _RE_NOISE, _RE_ZONE_WORD):
        covered.extend(x.span() for x in rx.finditer(s))
    return Place(
        province=province,
        city=city,
        district=dname,
        district_code=dcode,
        zone=zone,
        functional_area=area.name if area is not None else None,
        remote=remote,
        raw=text,
        flags=tuple(flags),
        unparsed=_leftover(s, covered),
    )


def parse_place(text: str | None, default_city: str | None = None) -> Place | None:
    """Parse a posting's work place; None when the text names no place at all.

    ``default_city`` is the city the posting was collected for (e.g. '北京市' for a
    Beijing listing page); it only disambiguates names the text leaves open.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    if default_city is not None and not isinstance(default_city, str):
        default_city = None
    try:
        return _parse(text, default_city)
    except Exception:  # pragma: no cover - defensive: a parser must never take a job down
        return None


# Why a place text gave no district (``district_gap``), worst first:
GAP_REASONS = (
    "no_place",             # the text names no place at all ("面议", "美林")
    "ambiguous",            # a name of several places and nothing to choose by (bare 龙华区)
    "not_recognised",       # a part of the text placed nothing: see Place.unparsed (深圳·天安科技园)
    "no_district_named",    # a city or province and nothing finer ("广州", "北京··"): nothing to fix
)


def district_gap(text: str | None, default_city: str | None = None) -> str | None:
    """None when the text's district resolves, else the reason (one of ``GAP_REASONS``; an empty
    text or a non-string is ``no_place``)."""
    p = parse_place(text, default_city)
    if p is None:
        return "no_place"
    if p.district is not None:
        return None
    if "ambiguous" in p.flags:
        return "ambiguous"
    if p.city is not None and p.city not in _cities_with_districts():
        return "no_district_named"      # 东莞, 中山: the city has no districts to name
    if p.unparsed:
        return "not_recognised"
    return "no_district_named"


@lru_cache(maxsize=1)
def _cities_with_districts() -> frozenset[str]:
    return frozenset(u.city for u in _gaz().by_code.values() if u.level == _DISTRICT and u.city)


@dataclass(frozen=True, slots=True)
class UnparsedPlace:
    text: str
    count: int
    reason: str                   # one of GAP_REASONS
    unparsed: str | None          # the words that placed nothing (Place.unparsed)


def unparsed_places(texts, default_city: str | None = None, top: int = 20,
                    reasons: tuple[str, ...] = GAP_REASONS[:3]) -> list[UnparsedPlace]:
    """The most frequent place texts whose district does not resolve, most frequent first.

    ``texts`` is any iterable of location texts (one per posting, repeats count; empty ones are
    skipped); only the ``reasons`` asked for are listed (by default not the texts that name no
    district at all).
    The share of texts with a district is ``1 - (number of texts with a gap) / len(texts)``;
    ``district_gap`` gives it text by text."""
    counts: dict[str, int] = {}
    for t in texts:
        if isinstance(t, str) and t.strip():
            counts[t] = counts.get(t, 0) + 1
    rows = []
    for t, n in counts.items():
        reason = district_gap(t, default_city)
        if reason in reasons:
            p = parse_place(t, default_city)
            rows.append(UnparsedPlace(t, n, reason, p.unparsed if p else None))
    rows.sort(key=lambda r: (-r.count, r.text))
    return rows[: max(top, 0)]
