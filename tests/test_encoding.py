"""GBK / GB18030 / Big5 pages decode correctly, declared or sniffed, through the real Scrapy
response classes and jobmon's sniffing middleware."""
import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from crawlers.encoding import EncodingSniffMiddleware, declared_encoding, decode_body, sniff_encoding

SIMPLIFIED = ["Java开发工程师 15-25K·13薪 北京·朝阳区 3天前发布", "会计", "仓库管理员（急招）", "数据分析师 本科 3-5年",
              "<li><a href='/j/1'>销售经理</a><span>8千-1.2万</span></li>"]
TRADITIONAL = ["資深軟體工程師 新北市 板橋區 面議", "軟體工程師", "銷售經理 台北市 月薪 4萬"]
RARE = "北京喆睿科技 䶮 𠀀"   # 喆: GBK not GB2312; 䶮, 𠀀: GB18030 only (4-byte)


@pytest.mark.parametrize("text", SIMPLIFIED)
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_simplified_chinese_is_sniffed(text, encoding):
    body = text.encode(encoding)
    assert body.decode(sniff_encoding(body)) == text


@pytest.mark.parametrize("text", TRADITIONAL)
@pytest.mark.parametrize("encoding", ["big5", "gbk", "utf-8"])
def test_traditional_chinese_is_sniffed(text, encoding):
    body = text.encode(encoding)
    assert body.decode(sniff_encoding(body)) == text


def test_gb18030_only_characters():
    body = RARE.encode("gb18030")
    assert sniff_encoding(body) == "gb18030" and decode_body(body) == RARE


# GBK / GB2312 labels resolve to GB18030 and Big5 to Big5-HKSCS, their supersets (w3lib's table).
@pytest.mark.parametrize("content_type,body,expected", [
    ("text/html; charset=GBK", b"<html></html>", "gb18030"),
    ("application/json;charset=gb2312", b"{}", "gb18030"),
    ("text/html", b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">', "gb18030"),
    ("text/html", b'<html><head><meta charset="big5"></head>', "big5hkscs"),
    ("application/xml", b'<?xml version="1.0" encoding="GB2312"?><rss/>', "gb18030"),
    (None, b"\xef\xbb\xbf{}", "utf-8"),
    ("text/html", b"<html>\xbb\xe1\xbc\xc6</html>", None),
    ("text/plain", b"{}", None),
])
def test_declared_encoding(content_type, body, expected):
    found = declared_encoding(content_type, body)
    assert (found.lower().replace("_", "-") if found else None) == expected


def test_a_gb2312_label_decodes_gbk_characters():
    assert decode_body("喆".encode("gbk"), "text/html; charset=gb2312") == "喆"


def test_forced_encoding_wins():
    assert decode_body("會計".encode("big5"), "text/html; charset=utf-8", forced="big5") == "會計"


def sniffed(response):
    return EncodingSniffMiddleware().process_response(Request(response.url), response)


def test_scrapy_reads_declared_gbk_pages():
    page = '<html><head><meta charset="gbk"><title>招聘</title></head><body>销售经理 喆</body></html>'
    response = HtmlResponse("http://127.0.0.1/", body=page.encode("gbk"))
    assert "销售经理 喆" in sniffed(response).text
    by_header = HtmlResponse("http://127.0.0.1/", body="叉车司机".encode("gbk"),
                             headers={"Content-Type": "text/html; charset=gbk"})
    assert sniffed(by_header).text == "叉车司机"


@pytest.mark.parametrize("text,encoding", [("<html><body>仓库管理员 北京 大兴</body></html>", "gbk"),
                                           ("<html><body>销售经理 3天前发布</body></html>", "gbk"),
                                           ("<html><body>資深軟體工程師 新北市</body></html>", "big5"),
                                           ("<html><body>喆 䶮 𠀀 会计</body></html>", "gb18030")])
def test_undeclared_pages_are_sniffed(text, encoding):
    response = HtmlResponse("http://127.0.0.1/", body=text.encode(encoding), headers={"Content-Type": "text/html"})
    if encoding == "gbk":
        assert response.text != text          # Scrapy's own guess reads these as cp949 / big5hkscs
    assert sniffed(response).text == text


def test_undeclared_gbk_json_and_xml_are_sniffed():
    body = '{"expectPosition": "会计"}'.encode("gbk")
    response = TextResponse("http://127.0.0.1/api", body=body, headers={"Content-Type": "text/plain"})
    assert sniffed(response).text == '{"expectPosition": "会计"}'
    feed = XmlResponse("http://127.0.0.1/rss", body="<rss><title>厨师</title></rss>".encode("gbk"))
    assert "厨师" in sniffed(feed).text


def test_utf8_and_declared_pages_are_left_alone():
    response = HtmlResponse("http://127.0.0.1/", body="会计".encode(), headers={"Content-Type": "text/html"})
    assert sniffed(response) is response
    declared = HtmlResponse("http://127.0.0.1/", body="会计".encode("gbk"),
                            headers={"Content-Type": "text/html; charset=gbk"})
    assert sniffed(declared) is declared
