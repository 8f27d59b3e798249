"""Helpers of the engine tests: a naming, a settable transition, stack-set specs."""

from __future__ import annotations

from moto_stacksets_ext.engine.model import ManagedExecution, PermissionModel, StackSet
from moto_stacksets_ext.engine.requests import StackSetSpec

A, B = "111111111111", "222222222222"
REGION = "eu-west-1"


class Naming:
    def stack_set_id(self, name: str) -> str:
        return f"{name}:id"

    def stack_set_arn(self, stack_set_id: str) -> str | None:
        return None

    def stack_name(self, stack_set: StackSet) -> str:
        return f"StackSet-{stack_set.stack_set_name}"


class Transition:
    """What moto's state manager would hand the namespace."""

    def __init__(self) -> None:
        self.value: dict[str, object] = {"progression": "immediate"}

    def __call__(self) -> dict[str, object]:
        return self.value


def spec(name: str = "base", managed: bool = False) -> StackSetSpec:
    made = StackSetSpec(stack_set_name=name, permission_model=PermissionModel.SELF_MANAGED, template_body="{}")
    made.managed_execution = ManagedExecution(active=managed)
    return made
