"""The state of one namespace: its stack sets and operations, and every index over them.

``StackSetStore`` is the one owner of that state: the namespace's other parts (``reads``, ``admission``,
``automatic``, the namespace itself) find and record stack sets and operations through it, so the
indexes cannot drift apart. It is a collaborator of ``stacksets.StackSetNamespace`` and has no door of
its own: only the namespace's door entries reach it.
"""

from __future__ import annotations

import itertools

from .errors import OperationNotFound, StackSetIdMismatch, StackSetNotFound
from .model import Operation, StackSet, StackSetStatus
from .pagination import SequencedList
from .requests import StackSetRef, StackSetSelector, label


class StackSetStore:
    """Stack sets by id, by name (live ones) and in creation order; operations by id; the active ones."""

    def __init__(self) -> None:
        self._stack_sets: dict[str, StackSet] = {}
        self._order: SequencedList[StackSet] = SequencedList()
        self._live_by_name: dict[str, StackSet] = {}
        #: Every operation of the namespace by id (ids are unique per namespace when generated; a caller's
        #: id reused on another stack set shadows the older entry here, not in its stack set).
        self._operations_by_id: dict[str, Operation] = {}
        #: Stack sets with operations running or queued: the ones the namespace catches up.
        self._active: dict[str, StackSet] = {}
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        """The next sequence number of the namespace (stack sets, instances and operations share them)."""
        return next(self._seq)

    # -- stack sets -------------------------------------------------------------------------------------
    @property
    def in_order(self) -> SequencedList[StackSet]:
        """Every stack set, deleted ones too, in creation order."""
        return self._order

    def has_live_name(self, name: str) -> bool:
        return name in self._live_by_name

    def add(self, stack_set: StackSet) -> None:
        """Record a new stack set."""
        self._stack_sets[stack_set.stack_set_id] = stack_set
        self._order.append(stack_set)
        self._live_by_name[stack_set.stack_set_name] = stack_set

    def mark_deleted(self, stack_set: StackSet) -> None:
        """A stack set is DELETED: its id still finds it, its name no longer does."""
        stack_set.status = StackSetStatus.DELETED
        del self._live_by_name[stack_set.stack_set_name]

    def live(self, stack_set_id: str) -> StackSet | None:
        """A stack set by id, unless it is deleted (None)."""
        stack_set = self._stack_sets.get(stack_set_id)
        return None if stack_set is None or stack_set.status is StackSetStatus.DELETED else stack_set

    def stack_set(self, selector: StackSetSelector, *, include_deleted: bool = False) -> StackSet:
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

    # -- operations -------------------------------------------------------------------------------------
    def add_operation(self, stack_set: StackSet, operation: Operation) -> None:
        """Record a new operation of ``stack_set``, which is active from now on."""
        stack_set.add_operation(operation)
        self._operations_by_id[operation.operation_id] = operation
        self._active[stack_set.stack_set_id] = stack_set

    def operation_by_id(self, operation_id: str) -> Operation | None:
        return self._operations_by_id.get(operation_id)

    def operation(self, name_or_id: StackSetSelector | None, operation_id: str) -> tuple[StackSet, Operation]:
        """An operation and its stack set (found by the operation's id alone without ``name_or_id``)."""
        if name_or_id is None:
            found = self._operations_by_id.get(operation_id)
            if found is None:
                raise OperationNotFound(operation_id)
            return self._stack_sets[found.stack_set_id], found
        stack_set = self.stack_set(name_or_id, include_deleted=True)
        operation = stack_set.operation(operation_id)
        if operation is None:
            raise OperationNotFound(operation_id)
        return stack_set, operation

    # -- the stack sets with operations running or queued -----------------------------------------------
    def active(self) -> list[StackSet]:
        return list(self._active.values())

    def deactivate(self, stack_set: StackSet) -> None:
        """``stack_set`` has nothing running or queued any more."""
        self._active.pop(stack_set.stack_set_id, None)

    def deactivate_all(self) -> None:
        self._active.clear()

    # -- persistence ------------------------------------------------------------------------------------
    def restore(self, stack_sets: list[StackSet]) -> None:
        """Take over stack sets saved earlier (ended operations only), rebuilding every index."""
        highest = 0
        for stack_set in stack_sets:
            self._stack_sets[stack_set.stack_set_id] = stack_set
            self._order.append(stack_set)
            if stack_set.status is StackSetStatus.ACTIVE:
                self._live_by_name[stack_set.stack_set_name] = stack_set
            for operation in stack_set.operations:
                self._operations_by_id[operation.operation_id] = operation
            highest = max(
                [highest, stack_set.seq]
                + [i.seq for i in stack_set.instance_order]
                + [o.seq for o in stack_set.operations]
            )
        self._seq = itertools.count(highest + 1)
