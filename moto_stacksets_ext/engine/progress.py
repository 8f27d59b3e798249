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
"""

from __future__ import annotations

from .model import Operation, OperationAction, OperationStatus, StatusDetails, TargetResult, TargetStatus
from .stages import (
    RegionalStackInstancesDeployment,
    RegionalStages,
    RegionalStatusDetail,
    RoleProvisioning,
    StackInstancesDeployment,
    Stages,
)
from .vocabulary import StageStatus

_FINAL = (TargetStatus.SUCCEEDED, TargetStatus.FAILED, TargetStatus.CANCELLED)


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


def _deployment(
    operation: Operation, results: list[TargetResult], provisioning: bool, regional: bool
) -> StackInstancesDeployment:
    kind = RegionalStackInstancesDeployment if regional else StackInstancesDeployment
    if operation.action is OperationAction.DETECT_DRIFT:
        return kind(StageStatus.NOT_APPLICABLE)
    count = {status: 0 for status in TargetStatus}
    skipped = 0
    for result in results:
        if result.skipped:
            skipped += 1
        else:
            count[result.status] += 1
    completed = count[TargetStatus.SUCCEEDED] + count[TargetStatus.FAILED] + count[TargetStatus.CANCELLED] + skipped
    total = len(results)
    ended = operation.status.ended
    started = any(r.started_at is not None for r in results)
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


def _roles(operation: Operation) -> tuple[RoleProvisioning, bool]:
    """The role provisioning stage, and whether accounts are still pending in it."""
    targets = operation.role_targets
    if targets is None:
        return RoleProvisioning(StageStatus.NOT_APPLICABLE), False
    succeeded = sum(1 for t in targets if t.status is TargetStatus.SUCCEEDED)
    failed = sum(1 for t in targets if t.status in (TargetStatus.FAILED, TargetStatus.CANCELLED))
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
    """Count the operation's progress now (``status_details``, ``regional_status_details``)."""
    results = list(operation.results)
    roles, provisioning = _roles(operation)
    failed = sum(1 for r in results if r.status is TargetStatus.FAILED and not r.skipped)
    operation.status_details = StatusDetails(
        failed_stack_instances_count=failed,
        stages=Stages(roles, _deployment(operation, results, provisioning, regional=False)),
        total_accounts_count=len({r.account for r in results}),
        total_stack_instances_count=len(results),
    )
    by_region: dict[str, list[TargetResult]] = {}
    for result in results:
        by_region.setdefault(result.region, []).append(result)
    regional: dict[str, RegionalStatusDetail] = {}
    for region, found in by_region.items():
        stage = _deployment(operation, found, provisioning, regional=True)
        assert isinstance(stage, RegionalStackInstancesDeployment)
        regional[region] = RegionalStatusDetail(RegionalStages(stage))
    operation.regional_status_details = regional
