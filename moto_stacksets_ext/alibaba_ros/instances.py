"""Stack-instance calls: Create/Update/DeleteStackInstances, GetStackInstance, ListStackInstances."""

from __future__ import annotations

from collections.abc import Callable

from ..engine.model import Parameter, StackInstance, StackSet, Target
from ..engine.stacksets import InstanceFilter, OperationRequest
from . import render, targets
from .call import Call
from .errors import RosError
from .paging import PageRequest
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


def instance_exists(target: Target) -> RosError:
    return RosError(
        "StackInstanceExists", 409, f"The StackInstance ({target.account}, {target.region}) already exists."
    )


def create_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    preferences = call.preferences()
    description = call.description("OperationDescription")
    token = call.client_token()
    overrides = call.parameters("ParameterOverrides")
    _instance_options(call)
    call.params.boolean("DisableRollback")
    call.params.flat_list("DeploymentOptions", max_items=1)
    stack_set = call.stack_group(name)
    resolved = targets.resolve(call, stack_set, region_ids, max_accounts=MAX_ACCOUNTS_CREATE)
    _check_overrides(stack_set, overrides)
    operation_id = call.operation_id(stack_set, token)
    if call.replayed(stack_set, operation_id):
        return {"OperationId": operation_id}
    existing = next((t for t in resolved.targets if (t.account, t.region) in stack_set.instances), None)
    if existing is not None and not stack_set.in_flight:
        raise instance_exists(existing)
    request = OperationRequest(operation_id, preferences, resolved.deployment_targets, call.action, description)
    with call.engine(name):
        operation = call.namespace.create_instances(name, resolved.targets, overrides, request)
    return {"OperationId": operation.operation_id}


def update_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    preferences = call.preferences()
    description = call.description("OperationDescription")
    token = call.client_token()
    overrides = call.parameters("ParameterOverrides")
    _instance_options(call)
    stack_set = call.stack_group(name)
    resolved = targets.resolve(call, stack_set, region_ids, max_accounts=MAX_ACCOUNTS_UPDATE)
    _check_overrides(stack_set, overrides)
    chosen = [
        t
        for t in resolved.targets
        if (t.account, t.region) not in resolved.through_folders or (t.account, t.region) in stack_set.instances
    ]
    operation_id = call.operation_id(stack_set, token)
    if call.replayed(stack_set, operation_id):
        return {"OperationId": operation_id}
    request = OperationRequest(operation_id, preferences, resolved.deployment_targets, call.action, description)
    with call.engine(name):
        operation = call.namespace.update_instances(name, chosen, overrides, request)
    return {"OperationId": operation.operation_id}


def delete_stack_instances(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    region_ids = targets.regions(call)
    assert region_ids is not None
    retain = call.params.boolean("RetainStacks", required=True)
    assert retain is not None
    preferences = call.preferences()
    description = call.description("OperationDescription")
    token = call.client_token()
    stack_set = call.stack_group(name)
    resolved = targets.resolve(call, stack_set, region_ids, max_accounts=MAX_ACCOUNTS_DELETE)
    operation_id = call.operation_id(stack_set, token)
    if call.replayed(stack_set, operation_id):
        return {"OperationId": operation_id}
    request = OperationRequest(operation_id, preferences, resolved.deployment_targets, call.action, description)
    with call.engine(name):
        operation = call.namespace.delete_instances(name, resolved.targets, retain, request)
    return {"OperationId": operation.operation_id}


def get_stack_instance(call: Call) -> dict[str, object]:
    name = call.stack_group_name()
    account = call.params.required("StackInstanceAccountId")
    region = call.params.required("StackInstanceRegionId")
    output = call.params.choice("OutputOption", ("Enabled", "Disabled"), default="Disabled")
    stack_set = call.stack_group(name)
    with call.engine(name):
        instance = call.namespace.get_instance(stack_set.stack_set_id, account, region)
    rendered = render.stack_instance(stack_set, instance, detailed=True)
    if output == "Enabled":
        rendered["Outputs"] = []
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
