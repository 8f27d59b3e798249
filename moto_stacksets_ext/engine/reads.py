"""A namespace's reads: lookups and listings, for every front-end, through the engine's door.

``NamespaceReads`` is the read half of ``stacksets.StackSetNamespace`` (which holds the state and the
rules that change it). Every public read enters through ``door.entry``: the engine lock is taken and the
namespace catches up with the clock first, so no read is stale. Listings that show operations count as
reads of them (manual progression), as AWS's polling loops expect.
"""

from __future__ import annotations

from . import door
from .errors import OperationNotFound, StackInstanceNotFound, StackSetIdMismatch, StackSetNotFound
from .model import (
    AutoDeploymentTarget,
    Operation,
    ResourceDrift,
    StackInstance,
    StackSet,
    StackSetStatus,
    TargetResult,
)
from .pagination import Page, SequencedList, T, TokenCodec, number_page, paginate
from .requests import ListQuery, StackSetRef, StackSetSelector, label
from .scheduler import Scheduler


class NamespaceReads:
    """Lookups and listings of one namespace; the state is set up by ``StackSetNamespace``."""

    identity: tuple[str, str, str]
    scheduler: Scheduler
    _stack_sets: dict[str, StackSet]
    _order: SequencedList[StackSet]
    _live_by_name: dict[str, StackSet]
    _operations_by_id: dict[str, Operation]
    _active: dict[str, StackSet]
    _nonce: str
    _tokens: TokenCodec

    def catch_up(self) -> None:
        """Take every step the clock has made due (time progression), in every active stack set.

        Every public method runs it first (``door.entry``), under the engine lock.
        """
        with door.LOCK:
            for stack_set_id, stack_set in list(self._active.items()):
                self.scheduler.advance(stack_set)
                if not stack_set.in_flight:
                    del self._active[stack_set_id]

    @door.entry
    def get_stack_set(self, name_or_id: StackSetSelector, *, include_deleted: bool = False) -> StackSet:
        """A live stack set by name or id; with ``include_deleted``, a deleted one by its id too."""
        return self._stack_set(name_or_id, include_deleted=include_deleted)

    def _stack_set(self, selector: StackSetSelector, *, include_deleted: bool = False) -> StackSet:
        """The stack set a call addresses; a ``StackSetRef``'s rules and check applied."""
        ref = selector if isinstance(selector, StackSetRef) else None
        name_or_id = label(selector)
        stack_set = self._live_by_name.get(name_or_id)
        if stack_set is None and (ref is None or not ref.by_name):
            stack_set = self._stack_sets.get(name_or_id)
            if stack_set is not None and stack_set.status is StackSetStatus.DELETED and not include_deleted:
                stack_set = None
        if stack_set is None:
            raise StackSetNotFound(name_or_id)
        if ref is not None:
            if ref.expected_id is not None and ref.expected_id != stack_set.stack_set_id:
                raise StackSetIdMismatch(stack_set.stack_set_name, ref.expected_id)
            if ref.check is not None:
                ref.check(stack_set)
        return stack_set

    @door.entry
    def get_operation(self, name_or_id: StackSetSelector, operation_id: str) -> Operation:
        """An operation, read: a read advances operations with manual progression."""
        return self.read_operation(operation_id, name_or_id)[1]

    @door.entry
    def read_operation(
        self, operation_id: str, name_or_id: StackSetSelector | None = None
    ) -> tuple[StackSet, Operation]:
        """An operation and its stack set, read (a read advances manual progressions).

        Without ``name_or_id`` the operation is found by its id alone (providers that address it so).
        """
        stack_set, operation = self._find_operation(name_or_id, operation_id)
        self.scheduler.observe(stack_set, [operation])
        return stack_set, operation

    def _find_operation(self, name_or_id: StackSetSelector | None, operation_id: str) -> tuple[StackSet, Operation]:
        if name_or_id is None:
            found = self._operations_by_id.get(operation_id)
            if found is None:
                raise OperationNotFound(operation_id)
            return self._stack_sets[found.stack_set_id], found
        stack_set = self._stack_set(name_or_id, include_deleted=True)
        operation = stack_set.operation(operation_id)
        if operation is None:
            raise OperationNotFound(operation_id)
        return stack_set, operation

    @door.entry
    def get_instance(self, name_or_id: StackSetSelector, account: str, region: str) -> StackInstance:
        return self.read_instance(name_or_id, account, region)[1]

    @door.entry
    def read_instance(
        self, name_or_id: StackSetSelector, account: str, region: str, *, include_deleted: bool = True
    ) -> tuple[StackSet, StackInstance]:
        """A stack instance and its stack set (``include_deleted``: a deleted stack set's id finds it too)."""
        stack_set = self._stack_set(name_or_id, include_deleted=include_deleted)
        instance = stack_set.instance(account, region)
        if instance is None:
            raise StackInstanceNotFound(label(name_or_id), account, region)
        return stack_set, instance

    @door.entry
    def page_stack_sets(self, listing: str, query: ListQuery[StackSet]) -> Page[StackSet]:
        """A page of the namespace's stack sets (deleted ones too, unless ``query`` filters them out)."""
        return self._page(self._order, self._binding(listing), query)

    @door.entry
    def page_instances(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[StackInstance]
    ) -> tuple[StackSet, Page[StackInstance]]:
        """A stack set and a page of its instances, in creation order."""
        stack_set = self._stack_set(name_or_id, include_deleted=True)
        binding = self._binding(listing, parent=stack_set.stack_set_id)
        return stack_set, self._page(stack_set.instance_order, binding, query)

    @door.entry
    def page_operations(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[Operation]
    ) -> tuple[StackSet, Page[Operation]]:
        """A stack set and a page of its operations; a read of each operation listed."""
        stack_set = self._stack_set(name_or_id, include_deleted=True)
        page = self._page(stack_set.operations, self._binding(listing, parent=stack_set.stack_set_id), query)
        self.scheduler.observe(stack_set, page.items)
        return stack_set, page

    @door.entry
    def page_results(
        self,
        operation_id: str,
        listing: str,
        query: ListQuery[TargetResult],
        name_or_id: StackSetSelector | None = None,
    ) -> tuple[StackSet, Operation, Page[TargetResult]]:
        """An operation, its stack set and a page of its per-target results; a read of the operation.

        Without ``name_or_id`` the operation is found by its id alone.
        """
        stack_set, operation = self._find_operation(name_or_id, operation_id)
        self.scheduler.observe(stack_set, [operation])
        binding = self._binding(listing, parent=stack_set.stack_set_id, operation=operation_id)
        return stack_set, operation, self._page(operation.results, binding, query)

    @door.entry
    def page_resource_drifts(
        self,
        name_or_id: StackSetSelector,
        operation_id: str,
        account: str,
        region: str,
        query: ListQuery[ResourceDrift],
    ) -> Page[ResourceDrift]:
        """A page of what a drift operation found for each resource of one instance's stack."""
        stack_set = self._stack_set(name_or_id, include_deleted=True)
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

    @door.entry
    def page_auto_deployment_targets(
        self, name_or_id: StackSetSelector, query: ListQuery[AutoDeploymentTarget]
    ) -> Page[AutoDeploymentTarget]:
        """A page of the OUs a stack set deploys to, each with its regions (in the order they first appeared)."""
        stack_set = self._stack_set(name_or_id, include_deleted=True)
        source: SequencedList[AutoDeploymentTarget] = SequencedList()
        for target in stack_set.auto_deployment_targets:
            source.append(target)
        return self._page(source, self._binding("auto-deployment-targets", parent=stack_set.stack_set_id), query)

    @door.entry
    def all_stack_sets(self) -> list[StackSet]:
        """Every stack set of the namespace, deleted ones too, in creation order (views and persistence)."""
        return list(self._order)

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

    @door.entry
    def find_operation(self, operation_id: str) -> tuple[StackSet, Operation]:
        """An operation by id alone, across the namespace's stack sets, without counting as a read."""
        return self._find_operation(None, operation_id)

    def _binding(self, listing: str, **arguments: object) -> dict[str, object]:
        return {"ns": list(self.identity), "nonce": self._nonce, "list": listing, **arguments}
