"""How an operation runs: regions in order, accounts in batches, failure tolerance, cancellation, stop.

An operation is planned when it is created (its PENDING results, region by region), begun when it may
start (instances marked, the first batch RUNNING), and then advanced by ``Executor.step``: a step
finishes the targets in flight (each one a call to the front-end's ``Deployer``, after scripted
outcomes) and starts the next batch, in one region for SEQUENTIAL or every region for PARALLEL. How
often steps happen is the lifecycle's business (``lifecycle``).

Semantics (AWS StackSets, which the other providers share):

* tolerance and concurrency are per region; percentages round down, concurrency never below 1;
* STRICT_FAILURE_TOLERANCE (default) runs min(MaxConcurrent, FailureTolerance + 1) accounts at once and
  lowers that as failures occur; SOFT_FAILURE_TOLERANCE always runs MaxConcurrent;
* when a region's failures exceed its tolerance, its targets not yet started are CANCELLED, and with
  SEQUENTIAL every later region is CANCELLED too; the operation ends FAILED. Failures within tolerance
  leave it SUCCEEDED with ``StatusDetails.FailedStackInstancesCount`` counting them;
* a stop cancels the targets not started; the operation is STOPPING until the targets in flight finish,
  then STOPPED.

A deployer may answer that a target is not finished yet (``DeployOutcome.not_finished``: an AWS stack
whose Hook answered IN_PROGRESS): the target stays RUNNING and in flight, so its region's next batch
waits for it as a batch waits for its slowest target, and the continuation is kept on the ``Execution``
(``runs.Waiting``) and handed back to the deployer on a later step (``Deployment.resume``). A step taken
at a moment the clock made due (time progression) resumes it only once the wait the deployer asked for
has passed; any other step (manual progression, and the steps that run an operation to its end:
immediate progression, settling before a save) resumes it at once. Scripted outcomes are consulted on a
target's first deployment only.

Before a target's first deployment (drift checks included) the cloud's ``AccountGate`` decides whether it
may proceed (AWS: the ``AWSCloudFormationStackSetAccountGate`` function of the target account and region).
Its answer is the target's ``account_gate_result``; FAILED fails the target with the gate's reason, before
scripted outcomes or the deployer are consulted, and counts toward failure tolerance like any failure.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from .clock import Clock
from .model import (
    AccountGateResult,
    DetailedStatus,
    DriftStatus,
    GateStatus,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    ResourceDrift,
    ResourceDriftStatus,
    StackInstance,
    StackResource,
    StackSet,
    TargetResult,
    TargetStatus,
)
from .outcomes import DriftedResource, Outcome, OutcomeBook, OutcomeKind
from .parameters import resolve_parameters
from .progress import Tally, refresh
from .regions import deployment_order
from .runs import DeployKind, Execution, RegionRun, Waiting
from .stages import RoleTarget

__all__ = [
    "AccountGate",
    "DeployKind",
    "DeployOutcome",
    "Deployer",
    "Deployment",
    "Executor",
    "GateCheck",
    "RecordingDeployer",
    "RoleProvisioner",
]

CANCELLED_BY_TOLERANCE = "Cancelled since failure tolerance has exceeded"
CANCELLED_BY_STOP = "Cancelled since the operation was stopped"
NO_UPDATES = "No updates are to be performed."


#: The longest wait a deployer may ask for before it is resumed (longer waits are cut to it): ten years.
MAX_WAIT_SECONDS = 10 * 365 * 24 * 3600.0


@dataclass(frozen=True)
class Deployment:
    """One target's deployment, handed to the front-end's ``Deployer``.

    ``resume`` is the continuation the deployer answered on an earlier step (``DeployOutcome.not_finished``),
    None on the target's first deployment.
    """

    stack_set: StackSet
    instance: StackInstance
    kind: DeployKind
    operation: Operation
    retain_stack: bool = False
    resume: object | None = None


@dataclass(frozen=True)
class DeployOutcome:
    """A deployment's end (``succeeded``, the stack, the failure's reason), or that it is not finished."""

    succeeded: bool
    stack_id: str | None = None
    reason: str | None = None
    #: Not finished: the deployer's own continuation, handed back as ``Deployment.resume`` on a later step.
    continuation: object | None = None
    #: With a continuation: seconds of the engine clock before a time-progression step resumes it.
    wait_seconds: float = 0.0

    @classmethod
    def not_finished(cls, continuation: object, wait_seconds: float = 0.0, reason: str | None = None) -> DeployOutcome:
        """The target stays RUNNING; ``continuation`` comes back on a later step (``reason``: what it waits for)."""
        return cls(succeeded=False, reason=reason, continuation=continuation, wait_seconds=wait_seconds)


class Deployer(Protocol):
    """A front-end's way of deploying one target. It answers the deployment's end, or that it is not finished
    (``DeployOutcome.not_finished``): then a later step calls it again with ``Deployment.resume`` set to the
    continuation it gave, until it answers an end (it must, eventually: immediate progression steps until then)."""

    def deploy(self, deployment: Deployment) -> DeployOutcome: ...


class RoleProvisioner(Protocol):
    """A front-end's way of provisioning roles in target accounts before an operation deploys there.

    ``applies`` says whether an operation provisions roles at all (else its role stage is NOT_APPLICABLE);
    ``provision`` provisions them in one account (``region``: the first region the operation deploys to in
    that account) and answers how it ended (a failed account's instances are skipped)."""

    def applies(self, stack_set: StackSet, operation: Operation) -> bool: ...

    def provision(self, stack_set: StackSet, operation: Operation, account: str, region: str) -> DeployOutcome: ...


class RecordingDeployer:
    """A deployer that only records (for clouds whose stacks the mock does not run): every deployment
    succeeds; a created stack gets a UUID stack id, later deployments keep it."""

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        if deployment.kind is DeployKind.CREATE:
            return DeployOutcome(succeeded=True, stack_id=str(uuid.uuid4()))
        return DeployOutcome(succeeded=True, stack_id=deployment.instance.stack_id)


#: Lists the resources of an instance's stack (the front-end knows its stacks).
StackResourceLister = Callable[[StackSet, StackInstance], list[StackResource]]


@dataclass(frozen=True)
class GateCheck:
    """A target about to be deployed, handed to the cloud's ``AccountGate``."""

    stack_set: StackSet
    operation: Operation
    account: str
    region: str


class AccountGate(Protocol):
    """A cloud's account gate: asked once per target, before its first deployment. None: the cloud has no
    gates (no ``AccountGateResult``); SUCCEEDED and SKIPPED proceed; FAILED fails the target with the result's
    ``status_reason``."""

    def check(self, check: GateCheck) -> AccountGateResult | None: ...


class Executor:
    """Runs the operations of one cloud: scripted outcomes first, then the cloud's deployer."""

    def __init__(
        self,
        cloud: str,
        deployer: Deployer,
        clock: Clock,
        outcomes: OutcomeBook,
        account_gate: AccountGate | None = None,
        stack_resources: StackResourceLister | None = None,
        roles: RoleProvisioner | None = None,
    ) -> None:
        self.cloud = cloud
        self.deployer = deployer
        self.clock = clock
        self.outcomes = outcomes
        self.account_gate = account_gate
        #: The resources of an instance's stack, for per-resource drift (None: the cloud reports none).
        self.stack_resources = stack_resources
        #: Provisions roles in target accounts before deployments (None: the cloud provisions none).
        self.roles = roles
        self._at: datetime | None = None

    def _now(self) -> datetime:
        """The time of the step being taken: a step the clock made due earlier carries its own moment."""
        return self._at if self._at is not None else self.clock.now()

    # -- planning ---------------------------------------------------------------------------------------
    def plan(
        self,
        operation: Operation,
        keys: list[tuple[str, str]],
        ou_of: Callable[[tuple[str, str]], str],
        stack_set: StackSet | None = None,
    ) -> None:
        """Create the operation's PENDING results, region by region in the order it will run them (and its
        role targets, one per account, when the front-end provisions roles for it)."""
        by_region: dict[str, list[tuple[str, str]]] = {}
        for key in keys:
            by_region.setdefault(key[1], []).append(key)
        seq = 0
        for region in deployment_order(by_region, operation.operation_preferences.region_order):
            for key in by_region[region]:
                seq += 1
                operation.add_result(TargetResult(seq, key[0], region, ou_of(key)))
        if (
            stack_set is not None
            and self.roles is not None
            and operation.action in (OperationAction.CREATE, OperationAction.UPDATE)
            and self.roles.applies(stack_set, operation)
        ):
            accounts = dict.fromkeys(result.account for result in operation.results)
            operation.role_targets = [RoleTarget(account) for account in accounts]
        refresh(operation)

    def begin(self, stack_set: StackSet, operation: Operation, kinds: dict[tuple[str, str], DeployKind]) -> None:
        """Start a planned operation: mark its instances and put the first batch in flight."""
        preferences = operation.operation_preferences
        runs: list[RegionRun] = []
        current: RegionRun | None = None
        for result in operation.results:
            if current is None or current.region != result.region:
                current = RegionRun(result.region, deque(), 0, 1, preferences.strict)
                runs.append(current)
            current.queue.append(result)
            instance = stack_set.instances.get((result.account, result.region))
            if instance is not None:
                instance.last_operation_id = operation.operation_id
                if kinds[(result.account, result.region)].changes_instance:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
        for run in runs:
            run.tolerance = preferences.tolerance(len(run.queue))
            run.max_concurrency = preferences.max_concurrency(len(run.queue))
        operation.status = OperationStatus.RUNNING
        operation.execution = Execution(runs, preferences.parallel_regions, dict(kinds), tally=Tally(operation))
        if any(t.status is TargetStatus.PENDING for t in operation.role_targets or []):
            operation.execution.provisioning = True  # the first step provisions the roles
            refresh(operation)
            return
        self._launch(stack_set, operation)

    # -- running ----------------------------------------------------------------------------------------
    def run(self, stack_set: StackSet, operation: Operation) -> None:
        """Step until the operation ends."""
        while operation.execution is not None:
            self.step(stack_set, operation)

    def step(self, stack_set: StackSet, operation: Operation, at: datetime | None = None) -> None:
        """Finish the targets in flight, then start the next batch or end the operation.

        ``at`` is the moment of a step the clock made due (time progression, possibly in the past): a target
        whose deployer asked to wait past it stays in flight for a later step. Without ``at`` (manual steps,
        and running an operation to its end) the step happens now and resumes every waiting target.
        """
        execution = operation.execution
        if execution is None:
            return
        self._at = at
        try:
            if execution.provisioning:
                self._provision_roles(stack_set, operation, execution)
            else:
                for run in execution.regions:
                    if run.in_flight:
                        self._finish_batch(stack_set, operation, execution, run)
                execution.steps += 1
            self._launch(stack_set, operation)
        finally:
            self._at = None

    def stop(self, stack_set: StackSet, operation: Operation) -> None:
        """Cancel the targets not started; the operation ends STOPPED once none is in flight."""
        operation.status = OperationStatus.STOPPING
        if operation.execution is None:  # queued: nothing planned to run yet
            for result in operation.results:
                self._cancel(stack_set, result, CANCELLED_BY_STOP)
            self._end(stack_set, operation, [])
            return
        if operation.execution.provisioning:
            operation.execution.provisioning = False
            for target in operation.role_targets or []:
                if target.status is TargetStatus.PENDING:
                    target.status, target.status_reason = TargetStatus.CANCELLED, CANCELLED_BY_STOP
            _roles_changed(operation.execution)
        for run in operation.execution.regions:
            self._cancel_queue(stack_set, run, CANCELLED_BY_STOP, operation.execution)
        self._launch(stack_set, operation)

    def _provision_roles(self, stack_set: StackSet, operation: Operation, execution: Execution) -> None:
        """Provision the roles of every pending account (scripted FAIL_ROLE outcomes first); the instances
        of an account whose role failed are skipped: CANCELLED results counted as SKIPPED."""
        execution.provisioning = False
        first_region: dict[str, str] = {}
        for result in operation.results:
            first_region.setdefault(result.account, result.region)
        names = (stack_set.stack_set_name, stack_set.stack_set_id)
        failed: dict[str, str] = {}
        for target in operation.role_targets or []:
            if target.status is not TargetStatus.PENDING:
                continue
            region = first_region[target.account]
            rule = self.outcomes.take(
                self.cloud, target.account, region, names, operation.action.value, frozenset({OutcomeKind.FAIL_ROLE})
            )
            if rule is not None:
                outcome = DeployOutcome(succeeded=False, reason=rule.reason)
            elif self.roles is not None:
                outcome = self.roles.provision(stack_set, operation, target.account, region)
            else:
                outcome = DeployOutcome(succeeded=True)
            target.status = TargetStatus.SUCCEEDED if outcome.succeeded else TargetStatus.FAILED
            target.status_reason = outcome.reason
            _roles_changed(execution)
            if not outcome.succeeded:
                failed[target.account] = outcome.reason or "Role provisioning failed"
        if not failed:
            return
        now = self._now()
        for run in execution.regions:
            kept = [r for r in run.queue if r.account not in failed]
            for result in run.queue:
                if result.account in failed:
                    _touch(execution, result)
                    reason = f"Skipped: provisioning the execution role in account {result.account} failed: "
                    result.status, result.skipped, result.ended_at = TargetStatus.CANCELLED, True, now
                    result.status_reason = reason + failed[result.account]
                    instance = stack_set.instances.get((result.account, result.region))
                    if instance is not None:
                        instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.CANCELLED, result.status_reason)
            run.queue.clear()
            run.queue.extend(kept)

    def abandon(self, stack_set: StackSet, operation: Operation, reason: str) -> None:
        """End a QUEUED operation FAILED without starting it (every target CANCELLED with ``reason``)."""
        for result in operation.results:
            self._cancel(stack_set, result, reason)
        operation.status = OperationStatus.FAILED
        operation.status_reason = reason
        operation.end_timestamp = self._now()
        operation.execution = None
        stack_set.in_flight.pop(operation.operation_id, None)
        refresh(operation)

    def _launch(self, stack_set: StackSet, operation: Operation) -> None:
        execution = operation.execution
        assert execution is not None
        if operation.status is OperationStatus.RUNNING:
            for run in execution.active_regions():
                if not run.in_flight and not run.failed:
                    self._start_batch(stack_set, execution, run)
        if all(run.finished for run in execution.regions):
            self._end(stack_set, operation, [run.region for run in execution.regions if run.failed])
        else:
            refresh(operation)

    def _start_batch(self, stack_set: StackSet, execution: Execution, run: RegionRun) -> None:
        now = self._now()
        for _ in range(min(run.batch_size(), len(run.queue))):
            result = run.queue.popleft()
            _touch(execution, result)
            result.status = TargetStatus.RUNNING
            result.started_at = now
            result.batch = execution.steps
            run.in_flight.append(result)
            instance = stack_set.instances.get((result.account, result.region))
            if instance is not None and execution.kinds[(result.account, result.region)].changes_instance:
                instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.RUNNING)

    def _finish_batch(self, stack_set: StackSet, operation: Operation, execution: Execution, run: RegionRun) -> None:
        batch, run.in_flight = run.in_flight, []
        for result in batch:
            waiting = execution.waiting.get((result.account, result.region))
            if waiting is not None and self._at is not None and waiting.not_before > self._at:
                run.in_flight.append(result)  # its wait is not over at this step's moment
                continue
            self._deploy(stack_set, operation, execution, result)
            if result.status is TargetStatus.RUNNING:  # the deployer has not finished it yet
                run.in_flight.append(result)
            elif result.status is TargetStatus.FAILED:
                run.failures += 1
        if run.failures > run.tolerance and not run.failed:
            run.failed = True
            self._cancel_queue(stack_set, run, CANCELLED_BY_TOLERANCE, execution)
            if not execution.parallel:
                for later in execution.regions:
                    self._cancel_queue(stack_set, later, CANCELLED_BY_TOLERANCE, execution)

    def _deploy(self, stack_set: StackSet, operation: Operation, execution: Execution, result: TargetResult) -> None:
        key = (result.account, result.region)
        instance = stack_set.instances.get(key)
        kind = execution.kinds[key]
        _touch(execution, result)  # every change to the result below comes after this
        if instance is None:  # deleted while this operation waited in the queue: nothing left to do
            result.status = TargetStatus.SUCCEEDED
            result.ended_at = self._now()
            return
        if key not in execution.waiting and not self._gate(stack_set, operation, instance, kind, result):
            return
        if kind is DeployKind.DRIFT_CHECK:
            self._check_drift(stack_set, operation, instance, result)
            return
        waited = execution.waiting.pop(key, None)
        scripted = None if waited is not None else self._scripted(stack_set, operation, result)
        outcome = scripted or self.deployer.deploy(
            Deployment(
                stack_set,
                instance,
                kind,
                operation,
                retain_stack=bool(operation.retain_stacks),
                resume=waited.continuation if waited is not None else None,
            )
        )
        if outcome.continuation is not None:
            wait = min(outcome.wait_seconds, MAX_WAIT_SECONDS) if outcome.wait_seconds > 0 else 0.0  # NaN: 0
            execution.waiting[key] = Waiting(
                outcome.continuation, self._now() + timedelta(seconds=wait), outcome.reason
            )
            return
        result.ended_at = self._now()
        if not outcome.succeeded:
            self._fail(instance, kind, result, outcome.reason)
            return
        result.status = TargetStatus.SUCCEEDED
        if kind is DeployKind.DELETE:
            stack_set.remove_instance(instance)
            return
        if outcome.stack_id is not None:
            instance.stack_id = outcome.stack_id
        if operation.parameter_overrides is not None:
            instance.parameter_overrides = resolve_parameters(
                instance.parameter_overrides, operation.parameter_overrides
            )
        reason = NO_UPDATES if kind is DeployKind.NOOP else None
        instance.set_status(InstanceStatus.CURRENT, DetailedStatus.SUCCEEDED, reason)

    def _gate(
        self, stack_set: StackSet, operation: Operation, instance: StackInstance, kind: DeployKind, result: TargetResult
    ) -> bool:
        """Ask the account gate; False when it failed the target."""
        if self.account_gate is None:
            return True
        gate = self.account_gate.check(GateCheck(stack_set, operation, result.account, result.region))
        result.account_gate_result = gate
        if gate is None or gate.status is not GateStatus.FAILED:
            return True
        result.ended_at = self._now()
        if kind is DeployKind.DRIFT_CHECK:
            result.status = TargetStatus.FAILED
            result.status_reason = gate.status_reason
            instance.drift_status = DriftStatus.UNKNOWN
        else:
            self._fail(instance, kind, result, gate.status_reason)
        return False

    @staticmethod
    def _fail(instance: StackInstance, kind: DeployKind, result: TargetResult, reason: str | None) -> None:
        result.status = TargetStatus.FAILED
        result.status_reason = reason
        if kind is DeployKind.DELETE:
            instance.set_status(InstanceStatus.INOPERABLE, DetailedStatus.INOPERABLE, reason)
        elif kind is DeployKind.IMPORT:
            instance.set_status(InstanceStatus.INOPERABLE, DetailedStatus.FAILED_IMPORT, reason)
        else:
            instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.FAILED, reason)

    def _check_drift(
        self, stack_set: StackSet, operation: Operation, instance: StackInstance, result: TargetResult
    ) -> None:
        """Drift comes from scripted outcomes (moto has no stack drift detection of its own)."""
        rule = self._take(stack_set, operation, result, frozenset({OutcomeKind.DRIFT, OutcomeKind.FAIL}))
        now = self._now()
        result.ended_at = now
        if rule is not None and rule.kind is OutcomeKind.FAIL:
            result.status = TargetStatus.FAILED
            result.status_reason = rule.reason
            instance.drift_status = DriftStatus.UNKNOWN
            return
        stack_resources = (
            self.stack_resources(stack_set, instance)
            if self.stack_resources is not None and instance.stack_id is not None
            else None
        )
        found = _resource_statuses(rule, stack_resources)
        if rule is None:
            drift = DriftStatus.IN_SYNC
        elif rule.resources is None:
            drift = DriftStatus.DRIFTED
        elif stack_resources is None:  # the cloud lists no resources: the named ones decide
            drift = DriftStatus.DRIFTED if any(r.status.drifted for r in rule.resources) else DriftStatus.IN_SYNC
        else:
            drift = DriftStatus.DRIFTED if any(r.status.drifted for _, r in found) else DriftStatus.IN_SYNC
        result.status = TargetStatus.SUCCEEDED
        result.drift_status = drift
        instance.drift_status = drift
        instance.last_drift_check_timestamp = now
        if instance.stack_id is None:
            return
        for seq, (resource, scripted) in enumerate(found, start=1):
            result.resource_drifts.append(
                ResourceDrift(
                    seq,
                    instance.stack_id,
                    resource.logical_resource_id,
                    resource.physical_resource_id,
                    resource.resource_type,
                    scripted.status.value,
                    now,
                    list(scripted.property_differences) or None,
                )
            )

    def _take(
        self, stack_set: StackSet, operation: Operation, result: TargetResult, kinds: frozenset[OutcomeKind]
    ) -> Outcome | None:
        """The scripted outcome of one of ``kinds`` for this target, if a rule matches (consumed once)."""
        names = (stack_set.stack_set_name, stack_set.stack_set_id)
        return self.outcomes.take(self.cloud, result.account, result.region, names, operation.action.value, kinds)

    def _scripted(self, stack_set: StackSet, operation: Operation, result: TargetResult) -> DeployOutcome | None:
        rule = self._take(stack_set, operation, result, frozenset({OutcomeKind.FAIL, OutcomeKind.SUCCEED}))
        if rule is None:
            return None
        if rule.kind is OutcomeKind.FAIL:
            return DeployOutcome(succeeded=False, reason=rule.reason)
        instance = stack_set.instances[(result.account, result.region)]
        return DeployOutcome(succeeded=True, stack_id=instance.stack_id)

    def _cancel_queue(self, stack_set: StackSet, run: RegionRun, reason: str, execution: Execution) -> None:
        while run.queue:
            result = run.queue.popleft()
            _touch(execution, result)
            self._cancel(stack_set, result, reason)

    def _cancel(self, stack_set: StackSet, result: TargetResult, reason: str) -> None:
        """Cancel a target (one in a run's queue has been touched on the tally: ``_cancel_queue``)."""
        result.status = TargetStatus.CANCELLED
        result.status_reason = reason
        result.ended_at = self._now()
        instance = stack_set.instances.get((result.account, result.region))
        if instance is not None:
            instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.CANCELLED, reason)

    def _end(self, stack_set: StackSet, operation: Operation, failed_regions: list[str]) -> None:
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
        operation.end_timestamp = self._now()
        operation.execution = None
        refresh(operation)
        stack_set.in_flight.pop(operation.operation_id, None)
        if operation.action is OperationAction.DETECT_DRIFT:
            stack_set.last_drift_detection = operation


def _touch(execution: Execution, result: TargetResult) -> None:
    """Tell the running operation's tally that ``result`` is about to change (before changing it)."""
    if execution.tally is not None:
        execution.tally.touch(result)


def _roles_changed(execution: Execution) -> None:
    """Tell the running operation's tally that role targets changed (after changing them)."""
    if execution.tally is not None:
        execution.tally.roles_changed()


def _resource_statuses(
    rule: Outcome | None, stack_resources: list[StackResource] | None
) -> list[tuple[StackResource, DriftedResource]]:
    """Each resource of the stack with what the check finds: the rule's entry for it (a named logical id the
    stack does not have is ignored), IN_SYNC for the others; every one MODIFIED for a rule naming none."""
    if stack_resources is None:
        return []
    if rule is None:
        named: dict[str, DriftedResource] = {}
        default = ResourceDriftStatus.IN_SYNC
    elif rule.resources is None:
        named, default = {}, ResourceDriftStatus.MODIFIED
    else:
        named, default = {r.logical_resource_id: r for r in rule.resources}, ResourceDriftStatus.IN_SYNC
    return [
        (r, named.get(r.logical_resource_id) or DriftedResource(r.logical_resource_id, default))
        for r in stack_resources
    ]
