"""Typed state of the engine: stack sets, stack instances, operations and their per-target results.

Attribute names follow the AWS member names in snake_case (moto's serializer reads them that way); the
statuses are the engine's own vocabulary, which each front-end maps to its provider's words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from .lifecycle import Pace
from .pagination import SequencedList
from .runs import Execution  # the run state (``runs``)
from .stages import RegionalStatusDetail, RoleTarget, Stages
from .vocabulary import (  # the engine's vocabulary, re-exported (``__all__``)
    AccountFilterType,
    ConcurrencyMode,
    DetailedStatus,
    DifferenceType,
    DriftStatus,
    GateStatus,
    InstanceStatus,
    OperationAction,
    OperationStatus,
    PermissionModel,
    RegionConcurrency,
    ResourceDriftStatus,
    StackSetStatus,
    StageStatus,
    TargetStatus,
)


@dataclass
class Parameter:
    parameter_key: str
    parameter_value: str | None = None
    use_previous_value: bool | None = None


@dataclass
class Tag:
    key: str
    value: str


@dataclass
class Preferences:
    """Operation preferences exactly as the caller sent them (``None`` = not sent)."""

    region_concurrency_type: RegionConcurrency | None = None
    region_order: list[str] = field(default_factory=list)
    failure_tolerance_count: int | None = None
    failure_tolerance_percentage: int | None = None
    max_concurrent_count: int | None = None
    max_concurrent_percentage: int | None = None
    concurrency_mode: ConcurrencyMode | None = None

    def tolerance(self, targets_in_region: int) -> int:
        """Failures a region may have without failing (percentages round down)."""
        if self.failure_tolerance_count is not None:
            return self.failure_tolerance_count
        if self.failure_tolerance_percentage is not None:
            return targets_in_region * self.failure_tolerance_percentage // 100
        return 0

    def max_concurrency(self, targets_in_region: int) -> int:
        """Accounts deployed at once in a region (percentages round down, never below 1)."""
        if self.max_concurrent_count is not None:
            return max(1, self.max_concurrent_count)
        if self.max_concurrent_percentage is not None:
            return max(1, targets_in_region * self.max_concurrent_percentage // 100)
        return 1

    @property
    def parallel_regions(self) -> bool:
        return self.region_concurrency_type is RegionConcurrency.PARALLEL

    @property
    def strict(self) -> bool:
        return self.concurrency_mode is not ConcurrencyMode.SOFT_FAILURE_TOLERANCE


@dataclass
class DeploymentTargets:
    accounts: list[str] | None = None
    accounts_url: str | None = None
    organizational_unit_ids: list[str] | None = None
    account_filter_type: AccountFilterType | None = None
    #: The regions as the caller sent them, for providers that echo them with the targets (not AWS).
    regions: list[str] | None = None


@dataclass
class AutoDeployment:
    enabled: bool | None = None
    retain_stacks_on_account_removal: bool | None = None
    depends_on: list[str] | None = None


@dataclass
class ManagedExecution:
    active: bool = False


@dataclass(frozen=True)
class Target:
    """One deployment target: an account in a region (with the OU it was reached through, if any)."""

    account: str
    region: str
    organizational_unit_id: str = ""


@dataclass
class StatusDetails:
    """An operation's progress (``progress.refresh`` keeps it current while the operation runs)."""

    failed_stack_instances_count: int = 0
    stages: Stages | None = None
    total_accounts_count: int | None = None
    total_stack_instances_count: int | None = None


@dataclass
class AccountGateResult:
    """What a target's account gate decided; FAILED fails the target (the gate's reason is its reason)."""

    status: GateStatus
    status_reason: str | None = None


@dataclass
class StackInstanceComprehensiveStatus:
    detailed_status: DetailedStatus


@dataclass
class StackSetDriftDetectionDetails:
    drift_status: DriftStatus
    drift_detection_status: str
    last_drift_check_timestamp: datetime | None
    total_stack_instances_count: int
    drifted_stack_instances_count: int
    in_sync_stack_instances_count: int
    in_progress_stack_instances_count: int
    failed_stack_instances_count: int


@dataclass
class TargetResult:
    """The result of one target of one operation."""

    seq: int
    account: str
    region: str
    organizational_unit_id: str
    status: TargetStatus = TargetStatus.PENDING
    status_reason: str | None = None
    account_gate_result: AccountGateResult | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    #: For drift detection: what the check found.
    drift_status: DriftStatus | None = None
    #: The step of the operation in which this target started (1, 2, ...): the order targets ran in.
    batch: int | None = None
    #: For drift detection: what the check found for each resource of the instance's stack.
    resource_drifts: SequencedList[ResourceDrift] = field(default_factory=SequencedList)
    #: Not deployed: the role provisioning of its account failed (the result is CANCELLED, counted SKIPPED).
    skipped: bool = False


@dataclass
class ResourceDrift:
    """One resource of a stack instance's stack, as a drift check found it (AWS member names)."""

    seq: int
    stack_id: str
    logical_resource_id: str
    physical_resource_id: str | None
    resource_type: str
    stack_resource_drift_status: str
    timestamp: datetime
    #: For a MODIFIED resource: how its properties differ, when the drift was scripted with them.
    property_differences: list[PropertyDifference] | None = None


@dataclass(frozen=True)
class PropertyDifference:
    """One property of a drifted resource that differs from the template (AWS member names)."""

    property_path: str
    expected_value: str
    actual_value: str
    difference_type: DifferenceType = DifferenceType.NOT_EQUAL


@dataclass(frozen=True)
class StackResource:
    """A resource of a deployed stack, as the front-end's deployer reports it (for drift checks)."""

    logical_resource_id: str
    physical_resource_id: str | None
    resource_type: str


@dataclass
class ImportedStack:
    """An existing stack an import operation adopts as the instance of its account and region."""

    account: str
    region: str
    stack_id: str
    stack_name: str
    organizational_unit_id: str = ""


@dataclass
class AutoDeploymentTarget:
    """An OU a stack set deploys to, with its regions (ListStackSetAutoDeploymentTargets)."""

    seq: int
    organizational_unit_id: str
    regions: list[str]


@dataclass
class StackInstance:
    seq: int
    stack_set_id: str
    account: str
    region: str
    organizational_unit_id: str
    stack_name: str
    stack_id: str | None = None
    parameter_overrides: list[Parameter] = field(default_factory=list)
    status: InstanceStatus = InstanceStatus.OUTDATED
    stack_instance_status: StackInstanceComprehensiveStatus = field(
        default_factory=lambda: StackInstanceComprehensiveStatus(DetailedStatus.PENDING)
    )
    status_reason: str | None = None
    drift_status: DriftStatus = DriftStatus.NOT_CHECKED
    last_drift_check_timestamp: datetime | None = None
    last_operation_id: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.account, self.region)

    @property
    def detailed_status(self) -> DetailedStatus:
        return self.stack_instance_status.detailed_status

    def set_status(self, status: InstanceStatus, detailed: DetailedStatus, reason: str | None = None) -> None:
        self.status = status
        self.stack_instance_status = StackInstanceComprehensiveStatus(detailed)
        self.status_reason = reason


@dataclass
class Operation:
    seq: int
    operation_id: str
    stack_set_id: str
    action: OperationAction
    operation_preferences: Preferences
    creation_timestamp: datetime
    status: OperationStatus = OperationStatus.RUNNING
    retain_stacks: bool | None = None
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    end_timestamp: datetime | None = None
    deployment_targets: DeploymentTargets | None = None
    status_reason: str | None = None
    status_details: StatusDetails | None = None
    results: SequencedList[TargetResult] = field(default_factory=SequencedList)
    results_by_target: dict[tuple[str, str], TargetResult] = field(default_factory=dict)
    #: Parameter overrides the operation applies to its targets' instances (None: leave them as they are).
    parameter_overrides: list[Parameter] | None = None
    #: For an import: the stacks the operation adopts (None: not an import).
    imported_stacks: list[ImportedStack] | None = None
    #: The engine's progress through the targets; None once the operation has ended.
    execution: Execution | None = None
    #: The front-end's own name for the call that started it (None: the engine action says it all).
    provider_action: str | None = None
    #: The caller's description of the operation, if any.
    description: str | None = None
    #: How fast the operation progresses (see ``lifecycle``).
    pace: Pace | None = None
    #: The deployment stage's progress in each region (``progress.refresh``).
    regional_status_details: dict[str, RegionalStatusDetail] | None = None
    #: The accounts whose roles the operation provisions first (None: it provisions none).
    role_targets: list[RoleTarget] | None = None
    #: Operations of the namespace that must succeed before this one begins (AWS ``AutoDeployment.DependsOn``).
    after_operations: list[str] | None = None

    def add_result(self, result: TargetResult) -> None:
        self.results.append(result)
        self.results_by_target[(result.account, result.region)] = result

    def result(self, account: str, region: str) -> TargetResult | None:
        """The operation's result for one target (None: the operation did not target it)."""
        return self.results_by_target.get((account, region))

    @property
    def stack_set_drift_detection_details(self) -> StackSetDriftDetectionDetails | None:
        """Drift counts of a DETECT_DRIFT operation (in progress counts while it runs)."""
        if self.action is not OperationAction.DETECT_DRIFT:
            return None
        results = list(self.results)
        count = {status: 0 for status in TargetStatus}
        for result in results:
            count[result.status] += 1
        drifted = sum(1 for r in results if r.drift_status is DriftStatus.DRIFTED)
        in_sync = sum(1 for r in results if r.drift_status is DriftStatus.IN_SYNC)
        failed = count[TargetStatus.FAILED] + count[TargetStatus.CANCELLED]
        if not self.status.ended:
            detection = "IN_PROGRESS"
        elif self.status is OperationStatus.STOPPED:
            detection = "STOPPED"
        elif failed == 0:
            detection = "COMPLETED"
        elif failed == len(results):
            detection = "FAILED"
        else:
            detection = "PARTIAL_SUCCESS"
        if drifted:
            drift = DriftStatus.DRIFTED
        elif in_sync and self.status.ended:
            drift = DriftStatus.IN_SYNC
        else:
            drift = DriftStatus.NOT_CHECKED
        return StackSetDriftDetectionDetails(
            drift_status=drift,
            drift_detection_status=detection,
            last_drift_check_timestamp=self.end_timestamp,
            total_stack_instances_count=len(results),
            drifted_stack_instances_count=drifted,
            in_sync_stack_instances_count=in_sync,
            in_progress_stack_instances_count=count[TargetStatus.PENDING] + count[TargetStatus.RUNNING],
            failed_stack_instances_count=failed,
        )


@dataclass
class StackSet:
    seq: int
    stack_set_name: str
    stack_set_id: str
    stack_set_arn: str | None
    template_body: str | None
    permission_model: PermissionModel
    description: str | None = None
    status: StackSetStatus = StackSetStatus.ACTIVE
    template_url: str | None = None
    parameters: list[Parameter] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    auto_deployment: AutoDeployment | None = None
    managed_execution: ManagedExecution = field(default_factory=ManagedExecution)
    #: When the stack set was created and last changed (engine clock).
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: What a provider knows of the stack set beyond the engine's neutral fields: a typed object of the
    #: front-end's own (e.g. Huawei's agencies and vars), which only that front-end reads.
    provider_properties: object | None = None
    instances: dict[tuple[str, str], StackInstance] = field(default_factory=dict)
    instance_order: SequencedList[StackInstance] = field(default_factory=SequencedList)
    operations: SequencedList[Operation] = field(default_factory=SequencedList)
    operations_by_id: dict[str, Operation] = field(default_factory=dict)
    #: Operations not yet ended, by id, in creation order.
    in_flight: dict[str, Operation] = field(default_factory=dict)
    #: The last DETECT_DRIFT operation that ended.
    last_drift_detection: Operation | None = None

    @property
    def stack_set_output_bucket_path(self) -> str | None:
        """Where a front-end stores the stack set's execution role template, if its properties say."""
        path = getattr(self.provider_properties, "stack_set_output_bucket_path", None)
        return path if isinstance(path, str) else None

    @property
    def regions(self) -> list[str]:
        """Regions that have instances, in the order they first appeared."""
        return list(dict.fromkeys(instance.region for instance in self.instance_order))

    @property
    def organizational_unit_ids(self) -> list[str]:
        return sorted({i.organizational_unit_id for i in self.instance_order if i.organizational_unit_id})

    @property
    def auto_deployment_targets(self) -> list[AutoDeploymentTarget]:
        """Each OU the stack set's instances were deployed through, with the regions of its instances."""
        found: dict[str, AutoDeploymentTarget] = {}
        for instance in self.instance_order:
            unit = instance.organizational_unit_id
            if not unit:
                continue
            target = found.setdefault(unit, AutoDeploymentTarget(instance.seq, unit, []))
            if instance.region not in target.regions:
                target.regions.append(instance.region)
        return list(found.values())

    @property
    def stack_set_drift_detection_details(self) -> StackSetDriftDetectionDetails | None:
        """The result of the last completed drift detection, if any."""
        if self.last_drift_detection is None:
            return None
        return self.last_drift_detection.stack_set_drift_detection_details

    @property
    def drift_status(self) -> DriftStatus:
        details = self.stack_set_drift_detection_details
        return details.drift_status if details else DriftStatus.NOT_CHECKED

    @property
    def last_drift_check_timestamp(self) -> datetime | None:
        details = self.stack_set_drift_detection_details
        return details.last_drift_check_timestamp if details else None

    # -- accessors: how code outside the engine looks things up (the indexes stay the engine's) -------------
    def operation(self, operation_id: str | None) -> Operation | None:
        """One of the stack set's operations by id (None: no such operation)."""
        return None if operation_id is None else self.operations_by_id.get(operation_id)

    def instance(self, account: str, region: str) -> StackInstance | None:
        """The stack set's instance in ``account`` and ``region`` (None: it has none there)."""
        return self.instances.get((account, region))

    def has_instance(self, account: str, region: str) -> bool:
        return (account, region) in self.instances

    @property
    def has_instances(self) -> bool:
        return bool(self.instances)

    @property
    def instance_count(self) -> int:
        return len(self.instances)

    def newest_operations(self, limit: int) -> list[Operation]:
        """The stack set's ``limit`` newest operations, newest first."""
        return list(itertools.islice(self.operations.walk(None, newest_first=True), limit))

    @property
    def busy(self) -> bool:
        """Whether any of the stack set's operations is running or queued."""
        return bool(self.in_flight)

    def is_in_flight(self, operation: Operation) -> bool:
        """Whether ``operation`` (one of the stack set's) is running or queued."""
        return operation.operation_id in self.in_flight

    def first_operation_on(self, instance: StackInstance) -> Operation | None:
        """The earliest operation that targeted ``instance`` (the one that created it)."""
        for operation in self.operations.walk(instance.seq, newest_first=False):
            if operation.result(instance.account, instance.region) is not None:
                return operation
        return None

    def add_instance(self, instance: StackInstance) -> None:
        self.instances[instance.key] = instance
        self.instance_order.append(instance)

    def remove_instance(self, instance: StackInstance) -> None:
        self.instances.pop(instance.key, None)
        self.instance_order.remove(instance)

    def add_operation(self, operation: Operation) -> None:
        self.operations.append(operation)
        self.operations_by_id[operation.operation_id] = operation
        if not operation.status.ended:
            self.in_flight[operation.operation_id] = operation


__all__ = [
    "AccountFilterType",
    "AccountGateResult",
    "AutoDeployment",
    "AutoDeploymentTarget",
    "ConcurrencyMode",
    "DeploymentTargets",
    "DetailedStatus",
    "DifferenceType",
    "DriftStatus",
    "GateStatus",
    "ImportedStack",
    "InstanceStatus",
    "ManagedExecution",
    "Operation",
    "OperationAction",
    "OperationStatus",
    "Parameter",
    "PermissionModel",
    "Preferences",
    "PropertyDifference",
    "RegionConcurrency",
    "ResourceDrift",
    "ResourceDriftStatus",
    "StackInstance",
    "StackInstanceComprehensiveStatus",
    "StackResource",
    "StackSet",
    "StackSetDriftDetectionDetails",
    "StackSetStatus",
    "StageStatus",
    "StatusDetails",
    "Tag",
    "Target",
    "TargetResult",
    "TargetStatus",
]
