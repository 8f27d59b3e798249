"""How an operation runs: regions in order, accounts in batches, failure tolerance, cancellation.

An :class:`Execution` is the plan of one operation. :meth:`Executor.step` advances it by one batch (in
every active region: one region for SEQUENTIAL, all of them for PARALLEL); :meth:`Executor.run` steps
until the operation ends. Deploying one target is the front-end's :class:`Deployer` callback.

Semantics (AWS StackSets, which the other providers share):

* tolerance and concurrency are per region; percentages round down, concurrency never below 1;
* STRICT_FAILURE_TOLERANCE (default) runs min(MaxConcurrent, FailureTolerance + 1) accounts at once and
  lowers that as failures occur; SOFT_FAILURE_TOLERANCE always runs MaxConcurrent;
* when a region's failures exceed its tolerance, its targets not yet started are CANCELLED, and with
  SEQUENTIAL every later region is CANCELLED too; the operation ends FAILED. Failures within tolerance
  leave it SUCCEEDED with ``StatusDetails.FailedStackInstancesCount`` counting them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from .clock import Clock
from .model import (
    AccountGateResult,
    DetailedStatus,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    StackInstance,
    StackSet,
    StatusDetails,
    TargetResult,
    TargetStatus,
)
from .outcomes import OutcomeBook, OutcomeKind

CANCELLED_BY_TOLERANCE = "Cancelled since failure tolerance has exceeded"
CANCELLED_BY_STOP = "Cancelled since the operation was stopped"
NO_UPDATES = "No updates are to be performed."


class DeployKind(Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    NOOP = "NOOP"


@dataclass(frozen=True)
class Deployment:
    """One target's deployment, handed to the front-end's :class:`Deployer`."""

    stack_set: StackSet
    instance: StackInstance
    kind: DeployKind
    operation: Operation
    retain_stack: bool = False


@dataclass(frozen=True)
class DeployOutcome:
    succeeded: bool
    stack_id: str | None = None
    reason: str | None = None


class Deployer(Protocol):
    def deploy(self, deployment: Deployment) -> DeployOutcome: ...


class RecordingDeployer:
    """A deployer that only records: every deployment succeeds and no stack is created."""

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        return DeployOutcome(succeeded=True)


@dataclass
class RegionRun:
    region: str
    queue: deque[TargetResult]
    tolerance: int
    max_concurrency: int
    strict: bool
    failures: int = 0
    failed: bool = False

    @property
    def finished(self) -> bool:
        return self.failed or not self.queue

    def batch_size(self) -> int:
        if self.strict:
            return max(1, min(self.max_concurrency, self.tolerance + 1 - self.failures))
        return self.max_concurrency


@dataclass
class Execution:
    regions: list[RegionRun]
    parallel: bool
    kinds: dict[tuple[str, str], DeployKind] = field(default_factory=dict)

    def active_regions(self) -> list[RegionRun]:
        pending = [run for run in self.regions if not run.finished]
        return pending if self.parallel else pending[:1]


#: Builds the account-gate result of a target that started (the front-end words it).
GateResultFactory = Callable[[TargetResult], AccountGateResult | None]


class Executor:
    """Runs the operations of one cloud: scripted outcomes first, then the cloud's deployer."""

    def __init__(
        self,
        cloud: str,
        deployer: Deployer,
        clock: Clock,
        outcomes: OutcomeBook,
        gate_result: GateResultFactory | None = None,
    ) -> None:
        self.cloud = cloud
        self.deployer = deployer
        self.clock = clock
        self.outcomes = outcomes
        self.gate_result = gate_result or (lambda result: None)

    # -- planning ---------------------------------------------------------------------------------------
    def plan(self, stack_set: StackSet, operation: Operation, kinds: dict[tuple[str, str], DeployKind]) -> None:
        """Attach the plan, create the PENDING results and mark the targeted instances."""
        preferences = operation.operation_preferences
        by_region: dict[str, list[tuple[str, str]]] = {}
        for key in kinds:
            by_region.setdefault(key[1], []).append(key)
        ordered = [r for r in preferences.region_order if r in by_region]
        ordered += [r for r in by_region if r not in ordered]
        runs: list[RegionRun] = []
        seq = 0
        for region in ordered:
            queue: deque[TargetResult] = deque()
            for key in by_region[region]:
                seq += 1
                instance = stack_set.instances[key]
                result = TargetResult(seq, key[0], region, instance.organizational_unit_id)
                operation.add_result(result)
                queue.append(result)
                instance.last_operation_id = operation.operation_id
                if kinds[key] is not DeployKind.NOOP:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
            count = len(queue)
            runs.append(
                RegionRun(
                    region,
                    queue,
                    tolerance=preferences.tolerance(count),
                    max_concurrency=preferences.max_concurrency(count),
                    strict=preferences.strict,
                )
            )
        operation.execution = Execution(runs, preferences.parallel_regions, dict(kinds))

    # -- running ----------------------------------------------------------------------------------------
    def run(self, stack_set: StackSet, operation: Operation) -> None:
        while operation.execution is not None:
            self.step(stack_set, operation)

    def step(self, stack_set: StackSet, operation: Operation) -> None:
        """Advance by one batch in every active region; end the operation when nothing is left."""
        execution = operation.execution
        if execution is None:
            return
        if operation.status is OperationStatus.QUEUED:
            operation.status = OperationStatus.RUNNING
        if operation.status is OperationStatus.RUNNING:
            for run in execution.active_regions():
                self._run_batch(stack_set, operation, execution, run)
                if run.failed and not execution.parallel:
                    for later in execution.regions:
                        self._cancel_queue(stack_set, later, CANCELLED_BY_TOLERANCE)
        if operation.status is OperationStatus.STOPPING:
            for run in execution.regions:
                self._cancel_queue(stack_set, run, CANCELLED_BY_STOP)
        if all(run.finished for run in execution.regions):
            self._finish(stack_set, operation, execution)

    def stop(self, stack_set: StackSet, operation: Operation) -> None:
        """Stop: targets not started are cancelled; the operation ends STOPPED once nothing runs."""
        operation.status = OperationStatus.STOPPING
        self.step(stack_set, operation)

    def _run_batch(self, stack_set: StackSet, operation: Operation, execution: Execution, run: RegionRun) -> None:
        batch = [run.queue.popleft() for _ in range(min(run.batch_size(), len(run.queue)))]
        for result in batch:
            result.status = TargetStatus.RUNNING
            result.started_at = self.clock.now()
            instance = stack_set.instances[(result.account, result.region)]
            kind = execution.kinds[(result.account, result.region)]
            if kind is not DeployKind.NOOP:
                instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.RUNNING)
        for result in batch:
            self._deploy(stack_set, operation, execution, result)
            if result.status is TargetStatus.FAILED:
                run.failures += 1
        if run.failures > run.tolerance:
            run.failed = True
            self._cancel_queue(stack_set, run, CANCELLED_BY_TOLERANCE)

    def _deploy(self, stack_set: StackSet, operation: Operation, execution: Execution, result: TargetResult) -> None:
        key = (result.account, result.region)
        instance = stack_set.instances[key]
        kind = execution.kinds[key]
        outcome = self._scripted(stack_set, operation, result) or self.deployer.deploy(
            Deployment(stack_set, instance, kind, operation, retain_stack=bool(operation.retain_stacks))
        )
        result.ended_at = self.clock.now()
        result.account_gate_result = self.gate_result(result)
        if not outcome.succeeded:
            result.status = TargetStatus.FAILED
            result.status_reason = outcome.reason
            if kind is DeployKind.DELETE:
                instance.set_status(InstanceStatus.INOPERABLE, DetailedStatus.INOPERABLE, outcome.reason)
            else:
                instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.FAILED, outcome.reason)
            return
        result.status = TargetStatus.SUCCEEDED
        if kind is DeployKind.DELETE:
            stack_set.remove_instance(instance)
            return
        if outcome.stack_id is not None:
            instance.stack_id = outcome.stack_id
        if operation.parameter_overrides is not None:
            instance.parameter_overrides = list(operation.parameter_overrides)
        reason = NO_UPDATES if kind is DeployKind.NOOP else None
        instance.set_status(InstanceStatus.CURRENT, DetailedStatus.SUCCEEDED, reason)

    def _scripted(self, stack_set: StackSet, operation: Operation, result: TargetResult) -> DeployOutcome | None:
        rule = self.outcomes.take(
            self.cloud,
            result.account,
            result.region,
            (stack_set.stack_set_name, stack_set.stack_set_id),
            operation.action.value,
        )
        if rule is None:
            return None
        if rule.kind is OutcomeKind.FAIL:
            return DeployOutcome(succeeded=False, reason=rule.reason)
        instance = stack_set.instances[(result.account, result.region)]
        return DeployOutcome(succeeded=True, stack_id=instance.stack_id)

    def _cancel_queue(self, stack_set: StackSet, run: RegionRun, reason: str) -> None:
        while run.queue:
            result = run.queue.popleft()
            result.status = TargetStatus.CANCELLED
            result.status_reason = reason
            result.ended_at = self.clock.now()
            instance = stack_set.instances.get((result.account, result.region))
            if instance is not None:
                instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.CANCELLED, reason)

    def _finish(self, stack_set: StackSet, operation: Operation, execution: Execution) -> None:
        failed = sum(1 for result in operation.results if result.status is TargetStatus.FAILED)
        failed_regions = [run.region for run in execution.regions if run.failed]
        if operation.status is OperationStatus.STOPPING:
            operation.status = OperationStatus.STOPPED
            operation.status_reason = "The operation was stopped by a user request"
        elif failed_regions:
            operation.status = OperationStatus.FAILED
            verb = {
                OperationAction.CREATE: "create",
                OperationAction.UPDATE: "update",
                OperationAction.DELETE: "delete",
                OperationAction.DETECT_DRIFT: "detect drift on",
            }[operation.action]
            operation.status_reason = (
                f"Failed to {verb} stack instances: failure tolerance exceeded in region {', '.join(failed_regions)}"
            )
        else:
            operation.status = OperationStatus.SUCCEEDED
        operation.status_details = StatusDetails(failed)
        operation.end_timestamp = self.clock.now()
        operation.execution = None
        stack_set.in_flight.pop(operation.operation_id, None)
