"""The 2022 occupational classification (职业分类大典), shipped as ``data/csco22.csv``.

Codes are ``大类-中类-小类-细类`` (``2-02-10-03``). Official names carry markers: a trailing
``S`` is a digital occupation (数字职业), ``L`` a green one (绿色职业); they are stripped from
the display name and kept as flags.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

TAXONOMY_VERSION = "csco22-cbe8285"
LEVEL_NAMES = {1: "大类", 2: "中类", 3: "小类", 4: "细类"}
_MARKERS = re.compile(r"(?:L/S|S/L|S|L)$")


@dataclass(frozen=True, slots=True)
class Occupation:
    code: str
    level: int
    name: str
    digital: bool
    green: bool
    aliases: tuple[str, ...]

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.code, self.level)

    @property
    def major_code(self) -> str:
        return self.code.split("-")[0]


def parent_code(code: str, level: int) -> str | None:
    """The code one level up: 2-02-10-03 → 2-02-10-00 → 2-02-00-00 → 2-00-00-00 → None."""
    if level <= 1:
        return None
    parts = code.split("-")
    parts[level - 1] = "00"
    return "-".join(parts)


def code_at_level(code: str, level: int) -> str:
    """Roll a code up to level 1–4 (大类…细类) by zeroing the finer parts."""
    parts = code.split("-")
    return "-".join(parts[:level] + ["00"] * (4 - level)) if level > 1 else parts[0] + "-00-00-00"


@cache
def occupations() -> dict[str, Occupation]:
    """Every row of the classification by code, all four levels."""
    text = resources.files("normalize").joinpath("data/csco22.csv").read_text(encoding="utf-8")
    result = {}
    for row in csv.DictReader(text.splitlines()):
        raw_name = row["name"].strip()
        marker = _MARKERS.search(raw_name)
        markers = marker.group(0) if marker and len(raw_name) > 2 else ""
        name = raw_name[: len(raw_name) - len(markers)] if markers else raw_name
        aliases = tuple(a.strip() for a in row["alias"].split(",") if a.strip())
        result[row["code"]] = Occupation(
            code=row["code"], level=int(row["level"]), name=name,
            digital="S" in markers, green="L" in markers, aliases=aliases,
        )
    return result


def occupation_rows() -> list[dict]:
    """The classification as rows for the store's ``occupations`` table."""
    return [
        {
            "code": o.code, "level": o.level, "level_name": LEVEL_NAMES[o.level], "name": o.name,
            "parent_code": o.parent_code, "major_code": code_at_level(o.code, 1),
            "digital": int(o.digital), "green": int(o.green), "taxonomy_version": TAXONOMY_VERSION,
        }
        for o in occupations().values()
    ]
