"""Duplicate clusters: the three rules, the labelled pairs, and the store round trip."""
import sys
from datetime import datetime
from pathlib import Path

from crawlers.pipelines import ensure_taxonomy, store_row
from db import reads
from db.store import now_iso, open_db
from db.writes import ensure_source, upsert_records
from monitor.duplicates import update_clusters
from normalize.clusters import cluster_details, cluster_postings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_dedup import evaluate  # noqa: E402

DUTIES = ("职位描述：1、负责抖音电商交易链路核心系统的设计与开发，支撑亿级用户的高并发访问；2、参与服务治理、"
          "稳定性建设，持续优化系统性能；3、与产品、测试团队紧密协作。职位要求：本科及以上学历，熟练掌握Java或Go，"
          "熟悉MySQL、Redis、Kafka等中间件，具备良好的沟通能力。")
TEMPLATE = ("【派遣岗位】我司受客户委托招聘以下岗位，工作地点详见职位信息。岗位要求：身体健康，遵纪守法，有相关工作"
            "经验者优先；福利待遇：五险一金、带薪年假、节日福利、定期体检；工作时间：按客户单位安排。")


def posting(id, **fields):
    base = dict(id=id, source="boss", source_id=str(id), company="北京字节跳动科技有限公司",
                occupation_code="2-02-10-03", district="海淀区", posted_at="2026-09-01", description=None)
    return {**base, **fields}


def test_same_source_id_is_one_cluster_whatever_else_changed():
    ids = cluster_postings([posting(5, source_id="x"), posting(9, source_id="x", company="别的公司",
                                                                 occupation_code=None, posted_at=None)])
    assert ids == [5, 5]


def test_same_employer_occupation_district_within_60_days():
    records = [posting(1), posting(2, company="字节跳动科技（北京）有限公司", posted_at="2026-10-20"),
               posting(3, posted_at="2026-12-25"),          # 66 days after the last: a new round
               posting(4, district="朝阳区"),                # another district: another job
               posting(5, occupation_code="2-02-10-07"),     # another occupation
               posting(6, posted_at=None)]                   # no date: not joined by this rule
    cluster_ids, rules = cluster_details(records)
    assert cluster_ids.tolist() == [1, 1, 3, 4, 5, 6]
    assert rules.tolist() == ["employer", "employer", None, None, None, None]


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


def test_monitor_stores_cluster_ids_and_rewrites_only_changes(tmp_path):
    db = open_db(tmp_path / "store.db")
    ensure_taxonomy(db)
    ensure_source(db, "boss", "postings", "jobposting", None)
    fetched = datetime(2026, 9, 10, 9, 0).isoformat()
    raws = [dict(source="boss", source_id=str(n), title="Java开发工程师", company=company, location_text=place,
                 description=text, posted_text=day, fetched_at=fetched, tags=["K8s"])
            for n, (company, place, day, text) in enumerate([
                ("北京字节跳动科技有限公司", "北京·海淀区", "2026-09-01", DUTIES),
                ("字节跳动", "北京", "2026-09-02", DUTIES),
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
