"""Hostile input is refused without losing good data (issue 13: "Bounded input", "Safe by default").

Real files, real SQLite stores, real HTTP servers on 127.0.0.1 (127.0.0.x stand in for other hosts:
no test here sends a packet anywhere but 127.0.0.0/8).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time

from click.testing import CliRunner

from db.store import open_db
from monitor.cli import main


def run(*args, **kwargs):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False, **kwargs)


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


# ------------------------------------------------------------------ 1. supply counts

def _busy_writer(db_path, stop: threading.Event, hold: float = 0.05) -> threading.Thread:
    """Another writer: takes the write lock again and again, holding it ``hold`` seconds each time."""
    def work():
        conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        conn.execute("CREATE TABLE IF NOT EXISTS other_writer (n INTEGER)")
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO other_writer VALUES (1)")
            time.sleep(hold)
            conn.execute("COMMIT")
            time.sleep(0.001)
        conn.close()
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_supply_counts_import_beside_another_writer_is_whole(tmp_path):
    db, file = tmp_path / "s.db", tmp_path / "pes.csv"
    open_db(db).conn.close()
    areas = ["北京市", "海淀区", "朝阳区", "东城区", "西城区", "丰台区", "通州区", "大兴区"]
    lines = ["period,occupation,area,seekers"]
    lines += [f"2024-{month:02d},2-02-10-03,{area},{100 + month}" for month in range(1, 13) for area in areas]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from crawlers.supply_counts import import_supply_counts

    stop = threading.Event()
    writer = _busy_writer(db, stop)
    try:
        time.sleep(0.1)
        store = open_db(db)
        result = import_supply_counts(store, file, source="pes", city="北京市", batch_size=4)
        store.conn.close()
    finally:
        stop.set()
        writer.join()
    assert result.new == len(lines) - 1 and not result.rejected
    assert rows(db, "SELECT count(*) n FROM supply_counts") == [{"n": len(lines) - 1}]
    assert rows(db, "SELECT status FROM crawl_runs") == [{"status": "finished"}]


def test_a_huge_or_negative_count_is_one_reject_not_the_end_of_the_file(tmp_path):
    db, file = tmp_path / "s.db", tmp_path / "pes.csv"
    file.write_text("period,occupation,area,seekers,openings\n"
                    "2024Q1,2-02-10-03,北京市,1200,\n"
                    f"2024Q1,2-02-10-03,海淀区,{2 ** 64},\n"
                    "2024Q1,2-02-10-03,朝阳区,-5,\n"
                    "2024Q1,2-02-10-03,东城区,10,99999999999999999999999\n"
                    "2024Q1,2-02-10-03,西城区,1000000000000,\n"
                    "2024Q1,4-02-07-08,海淀区,1500,20\n", encoding="utf-8")
    result = run("import", "supply-counts", file, "--db", db, "--source", "pes", "--city", "北京市")
    assert result.exit_code == 0, result.output
    assert [(r["area"], r["seekers"]) for r in rows(db, "SELECT area, seekers FROM supply_counts ORDER BY seekers")] \
        == [("北京市", 1200), ("海淀区", 1500)]
    assert [(r["line"], r["reason"]) for r in rows(db, "SELECT line, reason FROM rejects ORDER BY line")] == [
        (3, "bad_seekers"), (4, "bad_seekers"), (5, "bad_openings"), (6, "bad_seekers")]
    assert rows(db, "SELECT status FROM crawl_runs") == [{"status": "finished"}]


# ------------------------------------------------------------------ 2. JSON depth, unclosed CSV quotes

def test_a_json_lines_row_nested_200000_deep_is_one_reject_and_the_good_rows_are_stored(tmp_path):
    db, file = tmp_path / "j.db", tmp_path / "seekers.jsonl"
    deep = '{"desired_title": "电工", "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    medium = '{"desired_title": "焊工", "x": ' + "[" * 500 + "]" * 500 + "}"
    file.write_text("\n".join([
        json.dumps({"source_id": "s1", "desired_title": "会计"}, ensure_ascii=False),
        deep,
        json.dumps({"source_id": "s2", "desired_title": "快递员"}, ensure_ascii=False),
        medium,
        json.dumps({"source_id": "s3", "desired_title": "护士", "tags": [["a"], {"b": [1]}]}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    result = run("import", "seekers", file, "--db", db)
    assert result.exit_code == 0, result.output
    stored = sorted(r["desired_title"] for r in rows(db, "SELECT desired_title FROM seekers"))
    assert stored == ["会计", "快递员", "护士"]
    rejects = rows(db, "SELECT line, reason, raw_json FROM rejects ORDER BY line")
    assert [(r["line"], r["reason"]) for r in rejects] == [(2, "invalid_json"), (4, "invalid_json")]
    assert "nested more than 64 deep" in rejects[0]["raw_json"]
    assert rows(db, "SELECT status FROM crawl_runs") == [{"status": "finished"}]


def test_half_a_character_escaped_in_json_is_replaced_not_the_end_of_the_import(tmp_path):
    from crawlers.extract_json import embedded_json, load_json_text

    db, file = tmp_path / "u.db", tmp_path / "u.jsonl"
    file.write_text('{"source_id": "a", "title": "会计"}\n'
                    '{"source_id": "b", "title": "电工\\ud800x", "company": "\\udfff", "\\ud83d": 1}\n'
                    '{"source_id": "c", "title": "焊工\\ud83d\\ude00"}\n', encoding="utf-8")
    result = run("import", "postings", file, "--db", db, "--source", "s")
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT source_id, title, company FROM postings ORDER BY source_id") == [
        {"source_id": "a", "title": "会计", "company": None}, {"source_id": "b", "title": "电工\ufffdx", "company": "\ufffd"},
        {"source_id": "c", "title": "焊工\U0001F600", "company": None}]
    assert rows(db, "SELECT status FROM crawl_runs") == [{"status": "finished"}]
    assert load_json_text('{"t": ["\\udc00"]}') == {"t": ["\ufffd"]}
    assert embedded_json('<script>window.__INITIAL_STATE__ = {"t": "\\ud800"};</script>') == {"t": "\ufffd"}


GOOD_ROWS = [("J5", "快递员"), ("J6", "电工"), ("J7", "护士"), ("J8", "焊工"), ("J9", "厨师")]


def _csv_rows_after(bad_line: str, *, later_quotes: bool) -> str:
    lines = ["source_id,title,company,salary_text", "J1,会计,公司A,8千", bad_line, "J3,出纳,公司C,6千"]
    if later_quotes:
        lines.append('J4,"前台\n（兼职）","公司, D",5千')
    lines += [f"{sid},{title},公司,1万" for sid, title in GOOD_ROWS]
    return "\n".join(lines) + "\n"


def test_an_unclosed_quote_in_a_csv_costs_one_line_not_the_rest_of_the_file(tmp_path):
    cases = {
        "middle_to_eof": ('J2,"司机,公司B,7千', False),
        "last_column_to_eof": ('J2,司机,公司B,"7千', False),
        "closed_rows_later": ('J2,"司机,公司B,7千', True),
    }
    for name, (bad_line, later_quotes) in cases.items():
        db, file = tmp_path / f"{name}.db", tmp_path / f"{name}.csv"
        file.write_text(_csv_rows_after(bad_line, later_quotes=later_quotes), encoding="utf-8")
        result = run("import", "postings", file, "--db", db, "--source", "s")
        assert result.exit_code == 0, result.output
        stored = {r["source_id"]: r["title"] for r in rows(db, "SELECT source_id, title FROM postings")}
        expected = {"J1": "会计", "J3": "出纳", **dict(GOOD_ROWS)}
        if later_quotes:
            expected["J4"] = "前台\n（兼职）"
        assert stored == expected, name
        assert [(r["line"], r["reason"]) for r in rows(db, "SELECT line, reason FROM rejects")] == \
            [(3, "csv_unclosed_quote")], name


def test_a_record_longer_than_the_line_limit_is_read_again_line_by_line(tmp_path, monkeypatch):
    import crawlers.files

    monkeypatch.setattr(crawlers.files, "CSV_RECORD_LINES", 4)
    db, file = tmp_path / "l.db", tmp_path / "l.csv"
    # the quote opened on line 4 closes on line 9: one record of the right width, 6 lines long
    file.write_text('source_id,title\nA,"会计\n（兼职）"\nB,"出纳\nC,电工\nD,护士\nE,焊工\nF,厨师\n"\n',
                    encoding="utf-8")
    result = run("import", "postings", file, "--db", db, "--source", "s")
    assert result.exit_code == 0, result.output
    assert sorted(r["source_id"] for r in rows(db, "SELECT source_id FROM postings")) == ["A", "C", "D", "E", "F"]
    assert [(r["line"], r["reason"]) for r in rows(db, "SELECT line, reason FROM rejects")] == \
        [(4, "csv_unclosed_quote")]


def test_a_crawled_json_answer_or_embedded_state_nested_too_deep_is_an_extraction_error():
    import pytest

    from crawlers.extract import ExtractionError, job_postings_from_html
    from crawlers.extract_json import embedded_json, load_json_text

    deep = '{"data": {"list": ' + "[" * 200_000 + "]" * 200_000 + "}}"
    for read in (lambda: load_json_text(deep), lambda: load_json_text("cb(" + deep + ")"),
                 lambda: embedded_json(f"<script>window.__INITIAL_STATE__ = {deep};</script>"),
                 lambda: embedded_json('<script>window.__INITIAL_STATE__ = {"a": ' + "[" * 100 + "]" * 100
                                       + ",};</script>"),
                 lambda: job_postings_from_html('<script type="application/ld+json">' + "[" * 900 + "]" * 900
                                                + "</script>", "https://x.cn/job/1"),
                 lambda: job_postings_from_html(f'<script type="application/ld+json">{deep}</script>',
                                                "https://x.cn/")):
        with pytest.raises(ExtractionError) as error:
            read()
        assert error.value.reason == "json_too_deep"
    assert load_json_text('{"data": {"list": [{"jobName": "电工"}]}}') == {"data": {"list": [{"jobName": "电工"}]}}


# ------------------------------------------------------------------ 3. formula injection

FORMULAS = ['=HYPERLINK("http://evil.example/x","点击")', "+SUM(1,2)", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0",
            "\t=1+2", "\r=1+2"]


def _csv_cells(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def test_csv_and_xlsx_writers_neutralise_formulas_and_keep_numbers(tmp_path):
    from openpyxl import load_workbook

    from monitor.output import write_rows, write_xlsx

    rows_in = [{"title": text, "n": 3, "score": -1.5, "code": "-5", "note": "会计 = 出纳"} for text in FORMULAS]
    out = tmp_path / "rows.csv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        write_rows(rows_in, "csv", out=handle)
    with open(out, encoding="utf-8", newline="") as handle:
        cells = _csv_cells(handle.read())
    assert cells[0] == ["title", "n", "score", "code", "note"]
    assert [row[0] for row in cells[1:]] == ["'" + text.replace("\r", "\n") for text in FORMULAS]
    assert {tuple(row[1:]) for row in cells[1:]} == {("3", "-1.5", "-5", "会计 = 出纳")}
    with open(out, encoding="utf-8") as handle:  # as a spreadsheet reads it: CR is a line break too
        assert len(_csv_cells(handle.read())) == len(FORMULAS) + 1

    book = tmp_path / "rows.xlsx"
    write_xlsx(rows_in, book, "shortages")
    sheet = load_workbook(book).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [v[0] for v in values] == FORMULAS  # kept as written, but as text
    assert all(cell.data_type == "s" for cell in sheet["A"][1:])
    assert {v[1:3] for v in values} == {(3, -1.5)}  # numbers stay numbers
    assert all(cell.data_type == "n" for cell in sheet["B"][1:])


def test_review_list_csv_review_export_and_match_titles_neutralise_formulas(tmp_path):
    import subprocess
    import sys

    db, file = tmp_path / "r.db", tmp_path / "p.csv"
    file.write_text("source_id,title\n" + "".join(f'P{i},"+SUM(1,2)"\n' for i in range(3)), encoding="utf-8")
    assert run("import", "postings", file, "--db", db, "--source", "s").exit_code == 0
    listed = run("review", "list", "--db", db, "--format", "csv", "--min-score", "101")
    assert listed.exit_code == 0, listed.output
    cells = _csv_cells(listed.output)
    titles = [row[cells[0].index("title_clean")] for row in cells[1:]]
    assert "'+sum" in titles and not any(t.startswith(("=", "+", "-", "@")) for t in titles)

    assert run("review", "accept", "+SUM(1,2)", "2-02-10-03", "--db", db, "--note", "=cmd").exit_code == 0
    exported = tmp_path / "aliases.csv"
    assert run("review", "export", exported, "--db", db).exit_code == 0
    row = _csv_cells(exported.read_text(encoding="utf-8"))[1]
    assert row[0] == "'+sum" and row[1] == "2-02-10-03"

    import os
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run([sys.executable, "-c", "from monitor.cli import main; main()", "match-titles"],
                          input="\n".join(FORMULAS[:4] + ["快递员"]) + "\n", capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    cells = _csv_cells(done.stdout)
    assert [row[0] for row in cells[1:]] == ["'" + text for text in FORMULAS[:4]] + ["快递员"]
    assert cells[-1][1] == "4-02-07-08" and float(cells[-1][4]) > 0


# ------------------------------------------------------------------ 7. bytes that are not UTF-8 on stdin

def test_match_titles_and_parse_salary_read_bytes_that_are_not_utf8_under_a_strict_utf8_locale():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.getcwd(), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8:strict"}
    env.pop("PYTHONUTF8", None)
    data = "快递员\n".encode() + b"\xff\xfe caf\xe9 \xbf\xec\xb5\xdd\xd4\xb1\n" + "会计\n".encode()
    for command, check in (("match-titles", lambda out: len(out.splitlines()) == 4 and "会计" in out.splitlines()[3]),
                           ("parse-salary", lambda out: len(out.splitlines()) == 3)):
        done = subprocess.run([sys.executable, "-c", "from monitor.cli import main; main()", command],
                              input=data if command == "match-titles" else
                              "15-25K·13薪\n".encode() + b"\xb5\xc8 8k\n" + "面议\n".encode(),
                              capture_output=True, env=env, timeout=120)
        out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert done.returncode == 0 and "Traceback" not in err, err
        assert check(out), out
        assert "\ufffd" in out.splitlines()[2 if command == "match-titles" else 1]
        assert "1 input line(s) held bytes that are not utf-8" in err


# ------------------------------------------------------------------ 4. hostile YAML source files

BILLION_LAUGHS = ('name: laughs\nkind: postings\nshape: jsonld\nstart_urls: ["https://example.com/"]\n'
                  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
                  + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
                            for i in range(9)))


def test_a_billion_laughs_or_deeply_nested_source_file_is_refused_quickly_with_a_clear_message(tmp_path, monkeypatch):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "laughs.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    (folder / "deep.yaml").write_text("name: deep\nfields: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (folder / "loop.yaml").write_text("name: loop\nfields: &x {title: [*x]}\n", encoding="utf-8")
    monkeypatch.setenv("JOBMON_SOURCES", str(folder))
    started = time.monotonic()
    checked = CliRunner().invoke(main, ["sources", "check", *(str(p) for p in sorted(folder.iterdir()))])
    assert time.monotonic() - started < 10
    assert checked.exit_code == 1 and checked.exception is None or isinstance(checked.exception, SystemExit)
    assert "Traceback" not in checked.output
    assert "deep.yaml: refused: nested more than 32 deep" in checked.output
    assert "laughs.yaml: refused: holds more than 10,000 values once its aliases" in checked.output
    assert "loop.yaml: refused: line 2: an alias refers to a value that contains it" in checked.output

    started = time.monotonic()
    listed = CliRunner().invoke(main, ["sources", "list", "--format", "csv"])
    assert time.monotonic() - started < 10 and listed.exit_code == 0, listed.output
    assert sum("error(s): jobmon sources check" in line and str(folder) in line
               for line in listed.output.splitlines()) == 3
    shown = CliRunner().invoke(main, ["sources", "show", "laughs"])
    assert shown.exit_code == 1 and "no source file or source named 'laughs'" not in shown.output


# ------------------------------------------------------------------ 5. safe destinations (crawls)

def _job_page(number: int) -> bytes:
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": f"电工{number}",
               "identifier": {"@type": "PropertyValue", "value": f"job-{number}"},
               "hiringOrganization": {"@type": "Organization", "name": "公司"}, "datePosted": "2026-11-20",
               "jobLocation": {"@type": "Place", "address": {"addressLocality": "北京市"}}}
    return (f'<html><head><title>电工</title><script type="application/ld+json">{json.dumps(posting)}'
            f"</script></head><body>电工</body></html>").encode("utf-8")


class _Site:
    """A real HTTP server on a 127.0.0.x address: ``routes`` maps a path to a (status, headers,
    body) answer or to a function of the request handler; every request is kept in ``seen``."""

    def __init__(self, address: str, routes: dict):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self
        self.routes, self.seen = routes, []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.seen.append({"path": self.path, "headers": dict(self.headers)})
                answer = site.routes.get(self.path.split("?")[0], (404, {}, b"not here"))
                status, headers, body = answer(self) if callable(answer) else answer
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _scrapy(source_file, db, *settings: str, timeout: float = 120):
    import os
    import subprocess
    import sys

    from tests.crawling import FAST, ROOT

    command = [sys.executable, "-m", "scrapy", "crawl", "source", "-a", f"source={source_file}",
               "-s", f"JOBMON_DB={db}"]
    for name, value in {**FAST, "LOG_LEVEL": "DEBUG"}.items():
        command += ["-s", f"{name}={value}"]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_pages_cannot_lead_the_crawler_to_private_addresses_on_other_hosts(tmp_path):
    other = _Site("127.0.0.2", {f"/job/{n}": (200, {}, _job_page(n)) for n in (2, 4)})   # another host
    named_other = _Site("127.0.0.1", {"/job/3": (200, {}, _job_page(3))})                   # as "localhost"
    board = _Site("127.0.0.1", {})
    board.routes.update({
        "/sitemap.xml": (200, {"Content-Type": "application/xml"}, (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{board.url}/job/1</loc></url><url><loc>{other.url}/job/2</loc></url>"
            f"<url><loc>http://localhost:{named_other.server.server_address[1]}/job/3</loc></url>"
            f"<url><loc>{board.url}/job/4</loc></url><url><loc>file:///etc/passwd</loc></url>"
            "</urlset>").encode()),
        "/job/1": (200, {}, _job_page(1)),
        "/job/4": (302, {"Location": f"{other.url}/job/4"}, b""),                          # a redirect
    })
    try:
        for allow in (False, True):
            source = tmp_path / f"guarded_{allow}.yaml"
            source.write_text(f"name: guarded\nkind: postings\nshape: jsonld\nsitemaps: ['{board.url}/sitemap.xml']\n"
                              "allowed_domains: [127.0.0.1, 127.0.0.2, localhost]\n"
                              + ("allow_private_addresses: true\n" if allow else ""), encoding="utf-8")
            db = tmp_path / f"guarded_{allow}.db"
            done = _scrapy(source, db)
            assert done.returncode == 0, done.stderr[-3000:]
            stored = sorted(r["source_id"] for r in rows(db, "SELECT source_id FROM postings"))
            if not allow:
                assert stored == ["job-1"], done.stderr[-3000:]
                assert other.seen == [] and named_other.seen == []  # refused before any connection
                refused = [line for line in done.stderr.splitlines() if "refused http" in line]
                assert len(refused) == 3, refused
                assert any("127.0.0.2 is 127.0.0.2, a private, loopback or link-local address" in line
                           for line in refused)
                assert any("localhost is 127.0.0.1" in line for line in refused)
                assert "'jobmon/refused/private_address': 3" in done.stderr
            else:
                assert stored == ["job-1", "job-2", "job-3", "job-4"], done.stderr[-3000:]
                assert {s["path"] for s in other.seen} >= {"/job/2", "/job/4"}
    finally:
        for site in (board, other, named_other):
            site.close()


def test_crawl_url_refuses_other_schemes_and_a_file_url_reaches_nothing(tmp_path):
    import subprocess

    from tests.crawling import ROOT, crawl_command

    db = tmp_path / "f.db"
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "/etc/passwd"):
        result = CliRunner().invoke(main, ["crawl", "--url", url, "--db", str(db)])
        why = "is not an absolute URL" if url.startswith("/") else "jobmon fetches http:// and https:// URLs only"
        assert result.exit_code == 2 and why in result.output and not db.exists(), result.output
    done = subprocess.run(crawl_command("file:///etc/passwd", db), cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "refused file:///etc/passwd: 'file:///etc/passwd': jobmon fetches http:// and https:// URLs only" \
        in done.stderr, done.stderr[-3000:]
    assert rows(db, "SELECT count(*) n FROM postings") == [{"n": 0}]
    assert "root:" not in json.dumps(rows(db, "SELECT * FROM rejects")), "a local file reached the store"


def test_destination_rules():
    from crawlers.destinations import is_internal, scheme_problem

    for address in ("169.254.169.254", "fe80::1", "fe80::1%eth0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.2",
                    "::1", "0.0.0.0", "100.64.0.1", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"):
        assert is_internal(address), address
    for address in ("8.8.8.8", "110.242.68.66", "2400:da00::6666", "example.com"):
        assert not is_internal(address), address
    assert scheme_problem("https://x.cn/a") is None and scheme_problem("HTTP://x.cn/") is None
    for url in ("file:///etc/passwd", "ftp://x.cn/", "data:text/html,hi", "gopher://x.cn/", "x.cn/jobs", "http:///a"):
        assert scheme_problem(url), url


# ------------------------------------------------------------------ 6. secrets

SECRET = "tok-9f8e7d6c5b4a"
COOKIE = "sid=cookie-4d3c2b1a"


def _secret_source(path, url: str) -> None:
    path.write_text(f"name: secretive\nkind: postings\nshape: json_api\nstart_urls: ['{url}/api/jobs']\n"
                    "request:\n  params: {token: '${JOBMON_TEST_TOKEN}', kw: java}\n"
                    f"  headers: {{Authorization: 'Bearer ${{JOBMON_TEST_TOKEN}}', Cookie: '{COOKIE}'}}\n"
                    "records: data.list\nfields:\n  source_id: id\n  title: name\n", encoding="utf-8")


def test_secrets_come_from_the_environment_and_never_reach_show_logs_or_the_store(tmp_path, monkeypatch):
    import os

    def api(handler):
        authorized = handler.headers.get("Authorization") == f"Bearer {SECRET}" and f"token={SECRET}" in handler.path \
            and handler.headers.get("Cookie") == COOKIE
        body = {"data": {"list": [{"id": "1", "name": "电工"}, {"id": "2"}]}} if authorized else {"error": "401"}
        return (200 if authorized else 401), {"Content-Type": "application/json"}, json.dumps(body).encode()

    site = _Site("127.0.0.1", {"/api/jobs": api})
    source, db = tmp_path / "secretive.yaml", tmp_path / "secret.db"
    _secret_source(source, site.url)
    try:
        monkeypatch.delenv("JOBMON_TEST_TOKEN", raising=False)
        checked = CliRunner().invoke(main, ["sources", "check", str(source)])
        assert checked.exit_code == 1 and "${JOBMON_TEST_TOKEN} is not set in the environment" in checked.output

        monkeypatch.setenv("JOBMON_TEST_TOKEN", SECRET)
        shown = CliRunner().invoke(main, ["sources", "show", str(source)])
        assert shown.exit_code == 0, shown.output
        assert SECRET not in shown.output and "cookie-4d3c2b1a" not in shown.output
        assert "Authorization: Bearer ${JOBMON_TEST_TOKEN}" in shown.output and "Cookie: '***'" in shown.output
        assert "token: ${JOBMON_TEST_TOKEN}" in shown.output and "kw: java" in shown.output

        done = _scrapy(source, db)
        assert done.returncode == 0, done.stderr[-3000:]
        assert rows(db, "SELECT source_id, title FROM postings") == [{"source_id": "1", "title": "电工"}]
        assert "Crawled (200) <GET " in done.stderr and "token=${JOBMON_TEST_TOKEN}" in done.stderr
        assert SECRET not in done.stderr + done.stdout
        rejects = rows(db, "SELECT reason, url FROM rejects")
        assert [r["reason"] for r in rejects] == ["no_title"]
        assert SECRET not in rejects[0]["url"] and "kw=java" in rejects[0]["url"]
    finally:
        site.close()
        os.environ.pop("JOBMON_TEST_TOKEN", None)


def test_token_like_parameters_and_passwords_in_urls_are_masked():
    from crawlers.secrets import mask_headers, mask_url

    assert mask_url("https://u:pw@x.cn/api?kw=java&access_token=abc&page=2&sign=ff&accessKey=k#top") == \
        "https://u:***@x.cn/api?kw=java&access_token=***&page=2&sign=***&accessKey=***#top"
    assert mask_url("https://x.cn/jobs?keyword=java&design=a") == "https://x.cn/jobs?keyword=java&design=a"
    assert mask_headers({"Cookie": "a=b", "X-Auth-Token": "t", "Referer": "https://x.cn/"}) == \
        {"Cookie": "***", "X-Auth-Token": "***", "Referer": "https://x.cn/"}


def test_a_broken_record_whose_other_lines_are_not_rows_stays_one_reject(tmp_path):
    db, file = tmp_path / "d.db", tmp_path / "d.csv"
    file.write_text('source_id,title,description\n'
                    'A,会计,"负责账务\n熟悉财务软件\n有证书优先",extra\nB,出纳,日常收付\n', encoding="utf-8")
    result = run("import", "postings", file, "--db", db, "--source", "s")
    assert result.exit_code == 0, result.output
    assert [r["source_id"] for r in rows(db, "SELECT source_id FROM postings")] == ["B"]
    assert [(r["line"], r["reason"]) for r in rows(db, "SELECT line, reason FROM rejects")] == [(2, "csv_field_count")]
