"""Per-shape extraction as pure functions: saved pages against their expected output, field by
field (tests/fixtures/sites/*/_expected/), and the edge cases of each shape's reader."""
import json

import pytest
from parsel import Selector

from crawlers.extract import ExtractionError, job_postings_from_html, microdata_items
from crawlers.extract_fields import as_text, field_value
from crawlers.extract_html import feed_rows, feed_selector, select_text
from crawlers.extract_json import embedded_json, load_json_text
from crawlers.sources import Field

from .extraction_cases import cases, extract

CASES = cases()


def test_every_shape_has_saved_cases():
    assert {path.parent.parent.name for path in CASES} == {"json_api", "embedded_json", "html", "feed", "jsonld"}


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in CASES])
def test_saved_page_gives_expected_fields(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    got, expected = extract(case, path.parent.parent), case["expected"]
    if case["part"] == "listing":
        assert len(got["records"]) == len(expected["records"])
        for index, (record, wanted) in enumerate(zip(got["records"], expected["records"])):
            for name, value in wanted["fields"].items():
                assert record["fields"].get(name) == value, f"record {index} field {name}"
            assert record["fields"].keys() == wanted["fields"].keys()
            assert record["detail_link"] == wanted["detail_link"], f"record {index} detail link"
        assert got["lookups"] == expected["lookups"]
    elif case["part"] == "detail":
        for name, value in expected.items():
            assert got.get(name) == value, name
    else:
        assert len(got) == len(expected)
        for posting, wanted in zip(got, expected):
            for name, value in wanted.items():
                assert posting.get(name) == value, name


# ---------------------------------------------------------------- embedded JSON

EMBEDDED = [
    ('<script>window.__INITIAL_STATE__ = {"a": {"list": [1, 2]}};</script>', None, {"a": {"list": [1, 2]}}),
    ('<script>window.__INITIAL_STATE__={"a":1,"u":undefined,"b":[1,2,],};</script>', "window.__INITIAL_STATE__",
     {"a": 1, "u": None, "b": [1, 2]}),
    ("<script>window.__SEARCH_RESULT__ = {\"jobs\": [{\"t\": \"会计\"}]}\n</script>", None, {"jobs": [{"t": "会计"}]}),
    ('<script>var __PRELOADED_STATE__ = [1, {"x": "}"}];</script>', "__PRELOADED_STATE__", [1, {"x": "}"}]),
    ('<script>window["__INITIAL_STATE__"] = {"k": 2};</script>', "__INITIAL_STATE__", {"k": 2}),
    ("<script>window.__INITIAL_STATE__ = JSON.parse(\"{\\\"k\\\": \\\"v\\\"}\");</script>", None, {"k": "v"}),
    ('<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"n": 3}}}</script>', None,
     {"props": {"pageProps": {"n": 3}}}),
    ('<script id="state" type="application/json">{"n": 4}</script>', "script#state", {"n": 4}),
]


@pytest.mark.parametrize("html,locator,expected", EMBEDDED, ids=[str(i) for i in range(len(EMBEDDED))])
def test_embedded_json(html, locator, expected):
    assert embedded_json(html, locator) == expected


@pytest.mark.parametrize("html,reason", [
    ("<html><body>no state</body></html>", "embedded_json_missing"),
    ("<script>window.__INITIAL_STATE__ = {\"a\": [1, 2;</script>", "embedded_json_invalid"),
])
def test_embedded_json_problems_name_their_reason(html, reason):
    with pytest.raises(ExtractionError) as error:
        embedded_json(html)
    assert error.value.reason == reason


def test_json_api_answers():
    assert load_json_text('{"code": 0}') == {"code": 0}
    assert load_json_text('jQuery1234_5({"code": 0, "data": [1]});') == {"code": 0, "data": [1]}
    with pytest.raises(ExtractionError) as error:
        load_json_text("<html>请稍后再试</html>")
    assert error.value.reason == "json_invalid"


# ---------------------------------------------------------------- field forms and values

@pytest.mark.parametrize("value,text", [
    (None, None), ("", None), ([], None), (15000, "15000"), (15000.0, "15000"), (12.5, "12.5"),
    (1702344120000, "1702344120000"), (True, "true"), (["Java", "Spring"], "Java, Spring"),
    ({"name": "美团"}, "美团"), ("  北京 \n 朝阳区 ", "北京 朝阳区"), ("<p>负责&amp;开发</p>", "负责&开发"),
    ("<5K", "<5K"),
])
def test_values_become_text(value, text):
    assert as_text(value) == text


def test_field_forms():
    record = {"a": "北京", "b": None, "c": "朝阳区", "id": 7}
    lookup = record.get
    assert field_value(Field(("a",)), lookup) == "北京"
    assert field_value(Field(("a", "b", "c")), lookup) == "北京 朝阳区"
    assert field_value(Field(("a", "c"), sep="·"), lookup) == "北京·朝阳区"
    assert field_value(Field(("b", "c", "a"), mode="first"), lookup) == "朝阳区"
    assert field_value(Field(("https://x.example.com/job/{id}.html",), mode="template"), lookup) == \
        "https://x.example.com/job/7.html"
    assert field_value(Field(("https://x.example.com/job/{b}.html",), mode="template"), lookup) is None


# ---------------------------------------------------------------- selectors and feeds

def test_selectors_give_text_of_elements_or_of_text_nodes():
    page = Selector(text='<div class="j"><a href="/j/1">Java <b>开发</b></a><script>var x=1</script>'
                         '<span data-id="9">15-25K</span></div>')
    assert select_text(page, ".j a") == "Java 开发"
    assert select_text(page, ".j a::text") == "Java"
    assert select_text(page, ".j a::attr(href)") == "/j/1"
    assert select_text(page, "//span/@data-id") == "9"
    assert select_text(page, "xpath:.//span") == "15-25K"
    assert select_text(page, ".j") == "Java 开发 15-25K"          # script text left out
    assert select_text(page, ".missing") is None


def test_feed_defaults_and_overrides():
    rss = feed_selector("""<?xml version="1.0"?><rss xmlns:j="urn:j"><channel><item><title>会计</title>
        <link>https://x.example.com/1</link><pubDate>Fri, 20 Nov 2026 01:00:00 GMT</pubDate>
        <j:pay>6-8K</j:pay></item></channel></rss>""")
    ((_, fields),) = feed_rows(rss, None, {"salary_text": Field(("pay",))})
    assert fields == {"source_id": "https://x.example.com/1", "url": "https://x.example.com/1", "title": "会计",
                      "posted_text": "Fri, 20 Nov 2026 01:00:00 GMT", "description": None, "salary_text": "6-8K"}


def test_feed_declared_gb2312_reads_from_bytes():
    body = '<?xml version="1.0" encoding="GB2312"?><rss><channel><item><title>厨师</title></item></channel></rss>'
    ((_, fields),) = feed_rows(feed_selector(body.encode("gbk")), None, {})
    assert fields["title"] == "厨师"


# ---------------------------------------------------------------- microdata

def test_microdata_nested_items_become_dicts():
    page = Selector(text="""<div itemscope itemtype="https://schema.org/JobPosting">
        <span itemprop="title">司机</span><a itemprop="url" href="https://x.example.com/9">详情</a>
        <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">
          <span itemprop="name">首汽</span></div>
        <span itemprop="baseSalary">8-10K</span></div>
        <div itemscope itemtype="https://schema.org/BreadcrumbList"><span itemprop="name">首页</span></div>""")
    items = microdata_items(page)
    assert items[0] == {"@type": "https://schema.org/JobPosting", "title": "司机", "url": "https://x.example.com/9",
                        "hiringOrganization": {"@type": "https://schema.org/Organization", "name": "首汽"},
                        "baseSalary": "8-10K"}
    assert items[1]["@type"].endswith("BreadcrumbList")
    (posting,) = job_postings_from_html(page.get(), "https://x.example.com/9")
    assert (posting["title"], posting["company"], posting["salary_text"]) == ("司机", "首汽", "8-10K")


def test_json_ld_wins_over_microdata_of_the_same_posting():
    html = """<script type="application/ld+json">{"@type": "JobPosting", "title": "会计"}</script>
        <div itemscope itemtype="http://schema.org/JobPosting"><span itemprop="title">会计</span></div>"""
    assert [p["title"] for p in job_postings_from_html(html, "https://x.example.com/")] == ["会计"]


def test_json_ld_text_with_escaped_html_is_read_as_text():
    html = """<script type="application/ld+json">{"@type": "JobPosting", "title": "Java开发",
        "description": "&lt;p&gt;岗位职责&lt;/p&gt;&lt;br/&gt;1. 开发 &amp; 维护",
        "hiringOrganization": {"name": "北京某某&amp;科技"}}</script>"""
    (posting,) = job_postings_from_html(html, "https://x.example.com/1")
    assert posting["description"].split() == ["岗位职责", "1.", "开发", "&", "维护"]
    assert posting["company"] == "北京某某&科技"


def test_structured_schema_org_requirements_are_flattened_to_text():
    html = """<script type="application/ld+json">{"@type": "JobPosting", "title": "数据分析师",
        "educationRequirements": {"@type": "EducationalOccupationalCredential", "credentialCategory": "bachelor degree"},
        "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 36}}</script>"""
    (posting,) = job_postings_from_html(html, "https://x.example.com/2")
    assert (posting["education_text"], posting["experience_text"]) == ("bachelor degree", "36 months of experience")
