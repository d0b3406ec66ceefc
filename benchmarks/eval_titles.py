"""Title matching accuracy on a labelled set of titles.

    python benchmarks/eval_titles.py                                   # tests/data/title_dev_real.csv
    python benchmarks/eval_titles.py --set tests/data/title_eval.csv   # the old hand-written set
    python benchmarks/eval_titles.py --set PATH --errors               # and every wrong or missing answer
    python benchmarks/eval_titles.py --cross-validate                  # rules / examples / both, 5-fold
    python benchmarks/eval_titles.py --cross-validate --subset tests/data/title_dev_real_more.csv

A set is a CSV or TSV file (the delimiter is read from the header line) with the columns
``title`` and ``code`` and optionally ``reason`` and ``count`` (how often the title occurs on the
boards). ``code`` is a code of the 2022 classification at any level, or ``NONE`` for a title that
names no occupation.

Scoring, as the product is judged:
- at each level (大类/中类/小类/细类) the prediction counts when every segment of the expected
  code up to that level is equal to the prediction's, where an expected ``00`` segment is a
  wildcard (a label coarser than a leaf: any prediction under it counts);
- a prediction coarser than a leaf counts only at the levels it states: its own ``00`` segments
  match only the expected code's wildcards;
- a ``NONE`` label counts at every level only when the matcher gives no code;
- "no code" is the share of titles the matcher leaves without any code.
When the set has a ``count`` column, the tail (titles seen once) is scored separately too.

``--cross-validate`` measures the layer that learns from labelled titles (normalize/title_examples.py)
honestly: the labelled examples (normalize/data/title_examples.csv) are split in 5 folds by a hash
of the title key (tools/real_titles.py: folded, without white space, so a title and its spelling
variants are in the same fold); each fold is matched with the examples of the other four only, and
the rule matcher alone, the examples alone and the combination (``match_title``) are scored on every
example, or on the titles of ``--subset`` only. Scored plainly (``--set``), a set whose titles are
among the examples (title_dev_real*.csv) mostly measures recall of the examples, not the matcher.

Sets: ``tests/data/title_dev_real.csv`` holds real titles of the development half
(``tools/real_titles.py``) labelled by the conventions of the labelling guide (see
docs/methodology.md, "Titles"); ``tests/data/title_eval.csv`` is the older hand-written set, kept as
a regression check. The blind evaluation set of real titles is scored by the integrator, never
here while the matcher is developed.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import real_titles  # noqa: E402

from normalize import title_examples, titles  # noqa: E402
from normalize.taxonomy import occupations  # noqa: E402
from normalize.titles import match_title  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "title_dev_real.csv"
EXAMPLES = ROOT / "normalize" / "data" / "title_examples.csv"
EVAL_FILE = ROOT / "tests" / "data" / "title_eval.csv"
LEVELS = {1: "大类", 2: "中类", 3: "小类", 4: "细类"}
NONE = "NONE"


@dataclass
class Report:
    total: int = 0
    covered: int = 0
    correct: dict[int, int] = field(default_factory=lambda: {level: 0 for level in LEVELS})
    errors: list[tuple[str, str, str | None, str]] = field(default_factory=list)

    def accuracy(self, level: int) -> float:
        return self.correct[level] / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.total if self.total else 0.0

    @property
    def no_code(self) -> float:
        return 1.0 - self.coverage if self.total else 0.0


def correct_at(predicted: str | None, expected: str, level: int) -> bool:
    """Whether ``predicted`` counts at ``level`` (1–4) for the label ``expected`` (see module doc)."""
    if expected == NONE:
        return predicted is None
    if predicted is None:
        return False
    want, got = expected.split("-"), predicted.split("-")
    return all(w == "00" or w == g for w, g in zip(want[:level], got[:level]))


def load_set(path: Path = DEV_SET) -> list[dict]:
    """Rows (title, code, and reason/count when present) of a labelled set, CSV or TSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        header = handle.readline()
        handle.seek(0)
        delimiter = "\t" if header.count("\t") > header.count(",") else ","
        rows = []
        for row in csv.DictReader(handle, delimiter=delimiter):
            title, code = (row.get("title") or "").strip(), (row.get("code") or "").strip()
            if not title or not code:
                continue
            count = row.get("count")
            rows.append({"title": title, "code": code, "reason": row.get("reason") or "",
                         "count": int(count) if count and count.strip().isdigit() else None})
        return rows


def load_eval(path: Path = EVAL_FILE) -> list[tuple[str, str]]:
    """(title, expected code) rows of the old hand-written set (used by titles_speed.py)."""
    return [(row["title"], row["code"]) for row in load_set(path)]


def _matched(title: str) -> tuple[str | None, str]:
    match = match_title(title)
    detail = f"{match.method} {match.score} '{match.title_clean}'" if match.code else f"- '{match.title_clean}'"
    return match.code, detail


def evaluate(rows: list, predict: Callable[[str], tuple[str | None, str]] = _matched) -> Report:
    """Score ``predict`` (title → (code or None, detail); default ``match_title``) on rows: dicts
    with title and code, or (title, code) pairs."""
    report = Report()
    for row in rows:
        title, expected = (row["title"], row["code"]) if isinstance(row, dict) else row
        code, detail = predict(title)
        report.total += 1
        if code is not None:
            report.covered += 1
        for level in LEVELS:
            if correct_at(code, expected, level):
                report.correct[level] += 1
        if not correct_at(code, expected, 4):
            report.errors.append((title, expected, code, detail))
    return report


def fold_of(title: str, folds: int) -> int:
    """The cross-validation fold of a title: by a hash of its key, so spelling variants stay together."""
    return hashlib.sha1(real_titles.title_key(title).encode("utf-8")).digest()[1] % folds


def cross_validate(rows: list[dict], folds: int = 5) -> dict[str, dict[str, tuple[str | None, str]]]:
    """For every labelled title, what the rule matcher alone, the examples alone and both together
    (``match_title``) answer when the examples hold only the other folds' titles:
    {"rules" | "examples" | "combined": {title: (code, detail)}}."""
    compact = {row["title"]: titles.clean_title(row["title"]).replace(" ", "") for row in rows}
    answers: dict[str, dict[str, tuple[str | None, str]]] = {"rules": {}, "examples": {}, "combined": {}}
    try:
        title_examples.set_examples(title_examples.Examples(()))
        titles.match_title.cache_clear()
        for row in rows:
            answers["rules"][row["title"]] = _matched(row["title"])
        for fold in range(folds):
            known = title_examples.Examples((compact[row["title"]], row["code"]) for row in rows
                                            if fold_of(row["title"], folds) != fold)
            title_examples.set_examples(known)
            titles.match_title.cache_clear()
            for row in rows:
                if fold_of(row["title"], folds) == fold:
                    guess = known.guess(compact[row["title"]])
                    answers["examples"][row["title"]] = (
                        (guess.code, f"example {guess.score} {guess.confidence} '{guess.neighbour}'") if guess
                        else (None, f"- '{compact[row['title']]}'"))
                    answers["combined"][row["title"]] = _matched(row["title"])
    finally:
        title_examples.set_examples(None)
        titles.match_title.cache_clear()
    return answers


def format_report(name: str, report: Report) -> str:
    levels = "  ".join(f"{LEVELS[level]} {report.accuracy(level):6.1%}" for level in (1, 2, 3, 4))
    return f"{name:<10} {report.total:5d} titles  {levels}  no code {report.no_code:5.1%}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="path", type=Path, default=DEV_SET, help="labelled set (CSV/TSV: title, code[, reason, count])")
    parser.add_argument("--file", dest="path", type=Path, help=argparse.SUPPRESS)  # the old name
    parser.add_argument("--errors", action="store_true", help="list every title not right at 细类")
    parser.add_argument("--cross-validate", action="store_true",
                        help="5-fold cross-validation over the labelled examples (normalize/data/title_examples.csv)")
    parser.add_argument("--subset", type=Path, help="with --cross-validate: score only the titles of this set")
    options = parser.parse_args(argv)
    if options.cross_validate:
        rows = load_set(EXAMPLES)
        answers = cross_validate(rows)
        scored = rows
        if options.subset:
            wanted = {real_titles.title_key(row["title"]) for row in load_set(options.subset)}
            scored = [row for row in rows if real_titles.title_key(row["title"]) in wanted]
        print(f"5-fold cross-validation over {EXAMPLES.name} ({len(rows)} labelled titles), scored on "
              f"{options.subset or 'all of them'}")
        for name, answer in answers.items():
            report = evaluate(scored, answer.__getitem__)
            print(format_report(name, report))
            if options.errors:
                for title, expected, got, detail in report.errors:
                    print(f"  {title}\t{expected}\t{got}\t{detail}")
        return
    rows = load_set(options.path)
    report = evaluate(rows)
    if options.errors:
        names = occupations()

        def named(code: str | None) -> str:
            return f"{code} {names[code].name}" if code in names else (code or "-")

        for title, expected, got, detail in report.errors:
            print(f"{title}\t{named(expected)}\t{named(got)}\t{detail}")
        print()
    print(f"{options.path}")
    print(format_report("all", report))
    if any(row["count"] is not None for row in rows):
        tail = [row for row in rows if row["count"] == 1]
        head = [row for row in rows if row["count"] is not None and row["count"] > 1]
        print(format_report("tail (1×)", evaluate(tail)))
        print(format_report("repeated", evaluate(head)))
        weighted = Report()
        for row in rows:  # every occurrence on the boards counts
            times = row["count"] or 1
            single = evaluate([row])
            weighted.total += times
            weighted.covered += times * single.covered
            for level in LEVELS:
                weighted.correct[level] += times * single.correct[level]
        print(format_report("by count", weighted))


if __name__ == "__main__":
    main()
