import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.titles import (
    Match,
    candidates,
    clean_title,
    match_title,
    set_extra_aliases,
)

MATCHES = [
    ("Java开发工程师（急招）", "2-02-10-03"),
    ("北京 快递员 五险一金 包住", "4-02-07-08"),
    ("客服 不加班 双休", "4-04-05-03"),
    ("高级Java工程师", "2-02-10-03"),
    ("资深前端开发工程师-海淀", "2-02-10-03"),
    ("大模型算法工程师 40-70K·16薪", "2-02-38-01"),
    ("养老护理员(包吃住)", "4-10-01-05"),
    ("數據分析師", "4-07-02-05"),              # traditional script
    ("ＵＩ设计师", "2-09-06-07"),               # full-width letters
    ("餐厅服务员 月入8000", "4-03-02-05"),
    ("Node.js 全栈", "2-02-10-03"),
    ("C++ 开发", "2-02-10-03"),
    ("【朝阳】保洁", "4-09-08-01"),
    ("护士（13薪）", "2-05-08-01"),
    ("IC设计工程师", "2-02-38-09"),
    ("渗透测试工程师 双休", "4-04-04-04"),   # 信息安全测试员: "从事网络信息安全渗透测试…"
    ("电话客服 五险一金", "4-04-05-03"),
    ("上海 产品经理", "2-02-10-05"),           # a product manager of software: 信息系统分析 (dev labels)
]
UNMATCHED = ["", "   ", "急招", "五险一金 包吃住", "🙂🙂", "搬砖", "普通员工", "专员（急招）", "欢迎加入我们",
             "在家赚钱"]


@pytest.mark.parametrize("title,code", MATCHES, ids=[m[0] for m in MATCHES])
def test_match_title(title, code):
    match = match_title(title)
    assert match.code == code
    assert match.level == "细类"
    assert match.method in ("exact", "alias", "rule", "fuzzy", "example")
    assert 0 < match.score <= 100


@pytest.mark.parametrize("title", UNMATCHED, ids=[repr(t) for t in UNMATCHED])
def test_unmatched_titles_have_no_code(title):
    match = match_title(title)
    assert match.code is None and match.method is None


def test_official_name_is_exact():
    match = match_title("养老护理员")
    assert (match.code, match.method, match.score) == ("4-10-01-05", "exact", 100.0)


def test_clean_title_removes_noise_places_pay_and_brackets():
    assert clean_title("北京 快递员 五险一金 包住") == "快递员"
    assert clean_title("Java开发工程师（急招）") == "java开发工程师"
    assert clean_title("抖音快手运营（郓城）") == "抖音快手运营"
    assert clean_title("销售代表 月入3万 底薪5000") == "销售代表"


# --- cleaning ------------------------------------------------------------------------------------

CLEANED = [
    ("【急聘】高级Java开发工程师（五险一金+双休）", "高级java开发工程师"),
    ("北京朝阳 外卖骑手 日结", "外卖骑手"),
    ("CNC操作工 包吃住 月入8千+", "cnc操作工"),
    ("朝阳区-保安", "保安"),
    ("Java工程师 8k-12k", "java工程师"),
    ("销售顾问 月薪过万", "销售顾问"),
    ("后端开发（Java方向）", "后端开发 java方向"),     # a bracket that says something stays, after
    ("招聘专员", "招聘专员"),                          # an alias holding a noise word is protected
    ("薪资福利专员（急）", "薪资福利专员"),
    ("稳定性测试工程师", "稳定性测试工程师"),            # "稳定" is noise only as a whole piece
    ("護理員（包食宿）", "护理员"),                     # traditional script and full-width brackets
    ("ＳＥＮＩＯＲ　Ｄａｔａ　Ｅｎｇｉｎｅｅｒ", "senior data engineer"),
    ("快递员（2024届可）", "快递员"),
]


@pytest.mark.parametrize("title,cleaned", CLEANED, ids=[c[0] for c in CLEANED])
def test_clean_title_table(title, cleaned):
    assert clean_title(title) == cleaned


# --- levels, methods, review candidates ----------------------------------------------------------

def test_coarse_alias_gives_a_coarse_level():
    match = match_title("老师 周末班")
    assert (match.code, match.level) == ("2-08-00-00", "中类")


def test_a_plain_head_gives_its_coarse_code_not_nothing():
    assert match_title("急聘司机").code == "4-02-02-00"      # a driver of an unnamed vehicle
    assert match_title("工程师").code.startswith("2-02-")   # 工程技术人员
    assert match_title("行政助理/前台").code == "3-01-02-00"  # office work: 行政事务处理人员 (小类)


def test_rule_gives_the_level_it_knows():
    match = match_title("心血管专科大夫")   # no alias; the head word says 医师 of some specialty
    assert match.method == "rule" and match.level == "小类" and match.code == "2-05-01-00"


def test_fuzzy_match_of_a_typo():
    match = match_title("养老户理员")
    assert match.method == "fuzzy" and match.code == "4-10-01-05" and match.score >= 74
    assert match_title("前段开发工程师").code == "2-02-10-03"   # the head 开发工程师 holds


def test_pieces_written_the_other_way_round():
    assert match_title("护士 急诊").code == "2-05-08-03"
    assert match_title("语文老师 小学 民办").code == "2-08-02-04"


def test_candidates_are_distinct_and_ranked():
    found = candidates("搬砖工人", limit=3)
    assert len(found) == 3
    assert len({m.code for m in found}) == 3
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_extra_aliases_take_effect_and_can_be_removed():
    title = "数字游民内容官"
    before = match_title(title)
    try:
        assert set_extra_aliases({title: "4-13-01-05", "不存在": "9-99-99-99"}) == 1
        after = match_title(title)
        assert (after.code, after.method, after.score) == ("4-13-01-05", "alias", 100.0)
    finally:
        set_extra_aliases({})
    assert match_title(title) == before


# --- any string, never a crash -------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_returns_a_match(text):
    match = match_title(text)
    assert isinstance(match, Match)
    assert (match.code is None) == (match.method is None)
    assert 0 <= match.score <= 100
    assert all(isinstance(c, Match) for c in candidates(text))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_binary_garbage_returns_a_match(data):
    assert isinstance(match_title(data.decode("utf-8", errors="replace")), Match)
    assert isinstance(match_title(data.decode("latin-1")), Match)


@pytest.mark.parametrize("title", ["x" * 10_000, "工程师" * 4_000, "😀" * 5_000, "\x00\x01\ufeff", "（" * 500,
                                   "【" * 300 + "java" + "】" * 300, "1" * 10_000, "k" * 3 + "8" * 3000])
def test_extreme_strings(title):
    match = match_title(title)
    assert isinstance(match, Match)


def test_non_strings_do_not_raise():
    for value in (None, 42, b"java"):
        assert match_title(value).code is None


@pytest.mark.parametrize("title,code", [("初级化验员", "6-31-03"), ("资深化验员", "6-31-03"),
                                        ("高级中学教师", "2-08-02-01"), ("初级中学数学老师", "2-08-02-03")])
def test_a_grade_word_is_a_modifier_unless_it_names_a_school(title, code):
    assert (match_title(title).code or "").startswith(code)
