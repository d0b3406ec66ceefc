import pytest

from crawlers.board.server import start_board

SMALL_BOARD = {"postings": 1500, "seekers": 1100, "seed": 7, "weeks": 12, "end_week": "2026-W46"}


@pytest.fixture(scope="session")
def board_url():
    """A small local job board on 127.0.0.1 for crawl tests."""
    with start_board(**SMALL_BOARD) as url:
        yield url
