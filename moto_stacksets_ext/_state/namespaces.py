"""The one store of namespaces: the engine namespaces of the gateway's clouds, kept in a moto backend so
moto's reset clears them, and the resets of the plugin's process-wide state.

AWS's namespaces live in the CloudFormation front-end's own ``BackendDict`` (one per account and
region). Huawei RFS and Alibaba ROS namespaces are created on first use through ``namespace``.
Whatever keeps state outside moto's backends (the record of calls, scripted Hook outcomes, in-process Hook
code, each cloud's operation model) registers its reset with ``on_reset``; moto's reset runs them all.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from ..engine.clock import clock
from ..engine.outcomes import outcomes
from ..engine.stacksets import StackSetNamespace

NamespaceKey = tuple[str, str, str]


@dataclass
class Settings:
    """Switches a test can turn on (reset with moto's reset). A cloud's own switches are its front-end's state
    (``extension``: AWS's role checks, Huawei's project table); what is here is one switch of every cloud that
    signs requests, by cloud name (``_state.credentials``)."""

    #: Strict signature mode per cloud: the access keys (and their secrets) requests must be signed with.
    signature_credentials: dict[str, dict[str, str]] = field(default_factory=dict)


class CloudNamespacesBackend(BaseBackend):
    """Holds every non-AWS namespace, keyed by (cloud, account, region).

    Its reset also runs every reset registered with ``on_reset`` (the plugin's process-wide state), so
    whatever touches that state calls ``touch`` first: moto resets only the backends in use.
    """

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.namespaces: dict[NamespaceKey, StackSetNamespace] = {}
        self.settings = Settings()
        #: A front-end's own stores beyond stack sets (RFS stacks and private hooks), by the front-end's key.
        self.extensions: dict[str, object] = {}

    def reset(self) -> None:
        reset_process_state()
        super().reset()


#: What resets with moto: each registered once, run in registration order.
_resets: list[Callable[[], None]] = []
_resets_lock = threading.Lock()


def on_reset(reset: Callable[[], None]) -> None:
    """Run ``reset`` whenever the plugin's process-wide state resets (moto's reset, a mock's start and end)."""
    with _resets_lock:
        if reset not in _resets:
            _resets.append(reset)


def reset_process_state() -> None:
    """Reset what the plugin keeps outside moto's backends: every reset registered with ``on_reset``."""
    with _resets_lock:
        resets = list(_resets)
    for reset in resets:
        reset()


# The engine knows nothing of moto: its process-wide state (the clock, scripted deployment outcomes) resets
# through the store.
on_reset(clock.reset)
on_reset(outcomes.clear)


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
    on_reset(_unset_transition(model_name))

    def transition() -> Mapping[str, Any]:
        found: Mapping[str, Any] = state_manager.get_transition(model_name)
        return found

    return transition


@functools.cache
def _unset_transition(model_name: str) -> Callable[[], None]:
    """The reset of one model's progression (one function per model, so it registers once)."""

    def unset() -> None:
        state_manager.unset_transition(model_name)

    return unset
