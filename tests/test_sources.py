"""Source files: loading, validation with line numbers and fixes, lookup by name, and the
`jobmon sources` commands."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.pipelines import RAW_COLUMNS
from crawlers.sources import RAW_FIELDS, SourceInvalid, find_source, load_source, source_files, validate
from monitor.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "sources" / "examples").glob("*.yaml"))

GOOD = """\
name: board
kind: postings
shape: json_api
start_urls:
  - https://api.board.example.com/jobs
records: data.list
fields:
  title: jobName
  salary_text: salaryDesc
pagination:
  type: page
  param: page
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "board.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_raw_fields_are_the_pipelines_raw_columns():
    for kind, columns in RAW_COLUMNS.items():
        assert set(RAW_FIELDS[kind]) == set(columns) - {"source", "fetched_at"}


def test_the_examples_cover_every_shape_and_kind_and_are_valid():
    loaded = [load_source(path) for path in EXAMPLES]
    assert {s.shape for s in loaded} == {"jsonld", "json_api", "embedded_json", "html", "feed"}
    assert {s.kind for s in loaded} == {"postings", "seekers"}
    assert len({s.name for s in loaded}) == len(loaded)


def test_a_good_source_loads_with_its_defaults(tmp_path):
    source = load_source(write(tmp_path, GOOD))
    assert (source.name, source.kind, source.shape, source.records) == ("board", "postings", "json_api", "data.list")
    assert source.allowed_domains == ("api.board.example.com",)       # from the start URLs
    assert source.fields["title"].paths == ("jobName",)
    assert (source.pagination.type, source.pagination.param, source.pagination.start) == ("page", "page", 1)
    assert (source.request.method, source.politeness.download_delay, source.title_field) == ("GET", None, "title")


# (what to change in GOOD, the error expected: file line N: message)
BROKEN = [
    (("shape: json_api", "shape: jsn_api"),
     "line 3: unknown shape 'jsn_api'; use one of: jsonld, json_api, embedded_json, html, feed"),
    (("kind: postings", "kind: jobs"), "line 2: unknown kind 'jobs'; use one of: postings, seekers"),
    (("start_urls:", "star_urls:"), "line 4: unknown key 'star_urls'; did you mean 'start_urls'?"),
    (("  salary_text: salaryDesc", "  salary: salaryDesc"),
     "line 9: unknown field 'salary' for kind postings; did you mean 'salary_text'?"),
    (("  title: jobName", "  title: data..jobName"), "line 8: 'data..jobName' is not a valid JMESPath"),
    (("records: data.list", "records: data[?"), "line 6: 'data[?' is not a valid JMESPath"),
    (("  - https://api.board.example.com/jobs", "  - api.board.example.com/jobs"),
     "line 5: start_urls: 'api.board.example.com/jobs' is not an absolute http(s) URL"),
    (("  type: page", "  type: pages"),
     "line 11: unknown pagination type 'pages'; use one of: none, page, offset, cursor, next_link"),
    (("  param: page", "  parm: page"), "line 12: unknown key 'parm'; did you mean 'param'?"),
    (("records: data.list\n", ""), "shape json_api needs 'records'"),
    (("  title: jobName\n", ""), "line 7: no 'title' field; a postings record needs one"),
    (("fields:", "schedule: every day\nfields:"), "line 7: schedule 'every day' is not a cron string"),
    (("fields:", "schedule: '61 6 * * *'\nfields:"), "line 7: schedule '61 6 * * *'"),
    (("fields:", "politeness: {concurrency: 20}\nfields:"), "line 7: concurrency 20 is impolite"),
    (("fields:", "request: {body: {a: 1}}\nfields:"), "line 7: a body is sent with POST only; add 'method: POST'"),
    (("fields:", "encoding: gbkk\nfields:"), "line 7: unknown encoding 'gbkk'"),
    (("name: board", "name: my board"), "line 1: name 'my board' must be letters, digits"),
    (("  type: page\n  param: page", "  type: cursor\n  param: c"), "pagination type cursor needs 'cursor'"),
    (("  title: jobName", "  title: [jobName"), "line 9: YAML syntax error"),
    (("kind: postings\nshape: json_api", "kind: seekers\nshape: jsonld"),
     "line 3: shape jsonld reads schema.org JobPosting, which are postings"),
    (("kind: postings\nshape: json_api", "kind: seekers\nshape: feed"), "no 'desired_title' field"),
    (("  salary_text: salaryDesc", "  salary_text: salaryDesc\n  title: jobTitle"),
     "line 10: duplicate key 'title' (YAML keeps only the last); remove one of them"),
]


@pytest.mark.parametrize("change,message", BROKEN, ids=[b[1][:40] for b in BROKEN])
def test_problems_name_their_line_and_fix(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    errors = validate(path)
    assert any(message in e for e in errors), errors
    assert all(e.startswith((str(path), "board.yaml")) for e in errors)
    with pytest.raises(SourceInvalid):
        load_source(path)


def test_html_selectors_are_checked_as_css_or_xpath(tmp_path):
    text = ("name: h\nkind: seekers\nshape: html\nstart_urls: [https://h.example.com/]\nrecords: li.row\n"
            "fields:\n  desired_title: .title::txt\n  location_text: ./td[2\n")
    errors = validate(write(tmp_path, text))
    assert any("line 7: '.title::txt' is not a valid CSS selector" in e for e in errors), errors
    assert any("line 8: './td[2' is not a valid XPath" in e for e in errors), errors


def test_sources_are_found_by_name_or_path(tmp_path, monkeypatch):
    assert find_source("json_api_paged") == find_source("example-json-api")
    assert load_source("example-json-api").shape == "json_api"
    monkeypatch.setenv("JOBMON_SOURCES", str(tmp_path))
    write(tmp_path, GOOD)
    assert load_source("board").name == "board"
    assert tmp_path / "board.yaml" in source_files()
    with pytest.raises(FileNotFoundError, match="jobmon sources list"):
        find_source("no-such-source")


def test_sources_check_exits_1_with_each_problem(tmp_path):
    path = write(tmp_path, GOOD.replace("shape: json_api", "shape: jsn_api").replace("kind: postings", "kind: x"))
    result = CliRunner().invoke(main, ["sources", "check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "line" in line]
    assert any("line 2: unknown kind 'x'" in line for line in lines)
    assert any("line 3: unknown shape 'jsn_api'; use one of: jsonld, json_api" in line for line in lines)


def test_sources_check_passes_the_examples():
    result = CliRunner().invoke(main, ["sources", "check", *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == len(EXAMPLES)


def test_sources_list_and_show():
    listed = CliRunner().invoke(main, ["sources", "list", "--format", "csv"])
    assert listed.exit_code == 0
    assert "example-json-api,postings,json_api,北京市,0 6 * * *,ok," in listed.output
    shown = CliRunner().invoke(main, ["sources", "show", "example-next-data"])
    assert shown.exit_code == 0
    assert "records: props.pageProps.jobs.items" in shown.output
    assert "salary_text:\n    paths:\n    - pay.min\n    - pay.max\n    join: '-'" in shown.output


def test_crawl_refuses_an_invalid_source_before_fetching(tmp_path):
    path = write(tmp_path, GOOD.replace("shape: json_api", "shape: jsn_api"))
    result = CliRunner().invoke(main, ["crawl", str(path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2   # usage (README "Exit codes")
    assert "line 3: unknown shape 'jsn_api'" in result.output and "jobmon sources check" in result.output
    both = CliRunner().invoke(main, ["crawl", str(path), "--url", "https://x.example.com/"])
    assert both.exit_code == 2
