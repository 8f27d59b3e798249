"""Stack-instance calls: Create/Update/DeleteStackInstances, GetStackInstance, ListStackInstances.

The calls that start operations hand the engine a target resolver (the targets of ``AccountIds`` or
``DeploymentTargets`` depend on the stack group's permission model and instances) and the ``ClientToken``
as the request's idempotency key: one engine call each.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine.model import Parameter, StackInstance, StackSet
from ..engine.requests import ResolvedTargets, TargetResolver
from ..engine.stacksets import InstanceFilter, OperationRequest
from . import render, targets
from .call import Call
from .paging import PageRequest
from .stack_model import store
from .stack_runner import outputs
from .templates import Template

MAX_ACCOUNTS_CREATE = 50
MAX_ACCOUNTS_UPDATE = 30
MAX_ACCOUNTS_DELETE = 50


def _check_overrides(stack_set: StackSet, overrides: list[Parameter] | None) -> None:
    if overrides and stack_set.template_body is not None:
        Template.parse(stack_set.template_body).check_overrides(overrides)


def _instance_options(call: Call) -> None:
    """Options the engine does not model, validated and otherwise accepted."""
    call.params.integer("TimeoutInMinutes", minimum=1, maximum=1440)


def _request(call: Call) -> OperationRequest:
    """The operation request of an instance call (its ClientToken the idempotency key)."""
    return OperationRequest(
        preferences=call.preferences(),
        provider_action=call.action,
        description=call.description("OperationDescription"),
        idempotency_key=call.client_token(),
    )


def _resolver(
    call: Call,
    region_ids: list[str],
    max_accounts: int,
    overrides: list[Parameter] | None = None,
    *,
    existing_only: bool = False,
) -> TargetResolver:
    """The call's targets for the stack group the engine found (overrides checked against its template;
    ``existing_only``: folder-reached targets only where it has an instance)."""

    def resolve(stack_set: StackSet) -> ResolvedTargets:
        resolved = targets.resolve(call, stack_set, region_ids, max_accounts=max_accounts)
        _check_overrides(stack_set, overrides)
        if existing_only:
            resolved = resolved.existing_through_folders(stack_set)
        return resolved.for_engine()

    return resolve


def create_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    request = _request(call)
    overrides = call.parameters("ParameterOverrides")
    _instance_options(call)
    call.params.boolean("DisableRollback")
    call.params.flat_list("DeploymentOptions", max_items=1)
    resolver = _resolver(call, region_ids, MAX_ACCOUNTS_CREATE, overrides)
    with call.engine(name):
        operation = call.namespace.create_instances(name, resolver, overrides, request)
    return {"OperationId": operation.operation_id}


def update_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    request = _request(call)
    overrides = call.parameters("ParameterOverrides")
    _instance_options(call)
    resolver = _resolver(call, region_ids, MAX_ACCOUNTS_UPDATE, overrides, existing_only=True)
    with call.engine(name):
        operation = call.namespace.update_instances(name, resolver, overrides, request)
    return {"OperationId": operation.operation_id}


def delete_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    retain = call.params.boolean("RetainStacks", required=True)
    assert retain is not None
    request = _request(call)
    resolver = _resolver(call, region_ids, MAX_ACCOUNTS_DELETE)
    with call.engine(name):
        operation = call.namespace.delete_instances(name, resolver, retain, request)
    return {"OperationId": operation.operation_id}


def instance_outputs(instance: StackInstance) -> list[dict[str, object]]:
    """The outputs of the instance's stack (in its account and region), as ``OutputOption=Enabled`` shows them."""
    stack = store(instance.account, instance.region).stacks.get(instance.stack_id or "")
    if stack is None or not stack.status.endswith("_COMPLETE"):
        return []
    return outputs(stack)


def get_stack_instance(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    account = call.params.required("StackInstanceAccountId")
    region = call.params.required("StackInstanceRegionId")
    output = call.params.choice("OutputOption", ("Enabled", "Disabled"), default="Disabled")
    with call.engine(name):
        stack_set, instance = call.namespace.read_instance(name, account, region, include_deleted=False)
    rendered = render.stack_instance(stack_set, instance, detailed=True)
    if output == "Enabled":
        rendered["Outputs"] = instance_outputs(instance)
    return {"StackInstance": rendered}


def list_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    account = call.params.string("StackInstanceAccountId")
    region = call.params.string("StackInstanceRegionId")
    request = PageRequest.from_params(call.params)
    predicate: Callable[[StackInstance], bool] | None = None
    if account is not None or region is not None:
        predicate = InstanceFilter(account=account, region=region).matches
    with call.engine(name):
        stack_set, found = call.namespace.page_instances(name, "ros-instances", request.query(predicate=predicate))
    return request.envelope("StackInstances", found, [render.stack_instance(stack_set, i) for i in found.items])
