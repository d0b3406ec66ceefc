import pytest

from normalize.titles import clean_title, match_title

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
    ("急聘司机", "4-02-02-01"),
    ("Node.js 全栈", "2-02-10-03"),
    ("C++ 开发", "2-02-10-03"),
    ("【朝阳】保洁", "4-09-08-01"),
    ("护士（13薪）", "2-05-08-01"),
    ("IC设计工程师", "2-02-38-09"),
    ("渗透测试工程师 双休", "2-02-10-07"),
    ("行政助理/前台", "3-01-02-02"),
    ("电话客服 五险一金", "4-04-05-03"),
    ("上海 产品经理", "2-02-34-01"),
]
UNMATCHED = ["", "   ", "急招", "五险一金 包吃住", "🙂🙂", "搬砖"]


@pytest.mark.parametrize("title,code", MATCHES, ids=[m[0] for m in MATCHES])
def test_match_title(title, code):
    match = match_title(title)
    assert match.code == code
    assert match.level == "细类"
    assert match.method in ("exact", "alias", "fuzzy")
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
