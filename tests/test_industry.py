"""Key industries of a posting: a table of real-looking postings."""
import csv
from importlib import resources

import pytest

from normalize.industry import classify_industries, key_industries
from normalize.taxonomy import occupations

# (occupation code, company industry text, title, description) → expected industries, exactly
CASES = [
    (("2-02-38-01", "互联网/IT服务", "大模型算法工程师", "负责LLM预训练与对齐"), ("新一代信息技术", "人工智能")),
    (("2-02-10-03", "计算机软件", "Java开发工程师", "负责电商交易系统后端开发"), ("新一代信息技术",)),
    (("2-02-10-07", "网络安全", "渗透测试工程师", "参与护网行动"), ("新一代信息技术",)),
    (("2-02-38-09", "集成电路/半导体", "数字IC设计工程师", "负责SoC模块RTL设计"), ("集成电路",)),
    ((None, "半导体设备", "刻蚀工艺工程师", "负责刻蚀设备工艺开发"), ("集成电路",)),
    (("2-05-08-01", "医疗健康", "内科护士", "负责病房护理"), ("医药健康",)),
    ((None, "生物医药", "临床监查员CRA", "负责创新药临床试验监查"), ("医药健康",)),
    (("6-12-05-01", None, "生物药品制造工", None), ("医药健康",)),
    (("2-02-07-01", "智能装备制造", "机械设计工程师", "负责非标自动化设备设计"), ("智能装备",)),
    (("6-31-07-00", None, "工业机器人运维员", None), ("智能装备",)),
    ((None, "新能源汽车", "电池系统工程师", "负责动力电池BMS开发"), ("新能源智能汽车",)),
    (("2-02-07-11", "汽车制造", "整车控制器开发工程师", "负责VCU软件开发"), ("新能源智能汽车",)),
    ((None, "新材料", "复合材料研发工程师", "负责碳纤维复合材料工艺"), ("新材料",)),
    ((None, None, "光伏电站运维工程师", "负责分布式光伏电站巡检"), ("绿色能源与节能环保",)),
    (("2-02-27-02", "环保", "污水处理工程师", None), ("绿色能源与节能环保",)),
    ((None, "检验检测", "检测工程师", "负责CNAS体系下的检验检测"), ("科技服务",)),
    (("2-07-04-00", "法律服务", "律师", "负责公司并购法律尽调"), ("商务服务",)),
    ((None, "人力资源服务", "招聘专员", "负责劳务派遣人员招聘"), ("商务服务",)),
    ((None, "银行", "对公客户经理", "负责企业信贷业务"), ("金融",)),
    (("2-06-11-03", "证券", "行业研究员", "覆盖TMT行业"), ("金融",)),
    ((None, "金融科技", "风控建模专家", "负责评分卡开发"), ("金融",)),
    ((None, "文化传媒", "视频剪辑师", "负责短视频剪辑"), ("文化创意",)),
    (("2-09-03-06", None, "剪辑师", None), ("文化创意",)),
    (("4-02-07-08", "交通运输/物流", "快递员", "负责片区派件"), ("现代物流",)),
    ((None, "供应链", "仓储主管", "负责冷链仓库管理"), ("现代物流",)),
    ((None, "农业", "植保技术员", "负责设施农业病虫害防治"), ("现代农业",)),
    (("5-01-02-01", None, "种植工", None), ("现代农业",)),
    (("4-10-01-05", "养老服务", "养老护理员", "为入住老人提供生活照料"), ("生活服务",)),
    ((None, "餐饮/酒店", "餐厅服务员", "负责门店服务"), ("生活服务",)),
    # benefits and generic words must not make an industry
    (("2-06-03-00", "批发零售/电子商务", "会计", "缴纳五险一金（含养老保险、医疗保险），餐饮补贴"), ()),
    (("3-01-02-02", None, "行政专员", "负责公司行政事务，免费健身房"), ()),
    ((None, None, None, None), ()),
]


@pytest.mark.parametrize("inputs,expected", CASES, ids=[" ".join(str(v) for v in c[0][:3]) for c in CASES])
def test_industries_of_real_postings(inputs, expected):
    assert classify_industries(*inputs) == expected


def test_mapping_names_beijing_key_industries_in_order():
    names = key_industries()
    assert names[:3] == ("新一代信息技术", "人工智能", "集成电路")
    assert {"医药健康", "智能装备", "新能源智能汽车", "新材料", "绿色能源与节能环保", "科技服务", "商务服务",
            "金融", "文化创意", "现代物流", "现代农业", "生活服务"} <= set(names)


def test_every_occupation_prefix_names_a_real_occupation_group():
    text = resources.files("normalize").joinpath("data/industries.csv").read_text(encoding="utf-8")
    codes = list(occupations())
    for row in csv.DictReader(text.splitlines()):
        for prefix in row["occupation_prefixes"].split("|"):
            assert any(code.startswith(prefix) for code in codes), (row["industry"], prefix)
