"""Pagination of configured sources as pure functions: the requests a listing makes, page by page."""
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from crawlers.paging import as_int, first_request, next_request
from crawlers.sources import load_source


def source(tmp_path: Path, text: str):
    path = tmp_path / "s.yaml"
    path.write_text("name: t\nkind: postings\nshape: json_api\nrecords: data.list\nfields: {title: t}\n" + text,
                    encoding="utf-8")
    return load_source(path)


def query(request) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def walk(src, pages: list[dict], url: str):
    """Requests made for a listing whose answers are ``pages`` (each {"n": records, ...lookups})."""
    request, sent = first_request(src, url), []
    for answer in pages:
        sent.append(request)
        request = next_request(src, request, answer["n"], answer.get, request.url)
        if request is None:
            break
    return sent, request


def test_page_numbers_until_the_total_is_seen(tmp_path):
    src = source(tmp_path, "start_urls: ['https://a.example.com/api?city=1']\nrequest: {params: {size: 3}}\n"
                           "pagination: {type: page, param: page, total: total}\n")
    sent, last = walk(src, [{"n": 3, "total": 7}, {"n": 3, "total": 7}, {"n": 1, "total": 7}], "https://a.example.com/api?city=1")
    assert [query(r) for r in sent] == [{"city": "1", "size": "3", "page": str(n)} for n in (1, 2, 3)]
    assert last is None


def test_page_stops_on_an_empty_page_has_more_false_or_max_pages(tmp_path):
    src = source(tmp_path, "start_urls: [https://a.example.com/api]\npagination: {type: page, param: p, start: 0, "
                           "has_more: more, max_pages: 3}\n")
    assert len(walk(src, [{"n": 2, "more": True}, {"n": 0, "more": True}], "https://a.example.com/api")[0]) == 2
    assert len(walk(src, [{"n": 2, "more": True}, {"n": 2, "more": False}], "https://a.example.com/api")[0]) == 2
    sent, last = walk(src, [{"n": 2, "more": True}] * 5, "https://a.example.com/api")
    assert [query(r)["p"] for r in sent] == ["0", "1", "2"] and last is None


def test_offset_by_step_or_by_records_received(tmp_path):
    src = source(tmp_path, "start_urls: [https://a.example.com/api]\npagination: {type: offset, param: offset, step: 20}\n")
    sent, _ = walk(src, [{"n": 20}, {"n": 20}, {"n": 0}], "https://a.example.com/api")
    assert [query(r)["offset"] for r in sent] == ["0", "20", "40"]
    src = source(tmp_path, "start_urls: [https://a.example.com/api]\npagination: {type: offset, param: from}\n")
    sent, _ = walk(src, [{"n": 15}, {"n": 12}, {"n": 0}], "https://a.example.com/api")
    assert [query(r)["from"] for r in sent] == ["0", "15", "27"]


def test_cursor_in_a_post_body(tmp_path):
    src = source(tmp_path, "start_urls: [https://a.example.com/search]\nrequest: {method: POST, body: {city: '010'}, "
                           "headers: {X-Requested-With: XMLHttpRequest}}\npagination: {type: cursor, param: cursor, "
                           "cursor: next}\n")
    sent, last = walk(src, [{"n": 2, "next": "c2"}, {"n": 2, "next": "c3"}, {"n": 1, "next": None}],
                      "https://a.example.com/search")
    assert [json.loads(r.body) for r in sent] == [{"city": "010"}, {"city": "010", "cursor": "c2"},
                                                  {"city": "010", "cursor": "c3"}]
    assert all(r.method == "POST" and r.url == "https://a.example.com/search" for r in sent)
    assert dict(sent[0].headers)["Content-Type"].startswith("application/json")
    assert last is None


def test_form_body_and_page_in_the_query_of_a_post(tmp_path):
    src = source(tmp_path, "start_urls: [https://a.example.com/s]\nrequest: {method: POST, body_format: form, "
                           "body: {kw: 会计}}\npagination: {type: page, param: pn, in: query}\n")
    first = first_request(src, "https://a.example.com/s")
    assert first.body == b"kw=%E4%BC%9A%E8%AE%A1" and query(first) == {"pn": "1"}
    second = next_request(src, first, 10, {}.get, first.url)
    assert query(second) == {"pn": "2"} and second.body == first.body


def test_next_link_from_a_json_answer_is_resolved_against_the_page(tmp_path):
    src = source(tmp_path, "start_urls: [https://a.example.com/api/jobs]\npagination: {type: next_link, next: links.next}\n")
    first = first_request(src, "https://a.example.com/api/jobs")
    second = next_request(src, first, 10, {"links.next": "/api/jobs?after=abc"}.get, first.url)
    assert second.url == "https://a.example.com/api/jobs?after=abc" and second.page == 1
    assert next_request(src, second, 10, {"links.next": None}.get, second.url) is None
    assert next_request(src, second, 10, {"links.next": "?after=abc"}.get, second.url) is None  # same page again


def test_counts_from_text():
    assert [as_int(v) for v in (7, "共 1,234 条", "57", None, True, "无")] == [7, 1234, 57, None, None, None]
