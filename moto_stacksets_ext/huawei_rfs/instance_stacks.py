"""The stacks behind RFS stack instances: the engine's deployer for Huawei creates, updates and deletes a real
RFS stack (``stack_state``) in the member domain and target region, named after the stack set, so the member
reads it with its own credentials through the stack API (GetStackMetadata, ListStackResources, ...).

The stack deploys the stack set's template with the stack set's vars and the instance's overrides, at the pace
of the stack-set operation (within the operation's step). Private hooks of the member domain are not
evaluated for these deployments: Huawei lists only the stack API calls as hook-checked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from ..engine.clock import clock
from ..engine.execution import Deployment, DeployOutcome
from ..engine.model import Parameter, StackSet
from ..engine.parameters import resolve_parameters
from ..engine.runs import DeployKind
from . import stacks
from .errors import RfsError
from .stack_state import Pending, PendingKind, RfsStack, StackInput, StackStatus, store_of
from .state import VarsUriOverride, properties
from .terraform import TemplateError
from .variables import parse_vars, render_vars


def _vars_body(
    stack_set: StackSet, instance_overrides: Sequence[Parameter], operation_overrides: Sequence[Parameter] | None
) -> str | None:
    props = properties(stack_set)
    base: list[Parameter] = []
    if props.vars_body is not None:
        try:
            base = parse_vars(props.vars_body)
        except RfsError:
            base = []
    overrides = list(instance_overrides)
    if operation_overrides is not None:
        overrides = resolve_parameters(overrides, list(operation_overrides))
    chosen = {p.parameter_key: p for p in base}
    for override in overrides:
        if not isinstance(override, VarsUriOverride) and override.parameter_value is not None:
            chosen[override.parameter_key] = Parameter(override.parameter_key, override.parameter_value)
    return render_vars(list(chosen.values())) if chosen else None


class _UnreadTemplate(Exception):
    """The stack set's template is a ``template_uri``: OBS, which the mock does not have, holds it."""

    def __init__(self, stack_set: StackSet) -> None:
        super().__init__(
            f"The template of stack set {stack_set.stack_set_name} is a template_uri, which the mock does not fetch"
            " (it has no OBS): give template_body to deploy its stacks."
        )


def _checked_input(stack_set: StackSet, vars_body: str | None) -> StackInput:
    """The stack's input (``TemplateError``/``RfsError`` when its template or vars cannot be deployed;
    ``_UnreadTemplate`` for a template the mock cannot read: never a silent stack without resources)."""
    if stack_set.template_body is None:
        raise _UnreadTemplate(stack_set)
    given = StackInput(template_body=stack_set.template_body, template_uri=stack_set.template_url, vars_body=vars_body)
    variables = stacks.variables_of(given)
    stacks.template_of(given, variables)
    return given


def _deploy(stack: RfsStack, given: StackInput) -> None:
    stack.generation += 1
    stack.stack_input = given
    stack.status = StackStatus.DEPLOYMENT_IN_PROGRESS
    stacks.finish_deployment(stack, Pending(PendingKind.DEPLOY, stacks.immediate_pace(), str(uuid.uuid4()), given))


def _new_stack(stack_set: StackSet, stack_id: str) -> RfsStack:
    now = clock.now()
    name = stack_set.stack_set_name
    stack = RfsStack(stack_id, name, now, now, stack_set_name=name)
    stack.description = properties(stack_set).initial_stack_description
    return stack


class InstanceStackDeployer:
    """The engine ``Deployer`` of RFS: every stack instance is a stack of the member domain."""

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        instance = deployment.instance
        store = store_of(instance.account, instance.region)
        name = deployment.stack_set.stack_set_name
        existing = store.stacks.get(name)
        if deployment.kind is DeployKind.DELETE:
            if existing is not None and existing.stack_id == instance.stack_id and not deployment.retain_stack:
                store.stacks.pop(name, None)
            return DeployOutcome(succeeded=True, stack_id=instance.stack_id)
        if deployment.kind is DeployKind.NOOP and existing is not None:
            return DeployOutcome(succeeded=True, stack_id=existing.stack_id)
        if existing is not None and existing.stack_id != instance.stack_id:
            return DeployOutcome(
                succeeded=False, reason=f"A stack named {name} already exists in domain {instance.account}."
            )
        if existing is not None and existing.status.in_progress:
            return DeployOutcome(succeeded=False, reason=f"The stack {name} is {existing.status.value}.")
        stack_set = deployment.stack_set
        try:
            vars_body = _vars_body(stack_set, instance.parameter_overrides, deployment.operation.parameter_overrides)
            given = _checked_input(stack_set, vars_body)
        except _UnreadTemplate as error:
            return DeployOutcome(succeeded=False, reason=str(error))
        except (RfsError, TemplateError) as error:
            return DeployOutcome(succeeded=False, reason=f"The template or vars cannot be deployed: {error}")
        if existing is None:
            existing = store.stacks[name] = _new_stack(deployment.stack_set, str(uuid.uuid4()))
        _deploy(existing, given)
        return DeployOutcome(succeeded=True, stack_id=existing.stack_id)


def restore_stacks(stack_sets: Sequence[StackSet]) -> None:
    """Deploy again the stacks of loaded instances in their member domains, under the same stack ids (state files
    keep stack sets, not stacks; AWS and ROS do the same). An instance whose stack cannot be deployed again, or
    whose member domain has a stack of that name already, is left without a stack (as AWS's are) and keeps why
    in its status reason."""
    for stack_set in stack_sets:
        for instance in stack_set.instance_order:
            if instance.stack_id is None:
                continue
            store = store_of(instance.account, instance.region)
            name = stack_set.stack_set_name
            if name in store.stacks:
                instance.stack_id = None
                instance.status_reason = f"Could not recreate the stack on load: a stack named {name} exists."
                continue
            try:
                given = _checked_input(stack_set, _vars_body(stack_set, instance.parameter_overrides, None))
            except (RfsError, TemplateError, _UnreadTemplate) as error:
                instance.stack_id = None
                instance.status_reason = f"Could not recreate the stack on load: {error}"
                continue
            stack = store.stacks[name] = _new_stack(stack_set, instance.stack_id)
            _deploy(stack, given)
