"""The clouds the plugin serves: one ``Cloud`` record each, registered by the cloud's own front-end.

Everything that is about "every cloud" (the plugin's interception, the test-control API and its argument
checks, persistence, the pytest plugin, the live view) reads this registry; nothing outside a cloud's
front-end names the cloud. The built-in clouds register when their front-end is imported (``load`` imports
them on first use, so ``import moto_stacksets_ext`` stays light); another cloud registers with
``register`` (see "Adding a cloud" in docs/architecture.md).
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._transport.gateway import CloudFrontEnd
    from .engine.model import StackSet
    from .engine.stacksets import StackSetNamespace

#: The modules registering the built-in clouds (each as its ``CLOUD_RECORD``), in the order the plugin lists
#: them.
BUILT_IN = (
    "moto_stacksets_ext.cloudformation.cloud",
    "moto_stacksets_ext.huawei_rfs.cloud",
    "moto_stacksets_ext.alibaba_ros.cloud",
)


@dataclass(frozen=True)
class Cloud:
    """One cloud the plugin serves, as every cloud-wide part of the plugin sees it."""

    #: The cloud's name in the test-control API, the record of calls and state files (``aws``, ``huawei``...).
    name: str
    #: The model name of its operations in moto's state manager (``/moto-api/state-manager/set-transition``).
    operation_model: str
    #: What its account ids look like, and how the control API's messages describe them.
    account_pattern: re.Pattern[str]
    account_description: str
    #: A typical account id, every kind of character its ids use: an account value matching no cloud's pattern
    #: is described by the cloud whose example it looks most like (its characters, then its length).
    account_example: str
    #: Every region of the cloud (what the control API accepts).
    regions: Callable[[], Iterable[str]]
    #: The namespace of (account, region), created on first use; ``KeyError`` for a region that has none.
    namespace: Callable[[str, str], StackSetNamespace]
    #: The namespaces that exist now.
    namespaces: Callable[[], list[StackSetNamespace]]
    #: How messages name the cloud (the name when empty).
    title: str = ""
    #: Whether reading a namespace creates it (as moto's backends are created on first access).
    created_on_read: bool = False
    #: Whether (account, region) may hold a namespace (None: the region is one the engine lets it target).
    has_home: Callable[[str, str], bool] | None = None
    #: The front-end the gateway hands its requests to (None: the cloud is served by moto's dispatcher).
    front_end: CloudFrontEnd | None = None
    #: The provider's hosts the front-end does not serve: refused in-process, never sent.
    unserved_hosts: re.Pattern[str] | None = None
    #: The provider's domains (a regular expression): under TEST_SERVER_MODE only these are intercepted.
    provider_domains: str | None = None
    #: Run after a state file loaded stack sets into one of its namespaces (AWS: the moto stacks).
    restored: Callable[[Sequence[StackSet]], None] | None = None
    #: The front-end's own types a state file holds (its stack sets' ``provider_properties``), by type tag: the
    #: tags are part of the file format (``_state.codec``), never change one.
    persisted_types: Mapping[str, type] = field(default_factory=dict)
    #: Checks the cloud's environment variables when the server starts: a ``ValueError`` naming a malformed one
    #: stops the server (Huawei: ``MOTO_STACKSETS_HUAWEI_PROJECTS``).
    check_environment: Callable[[], None] | None = None

    @property
    def shown_as(self) -> str:
        return self.title or self.name

    def find(self, account: str, region: str) -> StackSetNamespace | None:
        """The namespace of (account, region) if it exists (or is created on read)."""
        if self.created_on_read:
            return self.namespace(account, region)
        for candidate in self.namespaces():
            if candidate.identity == (self.name, account, region):
                return candidate
        return None

    def is_home(self, account: str, region: str) -> bool:
        """Whether (account, region) may hold one of this cloud's namespaces."""
        if self.has_home is not None:
            return self.has_home(account, region)
        from .engine.errors import UnknownRegion
        from .engine.regions import check_targets

        try:
            check_targets((self.name, account, region), [region])
        except UnknownRegion:
            return False
        return True


_lock = threading.RLock()
_clouds: dict[str, Cloud] = {}
_loaded = False
#: The built-in clouds' names, in ``BUILT_IN`` order (whichever was imported first).
_built_in: list[str] = []


def register(cloud: Cloud) -> Cloud:
    """Add (or replace) ``cloud``; its operation model is registered with moto's state manager."""
    from ._state import namespaces

    namespaces.operation_model(cloud.operation_model)
    with _lock:
        _clouds[cloud.name] = cloud
    return cloud


def unregister(name: str) -> None:
    """Remove a cloud ``register`` added (a test's own cloud)."""
    with _lock:
        _clouds.pop(name, None)


def load() -> None:
    """Import the built-in clouds' front-ends (each registers itself), once."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            _built_in[:] = [importlib.import_module(module).CLOUD_RECORD.name for module in BUILT_IN]
            _loaded = True


def clouds() -> list[Cloud]:
    """Every registered cloud, the built-in ones first."""
    load()
    with _lock:
        found = list(_clouds.values())
    return sorted(found, key=lambda c: _built_in.index(c.name) if c.name in _built_in else len(_built_in))


def names() -> tuple[str, ...]:
    return tuple(cloud.name for cloud in clouds())


def get(name: str) -> Cloud:
    """The cloud named ``name`` (``KeyError`` if none is registered)."""
    load()
    with _lock:
        return _clouds[name]


def front_ends() -> list[CloudFrontEnd]:
    """The front-ends of the clouds the gateway serves."""
    return [cloud.front_end for cloud in clouds() if cloud.front_end is not None]


def check_environments() -> None:
    """Run every cloud's ``check_environment`` (the server, at start): a ``ValueError`` names a malformed
    environment variable."""
    for cloud in clouds():
        if cloud.check_environment is not None:
            cloud.check_environment()


def every_namespace() -> list[StackSetNamespace]:
    """The namespaces of every cloud that exist now."""
    return [namespace for cloud in clouds() for namespace in cloud.namespaces()]


class OperationModels(Mapping[str, str]):
    """Cloud name → the model name of its operations in moto's state manager, read from the registry."""

    def __getitem__(self, name: str) -> str:
        return get(name).operation_model

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(names())

    def __repr__(self) -> str:
        return repr(dict(self))


OPERATION_MODELS = OperationModels()
