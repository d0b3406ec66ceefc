"""Skills from posting descriptions and tags: a table of real-looking strings."""
import csv
from importlib import resources

import pytest

from normalize.skills import parse_skills, skill_category, skills

# (description, skills that must be found, skills that must not be found)
CASES = [
    ("熟悉Java、Spring Boot，有K8s经验，持PMP证书优先", {"Java", "Spring Boot", "Kubernetes", "PMP"}, {"JavaScript"}),
    ("精通JavaScript和TypeScript，熟悉Vue3、React", {"JavaScript", "TypeScript", "Vue", "React"}, {"Java"}),
    ("熟悉Google Cloud与谷歌生态，会用Go开发", {"Go", "Google Cloud"}, set()),
    ("熟悉Google搜索广告投放", set(), {"Go"}),
    ("熟练使用node.js、Vue.js、three.js", {"Node.js", "Vue", "Three.js"}, {"JavaScript"}),
    ("nodejs后端开发，熟悉Express.js或Koa2", {"Node.js", "Express", "Koa"}, set()),
    ("C/C++开发，熟悉Linux内核", {"C", "C++", "Linux"}, set()),
    ("精通cpp，熟悉STL和Boost库", {"C++", "STL", "Boost"}, {"C"}),
    ("熟练掌握C#与.NET Core，了解WPF", {"C#", ".NET", "WPF"}, {"C"}),
    ("计算机科学专业，CET-6，了解计算机网络", {"CET-6"}, {"C"}),
    ("熟练使用PS、AI、PR等设计软件", {"Photoshop"}, {"Illustrator", "Premiere"}),
    ("熟练使用Photoshop/Illustrator/After Effects", {"Photoshop", "Illustrator", "After Effects"}, set()),
    ("PS：请附作品集", {"Photoshop"}, set()),  # a known false positive of the PS rule, kept visible
    ("React Native 跨端开发", {"React Native"}, {"React"}),
    ("熟悉SQL Server和MySQL，能写复杂SQL", {"SQL Server", "MySQL", "SQL"}, set()),
    ("持有C1驾照，熟悉北京路况", {"驾照C1", "驾驶"}, {"C", "驾照"}),
    ("持A2驾驶证，有3年大车经验", {"驾照A2"}, set()),
    ("持有CISP、CISSP证书，熟悉等保2.0", {"CISP", "CISSP", "网络安全"}, set()),
    ("具有CCNP或CCIE认证，熟悉华为HCIE体系", {"CCNP", "CCIE", "HCIE"}, set()),
    ("持注册会计师(CPA)或ACCA证书，CFA一级优先", {"注册会计师", "ACCA", "CFA"}, set()),
    ("具备教师资格证，普通话二甲", {"教师资格证", "普通话证书"}, set()),
    ("持有执业医师资格证，有三甲医院经验", {"执业医师"}, set()),
    ("持护士执业证书，能适应倒班", {"护士执业证"}, set()),
    ("持有低压电工证、登高证", {"电工证", "登高证"}, set()),
    ("持叉车证，能熟练开叉车", {"叉车证", "叉车操作"}, set()),
    ("有会计从业资格证，熟练使用用友、金蝶", {"会计从业资格", "用友", "金蝶"}, set()),
    ("熟悉SMT贴片工艺和回流焊", {"SMT", "回流焊"}, set()),
    ("会PLC编程（西门子S7-1200），熟悉博途", {"PLC编程", "TIA Portal"}, set()),
    ("CNC编程，熟练使用UG和Mastercam", {"CNC编程", "UG NX", "Mastercam"}, set()),
    ("负责抖音直播运营，会短视频剪辑，熟悉剪映", {"直播运营", "短视频剪辑", "剪映"}, set()),
    ("熟悉大模型微调(LoRA/SFT)与RAG应用开发，了解LangChain", {"模型微调", "RAG", "LangChain", "大模型"}, set()),
    ("熟练使用Pandas、NumPy、scikit-learn进行数据分析", {"Pandas", "NumPy", "scikit-learn", "数据分析"}, set()),
    ("熟悉Hadoop、Spark、Flink、Kafka等大数据组件，熟悉Hive SQL", {"Hadoop", "Spark", "Flink", "Kafka", "Hive"}, set()),
    ("熟悉Docker、Kubernetes、Jenkins与CI/CD", {"Docker", "Kubernetes", "Jenkins", "CI/CD"}, set()),
    ("熟练使用Excel函数、数据透视表和PPT", {"Excel", "数据透视表", "PowerPoint"}, set()),
    ("熟悉Ｊａｖａ和ＭｙＳＱＬ（全角）", {"Java", "MySQL"}, set()),
    ("熟悉資料庫與Python程式設計", {"Python"}, set()),
    ("熟悉R语言与SPSS统计分析", {"R", "SPSS", "统计分析"}, set()),
    ("research and reporting; strong English", {"英语"}, {"R"}),
    ("做事认真负责，沟通能力强，具备团队合作精神", {"沟通能力", "责任心", "团队合作"}, set()),
    ("五险一金，包吃住，双休，餐补", set(), {"烹饪"}),
    ("招聘岗位：服务员，负责门店日常服务", set(), {"招聘"}),
    ("", set(), set()),
]


@pytest.mark.parametrize("text,present,absent", CASES, ids=[c[0][:30] or "empty" for c in CASES])
def test_skills_found_in_real_descriptions(text, present, absent):
    found = set(parse_skills(text))
    assert present <= found, present - found
    assert not (absent & found), absent & found


def test_tags_are_read_beside_the_description():
    assert parse_skills("负责后端开发", ["Golang", "微服务", "K8s"]) == ("Go", "Kubernetes", "微服务")
    assert parse_skills(None, "Redis") == ("Redis",)
    assert parse_skills(None, None) == ()


def test_result_is_sorted_and_without_repeats():
    found = parse_skills("Java java JAVA；Python、python3；JAVA EE")
    assert found == ("Java", "Python")


def test_dictionary_has_500_entries_in_every_category():
    entries = skills()
    assert len(entries) >= 500
    categories = {skill.category for skill in entries.values()}
    assert {"language", "framework", "tool", "database", "cloud", "data_ai", "design", "office",
            "certificate", "domain", "soft"} <= categories
    assert sum(1 for s in entries.values() if s.category == "certificate") >= 80
    assert skill_category("PMP") == "certificate"
    assert skill_category("没有这个技能") is None


def test_dictionary_file_is_well_formed():
    text = resources.files("normalize").joinpath("data/skills.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len({r["name"] for r in rows}) == len(rows)
    for row in rows:
        variants = row["variants"].split("|")
        assert all(v == v.strip() and v for v in variants), row
        assert all(v == v.lower() for v in variants), row
        # Single letters and two-letter words that are ordinary words would match everywhere.
        assert not set(variants) & {"c", "r", "ai", "pr", "es", "ts", "go语", "it", "ui"}, row
