"""The Hook-results store of one account and region: typed results, indexed per documented filter.

ListHookResults accepts four parameter combinations; each has its own ``SequencedList`` (all,
by TypeArn, by TypeArn + Status, by TargetType + TargetId), so a page walks only matching results and
costs O(log n + page) whatever else is stored. ``HookCategory`` (the model's newest filter) may be given
alone (its own index) or with a CHANGE_SET target (the target's results, filtered). Results are listed
newest first, 100 per page, with the project's one token mechanism (opaque, bound to the account, region and filters).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from ...engine.errors import InvalidPageToken
from ...engine.pagination import Page, SequencedList, TokenCodec, paginate
from ..exceptions import ValidationError
from .exceptions import HookResultNotFound
from .model import HookCategory, HookResult, HookStatus, TargetType

#: ListHookResults has no MaxResults: every page holds up to this many results.
PAGE_SIZE = 100
#: Target types ListHookResults accepts as a filter.
FILTERABLE_TARGETS = (TargetType.CHANGE_SET, TargetType.CLOUD_CONTROL)


@dataclass(frozen=True)
class ResultFilter:
    """One of ListHookResults' four parameter combinations (already checked by ``result_filter``)."""

    type_arn: str | None = None
    status: HookStatus | None = None
    target_type: TargetType | None = None
    target_id: str | None = None
    hook_category: HookCategory | None = None

    @property
    def by_target(self) -> bool:
        return self.target_type is not None


def result_filter(
    target_type: str | None,
    target_id: str | None,
    type_arn: str | None,
    status: str | None,
    hook_category: str | None = None,
) -> ResultFilter:
    """The filter of a ListHookResults request, or the ``ValidationError`` naming the broken rule."""
    if target_type is not None and target_id is None:
        raise ValidationError("TargetId is required when TargetType is specified")
    if target_id is not None and target_type is None:
        raise ValidationError("TargetType is required when TargetId is specified")
    if status is not None and type_arn is None:
        raise ValidationError("Status can only be used in combination with TypeArn")
    if target_type is not None and (type_arn is not None or status is not None):
        raise ValidationError(
            "TargetType and TargetId cannot be combined with TypeArn or Status: "
            "use either TypeArn (optionally with Status) or TargetType with TargetId"
        )
    if target_type is not None and TargetType(target_type) not in FILTERABLE_TARGETS:
        raise ValidationError(
            f"TargetType {target_type} is not supported as a filter: only CHANGE_SET and CLOUD_CONTROL are supported"
        )
    if hook_category is not None and (type_arn is not None or status is not None):
        raise ValidationError("HookCategory cannot be combined with TypeArn or Status")
    if hook_category is not None and target_type is not None and target_type != TargetType.CHANGE_SET.value:
        raise ValidationError(
            f"HookCategory can only be used alone or with a CHANGE_SET target, not with TargetType {target_type}"
        )
    return ResultFilter(
        type_arn=type_arn,
        status=HookStatus(status) if status is not None else None,
        target_type=TargetType(target_type) if target_type is not None else None,
        target_id=target_id,
        hook_category=HookCategory(hook_category) if hook_category is not None else None,
    )


class HookResultStore:
    """Every Hook result of one account and region."""

    def __init__(self, binding: tuple[str, str]) -> None:
        self._binding = binding
        self._codec = TokenCodec()
        self._seq = itertools.count(1)
        self._by_id: dict[str, HookResult] = {}
        self._all: SequencedList[HookResult] = SequencedList()
        self._by_type: dict[str, SequencedList[HookResult]] = {}
        self._by_type_status: dict[tuple[str, HookStatus], SequencedList[HookResult]] = {}
        self._by_target: dict[tuple[TargetType, str], SequencedList[HookResult]] = {}
        self._by_category: dict[HookCategory, SequencedList[HookResult]] = {}

    def next_seq(self) -> int:
        return next(self._seq)

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def add(self, result: HookResult) -> HookResult:
        self._by_id[result.hook_result_id] = result
        self._all.append(result)
        self._by_type.setdefault(result.type_arn, SequencedList()).append(result)
        self._by_type_status.setdefault((result.type_arn, result.status), SequencedList()).append(result)
        self._by_target.setdefault((result.target_type, result.target_id), SequencedList()).append(result)
        self._by_category.setdefault(result.hook_category, SequencedList()).append(result)
        return result

    def __len__(self) -> int:
        return len(self._all)

    def get(self, hook_result_id: str) -> HookResult:
        found = self._by_id.get(hook_result_id)
        if found is None:
            raise HookResultNotFound(f"Hook result {hook_result_id} not found")
        return found

    def recent(self, limit: int) -> list[HookResult]:
        """The newest ``limit`` results (O(limit))."""
        return list(itertools.islice(self._all.walk(None, newest_first=True), limit))

    def for_target(self, target_type: TargetType, target_id: str) -> list[HookResult]:
        return list(self._by_target.get((target_type, target_id), SequencedList()))

    def _source(self, query: ResultFilter) -> SequencedList[HookResult]:
        empty: SequencedList[HookResult] = SequencedList()
        if query.target_type is not None and query.target_id is not None:
            return self._by_target.get((query.target_type, query.target_id), empty)
        if query.type_arn is not None and query.status is not None:
            return self._by_type_status.get((query.type_arn, query.status), empty)
        if query.type_arn is not None:
            return self._by_type.get(query.type_arn, empty)
        if query.hook_category is not None:
            return self._by_category.get(query.hook_category, empty)
        return self._all

    def page(self, query: ResultFilter, token: str | None) -> Page[HookResult]:
        """One page (newest first) of the results ``query`` selects."""
        source = self._source(query)
        if query.by_target and not len(source):
            raise HookResultNotFound(
                f"No hook results found for target {query.target_id} of type {query.target_type.value}"
                if query.target_type is not None
                else "No hook results found"
            )
        binding = {
            "listing": "ListHookResults",
            "namespace": list(self._binding),
            "type_arn": query.type_arn,
            "status": query.status.value if query.status is not None else None,
            "target_type": query.target_type.value if query.target_type is not None else None,
            "target_id": query.target_id,
            "hook_category": query.hook_category.value if query.hook_category is not None else None,
        }
        category = query.hook_category

        def wanted(result: HookResult) -> bool:
            return category is None or result.hook_category is category

        try:
            return paginate(
                source,
                codec=self._codec,
                binding=binding,
                token=token,
                limit=PAGE_SIZE,
                newest_first=True,
                predicate=wanted,
            )
        except InvalidPageToken as error:
            raise ValidationError(error.message) from error
