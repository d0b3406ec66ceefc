"""The real postings' titles (``../shared/data/real/``), split in two halves by a hash of the title.

    python tools/real_titles.py counts dev  > /tmp/dev_titles.tsv   # title<TAB>count, most frequent first
    python tools/real_titles.py sample --seed 12 --size 600         # the evaluation draw, as TSV

The **development** half is what dictionaries, rules and weights may learn from; the
**evaluation** half is what nothing is built from (``tests/test_title_split.py`` checks that no
evaluation title is in any list the matcher uses). A title's half is fixed by the SHA-1 of its
key — the title folded (NFKC, lower case) with white space removed — so the same title, spelled
with other widths or spaces, is always in the same half, whichever file it comes from.

The evaluation draw: two thirds weighted by frequency (without replacement), one third among
titles seen once, from the evaluation half, with a fixed seed.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import unicodedata
from collections import Counter
from pathlib import Path



def _find_real() -> Path:
    """``../shared/data/real`` beside the checkout (a git worktree sits one level deeper)."""
    here = Path(__file__).resolve().parents[1]
    for parent in (here.parent, *here.parent.parents):
        if (parent / "shared" / "data" / "real").is_dir():
            return parent / "shared" / "data" / "real"
    return here.parent / "shared" / "data" / "real"


REAL = _find_real()
# file (relative to REAL) → the column holding the posting title
TITLE_COLUMNS = {
    "51job_multicity_2018/51job.csv": "职位",
    "boss_guangzhou_2023/boss.csv": "jobName",
    "bosslagou_multicity_2018/zhaopin_xinxi.csv": "岗位名称",
    "lagou_multicity_2019/lagou.csv": "职位",
    "multiboard_china_2024/51job.csv": "职位",
    "multiboard_china_2024/boss.csv": "职位",
    "multiboard_china_2024/ggfw_hrss_gd.csv": "职位",
    "multiboard_china_2024/jobonline.csv": "职位",
    "multiboard_china_2024/lagou.csv": "职位",
    "multiboard_china_2024/liepin.csv": "职位",
    "multiboard_china_2024/zhilian.csv": "职位",
    "zhilian_multicity_2019/zhilian.csv": "title",
}


def title_key(title: str) -> str:
    """The folded title without white space: what the split hashes and what counts as the same title."""
    return "".join(unicodedata.normalize("NFKC", title).lower().split())


def half(title: str) -> str:
    """``"dev"`` or ``"eval"``: the half a title belongs to."""
    digest = hashlib.sha1(title_key(title).encode("utf-8")).digest()
    return "eval" if digest[0] & 1 else "dev"


def title_counts(root: Path = REAL) -> Counter:
    """How often each title (as written, stripped) occurs across every real dataset."""
    counts: Counter = Counter()
    csv.field_size_limit(sys.maxsize)
    for name, column in TITLE_COLUMNS.items():
        with open(root / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                title = (row.get(column) or "").strip()
                if title:
                    counts[title] += 1
    return counts


def half_counts(which: str, root: Path = REAL) -> Counter:
    """Titles of one half with their counts; spellings of the same key are counted together
    under the most frequent spelling."""
    by_key: dict[str, Counter] = {}
    for title, count in title_counts(root).items():
        if half(title) == which:
            by_key.setdefault(title_key(title), Counter())[title] += count
    return Counter({spellings.most_common(1)[0][0]: sum(spellings.values()) for spellings in by_key.values()})


def draw_sample(seed: int, size: int, root: Path = REAL) -> list[tuple[str, int, str]]:
    """(title, count, stratum) rows: ``size * 2 // 3`` drawn weighted by frequency, the rest
    among titles seen once, from the evaluation half."""
    counts = half_counts("eval", root)
    rng = random.Random(seed)
    titles = sorted(counts)
    weighted_n = size * 2 // 3
    pool = {title: counts[title] for title in titles}
    weighted: list[str] = []
    for _ in range(weighted_n):
        keys = list(pool)
        pick = rng.choices(keys, weights=[pool[key] for key in keys])[0]
        weighted.append(pick)
        del pool[pick]
    once = [title for title in titles if counts[title] == 1 and title in pool]
    tail = rng.sample(once, size - weighted_n)
    return [(t, counts[t], "weighted") for t in weighted] + [(t, counts[t], "once") for t in tail]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    counts = sub.add_parser("counts", help="titles of one half with their counts, most frequent first")
    counts.add_argument("which", choices=("dev", "eval"))
    sample = sub.add_parser("sample", help="the random evaluation draw")
    sample.add_argument("--seed", type=int, default=12)
    sample.add_argument("--size", type=int, default=600)
    args = parser.parse_args(argv)
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    if args.command == "counts":
        for title, count in half_counts(args.which).most_common():
            out.writerow([title, count])
    else:
        for row in draw_sample(args.seed, args.size):
            out.writerow(row)


if __name__ == "__main__":
    main()
