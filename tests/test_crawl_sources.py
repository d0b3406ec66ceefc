"""Every example source (sources/examples/) crawled with the real Scrapy engine — `scrapy crawl
source` in a child process, or `jobmon crawl SOURCE` — against its saved pages served over HTTP
on 127.0.0.1; the stored rows are checked field by field in the SQLite file."""
import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from db.store import open_db
from normalize.dates import SHANGHAI

ROOT = Path(__file__).parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"]
# example source file → the fixture site folder that holds its saved pages
EXAMPLES = {
    "json_api_paged": "json_api", "json_api_cursor_post": "json_api", "json_api_seekers_offset": "json_api",
    "embedded_state": "embedded_json", "embedded_next_data": "embedded_json",
    "html_gbk_listing": "html", "html_seekers_sniffed": "html",
    "feed_rss": "feed", "feed_atom": "feed", "jsonld_sitemap": "jsonld", "jsonld_listing": "jsonld",
}
BY_CLI = "json_api_seekers_offset"   # crawled through `jobmon crawl SOURCE` instead of `scrapy crawl`


def _crawl(example: str, origin: str, db: Path) -> subprocess.CompletedProcess:
    if example == BY_CLI:
        command = [sys.executable, "-c", "from monitor.cli import main; main()", "crawl",
                   f"sources/examples/{example}.yaml", "--origin", origin, "--db", str(db)]
    else:
        command = [sys.executable, "-m", "scrapy", "crawl", "source", "-a", f"source=sources/examples/{example}.yaml",
                   "-a", f"origin={origin}", "-s", f"JOBMON_DB={db}", *FAST]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def stores(fixture_sites, tmp_path_factory):
    """{example: open store} after crawling every example source (4 child processes at a time)."""
    folder = tmp_path_factory.mktemp("sources")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = {name: pool.submit(_crawl, name, fixture_sites[site], folder / f"{name}.db")
                   for name, site in EXAMPLES.items()}
    for name, future in results.items():
        result = future.result()
        assert result.returncode == 0, f"{name}: {result.stderr[-3000:]}"
    return {name: open_db(folder / f"{name}.db") for name in EXAMPLES}


def rows(db, table: str = "postings") -> dict[str, dict]:
    return {r["source_id"]: r for r in db.query(f"SELECT * FROM {table} ORDER BY source_id")}


def fetch_day(row: dict, days_back: int = 0) -> str:
    """The Shanghai date ``days_back`` days before the row was fetched, as stored."""
    fetched = datetime.fromisoformat(row["fetched_at"]).astimezone(SHANGHAI)
    return (fetched.date() - timedelta(days=days_back)).isoformat()


def check(row: dict, **expected) -> None:
    for column, value in expected.items():
        assert row[column] == value, f"{row['source_id']}.{column}: {row[column]!r} != {value!r}"


def test_every_example_source_ran_to_the_end(stores):
    for name, db in stores.items():
        runs = list(db["crawl_runs"].rows)
        assert len(runs) == 1 and runs[0]["status"] == "finished", name
        assert runs[0]["spider"] == "source"


def test_paged_json_api(stores):
    db = stores["json_api_paged"]
    got = rows(db)
    assert set(got) == {"a1b2c3d4e5f6", "b2c3d4e5f6a7", "c3d4e5f6a7b8", "d4e5f6a7b8c9", "e5f6a7b8c9d0", "a7b8c9d0e1f2"}
    check(got["a1b2c3d4e5f6"], source="example-json-api", title="Java开发工程师", company="字节跳动",
          url="https://www.zhipin.example.com/job_detail/a1b2c3d4e5f6.html", salary_text="15-25K·13薪",
          salary_min_monthly=15000, salary_max_monthly=25000, salary_months=13, location_text="北京 海淀区 西二旗",
          district="海淀区", education_text="本科", posted_text="1702344120000", posted_at="2023-12-12")
    check(got["b2c3d4e5f6a7"], posted_text="1702430520000", posted_at="2023-12-13", salary_mid_monthly=10000,
          district="朝阳区")
    check(got["c3d4e5f6a7b8"], posted_text="1702344120", posted_at="2023-12-12", salary_period="day")
    check(got["d4e5f6a7b8c9"], salary_text="面议", salary_negotiable=1, salary_mid_monthly=None,
          posted_at="2026-11-20")
    check(got["a7b8c9d0e1f2"], city="上海市", district="浦东新区")
    rejects = list(db.query("SELECT reason, url FROM rejects"))
    assert [r["reason"] for r in rejects] == ["no_title"] and "page=2" in rejects[0]["url"]
    run = next(db["crawl_runs"].rows)
    assert run["pages"] >= 3 and run["records_new"] == 6 and run["rejected"] == 1


def test_post_cursor_api_answering_in_declared_gbk(stores):
    got = rows(stores["json_api_cursor_post"])
    assert len(got) == 4
    check(got["60123456"], title="数据分析师（急招）", company="北京喆睿科技有限公司", salary_text="20-35k·14薪",
          location_text="北京-朝阳区", district="朝阳区", posted_text="2023-12-12 09:22:00", posted_at="2023-12-12",
          url="https://www.liepin.example.com/job/60123456.shtml", industry_text="计算机软件")
    check(got["60123457"], title="机械工程师", posted_text="昨天", posted_at=fetch_day(got["60123457"], 1))
    check(got["60123458"], posted_text="2026-11-20T10:00:00+08:00", posted_at="2026-11-20")
    fetched = datetime.fromisoformat(got["60123459"]["fetched_at"]).astimezone(SHANGHAI).date()
    december_12 = date(fetched.year, 12, 12)
    december_12 = december_12 if december_12 <= fetched else december_12.replace(year=fetched.year - 1)
    check(got["60123459"], title="厨师", posted_text="12月12日", posted_at=december_12.isoformat())


def test_seekers_offset_api_in_undeclared_gbk_through_jobmon_crawl(stores):
    db = stores["json_api_seekers_offset"]
    got = rows(db, "seekers")
    assert set(got) == {"r9001", "r9002", "r9003", "r9004", "r9005"}
    check(got["r9001"], source="example-json-api-seekers", desired_title="会计", expected_salary_text="6-8K",
          location_text="北京·朝阳区", district="朝阳区", active_from="2026-10-02", active_to=fetch_day(got["r9001"]))
    check(got["r9002"], desired_title="Java开发", active_to=fetch_day(got["r9002"], 3))
    check(got["r9003"], desired_title="保安", active_to="2026-11-20")      # Unix seconds as a JSON number
    check(got["r9004"], expected_salary_text="面议", active_to=fetch_day(got["r9004"], 1))
    assert db["postings"].count == 0


def test_state_json_embedded_in_pages(stores):
    got = rows(stores["embedded_state"])
    assert set(got) == {"48201", "48202", "48203", "48204", "48205"}   # two pages, hasMore false on the second
    check(got["48201"], title="普工", company="北京汽车制造厂", salary_text="5000-7000元/月", district="顺义区",
          url="https://bj.58.example.com/bj/job/48201.shtml", posted_text="3天前发布",
          posted_at=fetch_day(got["48201"], 3))
    check(got["48202"], posted_text="2023-12-12 09:22:00", posted_at="2023-12-12")
    fetched = datetime.fromisoformat(got["48203"]["fetched_at"]).astimezone(SHANGHAI)
    check(got["48203"], posted_text="08:00发布", posted_at=fetch_day(got["48203"], 0 if fetched.hour >= 8 else 1))
    check(got["48204"], posted_text="前天", posted_at=fetch_day(got["48204"], 2))
    check(got["48205"], posted_text="刚刚", posted_at=fetch_day(got["48205"]))


def test_next_data_page(stores):
    got = rows(stores["embedded_next_data"])
    assert len(got) == 3
    check(got["nx-301"], title="UI设计师", company="小米科技", salary_text="15000-22000", salary_mid_monthly=18500,
          location_text="北京市 海淀区", district="海淀区", posted_at="2026-11-18")
    check(got["nx-302"], posted_text="2026-11-20T23:30:00+08:00", posted_at="2026-11-20")
    check(got["nx-303"], salary_text=None, posted_text="2026-11-19T16:30:00Z", posted_at="2026-11-20")


def test_gbk_html_listing_and_detail_pages(stores):
    got = rows(stores["html_gbk_listing"])
    assert set(got) == {"1001", "1002", "1003", "1004", "1005", "1006"}     # list_1 → 下一页 → list_2
    check(got["1001"], title="销售经理（底薪+提成）", company="北京某贸易有限公司", salary_text="8千-1.2万",
          location_text="北京-朝阳区", district="朝阳区", education_text="本科", experience_text="3-5年",
          headcount_text="招3人", headcount=3, posted_text="3天前发布", posted_at=fetch_day(got["1001"], 3))
    assert got["1001"]["url"].endswith("/zhaopin/job_1001.html")
    assert got["1001"]["description"] == "负责华北区域客户开发与维护。 五险一金，带薪年假。"
    check(got["1002"], title="行政专员", posted_text="昨天", posted_at=fetch_day(got["1002"], 1))
    # list_2 says gb2312 in its <meta> and gbk in its header; 喆 is GBK only
    check(got["1004"], title="软件测试工程师", company="北京喆睿科技有限公司", posted_at=fetch_day(got["1004"], 2))
    check(got["1005"], title="叉车司机", posted_text="2023年12月12日", posted_at="2023-12-12", headcount=10)
    # job_1006.html answers 404: the listing's fields are kept, nothing from the detail page
    check(got["1006"], title="保安（夜班）", salary_text="5-6K", district="丰台区", posted_text="刚刚",
          posted_at=fetch_day(got["1006"]), education_text=None, description=None)
    assert got["1006"]["url"].endswith("/zhaopin/job_1006.html")
    run = next(stores["html_gbk_listing"]["crawl_runs"].rows)
    assert json.loads(run["stats_json"])["jobmon/detail_failed"] == 1


def test_undeclared_gbk_seekers_table(stores):
    got = rows(stores["html_seekers_sniffed"], "seekers")
    assert set(got) == {"p301", "p302", "p303", "p304"}
    check(got["p301"], desired_title="仓库管理员", expected_salary_text="5-6K", location_text="北京 大兴",
          district="大兴区", active_from="2026-11-02", active_to=fetch_day(got["p301"]))
    check(got["p302"], desired_title="财务经理", salary_mid_monthly=25000, active_to=fetch_day(got["p302"], 1))
    check(got["p304"], desired_title="焊工", active_to="2026-11-21")


def test_rss_and_atom_feeds(stores):
    rss = rows(stores["feed_rss"])
    assert set(rss) == {"rss-501", "rss-502", "rss-503"}
    check(rss["rss-501"], title="前端开发工程师", company="百度", salary_text="20-30K", district="海淀区",
          url="https://jobs.rss.example.com/job/501", description="负责Web前端开发，熟悉Vue。", posted_at="2026-11-20")
    check(rss["rss-503"], posted_text="Thu, 19 Nov 2026 18:00:00 GMT", posted_at="2026-11-20")
    atom = rows(stores["feed_atom"])
    assert len(atom) == 3                                            # page 2 through <link rel="next">
    check(atom["tag:jobs.atom.example.com,2026:job-701"], title="机器学习工程师", company="旷视科技",
          salary_text="30-50K·15薪", salary_months=15, url="https://jobs.atom.example.com/job/701",
          posted_at="2026-11-20", description="算法研发")
    check(atom["tag:jobs.atom.example.com,2026:job-703"], title="药剂师", posted_at="2026-11-17")


def test_schema_org_pages_from_a_sitemap(stores):
    db = stores["jsonld_sitemap"]
    got = rows(db)
    assert set(got) == {"J-101", "J-102", "J-103"}                 # about.html is not followed
    check(got["J-101"], title="高级Python工程师", salary_min_monthly=25000, salary_max_monthly=40000,
          district="海淀区", posted_at="2026-11-20", headcount=2, employment_type="FULL_TIME")
    check(got["J-102"], title="UI设计师", salary_text="15-25K·13薪", headcount_text="招2人", headcount=2)
    check(got["J-103"], title="护士（三甲医院）", company="北京协和医院", salary_text="9000-13000 CNY/MONTH",
          district="东城区", posted_at="2026-11-18", education_text="大专")   # microdata
    assert [r["reason"] for r in db.query("SELECT reason FROM rejects")] == ["jsonld_invalid"]


def test_schema_org_pages_from_listing_pages(stores):
    db = stores["jsonld_listing"]
    got = rows(db)
    assert set(got) == {"J-101", "J-102", "J-103"}                 # 103 and 104 are on listing page 2
    check(got["J-103"], source="example-jsonld-listing", title="护士（三甲医院）", posted_at="2026-11-18")
    assert [r["reason"] for r in db.query("SELECT reason FROM rejects")] == ["jsonld_invalid"]
    run = next(db["crawl_runs"].rows)
    assert run["pages"] == 7                 # robots.txt, 2 listing pages, 4 posting pages; not about.html


def test_fixture_server_serves_gbk_bytes_with_and_without_a_charset(fixture_sites):
    with urllib.request.urlopen(fixture_sites["html"] + "/zhaopin/list_1.html") as answer:
        assert answer.headers["Content-Type"] == "text/html"
        body = answer.read()
    with urllib.request.urlopen(fixture_sites["html"] + "/zhaopin/list_2.html") as answer:
        assert answer.headers["Content-Type"] == "text/html; charset=gbk"
    assert "销售经理".encode("gbk") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
