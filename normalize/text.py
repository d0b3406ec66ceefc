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


def is_word_char(char: str) -> bool:
    """An ASCII letter or digit: the characters of a word that a match must not cut ("java" in "javascript")."""
    return char.isascii() and char.isalnum()


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins or ends inside an ASCII word of ``text``."""
    return (start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1])) or \
        (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))
