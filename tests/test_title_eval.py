"""The labelled evaluation set of posting titles: it holds what it promises, and the matcher keeps
its accuracy on it (benchmarks/eval_titles.py prints the figures)."""
import sys
from pathlib import Path

import pytest

from normalize.taxonomy import occupations
from normalize.titles import _index, alias_key, clean_title

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_titles import evaluate, load_eval  # noqa: E402

ROWS = load_eval()
# Targets: 75% 细类 and 92% 大类. The floors sit just under what the matcher reaches now (above
# the targets), so that a regression fails here.
FLOORS = {4: 0.86, 3: 0.88, 2: 0.91, 1: 0.93}


def test_the_set_is_large_and_labelled_at_leaf_level():
    taxonomy = occupations()
    assert len(ROWS) >= 1_000
    assert len({title for title, _ in ROWS}) == len(ROWS)
    assert all(code in taxonomy and taxonomy[code].level == 4 for _, code in ROWS)
    assert len({code for _, code in ROWS}) >= 250


def test_no_eval_title_is_an_alias_after_cleaning():
    index = _index()
    known = [t for t, _ in ROWS if alias_key(clean_title(t)) in index.aliases or alias_key(clean_title(t)) in index.names]
    assert not known, known[:10]


@pytest.fixture(scope="module")
def report():
    return evaluate(ROWS)


@pytest.mark.parametrize("level", sorted(FLOORS, reverse=True))
def test_accuracy_floor(report, level):
    assert report.accuracy(level) >= FLOORS[level]


def test_coverage(report):
    assert report.coverage >= 0.95
