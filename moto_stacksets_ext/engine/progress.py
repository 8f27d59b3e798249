"""An operation's progress by stage, counted from its results (kept current by the executor).

``refresh(operation)`` sets ``Operation.status_details`` (failed count, totals, ``Stages``) and
``regional_status_details`` from what the operation's results and role targets say at that moment, so a
caller polling a running operation (manual or time progression) sees its counts and percentages move.

Counting, as the AWS model documents it:

* totals: the operation's targets (``TotalStackInstancesCount``) and distinct accounts
  (``TotalAccountsCount``), known once the targets are resolved (at the call here);
* role provisioning: ``NOT_APPLICABLE`` (no counts) for an operation that provisions no roles; otherwise
  NOT_STARTED until the operation begins, IN_PROGRESS while accounts are pending, then SUCCEEDED, FAILED
  (every account failed) or PARTIAL_SUCCESS;
* stack instances deployment: ``NOT_APPLICABLE`` for drift detection; NOT_STARTED until an instance starts
  (queued, provisioning roles, or ended before any started; SUCCEEDED for a successful operation without
  targets, FAILED when every instance was skipped); IN_PROGRESS until every instance reached a final
  state; then SUCCEEDED (every instance not skipped succeeded), FAILED (none succeeded) or PARTIAL_SUCCESS.
  Completed counts succeeded, failed, cancelled and skipped instances; pending is the rest;
  ``PercentageCompleted`` is completed / total * 100 (100 for an operation without targets once it ended).

Counting is incremental while an operation runs: its ``Execution`` carries a ``Tally`` (its results counted
once, by region, when it begins), the executor calls ``Tally.touch`` on a result before it changes the
result's status, and ``refresh`` recounts only the results touched since the last refresh. A step costs
O(targets it moved + regions), not O(all targets): a rollout to N accounts one at a time refreshes N times.
Without an execution (planned, queued, ended) the results are counted from scratch, as the tally would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Operation, OperationAction, OperationStatus, StatusDetails, TargetResult, TargetStatus
from .stages import (
    RegionalStackInstancesDeployment,
    RegionalStages,
    RegionalStatusDetail,
    RoleProvisioning,
    RoleTarget,
    StackInstancesDeployment,
    Stages,
)
from .vocabulary import StageStatus

__all__ = ["Counts", "Tally", "refresh"]


@dataclass
class Counts:
    """Results counted: by status (skipped ones apart), skipped, started (``started_at`` set) and in all."""

    by_status: dict[TargetStatus, int] = field(default_factory=lambda: dict.fromkeys(TargetStatus, 0))
    skipped: int = 0
    started: int = 0
    total: int = 0

    def add(self, status: TargetStatus, skipped: bool, started: bool, sign: int = 1) -> None:
        if skipped:
            self.skipped += sign
        else:
            self.by_status[status] += sign
        if started:
            self.started += sign

    def add_result(self, result: TargetResult) -> None:
        self.add(result.status, result.skipped, result.started_at is not None)
        self.total += 1

    def plus(self, other: Counts) -> None:
        for status, count in other.by_status.items():
            self.by_status[status] += count
        self.skipped += other.skipped
        self.started += other.started
        self.total += other.total


def _by_region(results: Iterable[TargetResult]) -> dict[str, Counts]:
    """Counts per region, regions in the order of their first result."""
    regions: dict[str, Counts] = {}
    for result in results:
        counts = regions.get(result.region)
        if counts is None:
            counts = regions[result.region] = Counts()
        counts.add_result(result)
    return regions


def _role_counts(targets: list[RoleTarget]) -> tuple[int, int]:
    """Accounts whose role provisioning succeeded, and failed (or was cancelled)."""
    succeeded = sum(1 for t in targets if t.status is TargetStatus.SUCCEEDED)
    failed = sum(1 for t in targets if t.status in (TargetStatus.FAILED, TargetStatus.CANCELLED))
    return succeeded, failed


class Tally:
    """A running operation's results counted by region, kept current from the results the executor touches.

    The results of an operation are fixed once it is planned (their statuses change, the list does not).
    ``touch(result)`` must come before any change to the result's ``status``, ``skipped`` or ``started_at``;
    ``catch_up`` then moves each touched result from what it was to what it is. ``roles_changed`` must be
    called after any change to a role target's status.
    """

    def __init__(self, operation: Operation) -> None:
        results = list(operation.results)
        self.regions = _by_region(results)
        self.accounts = len({r.account for r in results})
        self._touched: dict[int, tuple[TargetResult, TargetStatus, bool, bool]] = {}
        self._roles: tuple[int, int] | None = None

    def touch(self, result: TargetResult) -> None:
        if id(result) not in self._touched:
            self._touched[id(result)] = (result, result.status, result.skipped, result.started_at is not None)

    def roles_changed(self) -> None:
        self._roles = None

    def role_counts(self, targets: list[RoleTarget]) -> tuple[int, int]:
        if self._roles is None:
            self._roles = _role_counts(targets)
        return self._roles

    def catch_up(self) -> None:
        for result, status, skipped, started in self._touched.values():
            counts = self.regions[result.region]
            counts.add(status, skipped, started, -1)
            counts.add(result.status, result.skipped, result.started_at is not None)
        self._touched.clear()


def _percentage(completed: int, total: int, ended: bool) -> float:
    if total == 0:
        return 100.0 if ended else 0.0
    return round(completed * 100.0 / total, 2)


def _outcome(succeeded: int, attempted: int) -> StageStatus:
    if attempted > 0 and succeeded == attempted:
        return StageStatus.SUCCEEDED
    if succeeded == 0:
        return StageStatus.FAILED
    return StageStatus.PARTIAL_SUCCESS


def _deployment(operation: Operation, counts: Counts, provisioning: bool, regional: bool) -> StackInstancesDeployment:
    kind = RegionalStackInstancesDeployment if regional else StackInstancesDeployment
    if operation.action is OperationAction.DETECT_DRIFT:
        return kind(StageStatus.NOT_APPLICABLE)
    count, skipped, total = counts.by_status, counts.skipped, counts.total
    completed = count[TargetStatus.SUCCEEDED] + count[TargetStatus.FAILED] + count[TargetStatus.CANCELLED] + skipped
    ended = operation.status.ended
    started = counts.started > 0
    if ended and total == 0:
        status = StageStatus.SUCCEEDED if operation.status is OperationStatus.SUCCEEDED else StageStatus.NOT_STARTED
    elif operation.status is OperationStatus.QUEUED or provisioning or not started:
        status = StageStatus.FAILED if ended and skipped == total else StageStatus.NOT_STARTED
    elif completed < total:
        status = StageStatus.IN_PROGRESS
    else:
        status = _outcome(count[TargetStatus.SUCCEEDED], total - skipped)
    stage = kind(
        status,
        succeeded_stack_instances_count=count[TargetStatus.SUCCEEDED],
        failed_stack_instances_count=count[TargetStatus.FAILED],
        completed_stack_instances_count=completed,
        pending_stack_instances_count=total - completed,
        cancelled_stack_instances_count=count[TargetStatus.CANCELLED],
        skipped_stack_instances_count=skipped,
        percentage_completed=_percentage(completed, total, ended),
    )
    if isinstance(stage, RegionalStackInstancesDeployment):
        stage.total_stack_instances_count = total
    return stage


def _roles(operation: Operation, tally: Tally | None) -> tuple[RoleProvisioning, bool]:
    """The role provisioning stage, and whether accounts are still pending in it."""
    targets = operation.role_targets
    if targets is None:
        return RoleProvisioning(StageStatus.NOT_APPLICABLE), False
    succeeded, failed = tally.role_counts(targets) if tally is not None else _role_counts(targets)
    completed = succeeded + failed
    pending = len(targets) - completed
    if operation.status is OperationStatus.QUEUED or (pending and operation.execution is None):
        status = StageStatus.NOT_STARTED
    elif pending:
        status = StageStatus.IN_PROGRESS
    else:
        status = _outcome(succeeded, len(targets))
    stage = RoleProvisioning(
        status,
        succeeded_accounts_count=succeeded,
        failed_accounts_count=failed,
        completed_accounts_count=completed,
        pending_accounts_count=pending,
        percentage_completed=_percentage(completed, len(targets), operation.status.ended),
    )
    return stage, pending > 0 and not operation.status.ended


def refresh(operation: Operation) -> None:
    """Count the operation's progress now (``status_details``, ``regional_status_details``): from its tally
    while it runs, from its results otherwise."""
    tally = operation.execution.tally if operation.execution is not None else None
    if tally is not None:
        tally.catch_up()
        regions, accounts = tally.regions, tally.accounts
    else:
        results = list(operation.results)
        regions, accounts = _by_region(results), len({r.account for r in results})
    whole = Counts()
    for counts in regions.values():
        whole.plus(counts)
    roles, provisioning = _roles(operation, tally)
    operation.status_details = StatusDetails(
        failed_stack_instances_count=whole.by_status[TargetStatus.FAILED],
        stages=Stages(roles, _deployment(operation, whole, provisioning, regional=False)),
        total_accounts_count=accounts,
        total_stack_instances_count=whole.total,
    )
    regional: dict[str, RegionalStatusDetail] = {}
    for region, counts in regions.items():
        stage = _deployment(operation, counts, provisioning, regional=True)
        assert isinstance(stage, RegionalStackInstancesDeployment)
        regional[region] = RegionalStatusDetail(RegionalStages(stage))
    operation.regional_status_details = regional
