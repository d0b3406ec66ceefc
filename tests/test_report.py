"""`jobmon report` on a small real store: a self-contained HTML file with escaped posting text,
tables and inline SVG charts, and the same tables in an Excel workbook."""
import re
import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from db import reads
from db.store import now_iso, open_db
from db.writes import ensure_source, upsert_records
from monitor import report
from monitor.cli import main
from monitor.weeks import parse_week

EVIL_TITLE = "=1+1 <script>alert('x')</script> 芯片工程师"
EVIL_SOURCE = "board<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def written(small_store, tmp_path_factory):
    """A copy of the small store with 40 postings titled EVIL_TITLE in the top shortage, and the
    report written from it."""
    folder = tmp_path_factory.mktemp("report")
    path = folder / "jobmon.db"
    with sqlite3.connect(small_store) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    db = open_db(path)
    week, rows = reads.shortage_rows(db, None)
    top = rows[0]
    ensure_source(db, EVIL_SOURCE, "postings", "jobposting", "http://127.0.0.1/<script>")
    monday = parse_week(week)[0].isoformat()
    upsert_records(db, "postings", [
        {"source": EVIL_SOURCE, "source_id": str(n), "title": EVIL_TITLE, "occupation_code": top["occupation_code"],
         "posted_at": monday, "normalizer_version": "test", "taxonomy_version": "test"} for n in range(40)],
        now_iso())
    result = CliRunner().invoke(main, ["report", "--db", str(path), "--week", week, "--out", str(folder / "out"),
                                       "--top", "10"])
    assert result.exit_code == 0, result.output
    html = (folder / "out" / f"jobmon-report-{week}.html").read_text(encoding="utf-8")
    return {"db": db, "week": week, "rows": rows, "html": html,
            "xlsx": folder / "out" / f"jobmon-report-{week}.xlsx"}


def test_posting_text_is_escaped(written):
    html = written["html"]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 芯片工程师" in html
    assert "board&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"<(script|img|iframe|link|object)\b", html, re.IGNORECASE)


def test_html_is_self_contained(written):
    html = written["html"]
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_html_has_the_tables_and_charts(written):
    html, rows = written["html"], written["rows"]
    table = re.search(r'<table id="table-shortages">(.*?)</table>', html, re.DOTALL).group(1)
    assert table.count("<tr>") == 1 + min(10, len(rows))
    assert f"<td>{rows[0]['occupation_name']}</td>" in table
    assert f"{rows[0]['demand_supply_ratio']:.2f}" in table
    for header in ("求人倍率 openings ÷ seekers", "Pay P50", "Level 紧缺程度", "Typical posting titles"):
        assert header in table
    for section in ("summary", "shortages", "charts", "districts", "industries", "coverage", "method"):
        assert f'<section id="{section}">' in html
    assert html.count("<svg") == 2 and "<polyline" in html
    assert 'id="table-sources"' in html and 'id="table-rejects"' in html


def test_html_shows_the_columns_the_store_has(written):
    columns = set(written["rows"][0])
    html = written["html"]
    for key, header, _ in report.SHORTAGE_COLUMNS:
        if key in columns:
            assert f"<th>{header}</th>" in html, key


def test_district_and_industry_tables(written):
    html = written["html"]
    districts = re.search(r'<table id="table-districts">(.*?)</table>', html, re.DOTALL).group(1)
    assert "<td>海淀区</td>" in districts and "<td>朝阳区</td>" in districts
    assert districts.count("<tr>") > 5
    industries = re.search(r'<table id="table-industries">(.*?)</table>', html, re.DOTALL).group(1)
    assert industries.count("<tr>") > 2


def test_workbook_has_the_same_tables(written):
    book = load_workbook(written["xlsx"])
    assert {"Shortages", "History", "Districts", "Industries", "Coverage", "Sources", "Rejects", "About"} <= set(
        book.sheetnames)
    sheet = book["Shortages"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Rank", "Prev. rank"] or header[0] == "Rank"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + min(10, len(written["rows"]))
    first = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert first["Rank"] == 1
    assert first["求人倍率 openings ÷ seekers"] == pytest.approx(written["rows"][0]["demand_supply_ratio"])
    titles = first["Typical posting titles"]
    assert titles.startswith(EVIL_TITLE)
    assert sheet.cell(row=2, column=header.index("Typical posting titles") + 1).data_type == "s"  # not a formula
    assert sheet.column_dimensions["D"].width > 8
    sources = [row[0] for row in book["Sources"].iter_rows(min_row=2, values_only=True)]
    assert EVIL_SOURCE in sources


def test_a_week_without_a_table_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "empty.db"), "--out", str(tmp_path)])
    assert result.exit_code != 0 and "jobmon monitor" in result.output


def test_nice_ticks():
    assert report.nice_ticks(0, 9.3) == [0, 2, 4, 6, 8, 10]
    assert report.nice_ticks(0, 37250) == [0, 10000, 20000, 30000, 40000]
    assert report.nice_ticks(0, 1.2) == [0, 0.25, 0.5, 0.75, 1.0, 1.25]


def test_line_chart_escapes_labels_and_leaves_gaps():
    svg = report.line_chart("<b>t</b>", ["2026-W01", "2026-W02", "2026-W03", "2026-W04"],
                            [("a<script>", [1.0, None, 2.0, 3.0]), ("b", [0.5, 0.6, 0.7, 0.8])],
                            reference=1.0, reference_label="balance")
    assert "<script>" not in svg and "a&lt;script&gt;" in svg and "&lt;b&gt;t&lt;/b&gt;" in svg
    assert svg.count("<polyline") == 3   # a: two pieces around the gap; b: one
    assert svg.count("<circle") == 7
    assert "stroke-dasharray" in svg


def test_list_columns_read_json_lists_and_text():
    assert report.as_list('["tightness", "pay_growth"]') == ["tightness", "pay_growth"]
    assert report.as_list("海淀区, 朝阳区") == ["海淀区", "朝阳区"]
    assert report.as_list(None) == []
    assert report.format_value(None, "ratio") == "–"
    assert report.format_value(0.0571, "pct") == "+5.7%"
    assert report.format_value(3, "stars") == "★★★"


def test_method_notes_summarise_the_methodology_file(tmp_path):
    path = tmp_path / "methodology.md"
    path.write_text("# Method (version monitor-2.0)\n\nHow the **numbers** are made.\n`Second` line.\n\n"
                    "## Weekly metrics\ntext\n## The shortage list\ntext\n", encoding="utf-8")
    summary = report.methodology_summary(path)
    assert summary["title"] == "Method (version monitor-2.0)"
    assert summary["intro"] == "How the numbers are made. Second line."
    assert summary["headings"] == ["Weekly metrics", "The shortage list"]
    assert report.methodology_summary(tmp_path / "missing.md") == {}
