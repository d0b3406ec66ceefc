"""Crawls through a misbehaving web (tests/fault_server.py on 127.0.0.1, the real Scrapy engine in
a child process, a real SQLite store): server errors, hung connections, 429 with Retry-After,
truncated bodies, captcha and 403 answers."""
import json
import time
from collections import Counter

import pytest

from crawlers.board.market import build_market
from db.store import open_db

from .crawling import crawl
from .fault_server import Faults, FaultyBoard



@pytest.fixture(scope="module")
def market():
    return build_market(postings=1500, seekers=1100, seed=11, weeks=12, end_week="2026-W46")


def test_crawl_through_faults_captures_every_posting_once(market, tmp_path):
    faults = Faults(seed=3, server_error=0.20, hang=0.05, too_many=0.03, truncated=0.02, retry_after="1")
    started = time.monotonic()
    with FaultyBoard(market, faults) as board:
        run = crawl(f"{board.url}/sitemap.xml", tmp_path / "store.db", DOWNLOAD_TIMEOUT=3, RETRY_TIMES=8)
        outcomes = Counter(outcome for *_, outcome in board.log)
    readable = {p.id for p in market.postings if p.broken is None}
    db = open_db(tmp_path / "store.db")
    stored = [row[0] for row in db.execute("SELECT source_id FROM postings")]
    captured = len(set(stored) & readable) / len(readable)
    print(f"\nfaults {dict(outcomes)}; captured {captured:.2%} of {len(readable)} postings, "
          f"{len(stored) - len(set(stored))} duplicates, {time.monotonic() - started:.1f} s")
    assert len(stored) == len(set(stored))
    assert set(stored) <= readable
    assert captured >= 0.995
    requests = sum(outcomes.values())
    assert outcomes["5xx"] > 0.15 * requests and outcomes["hang"] > 0.03 * requests
    assert outcomes["429"] > 0.02 * requests and outcomes["truncated"] > 0.01 * requests
    stats = json.loads(run["stats_json"])
    assert stats["jobmon/retry_after/count"] > 0
    assert run["status"] == "finished" and run["records_new"] == len(set(stored))


def test_blocked_answers_are_counted_never_parsed_and_retried_later(tmp_path):
    market = build_market(postings=200, seekers=150, seed=5, weeks=12, end_week="2026-W46")
    ids = [p.id for p in market.postings if p.broken is None]
    path = "/jobs/{}.html".format
    always, once, forbidden, throttled = ids[:5], ids[5:10], ids[10:13], ids[13:16]
    script = {**{path(i): ["captcha"] * 9 for i in always}, **{path(i): ["captcha"] for i in once},
              **{path(i): ["forbidden"] * 9 for i in forbidden}, **{path(i): ["429"] for i in throttled}}
    with FaultyBoard(market, Faults(script=script, retry_after="1")) as board:
        run = crawl(f"{board.url}/sitemap.xml", tmp_path / "store.db", JOBMON_BLOCK_BACKOFF=0.05,
                    JOBMON_BLOCK_BACKOFF_MAX=0.2)
        throttled_requests = [board.requests_for(path(i)) for i in throttled]
    db = open_db(tmp_path / "store.db")
    stored = {row[0] for row in db.execute("SELECT source_id FROM postings")}
    assert stored == set(ids) - set(always) - set(forbidden)
    rejected = {row[0] for row in db.execute("SELECT url FROM rejects")}
    assert not any(url.endswith(path(i)) for url in rejected for i in always + forbidden)
    # every answer counted: 3 attempts (JOBMON_BLOCK_RETRY_TIMES = 2) for the pages that stay blocked
    assert run["blocked"] == 3 * len(always) + len(once) + 3 * len(forbidden)
    dropped = json.loads(run["dropped_json"])
    gave_up = {reason: n for reason, n in dropped.items() if reason.startswith("gave_up/")}
    assert gave_up == {"gave_up/blocked_captcha": len(always), "gave_up/blocked_forbidden": len(forbidden)}
    assert run["complete"] == 1  # lost detail pages keep their postings open, not the crawl incomplete
    stats = json.loads(run["stats_json"])
    assert stats["jobmon/backoff/delay_max"] >= 0.05
    for requests in throttled_requests:  # the retry waited for Retry-After: 1 (server-side clock)
        (first, _, outcome), (second, _, _) = requests
        assert outcome == "429" and second - first >= 0.95
