"""Title matching throughput: distinct unseen titles matched cold, beside a plain rapidfuzz baseline.

    python benchmarks/titles_speed.py              # 20,000 distinct titles
    python benchmarks/titles_speed.py --titles 5000

Workload: distinct noisy titles built from the labelled evaluation set (tests/data/title_eval.csv)
with board-style noise around them (urgency, benefits, pay, places, brackets), so that nearly
none repeats and none is in the cache. Figures:
- cold: every per-title cache of the matcher empty (the alias index built, as in a running crawl);
- cold, isolated: as cold, but the caches of title pieces and fuzzy shortlists are emptied before
  every title too, so no title profits from the ones before it (the worst case);
- cached: the same titles again (real boards repeat titles heavily);
- baseline: ``process.extractOne(title, <the taxonomy's 1,632 细类 names>, scorer=WRatio)`` per
  title, the obvious way to do it, on a sample (it is slow).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from eval_titles import load_eval  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from normalize import title_examples, titles  # noqa: E402
from normalize.taxonomy import occupations  # noqa: E402

_BEFORE = ["", "", "【急聘】", "急招", "北京 ", "【朝阳】", "诚聘", "[海淀]", "高薪招聘 ", "直招 "]
_AFTER = ["", "", "（五险一金）", " 双休", " 包吃住", " 月入{n}千+", " {n}-{m}K", "（{d}）", "-{d}", " 日结",
          "（可实习）", " 13薪", "/{n}人", " 不加班", "（{n}年经验）"]
_DISTRICTS = ["朝阳", "海淀", "丰台", "通州", "大兴", "昌平", "顺义", "亦庄", "望京", "中关村", "西城", "东城"]


def workload(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct noisy titles around the evaluation titles."""
    rng = random.Random(seed)
    bases = [title for title, _ in load_eval()]
    seen: set[str] = set()
    while len(seen) < count:
        n = rng.randint(3, 40)
        noise = rng.choice(_AFTER).format(n=n, m=n + rng.randint(2, 20), d=rng.choice(_DISTRICTS))
        seen.add(rng.choice(_BEFORE) + rng.choice(bases) + noise)
    return sorted(seen)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--titles", type=int, default=20_000, help="distinct titles to match")
    parser.add_argument("--baseline-sample", type=int, default=1_000, help="titles for the slow baseline")
    options = parser.parse_args(argv)
    work = workload(options.titles)

    started = time.perf_counter()
    titles.match_title("Java开发工程师")  # builds the alias index once
    title_examples.shipped()             # and the labelled examples (normalize/title_examples.py)
    build = time.perf_counter() - started

    titles.clear_caches()
    titles.match_title("Java开发工程师")  # rebuild the index: only the per-title caches start empty
    titles.match_title.cache_clear()
    started = time.perf_counter()
    results = [titles.match_title(t) for t in work]
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for t in work:
        titles.match_title(t)
    cached = time.perf_counter() - started
    # the worst case: no help from titles met before (chunk and fuzzy-shortlist caches emptied each time)
    sample_cold = work[: options.baseline_sample * 2]
    titles.match_title.cache_clear()
    started = time.perf_counter()
    for t in sample_cold:
        titles._chunk_pieces.cache_clear()
        titles._fuzzy_choices.cache_clear()
        title_examples._example.cache_clear()
        titles.match_title(t)
    isolated = time.perf_counter() - started
    methods: dict[str, int] = {}
    for match in results:
        methods[match.method or "unmatched"] = methods.get(match.method or "unmatched", 0) + 1

    names = [o.name for o in occupations().values() if o.level == 4]
    sample = work[: options.baseline_sample]
    started = time.perf_counter()
    for t in sample:
        process.extractOne(t, names, scorer=fuzz.WRatio)
    baseline = time.perf_counter() - started

    cold_rate, cached_rate, base_rate = len(work) / cold, len(work) / cached, len(sample) / baseline
    print(f"title matching, {len(work):,} distinct unseen titles (index built once in {build:.2f} s)")
    print(f"  cold            {cold_rate:>12,.0f} titles/s")
    print(f"  cold, isolated  {len(sample_cold) / isolated:>12,.0f} titles/s   (no cache shared between titles,"
          f" {len(sample_cold):,} titles)")
    print(f"  cached          {cached_rate:>12,.0f} titles/s")
    print(f"  baseline        {base_rate:>12,.0f} titles/s   extractOne(WRatio) over {len(names):,} 细类 names,"
          f" {len(sample):,} titles")
    print(f"  cold / baseline {cold_rate / base_rate:>12.1f} x")
    print("  methods         " + ", ".join(f"{k} {v / len(work):.1%}" for k, v in sorted(methods.items())))


if __name__ == "__main__":
    main()
