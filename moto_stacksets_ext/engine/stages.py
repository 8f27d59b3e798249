"""The stages of an operation and their progress counts (plain data; ``progress`` computes them).

An operation has two stages: provisioning roles in the target accounts (only where the front-end provisions
roles; ``NOT_APPLICABLE`` otherwise) and deploying the stack instances (``NOT_APPLICABLE`` for drift
detection). Attribute names are AWS member names in snake_case (``StatusDetails.Stages``,
``RegionalStatusDetails``), so moto's serializer renders them directly; an absent count is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .vocabulary import StageStatus, TargetStatus


@dataclass
class RoleTarget:
    """One account's role provisioning in an operation."""

    account: str
    status: TargetStatus = TargetStatus.PENDING
    status_reason: str | None = None


@dataclass
class RoleProvisioning:
    status: StageStatus
    succeeded_accounts_count: int | None = None
    failed_accounts_count: int | None = None
    completed_accounts_count: int | None = None
    pending_accounts_count: int | None = None
    percentage_completed: float | None = None


@dataclass
class StackInstancesDeployment:
    status: StageStatus
    succeeded_stack_instances_count: int | None = None
    failed_stack_instances_count: int | None = None
    completed_stack_instances_count: int | None = None
    pending_stack_instances_count: int | None = None
    cancelled_stack_instances_count: int | None = None
    skipped_stack_instances_count: int | None = None
    percentage_completed: float | None = None


@dataclass
class RegionalStackInstancesDeployment(StackInstancesDeployment):
    total_stack_instances_count: int | None = None


@dataclass
class Stages:
    role_provisioning: RoleProvisioning
    stack_instances_deployment: StackInstancesDeployment


@dataclass
class RegionalStages:
    regional_stack_instances_deployment: RegionalStackInstancesDeployment


@dataclass
class RegionalStatusDetail:
    stages: RegionalStages = field(
        default_factory=lambda: RegionalStages(RegionalStackInstancesDeployment(StageStatus.NOT_STARTED))
    )
