"""Build ``normalize/data/title_examples.csv``: the labelled real titles the matcher learns from.

    python tools/build_title_examples.py                         # the repository's labelled dev sets
    python tools/build_title_examples.py --labels A.csv B.tsv    # others (later files win)

The label files are CSV or TSV (title, code, reason[, count]) of titles from the **development** half of
the real postings (``tools/real_titles.py``), labelled by the labelling guide; codes may be coarse
(``00`` segments) or ``NONE``. A title of the evaluation half, a code outside the taxonomy or an
empty title is left out and counted. When a title (by its key: folded, without white space) is
labelled twice, the later file's label is kept. A title that is (folded) what the matcher cleans
an evaluation title to is left out as well, as in the alias dictionaries. The defaults are the
two labelled sets of the development half in ``tests/data/`` (``benchmarks/eval_titles.py
--cross-validate`` measures what they add without scoring a title against itself).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import real_titles  # noqa: E402
from build_title_aliases import evaluation_keys  # noqa: E402

from normalize.taxonomy import occupations  # noqa: E402
from normalize.titles import alias_key  # noqa: E402

DEFAULT_LABELS = [ROOT / "tests" / "data" / "title_dev_real.csv", ROOT / "tests" / "data" / "title_dev_real_more.csv"]
OUT = ROOT / "normalize" / "data" / "title_examples.csv"


def read_labels(path: Path) -> list[dict]:
    """Rows (title, code, reason) of a CSV or TSV label file (the delimiter read from the header)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = []
        delimiter = "\t" if "\t" in handle.readline() else ","
        handle.seek(0)
        for row in csv.DictReader(handle, delimiter=delimiter):
            title, code = (row.get("title") or "").strip(), (row.get("code") or "").strip()
            rows.append({"title": title, "code": code, "reason": (row.get("reason") or "").strip()})
        return rows


def usable(rows: list[dict], skipped: dict[str, int], held_out: set[str] = frozenset()) -> list[dict]:
    """The rows with a development-half title and a code of the taxonomy (or NONE); a title that
    is, as written or folded, the cleaned form of an evaluation title (``held_out``) is left out
    too, as the alias dictionaries leave it out (tests/test_title_split.py)."""
    taxonomy = occupations()
    kept = []
    for row in rows:
        if not row["title"] or not row["code"]:
            skipped["empty"] = skipped.get("empty", 0) + 1
        elif real_titles.half(row["title"]) != "dev":
            skipped["evaluation half"] = skipped.get("evaluation half", 0) + 1
        elif {real_titles.title_key(row["title"]), alias_key(row["title"])} & held_out:
            skipped["an evaluation title's cleaned form"] = skipped.get("an evaluation title's cleaned form", 0) + 1
        elif row["code"] != "NONE" and row["code"] not in taxonomy:
            skipped["unknown code"] = skipped.get("unknown code", 0) + 1
        else:
            kept.append(row)
    return kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", nargs="+", type=Path, default=DEFAULT_LABELS, help="CSV or TSV label files")
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args(argv)
    skipped: dict[str, int] = {}
    by_key: dict[str, dict] = {}
    changed = 0
    held_out = evaluation_keys()
    files = [usable(read_labels(path), skipped, held_out) for path in options.labels]
    for rows in files:
        for row in rows:
            key = real_titles.title_key(row["title"])
            if key in by_key and by_key[key]["code"] != row["code"]:
                changed += 1
            by_key[key] = row
    rows = sorted(by_key.values(), key=lambda row: (row["code"], row["title"]))
    with open(options.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["title", "code"])
        writer.writerows([row["title"], row["code"]] for row in rows)
    print(f"{options.out}: {len(rows)} examples; relabelled by a later file: {changed}; "
          f"left out: {skipped or 'none'}")


if __name__ == "__main__":
    main()
