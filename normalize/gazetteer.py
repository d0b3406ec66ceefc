"""China's administrative divisions as the statistics bureau coded them on 2022-10-31, shipped in
``data/divisions.csv`` (provinces, cities, county-level divisions), ``data/divisions_extra.csv``
(Hong Kong, Macao, Taiwan) and ``data/streets.csv`` (街道 / 镇 / 乡); built by
``tools/build_divisions.py``, attribution in ``data/ATTRIBUTION.md``.

This module only reads them (once).  Parsing a place is ``place.py``'s job; ``place_names`` serves
the code that strips places out of titles and employer names."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Division", "Street", "divisions", "streets", "place_names"]


@dataclass(frozen=True, slots=True)
class Division:
    code: str                     # 6 digits: 110000 province, 440300 city, 440309 county-level
    name: str                     # official name: 深圳市, 龙华区
    level: str                    # 'province' | 'city' | 'county'
    parent: str | None            # code of the province or city above it
    short: str                    # name without its suffix (龙华), or the name itself
    pinyin: str                   # the short name in pinyin, lower case ('' when none)
    aliases: tuple[str, ...]      # other names that stand alone (济南高新区)
    context_aliases: tuple[str, ...]  # names valid only inside its city (高新区)

    @property
    def deep(self) -> int:
        """1 province; 2 prefecture city or a municipality's district; 3 any other county-level
        division, a province-governed one (仙桃市, 东方市) included."""
        if self.level == "province":
            return 1
        if self.level == "city" and self.code.endswith("00"):
            return 2
        if self.level == "county" and (self.parent or "").endswith("0000"):
            return 2
        return 3


@dataclass(frozen=True, slots=True)
class Street:
    code: str                     # 9 digits
    name: str                     # 民治街道, 石楼镇
    short: str                    # 民治, 石楼 ('' when the name cannot be shortened)
    parent: str                   # the county-level division's code, or the city's for a city
                                  # without districts (东莞 441900)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (value or "").split("|") if a.strip())


@cache
def divisions() -> tuple[Division, ...]:
    """Every province, city and county-level division, parents before children."""
    out = []
    for name in ("divisions.csv", "divisions_extra.csv"):
        for r in _read(name):
            out.append(Division(
                code=r["code"].strip(), name=r["name"].strip(), level=r["level"].strip(),
                parent=r["parent"].strip() or None, short=(r["short"] or "").strip() or r["name"].strip(),
                pinyin=(r["pinyin"] or "").strip().lower(), aliases=_split(r.get("aliases")),
                context_aliases=_split(r.get("context_aliases"))))
    order = {"province": 0, "city": 1, "county": 2}
    return tuple(sorted(out, key=lambda d: (order.get(d.level, 3), d.code)))


@cache
def streets() -> tuple[Street, ...]:
    """Every 街道, 镇, 乡 and 苏木 with the county-level division (or city) it belongs to."""
    known = {d.code for d in divisions()}
    out = []
    for r in _read("streets.csv"):
        code = r["code"].strip()
        parent = code[:6] if code[:6] in known else code[:4] + "00"
        out.append(Street(code, r["name"].strip(), (r["short"] or "").strip(), parent))
    return tuple(out)


@cache
def place_names() -> frozenset[str]:
    """Province and city names and short names (a municipality's districts count as cities), and
    full district names ending in 区."""
    names: set[str] = set()
    for d in divisions():
        if d.deep <= 2:
            names.update({d.name, d.short})
        elif d.name.endswith("区"):
            names.add(d.name)
    return frozenset(n for n in names if len(n) >= 2)
