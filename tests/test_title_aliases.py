"""Every entry of the shipped title alias dictionary is checked: its code is in the taxonomy at
the level its file promises, no alias maps to two codes, cleaning leaves it whole, and the
matcher gives it back its own code."""
from collections import Counter

import pytest

from normalize.taxonomy import occupations
from normalize.titles import alias_key, alias_rows, clean_title, match_title

FINE = alias_rows("title_aliases.csv")
COARSE = alias_rows("title_aliases_coarse.csv")


def test_the_dictionary_is_large():
    assert len(FINE) >= 10_000


def test_fine_codes_are_leaf_occupations():
    taxonomy = occupations()
    bad = [r for r in FINE if r["code"] not in taxonomy or taxonomy[r["code"]].level != 4]
    assert not bad, bad[:10]


def test_coarse_codes_are_coarser_levels():
    taxonomy = occupations()
    bad = [r for r in COARSE if r["code"] not in taxonomy or taxonomy[r["code"]].level == 4]
    assert not bad, bad[:10]


def test_no_alias_maps_to_two_codes():
    keys = Counter(alias_key(r["alias"]) for r in FINE + COARSE)
    assert not [k for k, n in keys.items() if n > 1]
    assert all(keys)


def test_cleaning_leaves_every_alias_whole():
    changed = [r["alias"] for r in FINE + COARSE if alias_key(clean_title(r["alias"])) != alias_key(r["alias"])]
    assert not changed, changed[:10]


def test_every_alias_matches_its_own_code():
    wrong = []
    for row in FINE + COARSE:
        match = match_title(row["alias"])
        if match.code != row["code"] or match.method not in ("alias", "exact"):
            wrong.append((row["alias"], row["code"], match.code))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("alias,code", [
    ("快递员", "4-02-07-08"), ("外卖骑手", "4-10-08-01"), ("java开发工程师", "2-02-10-03"),
    ("销售代表", "4-01-02-01"), ("销售经理", "2-06-07-02"), ("数字ic设计工程师", "2-02-38-09"),
    ("保洁员", "4-09-08-01"), ("会计", "2-06-03-00"), ("data engineer", "2-02-38-03"),
])
def test_landmark_titles(alias, code):
    # Some landmarks are titles of the evaluation half and so not in the dictionary
    # (tests/test_title_split.py): the matcher must still give them their code.
    assert match_title(alias).code == code
