"""No title of the evaluation half of the real postings is in any list the matcher uses.

The real postings' titles (../shared/data/real/) are split in a development and an evaluation half
by a hash of the title (tools/real_titles.py). Dictionaries, rules and weights may learn from the
development half only; the evaluation half measures the matcher on titles it has never seen. So
no evaluation title — compared by its key (folded, without white space) and by the matcher's
cleaned form of it — may be an entry of a list under normalize/data that holds titles: the alias
dictionaries, the generic titles, the labelled examples (title_examples.csv), and the
labelled-title lists. ``tools/build_title_aliases.py``
leaves such titles out when it writes the dictionaries.

Word lexicons are not title lists and are not checked: head roles (title_heads.csv), domain stems
(title_stems.csv), function words (title_functions.csv), noise and place words, and the
conventions' patterns hold single words of the 大典 and the labelling guide (工程师, 专员, java);
and csco22.csv is the classification itself, its official names the label space. The test skips
only when the real postings are absent.
"""
import csv
import sys
from pathlib import Path

import pytest

from normalize.titles import _data_lines, alias_key, clean_title

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import real_titles  # noqa: E402

DATA = ROOT / "normalize" / "data"
# file → the column holding titles (None: one title a line)
TITLE_LISTS = {"title_aliases.csv": "alias", "title_aliases_coarse.csv": "alias", "title_generic.txt": None,
               "title_examples.csv": "title"}

pytestmark = pytest.mark.skipif(not real_titles.REAL.is_dir(), reason=f"{real_titles.REAL} absent")


@pytest.fixture(scope="module")
def evaluation_titles() -> list[str]:
    return [title for title in real_titles.title_counts() if real_titles.half(title) == "eval"]


def _entries(name: str) -> set[str]:
    lines = _data_lines(name)
    column = TITLE_LISTS[name]
    values = [row[column] for row in csv.DictReader(lines)] if column else lines
    keys = set()
    for value in values:
        keys.update((real_titles.title_key(value), alias_key(value)))
    keys.discard("")
    return keys


def test_every_title_list_is_checked():
    title_files = {p.name for p in DATA.glob("title_*") if any(w in p.name for w in ("alias", "generic", "example"))}
    assert title_files <= set(TITLE_LISTS), title_files - set(TITLE_LISTS)


def test_the_split_has_two_real_halves(evaluation_titles):
    assert len(evaluation_titles) > 1_000
    assert all(real_titles.half(t) == "eval" for t in evaluation_titles[:100])


@pytest.mark.parametrize("name", sorted(TITLE_LISTS))
def test_no_evaluation_title_is_in_a_list(name, evaluation_titles):
    entries = _entries(name)
    found = []
    for title in evaluation_titles:
        forms = {real_titles.title_key(title), alias_key(title), alias_key(clean_title(title))} - {""}
        if forms & entries:
            found.append(title)
    assert not found, f"{len(found)} evaluation titles in {name}"  # the titles themselves stay unprinted


@pytest.mark.parametrize("name", ["title_dev_real.csv", "title_dev_real_more.csv"])
def test_labelled_development_set_holds_development_titles_only(name):
    path = ROOT / "tests" / "data" / name
    with open(path, encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert titles and all(real_titles.half(t) == "dev" for t in titles)
