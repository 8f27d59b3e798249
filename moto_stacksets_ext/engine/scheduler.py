"""The lifecycle's scheduler: when operations take steps and when queued operations start.

The namespace hands it every stack set it touches: ``Scheduler.advance`` takes the steps the clock has
made due (time progression), ``Scheduler.observe`` counts reads (manual progression), and after a step
or a stop ``Scheduler.dispatch`` starts queued operations in request order when nothing running, and
nothing queued before them, conflicts with them. ``Scheduler.begin`` starts one operation (and runs it
to its end when its progression is immediate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .clock import Clock
from .execution import DeployKind, Executor
from .lifecycle import Mode
from .model import InstanceStatus, Operation, OperationAction, OperationStatus, StackSet, TargetResult

#: Creates the instance of a CREATE operation's target again if it is gone when the operation starts.
Reviver = Callable[[StackSet, TargetResult], None]

#: Finds an operation of the namespace by id (the operations another one waits for).
OperationFinder = Callable[[str], "Operation | None"]

DEPENDENCY_FAILED = "The operation {} of a StackSet this StackSet depends on did not succeed ({})"


class Scheduler:
    def __init__(
        self, executor: Executor, clock: Clock, revive: Reviver | None = None, find: OperationFinder | None = None
    ) -> None:
        self.executor = executor
        self.clock = clock
        self.revive: Reviver = revive or (lambda stack_set, result: None)
        self.find: OperationFinder = find or (lambda operation_id: None)

    def dependencies(self, operation: Operation) -> bool | str:
        """Whether the operations ``operation`` waits for (``after_operations``) all succeeded (True), some
        still run or wait (False), or one ended otherwise: the reason ``operation`` fails without starting."""
        ready = True
        for operation_id in operation.after_operations or []:
            other = self.find(operation_id)
            if other is None or other.status is OperationStatus.SUCCEEDED:
                continue
            if other.status.ended:
                return DEPENDENCY_FAILED.format(operation_id, other.status.value)
            ready = False
        return ready

    def advance(self, stack_set: StackSet) -> None:
        """Steps the clock has made due; after a step, queued operations whose turn has come start."""
        if not stack_set.in_flight:
            return
        now = self.clock.now()
        moved = False
        for operation in list(stack_set.in_flight.values()):
            if operation.pace is None:
                continue
            for moment in operation.pace.due(now):
                moved = True  # a step of a running operation, or a queued one's turn to try
                if operation.execution is None:
                    break
                self.executor.step(stack_set, operation, at=moment)
        if moved:
            self.dispatch(stack_set)

    def observe(self, stack_set: StackSet, operations: Iterable[Operation]) -> None:
        """Count a read of each operation; manual progression steps once per ``times`` reads."""
        moved = False
        for operation in operations:
            if operation.status.ended or operation.pace is None or not operation.pace.on_read():
                continue
            moved = True  # a step of a running operation, or a queued one's turn to try
            if operation.execution is not None:
                self.executor.step(stack_set, operation)
        if moved:
            self.dispatch(stack_set)

    def dispatch(self, stack_set: StackSet) -> None:
        """Start queued operations in request order: each one that conflicts with no running operation and
        with no operation queued before it. A queued operation waits behind earlier ones it conflicts with
        only, so one that conflicts with nothing starts even when a conflicting one is queued ahead of it.

        Called after steps and stops only, so a QUEUED operation is observable until something moves.
        """
        progressed = True
        while progressed:
            progressed = False
            waiting: list[Operation] = []
            for operation in list(stack_set.in_flight.values()):
                if operation.status is not OperationStatus.QUEUED:
                    continue
                blocked = self.dependencies(operation)
                if isinstance(blocked, str):
                    self.executor.abandon(stack_set, operation, blocked)
                    progressed = True
                    break
                if not blocked:
                    waiting.append(operation)
                    continue
                if any(self.conflict(operation, earlier) for earlier in waiting) or not self.can_start(
                    stack_set, operation
                ):
                    waiting.append(operation)
                    continue
                self.begin(stack_set, operation)
                progressed = True
                break

    @staticmethod
    def conflict(operation: Operation, other: Operation) -> bool:
        """Two operations conflict when they share a target, or when either has none (the whole stack set)."""
        mine, theirs = set(operation.results_by_target), set(other.results_by_target)
        return not mine or not theirs or bool(mine & theirs)

    def can_start(self, stack_set: StackSet, operation: Operation) -> bool:
        """Whether ``operation`` may run beside the running ones (ManagedExecution, and no conflict)."""
        for other in stack_set.in_flight.values():
            if other is operation or other.status is OperationStatus.QUEUED:
                continue
            if not stack_set.managed_execution.active or self.conflict(operation, other):
                return False
        return True

    def begin(self, stack_set: StackSet, operation: Operation) -> None:
        if operation.action is OperationAction.CREATE:
            for result in operation.results:
                self.revive(stack_set, result)
        kinds = {key: self.kind_for(stack_set, operation, key) for key in operation.results_by_target}
        if operation.pace is not None:
            operation.pace.since = self.clock.now()
        self.executor.begin(stack_set, operation, kinds)
        if operation.pace is None or operation.pace.progression.mode is Mode.IMMEDIATE:
            self.executor.run(stack_set, operation)

    def kind_for(self, stack_set: StackSet, operation: Operation, key: tuple[str, str]) -> DeployKind:
        if operation.action is OperationAction.DELETE:
            return DeployKind.DELETE
        if operation.action is OperationAction.DETECT_DRIFT:
            return DeployKind.DRIFT_CHECK
        if operation.imported_stacks is not None:
            return DeployKind.IMPORT
        instance = stack_set.instances.get(key)
        if instance is None or instance.stack_id is None:
            return DeployKind.CREATE
        unchanged = (
            operation.parameter_overrides is None or operation.parameter_overrides == instance.parameter_overrides
        )
        if operation.action is OperationAction.CREATE and unchanged and instance.status is InstanceStatus.CURRENT:
            return DeployKind.NOOP
        return DeployKind.UPDATE

    def settle(self, stack_set: StackSet) -> None:
        """Run every running or queued operation of ``stack_set`` to its end (before saving state)."""
        while stack_set.in_flight:
            for operation in list(stack_set.in_flight.values()):
                if operation.execution is not None:
                    self.executor.run(stack_set, operation)
                elif operation.status is OperationStatus.QUEUED and self.can_start(stack_set, operation):
                    self.begin(stack_set, operation)
                    self.executor.run(stack_set, operation)
