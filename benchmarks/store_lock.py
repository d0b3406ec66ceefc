"""A crawl while another process holds the store's write lock: what is stored, what the run says.

    python benchmarks/store_lock.py                      # 2,000 postings, a 40 s lock, default timeouts
    python benchmarks/store_lock.py --lock 5 --busy-timeout 1

A crawl (`scrapy crawl jobposting`, the local board behind tests/fault_server.py on 127.0.0.1,
fast settings) starts; once its first batch is stored, another process takes the store's write
lock (BEGIN EXCLUSIVE) for ``--lock`` seconds. Prints the postings stored of those readable,
duplicates, the run's status, finish reason and counts, and the store's retries.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.board.market import build_market  # noqa: E402
from tests.crawling import crawl_command  # noqa: E402
from tests.fault_server import FaultyBoard  # noqa: E402
from tests.reliability.helpers import count, store_locked, wait_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--lock", type=float, default=40.0, help="seconds the other process holds the lock")
    parser.add_argument("--busy-timeout", type=float, default=None, help="JOBMON_BUSY_TIMEOUT (default: 30)")
    args = parser.parse_args()
    market = build_market(postings=args.postings, seekers=args.postings * 3 // 4, seed=23, weeks=12,
                          end_week="2026-W46")
    readable = {p.id for p in market.postings if p.broken is None}
    settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 4, "JOBMON_BATCH_SIZE": 100, "JOBMON_FLUSH_INTERVAL": 0.5}
    if args.busy_timeout is not None:
        settings["JOBMON_BUSY_TIMEOUT"] = args.busy_timeout
    with TemporaryDirectory() as folder, FaultyBoard(market) as board:
        db = Path(folder) / "store.db"
        started = time.monotonic()
        crawl = subprocess.Popen(crawl_command(f"{board.url}/sitemap.xml", db, **settings), cwd=ROOT,
                                 stderr=subprocess.DEVNULL)
        wait_for(lambda: count(db, "SELECT count(*) FROM postings") >= 100, timeout=120, what="the first batch")
        with store_locked(db, seconds=args.lock):
            pass
        crawl.wait(timeout=3600)
        connection = sqlite3.connect(db)
        stored = [row[0] for row in connection.execute("SELECT source_id FROM postings")]
        run = dict(zip([c[0] for c in connection.execute("SELECT * FROM crawl_runs").description],
                       connection.execute("SELECT * FROM crawl_runs").fetchone()))
        stats = json.loads(run["stats_json"] or "{}")
    print(f"lock {args.lock:.0f} s: stored {len(set(stored) & readable):,} of {len(readable):,} readable postings "
          f"({len(stored) - len(set(stored))} duplicates) in {time.monotonic() - started:.0f} s; exit {crawl.returncode}; "
          f"run {run['status']} ({run['finish_reason']}), complete {run['complete']}, records_new {run['records_new']}, "
          f"errors {run['errors']}, unsaved {run.get('records_unsaved', 'n/a')}, "
          f"store retries {stats.get('jobmon/store_retries', 0)}")


if __name__ == "__main__":
    main()
