"""Place names from the shipped administrative divisions (``data/cncity.csv``), for stripping
places out of titles and employer names. Parsing a place is ``place.py``'s job."""
from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def place_names() -> frozenset[str]:
    """Province and city names and short names, and full district names ending in 区."""
    text = resources.files("normalize").joinpath("data/cncity.csv").read_text(encoding="utf-8")
    names: set[str] = set()
    for row in csv.DictReader(text.splitlines()):
        if row["deep"] in ("1", "2"):
            names.update({row["name"], row["short_name"]})
        elif row["name"].endswith("区"):
            names.add(row["name"])
    return frozenset(n for n in names if len(n) >= 2)
