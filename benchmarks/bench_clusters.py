"""Duplicate clustering speed on a synthetic market, in memory (no store).

    python benchmarks/bench_clusters.py                       # 1,000,000 postings, 10% long texts
    python benchmarks/bench_clusters.py --postings 200000 --long 0.5

Postings get one of 80,000 employers, 20,000 titles, 1,000 occupations, 16 districts of one city
and a day of one year;
``--long`` of them carry a long description drawn from 20,000 texts with small edits (so
near-duplicates exist), the rest one of 500 short template texts (too short to compare). The
baseline is the same frame's rule 1 and 2 keys alone (pandas factorize), i.e. what clustering
costs beyond grouping.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from normalize.clusters import cluster_details  # noqa: E402

WORDS = ("负责公司核心业务系统的后端开发使用构建高并发微服务参与系统架构设计优化性能熟悉者优先任职要求本科及以上学历"
         "年以上工作经验良好的沟通能力和团队合作精神")


def market(postings: int, long_share: float, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts = ["".join(random.Random(i).choices(WORDS, k=200)) for i in range(20_000)]
    short = np.array([f"岗位职责：负责{i}相关工作。任职要求：本科，1-3年经验，沟通能力强。" for i in range(500)], object)
    description = short[rng.integers(0, 500, postings)]
    is_long = np.flatnonzero(rng.random(postings) < long_share)
    description[is_long] = [texts[t] + ("改" if k % 3 == 0 else "") + str(k % 7)
                            for k, t in enumerate(rng.integers(0, 20_000, is_long.size))]
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, postings), unit="D")
    return pd.DataFrame({
        "id": np.arange(1, postings + 1), "source": rng.choice(["a", "b"], postings),
        "source_id": np.arange(postings).astype(str), "company_norm": rng.integers(0, 80_000, postings).astype(str),
        "title": np.char.add("岗位", rng.integers(0, 20_000, postings).astype(str)).astype(object),
        "occupation_code": rng.integers(0, 1_000, postings).astype(str), "city": "北京市",
        "district": rng.choice(np.array([f"d{i}" for i in range(16)] + [None], object), postings),
        "posted_at": days.strftime("%Y-%m-%d"), "description": description,
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--long", type=float, default=0.1, help="share of postings with a long description")
    options = parser.parse_args(argv)
    frame = market(options.postings, options.long)
    started = time.perf_counter()
    for columns in (["source", "source_id"], ["company_norm", "title", "city", "district"]):
        frame.groupby(columns, sort=False, dropna=False).ngroup()
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    cluster_ids, rules = cluster_details(frame)
    seconds = time.perf_counter() - started
    joined = pd.Series(rules).value_counts().to_dict()
    print(f"{options.postings:,} postings ({options.long:.0%} long texts): clustered in {seconds:.2f} s "
          f"({options.postings / seconds:,.0f}/s); grouping keys alone {baseline:.2f} s; "
          f"{len(np.unique(cluster_ids)):,} clusters; joined by rule {joined}")


if __name__ == "__main__":
    main()
