"""Table-driven tests for normalize.requirements (raw strings are the test ids)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.requirements import EDUCATION_LEVELS, Requirements, parse_requirements

N = None

# (raw, education_level, min_years, max_years, fresh_graduate)
CASES = [
    # the brief's examples
    ("1-3年本科", 5, 1, 3, False),
    ("经验不限", N, 0, N, False),
    ("应届生", N, 0, 0, True),
    ("硕士", 6, N, N, False),
    ("10年以上", N, 10, N, False),
    ("3-5年 | 大专", 4, 3, 5, False),
    ("本科及以上", 5, N, N, False),
    ("学历不限", 0, N, N, False),
    ("5年以上经验 本科", 5, 5, N, False),
    ("一年以上", N, 1, N, False),
    ("1年以内", N, 0, 1, False),
    ("无经验", N, 0, N, False),
    ("统招本科", 5, N, N, False),
    # schema.org structured requirements as the spiders flatten them
    ("bachelor degree, 36 months of experience", 5, 3, N, False),
    ("18 months of relevant experience", N, 1.5, N, False),
    ("研究生", 6, N, N, False),
    ("博士", 7, N, N, False),
    ("中专/中技", 2, N, N, False),
    ("高中", 3, N, N, False),
    ("初中及以下", 1, N, N, False),
    ("MBA/EMBA", 6, N, N, False),
    ("Bachelor's degree", 5, N, N, False),
    ("3+ years", N, 3, N, False),
    ("5-7 years experience", N, 5, 7, False),
    ("PhD", 7, N, N, False),
    # board formats
    ("1-3年", N, 1, 3, False),
    ("3-5年", N, 3, 5, False),
    ("5-10年", N, 5, 10, False),
    ("经验1-3年", N, 1, 3, False),
    ("1~3年", N, 1, 3, False),
    ("1～3年", N, 1, 3, False),
    ("1—3年", N, 1, 3, False),
    ("1到3年", N, 1, 3, False),
    ("1至3年", N, 1, 3, False),
    ("1年-3年", N, 1, 3, False),
    ("3-5年工作经验", N, 3, 5, False),
    ("工作经验：3年以上", N, 3, N, False),
    ("3年及以上", N, 3, N, False),
    ("3年或以上", N, 3, N, False),
    ("3年+", N, 3, N, False),
    ("3年以上相关工作经验", N, 3, N, False),
    ("3年经验", N, 3, N, False),
    ("至少3年", N, 3, N, False),
    ("不少于5年工作经验", N, 5, N, False),
    ("3年以下", N, 0, 3, False),
    ("不超过2年", N, 0, 2, False),
    ("经验不限 学历不限", 0, 0, N, False),
    ("经验不限 | 本科", 5, 0, N, False),
    ("学历不限 经验1年以内", 0, 0, 1, False),
    ("本科 | 3-5年 | 全职", 5, 3, 5, False),
    ("10年以上 | 硕士", 6, 10, N, False),
    ("1-3年 大专", 4, 1, 3, False),
    ("5-10年本科", 5, 5, 10, False),
    ("不限经验", N, 0, N, False),
    ("无需经验", N, 0, N, False),
    ("零基础可", N, 0, N, False),
    # Chinese numerals
    ("两年以上", N, 2, N, False),
    ("三年以上工作经验", N, 3, N, False),
    ("三至五年", N, 3, 5, False),
    ("三到五年经验", N, 3, 5, False),
    ("五年以上", N, 5, N, False),
    ("十年以上", N, 10, N, False),
    ("十五年以上", N, 15, N, False),
    ("一年半以上", N, 1.5, N, False),
    ("半年以上", N, 0.5, N, False),
    ("6个月以上经验", N, 0.5, N, False),
    ("一年以内", N, 0, 1, False),
    # education wording
    ("本科以上学历", 5, N, N, False),
    ("全日制本科及以上学历", 5, N, N, False),
    ("大学本科", 5, N, N, False),
    ("大专及以上", 4, N, N, False),
    ("专科", 4, N, N, False),
    ("高职", 4, N, N, False),
    ("大专/本科", 4, N, N, False),
    ("本科/硕士", 5, N, N, False),
    ("硕士及以上", 6, N, N, False),
    ("硕士研究生", 6, N, N, False),
    ("博士研究生", 7, N, N, False),
    ("博士后", 7, N, N, False),
    ("中专", 2, N, N, False),
    ("中技", 2, N, N, False),
    ("职高", 2, N, N, False),
    ("技校", 2, N, N, False),
    ("初中", 1, N, N, False),
    ("高中及以上", 3, N, N, False),
    ("本科以上，硕士优先", 5, N, N, False),
    ("大专以上学历，本科优先", 4, N, N, False),
    ("985/211院校本科", 5, N, N, False),
    ("不限学历", 0, N, N, False),
    ("学历：不限", 0, N, N, False),
    ("学历不限，本科优先", 0, N, N, False),
    ("MBA", 6, N, N, False),
    ("Ph.D.", 7, N, N, False),
    ("Master's degree", 6, N, N, False),
    ("Master's degree, 3+ years", 6, 3, N, False),
    ("Bachelor's degree or above, 5+ years of experience", 5, 5, N, False),
    ("at least 5 years", N, 5, N, False),
    ("2-4 years", N, 2, 4, False),
    ("Undergraduate", 5, N, N, False),
    ("High school", 3, N, N, False),
    ("No experience required", N, 0, N, False),
    # fresh graduates / interns
    ("应届毕业生", N, 0, 0, True),
    ("校招", N, 0, 0, True),
    ("在校生", N, 0, 0, True),
    ("实习生", N, 0, 0, True),
    ("本科在读", 5, 0, 0, True),
    ("2025届应届毕业生 本科", 5, 0, 0, True),
    ("26届 硕士", 6, 0, 0, True),
    ("应届生/1年以内", N, 0, 1, True),
    ("经验不限 应届生可", N, 0, N, True),
    ("Internship", N, 0, 0, True),
    ("New grad, Bachelor's degree", 5, 0, 0, True),
    ("非应届 3年以上", N, 3, N, False),
    ("往届生 本科", 5, N, N, False),
    # full-width
    ("１－３年　本科", 5, 1, 3, False),
    ("３＋ years", N, 3, N, False),
]


@pytest.mark.parametrize("raw,level,lo,hi,fresh", CASES, ids=[c[0] for c in CASES])
def test_requirements(raw, level, lo, hi, fresh):
    r = parse_requirements(raw)
    assert r is not None
    assert r.education_level == level
    assert r.education == (EDUCATION_LEVELS[level] if level is not None else None)
    assert r.experience_min_years == lo
    assert r.experience_max_years == hi
    assert r.fresh_graduate is fresh
    assert r.raw == raw
    if r.experience_min_years is not None:
        assert isinstance(r.experience_min_years, float)
    if r.experience_min_years is not None and r.experience_max_years is not None:
        assert r.experience_min_years <= r.experience_max_years


NO_RESULT = ["", "   ", "面议", "🙂", "12345", "不限", "硕士优先", "2024年毕业", "全职",
             "五险一金", "abc", "N/A", "-", "9999年以上"]


@pytest.mark.parametrize("raw", NO_RESULT)
def test_no_result(raw):
    assert parse_requirements(raw) is None


@pytest.mark.parametrize("value", [None, 3, b"bytes", ["本科"]])
def test_non_string(value):
    assert parse_requirements(value) is None  # type: ignore[arg-type]


def test_levels_table():
    assert EDUCATION_LEVELS == {0: '不限', 1: '初中及以下', 2: '中专/中技', 3: '高中', 4: '大专',
                                5: '本科', 6: '硕士', 7: '博士'}


def test_frozen():
    r = parse_requirements("1-3年本科")
    assert isinstance(r, Requirements)
    with pytest.raises(Exception):
        r.education = "x"  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text):
    r = parse_requirements(text)
    assert r is None or isinstance(r, Requirements)
    if r is not None and r.experience_min_years is not None and r.experience_max_years is not None:
        assert 0 <= r.experience_min_years <= r.experience_max_years <= 50


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1", "3", "-", "年", "以上", "以内", "本科", "硕士", "十", "两", "半",
                                 "个月", "经验", "不限", "应届", "优先", "+", "years", " ", "/", "届"]),
                max_size=25))
def test_never_raises_on_requirement_soup(parts):
    r = parse_requirements("".join(parts))
    assert r is None or isinstance(r, Requirements)


def test_long_input_is_fast():
    text = ("本科及以上学历，3-5年相关工作经验，" * 600)[:10_000]
    junk = "啊" * 10_000
    t0 = time.perf_counter()
    for i in range(5):
        parse_requirements(text + str(i))
        parse_requirements(junk + str(i))
    assert time.perf_counter() - t0 < 1.0
    r = parse_requirements(text)
    assert r is not None and r.education_level == 5 and r.experience_min_years == 3
