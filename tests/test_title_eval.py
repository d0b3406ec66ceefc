"""The labelled evaluation set of posting titles: it holds what it promises, and the matcher keeps
its accuracy on it (benchmarks/eval_titles.py prints the figures)."""
import sys
from pathlib import Path

import pytest

from normalize.taxonomy import occupations
from normalize.titles import _index, alias_key

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_titles import correct_at, evaluate, load_eval, load_set  # noqa: E402

ROWS = load_eval()
# The older hand-written set, kept as a regression check. Its figures fell when the aliases that
# are titles of the real evaluation half left the dictionary (tests/test_title_split.py) and where
# its conventions differ from the labelling guide (行政/文员 → 3-01-02-00, not 秘书). The floors
# sit just under what the matcher reaches now.
FLOORS = {4: 0.79, 3: 0.83, 2: 0.87, 1: 0.91}


def test_the_set_is_large_and_labelled_at_leaf_level():
    taxonomy = occupations()
    assert len(ROWS) >= 1_000
    assert len({title for title, _ in ROWS}) == len(ROWS)
    assert all(code in taxonomy and taxonomy[code].level == 4 for _, code in ROWS)
    assert len({code for _, code in ROWS}) >= 250


def test_no_eval_title_is_an_alias_as_written():
    # Cleaning now drops shop names and employer asides ("包子师傅 早餐店" → 包子师傅), so the
    # cleaned forms of this older hand-written set may be aliases; the titles as written are not.
    index = _index()
    known = [t for t, _ in ROWS if alias_key(t) in index.aliases or alias_key(t) in index.names]
    assert not known, known[:10]


@pytest.fixture(scope="module")
def report():
    return evaluate(ROWS)


@pytest.mark.parametrize("level", sorted(FLOORS, reverse=True))
def test_accuracy_floor(report, level):
    assert report.accuracy(level) >= FLOORS[level]


def test_coverage(report):
    assert report.coverage >= 0.95


# --- the labelled real titles of the development half (tests/data/title_dev_real.csv) --------------

DEV_ROWS = load_set()
# Floors just under what the matcher reaches on the development set (the set rules were learned
# from: the blind evaluation half is scored by the integrator, not here).
DEV_FLOORS = {4: 0.77, 3: 0.79, 2: 0.84, 1: 0.88}


def test_the_dev_set_is_real_and_labelled():
    taxonomy = occupations()
    assert len(DEV_ROWS) >= 1_000
    assert all(row["code"] == "NONE" or row["code"] in taxonomy for row in DEV_ROWS)


@pytest.fixture(scope="module")
def dev_report():
    return evaluate(DEV_ROWS)


@pytest.mark.parametrize("level", sorted(DEV_FLOORS, reverse=True))
def test_dev_accuracy_floor(dev_report, level):
    assert dev_report.accuracy(level) >= DEV_FLOORS[level]


def test_dev_no_code_share(dev_report):
    assert dev_report.no_code <= 0.05


def test_wildcard_scoring():
    assert correct_at("2-08-02-03", "2-08-02-00", 4)          # a finer prediction under a coarse label
    assert not correct_at("2-08-00-00", "2-08-02-00", 3)      # a coarser prediction counts where it states
    assert correct_at("2-08-00-00", "2-08-02-00", 2)
    assert correct_at(None, "NONE", 4) and not correct_at("4-01-02-01", "NONE", 1)
    assert not correct_at(None, "2-08-02-03", 1)
