"""What callers hand the engine: stack-set specs and changes, operation requests, instance filters, naming."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from .model import (
    AutoDeployment,
    DeploymentTargets,
    ManagedExecution,
    Parameter,
    PermissionModel,
    Preferences,
    StackInstance,
    StackSet,
    Tag,
    Target,
)

T = TypeVar("T")


class Naming(Protocol):
    """How a provider names things the engine creates."""

    def stack_set_id(self, name: str) -> str: ...

    def stack_set_arn(self, stack_set_id: str) -> str | None: ...

    def stack_name(self, stack_set: StackSet) -> str: ...


@dataclass
class StackSetSpec:
    stack_set_name: str
    permission_model: PermissionModel = PermissionModel.SELF_MANAGED
    description: str | None = None
    template_body: str | None = None
    template_url: str | None = None
    parameters: list[Parameter] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    auto_deployment: AutoDeployment | None = None
    managed_execution: ManagedExecution = field(default_factory=ManagedExecution)
    provider_properties: object | None = None


@dataclass
class StackSetChanges:
    """What an update changes; ``None`` keeps the current value."""

    description: str | None = None
    template_body: str | None = None
    template_url: str | None = None
    parameters: list[Parameter] | None = None
    capabilities: list[str] | None = None
    tags: list[Tag] | None = None
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    auto_deployment: AutoDeployment | None = None
    managed_execution: ManagedExecution | None = None
    permission_model: PermissionModel | None = None
    provider_properties: object | None = None

    FIELDS = (
        "description",
        "template_body",
        "template_url",
        "parameters",
        "capabilities",
        "tags",
        "administration_role_arn",
        "execution_role_name",
        "auto_deployment",
        "managed_execution",
        "permission_model",
        "provider_properties",
    )


@dataclass(frozen=True)
class StackSetRef:
    """Which stack set a call addresses, by its provider's rules, and what the caller requires of it.

    ``name_or_id`` finds a live stack set by name, or by id (a deleted one too where the call reads
    deleted stack sets); with ``by_name`` only a live stack set of that name (providers whose paths carry
    names only). ``expected_id``: the id the caller says the stack set has (``StackSetIdMismatch`` when it
    has another). ``check`` runs the caller's own rules on the stack set found (call identity, permission
    model, ...) before the call reads or changes anything else; it raises the caller's error and must
    not change the stack set. A plain string is a ``StackSetRef`` with ``name_or_id`` only.
    """

    name_or_id: str
    by_name: bool = False
    expected_id: str | None = None
    check: Callable[[StackSet], None] | None = None


#: How engine calls take the stack set they address: its name or id, or a ``StackSetRef``.
StackSetSelector = str | StackSetRef


def label(selector: StackSetSelector) -> str:
    """The name or id a caller used for a stack set (errors quote it)."""
    return selector.name_or_id if isinstance(selector, StackSetRef) else selector


@dataclass(frozen=True)
class ResolvedTargets:
    """Where an operation goes, as a ``TargetResolver`` found it for the stack set addressed."""

    targets: list[Target]
    #: What the operation records as its deployment targets (replacing the request's).
    deployment_targets: DeploymentTargets | None = None


#: The caller's rule for an operation's targets when they depend on the stack set addressed (its permission
#: model, its instances): called within the engine call, after the stack set is found and checked and before
#: anything changes; it raises the caller's own error for targets it refuses and must not change the stack set.
TargetResolver = Callable[[StackSet], ResolvedTargets]
#: An operation's targets: a list, or a ``TargetResolver``.
Targets = list[Target] | TargetResolver
#: An update's changes: given, or made from the stack set addressed within the call (same rules as a resolver).
Changes = StackSetChanges | Callable[[StackSet], StackSetChanges]


@dataclass(frozen=True)
class OperationRequest:
    """What every operation-starting call shares.

    ``provider_action`` is the front-end's own name for the call (e.g. Huawei's DEPLOY_STACK_SET), kept
    on the operation so the front-end can render it; ``description`` is a caller's free text about it.

    ``operation_id`` is the id the caller chose (AWS: an id used before is ``OperationIdExists``, or
    ``StaleRequest`` when other operations ran since). ``idempotency_key`` (a caller's client token,
    instead of an id) makes the call idempotent per stack set: the operation's id is derived from the
    stack set and the key; the same call again (same action and ``provider_action``) returns the operation
    the key started, whatever state it is in, and changes nothing; the key used for another call is
    ``IdempotencyMismatch``.
    """

    operation_id: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    deployment_targets: DeploymentTargets | None = None
    provider_action: str | None = None
    description: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ListQuery(Generic[T]):
    """How a front-end wants a listing cut.

    By token (``token``/``limit``: the engine's opaque tokens, bound to the listing, its parent and
    ``bound``, the filters the caller's token must be used with again) or by page number (``number``,
    from 1, and ``limit`` items a page: providers that count pages). ``predicate`` keeps only the items
    that match; ``newest_first`` walks the listing backwards.
    """

    token: str | None = None
    limit: int | None = None
    number: int | None = None
    newest_first: bool = False
    predicate: Callable[[T], bool] | None = None
    bound: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class InstanceFilter:
    detailed_status: str | None = None
    last_operation_id: str | None = None
    drift_status: str | None = None
    account: str | None = None
    region: str | None = None

    def matches(self, instance: StackInstance) -> bool:
        return (
            (self.detailed_status is None or instance.detailed_status.value == self.detailed_status)
            and (self.last_operation_id is None or instance.last_operation_id == self.last_operation_id)
            and (self.drift_status is None or instance.drift_status.value == self.drift_status)
            and (self.account is None or instance.account == self.account)
            and (self.region is None or instance.region == self.region)
        )


#: Where the namespace reads the transition in force for its operation model (moto's state manager).
TransitionSource = Callable[[], Mapping[str, Any]]
