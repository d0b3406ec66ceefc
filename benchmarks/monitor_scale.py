"""The monitor at scale: 1,000,000 postings and 750,000 job seekers over 52 ISO weeks.

    python benchmarks/monitor_scale.py                       # 1M postings, every default cut
    python benchmarks/monitor_scale.py --postings 200000     # quicker
    python benchmarks/monitor_scale.py --cuts city           # only the whole-city cuts (4 levels)

Writes a synthetic store straight into SQLite (executemany in one transaction; no crawl, no
normalization: occupation, place, pay and dates are drawn already normalized; each posting starts
alone in its duplicate cluster, as ``db.writes.upsert_records`` stores crawled ones), then times, each
in a fresh child process so that its peak RSS is its own:
- monitor: ``monitor.compute.compute`` over every week — read postings and seekers, every
  metric of every cell of every cut, suppression, shortage lists, write both tables — ``--runs``
  times (default 3), each on a fresh copy of the store; the median run is reported, and memory
  as the peak of the monitor and its reader / writer child processes together, sampled from /proc;
  the WAL checkpoint the monitor leaves to SQLite's next commit or close is timed apart, after it;
- baseline: read the same postings with the same SQL and take a bare pandas groupby quantile
  (P25/P50/P75 of pay per posting week × occupation).
Target on the 2-core machine: monitor ≤ 15 s and ≤ 1.5 GB.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(ROOT))

from db.store import open_db  # noqa: E402
from db.writes import ensure_source, load_occupations  # noqa: E402
from normalize.taxonomy import TAXONOMY_VERSION, occupation_rows, occupations  # noqa: E402

ZONES = {"东城区": "中心城区", "西城区": "中心城区", "朝阳区": "中心城区", "海淀区": "中心城区", "丰台区": "中心城区",
         "石景山区": "中心城区", "通州区": "城市副中心", "顺义区": "平原新城", "大兴区": "平原新城", "昌平区": "平原新城",
         "房山区": "平原新城", "门头沟区": "生态涵养区", "平谷区": "生态涵养区", "怀柔区": "生态涵养区",
         "密云区": "生态涵养区", "延庆区": "生态涵养区"}
DISTRICT_WEIGHTS = [5, 6, 24, 26, 7, 3, 5, 4, 6, 6, 2, 1, 1, 1, 1, 1]
INDUSTRIES = ["新一代信息技术", "集成电路", "医药健康", "智能装备", "新能源智能汽车", "新材料", "绿色能源与节能环保",
              "科技服务", "商务服务", "金融", "文化创意", "现代农业", "生活服务", "教育培训", "批发零售"]
START = np.datetime64("2025-11-24")  # a Monday: 52 ISO weeks from 2025-W48 to 2026-W47


def generate(path: Path, postings: int, seekers: int, seed: int) -> None:
    """Draw and write the synthetic store (normalized columns only; raw text is a placeholder)."""
    rng = np.random.default_rng(seed)
    db = open_db(path)
    load_occupations(db, occupation_rows())
    ensure_source(db, "bench", "postings", "jobposting", None)
    ensure_source(db, "bench-talent", "seekers", "seekers", None)
    leaves = sorted(c for c, o in occupations().items() if o.level == 4)
    codes = np.array(leaves, dtype=object)
    weight = rng.lognormal(0, 1.2, len(codes))
    weight /= weight.sum()
    districts = np.array(list(ZONES), dtype=object)
    zones = np.array([ZONES[d] for d in districts], dtype=object)
    district_p = np.array(DISTRICT_WEIGHTS, float) / sum(DISTRICT_WEIGHTS)

    occupation = rng.choice(len(codes), postings, p=weight)
    district = rng.choice(len(districts), postings, p=district_p)
    company = rng.integers(0, max(1000, postings // 20), postings)
    posted = START + rng.integers(0, 52 * 7, postings).astype("timedelta64[D]")
    stay = np.maximum(3, rng.lognormal(np.log(16), 0.5, postings)).astype(np.int64)
    valid = posted + stay.astype("timedelta64[D]")
    closed = np.where(rng.random(postings) < 0.5, posted + (stay * rng.uniform(0.3, 1, postings)).astype(
        np.int64).astype("timedelta64[D]"), np.datetime64("NaT"))
    repost = rng.random(postings) < 0.08  # the same employer, occupation and district again
    mid = np.round(rng.lognormal(np.log(9000), 0.5, postings) * (1 + occupation % 7 / 10), -2)
    negotiable = rng.random(postings) < 0.06
    headcount = rng.choice([1, 2, 3, 5, 10], postings, p=[0.6, 0.2, 0.1, 0.07, 0.03])
    industry = rng.integers(0, len(INDUSTRIES), postings)
    key = np.where(repost, np.roll(np.arange(postings), 1), np.arange(postings))  # a repost copies its neighbour
    columns = ["source", "source_id", "title", "description", "occupation_code", "occupation_name", "salary_mid_monthly",
               "salary_negotiable", "salary_currency", "city", "district", "zone", "industry_text", "headcount",
               "company_norm", "dedup_key", "posted_at", "valid_through", "closed_at", "normalizer_version",
               "taxonomy_version", "first_seen", "last_seen"]
    names = {c: o.name for c, o in occupations().items()}
    code_of = codes[occupation[key]]
    district_of, company_of = districts[district[key]], company[key]
    rows = zip(
        ["bench"] * postings, map(str, range(postings)), ["title"] * postings, ["岗位职责：见面详谈"] * postings,
        code_of.tolist(),
        [names[c] for c in code_of], np.where(negotiable, np.nan, mid).tolist(), negotiable.astype(int).tolist(),
        ["CNY"] * postings, ["北京市"] * postings, district_of.tolist(), zones[district[key]].tolist(),
        [INDUSTRIES[i] for i in industry[key]], headcount.tolist(),
        [f"company{c}" for c in company_of],
        [f"company{c}|{o}|{d}" for c, o, d in zip(company_of, code_of, district_of)],
        posted.astype(str).tolist(), valid.astype(str).tolist(),
        [None if c == "NaT" else c for c in closed.astype(str)], ["bench"] * postings,
        [TAXONOMY_VERSION] * postings, ["2026-11-22T00:00:00+00:00"] * postings,
        ["2026-11-22T00:00:00+00:00"] * postings,
    )
    _insert(db, "postings", columns, rows)

    s_occupation = rng.choice(len(codes), seekers, p=weight)
    s_district = rng.choice(len(districts), seekers, p=district_p)
    start = START - np.timedelta64(28, "D") + rng.integers(0, 52 * 7 + 28, seekers).astype("timedelta64[D]")
    end = start + rng.integers(14, 60, seekers).astype("timedelta64[D]")
    columns = ["source", "source_id", "desired_title", "occupation_code", "city", "district", "zone", "active_from",
               "active_to", "normalizer_version", "taxonomy_version", "first_seen", "last_seen"]
    rows = zip(
        ["bench-talent"] * seekers, map(str, range(seekers)), ["title"] * seekers, codes[s_occupation].tolist(),
        ["北京市"] * seekers, districts[s_district].tolist(), zones[s_district].tolist(), start.astype(str).tolist(),
        end.astype(str).tolist(), ["bench"] * seekers, [TAXONOMY_VERSION] * seekers,
        ["2026-11-22T00:00:00+00:00"] * seekers, ["2026-11-22T00:00:00+00:00"] * seekers,
    )
    _insert(db, "seekers", columns, rows)
    db.conn.close()


def _insert(db, table: str, columns: list[str], rows) -> None:
    with db.conn:
        db.conn.execute("BEGIN")
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            rows)
        if table == "postings":  # as db.writes.upsert_records stores them: each posting alone in its cluster
            db.conn.execute("UPDATE postings SET cluster_id = id WHERE cluster_id IS NULL")


class TreeMemory:
    """Peak resident memory of this process and its children together (the monitor's reader and
    writer processes), sampled every 50 ms from /proc: ``ru_maxrss`` counts one process only."""

    def __init__(self):
        self.peak_mb, self.children_peak_mb, self._stop = 0.0, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss_mb(pid: str) -> float:
        try:
            with open(f"/proc/{pid}/status") as status:
                return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            return 0.0

    def _children(self) -> list[str]:
        found = []
        for task in Path("/proc/self/task").iterdir():
            try:
                found += (task / "children").read_text().split()
            except OSError:
                pass
        return found

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            children = sum(self._rss_mb(pid) for pid in self._children())
            self.children_peak_mb = max(self.children_peak_mb, children)
            self.peak_mb = max(self.peak_mb, self._rss_mb("self") + children)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_monitor(path: str, cuts: str) -> dict:
    from monitor import weekly
    from monitor.compute import compute

    groupings = weekly.DEFAULT_GROUPINGS if cuts == "all" else tuple(
        g for g in weekly.DEFAULT_GROUPINGS if g.place_kind == "city" and not g.by_industry)
    db = open_db(path)
    started = time.perf_counter()
    stages, last = [], [started]

    def stage(message: str) -> None:  # seconds since the previous progress message
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stages.append(f"{now - last[0]:6.1f} s  peak {peak:5,.0f} MB  {message}")
        last[0] = now

    with TreeMemory() as memory:
        weeks = compute(db, "北京市", groupings=groupings, progress=stage)
    seconds = time.perf_counter() - started
    cells = db.execute("SELECT count(*) FROM weekly_metrics").fetchone()[0]
    ranked = db.execute("SELECT count(*) FROM shortages").fetchone()[0]
    started = time.perf_counter()  # what the monitor left to SQLite's next commit or close, timed on its own
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    checkpoint = time.perf_counter() - started
    return {"seconds": seconds, "weeks": len(weeks), "cells": cells, "ranked": ranked, "stages": stages,
            "cpu_seconds": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
            "children_cpu_seconds": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
            "tree_peak_mb": memory.peak_mb, "children_peak_mb": memory.children_peak_mb,
            "checkpoint_seconds": checkpoint}


def run_baseline(path: str) -> dict:
    """Read the monitor's postings and take pay quartiles per posting week × occupation."""
    import pandas as pd

    from db import reads

    db = open_db(path)
    started = time.perf_counter()
    postings = reads.monitor_postings(db, "北京市")
    week = pd.to_datetime(postings["posted_at"], format="ISO8601").dt.to_period("W")
    quartiles = postings.groupby([week, postings["occupation_code"]])["salary"].quantile([0.25, 0.5, 0.75])
    return {"seconds": time.perf_counter() - started, "cells": len(quartiles) // 3}


def child(mode: str, path: str, cuts: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", mode, "--db", path, "--cuts", cuts],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    if output.returncode:
        raise SystemExit(f"the {mode} child failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--seekers", type=int, default=None, help="default: 3/4 of --postings")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--cuts", choices=["all", "city"], default="all",
                        help="all: every default cut (levels × city/district/zone × industry); city: whole city only")
    parser.add_argument("--db", default=None, help="reuse or create this store (default: a temporary file)")
    parser.add_argument("--runs", type=int, default=3, help="monitor runs, each on a fresh copy of the store; the "
                        "median is reported (timings on a shared 2-core machine move by ±20 %%)")
    parser.add_argument("--child", choices=["monitor", "baseline"], help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        result = run_monitor(options.db, options.cuts) if options.child == "monitor" else run_baseline(options.db)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    path = Path(options.db or Path(tempfile.mkdtemp(prefix="jobmon-scale-")) / "scale.db")
    if not path.exists():
        seekers = options.postings * 3 // 4 if options.seekers is None else options.seekers
        started = time.perf_counter()
        generate(path, options.postings, seekers, options.seed)
        print(f"generated {options.postings:,} postings and {seekers:,} job seekers over 52 weeks in "
              f"{time.perf_counter() - started:.0f} s: {path}")
    baseline = child("baseline", str(path), options.cuts)
    runs = []
    for _ in range(options.runs):  # each on a fresh copy: the first run also writes the duplicate clusters
        copy = path.with_name(f"{path.stem}-run{path.suffix}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(path, copy)
        runs.append(child("monitor", str(copy), options.cuts))
    monitor = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]  # the median run
    memory = max(run["tree_peak_mb"] for run in runs)
    print(f"{'':<10}{'seconds':>10}{'peak MB':>10}  what")
    every = ", ".join(f"{run['seconds']:.1f}" for run in runs)
    print(f"{'monitor':<10}{monitor['seconds']:>10.1f}{memory:>10,.0f}  median of {len(runs)} runs ({every} s); "
          f"{monitor['weeks']} weeks, {monitor['cells']:,} cells ({options.cuts} cuts), {monitor['ranked']:,} ranked; "
          "read + compute + write")
    print(f"{'baseline':<10}{baseline['seconds']:>10.1f}{baseline['peak_rss_mb']:>10,.0f}  read + pandas groupby "
          f"quantile, {baseline['cells']:,} week × occupation cells")
    print(f"monitor memory: peak of the monitor and its reader / writer processes together {memory:,.0f} MB "
          f"(the monitor alone {max(run['peak_rss_mb'] for run in runs):,.0f} MB, its children alone "
          f"{max(run['children_peak_mb'] for run in runs):,.0f} MB)")
    print("median run's stages (seconds since the previous message, peak RSS of the monitor so far):\n  "
          + "\n  ".join(monitor["stages"]))
    print(f"median run's CPU seconds (user + system): monitor {monitor['cpu_seconds']:.1f}, "
          f"its children {monitor['children_cpu_seconds']:.1f}")
    print(f"then the WAL checkpoint the monitor leaves to SQLite's next commit or close (copying the log "
          f"into the database file), timed apart: {monitor['checkpoint_seconds']:.1f} s")
    met = monitor["seconds"] <= 15 and memory <= 1536
    print(f"ratio monitor ÷ baseline: {monitor['seconds'] / baseline['seconds']:.1f}× time; "
          f"target ≤ 15 s and ≤ 1,536 MB: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
