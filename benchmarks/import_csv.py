"""Throughput of `jobmon import postings` on a large CSV, beside baselines run here.

    python benchmarks/import_csv.py                  # 100,000 rows (GBK-encoded, as Chinese exports are)
    python benchmarks/import_csv.py --rows 20000

The file holds the synthetic board's postings (titles, pay, places as boards write them) with
ids made unique, plus two non-standard columns (kept as extra_json). Figures:
- import: rows/s of ``import_records`` (read + decode + map + normalize + store + rejects);
- pipeline: rows/s of the same rows through the crawl pipeline's ``store_row`` +
  ``upsert_records`` alone, from rows already in memory (what any import must at least pay);
- read: rows/s of ``csv.reader`` over the same file (the bare reading).
Every per-input cache of normalize/ is emptied before each timed run, so both start cold; each is
run twice and the faster run counts (the machine is shared).
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import normalize  # noqa: E402
from crawlers.board.market import build_market  # noqa: E402
from crawlers.imports import import_records  # noqa: E402
from crawlers.pipelines import ensure_taxonomy, store_row  # noqa: E402
from db.store import now_iso, open_db  # noqa: E402
from db.writes import ensure_source, upsert_records  # noqa: E402
from normalize.dates import SHANGHAI  # noqa: E402

HEADER = ["source_id", "title", "company", "salary_text", "location_text", "posted_at", "industry_text",
          "education_text", "experience_text", "headcount", "福利", "联系人"]


def clear_caches() -> None:
    """Empty every bounded lru_cache of normalize/ (per-input memos; data loaders keep theirs)."""
    import importlib
    import pkgutil

    for module_info in pkgutil.iter_modules(normalize.__path__):
        module = importlib.import_module(f"normalize.{module_info.name}")
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:
                value.cache_clear()


def write_file(path: Path, rows: int) -> None:
    market = build_market(postings=20_000, seekers=15_000)
    with open(path, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            p = market.postings[index % len(market.postings)]
            location = p.location if isinstance(p.location, str) else p.district or ""
            writer.writerow([f"{p.id}-{index}", p.title or "", p.company, p.salary_text, location,
                             p.posted.isoformat(), p.industry, p.education, p.experience, p.headcount,
                             "五险一金", f"HR{index % 97}"])


def pipeline_only(db_path: Path, file: Path) -> tuple[float, int]:
    with open(file, encoding="gb18030", newline="") as handle:
        reader = csv.DictReader(handle)
        fetched = datetime.now(SHANGHAI).isoformat()
        raws = [{"source": "bench", "source_id": r["source_id"], "title": r["title"], "company": r["company"],
                 "salary_text": r["salary_text"], "location_text": r["location_text"], "posted_text": r["posted_at"],
                 "industry_text": r["industry_text"], "education_text": r["education_text"],
                 "experience_text": r["experience_text"], "headcount_text": r["headcount"], "fetched_at": fetched}
                for r in reader if r["title"]]
    db = open_db(db_path)
    ensure_taxonomy(db)
    ensure_source(db, "bench", "postings", "bench", None)
    clear_caches()
    started = time.perf_counter()
    for start in range(0, len(raws), 1000):
        rows = [store_row("postings", raw, None, None) for raw in raws[start:start + 1000]]
        upsert_records(db, "postings", rows, now_iso())
    return time.perf_counter() - started, len(raws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        file = folder / "postings.csv"
        write_file(file, rows)
        size_mb = file.stat().st_size / 1e6

        started = time.perf_counter()
        with open(file, encoding="gb18030", newline="") as handle:
            read_rows = sum(1 for _ in csv.reader(handle)) - 1
        read_seconds = time.perf_counter() - started

        pipeline_seconds, pipeline_rows = min(pipeline_only(folder / f"pipeline{i}.db", file) for i in (1, 2))

        results = []
        for attempt in (1, 2):
            db = open_db(folder / f"import{attempt}.db")
            clear_caches()
            results.append(import_records(db, "postings", file, source="bench"))
            stored = db.execute("SELECT count(*) FROM postings").fetchone()[0]
        result = min(results, key=lambda r: r.seconds)

    print(f"file: {rows:,} rows, {size_mb:.1f} MB, {result.encoding}; stored {stored:,}, "
          f"rejected {sum(result.rejected.values()):,} {dict(result.rejected)}")
    print(f"import   {result.rows_per_second:>9,.0f} rows/s  ({result.seconds:.1f} s)")
    print(f"pipeline {pipeline_rows / pipeline_seconds:>9,.0f} rows/s  ({pipeline_seconds:.1f} s)  "
          f"import = {result.rows_per_second / (pipeline_rows / pipeline_seconds):.0%} of it")
    print(f"read     {read_rows / read_seconds:>9,.0f} rows/s  ({read_seconds:.2f} s)")


if __name__ == "__main__":
    main()
