"""Title matching accuracy on the labelled evaluation set (tests/data/title_eval.csv).

    python benchmarks/eval_titles.py            # accuracy per level and coverage
    python benchmarks/eval_titles.py --errors   # and every wrong or missing answer

The set holds real-looking posting titles that are not in the alias dictionary (a test checks),
each with the 细类 code a careful reader would give it. A prediction counts at a level when its
code rolled up to that level equals the expected code rolled up; a prediction made at a coarser
level (小类/中类/大类) counts only at the levels it states. Coverage is the share of titles that
got any code.

Labelling conventions (where the classification leaves a choice): developers of any stack are
2-02-10-03, testers 4-04-05-02, 运维 2-02-10-08; algorithm/ML/LLM work 2-02-38-01, data
engineering 2-02-38-03, data analysts 4-07-02-05; sales staff 4-01-02-01 and their managers
2-06-07-02; content/new-media operations 4-13-01-05, shop operations 4-01-06-01, live-commerce
4-01-06-02; office administration (文员/前台/助理/行政) 3-01-02-02; a bare 护士 2-05-08-01;
bookkeeping of any kind 2-06-03-00. The titles were written by hand, varied on purpose (noise,
word order, typos, English and mixed titles), by the same team that built the dictionary.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.taxonomy import code_at_level, occupations  # noqa: E402
from normalize.titles import match_title  # noqa: E402

EVAL_FILE = ROOT / "tests" / "data" / "title_eval.csv"
LEVELS = {4: "细类", 3: "小类", 2: "中类", 1: "大类"}


@dataclass
class Report:
    total: int
    covered: int
    correct: dict[int, int]
    errors: list[tuple[str, str, str | None, str | None]]

    def accuracy(self, level: int) -> float:
        return self.correct[level] / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.total if self.total else 0.0


def load_eval(path: Path = EVAL_FILE) -> list[tuple[str, str]]:
    """(title, expected code) rows of the evaluation file."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [(row["title"], row["code"]) for row in csv.DictReader(handle)]


def evaluate(rows: list[tuple[str, str]]) -> Report:
    """Score ``match_title`` on (title, expected 细类 code) rows."""
    taxonomy = occupations()
    correct = {level: 0 for level in LEVELS}
    covered = 0
    errors = []
    for title, expected in rows:
        match = match_title(title)
        if match.code is None:
            errors.append((title, expected, None, match.title_clean))
            continue
        covered += 1
        stated = taxonomy[match.code].level
        for level in LEVELS:
            if level <= stated and code_at_level(match.code, level) == code_at_level(expected, level):
                correct[level] += 1
        if match.code != expected:
            errors.append((title, expected, match.code, f"{match.method} {match.score} '{match.title_clean}'"))
    return Report(len(rows), covered, correct, errors)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list every wrong or unmatched title")
    parser.add_argument("--file", type=Path, default=EVAL_FILE, help="evaluation CSV (title,code)")
    options = parser.parse_args(argv)
    report = evaluate(load_eval(options.file))
    if options.errors:
        names = occupations()
        for title, expected, got, detail in report.errors:
            got_name = names[got].name if got else "-"
            print(f"{title}\t{expected} {names[expected].name}\t{got or '-'} {got_name}\t{detail}")
        print()
    print(f"{report.total} titles, coverage {report.coverage:.1%}")
    for level, name in LEVELS.items():
        print(f"{name} accuracy {report.accuracy(level):.1%}")


if __name__ == "__main__":
    main()
