"""Title matching accuracy on a labelled set of titles.

    python benchmarks/eval_titles.py                                   # tests/data/title_dev_real.csv
    python benchmarks/eval_titles.py --set tests/data/title_eval.csv   # the old hand-written set
    python benchmarks/eval_titles.py --set PATH --errors               # and every wrong or missing answer

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

Sets: ``tests/data/title_dev_real.csv`` holds real titles of the development half
(``tools/real_titles.py``) labelled by the conventions of the labelling guide (see
docs/methodology.md, "Titles"); ``tests/data/title_eval.csv`` is the older hand-written set, kept as
a regression check. The blind evaluation set of real titles is scored by the integrator, never
here while the matcher is developed.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.taxonomy import occupations  # noqa: E402
from normalize.titles import match_title  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "title_dev_real.csv"
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


def evaluate(rows: list) -> Report:
    """Score ``match_title`` on rows: dicts with title and code, or (title, code) pairs."""
    report = Report()
    for row in rows:
        title, expected = (row["title"], row["code"]) if isinstance(row, dict) else row
        match = match_title(title)
        report.total += 1
        if match.code is not None:
            report.covered += 1
        for level in LEVELS:
            if correct_at(match.code, expected, level):
                report.correct[level] += 1
        if not correct_at(match.code, expected, 4):
            detail = f"{match.method} {match.score} '{match.title_clean}'" if match.code else f"- '{match.title_clean}'"
            report.errors.append((title, expected, match.code, detail))
    return report


def format_report(name: str, report: Report) -> str:
    levels = "  ".join(f"{LEVELS[level]} {report.accuracy(level):6.1%}" for level in (1, 2, 3, 4))
    return f"{name:<10} {report.total:5d} titles  {levels}  no code {report.no_code:5.1%}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="path", type=Path, default=DEV_SET, help="labelled set (CSV/TSV: title, code[, reason, count])")
    parser.add_argument("--file", dest="path", type=Path, help=argparse.SUPPRESS)  # the old name
    parser.add_argument("--errors", action="store_true", help="list every title not right at 细类")
    options = parser.parse_args(argv)
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
