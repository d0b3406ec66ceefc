"""The title parser and the 大典's conventions (normalize/title_parse.py and its tables), one group
per pattern of ../shared/docs/title-errors.md, with made-up titles of each shape."""
import pytest

from normalize import title_parse
from normalize.titles import _clean_parts, clean_title, match_title


def code(title: str) -> str | None:
    return match_title(title).code


def at(title: str, level: int) -> str | None:
    c = code(title)
    return None if c is None else "-".join(c.split("-")[:level])


# 1. No code where the head role is plain: shop suffixes, cities, benefit lists, unknown domains.
@pytest.mark.parametrize("title,expected", [
    ("烘焙技师-某某广场店", "4-03-02-04"),   # a baker in a shop: 西式面点师
    ("上海Java后端--保险岗位（五险，稳定）", "2-02-10-03"),
    ("客服专员/双休/包住/8k", "4-04-05-03"),
    ("某某广场店店员", "4-01-02-03"),
])
def test_plain_head_roles_get_a_code(title, expected):
    assert code(title) == expected


def test_an_unknown_domain_still_gives_the_heads_level():
    assert at("车载以太网测试", 1) == "4"          # a tester
    assert code("某某星球勘探工程师") is not None     # at least 工程技术人员


# 2. Modifiers that take over the role: trainee and grade words, the verb 招聘.
@pytest.mark.parametrize("title,expected", [
    ("销售管培生", "4-01-02-01"),
    ("储备店长", "4-01-02-06"),
    ("招聘外卖骑手日结", "4-10-08-01"),
    ("某某科技招聘质检员", "6-31-03-05"),
])
def test_modifiers_do_not_take_over(title, expected):
    assert code(title) == expected


def test_recruiter_titles_keep_their_head():
    assert clean_title("招聘专员") == "招聘专员"
    assert clean_title("电气设计（管培生）") == "电气设计"
    assert clean_title("Python开发工程师(北京某某科技有限公司)") == "python开发工程师"   # employer aside
    assert clean_title("全栈工程师(J10770)") == "全栈工程师"                           # requisition number


# 3. The domain a word supplies.
@pytest.mark.parametrize("title,expected", [
    ("二手房销售代表", "4-06-02-01"),
    ("新房置业顾问", "4-06-02-01"),
    ("保险渠道销售", "4-05-03-01"),
    ("海外销售", "2-06-07-01"),
    ("初中数学老师", "2-08-02-03"),
    ("高中物理教师", "2-08-02-01"),
    ("小学英语老师", "2-08-02-04"),
    ("幼儿园老师", "2-08-03-00"),
])
def test_the_domain_decides(title, expected):
    assert code(title) == expected


# 4. Digital occupations of 2022.
@pytest.mark.parametrize("title,expected", [
    ("大数据开发工程师", "2-02-38-03"), ("云计算工程师", "2-02-38-04"),
    ("区块链开发工程师", "2-02-38-08"), ("人工智能算法工程师", "2-02-38-01"),
    ("Java开发工程师", "2-02-10-03"),
])
def test_digital_occupations(title, expected):
    assert code(title) == expected


# 5. Clerical and operations heads, by what is handled or operated.
@pytest.mark.parametrize("title,expected", [
    ("财务文员", "2-06-03-00"), ("行政文员", "3-01-02-00"), ("仓库文员", "4-02-06-01"),
    ("项目助理", "3-01-02-00"), ("人事经理", "2-06-08-01"), ("品控专员", "6-31-03-05"),
    ("新媒体运营", "4-13-01-05"), ("淘宝店铺运营", "4-01-06-01"), ("门店运营", "4-01-02-06"),
])
def test_clerical_and_operations(title, expected):
    assert code(title) == expected


def test_clerical_heads_do_not_go_to_secretary():
    for title in ("销售内勤", "行政文员", "项目助理", "跟单员"):
        assert code(title) != "3-01-02-02", title


# 6. A skill word does not beat the role.
def test_skill_words_do_not_beat_the_role():
    assert code("少儿编程Scratch讲师") == "4-07-03-05"     # a trainer, not a programmer
    assert code("测试工程师（云平台）") == "4-04-05-02"     # a tester, not a cloud engineer
    assert code("Java讲师") == "4-07-03-05"


# 7. Similarity of unrelated words does not overrule meaning: the head keeps its 大类.
def test_similarity_stays_in_the_heads_scope():
    assert at("台球教练", 1) == "4"
    assert at("CEO", 1) == "1"
    assert at("机房巡检工程师", 1) == "2"


# 8. Managers and company heads.
@pytest.mark.parametrize("title,expected", [
    ("销售经理", "2-06-07-02"), ("项目经理", "2-02-30-04"), ("总经理", "1-06-01-02"),
    ("CEO", "1-06-01-02"), ("售后工程师", "6-31-01-10"),
])
def test_managers_by_function(title, expected):
    assert code(title) == expected


# The parser itself.
def test_parse_finds_head_and_domain():
    parts = title_parse.parse(*_clean_parts("高级Java开发工程师（急招）"))
    assert parts.head.word == "开发工程师" and parts.head.role == "developer" and parts.domain == "高级java"
    parts = title_parse.parse(*_clean_parts("Java 经理"))
    assert parts.head.word == "经理" and parts.domain == "java"
    assert title_parse.parse(*_clean_parts("麦当劳")).head is None


def test_definition_scorer_reads_the_taxonomy():
    assert title_parse.definition("锅炉", ("6",)) is not None
    assert title_parse.definition("", ("6",)) is None
    assert title_parse.definition("锅炉", ()) is None


@pytest.mark.parametrize("value", [None, 3, "", "   ", "🙂", "x" * 5000, "（）【】", "招聘", "管培生"])
def test_any_input_never_raises(value):
    match = match_title(value)
    assert match.code is None or match.level


# Reading rules added for the shapes of the development half (made-up titles of those shapes).
@pytest.mark.parametrize("title,expected", [
    ("某某前端工程师助理", "2-02-10-03"),        # an assistant of a technical role is that role
    ("副总裁助理", "3-01-02-02"),                # an assistant of a head of an organisation: 秘书
    ("Go/Rust/C++/测试", "2-02-10-03"),          # a list of roles is read by its first
    ("百里挑一【省区经理】", "2-06-07-02"),       # the role in the bracket when the main title has none
    ("物业保洁员", "4-09-08-01"),                 # the 大典's own name as the head
    ("保洁", "4-09-08-01"),                      # … or the name without its ending
    ("汽车销售", "4-01-02-01"),                   # a leaf head holds when nothing names another
    ("营业员", "4-01-02-03"),
    ("货运代理业务助理", "4-02-05-03"),           # 业务 yields to the business it names
    ("Java技术经理", "2-02-10-03"),              # a coarse function yields to a leaf under it
    ("导航定位算法工程师", "2-02-02-08"),         # the field of an engineer
    ("物联网全栈开发", "2-02-38-02"),
    ("口腔护士", "2-05-08-07"),
    ("网络运维工程师", "2-02-10-04"),
])
def test_reading_rules(title, expected):
    assert code(title) == expected


def test_heads_that_name_nothing_get_no_leaf():
    assert code("合伙人") is None
    assert code("管培生-运营类") is None
    assert code("普通员工") is None
    found = code("创业合伙人")    # at most the level the definitions are sure of, never a leaf
    assert found is None or found.endswith("-00-00")
