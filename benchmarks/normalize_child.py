"""Normalization throughput in its own process, as the crawl's pipeline runs it.

    python benchmarks/normalize_child.py CRAWL_DB

Reads the raw fields of every posting a crawl stored and prints one JSON line: postings/s
through ``normalize_posting`` cold (every cache emptied) and warm (the same postings again, as in
a long crawl where titles, salary strings and places repeat), distinct titles/s matched cold,
and dates parsed/s. A process of its own, so that the benchmark runner's heap (the board, the
crawl's results) does not slow Python's garbage collector here.
"""
from __future__ import annotations

import json
import sys
import time
from datetime import datetime

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])

from crawlers.pipelines import RAW_COLUMNS  # noqa: E402
from db.store import open_db  # noqa: E402
from normalize import dates, industry, place, record, requirements, salary, skills, titles  # noqa: E402
from normalize.record import normalize_posting  # noqa: E402


def clear_caches() -> None:
    for function in (titles.match_title, dates._absolute, salary._parse_cached, place._parse, requirements._parse,
                     skills._skills_in, industry._from_occupation, industry._from_industry_text, industry._from_text,
                     record._skills_and_industries):
        function.cache_clear()


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main(db_path: str) -> None:
    db = open_db(db_path)
    raws = [dict(row) for row in db.query(f"SELECT {', '.join(RAW_COLUMNS['postings'])} FROM postings")]
    fetched = [datetime.fromisoformat(raw["fetched_at"]) for raw in raws]

    def normalize_all():
        return [normalize_posting(raw, at, "北京市") for raw, at in zip(raws, fetched)]

    clear_caches()
    cold = timed(normalize_all)
    warm = min(timed(normalize_all) for _ in range(3))
    distinct = sorted({raw["title"] or "" for raw in raws})
    titles.match_title.cache_clear()
    title_seconds = timed(lambda: [titles.match_title(t) for t in distinct])
    date_seconds = timed(lambda: [dates.parse_date(r["posted_text"], at) for r, at in zip(raws, fetched)])
    print(json.dumps({"postings": len(raws), "cold_per_s": len(raws) / cold, "warm_per_s": len(raws) / warm,
                      "titles": len(distinct), "titles_per_s": len(distinct) / title_seconds,
                      "dates_per_s": len(raws) / date_seconds}))


if __name__ == "__main__":
    main(sys.argv[1])
