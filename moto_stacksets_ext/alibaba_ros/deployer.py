"""Deploying a ROS stack instance = creating, updating or deleting a ROS stack in the member account.

The stack (``StackGroup-<group>-<uuid>``) lives in the instance's account and region, so the member account
reads it with its own AccessKey (``GetStack``, ``ListStackResources``...). It runs as far as it can when
the target deploys; a stack waiting for a stack-group operation of its own (a template with
``ALIYUN::ROS::StackInstances``) leaves the target RUNNING until a later step finds it ended.
"""

from __future__ import annotations

from ..engine.clock import clock
from ..engine.execution import DeployKind, Deployment, DeployOutcome
from ..engine.model import Parameter, StackInstance, StackSet
from ..engine.parameters import resolve_parameters
from .errors import RosError
from .stack_model import RosStack, StackStore, new_stack_id, store
from .stack_runner import advance, start_create, start_delete, start_update
from .template_resources import StackTemplate

#: A stack group given by ``TemplateURL`` (which the mock does not fetch) deploys stacks of this template.
EMPTY_TEMPLATE = '{"ROSTemplateFormatVersion": "2015-09-01"}'
#: Stack statuses an import can adopt (a stack at rest).
IMPORTABLE = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "ROLLBACK_COMPLETE"})


def instance_parameters(stack_set: StackSet, overrides: list[Parameter]) -> list[Parameter]:
    """The stack group's parameters with the instance's overrides applied."""
    values = {p.parameter_key: p.parameter_value for p in stack_set.parameters if p.parameter_value is not None}
    for override in overrides:
        if override.parameter_value is not None:
            values[override.parameter_key] = override.parameter_value
    return [Parameter(key, value) for key, value in values.items()]


class RosStackDeployer:
    """The ROS front-end's deployer: one ROS stack per stack instance."""

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        instance = deployment.instance
        stacks = store(instance.account, instance.region)
        if isinstance(deployment.resume, str):
            resumed = stacks.stacks.get(deployment.resume)
            if resumed is None:
                return (
                    DeployOutcome(succeeded=True)
                    if deployment.kind is DeployKind.DELETE
                    else DeployOutcome(succeeded=False, reason=f"The Stack ({deployment.resume}) could not be found.")
                )
            return self._settle(resumed, stacks)
        kind = deployment.kind
        if kind is DeployKind.NOOP:
            return DeployOutcome(succeeded=True, stack_id=instance.stack_id)
        if kind is DeployKind.IMPORT:
            return self._adopt(deployment, stacks)
        existing = stacks.stacks.get(instance.stack_id or "")
        if kind is DeployKind.DELETE:
            if existing is None:
                return DeployOutcome(succeeded=True)
            if deployment.retain_stack:
                existing.stack_group_name = None
                return DeployOutcome(succeeded=True)
            if existing.in_progress:
                return DeployOutcome(succeeded=False, reason=f"The Stack ({existing.stack_name}) is in progress.")
            start_delete(existing, stacks, frozenset())
            return self._settle(existing, stacks)
        try:
            template = StackTemplate.parse(deployment.stack_set.template_body or EMPTY_TEMPLATE)
        except RosError as error:
            return DeployOutcome(succeeded=False, reason=error.message)
        parameters = instance_parameters(deployment.stack_set, self._overrides(deployment, instance))
        if kind is DeployKind.UPDATE and existing is not None:
            if existing.in_progress:
                return DeployOutcome(succeeded=False, reason=f"The Stack ({existing.stack_name}) is in progress.")
            start_update(existing, stacks, template, parameters)
            return self._settle(existing, stacks)
        now = clock.now()
        stack = RosStack(
            seq=stacks.next_seq(),
            stack_id=new_stack_id(),
            stack_name=instance.stack_name,
            account=instance.account,
            region=instance.region,
            template=template,
            parameters=parameters,
            status="CREATE_IN_PROGRESS",
            created_at=now,
            stack_group_name=deployment.stack_set.stack_set_name,
        )
        stacks.stacks[stack.stack_id] = stack
        start_create(stack, stacks)
        return self._settle(stack, stacks)

    @staticmethod
    def _overrides(deployment: Deployment, instance: StackInstance) -> list[Parameter]:
        if deployment.operation.parameter_overrides is None:
            return instance.parameter_overrides
        return resolve_parameters(instance.parameter_overrides, deployment.operation.parameter_overrides)

    @staticmethod
    def _settle(stack: RosStack, stacks: StackStore) -> DeployOutcome:
        if not advance(stack, stacks):
            return DeployOutcome.not_finished(stack.stack_id, reason=f"The Stack ({stack.stack_name}) is in progress.")
        if stack.status == "DELETE_COMPLETE":
            return DeployOutcome(succeeded=True)
        if stack.status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            return DeployOutcome(succeeded=True, stack_id=stack.stack_id)
        return DeployOutcome(succeeded=False, reason=stack.status_reason or stack.status)

    @staticmethod
    def _adopt(deployment: Deployment, stacks: StackStore) -> DeployOutcome:
        """Import: the instance takes the existing stack over, if it is still there and at rest."""
        instance = deployment.instance
        imported = next(
            s
            for s in deployment.operation.imported_stacks or []
            if (s.account, s.region) == (instance.account, instance.region)
        )
        stack = stacks.stacks.get(imported.stack_id)
        if stack is None:
            return DeployOutcome(succeeded=False, reason=f"The Stack ({imported.stack_id}) could not be found.")
        if stack.status not in IMPORTABLE:
            return DeployOutcome(
                succeeded=False,
                reason=f"The Stack ({stack.stack_name}) is in {stack.status} state and can not be imported.",
            )
        stack.stack_group_name = deployment.stack_set.stack_set_name
        return DeployOutcome(succeeded=True, stack_id=stack.stack_id)


def restore_stacks(stack_sets: list[StackSet]) -> None:
    """Create again the stacks of loaded instances (state files keep stack groups, not stacks), under the
    same stack ids; a stack that cannot be created again leaves its instance without one."""
    for stack_set in stack_sets:
        try:
            template = StackTemplate.parse(stack_set.template_body or EMPTY_TEMPLATE)
        except RosError:
            continue
        for instance in stack_set.instance_order:
            if instance.stack_id is None:
                continue
            stacks = store(instance.account, instance.region)
            stack = RosStack(
                seq=stacks.next_seq(),
                stack_id=instance.stack_id,
                stack_name=instance.stack_name,
                account=instance.account,
                region=instance.region,
                template=template,
                parameters=instance_parameters(stack_set, instance.parameter_overrides),
                status="CREATE_IN_PROGRESS",
                created_at=clock.now(),
                stack_group_name=stack_set.stack_set_name,
            )
            stacks.stacks[stack.stack_id] = stack
            start_create(stack, stacks)
            if not advance(stack, stacks) or stack.status != "CREATE_COMPLETE":
                instance.status_reason = f"Could not recreate the stack on load: {stack.status_reason or stack.status}"
