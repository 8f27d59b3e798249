"""RFS's filter grammar (ListStackSetOperations, ListStackInstances, ListStackSets).

``,`` is AND, ``|`` is OR and binds tighter; the only comparison is ``==``; no parentheses; a ``;``
anywhere makes the filter invalid; names and values are letters, digits and ``_``; one field per AND
clause, and every OR term of a clause names that field. At most 512 characters; empty means no filter.

Wording choices (the docs do not say): the short OR form ``status==A|B`` is rejected (only the documented
``status==A|status==B`` is accepted); an unknown enum value is a 400, not an empty result; region values
may contain ``-`` (``cn-north-4``), since RFS region ids do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import (
    DUPLICATE_FIELDS,
    INVALID_FILTER,
    INVALID_FILTER_VALUE,
    TOO_LONG,
    UNKNOWN_FILTER_FIELD,
    RfsError,
)

MAX_LENGTH = 512
_NAME = re.compile(r"[A-Za-z0-9_]+")
WORD = re.compile(r"[A-Za-z0-9_]+")
REGION_WORD = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class FilterField:
    name: str
    pattern: re.Pattern[str] = WORD
    allowed: frozenset[str] | None = None


@dataclass(frozen=True)
class Filter:
    """AND of clauses; each clause is one field and the values any of which it may have."""

    clauses: tuple[tuple[str, frozenset[str]], ...] = ()

    def matches(self, value_of: Callable[[str], str | None]) -> bool:
        return all(value_of(name) in values for name, values in self.clauses)

    def canonical(self) -> list[list[str]]:
        """A stable form for page-token bindings."""
        return sorted([name, *sorted(values)] for name, values in self.clauses)


def parse(text: str | None, fields: Mapping[str, FilterField]) -> Filter:
    if text is None or text == "":
        return Filter()
    if len(text) > MAX_LENGTH:
        raise RfsError(TOO_LONG, f"filter is longer than {MAX_LENGTH} characters.")
    if ";" in text:
        raise RfsError(INVALID_FILTER, "filter must not contain ';'.")
    if "(" in text or ")" in text:
        raise RfsError(INVALID_FILTER, "filter does not support parentheses.")
    clauses: list[tuple[str, frozenset[str]]] = []
    seen: set[str] = set()
    for clause in text.split(","):
        name, values = _clause(clause, fields)
        if name in seen:
            raise RfsError(DUPLICATE_FIELDS, f"filter field {name} appears in more than one AND condition.")
        seen.add(name)
        clauses.append((name, values))
    return Filter(tuple(clauses))


def _clause(clause: str, fields: Mapping[str, FilterField]) -> tuple[str, frozenset[str]]:
    names: set[str] = set()
    values: set[str] = set()
    for term in clause.split("|"):
        name, value = _term(term)
        field = fields.get(name)
        if field is None:
            raise RfsError(UNKNOWN_FILTER_FIELD, f"filter field {name} is not supported; use {', '.join(fields)}.")
        if not field.pattern.fullmatch(value):
            raise RfsError(INVALID_FILTER_VALUE, f"filter value {value!r} of {name} has invalid characters.")
        if field.allowed is not None and value not in field.allowed:
            raise RfsError(
                INVALID_FILTER_VALUE, f"{value} is not a valid {name}; valid: {', '.join(sorted(field.allowed))}."
            )
        names.add(name)
        values.add(value)
    if len(names) != 1:
        raise RfsError(INVALID_FILTER, f"the OR terms of {clause!r} must all name the same field.")
    return names.pop(), frozenset(values)


def _term(term: str) -> tuple[str, str]:
    parts = term.split("==")
    if len(parts) != 2 or any("=" in part for part in parts):
        raise RfsError(INVALID_FILTER, f"filter term {term!r} is not of the form name==value.")
    name, value = parts
    if not _NAME.fullmatch(name):
        raise RfsError(INVALID_FILTER, f"filter term {term!r} has an invalid field name.")
    if value == "":
        raise RfsError(INVALID_FILTER_VALUE, f"filter term {term!r} has no value.")
    return name, value
