"""How a crawl's stats become its run's status and the command's exit code (the rules behind the
real-crawl tests beside this file), case by case."""
import pytest

from crawlers.outcome import crawl_outcome
from monitor import exitcodes

ROBOTS = {"robotstxt/response_count": 1, "response_received_count": 1}
CASES = [
    # (case, finish reason, stats, signal, status, finish_reason, complete, exit code)
    ("complete", "finished", {**ROBOTS, "response_received_count": 5, "jobmon/records_new": 3},
     None, "finished", "finished", True, 0),
    ("fresh pages count as seen", "finished", {**ROBOTS, "response_received_count": 2, "jobmon/skipped_fresh": 9},
     None, "finished", "finished", True, 0),
    ("a detail page given up: partial", "finished",
     {**ROBOTS, "response_received_count": 5, "jobmon/records_new": 3, "jobmon/gave_up/http_500": 1},
     None, "finished", "finished", True, 3),
    ("a listing page given up: incomplete", "finished",
     {**ROBOTS, "response_received_count": 5, "jobmon/records_new": 3, "jobmon/gave_up/http_500": 1,
      "jobmon/gave_up_pages": 1}, None, "finished", "finished", False, 3),
    ("answered, nothing found", "finished", {**ROBOTS, "response_received_count": 2},
     None, "finished", "finished", False, 3),
    ("unreachable", "finished", {"jobmon/gave_up/ConnectionRefusedError": 1, "jobmon/gave_up_pages": 1},
     None, "failed", "unreachable", False, 1),
    ("robots.txt forbids all", "finished", {**ROBOTS, "robotstxt/forbidden": 1},
     None, "failed", "robots_blocked", False, 1),
    ("redirect loop", "finished", {**ROBOTS, "jobmon/gave_up/redirect_loop": 1, "jobmon/gave_up_pages": 1},
     None, "failed", "redirect_loop", False, 1),
    ("the one sitemap lost", "finished", {**ROBOTS, "response_received_count": 2, "jobmon/gave_up/http_503": 1,
                                          "jobmon/gave_up_pages": 1}, None, "failed", "pages_lost", False, 1),
    ("Ctrl-C", "shutdown", {**ROBOTS, "jobmon/records_new": 3}, "SIGINT", "interrupted", "SIGINT", False, 130),
    ("SIGTERM", "shutdown", {**ROBOTS, "jobmon/records_new": 3}, "SIGTERM", "interrupted", "SIGTERM", False, 143),
    ("Scrapy's own stop", "closespider_timeout", {**ROBOTS, "jobmon/records_new": 3},
     None, "failed", "closespider_timeout", False, 1),
]


@pytest.mark.parametrize("case,reason,stats,signal_name,status,finish_reason,complete,code", CASES,
                         ids=[c[0] for c in CASES])
def test_crawl_outcome_and_exit_code(case, reason, stats, signal_name, status, finish_reason, complete, code):
    outcome = crawl_outcome(reason, stats, signal_name=signal_name)
    assert (outcome.status, outcome.finish_reason, outcome.complete) == (status, finish_reason, complete)
    assert outcome.note or (status == "finished" and complete and code == 0)
    dropped = {k[len("jobmon/"):]: v for k, v in stats.items() if k.startswith("jobmon/gave_up/")}
    if stats.get("robotstxt/forbidden"):
        dropped["robots_forbidden"] = stats["robotstxt/forbidden"]
    assert exitcodes.crawl_exit_code(outcome.status, int(outcome.complete), dropped, signal_name) == code


def test_a_store_that_refused_the_records_fails_the_run_whatever_else():
    outcome = crawl_outcome("store_write_failed", {"jobmon/records_new": 40}, write_error="database is locked",
                            unsaved=12)
    assert (outcome.status, outcome.finish_reason) == ("failed", "store_write_failed")
    assert "12 records not stored" in outcome.note and "40 records stored" in outcome.note
