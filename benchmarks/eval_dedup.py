"""Precision and recall of duplicate clustering on labelled posting pairs.

    python benchmarks/eval_dedup.py                      # tests/data/dedup_pairs.csv
    python benchmarks/eval_dedup.py --pairs my_pairs.csv --errors

Each row of the pairs file holds two postings (``a_*`` and ``b_*``: source, source_id, title,
company, occupation_code, district, posted_at, description) and ``same`` (1 = the same job,
0 = not). Each pair is clustered on its own with ``normalize.clusters.cluster_postings``; a
pair is predicted "same" when both postings get one cluster id. Precision = correct "same"
predictions ÷ all "same" predictions; recall = correct "same" predictions ÷ labelled "same".
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.clusters import cluster_postings  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "dedup_pairs.csv"
FIELDS = ("source", "source_id", "title", "company", "occupation_code", "district", "posted_at", "description")


@dataclass(frozen=True)
class Result:
    precision: float
    recall: float
    pairs: int
    true_positive: int
    false_positive: int
    false_negative: int
    errors: list[dict]


def _posting(row: dict, side: str, row_id: int) -> dict:
    record = {field: row[f"{side}_{field}"] or None for field in FIELDS}
    record["id"] = row_id
    return record


def evaluate(path: Path = PAIRS) -> Result:
    """Cluster every labelled pair and count agreements."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tp = fp = fn = 0
    errors = []
    for row in rows:
        a, b = cluster_postings([_posting(row, "a", 1), _posting(row, "b", 2)])
        predicted, labelled = a == b, row["same"] == "1"
        tp += predicted and labelled
        fp += predicted and not labelled
        fn += labelled and not predicted
        if predicted != labelled:
            errors.append({"pair_id": row["pair_id"], "kind": row["kind"], "labelled": int(labelled),
                           "a": row["a_title"], "b": row["b_title"]})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Result(precision, recall, len(rows), tp, fp, fn, errors)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled pairs CSV")
    parser.add_argument("--errors", action="store_true", help="list the pairs clustered wrongly")
    options = parser.parse_args(argv)
    result = evaluate(options.pairs)
    print(f"{result.pairs} pairs: precision {result.precision:.3f}, recall {result.recall:.3f} "
          f"(TP {result.true_positive}, FP {result.false_positive}, FN {result.false_negative})")
    wrong = Counter(e["kind"] for e in result.errors)
    for kind, count in sorted(wrong.items()):
        print(f"  wrong: {kind:<45}{count}")
    if options.errors:
        for error in result.errors:
            print(f"  pair {error['pair_id']} ({error['kind']}, labelled {error['labelled']}): "
                  f"{error['a']} | {error['b']}")


if __name__ == "__main__":
    main()
