"""Every normalize parser takes any string — empty, 10,000 characters, binary garbage, emoji,
lone surrogates — and returns a result or None; none raises."""
from datetime import datetime, timezone

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from normalize.clusters import cluster_postings
from normalize.dates import parse_date
from normalize.dedup import company_key, dedup_key
from normalize.industry import classify_industries
from normalize.place import Place, parse_place
from normalize.requirements import Requirements, parse_requirements
from normalize.salary import Salary, parse_salary_uncached
from normalize.skills import parse_skills

FETCHED = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
LONG = "北京·海淀区 15-25K·13薪 3-5年本科 熟悉Java、Python、K8s 😀" * 200  # ~10,000 characters
GARBAGE = bytes(range(256)).decode("latin-1") + "\udc80\ud800\x00\ufeff\u200b"
EMOJI = "👩‍💻🚀🔥 高薪急招 💰💰💰 20k～30k 👉北京🏙️"

# Any text, including lone surrogates (as decoding bytes with errors='surrogateescape' gives).
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(), min_size=500, max_size=3_000),
    st.binary(max_size=400).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(["", " ", LONG, GARBAGE, EMOJI, "面议", "-", "万", "K", "·13薪", "1e309", "9" * 400]),
)
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _examples(function, arguments=1):
    for value in ("", LONG, GARBAGE, EMOJI, None):
        function = example(*[value] * arguments)(function)
    return function


@SETTINGS
@given(texts)
@_examples
def test_parse_salary_never_raises(text):
    assert parse_salary_uncached(text) is None or isinstance(parse_salary_uncached(text), Salary)


@SETTINGS
@given(texts)
@_examples
def test_parse_place_never_raises(text):
    assert parse_place(text) is None or isinstance(parse_place(text, default_city="北京市"), Place)


@SETTINGS
@given(texts)
@_examples
def test_parse_requirements_never_raises(text):
    assert parse_requirements(text) is None or isinstance(parse_requirements(text), Requirements)


@SETTINGS
@given(texts)
@_examples
def test_parse_date_never_raises(text):
    result = parse_date(text, FETCHED)
    assert result is None or result.year > 1900


@SETTINGS
@given(texts, st.one_of(st.none(), texts, st.lists(texts, max_size=4)))
@lambda f: _examples(f, 2)
def test_parse_skills_never_raises(text, tags):
    result = parse_skills(text, tags)
    assert isinstance(result, tuple) and list(result) == sorted(set(result))


@SETTINGS
@given(st.one_of(st.none(), texts), st.one_of(st.none(), texts), st.one_of(st.none(), texts), texts)
@lambda f: _examples(f, 4)
def test_classify_industries_never_raises(code, industry, title, description):
    assert isinstance(classify_industries(code, industry, title, description), tuple)


@SETTINGS
@given(st.one_of(st.none(), texts))
@_examples
def test_company_key_never_raises(text):
    key = company_key(text)
    assert key is None or (isinstance(key, str) and key)
    assert dedup_key(text, "2-02-10-03", text) is None or isinstance(dedup_key(text, "2-02-10-03", None), str)


# Records hold many fields: short random texts, plus the long and odd ones as samples.
small = st.one_of(st.text(max_size=40), st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape")),
                  st.sampled_from(["", LONG, GARBAGE, EMOJI]))
records = st.lists(st.fixed_dictionaries({
    "source": st.one_of(st.none(), st.sampled_from(["a", "b"]), small),
    "source_id": st.one_of(st.none(), small),
    "company": st.one_of(st.none(), small),
    "occupation_code": st.one_of(st.none(), st.sampled_from(["2-02-10-03", "4-10-01-05"]), small),
    "district": st.one_of(st.none(), st.sampled_from(["海淀区", "朝阳区"]), small),
    "posted_at": st.one_of(st.none(), st.dates().map(str), small),
    "description": st.one_of(st.none(), st.sampled_from([LONG, GARBAGE, EMOJI * 10]), small),
}), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(records)
def test_cluster_postings_never_raises(rows):
    ids = cluster_postings(rows)
    assert len(ids) == len(rows)
    assert all(0 <= i < max(len(rows), 1) for i in ids)
    assert cluster_postings(pd.DataFrame(rows, dtype=object)) == ids
