"""Start `scrapy crawl` the way operators do, from the project root, in a child process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from db.store import open_db

ROOT = Path(__file__).parent.parent
FAST = {"CONCURRENT_REQUESTS": 64, "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": 0, "LOG_LEVEL": "WARNING"}


def crawl_command(start: str, db: Path, source: str = "board", spider: str = "jobposting", **settings) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"start={start}", "-a", f"source={source}",
               "-a", "city=北京市", "-s", f"JOBMON_DB={db}"]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(start: str, db: Path, source: str = "board", timeout: float = 120, **settings) -> dict:
    """Run one crawl to its end; return its crawl_runs row."""
    subprocess.run(crawl_command(start, db, source, **settings), cwd=ROOT, check=True, timeout=timeout)
    return latest_run(db)


def latest_run(db: Path) -> dict:
    store = open_db(db)
    try:
        return dict(next(store.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")))
    finally:
        store.conn.close()
