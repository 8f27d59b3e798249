"""RFS private hooks: typed state per (domain, region), and the check the hook-checked stack APIs run.

A hook takes effect once it has a ``configuration`` with ``target_stacks`` ALL; its **default version**'s Rego
policy is evaluated (``rego.evaluate``) before CreateStack, DeployStack, ContinueDeployStack,
CreateExecutionPlan, ApplyExecutionPlan, DeleteStack and DeleteStackEnhanced, as Huawei documents, on the
input ``hook_input`` builds. ``policy.hook_result.is_passed`` false stops the deployment under ``failure_mode``
FAIL (a stack event carries ``err_msg`` or Huawei's default message) and is recorded as a warning under WARN.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from .. import namespaces
from .rego import evaluate

#: Huawei's default message when a failing policy gives no ``err_msg`` ("校验私有hook失败").
DEFAULT_FAILURE_MESSAGE = "Failed to validate the private hook."
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)


class TargetStacks(str, Enum):
    NONE = "NONE"
    ALL = "ALL"


class FailureMode(str, Enum):
    FAIL = "FAIL"
    WARN = "WARN"


@dataclass(frozen=True)
class HookConfiguration:
    target_stacks: TargetStacks = TargetStacks.NONE
    failure_mode: FailureMode = FailureMode.WARN


@dataclass(frozen=True)
class HookVersion:
    version: str
    description: str | None
    policy_body: str
    created_at: datetime


@dataclass
class PrivateHook:
    hook_id: str
    hook_name: str
    description: str | None
    default_version: str
    created_at: datetime
    updated_at: datetime
    configuration: HookConfiguration | None = None
    versions: dict[str, HookVersion] = field(default_factory=dict)


@dataclass
class HookStore:
    hooks: dict[str, PrivateHook] = field(default_factory=dict)  # by name, in creation order


@dataclass
class _Stores:
    by_key: dict[tuple[str, str], HookStore] = field(default_factory=dict)


def hooks_of(domain_id: str, region: str) -> HookStore:
    """The private hooks of a domain in a region (cleared by moto's reset)."""
    stores = namespaces.extension("huawei-rfs-hooks", _Stores)
    assert isinstance(stores, _Stores)
    found = stores.by_key.get((domain_id, region))
    if found is None:
        found = stores.by_key[(domain_id, region)] = HookStore()
    return found


def new_hook_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class HookFinding:
    """A hook whose policy did not pass: its name, version, mode and message."""

    hook_name: str
    hook_version: str
    failure_mode: FailureMode
    message: str

    @property
    def stops(self) -> bool:
        return self.failure_mode is FailureMode.FAIL


def check(domain_id: str, region: str, document: dict[str, object]) -> list[HookFinding]:
    """Evaluate every effective hook of (domain, region) on ``document``; the hooks that did not pass."""
    findings: list[HookFinding] = []
    for hook in hooks_of(domain_id, region).hooks.values():
        config = hook.configuration
        if config is None or config.target_stacks is not TargetStacks.ALL:
            continue
        version = hook.versions[hook.default_version]
        decision = evaluate(version.policy_body, document)
        if not decision.defined or decision.is_passed:
            continue
        findings.append(
            HookFinding(
                hook.hook_name, version.version, config.failure_mode, decision.err_msg or DEFAULT_FAILURE_MESSAGE
            )
        )
    return findings
