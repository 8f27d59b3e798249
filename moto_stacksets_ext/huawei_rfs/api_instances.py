"""Stack-instance calls: CreateStackInstance, UpdateStackInstances, DeleteStackInstance (and its deprecated
DELETE form), ListStackInstances, ShowStackInstance."""

from __future__ import annotations

from ..engine.model import StackInstance
from ..engine.requests import ListQuery
from ..engine.stacksets import OperationRequest
from ..gateway import GatewayResponse
from . import filters, listing, render, targets
from .context import Call, check_call_identity, engine_errors, operation_started, require_agencies
from .errors import INVALID_VALUE, RfsError
from .params import DOMAIN_ID, REGION, call_identity
from .state import properties
from .variables import VAR_OVERRIDE_FIELDS, var_overrides

INSTANCE_FIELDS = ("stack_set_id", "deployment_targets", "var_overrides", "operation_preferences", "call_identity")
DELETE_FIELDS = ("stack_set_id", "deployment_targets", "operation_preferences", "call_identity")
INSTANCE_FILTER = {
    "region": filters.FilterField("region", pattern=filters.REGION_WORD),
    "stack_domain_id": filters.FilterField("stack_domain_id"),
}


def _start(call: Call, action: str) -> GatewayResponse:
    body = call.body(INSTANCE_FIELDS)
    stack_set = call.stack_set(body.string("stack_set_id"))
    identity = call_identity(body.string("call_identity"))
    check_call_identity(identity, stack_set)
    deployment = targets.deployment_targets(body, stack_set)
    prefs = targets.preferences(body, deployment.regions)
    overrides = var_overrides(body.child("var_overrides", VAR_OVERRIDE_FIELDS), properties(stack_set).var_names)
    require_agencies(stack_set)
    request = OperationRequest(preferences=prefs, deployment_targets=deployment, provider_action=action)
    chosen = targets.engine_targets(deployment)
    with engine_errors(missing_instance=True):
        if action == "CREATE_STACK_INSTANCES":
            operation = call.namespace.create_instances(stack_set.stack_set_id, chosen, overrides, request)
        else:
            operation = call.namespace.update_instances(stack_set.stack_set_id, chosen, overrides, request)
    return operation_started(operation.operation_id)


def create_stack_instance(call: Call) -> GatewayResponse:
    return _start(call, "CREATE_STACK_INSTANCES")


def update_stack_instances(call: Call) -> GatewayResponse:
    return _start(call, "UPDATE_STACK_INSTANCES")


def delete_stack_instance(call: Call) -> GatewayResponse:
    body = call.body(DELETE_FIELDS)
    stack_set = call.stack_set(body.string("stack_set_id"))
    identity = call_identity(body.string("call_identity"))
    check_call_identity(identity, stack_set)
    deployment = targets.deployment_targets(body, stack_set)
    prefs = targets.preferences(body, deployment.regions)
    chosen = targets.engine_targets(deployment)
    for target in chosen:
        if (target.account, target.region) not in stack_set.instances:
            raise RfsError(
                INVALID_VALUE,
                f"The stack set has no stack instance in region {target.region} for domain {target.account}.",
            )
    require_agencies(stack_set)
    request = OperationRequest(
        preferences=prefs, deployment_targets=deployment, provider_action="DELETE_STACK_INSTANCES"
    )
    with engine_errors(missing_instance=True):
        operation = call.namespace.delete_instances(stack_set.stack_set_id, chosen, False, request)
    return operation_started(operation.operation_id)


def list_stack_instances(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", *listing.LIST_PARAMETERS))
    identity = call_identity(call.query.single("call_identity"))
    stack_set = call.stack_set(call.query.single("stack_set_id"))
    check_call_identity(identity, stack_set)
    expression = filters.parse(call.query.single("filter"), INSTANCE_FILTER)
    args = listing.list_args(call.query)

    def field(instance: StackInstance, name: str) -> str:
        return instance.region if name == "region" else instance.account

    query: ListQuery[StackInstance] = listing.query(
        args, expression, lambda instance: expression.matches(lambda name: field(instance, name))
    )
    with engine_errors():
        _, found = call.namespace.page_instances(stack_set.stack_set_id, "rfs-instances", query)
    return GatewayResponse.json(
        200,
        {
            "stack_instances": [render.instance(stack_set, item) for item in found.items],
            "page_info": render.page_info(found.next_token, len(found.items)),
        },
    )


def show_stack_instance(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", "call_identity"))
    identity = call_identity(call.query.single("call_identity"))
    stack_set = call.stack_set(call.query.single("stack_set_id"))
    check_call_identity(identity, stack_set)
    address = call.path["stack_instance_addr"]
    region, _, domain_id = address.partition("/")
    if not REGION.fullmatch(region) or not DOMAIN_ID.fullmatch(domain_id):
        raise RfsError(INVALID_VALUE, f"stack_instance_addr {address!r} is not <region>/<stack_domain_id>.")
    with engine_errors():
        instance = call.namespace.get_instance(stack_set.stack_set_id, domain_id, region)
    return GatewayResponse.json(200, render.instance(stack_set, instance, with_overrides=True))
