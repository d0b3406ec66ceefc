"""Which of a file's columns is which standard column: the ``--map standard=theirs`` option.

A file's header equal to a standard column name (case and surrounding spaces ignored) is that
column; ``--map title=职位名称`` names another header for it; ``--map location_text=地区+地址``
joins several headers' values, in that order, with a space (a board that writes the city in one
column and the street address with the district in another); every other header is an extra
column, kept as raw JSON.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable


class MappingError(ValueError):
    """A ``--map`` value that cannot be used, with the fix in its message."""


def parse_mapping(values: Iterable[str], standard: Collection[str]) -> dict[str, str]:
    """``["title=职位名称,company=公司名称", "url=链接"]`` → ``{"title": "职位名称", ...}``."""
    mapping: dict[str, str] = {}
    for value in values:
        for pair in value.replace("，", ",").split(","):  # a full-width comma typed with Chinese headers
            if not pair.strip():
                continue
            name, sep, theirs = pair.partition("=")
            name, theirs = name.strip().lower(), theirs.strip()
            if not sep or not theirs:
                raise MappingError(f"--map takes standard=theirs pairs, e.g. title=职位名称; got {pair.strip()!r}")
            if name not in standard:
                raise MappingError(f"{name!r} is not a standard column; the standard columns are: "
                                   + ", ".join(standard))
            if name in mapping and mapping[name] != theirs:
                raise MappingError(f"--map names two headers for {name!r}: {mapping[name]!r} and {theirs!r}")
            mapping[name] = theirs
    return mapping


class ColumnMap:
    """Splits a row's fields into standard columns and extras (header lookups cached per header)."""

    def __init__(self, standard: Collection[str], mapping: dict[str, str], headers: Collection[str] | None = None):
        """``headers``: the file's headers when known (a header whose name holds "+" is then one
        header, not a join)."""
        self.standard = tuple(standard)
        self.mapping = mapping
        known = set(headers or ())
        # standard column → the headers joined into it, for a mapping "a+b" that is not one header
        self.joined = {name: [h.strip() for h in theirs.split("+") if h.strip()] for name, theirs in mapping.items()
                       if "+" in theirs and theirs not in known}
        self._theirs = {theirs: name for name, theirs in mapping.items() if name not in self.joined}
        self._theirs.update({part: name for name, parts in self.joined.items() for part in parts})
        self._cache: dict[str, str | None] = {}

    def standard_name(self, header: str) -> str | None:
        """The standard column a header stands for, or None for an extra column."""
        if header not in self._cache:
            name = self._theirs.get(header)
            if name is None:
                lowered = header.strip().lower()
                # a header named like a standard column that --map gave to another header is an extra
                name = lowered if lowered in self.standard and lowered not in self.mapping else None
            self._cache[header] = name
        return self._cache[header]

    def missing_headers(self, headers: Collection[str]) -> list[str]:
        """Headers named in --map that the file does not have."""
        named = [h for name, theirs in self.mapping.items() for h in self.joined.get(name, [theirs])]
        return [h for h in named if h not in headers]

    def has(self, headers: Collection[str], name: str) -> bool:
        return any(self.standard_name(h) == name for h in headers)

    def split(self, fields: dict) -> tuple[dict[str, object], dict[str, object]]:
        """(standard column → value, extra header → value); text is stripped, empty values left out."""
        standard, extra, names = {}, {}, self._cache
        parts: dict[str, object] = {}
        for header, value in fields.items():
            if value is None:
                continue
            if value.__class__ is str:
                value = value.strip()
                if not value:
                    continue
            name = names[header] if header in names else self.standard_name(header)
            if name is None:
                extra[header] = value
            elif name in self.joined:
                parts[header] = value
            else:
                standard[name] = value
        if parts:
            for name, headers in self.joined.items():
                values = [str(parts[h]) for h in headers if h in parts]
                if values:
                    standard[name] = " ".join(values)
        return standard, extra
