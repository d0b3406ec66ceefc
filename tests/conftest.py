import pytest

from crawlers.board.server import start_board

SMALL_BOARD = {"postings": 1500, "seekers": 1100, "seed": 7, "weeks": 12, "end_week": "2026-W46"}


@pytest.fixture(scope="session")
def board_url():
    """A small local job board on 127.0.0.1 for crawl tests."""
    with start_board(**SMALL_BOARD) as url:
        yield url


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """A small real store (`jobmon demo --postings 3000`, ~20 s) whose last week is the ISO week
    that has just ended, so the weekly monitor job has data to compute. 3,000 postings is about
    the least for which the monitor's small-cell thresholds still rank a few 细类 occupations."""
    import subprocess
    from datetime import datetime

    from monitor.scheduling import week_just_ended

    db = tmp_path_factory.mktemp("small_store") / "jobmon.db"
    end_week = week_just_ended(datetime.now().astimezone())
    result = subprocess.run(["jobmon", "demo", "--postings", "3000", "--end-week", end_week, "--db", str(db),
                             "--top", "3"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture(scope="session")
def fixture_sites():
    """The saved sites of tests/fixtures/sites/ served on 127.0.0.1, one server per folder:
    {"json_api": "http://127.0.0.1:PORT", ...}."""
    from .fixture_sites import serve_sites

    with serve_sites() as urls:
        yield urls
