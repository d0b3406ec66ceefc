"""Precision and recall of duplicate clustering on labelled posting pairs.

    python benchmarks/eval_dedup.py                      # tests/data/dedup_pairs.csv
    python benchmarks/eval_dedup.py --pairs tests/data/dedup_pairs_real.csv --errors

Each row of a pairs file holds two postings (``a_*`` and ``b_*``) and ``same`` (1 = the same
ad seen again, 0 = not). Two layouts:
- the written pairs (``dedup_pairs.csv``): source, source_id, title, company, occupation_code,
  district, posted_at, description, as the store keeps them after normalizing;
- the real pairs (``dedup_pairs_real.csv``, labelled from ``../shared/data/real/``): file and row
  of the posting in that folder, and the short strings as the board wrote them — source,
  source_id, title, company, place, posted_at. Each posting goes through
  ``normalize.record.normalize_posting`` (employer key, occupation, city and district), and its
  description is read from the dataset row at run time (it is never copied into the repository).
Each pair is clustered on its own with ``normalize.clusters.cluster_postings``; a pair is
predicted "same" when both postings get one cluster id. Precision = correct "same" predictions
÷ all "same" predictions; recall = correct "same" predictions ÷ labelled "same".
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.clusters import cluster_postings  # noqa: E402
from normalize.record import normalize_posting  # noqa: E402

FETCHED_AT = datetime(2025, 3, 10)  # the last upload of the real postings: dates are read as of then

PAIRS = ROOT / "tests" / "data" / "dedup_pairs.csv"
REAL_PAIRS = ROOT / "tests" / "data" / "dedup_pairs_real.csv"
FIELDS = ("source", "source_id", "title", "company", "occupation_code", "district", "posted_at", "description")
DESCRIPTION_COLUMN = "职位描述"  # of the multiboard_china_2024 files the real pairs come from


def real_data() -> Path | None:
    """``shared/data/real`` beside the checkout (or beside a parent folder of a worktree)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "data" / "real"
        if candidate.is_dir():
            return candidate
    return None


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


@cache
def _dataset_rows(name: str) -> list[dict]:
    root = real_data()
    if root is None:
        raise FileNotFoundError("shared/data/real not found beside the checkout: the real pairs need it")
    csv.field_size_limit(sys.maxsize)
    with open(root / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _real_posting(row: dict, side: str, row_id: int) -> dict:
    """A posting of the real pairs as the store would hold it: normalized from the board's text."""
    raw = {"title": row[f"{side}_title"], "company": row[f"{side}_company"],
           "location_text": row[f"{side}_place"], "posted_text": row[f"{side}_posted_at"]}
    normalized = normalize_posting(raw, FETCHED_AT)
    description = _dataset_rows(row[f"{side}_file"])[int(row[f"{side}_row"])].get(DESCRIPTION_COLUMN)
    return {"id": row_id, "source": row[f"{side}_source"], "source_id": row[f"{side}_source_id"],
            "title": raw["title"], "company_norm": normalized.company_norm,
            "occupation_code": normalized.occupation_code, "city": normalized.city,
            "district": normalized.district, "location_text": raw["location_text"], "posted_at": normalized.posted_at, "description": description or None}


def evaluate(path: Path = PAIRS) -> Result:
    """Cluster every labelled pair and count agreements."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    real = bool(rows) and "a_file" in rows[0]
    tp = fp = fn = 0
    errors = []
    for row in rows:
        if real:
            a, b = cluster_postings([_real_posting(row, "a", 1), _real_posting(row, "b", 2)])
        else:
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
