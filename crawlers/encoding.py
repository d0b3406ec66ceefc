"""Character encodings of Chinese pages: declared (header, BOM, meta / XML declaration) or sniffed.

Scrapy decodes a page by its declared charset; a page that declares none and is not UTF-8 would be
read as cp1252 and every title would be mojibake. ``sniff_encoding`` tells UTF-8, GB18030 (a superset
of GBK and GB2312) and Big5 apart by how many decoded characters fall in each standard's common
range; ``EncodingSniffMiddleware`` applies it to undeclared responses.
"""
from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

SAMPLE_BYTES = 64 * 1024


def declared_encoding(content_type: str | None, body: bytes) -> str | None:
    """The charset a response declares: Content-Type header, byte-order mark, then
    ``<meta charset>`` / ``<?xml encoding?>`` in the body; None when it declares none."""
    return (http_content_type_encoding(content_type or "") or read_bom(body)[0]
            or html_body_declared_encoding(body))


def _gb_common(char: str) -> bool:
    # GB2312 rows A1/A3 (punctuation, full-width forms) and B0–F7 (the 6,763 common hanzi).
    encoded = char.encode("gb18030")
    return len(encoded) == 2 and encoded[1] >= 0xA1 and (encoded[0] in (0xA1, 0xA3) or 0xB0 <= encoded[0] <= 0xF7)


def _big5_common(char: str) -> bool:
    # Big5 A140–A3BF (symbols) and A440–C67E (the 5,401 frequent hanzi).
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xC6


def _score(body: bytes, encoding: str, common) -> float:
    text = body.decode(encoding, errors="replace")
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    good = sum(1 for c in wide if c != "\ufffd" and common(c))
    return good / len(wide)


def sniff_encoding(body: bytes) -> str:
    """The most likely encoding of an undeclared body: ``utf-8``, ``gb18030`` or ``big5hkscs``.

    Valid UTF-8 wins (multi-byte UTF-8 is almost never valid by chance); otherwise the candidate
    whose decoding has the larger share of common characters, GB18030 on a tie. (GB18030 and
    Big5-HKSCS are the supersets of GBK / GB2312 and Big5 that browsers decode those labels with.)
    """
    sample = body[:SAMPLE_BYTES]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3 and len(body) > SAMPLE_BYTES:
            return "utf-8"  # only the cut through the last character failed
    gb = _score(sample, "gb18030", _gb_common)
    big5 = _score(sample, "big5", _big5_common)
    return "big5hkscs" if big5 > gb else "gb18030"


def decode_body(body: bytes, content_type: str | None = None, forced: str | None = None) -> str:
    """Text of a body: the ``forced`` encoding, else the declared one, else the sniffed one."""
    encoding = forced or declared_encoding(content_type, body) or sniff_encoding(body)
    if encoding.lower().replace("-", "").replace("_", "") in ("gbk", "gb2312", "cp936"):
        encoding = "gb18030"  # pages labelled GBK/GB2312 routinely carry characters beyond it
    return body.decode(encoding, errors="replace")


class EncodingSniffMiddleware:
    """Downloader middleware: give text responses that declare no charset their sniffed one."""

    def process_response(self, request, response, spider=None):
        from scrapy.http import TextResponse

        if not isinstance(response, TextResponse) or not response.body:
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if declared_encoding(content_type, response.body):
            return response
        encoding = sniff_encoding(response.body)
        if encoding == "utf-8":
            return response
        return response.replace(encoding=encoding)
