"""Small text helpers shared by the parsers."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

_SPACES = re.compile(r"\s+")
# Lone surrogates (from bytes decoded with surrogateescape) cannot reach OpenCC, which encodes UTF-8.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\ufeff\ud800-\udfff]")


@cache
def _converter() -> opencc.OpenCC:
    # tw2sp also rewrites Taiwanese phrasing (軟體 → 软件, 資料庫 → 数据库), not only characters.
    return opencc.OpenCC("tw2sp")


def fold(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, lower case, controls dropped,
    white space collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = _converter().convert(text)
    return _SPACES.sub(" ", text.lower()).strip()
