"""A namespace's reads: lookups and listings, for every front-end, over its ``store.StackSetStore``.

``Reads`` is a collaborator of ``stacksets.StackSetNamespace``, which exposes each read as a door entry
(``door.entry``: the engine lock is taken and the namespace catches up with the clock first, so no read is
stale). Listings that show operations count as reads of them (manual progression), as AWS's polling loops
expect. Listings page by opaque tokens bound to the call's arguments and to this life of the namespace,
or by page number.
"""

from __future__ import annotations

import os

from .errors import OperationNotFound, StackInstanceNotFound
from .model import AutoDeploymentTarget, Operation, ResourceDrift, StackInstance, StackSet, TargetResult
from .pagination import Page, SequencedList, T, TokenCodec, number_page, paginate
from .requests import ListQuery, StackSetSelector, label
from .scheduler import Scheduler
from .store import StackSetStore


class Reads:
    """Lookups and listings of one namespace's store (no door of their own: the namespace's entries call them)."""

    def __init__(self, identity: tuple[str, str, str], store: StackSetStore, scheduler: Scheduler) -> None:
        self._identity = identity
        self._store = store
        self._scheduler = scheduler
        # Tokens of an earlier life of this namespace (before a reset) are foreign to this one.
        self._nonce = os.urandom(8).hex()
        self._tokens = TokenCodec()

    def get_stack_set(self, name_or_id: StackSetSelector, *, include_deleted: bool = False) -> StackSet:
        return self._store.stack_set(name_or_id, include_deleted=include_deleted)

    def read_operation(
        self, operation_id: str, name_or_id: StackSetSelector | None = None
    ) -> tuple[StackSet, Operation]:
        stack_set, operation = self._store.operation(name_or_id, operation_id)
        self._scheduler.observe(stack_set, [operation])
        return stack_set, operation

    def find_operation(self, operation_id: str) -> tuple[StackSet, Operation]:
        return self._store.operation(None, operation_id)

    def read_instance(
        self, name_or_id: StackSetSelector, account: str, region: str, *, include_deleted: bool = True
    ) -> tuple[StackSet, StackInstance]:
        stack_set = self._store.stack_set(name_or_id, include_deleted=include_deleted)
        instance = stack_set.instance(account, region)
        if instance is None:
            raise StackInstanceNotFound(label(name_or_id), account, region)
        return stack_set, instance

    def page_stack_sets(self, listing: str, query: ListQuery[StackSet]) -> Page[StackSet]:
        return self._page(self._store.in_order, self._binding(listing), query)

    def page_instances(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[StackInstance]
    ) -> tuple[StackSet, Page[StackInstance]]:
        stack_set = self._store.stack_set(name_or_id, include_deleted=True)
        binding = self._binding(listing, parent=stack_set.stack_set_id)
        return stack_set, self._page(stack_set.instance_order, binding, query)

    def page_operations(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[Operation]
    ) -> tuple[StackSet, Page[Operation]]:
        stack_set = self._store.stack_set(name_or_id, include_deleted=True)
        page = self._page(stack_set.operations, self._binding(listing, parent=stack_set.stack_set_id), query)
        self._scheduler.observe(stack_set, page.items)
        return stack_set, page

    def page_results(
        self, operation_id: str, listing: str, query: ListQuery[TargetResult], name_or_id: StackSetSelector | None
    ) -> tuple[StackSet, Operation, Page[TargetResult]]:
        stack_set, operation = self.read_operation(operation_id, name_or_id)
        binding = self._binding(listing, parent=stack_set.stack_set_id, operation=operation_id)
        return stack_set, operation, self._page(operation.results, binding, query)

    def page_resource_drifts(
        self,
        name_or_id: StackSetSelector,
        operation_id: str,
        account: str,
        region: str,
        query: ListQuery[ResourceDrift],
    ) -> Page[ResourceDrift]:
        stack_set = self._store.stack_set(name_or_id, include_deleted=True)
        if not stack_set.has_instance(account, region):
            raise StackInstanceNotFound(label(name_or_id), account, region)
        operation = stack_set.operation(operation_id)
        if operation is None:
            raise OperationNotFound(operation_id)
        result = operation.result(account, region)
        source: SequencedList[ResourceDrift] = result.resource_drifts if result is not None else SequencedList()
        binding = self._binding(
            "resource-drifts", parent=stack_set.stack_set_id, operation=operation_id, target=[account, region]
        )
        return self._page(source, binding, query)

    def page_auto_deployment_targets(
        self, name_or_id: StackSetSelector, query: ListQuery[AutoDeploymentTarget]
    ) -> Page[AutoDeploymentTarget]:
        stack_set = self._store.stack_set(name_or_id, include_deleted=True)
        source: SequencedList[AutoDeploymentTarget] = SequencedList()
        for target in stack_set.auto_deployment_targets:
            source.append(target)
        return self._page(source, self._binding("auto-deployment-targets", parent=stack_set.stack_set_id), query)

    def all_stack_sets(self) -> list[StackSet]:
        return list(self._store.in_order)

    def _page(self, source: SequencedList[T], binding: dict[str, object], query: ListQuery[T]) -> Page[T]:
        if query.number is not None:
            return number_page(
                source, query.number, query.limit, newest_first=query.newest_first, predicate=query.predicate
            )
        return paginate(
            source,
            codec=self._tokens,
            binding={**binding, **query.bound, "newest_first": query.newest_first},
            token=query.token,
            limit=query.limit,
            newest_first=query.newest_first,
            predicate=query.predicate,
        )

    def _binding(self, listing: str, **arguments: object) -> dict[str, object]:
        return {"ns": list(self._identity), "nonce": self._nonce, "list": listing, **arguments}
