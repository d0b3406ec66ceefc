"""Real postings end to end: every file of ../shared/data/real/ imported and monitored as the product does.

    python benchmarks/real_data.py                              # the 12 files, a few minutes on 2 cores
    python benchmarks/real_data.py --dataset multiboard_liepin  # one file (repeatable)
    python benchmarks/real_data.py --keep /tmp/real             # keep the stores

Each file is described in benchmarks/real_datasets.yaml (file, column map, city, notes; no code per
file). It is imported with ``import_records`` — what ``jobmon import postings FILE --map ...`` runs —
into a fresh SQLite store of its own, then ``compute`` runs on that store — what ``jobmon monitor``
runs: duplicate clusters, weekly metrics, shortage lists (city-wide when the file names a city,
else the whole country). Printed per file:

- rows in the file, records stored, rows repeating an id seen earlier in the file, rejects;
- shares of the stored postings with an occupation code, with a code at 细类 (a leaf: last segment
  not 00), with a monthly pay (``salary_mid_monthly``), with a district; clusters per 100 postings
  (undated postings join others only by their id, so an undated file stays near 100);
- seconds to import and to monitor, beside a baseline timed in the same run: reading the same file
  with the standard library's ``csv`` module;
- then rejects by reason, pay periods, the ten most frequent titles left without a code, the most
  frequent salary texts that were not read and the most frequent place texts whose district did not
  resolve (ambiguous or not recognised; texts naming only a city are not listed).

Caches (titles, salary texts, places) stay warm from one file to the next, as in a long crawl: run one
file with ``--dataset`` for its cold time.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.imports import import_records  # noqa: E402
from db.store import open_db  # noqa: E402
from monitor.compute import compute  # noqa: E402
from normalize.place import unparsed_places  # noqa: E402

CONFIG = ROOT / "benchmarks" / "real_datasets.yaml"
TOP_TITLES = 10
TOP_SALARIES = 5
TOP_PLACES = 5


def default_data_dir() -> Path | None:
    """The nearest ``shared/data/real`` above the repository (../shared from the main checkout)."""
    return next((p / "shared" / "data" / "real" for p in ROOT.parents if (p / "shared" / "data" / "real").is_dir()),
                None)


def csv_baseline(path: Path) -> tuple[int, float]:
    """(rows, seconds) of reading every row of the file with the csv module."""
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    return rows, time.perf_counter() - started


def figures(db) -> dict:
    """What the store holds after the import and the monitor."""
    one = db.execute("""
        SELECT count(*) AS n,
               sum(occupation_code IS NOT NULL) AS coded,
               sum(occupation_code IS NOT NULL AND occupation_code NOT LIKE '%-00') AS leaf,
               sum(salary_mid_monthly IS NOT NULL) AS paid,
               sum(district IS NOT NULL) AS district,
               sum(posted_at IS NOT NULL) AS dated,
               count(DISTINCT coalesce(cluster_id, -id)) AS clusters
        FROM postings""").fetchone()
    found = dict(zip(("n", "coded", "leaf", "paid", "district", "dated", "clusters"), (v or 0 for v in one)))
    found["periods"] = db.execute(
        "SELECT coalesce(salary_period, '-'), count(*) FROM postings GROUP BY 1 ORDER BY 2 DESC").fetchall()
    found["uncoded"] = db.execute(
        "SELECT title, count(*) FROM postings WHERE occupation_code IS NULL GROUP BY title "
        "ORDER BY 2 DESC, title LIMIT ?", [TOP_TITLES]).fetchall()
    found["unparsed"] = db.execute(
        "SELECT salary_text, count(*) FROM postings WHERE ',' || normalize_notes || ',' LIKE '%,salary_unparsed,%' "
        "GROUP BY salary_text ORDER BY 2 DESC, salary_text LIMIT ?", [TOP_SALARIES]).fetchall()
    found["unparsed_n"] = db.execute(
        "SELECT count(*) FROM postings WHERE ',' || normalize_notes || ',' LIKE '%,salary_unparsed,%'").fetchone()[0]
    texts = [text for (text,) in db.execute("SELECT location_text FROM postings WHERE district IS NULL")]
    found["places"] = unparsed_places(texts, top=TOP_PLACES)
    return found


def run_dataset(name: str, spec: dict, data: Path, work: Path) -> dict:
    path = data / spec["file"]
    rows, baseline = csv_baseline(path)
    store = work / f"{name}.db"
    store.unlink(missing_ok=True)
    db = open_db(store)
    started = time.perf_counter()
    result = import_records(db, "postings", path, source=spec.get("source"), mapping=dict(spec["map"]),
                            city=spec.get("city"))
    imported = time.perf_counter() - started
    started = time.perf_counter()
    weeks = compute(db, city=spec.get("city"))
    monitored = time.perf_counter() - started
    found = figures(db)
    db.conn.close()
    return {"name": name, "rows": rows, "result": result, "import_s": imported, "monitor_s": monitored,
            "baseline_s": baseline, "weeks": len(weeks), **found}


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


HEADER = (f"{'dataset':<25}{'rows':>6}{'stored':>7}{'repeat':>7}{'reject':>7}{'code%':>7}{'细类%':>6}{'pay%':>7}"
          f"{'distr%':>7}{'clus/100':>9}{'dated%':>7}{'import s':>9}{'monitor s':>10}{'csv s':>7}{'ratio':>7}")


def table_line(r: dict) -> str:
    n = r["n"]
    rejected = sum(r["result"].rejected.values())
    return (f"{r['name']:<25}{r['rows']:>6,}{n:>7,}{r['result'].repeated:>7,}{rejected:>7,}{share(r['coded'], n):>7}"
            f"{share(r['leaf'], n):>7}{share(r['paid'], n):>7}{share(r['district'], n):>7}"
            f"{share(r['clusters'], n):>9}{share(r['dated'], n):>7}{r['import_s']:>9.1f}{r['monitor_s']:>10.1f}"
            f"{r['baseline_s']:>7.2f}{r['import_s'] / r['baseline_s']:>7.0f}")


def total_line(results: list[dict]) -> str:
    total = {key: sum(r[key] for r in results) for key in
             ("rows", "n", "coded", "leaf", "paid", "district", "clusters", "dated", "import_s", "monitor_s",
              "baseline_s")}
    repeated = sum(r["result"].repeated for r in results)
    rejected = sum(sum(r["result"].rejected.values()) for r in results)
    n = total["n"]
    return (f"{'all':<25}{total['rows']:>6,}{n:>7,}{repeated:>7,}{rejected:>7,}{share(total['coded'], n):>7}"
            f"{share(total['leaf'], n):>7}{share(total['paid'], n):>7}{share(total['district'], n):>7}"
            f"{share(total['clusters'], n):>9}{share(total['dated'], n):>7}{total['import_s']:>9.1f}"
            f"{total['monitor_s']:>10.1f}{total['baseline_s']:>7.2f}{total['import_s'] / total['baseline_s']:>7.0f}")


def details(r: dict, spec: dict) -> None:
    result = r["result"]
    print(f"\n{r['name']} ({spec['file']}){': ' + spec['notes'] if spec.get('notes') else ''}")
    rejects = ", ".join(f"{reason} {count}" for reason, count in result.rejected.most_common()) or "none"
    print(f"  rejects: {rejects}; weeks monitored: {r['weeks']}")
    print("  pay periods: " + ", ".join(f"{period} {count:,}" for period, count in r["periods"]))
    print("  titles without a code: " + ("; ".join(f"{title} {count}" for title, count in r["uncoded"]) or "none"))
    unparsed = "; ".join(f"{text!r} {count}" for text, count in r["unparsed"])
    print(f"  salary texts not read: {r['unparsed_n']:,}" + (f" — {unparsed}" if unparsed else ""))
    places = "; ".join(f"{p.text!r} {p.count} ({p.reason})" for p in r["places"])
    print("  place texts naming a district that did not resolve: " + (places or "none"))


def main(argv: list[str] | None = None) -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", action="append", choices=sorted(config), metavar="NAME",
                        help="run only this file (repeatable); names: " + ", ".join(config))
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="the real-data folder")
    parser.add_argument("--keep", type=Path, default=None, help="keep the stores in this folder")
    options = parser.parse_args(argv)
    if options.data is None or not options.data.is_dir():
        parser.error("no real-data folder (../shared/data/real): give --data")
    names = options.dataset or list(config)
    work = options.keep or Path(tempfile.mkdtemp(prefix="jobmon-real-"))
    work.mkdir(parents=True, exist_ok=True)

    print(f"jobmon on real postings, {len(names)} file(s) of {options.data}, {datetime.now():%Y-%m-%d %H:%M}\n")
    results, started = [], time.perf_counter()
    try:
        for name in names:
            results.append(run_dataset(name, config[name], options.data, work))
            print(f"  {name}: {results[-1]['import_s'] + results[-1]['monitor_s']:.1f} s", file=sys.stderr)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(HEADER)
    for r in results:
        print(table_line(r))
    if len(results) > 1:
        print(total_line(results))
    print(f"\nwall time {time.perf_counter() - started:.1f} s for {len(results)} file(s) (csv reads, imports, "
          "monitors, figures)")
    print("shares are of the stored postings; ratio = import seconds ÷ csv-read seconds of the same file "
          "(baseline, this run); repeat = rows whose id came earlier in the file (the later row is kept)")
    for r in results:
        details(r, config[r["name"]])
    if options.keep:
        print(f"\nstores: {work}")


if __name__ == "__main__":
    main()
