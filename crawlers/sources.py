"""Sources as configuration: one YAML file per site, loaded into a ``Source`` and validated.

A source names what to crawl (start URLs or sitemaps), how the site is built (its ``shape``), where
each raw field sits (JMESPath for JSON, CSS or XPath for HTML and feeds), how to page, and how
politely to go. ``validate`` reports every problem with its file, line and the fix; ``load_source``
raises ``SourceInvalid`` carrying them. Pure: reads the file, nothing else.

Field expressions take four forms (see README "Configure a source")::

    title: jobName                                  # one expression
    location_text: [cityName, areaDistrict]         # several, non-empty values joined by a space
    source_id: {first: [guid, link]}                # the first non-empty value
    url: {template: "https://x.cn/job/{encryptJobId}.html"}   # expressions inside braces
"""
from __future__ import annotations

import codecs
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import secrets

KINDS = ("postings", "seekers")
SHAPES = ("jsonld", "json_api", "embedded_json", "html", "feed")
PAGINATION_TYPES = ("none", "page", "offset", "cursor", "next_link")
JSON_SHAPES = ("json_api", "embedded_json")
# The raw fields a spider may fill, per kind (crawlers/pipelines.py RAW_COLUMNS without provenance).
RAW_FIELDS = {
    "postings": ("source_id", "url", "title", "company", "salary_text", "location_text", "industry_text",
                 "education_text", "experience_text", "employment_type", "headcount_text", "description",
                 "posted_text", "valid_through_text"),
    "seekers": ("source_id", "url", "desired_title", "location_text", "expected_salary_text", "education_text",
                "experience_text", "active_from_text", "active_to_text"),
}
TITLE_FIELD = {"postings": "title", "seekers": "desired_title"}
REPOSITORY_SOURCES = Path(__file__).resolve().parent.parent / "sources"

TOP_KEYS = ("name", "kind", "shape", "city", "start_urls", "sitemaps", "allowed_domains", "follow", "records",
            "fields", "detail", "embedded", "pagination", "request", "politeness", "schedule", "encoding",
            "description", "allow_private_addresses")
PAGINATION_KEYS = ("type", "param", "start", "step", "in", "max_pages", "total", "has_more", "cursor", "next")
REQUEST_KEYS = ("method", "params", "body", "body_format", "headers")
POLITENESS_KEYS = ("download_delay", "concurrency", "user_agent")
DETAIL_KEYS = ("link", "fields")
FIELD_FORMS = ("first", "paths", "join", "template")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A source file is a page of YAML: these bounds refuse a hostile one ("billion laughs" aliases,
# nesting thousands deep, a huge file) quickly and with a clear message.
MAX_SOURCE_BYTES = 1 << 20
MAX_YAML_VALUES = 10_000    # values once aliases are expanded
MAX_YAML_DEPTH = 32
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Field:
    """Where one raw field sits: ``paths`` are expressions in the shape's language.

    ``mode`` is ``join`` (non-empty values joined by ``sep``), ``first`` (first non-empty value) or
    ``template`` (``paths[0]`` is a text whose ``{expression}`` parts are filled in)."""
    paths: tuple[str, ...]
    mode: str = "join"
    sep: str = " "


@dataclass(frozen=True)
class Pagination:
    type: str = "none"
    param: str | None = None
    start: int | None = None
    step: int | None = None
    location: str | None = None     # "query" or "body"; default: body for POST, query for GET
    max_pages: int = 100
    total: str | None = None
    has_more: str | None = None
    cursor: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class RequestTemplate:
    method: str = "GET"
    params: dict = field(default_factory=dict)
    body: dict | None = None
    body_format: str = "json"
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Politeness:
    download_delay: float | None = None
    concurrency: int | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Detail:
    link: Field
    fields: dict[str, Field]


@dataclass(frozen=True)
class Source:
    """One source file, validated."""
    name: str
    kind: str
    shape: str
    path: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    follow: tuple[str, ...] = ()
    records: str | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    detail: Detail | None = None
    embedded: str | None = None
    pagination: Pagination = Pagination()
    request: RequestTemplate = RequestTemplate()
    politeness: Politeness = Politeness()
    schedule: str | None = None
    city: str | None = None
    encoding: str | None = None
    description: str | None = None
    allow_private_addresses: bool = False   # pages may lead to private/loopback/link-local hosts

    @property
    def title_field(self) -> str:
        return TITLE_FIELD[self.kind]


class SourceInvalid(ValueError):
    """A source file with problems; ``errors`` holds one line per problem (file, line, fix)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# ---------------------------------------------------------------- finding source files

def sources_dirs() -> list[Path]:
    """Folders searched for a source given by name: $JOBMON_SOURCES, ./sources, the repository's."""
    dirs = [Path(p) for p in os.environ.get("JOBMON_SOURCES", "").split(os.pathsep) if p]
    dirs += [Path("sources"), REPOSITORY_SOURCES]
    unique = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def source_files() -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file in the source folders, sub-folders included."""
    found = []
    for folder in sources_dirs():
        found += sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return found


def find_source(ref: str | os.PathLike) -> Path:
    """A source file by path, or by name: a file ``NAME.yaml`` in the source folders, or the file whose
    ``name:`` is NAME. Raises FileNotFoundError naming where it looked."""
    path = Path(ref)
    if path.is_file():
        return path
    name = str(ref)
    files = source_files()
    for candidate in files:
        if candidate.stem == name:
            return candidate
    for candidate in files:
        try:
            data = load_yaml(candidate.read_text(encoding="utf-8"))[1]
        except (OSError, UnicodeDecodeError, yaml.YAMLError, YamlTooLarge):
            continue
        if isinstance(data, dict) and data.get("name") == name:
            return candidate
    where = ", ".join(str(d) for d in sources_dirs()) or "no sources folder"
    raise FileNotFoundError(f"no source file or source named {name!r} (looked in {where}); "
                            f"`jobmon sources list` shows the known ones")


# ---------------------------------------------------------------- loading and validation

def load_source(ref: str | os.PathLike) -> Source:
    """Load and validate a source (a path or a name); raise SourceInvalid listing every problem."""
    path = find_source(ref)
    source, errors = _read(path)
    if errors:
        raise SourceInvalid(errors)
    return source


def validate(ref: str | os.PathLike) -> list[str]:
    """Every problem of a source file, one line each: ``FILE line N: what is wrong; the fix``."""
    try:
        path = find_source(ref)
    except FileNotFoundError as error:
        return [str(error)]
    return _read(path)[1]


class YamlTooLarge(ValueError):
    """YAML that expands to too many values or nests too deep; the message says which."""


def load_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """(node tree, data) of one YAML document, read with the safe loader and bounded: aliases may
    not expand to more than ``MAX_YAML_VALUES`` values, nor may anything nest deeper than
    ``MAX_YAML_DEPTH`` (raise YamlTooLarge; yaml.YAMLError for a syntax error)."""
    if _flow_depth(text) > MAX_YAML_DEPTH:  # PyYAML takes quadratic time over deep [[[...]]]
        raise YamlTooLarge(f"nested more than {MAX_YAML_DEPTH} deep")
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlTooLarge(f"nested more than {MAX_YAML_DEPTH} deep") from None
        if node is None:
            return None, None
        _check_size(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


_FLOW_CHARS = re.compile(r"""[\[\]{}'"#\n]""")


def _flow_depth(text: str) -> int:
    """How deep ``[`` and ``{`` nest in YAML text, quoted text and comments left out (roughly: a
    quote inside a plain scalar counts as one; enough to refuse 5,000 brackets before parsing)."""
    depth = deepest = 0
    quote = None
    comment = False
    for match in _FLOW_CHARS.finditer(text):
        char = match.group()
        if comment:
            comment = char != "\n"
        elif quote:
            quote = None if char == quote else quote
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char in "'\"":
            quote = char
        elif char == "#":
            comment = True
    return deepest


def _check_size(root: yaml.Node) -> None:
    """Raise YamlTooLarge when the tree under ``root``, aliases expanded, holds more than
    ``MAX_YAML_VALUES`` values or nests deeper than ``MAX_YAML_DEPTH``. Each node is sized once
    (an alias reuses its anchor's size), so a "billion laughs" file is refused in microseconds."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_YAML_DEPTH:
            raise YamlTooLarge(f"line {node.start_mark.line + 1}: nested more than {MAX_YAML_DEPTH} deep; "
                               "a source file needs a few levels")
        if id(node) in open_nodes:
            raise YamlTooLarge(f"line {node.start_mark.line + 1}: an alias refers to a value that contains it")
        open_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_YAML_VALUES:
                raise YamlTooLarge(f"holds more than {MAX_YAML_VALUES:,} values once its aliases (*name) are "
                                   "expanded (a \"billion laughs\" file?); write the values out")
        open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root, 1)


def _read(path: Path) -> tuple[Source | None, list[str]]:
    display = _display(path)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return None, [f"{display}: {path.stat().st_size:,} bytes is not a source file (at most "
                          f"{MAX_SOURCE_BYTES:,}); a source file describes one site in a page of YAML"]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [f"{display}: cannot read: {error}; save it as UTF-8 text"]
    try:
        node, data = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        return None, [f"{display}{where}: YAML syntax error: {problem}; check indentation, colons and quotes"]
    except YamlTooLarge as error:
        return None, [f"{display}: refused: {error}"]
    checker = _Checker(display, _line_map(node))
    for line, key in _duplicate_keys(node):
        checker.errors.append((line, f"{display} line {line}: duplicate key '{key}' (YAML keeps only the last); "
                                     f"remove one of them"))
    source = checker.source(data, str(path))
    errors = [message for _, message in sorted(checker.errors, key=lambda e: e[0])]
    return (None if errors else source), errors


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _line_map(node, path: tuple = (), lines: dict | None = None) -> dict:
    """(key, index, ...) path → 1-based line of every mapping key, sequence item and value."""
    lines = {} if lines is None else lines
    if node is None:
        return lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            lines[child] = key.start_mark.line + 1
            _line_map(value, child, lines)
            lines[child + ("=",)] = value.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), lines)
    return lines


def _duplicate_keys(node) -> list[tuple[int, str]]:
    """(line, key) of every mapping key written twice in the same mapping."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                found.append((key.start_mark.line + 1, key.value))
            seen.add(key.value)
            found += _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found


class _Checker:
    """Builds a Source from loaded YAML, collecting errors with their line numbers."""

    def __init__(self, display: str, lines: dict):
        self.display, self.lines, self.errors = display, lines, []

    def error(self, path: tuple, message: str, *, value: bool = False) -> None:
        lookup = path + ("=",) if value else path
        while lookup and lookup not in self.lines:
            lookup = lookup[:-1]
        line = self.lines.get(lookup)
        self.errors.append((line or 0, f"{self.display}{f' line {line}' if line else ''}: {message}"))

    def keys(self, data: dict, allowed: tuple, path: tuple) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.error(path + (key,), f"unknown key '{key}'; {hint}keys here: {', '.join(allowed)}")

    def choice(self, value, choices: tuple, path: tuple, what: str):
        if value not in choices:
            self.error(path, f"unknown {what} {value!r}; use one of: {', '.join(choices)}", value=True)
            return None
        return value

    def mapping(self, value, path: tuple, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(path, f"{what} must be a mapping (key: value lines indented under it)", value=True)
            return {}
        return value

    def strings(self, value, path: tuple, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(path, f"{what} must be a text or a list of texts", value=True)
            return ()
        return tuple(v.strip() for v in value)

    def number(self, value, path: tuple, what: str, *, integer: bool, minimum: float):
        if value is None:
            return None
        ok = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or value < minimum:
            kind = "a whole number" if integer else "a number"
            self.error(path, f"{what} must be {kind} ≥ {minimum}, not {value!r}", value=True)
            return None
        return value

    # -- sections

    def source(self, data, path: str) -> Source | None:
        if not isinstance(data, dict):
            self.error((), "a source file must be a mapping with at least name, kind, shape and start_urls; "
                           "see sources/examples/")
            return None
        self.keys(data, TOP_KEYS, ())
        for required in ("name", "kind", "shape"):
            if required not in data:
                self.error((), f"missing '{required}'; add a line '{required}: ...' at the top level")
        name = data.get("name")
        if name is not None and (not isinstance(name, str) or not _NAME.match(name)):
            self.error(("name",), f"name {name!r} must be letters, digits, '.', '_' or '-' (it is stored with "
                                  f"every record)", value=True)
        for key in ("start_urls", "sitemaps", "request"):
            if key in data:
                data[key] = self.expand(data[key], (key,))
        kind = self.choice(data.get("kind"), KINDS, ("kind",), "kind") if "kind" in data else None
        shape = self.choice(data.get("shape"), SHAPES, ("shape",), "shape") if "shape" in data else None
        start_urls = self.urls(data.get("start_urls"), ("start_urls",), "start_urls")
        sitemaps = self.urls(data.get("sitemaps"), ("sitemaps",), "sitemaps")
        if not start_urls and not sitemaps:
            self.error((), "no start_urls and no sitemaps; add 'start_urls:' with at least one https:// URL")
        if sitemaps and shape not in (None, "jsonld"):
            self.error(("sitemaps",), "sitemaps are read by shape jsonld only; use start_urls for this shape")
        allowed = self.strings(data.get("allowed_domains"), ("allowed_domains",), "allowed_domains")
        hosts = tuple(dict.fromkeys(urlsplit(u).hostname for u in start_urls + sitemaps if urlsplit(u).hostname))
        for host in hosts:
            if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
                self.error(("allowed_domains",), f"start host {host} is outside allowed_domains; add {host}")
        follow = self.strings(data.get("follow"), ("follow",), "follow")
        for index, pattern in enumerate(follow):
            try:
                re.compile(pattern)
            except re.error as error:
                self.error(("follow", index), f"follow pattern {pattern!r} is not a regular expression: {error}")
        language = _language(shape)
        records = data.get("records")
        if records is not None and not isinstance(records, str):
            self.error(("records",), "records must be one expression (text)", value=True)
            records = None
        if records is None and shape in ("json_api", "embedded_json", "html"):
            example = "data.list" if shape in JSON_SHAPES else "li.job-card"
            self.error((), f"shape {shape} needs 'records': the expression selecting each record, e.g. "
                           f"records: {example}")
        elif records is not None:
            self.expression(records, language, ("records",))
        fields = self.fields(data.get("fields"), ("fields",), kind, language)
        if kind == "seekers" and shape == "jsonld":
            self.error(("shape",), "shape jsonld reads schema.org JobPosting, which are postings; use kind: postings, "
                                   "or shape html / json_api for job seekers", value=True)
        needs_title = shape not in (None, "jsonld", "feed") or (shape == "feed" and kind == "seekers")
        if kind and needs_title and TITLE_FIELD[kind] not in fields:
            detail_fields = (data.get("detail") or {}).get("fields") if isinstance(data.get("detail"), dict) else None
            if not (isinstance(detail_fields, dict) and TITLE_FIELD[kind] in detail_fields):
                self.error(("fields",), f"no '{TITLE_FIELD[kind]}' field; a {kind} record needs one: add "
                                        f"'{TITLE_FIELD[kind]}: <expression>' under fields")
        detail = self.detail(data.get("detail"), kind, shape, language)
        embedded = data.get("embedded")
        if embedded is not None and (shape != "embedded_json" or not isinstance(embedded, str)):
            self.error(("embedded",), "embedded is a text (a variable such as window.__INITIAL_STATE__, or a "
                                      "script selector such as script#__NEXT_DATA__) for shape embedded_json only")
            embedded = None
        pagination = self.pagination(data.get("pagination"), shape)
        request = self.request(data.get("request"))
        politeness = self.politeness(data.get("politeness"))
        schedule = self.schedule(data.get("schedule"))
        encoding = data.get("encoding")
        if encoding is not None:
            try:
                codecs.lookup(str(encoding))
            except LookupError:
                self.error(("encoding",), f"unknown encoding {encoding!r}; use e.g. gb18030, gbk, big5, utf-8",
                           value=True)
                encoding = None
        city = data.get("city")
        if city is not None and not isinstance(city, str):
            self.error(("city",), "city must be a text such as 北京市", value=True)
        allow_private = data.get("allow_private_addresses", False)
        if not isinstance(allow_private, bool):
            self.error(("allow_private_addresses",), "allow_private_addresses is true or false", value=True)
        if self.errors:
            return None
        return Source(name=name, kind=kind, shape=shape, path=path, start_urls=start_urls, sitemaps=sitemaps,
                      allowed_domains=allowed or hosts, follow=follow, records=records, fields=fields,
                      detail=detail, embedded=embedded, pagination=pagination, request=request,
                      politeness=politeness, schedule=schedule, city=city, encoding=encoding,
                      description=data.get("description"), allow_private_addresses=allow_private is True)

    def urls(self, value, path: tuple, what: str) -> tuple[str, ...]:
        urls = self.strings(value, path, what)
        for index, url in enumerate(urls):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.error(path + (index,), f"{what}: {url!r} is not an absolute http(s) URL; write it as "
                                            f"https://host/path", value=True)
        return urls

    def expand(self, value, path: tuple):
        """``value`` with every ``${NAME}`` in its texts read from the environment (crawlers/secrets.py)."""
        if isinstance(value, dict):
            return {k: self.expand(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.expand(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            try:
                return secrets.expand(value)
            except secrets.MissingSecret as missing:
                self.error(path, f"${{{missing.args[0]}}} is not set in the environment; export {missing.args[0]}=... "
                                 f"before crawling (secrets stay out of source files)", value=True)
        return value

    def expression(self, expression: str, language: str | None, path: tuple) -> None:
        problem = _expression_problem(expression, language)
        if problem:
            self.error(path, problem, value=True)

    def field(self, spec, path: tuple, language: str | None) -> Field | None:
        if isinstance(spec, str):
            built = Field((spec,))
        elif isinstance(spec, list) and spec and all(isinstance(s, str) for s in spec):
            built = Field(tuple(spec))
        elif isinstance(spec, dict):
            self.keys(spec, FIELD_FORMS, path)
            if "template" in spec and isinstance(spec["template"], str):
                template = spec["template"]
                if not PLACEHOLDER.search(template):
                    self.error(path, "a template needs at least one {expression}", value=True)
                for expression in PLACEHOLDER.findall(template):
                    self.expression(expression, language, path)
                return Field((template,), mode="template")
            paths = spec.get("first", spec.get("paths"))
            if isinstance(paths, str):
                paths = [paths]
            if not (isinstance(paths, list) and paths and all(isinstance(s, str) for s in paths)):
                self.error(path, "write a field as an expression, a list of expressions, {first: [...]}, "
                                 "{paths: [...], join: ' '} or {template: '...{expression}...'}", value=True)
                return None
            mode = "first" if "first" in spec else "join"
            built = Field(tuple(paths), mode=mode, sep=str(spec.get("join", " ")))
        else:
            self.error(path, "write a field as an expression, a list of expressions, {first: [...]}, "
                             "{paths: [...], join: ' '} or {template: '...{expression}...'}", value=True)
            return None
        for expression in built.paths:
            self.expression(expression, language, path)
        return built

    def fields(self, value, path: tuple, kind: str | None, language: str | None) -> dict[str, Field]:
        fields = {}
        for name, spec in self.mapping(value, path, "fields").items():
            if kind and name not in RAW_FIELDS[kind]:
                close = difflib.get_close_matches(str(name), RAW_FIELDS[kind], n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.error(path + (name,), f"unknown field '{name}' for kind {kind}; {hint}fields: "
                                           f"{', '.join(RAW_FIELDS[kind])}")
                continue
            built = self.field(spec, path + (name,), language)
            if built:
                fields[name] = built
        return fields

    def detail(self, value, kind, shape, language) -> Detail | None:
        if value is None:
            return None
        data = self.mapping(value, ("detail",), "detail")
        if not data:
            return None
        if shape == "jsonld":
            self.error(("detail",), "shape jsonld reads every page it reaches; drop 'detail' and use 'follow'")
            return None
        self.keys(data, DETAIL_KEYS, ("detail",))
        if "link" not in data:
            self.error(("detail",), "detail needs 'link': the expression giving each record's detail page URL")
            return None
        link = self.field(data["link"], ("detail", "link"), language)
        # Detail pages are HTML: their fields are CSS or XPath whatever the listing's shape.
        fields = self.fields(data.get("fields"), ("detail", "fields"), kind, "selector")
        return Detail(link, fields) if link else None

    def pagination(self, value, shape) -> Pagination:
        data = self.mapping(value, ("pagination",), "pagination")
        if not data:
            return Pagination()
        self.keys(data, PAGINATION_KEYS, ("pagination",))
        kind = self.choice(data.get("type", "none"), PAGINATION_TYPES, ("pagination", "type"), "pagination type")
        p = ("pagination",)
        if kind in ("page", "offset", "cursor") and not isinstance(data.get("param"), str):
            self.error(p, f"pagination type {kind} needs 'param': the query or body parameter that carries the "
                          f"{'page number' if kind == 'page' else kind}")
        if kind == "cursor" and not isinstance(data.get("cursor"), str):
            self.error(p, "pagination type cursor needs 'cursor': the expression giving the next cursor, "
                          "e.g. data.nextCursor")
        if kind == "next_link" and not isinstance(data.get("next"), str):
            self.error(p, "pagination type next_link needs 'next': the expression giving the next page's URL")
        location = data.get("in")
        if location is not None:
            self.choice(location, ("query", "body"), p + ("in",), "parameter location")
        language = _language(shape)
        for key in ("total", "has_more", "cursor", "next"):
            if isinstance(data.get(key), str):
                self.expression(data[key], language, p + (key,))
        default_start = 0 if kind == "offset" else 1
        return Pagination(
            type=kind or "none", param=data.get("param"),
            start=self.number(data.get("start", default_start), p + ("start",), "start", integer=True, minimum=0),
            step=self.number(data.get("step"), p + ("step",), "step", integer=True, minimum=1),
            location=location, max_pages=self.number(data.get("max_pages", 100), p + ("max_pages",), "max_pages",
                                                     integer=True, minimum=1) or 100,
            total=data.get("total"), has_more=data.get("has_more"), cursor=data.get("cursor"), next=data.get("next"))

    def request(self, value) -> RequestTemplate:
        data = self.mapping(value, ("request",), "request")
        if not data:
            return RequestTemplate()
        self.keys(data, REQUEST_KEYS, ("request",))
        method = str(data.get("method", "GET")).upper()
        self.choice(method, ("GET", "POST"), ("request", "method"), "method")
        body_format = self.choice(data.get("body_format", "json"), ("json", "form"), ("request", "body_format"),
                                  "body_format")
        body = data.get("body")
        if body is not None and method != "POST":
            self.error(("request", "body"), "a body is sent with POST only; add 'method: POST'")
        return RequestTemplate(method=method, params=self.mapping(data.get("params"), ("request", "params"), "params"),
                               body=self.mapping(body, ("request", "body"), "body") if body is not None else None,
                               body_format=body_format or "json",
                               headers={str(k): str(v) for k, v in
                                        self.mapping(data.get("headers"), ("request", "headers"), "headers").items()})

    def politeness(self, value) -> Politeness:
        data = self.mapping(value, ("politeness",), "politeness")
        if not data:
            return Politeness()
        self.keys(data, POLITENESS_KEYS, ("politeness",))
        agent = data.get("user_agent")
        if agent is not None and not isinstance(agent, str):
            self.error(("politeness", "user_agent"), "user_agent must be a text", value=True)
        concurrency = self.number(data.get("concurrency"), ("politeness", "concurrency"), "concurrency",
                                  integer=True, minimum=1)
        if concurrency and concurrency > 8:
            self.error(("politeness", "concurrency"), f"concurrency {concurrency} is impolite; use at most 8 "
                                                      f"(2 is the default)", value=True)
        return Politeness(download_delay=self.number(data.get("download_delay"), ("politeness", "download_delay"),
                                                     "download_delay", integer=False, minimum=0),
                          concurrency=concurrency, user_agent=agent)

    def schedule(self, value) -> str | None:
        if value is None:
            return None
        problem = cron_problem(value)
        if problem:
            self.error(("schedule",), problem, value=True)
            return None
        return value


def cron_problem(value) -> str | None:
    """Why ``value`` is not a 5-field cron string (minute hour day month weekday), or None."""
    from apscheduler.triggers.cron import CronTrigger

    if not isinstance(value, str) or len(value.split()) != 5:
        return (f"schedule {value!r} is not a cron string; write 5 fields: minute hour day month weekday, "
                f"e.g. '0 6 * * *' for 06:00 every day")
    try:
        CronTrigger.from_crontab(value, timezone="Asia/Shanghai")
    except ValueError as error:
        return f"schedule {value!r}: {error}; e.g. '0 6 * * *' for 06:00 every day"
    return None


def _language(shape: str | None) -> str | None:
    if shape in JSON_SHAPES:
        return "jmespath"
    if shape in ("html", "jsonld"):
        return "selector"
    if shape == "feed":
        return "xpath"
    return None


def is_xpath(expression: str) -> bool:
    """Selectors starting with '/', './' or '(' are XPath; anything else is CSS."""
    return expression.startswith(("/", "./", "(", "xpath:"))


def _expression_problem(expression: str, language: str | None) -> str | None:
    if not expression.strip():
        return "an empty expression; write the path to the value"
    try:
        if language == "jmespath":
            import jmespath

            jmespath.compile(expression)
        elif language == "selector" and not is_xpath(expression):
            from parsel import Selector

            Selector(text="<html></html>").css(expression)
        elif language in ("selector", "xpath"):
            from lxml import etree

            etree.XPath(expression.removeprefix("xpath:"))
    except Exception as error:  # each library raises its own parse error type
        names = {"jmespath": "JMESPath", "xpath": "XPath"}
        what = names.get(language) or ("XPath" if is_xpath(expression) else "CSS selector")
        return f"{expression!r} is not a valid {what}: {str(error).splitlines()[0]}"
    return None
