"""RFS stacks as typed state: stacks, their resources, events, deployments in flight and execution plans.

One ``StackStore`` per (domain, region), kept in the plugin's moto backend (``namespaces.extension``) so moto's
reset clears it. The store holds no request logic; ``stacks.py`` changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from .. import namespaces
from ..engine.lifecycle import Pace
from .terraform import TfResource


class StackStatus(str, Enum):
    CREATION_COMPLETE = "CREATION_COMPLETE"
    DEPLOYMENT_IN_PROGRESS = "DEPLOYMENT_IN_PROGRESS"
    DEPLOYMENT_FAILED = "DEPLOYMENT_FAILED"
    DEPLOYMENT_COMPLETE = "DEPLOYMENT_COMPLETE"
    ROLLBACK_IN_PROGRESS = "ROLLBACK_IN_PROGRESS"
    ROLLBACK_FAILED = "ROLLBACK_FAILED"
    ROLLBACK_COMPLETE = "ROLLBACK_COMPLETE"
    DELETION_IN_PROGRESS = "DELETION_IN_PROGRESS"
    DELETION_FAILED = "DELETION_FAILED"

    @property
    def in_progress(self) -> bool:
        return self.value.endswith("_IN_PROGRESS")


class PlanStatus(str, Enum):
    CREATION_IN_PROGRESS = "CREATION_IN_PROGRESS"
    CREATION_FAILED = "CREATION_FAILED"
    AVAILABLE = "AVAILABLE"
    APPLY_IN_PROGRESS = "APPLY_IN_PROGRESS"
    APPLIED = "APPLIED"


class PendingKind(str, Enum):
    DEPLOY = "DEPLOY"
    DELETE = "DELETE"
    PLAN = "PLAN"


@dataclass(frozen=True)
class Agency:
    provider_name: str
    agency_name: str | None = None
    agency_urn: str | None = None


@dataclass(frozen=True)
class VarEntry:
    """One ``vars_structure`` item; an encrypted value keeps its KMS key and cipher text."""

    var_key: str
    var_value: str
    kms_id: str | None = None
    cipher_text: str | None = None


@dataclass(frozen=True)
class StackInput:
    """What a deployment deploys: the template (text or OBS URI) and vars as sent."""

    template_body: str | None = None
    template_uri: str | None = None
    vars_body: str | None = None
    vars_uri: str | None = None
    vars_structure: tuple[VarEntry, ...] = ()


@dataclass
class StackResourceState:
    resource: TfResource
    physical_id: str
    physical_name: str | None
    status: str = "CREATION_COMPLETE"


@dataclass(frozen=True)
class StackEvent:
    time: datetime
    event_type: str
    event_message: str
    deployment_id: str | None
    resource_type: str | None = None
    resource_name: str | None = None
    resource_id_key: str | None = None
    resource_id_value: str | None = None
    resource_key: str | None = None
    elapsed_seconds: int | None = None


@dataclass(frozen=True)
class PlanItem:
    resource: TfResource
    action: str  # ADD, UPDATE, DELETE, NO_OPERATION
    resource_id: str | None
    attributes: tuple[tuple[str, str | None, str | None], ...] = ()  # (name, previous, target)


@dataclass
class ExecutionPlanState:
    execution_plan_id: str
    name: str
    description: str | None
    stack_input: StackInput
    created_at: datetime
    status: PlanStatus = PlanStatus.CREATION_IN_PROGRESS
    status_message: str | None = None
    applied_at: datetime | None = None
    items: list[PlanItem] = field(default_factory=list)
    #: The stack's deployment count when the plan was made: a later deployment expires it.
    generation: int = 0


@dataclass
class Pending:
    """A deployment, deletion or plan creation in flight, and its pace (moto state-manager progression)."""

    kind: PendingKind
    pace: Pace
    deployment_id: str | None = None
    stack_input: StackInput | None = None
    plan_id: str | None = None
    retain_resources: bool = False


@dataclass
class RfsStack:
    stack_id: str
    stack_name: str
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    enable_deletion_protection: bool = False
    enable_auto_rollback: bool = False
    agencies: tuple[Agency, ...] = ()
    status: StackStatus = StackStatus.CREATION_COMPLETE
    status_message: str | None = None
    #: The input of the last deployment started (ContinueDeployStack deploys it again).
    stack_input: StackInput = field(default_factory=StackInput)
    #: The input of the last deployment that completed (what resources and outputs come from).
    deployed: StackInput | None = None
    #: The vars the deployed input resolved to (outputs resolve against them).
    variables: dict[str, object] = field(default_factory=dict)
    resources: list[StackResourceState] = field(default_factory=list)
    events: list[StackEvent] = field(default_factory=list)
    plans: dict[str, ExecutionPlanState] = field(default_factory=dict)
    pending: Pending | None = None
    #: How many deployments started (execution plans made before the latest one are expired).
    generation: int = 0
    #: The stack set whose stack instance this stack is (None for a stack made through the stack API).
    stack_set_name: str | None = None


@dataclass
class StackStore:
    """The stacks of one (domain, region), in creation order."""

    domain_id: str
    region: str
    stacks: dict[str, RfsStack] = field(default_factory=dict)  # by name

    def by_id(self, stack_id: str) -> RfsStack | None:
        return next((s for s in self.stacks.values() if s.stack_id == stack_id), None)


@dataclass
class _Stores:
    by_key: dict[tuple[str, str], StackStore] = field(default_factory=dict)


def store_of(domain_id: str, region: str) -> StackStore:
    """The stacks of a domain in a region (created on first use; cleared by moto's reset)."""
    stores = namespaces.extension("huawei-rfs-stacks", _Stores)
    assert isinstance(stores, _Stores)
    found = stores.by_key.get((domain_id, region))
    if found is None:
        found = stores.by_key[(domain_id, region)] = StackStore(domain_id, region)
    return found
