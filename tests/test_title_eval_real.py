"""The blind evaluation set of real titles (tests/data/title_eval_real.csv): drawn at random from
the evaluation half, labelled apart from the matcher, with a blind relabelling that agrees."""
import csv
import sys
from pathlib import Path

import pytest

from normalize.taxonomy import occupations

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from real_titles import REAL, draw_sample, half  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "title_eval_real.csv"
RELABELLED = ROOT / "tests" / "data" / "title_eval_real_relabel.csv"
SEED, SIZE = 12, 600  # the draw the set was labelled from


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def agree(first: str, second: str, level: int) -> bool:
    """Two labels agree at a level when their segments up to it are equal or one is a wildcard 00."""
    if "NONE" in (first, second):
        return first == second
    a, b = first.split("-"), second.split("-")
    return all(x == y or (i > 0 and "00" in (x, y)) for i, (x, y) in enumerate(zip(a[:level], b[:level])))


def test_every_title_is_of_the_evaluation_half_and_labelled():
    taxonomy = occupations()
    labelled = rows(EVAL_SET)
    assert len(labelled) == SIZE and len({r["title"] for r in labelled}) == SIZE
    assert all(half(r["title"]) == "eval" for r in labelled)
    assert all(r["code"] == "NONE" or r["code"] in taxonomy for r in labelled)
    assert all(r["reason"].strip() for r in labelled)
    strata = [r["stratum"] for r in labelled]
    assert strata.count("weighted") == 400 and strata.count("once") == 200
    assert all(r["count"] == "1" for r in labelled if r["stratum"] == "once")


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is not beside the checkout")
def test_the_set_is_the_random_draw():
    drawn = [(title, str(count), stratum) for title, count, stratum in draw_sample(SEED, SIZE, REAL)]
    assert [(r["title"], r["count"], r["stratum"]) for r in rows(EVAL_SET)] == drawn


def test_the_blind_relabelling_covers_a_tenth_and_agrees():
    first = {r["title"]: r["code"] for r in rows(EVAL_SET)}
    second = rows(RELABELLED)
    assert len(second) >= SIZE // 10 and all(r["title"] in first for r in second)
    pairs = [(first[r["title"]], r["code"]) for r in second]
    assert sum(agree(a, b, 1) for a, b in pairs) / len(pairs) >= 0.95
    assert sum(agree(a, b, 4) for a, b in pairs) / len(pairs) >= 0.90


# What the matcher reaches on the blind set (75.3 % 细类, 86.0 % 大类, 4.3 % without a code; the
# targets are 85 % / 95 % / ≤ 5 %). The floors sit just under it, so that a regression fails here;
# nothing in the matcher is built from this set (tests/test_title_split.py).
FLOORS = {4: 0.74, 3: 0.76, 2: 0.81, 1: 0.85}
NO_CODE_CEILING = 0.05


@pytest.fixture(scope="module")
def report():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_titles import evaluate, load_set

    return evaluate(load_set(EVAL_SET))


@pytest.mark.parametrize("level", sorted(FLOORS, reverse=True))
def test_accuracy_floor_on_the_blind_set(report, level):
    assert report.accuracy(level) >= FLOORS[level]


def test_few_titles_are_left_without_a_code(report):
    assert 1 - report.coverage <= NO_CODE_CEILING
