"""`jobmon import`: real files (CSV UTF-8 / UTF-8-SIG / GBK, JSON Lines, Excel) into a real store."""
import json
from pathlib import Path
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from db import reads
from db.store import open_db
from monitor.cli import main
from monitor.compute import compute
from normalize.occupation_lookup import find_occupation
from normalize.periods import parse_period

POSTINGS_CSV = (
    "source_id,title,company,salary_text,location_text,posted_at,closed_at,headcount,福利\n"
    "J1,Java开发工程师（急招）,北京字节跳动科技有限公司,15-25K·13薪,北京·海淀区·中关村,2024-03-01,,招3人,五险一金\n"
    ",,公司B,面议,朝阳区,2024-03-02,,,\n"
    "J3,快递员,顺丰速运,8千-1.2万,北京市大兴区,2024-13-45,,,\n"
    'J4,"会计\n（兼职）",公司C,150-200元/天,通州,2024/3/5,2024年4月1日,2,\n'
    "J5,only,three\n"
)


def run(*args):
    result = CliRunner().invoke(main, ["import", *map(str, args)])
    return result


def rows(db_path, sql, params=()):
    db = open_db(db_path)
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    found = [dict(zip(columns, r)) for r in cursor.fetchall()]
    db.conn.close()
    return found


def test_csv_postings_are_normalized_stored_and_bad_rows_rejected_with_line(tmp_path):
    file, db = tmp_path / "jobs.csv", tmp_path / "s.db"
    file.write_text(POSTINGS_CSV, encoding="utf-8")
    result = run("postings", file, "--db", db, "--source", "survey", "--city", "北京市")
    assert result.exit_code == 0, result.output
    assert "2 new, 0 updated, 3 rejected" in result.output

    stored = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    assert set(stored) == {"J1", "J4"}
    j1 = stored["J1"]
    assert (j1["source"], j1["title"], j1["company"], j1["salary_text"]) == (
        "survey", "Java开发工程师（急招）", "北京字节跳动科技有限公司", "15-25K·13薪")
    assert (j1["occupation_code"], j1["salary_min_monthly"], j1["salary_max_monthly"], j1["salary_months"]) == (
        "2-02-10-03", 15000, 25000, 13)
    assert (j1["city"], j1["district"], j1["functional_area"]) == ("北京市", "海淀区", "中关村")
    assert (j1["posted_text"], j1["posted_at"], j1["closed_at"]) == ("2024-03-01", "2024-03-01", None)
    assert (j1["headcount_text"], j1["headcount"]) == ("招3人", 3)
    assert json.loads(j1["extra_json"]) == {"福利": "五险一金"}
    assert j1["fetched_at"] and j1["normalizer_version"] and j1["url"] is None
    j4 = stored["J4"]
    assert j4["title"] == "会计\n（兼职）" and j4["district"] == "通州区"
    assert (j4["posted_at"], j4["closed_at"], j4["headcount"], j4["extra_json"]) == (
        "2024-03-05", "2024-04-01", 2, None)
    assert j4["salary_period"] == "day"

    rejects = rows(db, "SELECT reason, line, file, kind, source, raw_json FROM rejects ORDER BY line")
    assert [(r["reason"], r["line"]) for r in rejects] == [
        ("no_title", 3), ("bad_date_posted_at", 4), ("csv_field_count", 7)]
    assert {r["file"] for r in rejects} == {str(file)}
    assert {(r["kind"], r["source"]) for r in rejects} == {("posting", "survey")}
    assert json.loads(rejects[1]["raw_json"])["fields"]["title"] == "快递员"
    assert "expected 9 fields, found 3" in json.loads(rejects[2]["raw_json"])["detail"]

    [crawl] = rows(db, "SELECT * FROM crawl_runs")
    assert (crawl["source"], crawl["spider"], crawl["status"]) == ("survey", "import:csv", "finished")
    assert (crawl["items"], crawl["records_new"], crawl["records_updated"], crawl["rejected"]) == (5, 2, 0, 3)
    assert json.loads(crawl["stats_json"])["encoding"] == "utf-8"
    assert {r["crawl_run_id"] for r in stored.values()} == {crawl["id"]}
    assert rows(db, "SELECT name, kind, spider FROM sources") == [
        {"name": "survey", "kind": "postings", "spider": "import:csv"}]


def test_gbk_csv_with_chinese_headers_is_mapped(tmp_path):
    file, db = tmp_path / "导出.csv", tmp_path / "s.db"
    file.write_bytes(
        "编号,职位名称,公司名称,薪资,工作地点,发布日期,title,行业\n"
        "A-1,前端开发工程师,北京某某科技有限公司,20-30K,北京-朝阳区,2024年3月8日,旧标题,互联网\n".encode("gbk"))
    result = run("postings", file, "--db", db, "--map",
                 "source_id=编号,title=职位名称，company=公司名称", "--map", "salary_text=薪资,location_text=工作地点",
                 "--map", "posted_at=发布日期")
    assert result.exit_code == 0, result.output
    assert "gb18030" in result.output
    [row] = rows(db, "SELECT * FROM postings")
    assert (row["source"], row["source_id"], row["title"], row["company"]) == (
        "导出", "A-1", "前端开发工程师", "北京某某科技有限公司")
    assert (row["salary_min_monthly"], row["district"], row["posted_at"]) == (20000, "朝阳区", "2024-03-08")
    # a header named like a standard column that --map gave to another header is kept as extra
    assert json.loads(row["extra_json"]) == {"title": "旧标题", "行业": "互联网"}


def test_utf8_bom_header_and_url_as_id_and_row_hash_fallback(tmp_path):
    file, db = tmp_path / "bom.csv", tmp_path / "s.db"
    file.write_text("title,url,company\n数据分析师,https://x.example/j/9,甲公司\n数据分析师,,乙公司\n",
                    encoding="utf-8-sig")
    assert run("postings", file, "--db", db).exit_code == 0
    assert run("postings", file, "--db", db).exit_code == 0  # same file again: no duplicates
    stored = rows(db, "SELECT source_id, company FROM postings ORDER BY source_id")
    assert stored[0] == {"source_id": "https://x.example/j/9", "company": "甲公司"}
    assert stored[1]["source_id"].startswith("row-sha1:") and stored[1]["company"] == "乙公司"
    assert len(stored) == 2
    [second] = rows(db, "SELECT records_new, records_updated, stats_json FROM crawl_runs WHERE id = 2")
    assert (second["records_new"], second["records_updated"]) == (0, 2)
    assert json.loads(second["stats_json"])["encoding"] == "utf-8-sig"


def test_reimport_updates_records_and_keeps_first_seen(tmp_path):
    file, db = tmp_path / "jobs.csv", tmp_path / "s.db"
    file.write_text("source_id,title,salary_text\n1,护士,8000-10000\n2,电工,6000\n", encoding="utf-8")
    assert run("postings", file, "--db", db, "--source", "s").exit_code == 0
    first = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    file.write_text("source_id,title,salary_text\n1,护士,9000-11000\n2,电工,6000\n3,厨师,7000\n", encoding="utf-8")
    result = run("postings", file, "--db", db, "--source", "s")
    assert "1 new, 2 updated" in result.output
    again = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    assert len(again) == 3
    assert again["1"]["salary_mid_monthly"] == 10000 and again["1"]["first_seen"] == first["1"]["first_seen"]
    assert again["1"]["crawl_run_id"] == 2


def test_jsonl_seekers_with_broken_lines(tmp_path):
    file, db = tmp_path / "talent.jsonl", tmp_path / "s.db"
    lines = [
        {"source": "fair", "source_id": 101, "desired_title": "Java开发", "location_text": "海淀区",
         "expected_salary_text": "15-20K", "active_from": "2024-03-01", "active_to": "2024-03-20",
         "skills": ["java", "sql"]},
        '{"source_id": 102, "desired_title": "会计"',
        [1, 2],
        {"source_id": 103, "desired_title": "", "active_from": "2024-03-01"},
        {"source_id": 104, "desired_title": "护士", "active_from": "不详"},
    ]
    file.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n",
                    encoding="utf-8")
    result = run("seekers", file, "--db", db, "--source", "campus", "--city", "北京市")
    assert result.exit_code == 0, result.output
    [row] = rows(db, "SELECT * FROM seekers")
    assert (row["source"], row["source_id"], row["desired_title"]) == ("fair", "101", "Java开发")
    assert (row["occupation_code"], row["district"], row["salary_min_monthly"], row["salary_max_monthly"]) == (
        "2-02-10-03", "海淀区", 15000, 20000)
    assert (row["active_from_text"], row["active_from"], row["active_to"]) == ("2024-03-01", "2024-03-01", "2024-03-20")
    assert json.loads(row["extra_json"]) == {"skills": ["java", "sql"]}
    rejects = rows(db, "SELECT reason, line, kind, source FROM rejects ORDER BY line")
    assert [(r["reason"], r["line"]) for r in rejects] == [
        ("invalid_json", 2), ("invalid_json", 3), ("no_title", 4), ("bad_date_active_from", 5)]
    assert {r["kind"] for r in rejects} == {"seeker"}
    assert rows(db, "SELECT spider FROM crawl_runs") == [{"spider": "import:jsonl"}]
    assert {r["name"]: r["kind"] for r in rows(db, "SELECT name, kind FROM sources")} == {
        "campus": "seekers", "fair": "seekers"}


def test_xlsx_postings_from_a_named_sheet(tmp_path):
    from openpyxl import Workbook

    file, db = tmp_path / "jobs.xlsx", tmp_path / "s.db"
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["this sheet is notes"])
    sheet = book.create_sheet("岗位")
    sheet.append(["岗位编号", "岗位名称", "月薪", "发布时间", "招聘人数", "备注"])
    sheet.append([20240001, "电工", "6000-8000元/月", datetime(2024, 3, 4), 5, None])
    sheet.append([None, None, None, None, None, None])
    sheet.append([20240002, "焊工", "面议", date(2024, 3, 5), None, "夜班"])
    sheet.append([20240003, "", "面议", date(2024, 3, 5), None, None])
    book.save(file)
    result = run("postings", file, "--db", db, "--sheet", "岗位", "--source", "xls",
                 "--map", "source_id=岗位编号,title=岗位名称,salary_text=月薪,posted_at=发布时间,headcount=招聘人数")
    assert result.exit_code == 0, result.output
    stored = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    assert set(stored) == {"20240001", "20240002"}
    first, second = stored["20240001"], stored["20240002"]
    assert (first["posted_at"], first["headcount"], first["salary_min_monthly"]) == ("2024-03-04", 5, 6000)
    assert second["salary_negotiable"] == 1 and json.loads(second["extra_json"]) == {"备注": "夜班"}
    assert [(r["reason"], r["line"]) for r in rows(db, "SELECT reason, line FROM rejects")] == [("no_title", 5)]
    assert rows(db, "SELECT spider FROM crawl_runs") == [{"spider": "import:xlsx"}]


def test_unusable_options_are_clear_errors_and_write_nothing(tmp_path):
    file, db = tmp_path / "jobs.csv", tmp_path / "s.db"
    file.write_text("职位,公司\n电工,甲\n", encoding="utf-8")
    bad_map = run("postings", file, "--db", db, "--map", "titel=职位")
    assert bad_map.exit_code == 2 and "not a standard column" in bad_map.output
    no_title = run("postings", file, "--db", db)
    assert no_title.exit_code == 1 and "--map title=<header>" in no_title.output
    absent = run("postings", file, "--db", db, "--map", "title=名称")
    assert absent.exit_code == 1 and "does not have: ['名称']" in absent.output
    unknown = run("postings", tmp_path, "--db", db)
    assert unknown.exit_code == 2
    assert rows(db, "SELECT count(*) n FROM crawl_runs") == [{"n": 0}]


SUPPLY_CSV = (
    "period_start,period_end,occupation,area,seekers,openings,备注\n"
    "2024-01-01,2024-03-31,2-02-10-03,北京市,1200,3400,\n"
    "2024-01-01,2024-03-31,快递员,海淀区,\"1,500\",,季度\n"
    "2024-01-01,2024-03-31,会写代码的人,北京市,10,,\n"
    "2024-01-01,2024-03-31,专业技术人员,北京市,多,,\n"
    "2024-03-31,2024-01-01,护士,北京市,5,,\n"
    "2024-01-01,2024-03-31,电工,全市,7,,\n"
)


def test_supply_counts_are_resolved_stored_apart_and_read_as_a_dataframe(tmp_path):
    file, db = tmp_path / "pes.csv", tmp_path / "s.db"
    file.write_text(SUPPLY_CSV, encoding="utf-8")
    result = run("supply-counts", file, "--db", db, "--source", "北京市公共就业服务", "--city", "北京市")
    assert result.exit_code == 0, result.output
    assert "3 new, 0 updated, 3 rejected" in result.output
    stored = rows(db, "SELECT * FROM supply_counts ORDER BY seekers")
    assert [(r["occupation_code"], r["occupation_name"], r["area"], r["city"], r["district"], r["seekers"],
             r["openings"]) for r in stored] == [
        ("6-31-01-03", "电工", "全市", "北京市", None, 7, None),
        ("2-02-10-03", "计算机软件工程技术人员", "北京市", "北京市", None, 1200, 3400),
        ("4-02-07-08", "快递员", "海淀区", "北京市", "海淀区", 1500, None),
    ]
    assert {(r["source"], r["period_start"], r["period_end"]) for r in stored} == {
        ("北京市公共就业服务", "2024-01-01", "2024-03-31")}
    assert json.loads(stored[2]["extra_json"]) == {"备注": "季度"} and stored[2]["occupation_text"] == "快递员"
    assert rows(db, "SELECT count(*) n FROM seekers") == [{"n": 0}]  # kept apart from crawled supply
    assert [(r["reason"], r["line"]) for r in rows(db, "SELECT reason, line FROM rejects ORDER BY line")] == [
        ("occupation_unresolved", 4), ("bad_seekers", 5), ("bad_period", 6)]
    assert rows(db, "SELECT spider FROM crawl_runs") == [{"spider": "import:supply-counts"}]

    file.write_text("period,occupation,area,seekers\n2024Q1,2-02-10-03,北京市,1300\n", encoding="utf-8")
    again = run("supply-counts", file, "--db", db, "--source", "北京市公共就业服务")
    assert "0 new, 1 updated" in again.output
    frame = reads.supply_counts(open_db(db), city="北京市")
    assert list(frame["seekers"]) == [1300, 1500, 7]
    assert set(frame["source"]) == {"北京市公共就业服务"}
    assert frame.iloc[0]["period_end"] == "2024-03-31" and frame.iloc[0]["occupation_code"] == "2-02-10-03"


@pytest.mark.parametrize("text, expected", [
    ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
    ("2024-03", (date(2024, 3, 1), date(2024, 3, 31))),
    ("2024年2月", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2024Q1", (date(2024, 1, 1), date(2024, 3, 31))),
    ("2024-Q4", (date(2024, 10, 1), date(2024, 12, 31))),
    ("2024年一季度", (date(2024, 1, 1), date(2024, 3, 31))),
    ("2024年第3季度", (date(2024, 7, 1), date(2024, 9, 30))),
    ("2024H2", (date(2024, 7, 1), date(2024, 12, 31))),
    ("2024年上半年", (date(2024, 1, 1), date(2024, 6, 30))),
    ("2024-13", None),
    ("上季度", None),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, code", [
    ("2-02-10-03", "2-02-10-03"),
    ("2-02-10", "2-02-10-00"),
    ("2-02-10-03 计算机软件工程技术人员", "2-02-10-03"),
    ("计算机软件工程技术人员", "2-02-10-03"),
    ("专业技术人员", "2-00-00-00"),
    ("快递员", "4-02-07-08"),
    ("9-99-99-99", None),
    ("会写代码的人", None),
    ("", None),
])
def test_find_occupation(text, code):
    found = find_occupation(text)
    assert (found.code if found else None) == code


@pytest.mark.parametrize("name", ["postings", "seekers", "supply-counts"])
def test_every_import_command_explains_itself_with_an_example(name):
    result = CliRunner().invoke(main, ["import", name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"jobmon import {name}" in result.output


def test_one_badly_encoded_line_costs_one_row_and_trailing_empty_cells_are_fine(tmp_path):
    file, db = tmp_path / "mixed.csv", tmp_path / "s.db"
    file.write_bytes("source_id,title\n1,电工\n".encode("utf-8") + "2,焊工\n".encode("gbk")
                     + "3,厨师,,\n4,护士,多余\n".encode("utf-8"))
    result = run("postings", file, "--db", db, "--source", "s")
    assert result.exit_code == 0, result.output
    assert [r["source_id"] for r in rows(db, "SELECT source_id FROM postings ORDER BY source_id")] == ["1", "3"]
    assert [(r["reason"], r["line"]) for r in rows(db, "SELECT reason, line FROM rejects ORDER BY line")] == [
        ("encoding_error", 3), ("csv_field_count", 5)]


def test_files_that_cannot_be_read_at_all_say_why(tmp_path):
    db = tmp_path / "s.db"
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "array.json").write_text('[{"title": "电工"}]', encoding="utf-8")
    (tmp_path / "jobs.pdf").write_text("x", encoding="utf-8")
    (tmp_path / "fake.xlsx").write_text("not a workbook", encoding="utf-8")
    for name, message in [("empty.csv", "no header row"), ("array.json", "jq -c"),
                          ("jobs.pdf", "--format"), ("fake.xlsx", "not a readable .xlsx")]:
        result = run("postings", tmp_path / name, "--db", db)
        assert result.exit_code == 1 and message in result.output, (name, result.output)


def test_tsv_seekers_with_format_option(tmp_path):
    file, db = tmp_path / "talent.txt", tmp_path / "s.db"
    file.write_text("id\t期望职位\t期望薪资\tactive_from\n7\t会计\t6-8千\t2024年3月1日\n", encoding="utf-8")
    result = run("seekers", file, "--db", db, "--format", "tsv", "--source", "fair",
                 "--map", "source_id=id,desired_title=期望职位,expected_salary_text=期望薪资")
    assert result.exit_code == 0, result.output
    [row] = rows(db, "SELECT source_id, desired_title, salary_min_monthly, active_from, extra_json FROM seekers")
    assert row == {"source_id": "7", "desired_title": "会计", "salary_min_monthly": 6000, "active_from": "2024-03-01",
                   "extra_json": None}


def test_official_seeker_counts_are_labelled_by_source_in_the_weekly_metrics(tmp_path):
    jobs, counts, db = tmp_path / "jobs.csv", tmp_path / "pes.csv", tmp_path / "s.db"
    jobs.write_text(POSTINGS_CSV, encoding="utf-8")
    assert run("postings", jobs, "--db", db, "--source", "survey", "--city", "北京市").exit_code == 0
    for source, seekers in (("区人社局", 300), ("北京市公共就业服务", 1200)):
        counts.write_text(f"period,occupation,area,seekers\n2024Q1,2-02-10-03,北京市,{seekers}\n", encoding="utf-8")
        result = run("supply-counts", counts, "--db", db, "--source", source, "--city", "北京市")
        assert result.exit_code == 0, result.output
    compute(open_db(db), "北京市")
    [cell] = rows(db, "SELECT seekers_official, seekers_official_source FROM weekly_metrics WHERE week = '2024-W09' "
                      "AND level = '细类' AND occupation_code = '2-02-10-03' AND place_kind = 'city' AND industry = 'all'")
    assert cell == {"seekers_official": 1500, "seekers_official_source": "北京市公共就业服务,区人社局"}
    labelled = rows(db, "SELECT count(*) n FROM weekly_metrics WHERE seekers_official IS NOT NULL "
                        "AND seekers_official_source IS NULL")
    assert labelled == [{"n": 0}]  # every official figure says where it came from


PAY_COLUMNS_CSV = (  # a board export with numeric pay columns and no pay text (multiboard_china_2024)
    "职位自编号,职位,最低薪资,最高薪资,几薪,薪资说明\n"
    "A1,Java开发工程师,15000,30000,16,\n"
    "A2,前端开发实习生,150,250,,\n"
    "A3,HR实习生,200,,,\n"
    "A4,麦当劳服务员,20,25,,\n"
    "A5,美团送餐员,7,10,,\n"
    "A6,零售代表,0.00,0.00,,\n"
    "A7,会计,4000,6000,,4-6千/月\n"
)


def test_numeric_pay_columns_become_pay_and_small_monthly_values_daily_or_hourly(tmp_path):
    file, db = tmp_path / "export.csv", tmp_path / "s.db"
    file.write_text(PAY_COLUMNS_CSV, encoding="utf-8")
    result = run("postings", file, "--db", db, "--source", "board", "--map",
                 "source_id=职位自编号,title=职位,salary_min=最低薪资,salary_max=最高薪资,salary_months=几薪",
                 "--map", "salary_text=薪资说明")
    assert result.exit_code == 0, result.output
    assert "7 new" in result.output
    stored = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    pay = {k: (r["salary_text"], r["salary_period"], r["salary_min_monthly"], r["salary_max_monthly"],
               r["salary_months"]) for k, r in stored.items()}
    assert pay["A1"] == ("salary_min=15000 salary_max=30000 salary_months=16", "month", 15000, 30000, 16)
    assert pay["A2"] == ("salary_min=150 salary_max=250", "day", 150 * 21.75, 250 * 21.75, None)
    assert pay["A3"] == ("salary_min=200", "day", 200 * 21.75, None, None)
    assert pay["A4"] == ("salary_min=20 salary_max=25", "hour", 20 * 174, 25 * 174, None)
    assert pay["A5"] == ("salary_min=7 salary_max=10", None, None, None, None)   # a piece rate, not a wage
    assert pay["A6"] == (None, None, None, None, None)                           # 0/0: no pay shown
    assert pay["A7"] == ("4-6千/月", "month", 4000, 6000, None)                    # the pay text wins
    assert "salary_period_inferred" in stored["A2"]["normalize_notes"]
    assert "salary_unparsed" in stored["A5"]["normalize_notes"]
    # nothing is lost: numbers the salary text does not hold stay in extra_json under their headers
    assert json.loads(stored["A6"]["extra_json"]) == {"最低薪资": "0.00", "最高薪资": "0.00"}
    assert json.loads(stored["A7"]["extra_json"]) == {"最低薪资": "4000", "最高薪资": "6000"}
    assert stored["A2"]["extra_json"] is None


REAL = next((p / "shared" / "data" / "real" for p in Path(__file__).resolve().parents
             if (p / "shared" / "data" / "real").is_dir()), None)


@pytest.mark.skipif(REAL is None, reason="the real postings (../shared/data/real) are not here")
def test_real_liepin_export_daily_pay_is_not_a_monthly_wage(tmp_path):
    file, db = REAL / "multiboard_china_2024" / "liepin.csv", tmp_path / "s.db"
    result = run("postings", file, "--db", db, "--source", "liepin", "--map",
                 "source_id=职位自编号,title=职位,description=职位描述,salary_min=最低薪资,salary_max=最高薪资,"
                 "salary_months=几薪")
    assert result.exit_code == 0, result.output
    by_period = {r["salary_period"]: r["n"] for r in rows(db, "SELECT salary_period, count(*) n FROM postings GROUP BY 1")}
    assert by_period.get("day", 0) > 100, by_period   # 猎聘's internships: "150-250" a day
    assert rows(db, "SELECT count(*) n FROM postings WHERE salary_period = 'month' AND salary_max_monthly < 1000"
                ) == [{"n": 0}]
    # an intern whose description states "80~120元/天" is paid by the day
    stated = rows(db, "SELECT salary_period, salary_min_monthly FROM postings WHERE description LIKE '%80~120元/天%'")
    assert stated and {(r["salary_period"], r["salary_min_monthly"]) for r in stated} == {("day", 80 * 21.75)}


def test_a_standard_column_joined_from_two_headers(tmp_path):
    # multiboard_china_2024 writes the city in 地区 and the district only inside the street address 地址
    file, db = tmp_path / "export.csv", tmp_path / "s.db"
    file.write_text("id,职位,地区,地址,底薪+提成\n"
                    "1,普工,广州,广州番禺区市桥街道某某路192号,5000+提成\n"
                    "2,电工,深圳,,\n"
                    "3,焊工,,北京市海淀区中关村大街27号,\n", encoding="utf-8")
    result = run("postings", file, "--db", db, "--source", "s",
                 "--map", "source_id=id,title=职位,location_text=地区+地址,salary_text=底薪+提成")
    assert result.exit_code == 0, result.output
    stored = {r["source_id"]: r for r in rows(db, "SELECT * FROM postings")}
    assert stored["1"]["location_text"] == "广州 广州番禺区市桥街道某某路192号"
    assert (stored["1"]["city"], stored["1"]["district"]) == ("广州市", "番禺区")
    assert (stored["2"]["location_text"], stored["2"]["city"], stored["2"]["district"]) == ("深圳", "深圳市", None)
    assert (stored["3"]["location_text"], stored["3"]["district"]) == ("北京市海淀区中关村大街27号", "海淀区")
    # a header whose own name holds "+" is that header, not a join
    assert (stored["1"]["salary_text"], stored["1"]["salary_min_monthly"]) == ("5000+提成", 5000)
    assert all(r["extra_json"] is None for r in stored.values())
    absent = run("postings", file, "--db", db, "--map", "title=职位,location_text=地区+街道")
    assert absent.exit_code == 1 and "does not have: ['街道']" in absent.output
