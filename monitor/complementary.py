"""Complementary suppression: no hidden count comes back as a published total minus its
published parts (docs/methodology.md, section 5).

Within one week and one count (postings_new, postings_active, openings, seekers, salary_n,
duration_n), the cells of all groupings form families ``total = Σ parts``:

- an occupation and its finer codes at the next finer level computed at the same place and
  industry (a 小类 and its 细类, a 中类 and its 小类, a 大类 and its 中类);
- the whole city and its districts, the whole city and its zones, a zone and its districts (one
  occupation, level and industry).

A family is *exact* when its parts add up to its total (no posting or seeker without a district,
say); only then can a hidden value be recomputed from it. In an exact family, when the total is
published and exactly one part is hidden, one more cell is hidden: the next-smallest part, or the
total itself when that costs less (a part whose openings or seekers carry a ratio that would be
ranked costs more, a 细类 most); when the total is hidden and every part is published, the
smallest part is hidden. Positive values are chosen before zeros. Hiding a cell can leave another
family with one hidden part, so the rule runs until nothing changes. Industries are not families: a posting naming two
industries counts in both, so industry cells do not add up to a total.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from normalize.taxonomy import code_at_level

from . import weekly

MIN_POSTINGS = 10  # shortage.MIN_POSTINGS: a cell with fewer is never ranked
ADDITIVE_COUNTS = ("postings_new", "postings_active", "openings", "seekers", "salary_n", "duration_n")
KEYS = ["week_number", "level", "occupation_code", "place_kind", "place", "industry"]
_OCCUPATION, _DISTRICTS, _ZONES, _ZONE_DISTRICTS = range(4)  # family kinds


def publish(tables: list[pd.DataFrame], district_zone: dict[str, str]) -> list[pd.DataFrame]:
    """Each grouping's table after suppression (``weekly.suppress``), the small counts and their
    complements hidden together across all the tables."""
    hidden = complements(tables, district_zone)
    return [weekly.suppress(table, extra) for table, extra in zip(tables, hidden)]


def complements(tables: list[pd.DataFrame], district_zone: dict[str, str]) -> list[dict[str, np.ndarray]]:
    """Per table, per additive count: the cells to hide beyond the small ones (a boolean mask in
    the table's row order)."""
    sizes = [len(table) for table in tables]
    if not sum(sizes):
        return [{} for _ in tables]
    keys = pd.concat([table[KEYS] for table in tables], ignore_index=True)
    members = family_members(keys, district_zone)
    result = [{} for _ in tables]
    bounds = np.cumsum([0, *sizes])
    # hiding the openings or seekers of a cell that would be ranked takes its ratio: others are
    # chosen first, and a coarser cell before a finer one (the 细类 list is the one read most)
    ranked = np.concatenate([_ranks_on_ratio(table) * table["level"].map(weekly.LEVELS).to_numpy(dtype=np.int64)
                             for table in tables])
    for count in ADDITIVE_COUNTS:
        values = np.concatenate([table[count].to_numpy(dtype=np.float64) for table in tables])
        cost = ranked if count in ("openings", "seekers") else np.zeros(len(values), np.int64)
        extra = hidden_complements(values, members, cost)
        for i in range(len(tables)):
            part = extra[bounds[i]:bounds[i + 1]]
            if part.any():
                result[i][count] = part
    return result


def _ranks_on_ratio(table: pd.DataFrame) -> np.ndarray:
    """Cells that publish a ratio when nothing more is hidden and have enough postings to rank."""
    openings, seekers = table["openings"].to_numpy(dtype=float), table["seekers"].to_numpy(dtype=float)
    shown = (openings >= weekly.MIN_COUNT) & (seekers >= weekly.MIN_COUNT)
    return shown & (openings + seekers >= weekly.MIN_OBSERVATIONS) \
        & (table["employers"].to_numpy(dtype=float) >= weekly.MIN_EMPLOYERS) \
        & (table["postings_active"].to_numpy(dtype=float) >= MIN_POSTINGS)


def family_members(keys: pd.DataFrame, district_zone: dict[str, str]) -> pd.DataFrame:
    """The families among the cells ``keys`` (rows: week_number, level, occupation_code,
    place_kind, place, industry): one row per member, ``family`` (an integer), ``row`` (the
    cell's position in ``keys``) and ``total`` (whether it is the family's total)."""
    keys = keys.reset_index(drop=True).assign(row=np.arange(len(keys)))
    index = keys.set_index(KEYS)["row"]
    index = index[~index.index.duplicated()]
    links = []  # (part row, total row, kind)

    def link(parts: pd.DataFrame, total_keys: pd.DataFrame, kind: int) -> None:
        found = index.reindex(pd.MultiIndex.from_frame(total_keys[KEYS])).to_numpy()
        known = ~np.isnan(found)
        links.append(pd.DataFrame({"row": parts["row"].to_numpy()[known], "parent": found[known].astype(np.int64),
                                   "kind": kind}))

    # an occupation and its codes at the next finer level computed at the same place and industry
    by_industry = keys["industry"] != weekly.ALL
    for (place_kind, industry), cells in keys.groupby([keys["place_kind"], by_industry]):
        levels = sorted(cells["level"].unique(), key=weekly.LEVELS.get)
        for coarse, fine in zip(levels, levels[1:]):
            parts = cells[cells["level"] == fine]
            codes = parts["occupation_code"]
            rolled = {code: code_at_level(code, weekly.LEVELS[coarse]) for code in codes.unique()}
            link(parts, parts.assign(level=coarse, occupation_code=codes.map(rolled)), _OCCUPATION)
    # the city and its districts or zones; a zone and its districts
    for kind, family in (("district", _DISTRICTS), ("zone", _ZONES)):
        parts = keys[keys["place_kind"] == kind]
        link(parts, parts.assign(place_kind="city", place=_city_of(keys, parts)), family)
    districts = keys[(keys["place_kind"] == "district") & keys["place"].isin(district_zone)]
    link(districts, districts.assign(place_kind="zone", place=districts["place"].map(district_zone)), _ZONE_DISTRICTS)

    links = pd.concat(links, ignore_index=True)
    family = links["parent"].to_numpy() * 4 + links["kind"].to_numpy()
    parts = pd.DataFrame({"family": family, "row": links["row"].to_numpy(), "total": False})
    totals = pd.DataFrame({"family": family, "row": links["parent"].to_numpy(), "total": True}).drop_duplicates()
    return pd.concat([totals, parts], ignore_index=True)


def _city_of(keys: pd.DataFrame, parts: pd.DataFrame) -> np.ndarray:
    """The city (the place of the whole-market cells) each part lies in: there is one market."""
    cities = keys.loc[keys["place_kind"] == "city", "place"].unique()
    return np.full(len(parts), cities[0] if len(cities) else "", dtype=object)


def hidden_complements(values: np.ndarray, members: pd.DataFrame, cost: np.ndarray | None = None) -> np.ndarray:
    """The cells to hide, beyond the small ones (1 … MIN_COUNT − 1), so that no exact family gives
    a hidden value back: ``values`` per cell (NaN: not published in any case), ``members`` from
    ``family_members``. When one part of a published total is hidden, the cell hidden with it is
    another part or the total itself; when a total is hidden and its parts are not, one part. The
    choice: a positive cell before a zero, then the least ``cost`` (default 0 for every cell),
    then the smallest value — the next-smallest part, unless hiding it costs more."""
    small = (values > 0) & (values < weekly.MIN_COUNT)
    hidden = small.copy()
    if not len(members):
        return np.zeros(len(values), bool)
    cost = np.zeros(len(values), np.int64) if cost is None else np.asarray(cost, np.int64)
    family, inverse = np.unique(members["family"].to_numpy(), return_inverse=True)
    rows, is_total = members["row"].to_numpy(), members["total"].to_numpy()
    member_values = values[rows]
    n = len(family)
    total_row = np.full(n, -1, np.int64)
    total_row[inverse[is_total]] = rows[is_total]
    part = ~is_total
    sums = np.bincount(inverse[part], weights=np.nan_to_num(member_values[part]), minlength=n)
    total_value = values[total_row]
    unknown = np.bincount(inverse, weights=np.isnan(member_values).astype(float), minlength=n) > 0
    exact = ~unknown & (np.abs(total_value - sums) < 0.5)
    n_parts = np.bincount(inverse[part], minlength=n)
    order = np.lexsort((rows, member_values, cost[rows], member_values <= 0, inverse))
    family_of = inverse[order]
    while True:
        hidden_parts = np.bincount(inverse[part], weights=hidden[rows[part]].astype(float), minlength=n)
        total_hidden = hidden[total_row]
        one_left = exact & ~total_hidden & (hidden_parts == 1)         # total − the others = the hidden one
        all_shown = exact & total_hidden & (hidden_parts == 0) & (n_parts > 0)  # Σ parts = the hidden total
        if not (one_left | all_shown).any():
            break
        candidate = ~hidden[rows[order]] & np.where(is_total[order], one_left[family_of],
                                                    one_left[family_of] | all_shown[family_of])
        open_cells = order[candidate]
        first = np.unique(inverse[open_cells], return_index=True)[1]
        hidden[rows[open_cells[first]]] = True
    return hidden & ~small
