"""The list calls' shared grammar: ``sort_key``/``sort_dir``, ``marker``/``limit``, ``page_info``.

Pages come from the engine's one pagination mechanism (``.engine.pagination.paginate``): the
marker is the engine's opaque token, bound to the listing, its parent, the filter and the direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..engine.requests import ListQuery
from .errors import INVALID_VALUE, RfsError
from .filters import Filter
from .params import Query, check_length, enum

T = TypeVar("T")

LIST_PARAMETERS = ("filter", "sort_key", "sort_dir", "call_identity", "marker", "limit")
MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT = 10, 1000, 1000


@dataclass(frozen=True)
class ListArgs:
    newest_first: bool
    marker: str | None
    limit: int


def list_args(query: Query) -> ListArgs:
    keys = query.many("sort_key")
    dirs = query.many("sort_dir")
    for key in keys:
        enum("sort_key", key, ("create_time",))
    for direction in dirs:
        enum("sort_dir", direction, ("asc", "desc"))
    if len(keys) != len(dirs):
        raise RfsError(INVALID_VALUE, "sort_key and sort_dir must be given the same number of times.")
    marker = query.single("marker")
    if marker is not None:
        check_length("marker", marker, 1, 512)
    limit = query.integer("limit", MIN_LIMIT, MAX_LIMIT)
    return ListArgs(
        newest_first=dirs[0] == "desc" if dirs else True,
        marker=marker,
        limit=DEFAULT_LIMIT if limit is None else limit,
    )


def query(args: ListArgs, filters: Filter, predicate: Callable[[T], bool]) -> ListQuery[T]:
    """The engine query of a list call: its marker is the engine's token, bound to the filter."""
    return ListQuery(
        token=args.marker,
        limit=args.limit,
        newest_first=args.newest_first,
        predicate=predicate,
        bound={"filter": filters.canonical()},
    )
