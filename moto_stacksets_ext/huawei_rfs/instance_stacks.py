"""The stacks behind RFS stack instances: the engine's deployer for Huawei creates, updates and deletes a real
RFS stack (``stack_state``) in the member domain and target region, named after the stack set, so the member
reads it with its own credentials through the stack API (GetStackMetadata, ListStackResources, ...).

The stack deploys the stack set's template with the stack set's vars and the instance's overrides, at the pace
of the stack-set operation (within the operation's step). Private hooks of the member domain are not
evaluated for these deployments: Huawei lists only the stack API calls as hook-checked.
"""

from __future__ import annotations

import uuid

from ..engine.clock import clock
from ..engine.execution import Deployment, DeployOutcome
from ..engine.model import Parameter
from ..engine.parameters import resolve_parameters
from ..engine.runs import DeployKind
from . import stacks
from .errors import RfsError
from .stack_state import Pending, PendingKind, RfsStack, StackInput, StackStatus, store_of
from .state import VarsUriOverride, properties
from .terraform import TemplateError
from .variables import parse_vars, render_vars


def _vars_body(deployment: Deployment) -> str | None:
    props = properties(deployment.stack_set)
    base: list[Parameter] = []
    if props.vars_body is not None:
        try:
            base = parse_vars(props.vars_body)
        except RfsError:
            base = []
    overrides = list(deployment.instance.parameter_overrides)
    if deployment.operation.parameter_overrides is not None:
        overrides = resolve_parameters(overrides, deployment.operation.parameter_overrides)
    chosen = {p.parameter_key: p for p in base}
    for override in overrides:
        if not isinstance(override, VarsUriOverride) and override.parameter_value is not None:
            chosen[override.parameter_key] = Parameter(override.parameter_key, override.parameter_value)
    return render_vars(list(chosen.values())) if chosen else None


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
        given = StackInput(
            template_body=deployment.stack_set.template_body,
            template_uri=deployment.stack_set.template_url,
            vars_body=_vars_body(deployment),
        )
        try:
            variables = stacks.variables_of(given)
            stacks.template_of(given, variables)
        except (RfsError, TemplateError) as error:
            return DeployOutcome(succeeded=False, reason=f"The template or vars cannot be deployed: {error}")
        if existing is None:
            now = clock.now()
            existing = RfsStack(str(uuid.uuid4()), name, now, now, stack_set_name=name)
            existing.description = properties(deployment.stack_set).initial_stack_description
            store.stacks[name] = existing
        existing.generation += 1
        existing.stack_input = given
        deployment_id = str(uuid.uuid4())
        existing.status = StackStatus.DEPLOYMENT_IN_PROGRESS
        pending = Pending(PendingKind.DEPLOY, stacks.immediate_pace(), deployment_id, given)
        stacks.finish_deployment(existing, pending)
        return DeployOutcome(succeeded=True, stack_id=existing.stack_id)
