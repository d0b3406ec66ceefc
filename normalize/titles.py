"""Posting titles → occupations of the 2022 classification.

``clean_title`` folds width, script and case, then drops what says nothing about the
occupation: urgency and benefit words, pay and experience fragments, place names, and bracketed
asides that hold only such noise (a bracket that says something, "（Java方向）", is kept, after
the main title). Words come from ``data/title_noise.txt`` and the place lists; an alias that
happens to contain a noise word ("招聘专员", "薪资福利专员") is protected from the cut.

``match_title`` then tries, in order:

1. ``exact``: the cleaned title is an official name;
2. ``alias``: the cleaned title or its main part is an alias (``data/title_aliases.csv``,
   which holds the taxonomy's own aliases after review, ``data/title_aliases_coarse.csv`` for
   titles only certain at 小类/中类, and aliases accepted in review, see
   ``set_extra_aliases``); else the alias inside the title that names its head: in the first
   piece that holds one, the one that ends last (Chinese titles end in their head noun),
   longest first, or two pieces joined the other way round ("护士 急诊" → 急诊护士);
3. ``rule``: head-word rules (``data/title_rules.csv``) for titles no alias covers, usually at
   a coarser level ("…老师" → 教学人员);
4. ``fuzzy``: rapidfuzz similarity against the names and aliases that share the title's first
   or last character; when the close candidates disagree on the 细类 the match is given at the
   level they share (小类/中类/大类).

Below ``FUZZY_CUTOFF``, and for titles that are only a generic word ("工程师", "专员",
``data/title_generic.txt``), the title is left unmatched (``code`` None) for review. Every
function takes any string and never raises.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from . import title_examples, title_parse
from .gazetteer import divisions
from .taxonomy import LEVEL_NAMES, occupations
from .text import cuts_a_word, fold, is_word_char

MATCHER_VERSION = "titles-4"
# Calibrated on tests/data/title_eval.csv and a list of junk titles: from 66 up every fuzzy answer on
# the set was right at 大类 and junk stayed unmatched; lower gains nothing. Generic words
# (data/title_generic.txt) and titles under three characters never go to fuzzy matching.
FUZZY_CUTOFF = 66.0
FUZZY_TIE = 3.0           # candidates this close to the best decide the level together
MAX_TITLE_CHARS = 200
_FUZZY_LIMIT = 8
_SENIORITY = ("初级", "中级", "高级", "资深", "中高级", "senior", "junior", "lead", "staff", "principal", "sr", "jr")
_GRADE = re.compile(r"(?:中高级|初中级|初级|中级|高级|资深|senior|junior|sr\.?|jr\.?)\s*")


@dataclass(frozen=True, slots=True)
class Match:
    code: str | None
    name: str | None
    level: str | None       # 细类 / 小类 / 中类 / 大类 of the matched code
    score: float            # 0–100
    method: str | None      # exact / alias / rule / fuzzy / example; None when unmatched
    title_clean: str


_extra_aliases: dict[str, str] = {}


def set_extra_aliases(mapping: Mapping[str, str]) -> int:
    """Use ``title → code`` pairs (accepted in review) on top of the shipped dictionary.

    Titles are cleaned first, so a raw noisy title and its cleaned form are the same alias.
    Replaces any earlier extra aliases and empties the caches; pairs whose code is not in the
    taxonomy or whose title cleans to nothing are skipped. Returns how many were taken.
    """
    global _extra_aliases
    if not mapping and not _extra_aliases:
        return 0  # nothing accepted, nothing to forget: keep the warm caches
    _extra_aliases = {}
    clear_caches()  # cleaning the accepted titles must not see the previous ones
    taxonomy = occupations()
    extra = {}
    for title, code in mapping.items():
        key = alias_key(clean_title(str(title)))
        if key and str(code) in taxonomy:
            extra[key] = str(code)
    _extra_aliases = extra
    clear_caches()
    return len(extra)


def clear_caches() -> None:
    """Empty every cache of the matcher (the alias index is rebuilt on the next call)."""
    for function in (_index, _cleaner, _chunk_pieces, _fuzzy_choices, _generic_titles, match_title):
        function.cache_clear()


def _data_lines(name: str) -> list[str]:
    text = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def alias_rows(name: str = "title_aliases.csv") -> list[dict]:
    """Rows (alias, code, note) of a shipped alias file."""
    return list(csv.DictReader(_data_lines(name)))


# --- cleaning ---------------------------------------------------------------------------------

_BRACKETED = re.compile(r"[(\[【〔〈《{<]([^()\[\]【】〔〕〈〉《》{}<>]{0,60})[)\]】〕〉》}>]")
_PAY = re.compile(
    r"(?:月入|月薪|年薪|底薪|综合薪资|薪资|工资|税前|日薪|时薪)?\s*\d+(?:\.\d+)?\s*(?:k|千|万|w)?\s*"
    r"(?:[-~至到]\s*\d+(?:\.\d+)?\s*)?"
    r"(?:k|千|万|w|元|块)(?:\s*/\s*(?:月|天|日|时|小时|年|单))?(?:以上|起|左右|\+)?"
    r"|(?:月入|月薪|年薪|底薪|保底|综合薪资|薪资|工资|税前|日薪|时薪)\s*\d+(?:\.\d+)?\+?"
    r"|\d+\s*薪|(?:月入|月薪|年薪)过?[万千百]+\+?"
    r"|\d+(?:\s*[-~至到]\s*\d+)?\s*(?:年|岁)(?:以上|以下|以内)?(?:工作)?(?:经验)?"
    r"|\d+\s*届|\d+\s*人"
)
# "+", "#" and "." stay inside words (c++, c#, node.js); left alone they are dropped below.
_SEPARATORS = re.compile(r"[\s·•|/\\_,、;:\-—~!?*&@$%^=<>\"'`。，；：！？()\[\]【】〔〕〈〉《》{}]+")
_NO_WORD = re.compile(r"^[+#.\d]+$")  # lone punctuation or a bare number (what is left of pay)
# A board's requisition number ("J10770", "MJ002434", "DNJS0007", "-F1157B") or trailing digits.
_JOB_CODE = re.compile(r"(?<![a-z0-9])[a-z]{0,4}\d{3,}[a-z]?(?![a-z0-9])|(?<=[\u4e00-\u9fff])\d{3,}$")
# An aside that names the employer, not the job: "（北京某某科技有限公司）".
_EMPLOYER = re.compile(r"(公司|集团|有限|股份|工作室|事务所|研究院|研究所|医院|学校|银行|外包|猎头|od)$")
# Trainee and grade words: modifiers that never name the occupation ("电气设计（管培生）" is a
# designer, "销售管培生" a salesperson, "储备店长" a store manager).
_TRAINEE = re.compile(r"(助理(?=工程师)|普通(?!话)|管培生|管理培训生|培训生|储备干部|储备|后备|见习|实习生|实习|校招|社招|应届生?|毕业生|学徒工?(?=.)|兼职|全职|临时工|小时工|日结|短期)")
# 招聘 as a verb: "招聘外卖骑手" is hiring a rider; "某公司招聘质检员" too. 招聘 followed by an HR
# head ("招聘专员", "招聘经理") is the recruiter.
_PLACE_SUFFIX = re.compile(r"(?<!专卖)(店|分店|门店|广场|商场|校区|分校|园区|基地|工厂|厂区|项目部|事业部|事业群|分公司|总部|大厦)$")
_HIRING = re.compile(r"^(?:.{0,20}?(?:招聘|招募)|招(?=[^商标生聘募收]))"
                     r"(?!专员|经理|主管|助理|顾问|官|总监|负责人|组长|hr|实习生|专家|师|岗|渠道|运营|$)")


@cache
def _noise_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words removed wherever they stand, words removed only as a whole piece)."""
    anywhere, piece = set(), set()
    for line in _data_lines("title_noise.txt"):
        if line.startswith("="):
            piece.add(fold(line[1:]))
        else:
            anywhere.add(fold(line))
    return frozenset(anywhere), frozenset(piece)


@cache
def _place_words() -> tuple[frozenset[str], frozenset[str]]:
    """(place names removed wherever they stand, short names removed only as a whole piece).

    Provinces, cities and Beijing's districts with their short names, every county-level name,
    and the functional areas postings name (中关村, 望京, 亦庄 ...)."""
    anywhere, piece = set(), set()
    for division in divisions():
        name, short = fold(division.name), fold(division.short)
        if len(name) >= 2:
            anywhere.add(name)
        if len(short) >= 2:
            (anywhere if division.deep <= 2 else piece).add(short)
    text = resources.files("normalize").joinpath("data/functional_areas.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        for name in [row["name"], *row["aliases"].split("|")]:
            name = fold(name)
            if len(name) >= 2 and not name.isascii():
                anywhere.add(name)
    return frozenset(anywhere), frozenset(piece)


class _Lexicon:
    """Words found by scanning a string left to right, longest first at each position."""

    __slots__ = ("lengths", "words")

    def __init__(self, words: Mapping[str, object]):
        self.words = dict(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[0], set()).add(len(word))
        self.lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}

    def find(self, text: str, start: int) -> tuple[str, object] | None:
        """The longest word starting at ``start`` (ASCII words only on word boundaries)."""
        for length in self.lengths.get(text[start], ()):
            end = start + length
            if end > len(text):
                continue
            piece = text[start:end]
            value = self.words.get(piece)
            if value is None:
                continue
            if cuts_a_word(text, start, end):
                continue
            return piece, value
        return None


_KEEP, _DROP = 0, 1


@cache
def _cleaner() -> tuple[_Lexicon, frozenset[str]]:
    """(lexicon of words to drop and aliases to protect, words dropped only as a whole piece)."""
    noise_anywhere, noise_piece = _noise_words()
    place_anywhere, place_piece = _place_words()
    drop = noise_anywhere | place_anywhere
    words: dict[str, int] = {w: _DROP for w in drop}
    scanner = _Lexicon(words)
    for key in _raw_alias_keys():
        if len(key) > 1 and any(scanner.find(key, i) for i in range(len(key))):
            words[key] = _KEEP          # "招聘专员" must survive the noise word "招聘"
    return _Lexicon(words), noise_piece | place_piece


def _scrub(text: str, lexicon: _Lexicon) -> str:
    out, i, n = [], 0, len(text)
    while i < n:
        found = lexicon.find(text, i)
        if found is None:
            out.append(text[i])
            i += 1
        else:
            word, kind = found
            out.append(word if kind == _KEEP else " ")
            i += len(word)
    return "".join(out)


_LOOSE_PLUS = re.compile(r"(?<=[\u4e00-\u9fff\d])\+|\+(?=[\u4e00-\u9fff\d])")  # "保安+包吃住", not "c++"


def _pieces(text: str) -> list[str]:
    text = _LOOSE_PLUS.sub(" ", _PAY.sub(" ", text))
    pieces: list[str] = []
    for chunk in _SEPARATORS.split(text):
        if chunk:
            chunk = _JOB_CODE.sub(" ", chunk)
            for part in chunk.split():
                pieces.extend(_chunk_pieces(part))
    return pieces


def _without_grade(piece: str) -> str:
    """A piece without a leading grade word ("初级化验员" → "化验员"), unless the grade is part of
    a school's name (初级中学, 高级中学) or the piece is nothing else."""
    grade = _GRADE.match(piece)
    if grade is None or len(piece) - grade.end() < 2 or piece[grade.end()] == "中":
        return piece
    return piece[grade.end():]


def _strip_modifiers(pieces: list[str]) -> list[str]:
    """Pieces without trainee/grade words and without a leading hiring verb; a piece that is
    nothing else is dropped."""
    out = []
    for piece in pieces:
        if out and _PLACE_SUFFIX.search(piece):
            continue  # "烘焙技师-某某广场店": the shop, not the job
        if piece.endswith(("类", "部门")) and any(_TRAINEE.search(p) for p in pieces):
            continue  # "设计类" beside 管培生: a category of trainees
        if piece in ("招聘", "招", "招募", "招人"):
            continue
        hired = _HIRING.match(piece)
        if hired and len(piece) > hired.end():
            piece = piece[hired.end():]
        elif piece.endswith(("招聘", "招募")) and len(piece) > 2:
            piece = piece[:-2]
        trainee = _TRAINEE.search(piece) is not None
        stripped = _TRAINEE.sub("", piece)
        if trainee and stripped.endswith(("类", "部门", "岗位类")):
            continue  # "管培生-设计类": a trainee of a category names no occupation
        if len(stripped) > 2 and stripped.endswith(("岗位", "岗")) and not stripped.endswith("站岗"):
            stripped = stripped[:-2] if stripped.endswith("岗位") else stripped[:-1]
        if stripped:
            out.append(stripped)
    return out


@lru_cache(maxsize=100_000)
def _chunk_pieces(chunk: str) -> tuple[str, ...]:
    """One separator-free chunk of a title without its noise; chunks repeat across titles."""
    lexicon, piece_noise = _cleaner()
    if chunk in piece_noise:
        return ()
    return tuple(p for p in _scrub(chunk, lexicon).split() if not _NO_WORD.match(p) and p not in piece_noise)


def _clean_parts(title: str) -> tuple[list[str], list[str]]:
    """(pieces of the main title, pieces kept from brackets)."""
    if not isinstance(title, str):
        return [], []
    text = fold(title[:MAX_TITLE_CHARS])
    if not text:
        return [], []
    asides: list[str] = []

    def aside(match: re.Match) -> str:
        inner = match.group(1).strip()
        if not _EMPLOYER.search(fold(inner)):
            asides.append(inner)
        return " "

    main_text = _BRACKETED.sub(aside, text)
    main = _strip_modifiers(_pieces(main_text))
    extra = _strip_modifiers([p for a in asides for p in _pieces(a)])
    if not main and extra:   # "(急招)" only, or a title that is all brackets
        main, extra = extra, []
    return main, extra


def clean_title(title: str) -> str:
    """The title with noise removed, pieces separated by single spaces ('' when nothing is left)."""
    main, extra = _clean_parts(title)
    return " ".join(main + extra)


def _compact(text: str) -> str:
    return text.replace(" ", "")


def alias_key(alias: str) -> str:
    """An alias as the matcher looks it up: folded, separators and spaces removed."""
    return "".join(p for p in _SEPARATORS.split(fold(alias)) if p)


# --- the alias index --------------------------------------------------------------------------

@cache
def _shipped_aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(official names → code, aliases → code): the taxonomy's names and the shipped alias files.

    The taxonomy's own aliases reach the matcher through ``title_aliases.csv``, after review
    (``tools/build_title_aliases.py``); the 细类 file overrides the coarse one.
    """
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for occ in sorted(occupations().values(), key=lambda o: -o.level):
        names.setdefault(alias_key(occ.name), occ.code)
    for file in ("title_aliases_coarse.csv", "title_aliases.csv"):
        for row in alias_rows(file):
            aliases[alias_key(row["alias"])] = row["code"]
    return names, aliases


def _raw_alias_keys() -> set[str]:
    names, aliases = _shipped_aliases()
    return set(names) | set(aliases) | set(_extra_aliases)


@dataclass(frozen=True)
class _Index:
    names: dict[str, str]
    aliases: dict[str, str]
    lexicon: _Lexicon
    fuzzy_keys: list[str]
    by_first: dict[str, list[str]]
    by_last: dict[str, list[str]]
    rules: list[tuple[re.Pattern, str, float]]


@cache
def _index() -> _Index:
    names, shipped = _shipped_aliases()
    names = {k: v for k, v in names.items() if k not in _extra_aliases}  # an accepted alias overrides
    aliases = dict(shipped)
    aliases.update(_extra_aliases)
    for key, code in names.items():
        aliases.setdefault(key, code)
    aliases = {k: v for k, v in aliases.items() if k}
    # A seniority variant ("高级java开发") adds nothing to fuzzy matching beyond its stem.
    fuzzy_keys = sorted(k for k in aliases if not any(k.startswith(p) and k[len(p):] in aliases for p in _SENIORITY))
    by_first: dict[str, list[str]] = {}
    by_last: dict[str, list[str]] = {}
    for key in fuzzy_keys:
        by_first.setdefault(key[0], []).append(key)
        by_last.setdefault(key[-1], []).append(key)
    title_parse.warm()   # the parser's tables and the definitions index, built once with the aliases
    return _Index(names, aliases, _Lexicon(aliases), fuzzy_keys, by_first, by_last, _rules())


def _rules() -> list[tuple[re.Pattern, str, float]]:
    taxonomy = occupations()
    rules = []
    for row in csv.DictReader(_data_lines("title_rules.csv")):
        if row["code"] in taxonomy:
            rules.append((re.compile(row["pattern"]), row["code"], float(row["score"])))
    return rules


# --- matching ---------------------------------------------------------------------------------

def _contained(pieces: list[str], index: _Index) -> tuple[str, int] | None:
    """The alias inside the title that names its head: (key, its length).

    Chinese titles put the role first and qualifiers after ("日语翻译 兼 客服", "销售代表 IT"),
    and end a word in its head noun ("高级java开发工程师"). So the alias is taken from the first
    piece that holds one (it may run on into the next pieces), and there the one that ends last,
    longest first. An ASCII alias must stand on word boundaries: "java" not inside "javascript".
    """
    text = "".join(pieces)
    cuts, owner, at = {0}, [], 0
    for number, piece in enumerate(pieces):
        owner.extend([number] * len(piece))
        at += len(piece)
        cuts.add(at)
    best: tuple[int, int, str] | None = None
    first_piece = None
    for start in range(len(text)):
        if first_piece is not None and owner[start] > first_piece:
            break
        for length in index.lexicon.lengths.get(text[start], ()):
            end = start + length
            if length < 2 or end > len(text):
                continue
            piece = text[start:end]
            if piece not in index.aliases:
                continue
            if is_word_char(piece[0]) and start not in cuts and is_word_char(text[start - 1]):
                continue
            if is_word_char(piece[-1]) and end not in cuts and is_word_char(text[end]):
                continue
            first_piece = owner[start] if first_piece is None else first_piece
            candidate = (end, length, piece)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
            break
    return (best[2], best[1]) if best else None


def _best_inside(pieces: list[str], index: _Index) -> tuple[str, float] | None:
    """The most specific alias a title holds: (key, share of the title it covers).

    Candidates are the alias inside the pieces as written (see ``_contained``) and, for titles
    written as separate words ("护士 急诊", "数学老师 初中"), two pieces joined the other way
    round or across a gap when that makes an alias. The longest wins; on a tie the one as
    written.
    """
    if not pieces:
        return None
    best = _contained(pieces, index)
    if len(pieces) > 1:
        for i, first in enumerate(pieces[:4]):
            for j in range(i + 1, min(len(pieces), 4)):
                for joined in (pieces[j] + first, first + pieces[j] if j > i + 1 else ""):
                    if joined in index.aliases and (best is None or len(joined) > best[1]):
                        best = (joined, len(joined))
    if best is None:
        return None
    return best[0], best[1] / max(len("".join(pieces)), 1)


@cache
def _generic_titles() -> frozenset[str]:
    return frozenset(alias_key(line) for line in _data_lines("title_generic.txt"))


@lru_cache(maxsize=8192)
def _fuzzy_choices(first: str, last: str) -> list[str]:
    """Keys that begin with ``first`` or end with ``last``: a typo seldom hits both ends, and
    comparing with these few thousand instead of every key keeps fuzzy matching fast."""
    index = _index()
    return sorted(set(index.by_first.get(first, ())) | set(index.by_last.get(last, ())))


def _fuzzy(compact: str, index: _Index) -> tuple[str, float] | None:
    choices = _fuzzy_choices(compact[0], compact[-1])
    found = process.extract(compact, choices, scorer=fuzz.ratio, processor=None,
                            limit=_FUZZY_LIMIT, score_cutoff=FUZZY_CUTOFF)
    if not found:
        return None
    best = found[0][1]
    codes = [index.aliases[key] for key, score, _ in found if score >= best - FUZZY_TIE]
    code = title_parse.shared_code(codes)
    return (code, best) if code else None


@lru_cache(maxsize=200_000)
def match_title(title: str) -> Match:
    """Match one posting title to the classification (see the module docstring)."""
    ruled = _match_by_rules(title)  # then labelled real titles may overrule (title_examples.py)
    learned = title_examples.overrule(ruled.method, ruled.score, _compact(ruled.title_clean), ruled.code)
    return _result(learned.code, learned.score, "example", ruled.title_clean) if learned else ruled


def _match_by_rules(title: str) -> Match:
    main, extra = _clean_parts(title)
    cleaned = " ".join(main + extra)
    if not cleaned:
        return Match(None, None, None, 0.0, None, cleaned)
    index = _index()
    ungraded_main = [_without_grade(piece) for piece in main]
    # an official name or alias as written ("高级中学教师", "高级物业顾问"), else without the grade word
    for main in ([main, ungraded_main] if ungraded_main != main else [main]):
        compact = _compact(" ".join(main + extra))
        main_compact = _compact(" ".join(main))
        if compact in index.names:
            return _result(index.names[compact], 100.0, "exact", cleaned)
        if compact in index.aliases:
            return _result(index.aliases[compact], 100.0, "alias", cleaned)
        if main_compact in index.names:
            return _result(index.names[main_compact], 98.0, "exact", cleaned)
        if main_compact in index.aliases:
            return _result(index.aliases[main_compact], 97.0, "alias", cleaned)
    ungraded = " ".join(main + extra)   # what the rest matches; title_clean keeps the grade
    for suffix in ("员", "工", "师", "医师", "技师", "人员"):   # "保安" is the 保安员: an official name without its ending
        completed = index.names.get(main_compact + suffix) if len(main_compact) >= 2 else None
        if completed and occupations()[completed].level == 4:
            return _result(index.names[main_compact + suffix], 90.0, "exact", cleaned)
    parts = title_parse.parse(main, extra)
    decided = title_parse.decide(parts)
    if decided and decided[1] == "convention":
        return _result(decided[0], 85.0, "rule", cleaned)
    covering = _covering_alias(main_compact, parts, index)
    if covering and not (decided and parts.head.role in title_parse.FUNCTION_COLUMN):
        return _result(index.aliases[covering], 90.0, "alias", cleaned)
    if decided:
        return _result(decided[0], 85.0, "rule", cleaned)
    found = _best_inside(main, index) or _best_inside(main + extra, index)
    if found and _covers_head(found[0], main_compact, parts, index):
        key, coverage = found
        return _result(index.aliases[key], round(70 + 25 * coverage, 1), "alias", cleaned)
    for pattern, code, score in index.rules:
        if pattern.search(ungraded):
            return _result(title_parse.refined(code, parts), score, "rule", cleaned)
    fuzzy = _fuzzy(compact[:60], index) if len(compact) >= 3 and compact not in _generic_titles() else None
    if fuzzy and (parts.head is None or title_parse.in_scope(fuzzy[0], parts.head)):
        return _result(fuzzy[0], round(fuzzy[1], 1), "fuzzy", cleaned)
    fallen = title_parse.fallback(parts)
    if fallen:
        return _result(fallen[0], 60.0 if fallen[1] == "definition" else 50.0, "rule", cleaned)
    if found:
        key, coverage = found
        return _result(index.aliases[key], round(60 + 25 * coverage, 1), "alias", cleaned)
    return Match(None, None, None, 0.0, None, cleaned)


def _covering_alias(main_compact: str, parts: title_parse.Parts, index: _Index) -> str | None:
    """The longest alias or name that ends where the head ends and holds more than the head:
    "物业保洁员" is a 保洁员 (the head 员 alone says nothing)."""
    if parts.head is None or parts.start < 0:
        return None
    end = parts.start + len(parts.head.word)
    if main_compact[parts.start:end] != parts.head.word:
        return None
    for start in range(0, parts.start + 1):
        key = main_compact[start:end]
        if len(key) > len(parts.head.word) and key in index.aliases:
            if is_word_char(key[0]) and start > 0 and is_word_char(main_compact[start - 1]):
                continue
            return key
    return None


def _covers_head(key: str, main_compact: str, parts: title_parse.Parts, index: _Index) -> bool:
    """Whether an alias found inside the title names its head role, not only its domain: it
    reaches into the head, or the title has no head. "java讲师" holds the alias "java", but
    its head is 讲师."""
    if parts.head is None:
        return True
    at = main_compact.rfind(key)
    if at < 0:
        return True  # found across pieces or in an aside: nothing to compare
    return at + len(key) > parts.start and at < parts.start + len(parts.head.word)


def candidates(title: str, limit: int = 3) -> list[Match]:
    """The ``limit`` best distinct occupations for a title by similarity, best first (for review)."""
    cleaned = clean_title(title)
    compact = _compact(cleaned)[:60]
    if not compact:
        return []
    index = _index()
    found = process.extract(compact, index.fuzzy_keys, scorer=fuzz.WRatio, processor=None, limit=limit * 8)
    result, seen = [], set()
    for key, score, _ in found:
        code = index.aliases[key]
        if code not in seen:
            seen.add(code)
            result.append(_result(code, round(score, 1), "fuzzy", cleaned))
        if len(result) == limit:
            break
    return result


def _result(code: str, score: float, method: str, cleaned: str) -> Match:
    occ = occupations()[code]
    return Match(code, occ.name, LEVEL_NAMES[occ.level], score, method, cleaned)
