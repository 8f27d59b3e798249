"""The engine side of one ROS request: the (account, region) namespace, ROS naming and deployer."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.moto_api import state_manager

from .. import namespaces
from ..engine.clock import clock
from ..engine.execution import DeployKind, Deployment, DeployOutcome, Executor
from ..engine.model import Operation, StackSet
from ..engine.outcomes import outcomes
from ..engine.stacksets import StackSetNamespace

CLOUD = "alibaba"
#: The model name of ROS stack-group operations in moto's state manager
#: (``/moto-api/state-manager/set-transition``); ``immediate`` by default.
OPERATION_MODEL = "alibaba-ros::stackgroup-operation"
state_manager.register_default_transition(OPERATION_MODEL, transition={"progression": "immediate"})


def _transition() -> Mapping[str, Any]:
    transition: Mapping[str, Any] = state_manager.get_transition(OPERATION_MODEL)
    return transition


class RosNaming:
    """ROS ids: a StackGroupId is a UUID; stack groups have no ARN."""

    def stack_set_id(self, name: str) -> str:
        return str(uuid.uuid4())

    def stack_set_arn(self, stack_set_id: str) -> str | None:
        return None

    def stack_name(self, stack_set: StackSet) -> str:
        return f"StackGroup-{stack_set.stack_set_name}-{uuid.uuid4()}"


class RosDeployer:
    """Deploys nothing real: a created stack gets a UUID StackId, updates keep it, deletes drop it."""

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        if deployment.kind is DeployKind.CREATE:
            return DeployOutcome(succeeded=True, stack_id=str(uuid.uuid4()))
        return DeployOutcome(succeeded=True, stack_id=deployment.instance.stack_id)


def _factory(key: tuple[str, str, str]) -> StackSetNamespace:
    options: dict[str, Any] = {}
    if "transition" in inspect.signature(StackSetNamespace).parameters:  # the engine's lifecycle seam
        options["transition"] = _transition
    return StackSetNamespace(
        identity=key,
        naming=RosNaming(),
        executor=Executor(CLOUD, RosDeployer(), clock, outcomes),
        clock=clock,
        **options,
    )


def namespace(account: str, region: str) -> StackSetNamespace:
    """The engine namespace of ``account``'s stack groups in ``region``."""
    return namespaces.namespace((CLOUD, account, region), _factory)


@dataclass(frozen=True)
class Located:
    """An operation found by id alone, with its stack group."""

    stack_set: StackSet
    operation: Operation


def find_operation(ns: StackSetNamespace, operation_id: str) -> Located | None:
    """The operation ``operation_id`` of any stack group of ``ns`` (ROS addresses operations by id only)."""
    for stack_set in ns.stack_sets.values():
        operation = stack_set.operations_by_id.get(operation_id)
        if operation is not None:
            return Located(stack_set, operation)
    return None
