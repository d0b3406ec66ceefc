"""A posting title read as head role + domain + modifiers, and the codes those parts decide.

Chinese titles end their role phrase in a head noun (工程师, 专员, 文员, 老师, 销售, 运营, 司机,
普工 …); what comes before it is the domain (Java, 锂电材料, 二手房, 初中数学); the rest
(grades, trainee words, pay, places, shop names, slogans) are modifiers that ``titles.clean_title``
mostly removes. ``parse`` finds the head (``data/title_heads.csv``), and ``decide`` gives a code
from the parts, in this order:

1. ``convention``: the 大典's conventions for roles whose code depends on what they work on
   (``data/title_conventions.csv``: teachers by school level and subject, salespeople by what
   they sell, 运营 by what is operated, drivers by vehicle, testers by what they test);
2. ``function``: generic heads (专员, 经理, 助理, 文员 …) coded by the function they handle
   (``data/title_functions.csv``: 人事 → 人力资源, 财务 → 会计, 行政 → 行政事务 …);
3. ``stems``: a domain stem and a head that together name an occupation
   (``data/title_stems.csv``, built from the project's stem lists: "java" + "开发");
4. ``definition``: the domain scored against the 大典's names, definitions and task lists of the
   occupations the head allows (``scope`` in title_heads.csv); when the best leaves are close the
   code is given at the level they share;
5. ``head``: what the head alone says, often a coarse code (工程师 → 2-02-00-00).

Every function takes any input and never raises.
"""
from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .taxonomy import code_at_level, occupations
from .text import cuts_a_word, fold

# Roles coded by the function they handle, and which column of title_functions.csv they read.
FUNCTION_COLUMN = {"staff": "staff", "clerk": "clerk", "consultant": "staff", "manager": "manager",
                   "assistant": "assistant", "lead": "lead", "expert": "manager", "analyst": "staff"}
_LEAD_HEADS = {"组长", "班长", "领班", "leader", "lead"}
_ASSISTED_ROLES = {"developer", "engineer", "tester", "itops", "designer", "doctor", "nurse", "teacher", "researcher"}
# Roles a domain stem does not recode: a 销售工程师 of chips sells, a 文员 of an IT firm files.
_NO_STEM_ROLES = frozenset({"sales", "salesmanager", "shop", "storemanager", "clerk", "cs", "operations", "ceo",
                            "accountant", "buyer", "service", "porter", "packer", "warehouse", "courier"})
# Roles whose head's leaf holds whatever the domain ("汽车销售" is a 营销员) unless a convention says more.
_LEAF_HEAD_ROLES = frozenset({"sales", "salesmanager", "shop", "storemanager", "cs", "waiter", "secretary", "developer"})
_GENERIC_FUNCTIONS = frozenset({"业务", "商务", "综合", "客户"})
_NEEDS_DOMAIN = {"员工", "人员", "工", "技术员"}   # "普通员工" says nothing; "乳化员工" is a production worker
DEFINITION_MIN = 2.2      # the best leaf's score must reach this …
DEFINITION_MARGIN = 1.25  # … and beat the runner-up by this factor, else the shared level is given


def _lines(name: str) -> list[str]:
    text = resources.files("normalize").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Head:
    word: str
    role: str
    code: str | None
    scope: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Parts:
    head: Head | None
    domain: str        # what comes before the head (compact, may be empty)
    rest: str          # the asides and the pieces after the head's piece (compact)
    start: int         # where the head starts in the compact main text (-1 without a head)


@cache
def heads() -> dict[str, Head]:
    """The head table, and the 大典's own 细类 names ending in 员/工/师/人员 as heads of their
    occupation, with and without that ending ("保洁员" and "保洁"); the table wins."""
    taxonomy = occupations()
    domain_words = set(_functions()[0]) | set(_stems()[0])
    result = {}
    for occ in taxonomy.values():
        if occ.level != 4:
            continue
        name = fold(occ.name)
        for ending in ("人员", "员", "工", "师"):
            if name.endswith(ending) and len(name) - len(ending) >= 2:
                stem = name[: -len(ending)]
                for word in (name, stem):
                    if word == stem and word in domain_words:
                        continue  # "安全" (of 安全员) is a domain before it is a role
                    result.setdefault(word, Head(word, "occupation", occ.code, ()))
                break
    for row in csv.DictReader(_lines("title_heads.csv")):
        code = row["code"] if row["code"] in taxonomy else None
        scope = tuple(s for s in (row["scope"] or "").split("|") if s)
        result[fold(row["head"])] = Head(fold(row["head"]), row["role"], code, scope)
    return result


@cache
def _head_lengths() -> dict[str, list[int]]:
    lengths: dict[str, set[int]] = defaultdict(set)
    for word in heads():
        lengths[word[-1]].add(len(word))
    return {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}


def _head_in(piece: str) -> tuple[int, Head] | None:
    """The head that ends last in ``piece`` (longest first): (start, head)."""
    table, lengths = heads(), _head_lengths()
    for end in range(len(piece), 0, -1):
        for length in lengths.get(piece[end - 1], ()):
            start = end - length
            if start < 0:
                continue
            word = piece[start:end]
            head = table.get(word)
            if head is None:
                continue
            if cuts_a_word(piece, start, end):
                continue
            if len(word) == 1 and end != len(piece):
                continue  # 工, 员, 岗 are heads only where the piece ends ("工作简单" is no 工)
            if word == "工" and start > 0 and piece[start - 1] in "员施监分社义":
                continue  # 员工, 施工, 监工, 分工: not a worker's head
            return start, head
    return None


def parse(main: list[str], extra: list[str]) -> Parts:
    """Head, domain and the rest of a cleaned title given as pieces (main title, then asides).

    A list of roles ("java/python/c++/测试") is read by its first: when the first piece is a
    bare domain stem and the first head stands two or more pieces later, the title has no head
    and the stem decides."""
    if len(main) >= 3 and _is_bare_stem(main[0]):
        first_head = next((n for n, piece in enumerate(main) if _head_in(piece)), None)
        if first_head is not None and first_head >= 2:
            return Parts(None, main[0], " ".join(main[1:] + extra), -1)
    offset = 0
    for number, piece in enumerate(main):
        found = _head_in(piece)
        if found:
            start, head = found
            domain = " ".join([*main[:number], piece[:start]]).strip()
            rest = piece[start + len(head.word):] + "".join(main[number + 1:]) + "".join(extra)
            return Parts(head, domain, rest, offset + start)
        offset += len(piece)
    for number, piece in enumerate(extra):   # "百里挑一【省区经理】": the role is in the bracket
        found = _head_in(piece)
        if found and len(found[1].word) >= 2 and found[0] + len(found[1].word) == len(piece):
            start, head = found
            domain = " ".join([*main, *extra[:number], piece[:start]]).strip()
            return Parts(head, domain, piece[start + len(head.word):] + "".join(extra[number + 1:]), -1)
    return Parts(None, " ".join(main), "".join(extra), -1)


def _is_bare_stem(piece: str) -> bool:
    return piece in _stems()[0]


# --- conventions and functions -----------------------------------------------------------------

@cache
def _conventions() -> dict[str, list[tuple[re.Pattern, str]]]:
    taxonomy = occupations()
    result: dict[str, list[tuple[re.Pattern, str]]] = defaultdict(list)
    for row in csv.DictReader(_lines("title_conventions.csv")):
        if row["code"] in taxonomy:
            result[row["role"]].append((re.compile(row["pattern"]), row["code"]))
    return dict(result)


def convention(parts: Parts, asides: bool = True) -> str | None:
    """The code the role's convention gives for what the title works on (the domain, and with
    ``asides`` the rest of the title too)."""
    if parts.head is None:
        return None
    text = parts.domain + " " + parts.rest if asides else parts.domain
    for pattern, code in _conventions().get(parts.head.role, ()):
        if pattern.search(text):
            return code
    return None


@cache
def _functions() -> tuple[dict[str, dict[str, str]], dict[str, list[int]]]:
    taxonomy = occupations()
    words: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(_lines("title_functions.csv")):
        codes = {"staff": row["staff"]}
        codes["manager"] = row["manager"] or row["staff"]
        codes["assistant"] = row["assistant"] or row["staff"]
        codes["lead"] = row["lead"] or codes["manager"]
        codes["clerk"] = row["clerk"] or "3-01-02-00"   # a 文员 is office work unless the function has its own
        codes = {k: v for k, v in codes.items() if v in taxonomy}
        for word in row["domain"].split("|"):
            if word.strip():
                words.setdefault(fold(word.strip()), codes)
    lengths: dict[str, set[int]] = defaultdict(set)
    for word in words:
        lengths[word[-1]].add(len(word))
    return words, {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}


def _nearest_word(text: str, words: dict, lengths: dict[str, list[int]]) -> str | None:
    """The word of ``words`` that ends last in ``text`` (longest first)."""
    found = _nearest(text, words, lengths)
    return found[0] if found else None


def _nearest(text: str, words: dict, lengths: dict[str, list[int]]) -> tuple[str, int] | None:
    """(word, where it ends) of the word of ``words`` that ends last in ``text``."""
    for end in range(len(text), 0, -1):
        for length in lengths.get(text[end - 1], ()):
            start = end - length
            if start < 0:
                continue
            word = text[start:end]
            if word not in words:
                continue
            if cuts_a_word(text, start, end):
                continue
            return word, end
    return None


def function(parts: Parts) -> str | None:
    """The code of the function a generic head handles (人事专员, 财务经理, 项目助理 …)."""
    found = _function_at(parts)
    return found[0] if found else None


def _function_at(parts: Parts) -> tuple[str, int] | None:
    if parts.head is None:
        return None
    column = FUNCTION_COLUMN.get(parts.head.role)
    if column is None:
        return None
    if parts.head.word in _LEAD_HEADS:
        column = "lead"
    words, lengths = _functions()
    found = _nearest(parts.domain, words, lengths)
    if found is None:
        return None
    word, end = found
    if word in _GENERIC_FUNCTIONS:   # "货代业务助理": the word before 业务 says what business
        before = _nearest(parts.domain[: end - len(word)], words, lengths)
        if before is not None:
            word, end = before
    if word == "运营":  # what is operated decides (新媒体运营专员, 店铺运营主管)
        operated = Parts(Head("运营", "operations", None, ()), parts.domain[: end - len(word)], parts.rest, parts.start)
        code = convention(operated) or words[word].get(column)
    else:
        code = words[word].get(column)
    return (code, end, len(word)) if code else None


# --- stems: a domain stem and a head that together name an occupation ---------------------------

@cache
def _stems() -> tuple[dict[str, list[tuple[str, frozenset[str]]]], dict[str, list[int]]]:
    taxonomy = occupations()
    table: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for row in csv.DictReader(_lines("title_stems.csv")):
        if row["code"] in taxonomy:
            table[row["stem"]].append((row["code"], frozenset(row["heads"].split("|"))))
    lengths: dict[str, set[int]] = defaultdict(set)
    for word in table:
        lengths[word[-1]].add(len(word))
    return dict(table), {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}


# Heads that take the occupation of whatever their domain names ("Java经理", "数据专家").
_ANY_STEM_ROLES = frozenset({"manager", "expert"})


def stems(parts: Parts) -> str | None:
    """The code of the stem nearest the head that the stem lists allow with this head; for a
    title without a head ("Java", "数据分析"), its last stem's main occupation."""
    found = _stems_at(parts)
    return found[0] if found else None


def _stems_at(parts: Parts) -> tuple[str, int] | None:
    if not parts.domain or (parts.head is not None and parts.head.role in _NO_STEM_ROLES):
        return None
    table, lengths = _stems()
    text = parts.domain
    if parts.head is None:   # the stem's main occupation: the one it names with the most heads
        found = _nearest(text, table, lengths)
        if not found:
            return None
        best = max(table[found[0]], key=lambda entry: ("工程师" in entry[1] or "开发" in entry[1], len(entry[1])))
        return best[0], found[1], len(found[0])
    any_head = parts.head.role in _ANY_STEM_ROLES
    word_of_head = parts.head.word
    for cut in range(len(word_of_head)):   # "数据" + "分析师", then "数据分析" + "师"
        joined = text + word_of_head[:cut]
        found = _stem_with_head(joined, word_of_head[cut:], any_head and cut == 0, table, lengths)
        if found and (cut == 0 or found[1] == len(joined)):   # a split head: the stem must touch it
            return found[0], min(found[1], len(text)), found[2]
    return None


def _stem_with_head(text: str, head: str, any_head: bool, table: dict, lengths: dict) -> tuple[str, int, int] | None:
    end = len(text)
    while end > 0:
        word = _nearest_word(text[:end], table, lengths)
        if word is None:
            return None
        at = text[:end].rfind(word)
        entries = sorted(table[word], key=lambda entry: -len(entry[1])) if any_head else table[word]
        for code, allowed in entries:
            if any_head or head in allowed:
                return code, at + len(word), len(word)
        end = at
    return None


# --- the definition scorer ---------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[a-z][a-z0-9+#.]*")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")
# Words of the definitions that say nothing about what is worked on.
_STOP = frozenset("从事 人员 工作 进行 相关 专业 技术 工程 研究 开发 设计 管理 服务 使用 运用 负责 组织 实施 "
                  "制定 编制 提供 指导 分析 活动 业务 生产 操作 设备 系统 方案 应用 单位 企业".split())


def _grams(text: str, folded: bool = False) -> set[str]:
    text = text.lower() if folded else fold(text)
    grams = set(_ASCII_WORD.findall(text))
    for run in _NOT_HAN.split(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams - _STOP


@cache
def _definition_index() -> tuple[dict[str, list[tuple[str, float]]], dict[str, float]]:
    """gram → [(leaf code, weight)], and each gram's inverse document frequency."""
    postings: dict[str, dict[str, float]] = defaultdict(dict)
    text = resources.files("normalize").joinpath("data/csco22.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if r["level"] == "4"]
    for row in rows:
        name = re.sub(r"(?:L/S|S/L|S|L)$", "", row["name"])
        for weight, part in ((3.0, name), (1.0, row["definition"]), (0.5, row["tasks"])):
            for gram in _grams(part, folded=True):   # the 大典 is written in simplified script
                if weight > postings[gram].get(row["code"], 0.0):
                    postings[gram][row["code"]] = weight
    idf = {gram: math.log(len(rows) / len(codes)) for gram, codes in postings.items()}
    return {gram: list(codes.items()) for gram, codes in postings.items()}, idf


def definition(domain: str, scope: tuple[str, ...]) -> str | None:
    """The leaf (or the level the close leaves share) of ``scope`` whose name, definition and tasks
    best fit the words of ``domain``; None when nothing fits well enough."""
    if not domain or not scope:
        return None
    postings, idf = _definition_index()
    scores: dict[str, float] = defaultdict(float)
    for gram in _grams(domain):
        for code, weight in postings.get(gram, ()):
            if code.startswith(scope):
                scores[code] += weight * idf[gram]
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best = ranked[0][1]
    if best < DEFINITION_MIN:
        return None
    close = [code for code, score in ranked if score * DEFINITION_MARGIN >= best]
    return shared_code(close)


def warm() -> None:
    """Build every table of the parser now (the matcher's index calls this once)."""
    _functions(), _stems(), heads(), _head_lengths(), _conventions(), _definition_index()


def shared_code(codes: list[str]) -> str | None:
    """The finest code every one of ``codes`` shares (细类, else 小类, 中类, 大类)."""
    taxonomy = occupations()
    for level in (4, 3, 2, 1):
        rolled = {code_at_level(c, level) if taxonomy[c].level >= level else None for c in codes}
        if len(rolled) == 1:
            code = rolled.pop()
            if code is not None and code in taxonomy:
                return code
    return None


def refined(code: str, parts: Parts) -> str:
    """``code`` or, when it is coarse, the leaf the 大典's definitions under it give the title's domain."""
    return _refined(code, parts)


def _refined(code: str, parts: Parts) -> str:
    """A convention's coarse code refined by the 大典's definitions under it ("电子测试工程师":
    hardware testing is 工程技术; the definitions pick 电子工程技术人员)."""
    level = occupations()[code].level
    if level == 4:
        return code
    prefix = "-".join(code.split("-")[:level]) + "-"
    found = definition(parts.domain + " " + parts.rest, (prefix,))
    return found if found and _under(found, code) else code


def _under(code: str, coarse: str) -> bool:
    """Whether ``code`` lies under ``coarse`` (its non-00 segments equal)."""
    return all(c == "00" or c == f for c, f in zip(coarse.split("-"), code.split("-")))


def in_scope(code: str, head: Head) -> bool:
    """Whether ``code`` is one the head can be: inside its scope, or at its code's 大类."""
    if head.role == "nothing":
        return False  # 合伙人, 干部: no occupation to be similar to
    if head.scope and code.startswith(head.scope):
        return True
    if head.code:
        return code.split("-")[0] == head.code.split("-")[0]
    return not head.scope  # a head that says nothing by itself (专员, 经理): similarity may decide


def decide(parts: Parts) -> tuple[str, str] | None:
    """(code, how) from the parts of a title: the role's convention, else the function word or
    the domain stem, whichever stands nearer the head ("资金平台后端leader" is a developer,
    "java研发经理" a Java developer: on a tie the stem's leaf beats a function's coarse code)."""
    code = convention(parts, asides=False)
    if code:
        finer = convention(parts)   # "语文老师 小学": the asides may name the leaf under it
        if finer and finer != code and _under(finer, code):
            return finer, "convention"
        return _refined(code, parts), "convention"
    if parts.head is not None and parts.head.role == "occupation":
        return parts.head.code, "name"   # "现场计量员" is a 计量员
    if parts.head is not None and parts.head.role == "assistant" and parts.domain:
        inner = parse([parts.domain.replace(" ", "")], [])   # "web前端工程师助理" assists a developer
        if inner.head is not None and inner.head.role in _ASSISTED_ROLES:
            found = decide(inner) or fallback(inner)
            if found:
                return found[0], "assisted"
    by_function, by_stem = _function_at(parts), _stems_at(parts)
    if by_function and by_stem:
        # On a tie the longer word wins ("大数据" over "数据"); the same word is a function first.
        tie_to_stem = by_stem[2] > by_function[2]
        # a coarse function ("技术经理": 工程技术人员) yields to a leaf under it ("java": 软件工程技术)
        same_word = by_stem[1:] == by_function[1:]
        if same_word and occupations()[by_function[0]].level < 4:   # "java技术经理": look left of 技术
            left = _stems_at(Parts(parts.head, parts.domain[: by_function[1] - by_function[2]], parts.rest, parts.start))
            if left and _under(left[0], by_function[0]):
                by_stem, same_word = left, False
        finer = not same_word and occupations()[by_function[0]].level < 4 and _under(by_stem[0], by_function[0])
        if by_stem[1] > by_function[1] or (by_stem[1] == by_function[1] and tie_to_stem) or finer:
            return by_stem[0], "stems"
        return _refined(by_function[0], parts), "function"
    if by_function:
        return _refined(by_function[0], parts), "function"
    if by_stem:
        return by_stem[0], "stems"
    if parts.head is not None and parts.head.role in FUNCTION_COLUMN and parts.domain:
        inner = parse([parts.domain.replace(" ", "")], [])   # "包装专员" handles 包装: a 包装工
        if inner.head is not None and inner.head.code and inner.head.role not in FUNCTION_COLUMN:
            return inner.head.code, "inner"
    code = convention(parts)   # what the asides say: "销售代表（二手房）"
    if code:
        return _refined(code, parts), "convention"
    if parts.head is not None and parts.head.code and occupations()[parts.head.code].level == 4 \
            and (not parts.domain or parts.head.role in _LEAF_HEAD_ROLES):
        return parts.head.code, "head"   # "营业员" is a 商品营业员, "汽车销售" a 营销员, whatever looks alike
    return None


def fallback(parts: Parts) -> tuple[str, str] | None:
    """(code, how) from the definitions of the head's scope, else the head alone."""
    if parts.head is None:
        return None
    code = definition(parts.domain, parts.head.scope)
    if code:
        return code, "definition"
    if not parts.head.scope and not parts.head.code and parts.domain:
        code = definition(parts.domain, ("",))   # a generic head: the whole 大典 is the scope, …
        if code:
            return code_at_level(code, min(2, occupations()[code].level)), "definition"   # … so only its 中类 is said
    if parts.head.word in _NEEDS_DOMAIN and not parts.domain:
        return None
    if parts.head.code:
        return parts.head.code, "head"
    return None
