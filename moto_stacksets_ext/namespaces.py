"""Engine namespaces of the non-AWS clouds, kept in a moto backend so moto's reset clears them.

AWS's namespaces live in the CloudFormation front-end's own ``BackendDict`` (one per account and
region). Huawei RFS and Alibaba ROS namespaces are created on first use through ``namespace``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from .cloudformation.hooks.handlers import HookHandlerBook
from .cloudformation.hooks.outcomes import HookOutcomeBook
from .engine.clock import clock
from .engine.outcomes import outcomes
from .engine.stacksets import StackSetNamespace

NamespaceKey = tuple[str, str, str]


@dataclass
class Settings:
    """Switches a test can turn on (reset with moto's reset)."""

    #: SELF_MANAGED deployments check moto IAM for the administration and execution roles.
    strict_roles: bool = False
    #: Strict signature mode per cloud: the access keys (and their secrets) requests must be signed with.
    signature_credentials: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Huawei project id → region, for project ids the mock's IAM did not hand out (server mode).
    huawei_projects: dict[str, str] = field(default_factory=dict)


class CloudNamespacesBackend(BaseBackend):
    """Holds every non-AWS namespace, keyed by (cloud, account, region).

    Its reset also resets the plugin's process-wide state (the engine clock, scripted outcomes, the record
    of calls, and the state-manager transitions of the plugin's operation models), so whatever touches that
    state calls ``touch`` first: moto resets only the backends in use.
    """

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.namespaces: dict[NamespaceKey, StackSetNamespace] = {}
        self.settings = Settings()
        #: Scripted CloudFormation Hook outcomes (what invoked Hooks decide).
        self.hook_outcomes = HookOutcomeBook()
        #: Hook code registered in-process (``control.hooks``): handlers by type name, functions by ARN.
        self.hook_handlers = HookHandlerBook()
        #: A front-end's own stores beyond stack sets (RFS stacks and private hooks), by the front-end's key.
        self.extensions: dict[str, object] = {}

    def reset(self) -> None:
        reset_process_state()
        super().reset()


#: The state-manager models the plugin registered (``operation_model``); their transitions reset with moto.
_operation_models: list[str] = []


def reset_process_state() -> None:
    """Reset what the plugin keeps outside moto's backends: the engine clock, scripted deployment outcomes,
    the record of calls and the progression (state-manager transition) of every plugin model."""
    from .calls import calls

    clock.reset()
    outcomes.clear()
    calls.clear()
    for model_name in list(_operation_models):
        state_manager.unset_transition(model_name)


cloud_namespaces_backends = BackendDict(
    CloudNamespacesBackend, "stacksets-clouds", use_boto3_regions=False, additional_regions=["aws"]
)


def touch() -> None:
    """Make sure moto's next reset reaches the engine's process-wide state."""
    _holder()


def _holder() -> CloudNamespacesBackend:
    backend: CloudNamespacesBackend = cloud_namespaces_backends[DEFAULT_ACCOUNT_ID]["aws"]
    return backend


def namespace(key: NamespaceKey, factory: Callable[[NamespaceKey], StackSetNamespace]) -> StackSetNamespace:
    """The namespace of ``key`` (cloud, account, region), created by ``factory`` on first use."""
    namespaces = _holder().namespaces
    found = namespaces.get(key)
    if found is None:
        found = namespaces[key] = factory(key)
    return found


def extension(key: str, factory: Callable[[], object]) -> object:
    """A front-end's own store ``key`` (created by ``factory`` on first use), cleared by moto's reset."""
    extensions = _holder().extensions
    found = extensions.get(key)
    if found is None:
        found = extensions[key] = factory()
    return found


def all_namespaces(cloud: str) -> list[StackSetNamespace]:
    return [ns for key, ns in _holder().namespaces.items() if key[0] == cloud]


def settings() -> Settings:
    return _holder().settings


def operation_model(model_name: str) -> Callable[[], Mapping[str, Any]]:
    """Register a cloud's operation model with moto's state manager (``immediate`` by default) and return
    what its namespaces read the transition in force from."""
    state_manager.register_default_transition(model_name, transition={"progression": "immediate"})
    if model_name not in _operation_models:
        _operation_models.append(model_name)

    def transition() -> Mapping[str, Any]:
        found: Mapping[str, Any] = state_manager.get_transition(model_name)
        return found

    return transition
