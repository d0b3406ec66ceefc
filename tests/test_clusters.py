"""Duplicate clusters: the three rules, the labelled pairs, and the store round trip."""
import sys

import pytest
from datetime import datetime
from pathlib import Path

from crawlers.pipelines import ensure_taxonomy, store_row
from db import reads
from db.store import now_iso, open_db
from db.writes import ensure_source, upsert_records
from monitor.duplicates import update_clusters
from normalize.clusters import cluster_details, cluster_postings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_dedup import REAL_PAIRS, evaluate, real_data  # noqa: E402

from normalize.dedup import company_key, title_key  # noqa: E402

DUTIES = ("职位描述：1、负责抖音电商交易链路核心系统的设计与开发，支撑亿级用户的高并发访问；2、参与服务治理、"
          "稳定性建设，持续优化系统性能；3、与产品、测试团队紧密协作。职位要求：本科及以上学历，熟练掌握Java或Go，"
          "熟悉MySQL、Redis、Kafka等中间件，具备良好的沟通能力。")
TEMPLATE = ("【派遣岗位】我司受客户委托招聘以下岗位，工作地点详见职位信息。岗位要求：身体健康，遵纪守法，有相关工作"
            "经验者优先；福利待遇：五险一金、带薪年假、节日福利、定期体检；工作时间：按客户单位安排。")


def posting(id, **fields):
    base = dict(id=id, source="boss", source_id=str(id), company="北京字节跳动科技有限公司", title="后端开发工程师",
                occupation_code="2-02-10-03", city="北京市", district="海淀区", posted_at="2026-09-01", description=None)
    return {**base, **fields}


def test_same_source_id_is_one_cluster_whatever_else_changed():
    ids = cluster_postings([posting(5, source_id="x"), posting(9, source_id="x", company="别的公司",
                                                                 occupation_code=None, posted_at=None)])
    assert ids == [5, 5]


def test_same_employer_title_and_place_within_60_days_is_one_ad():
    records = [posting(1), posting(2, company="字节跳动科技（北京）有限公司", title="【急招】后端开发工程师 五险一金",
                                    posted_at="2026-10-20"),
               posting(3, posted_at="2026-12-25"),          # 66 days after the last: a new round
               posting(4, district="朝阳区"),                # another district: another ad
               posting(5, title="前端开发工程师"),            # another title, same occupation: another ad
               posting(6, posted_at=None)]                   # no date: not joined by this rule
    cluster_ids, rules = cluster_details(records)
    assert cluster_ids.tolist() == [1, 1, 3, 4, 5, 6]
    assert rules.tolist() == ["ad", "ad", None, None, None, None]


def test_a_mass_hiring_employers_distinct_ads_stay_distinct_and_headcounts_add_up():
    stations = ["望京", "酒仙桥", "大山子", "将台", "东坝", "三里屯", "双井", "劲松", "潘家园", "十里河",
                "国贸", "呼家楼", "团结湖", "麦子店", "亮马桥", "左家庄", "和平街", "小关", "安贞", "太阳宫"]
    shared = ("岗位职责：负责所在站点的快递收派工作，按时完成派送任务，维护客户关系。任职要求：吃苦耐劳，"
              "有电动车驾驶经验，能适应早晚班，多劳多得，入职即缴纳社保。")
    records = [posting(n, source="zhilian", company="北京顺丰速运有限公司", title=f"快递员（{station}站）",
                       occupation_code="4-02-07-08", district="朝阳区", posted_at=f"2026-09-{1 + n % 5:02d}",
                       description=shared, headcount=n % 4 + 2)
               for n, station in enumerate(stations, start=1)]
    # the same station ad re-scanned, reposted two weeks later, and cross-posted to another board
    records += [posting(101, source="zhilian", source_id="1", company="北京顺丰速运有限公司", title="快递员（望京站）",
                        occupation_code="4-02-07-08", district="朝阳区", posted_at="2026-09-02", headcount=3),
                posting(102, source="zhilian", company="北京顺丰速运有限公司", title="急招快递员（望京站）8k",
                        occupation_code="4-02-07-08", district="朝阳区", posted_at="2026-09-16", description=shared,
                        headcount=3),
                posting(103, source="58", company="顺丰速运", title="快递员（望京站）", occupation_code="4-02-07-08",
                        district=None, posted_at="2026-09-20", description=shared, headcount=3)]
    cluster_ids = cluster_postings(records)
    assert len(set(cluster_ids)) == len(stations)          # one cluster per station ad
    assert cluster_ids[-3:] == [1, 1, 1]                    # the re-scan, the repost and the cross-post join ad 1
    first = {}
    for cluster, record in zip(cluster_ids, records):
        first.setdefault(cluster, record["headcount"])
    assert sum(first.values()) == sum(n % 4 + 2 for n in range(1, len(stations) + 1))


def test_one_boards_ads_sharing_a_template_are_not_one_ad():
    text = TEMPLATE + "岗位：仓库管理员，负责出入库。"
    records = [posting(1, company="北京京东世纪贸易有限公司", title="仓管员（亦庄）", occupation_code="4-02-06-01",
                       description=text),
               posting(2, company="北京京东世纪贸易有限公司", title="仓库管理员", occupation_code="4-02-06-01",
                       description=text, posted_at="2026-09-02"),
               posting(3, company="北京京东世纪贸易有限公司天河店", title="仓管员", occupation_code="4-02-06-01",
                       description=text, posted_at="2026-09-03")]
    assert cluster_postings(records) == [1, 2, 3]
    # the same text on the same board weeks later, under an edited title, is a repost
    repost = [records[0], posting(4, company="北京京东世纪贸易有限公司", title="仓库管理员（亦庄）",
                                   occupation_code="4-02-06-01", description=text, posted_at="2026-09-20")]
    assert cluster_postings(repost) == [1, 1]


def test_employer_key_strips_one_leading_place_and_keeps_inner_place_words():
    assert company_key("北京天津康养服务有限公司") == "天津康养服务"
    assert company_key("北京上海康养服务有限公司") == "上海康养服务"
    assert company_key("北京天津康养服务有限公司") != company_key("北京上海康养服务有限公司")
    assert company_key("北京字节跳动科技有限公司") == company_key("字节跳动科技（北京）有限公司") == "字节跳动科技"
    assert company_key("北京有限公司") == "北京"  # a name that is only a place keeps it
    records = [posting(1, company="北京天津康养服务有限公司", title="养老护理员", occupation_code="4-10-01-05"),
               posting(2, company="北京上海康养服务有限公司", title="养老护理员", occupation_code="4-10-01-05")]
    assert cluster_postings(records) == [1, 2]


def test_title_key_drops_pay_and_urgency_but_keeps_what_tells_ads_apart():
    assert title_key("【急招】快递员（望京站）8k") == title_key("快递员-望京站") == "快递员望京站"
    assert title_key("快递员（酒仙桥站）") != title_key("快递员（望京站）")
    assert title_key("全栈开发实习生-飞书") != title_key("全栈开发-飞书")
    assert title_key("C++开发 15-25K·14薪") == "c++开发"
    assert title_key(None) is None and title_key("￥！") is None


def test_near_identical_text_joins_a_cross_post_with_another_company_name():
    records = [posting(1, description=DUTIES),
               posting(2, source="zhilian", company="字节跳动", district=None, occupation_code=None,
                       posted_at="2026-09-03", description=DUTIES.replace("亿级", "十亿级") + "薪资面议。")]
    assert cluster_postings(records) == [1, 1]
    assert cluster_details(records)[1].tolist() == ["text", "text"]


def test_shared_template_does_not_join_different_jobs_or_districts():
    records = [posting(1, company="北京外企人力资源服务有限公司", occupation_code="3-01-02-02", district="朝阳区",
                       description=TEMPLATE + "岗位：行政前台。"),
               posting(2, company="外企FESCO", occupation_code="4-02-06-01", district="朝阳区",
                       description=TEMPLATE + "岗位：仓库管理员。"),
               posting(3, company="外企FESCO", occupation_code="3-01-02-02", district="丰台区",
                       description=TEMPLATE + "岗位：行政前台。")]
    assert cluster_postings(records) == [1, 2, 3]


def test_short_descriptions_are_not_compared():
    short = "岗位职责：负责相关工作。任职要求：本科，1-3年经验。"
    records = [posting(1, description=short), posting(2, company="另一家公司", description=short)]
    assert cluster_postings(records) == [1, 2]


def test_cluster_id_is_the_smallest_id_and_positions_without_ids():
    records = [posting(40), posting(7, posted_at="2026-09-05"), posting(12, posted_at="2026-09-09")]
    assert cluster_postings(records) == [7, 7, 7]
    assert cluster_postings([{k: v for k, v in r.items() if k != "id"} for r in records]) == [0, 0, 0]
    assert cluster_postings([]) == []


def test_transitive_chains_are_one_cluster():
    records = [posting(1, source_id="a"), posting(2, source_id="a", company="X公司", posted_at="2026-12-01"),
               posting(3, company="X公司", posted_at="2026-12-20")]
    assert cluster_postings(records) == [1, 1, 1]


def test_labelled_pairs_precision_and_recall_floors():
    result = evaluate()
    assert result.pairs >= 200
    assert result.precision >= 0.95, result.errors
    assert result.recall >= 0.90, result.errors


@pytest.mark.skipif(real_data() is None, reason="needs ../shared/data/real")
def test_real_labelled_pairs_precision_and_recall_floors():
    result = evaluate(REAL_PAIRS)
    assert result.pairs >= 300
    assert result.precision >= 0.95, result.errors
    assert result.recall >= 0.95, result.errors


def test_monitor_stores_cluster_ids_and_rewrites_only_changes(tmp_path):
    db = open_db(tmp_path / "store.db")
    ensure_taxonomy(db)
    ensure_source(db, "boss", "postings", "jobposting", None)
    ensure_source(db, "zhilian", "postings", "jobposting", None)
    fetched = datetime(2026, 9, 10, 9, 0).isoformat()
    raws = [dict(source="zhilian" if n == 1 else "boss", source_id=str(n), title="Java开发工程师", company=company, location_text=place,
                 description=text, posted_text=day, fetched_at=fetched, tags=["K8s"])
            for n, (company, place, day, text) in enumerate([
                ("北京字节跳动科技有限公司", "北京·海淀区", "2026-09-01", DUTIES),
                ("字节跳动", "北京", "2026-09-02", DUTIES),  # a cross-post on another board
                ("北京美团科技有限公司", "北京-朝阳区", "2026-09-03", TEMPLATE)])]
    rows = [store_row("postings", raw, None, "北京市") for raw in raws]
    upsert_records(db, "postings", rows, now_iso())
    stored = db.execute("SELECT skills, industries FROM postings ORDER BY id").fetchall()
    assert '"Kubernetes"' in stored[0][0] and '"Java"' in stored[0][0]
    assert stored[0][1] == '["新一代信息技术"]'

    first = update_clusters(db)
    assert first == {"postings": 3, "clusters": 2, "written": 2}  # the third is alone since its insert
    clusters = db.execute("SELECT id, cluster_id, cluster_rule FROM postings ORDER BY id").fetchall()
    assert [c[1] for c in clusters] == [clusters[0][0]] * 2 + [clusters[2][0]]
    assert update_clusters(db)["written"] == 0  # nothing changed: nothing written
    frame = reads.monitor_postings(db, "北京市")
    assert "cluster_id" in frame and frame["cluster_id"].notna().all()


def test_a_mass_hiring_employers_openings_add_up_in_the_store(tmp_path):
    db = open_db(tmp_path / "store.db")
    ensure_taxonomy(db)
    ensure_source(db, "zhilian", "postings", "jobposting", None)
    fetched = datetime(2026, 9, 10, 9, 0).isoformat()
    stations = ["望京", "酒仙桥", "大山子", "将台", "东坝", "三里屯", "双井", "劲松", "潘家园", "十里河", "国贸", "呼家楼"]
    text = ("岗位职责：负责所在站点的快递收派工作，按时完成派送任务，维护客户关系。任职要求：吃苦耐劳，"
            "有电动车驾驶经验，能适应早晚班，多劳多得，入职即缴纳社保。")
    raws = [dict(source="zhilian", source_id=str(n), title=f"快递员（{station}站）", company="北京顺丰速运有限公司",
                 location_text="北京·朝阳区", description=text, posted_text=f"2026-09-0{1 + n % 5}",
                 headcount_text=f"招{n % 3 + 2}人", fetched_at=fetched)
            for n, station in enumerate(stations)]
    upsert_records(db, "postings", [store_row("postings", raw, None, "北京市") for raw in raws], now_iso())
    assert update_clusters(db)["clusters"] == len(stations)
    frame = reads.monitor_postings(db, "北京市")
    assert frame["cluster"].nunique() == len(stations)
    assert frame.groupby("cluster")["headcount"].first().sum() == sum(n % 3 + 2 for n in range(len(stations)))
