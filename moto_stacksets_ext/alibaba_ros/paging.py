"""ROS pagination: ``PageNumber`` (from 1, default 1) and ``PageSize`` (1-50, default 10) with ``TotalCount``.

Pages are cut by the engine (``ListQuery`` with a page number): an unfiltered page costs O(page) however
many items exist; a filtered listing has to count its matches, O(n).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..engine.pagination import Page, Sequenced
from ..engine.requests import ListQuery
from .params import Params

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

    def query(self, *, newest_first: bool = False, predicate: Callable[[T], bool] | None = None) -> ListQuery[T]:
        """The engine query for this page."""
        return ListQuery(number=self.number, limit=self.size, newest_first=newest_first, predicate=predicate)

    def envelope(self, key: str, page: Page[T], rendered: list[dict[str, object]]) -> dict[str, object]:
        """The page in ROS's envelope (``rendered``: ``page``'s items in ROS's words)."""
        return {
            "PageNumber": self.number,
            "PageSize": self.size,
            "TotalCount": page.total if page.total is not None else len(page.items),
            key: rendered,
        }
