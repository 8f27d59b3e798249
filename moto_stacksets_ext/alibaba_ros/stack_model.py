"""ROS stacks: typed state (stacks, their resources and events) and where they live.

Stacks live per (account, region) in a moto backend, so moto's reset clears them. Two kinds exist: the
stacks of stack-group instances (created in the member account and region by the ROS deployer, named
``StackGroup-<group>-<uuid>``) and stacks created with ``CreateStack``. Both are read with the same calls.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID

from ..engine.lifecycle import Pace
from ..engine.model import Parameter, Tag
from .template_resources import StackTemplate


class StackAction(str, Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    CREATE_ROLLBACK = "CREATE_ROLLBACK"
    ROLLBACK = "ROLLBACK"


class Phase(str, Enum):
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


def status_word(action: StackAction | str, phase: Phase) -> str:
    """``CREATE_IN_PROGRESS``, ``UPDATE_COMPLETE``, ``CREATE_ROLLBACK_FAILED``..."""
    verb = action.value if isinstance(action, StackAction) else action
    return f"{verb}_{phase.value}"


@dataclass
class StackResource:
    """One resource of a stack (``ListStackResources`` / ``GetStackResource``)."""

    logical_id: str
    resource_type: str
    #: The resource's properties as the template declares them (a template's own JSON).
    properties: dict[str, object]
    status: str
    created_at: datetime
    updated_at: datetime
    physical_id: str | None = None
    status_reason: str | None = None
    description: str | None = None
    #: The properties as last deployed, references resolved (what an update compares with).
    resolved: dict[str, object] | None = None
    #: Attributes ``Fn::GetAtt`` reads (the modelled types only: StackGroup, StackInstances).
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StackEvent:
    """One event of ``ListStackEvents`` (the stack's own events have the stack's name as logical id)."""

    seq: int
    event_id: str
    stack_id: str
    stack_name: str
    logical_id: str
    resource_type: str
    status: str
    created_at: datetime
    physical_id: str | None = None
    status_reason: str | None = None


@dataclass
class Output:
    key: str
    value: object
    description: str | None = None


@dataclass
class RosStack:
    """A ROS stack in ``account`` and ``region``."""

    seq: int
    stack_id: str
    stack_name: str
    account: str
    region: str
    template: StackTemplate
    parameters: list[Parameter]
    status: str
    created_at: datetime
    updated_at: datetime | None = None
    status_reason: str | None = None
    disable_rollback: bool = False
    timeout_in_minutes: int = 60
    deletion_protection: str = "Disabled"
    tags: list[Tag] = field(default_factory=list)
    resource_group_id: str | None = None
    ram_role_name: str | None = None
    notification_urls: list[str] = field(default_factory=list)
    #: The stack group whose instance this stack is (None: created with CreateStack).
    stack_group_name: str | None = None
    resources: dict[str, StackResource] = field(default_factory=dict)
    events: list[StackEvent] = field(default_factory=list)
    #: The action in progress (None: the stack is at rest).
    run: object | None = None
    #: How the action in progress advances (None: driven by a stack-group deployment).
    pace: Pace | None = None
    #: The template and parameters before an update (what its rollback restores).
    previous: tuple[StackTemplate, list[Parameter]] | None = None

    @property
    def in_progress(self) -> bool:
        return self.status.endswith("_IN_PROGRESS")

    @property
    def arn(self) -> str:
        return f"acs:ros:{self.region}:{self.account}:stack/{self.stack_id}"


class StackStore:
    """The stacks of one (account, region)."""

    def __init__(self, account: str, region: str) -> None:
        self.account = account
        self.region = region
        self.stacks: dict[str, RosStack] = {}
        #: ``ClientToken`` of CreateStack → the stack it created (the same call again returns it).
        self.client_tokens: dict[str, str] = {}
        self._seq = itertools.count(1)
        self._events = itertools.count(1)

    def next_seq(self) -> int:
        return next(self._seq)

    def next_event(self) -> int:
        return next(self._events)

    def by_name(self, name: str) -> RosStack | None:
        return next((s for s in self.stacks.values() if s.stack_name == name), None)

    def ordered(self) -> list[RosStack]:
        return sorted(self.stacks.values(), key=lambda s: s.seq)


class RosStacksBackend(BaseBackend):
    """Holds every (account, region)'s stacks (one instance; moto's reset replaces it)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.stores: dict[tuple[str, str], StackStore] = {}
        self.lock = threading.RLock()


ros_stacks_backends = BackendDict(
    RosStacksBackend, "stacksets-alibaba-stacks", use_boto3_regions=False, additional_regions=["aws"]
)


def _holder() -> RosStacksBackend:
    backend: RosStacksBackend = ros_stacks_backends[DEFAULT_ACCOUNT_ID]["aws"]
    return backend


def store(account: str, region: str) -> StackStore:
    """The stacks of ``account`` in ``region`` (created, empty, on first use)."""
    holder = _holder()
    with holder.lock:
        found = holder.stores.get((account, region))
        if found is None:
            found = holder.stores[(account, region)] = StackStore(account, region)
    return found


def all_stores() -> list[StackStore]:
    return list(_holder().stores.values())


def new_stack_id() -> str:
    return str(uuid.uuid4())
