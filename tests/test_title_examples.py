"""The layer that matches titles by the labelled real titles they resemble (normalize/title_examples.py)."""
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import title_examples
from normalize.taxonomy import occupations
from normalize.title_examples import Examples, example, overrule, shipped
from normalize.titles import match_title

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SOFTWARE, SECURITY, NETWORK = "2-02-10-03", "2-02-10-07", "2-02-10-04"
JUNIOR_SCHOOL, PRIMARY_SCHOOL = "2-08-02-03", "2-08-02-04"


def test_answers_from_a_close_example():
    examples = Examples([("java开发工程师", SOFTWARE), ("网络工程师", NETWORK), ("保洁员", "4-09-08-01")])
    guess = examples.guess("java开发工程")
    assert guess is not None and guess.code == SOFTWARE and guess.level == "细类"
    assert guess.score > 90 and guess.confidence == 1.0 and guess.neighbour == "java开发工程师"


def test_stays_silent_when_the_examples_are_far():
    examples = Examples([("java开发工程师", SOFTWARE), ("网络安全工程师", SECURITY)])
    assert examples.guess("保洁阿姨") is None
    assert examples.guess("") is None
    assert Examples([]).guess("java开发工程师") is None


def test_answers_coarse_when_the_neighbours_disagree_at_the_leaf():
    examples = Examples([("初中数学老师", JUNIOR_SCHOOL), ("小学数学老师", PRIMARY_SCHOOL)])
    guess = examples.guess("数学老师")  # as close to both: only the 小类 is certain
    assert guess is not None and guess.code == "2-08-02-00" and guess.level == "小类"
    # one more vote for 初中 is not enough agreement either
    examples = Examples([("初中数学老师", JUNIOR_SCHOOL), ("初中数学教师", JUNIOR_SCHOOL),
                         ("小学数学老师", PRIMARY_SCHOOL), ("小学数学教师", PRIMARY_SCHOOL)])
    assert examples.guess("中学数学老师").code == "2-08-02-00"


def test_the_closer_majority_decides_the_leaf():
    examples = Examples([("初中数学老师", JUNIOR_SCHOOL), ("初中数学老师", JUNIOR_SCHOOL),
                         ("初中数学老师", JUNIOR_SCHOOL), ("小学数学老师", PRIMARY_SCHOOL)])
    guess = examples.guess("数学老师")  # as close to both: three labels against one
    assert guess.code == JUNIOR_SCHOOL and 0.7 <= guess.confidence < 1.0


def test_coarse_labels_vote_only_at_their_levels():
    examples = Examples([("数学老师", "2-08-00-00"), ("数学辅导老师", "2-08-00-00")])
    assert examples.guess("数学老师们").code == "2-08-00-00"


def test_none_labels_keep_the_layer_silent():
    examples = Examples([("急招", "NONE"), ("急招人", "NONE")])
    assert examples.guess("急招啦") is None


def test_codes_outside_the_taxonomy_are_skipped():
    assert len(Examples([("java开发", "9-99-99-99"), ("", SOFTWARE), ("java开发", SOFTWARE)])) == 1


def test_exact_aliases_and_consistent_finer_rules_stand():
    # an exact alias of the whole title is never overruled
    assert overrule("alias", 100.0, "java开发工程师", SOFTWARE) is None
    try:
        title_examples.set_examples(Examples([("中学数学老师", "2-08-02-00"), ("中学数学老师啊", "2-08-02-00")]))
        # a rule answer under the examples' coarser code is kept (it says more)
        assert overrule("rule", 85.0, "中学数学老师", JUNIOR_SCHOOL) is None
        # a rule answer that a voting example gave stands too
        title_examples.set_examples(Examples([("中学数学老师", JUNIOR_SCHOOL), ("中学数学老师", JUNIOR_SCHOOL),
                                              ("中学数学老师", JUNIOR_SCHOOL), ("中学数学教师", PRIMARY_SCHOOL)]))
        assert overrule("rule", 85.0, "中学数学老师", JUNIOR_SCHOOL) is None
        assert overrule("rule", 85.0, "中学数学老师", SOFTWARE).code == JUNIOR_SCHOOL
        title_examples.set_examples(Examples([("中学数学老师", "2-08-02-00"), ("中学数学老师啊", "2-08-02-00")]))
        # a convention stands against a far example, not against a close one
        title_examples.set_examples(Examples([("护士", "2-05-08-01")]))
        assert overrule("rule", 85.0, "护士急诊", "2-05-08-03") is None          # 66.7 similar
        assert overrule("rule", 50.0, "护士急诊", "4-00-00-00").code == "2-05-08-01"
        title_examples.set_examples(Examples([("中学数学老师", "2-08-02-00"), ("中学数学老师啊", "2-08-02-00")]))
        # a weak or disagreeing rule answer gives way
        assert overrule("fuzzy", 70.0, "中学数学老师", "2-02-10-03").code == "2-08-02-00"
        assert overrule(None, 0.0, "中学数学老师").code == "2-08-02-00"
    finally:
        title_examples.set_examples(None)


def test_match_title_takes_the_examples_answer_where_the_rules_are_weak():
    from normalize.titles import clean_title
    title = "欢迎加入我们"                     # no rule answers it (tests/test_titles.py)
    key = clean_title(title).replace(" ", "")
    try:
        title_examples.set_examples(Examples([(key, SOFTWARE), ("餐厅服务员", SECURITY)]))
        match_title.cache_clear()
        match = match_title(title)
        assert match.method == "example" and match.code == SOFTWARE and match.score == 100.0
        # an official name or alias of the whole title stands, whatever the examples say
        exact = match_title("餐厅服务员 月入8000")
        assert exact.method == "exact" and exact.code == "4-03-02-05"
    finally:
        title_examples.set_examples(None)
        match_title.cache_clear()
    assert match_title(title).code is None or match_title(title).method == "example"


def test_shipped_examples_are_labelled_with_codes_of_the_taxonomy():
    taxonomy = occupations()
    rows = title_examples.example_rows()
    assert len(rows) >= 4_000
    assert all(row["code"] == "NONE" or row["code"] in taxonomy for row in rows)
    assert len(shipped()) >= 3_000


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_guess_or_none(text):
    guess = example(text)
    assert guess is None or guess.code in occupations()


def test_non_strings_do_not_raise():
    assert example(None) is None  # type: ignore[arg-type]
    assert example(12) is None    # type: ignore[arg-type]


def test_cross_validation_folds_keep_spelling_variants_together():
    from eval_titles import fold_of
    assert fold_of("Java开发工程师", 5) == fold_of("java 开发工程师", 5) == fold_of("ＪＡＶＡ开发工程师", 5)
    assert len({fold_of(f"标题{i}", 5) for i in range(100)}) == 5
