"""ROS pagination: ``PageNumber`` (from 1, default 1) and ``PageSize`` (1-50, default 10) with ``TotalCount``.

Pages are cut from the engine's stored order (a ``SequencedList``) by index, so an unfiltered page
costs O(page) however many items exist; a filtered listing has to count its matches, O(n).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..engine.pagination import Sequenced, SequencedList
from .wire import Params

T = TypeVar("T", bound=Sequenced)

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int

    @classmethod
    def from_params(cls, params: Params) -> PageRequest:
        number = params.integer("PageNumber", minimum=1, default=1)
        size = params.integer("PageSize", minimum=1, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE)
        assert number is not None and size is not None
        return cls(number, size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class RosPage(Generic[T]):
    items: list[T]
    total: int
    request: PageRequest

    def envelope(self, key: str, rendered: list[dict[str, object]]) -> dict[str, object]:
        return {
            "PageNumber": self.request.number,
            "PageSize": self.request.size,
            "TotalCount": self.total,
            key: rendered,
        }


def page(
    source: SequencedList[T],
    request: PageRequest,
    *,
    newest_first: bool = False,
    predicate: Callable[[T], bool] | None = None,
) -> RosPage[T]:
    """The requested page of ``source`` (optionally only the items matching ``predicate``)."""
    total = len(source)
    if predicate is None:
        if newest_first:
            stop = max(total - request.offset, 0)
            start = max(stop - request.size, 0)
            indices: Iterator[int] = iter(range(stop - 1, start - 1, -1))
        else:
            indices = iter(range(min(request.offset, total), min(request.offset + request.size, total)))
        return RosPage([source[index] for index in indices], total, request)
    items: list[T] = []
    matched = 0
    for item in source.walk(None, newest_first):
        if not predicate(item):
            continue
        if request.offset <= matched < request.offset + request.size:
            items.append(item)
        matched += 1
    return RosPage(items, matched, request)
