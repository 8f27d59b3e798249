"""Stack-instance calls: CreateStackInstance, UpdateStackInstances, DeleteStackInstance (and its deprecated
DELETE form), ListStackInstances, ShowStackInstance."""

from __future__ import annotations

from collections.abc import Callable

from .._transport.gateway import GatewayResponse
from ..engine.model import StackInstance, StackSet
from ..engine.requests import ListQuery, ResolvedTargets
from ..engine.stacksets import OperationRequest
from . import filters, paging, render, targets
from .call import Call, call_identity_check, engine_errors, operation_started, require_agencies
from .errors import INVALID_VALUE, RfsError
from .params import DOMAIN_ID, REGION, call_identity
from .state import properties
from .variables import VAR_OVERRIDE_FIELDS, VarOverrides, var_overrides

INSTANCE_FIELDS = ("stack_set_id", "deployment_targets", "var_overrides", "operation_preferences", "call_identity")
DELETE_FIELDS = ("stack_set_id", "deployment_targets", "operation_preferences", "call_identity")
INSTANCE_FILTER = {
    "region": filters.FilterField("region", pattern=filters.REGION_WORD),
    "stack_domain_id": filters.FilterField("stack_domain_id"),
}


def _agencies_ready(stack_set: StackSet, _: ResolvedTargets) -> None:
    require_agencies(stack_set)


def _recorded(overrides: VarOverrides | None) -> Callable[[StackSet, ResolvedTargets], None]:
    def check(stack_set: StackSet, _: ResolvedTargets) -> None:
        if overrides is not None:
            overrides.check_recorded(properties(stack_set).var_names)

    return check


def _has_instances(stack_set: StackSet, resolved: ResolvedTargets) -> None:
    for target in resolved.targets:
        if not stack_set.has_instance(target.account, target.region):
            raise RfsError(
                INVALID_VALUE,
                f"The stack set has no stack instance in region {target.region} for domain {target.account}.",
            )


def _start(call: Call, action: str) -> GatewayResponse:
    body = call.body(INSTANCE_FIELDS)
    identity = call_identity(body.string("call_identity"))
    ref = call.ref(body.string("stack_set_id"), call_identity_check(identity))
    prefs = targets.preferences(body, targets.requested_regions(body))
    overrides = var_overrides(body.child("var_overrides", VAR_OVERRIDE_FIELDS))
    resolver = targets.resolver(body, _recorded(overrides), _agencies_ready)
    request = OperationRequest(preferences=prefs, provider_action=action)
    chosen = None if overrides is None else overrides.overrides
    with engine_errors(missing_instance=True):
        if action == "CREATE_STACK_INSTANCES":
            operation = call.namespace.create_instances(ref, resolver, chosen, request)
        else:
            operation = call.namespace.update_instances(ref, resolver, chosen, request)
    return operation_started(operation.operation_id)


def create_stack_instance(call: Call) -> GatewayResponse:
    return _start(call, "CREATE_STACK_INSTANCES")


def update_stack_instances(call: Call) -> GatewayResponse:
    return _start(call, "UPDATE_STACK_INSTANCES")


def delete_stack_instance(call: Call) -> GatewayResponse:
    body = call.body(DELETE_FIELDS)
    identity = call_identity(body.string("call_identity"))
    ref = call.ref(body.string("stack_set_id"), call_identity_check(identity))
    prefs = targets.preferences(body, targets.requested_regions(body))
    resolver = targets.resolver(body, _has_instances, _agencies_ready)
    request = OperationRequest(preferences=prefs, provider_action="DELETE_STACK_INSTANCES")
    with engine_errors(missing_instance=True):
        operation = call.namespace.delete_instances(ref, resolver, False, request)
    return operation_started(operation.operation_id)


def list_stack_instances(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", *paging.LIST_PARAMETERS))
    identity = call_identity(call.query.single("call_identity"))
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    expression = filters.parse(call.query.single("filter"), INSTANCE_FILTER)
    args = paging.list_args(call.query)

    def field(instance: StackInstance, name: str) -> str:
        return instance.region if name == "region" else instance.account

    query: ListQuery[StackInstance] = paging.query(
        args, expression, lambda instance: expression.matches(lambda name: field(instance, name))
    )
    with engine_errors():
        stack_set, found = call.namespace.page_instances(ref, "rfs-instances", query)
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
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    address = call.path["stack_instance_addr"]
    region, _, domain_id = address.partition("/")
    if not REGION.fullmatch(region) or not DOMAIN_ID.fullmatch(domain_id):
        raise RfsError(INVALID_VALUE, f"stack_instance_addr {address!r} is not <region>/<stack_domain_id>.")
    with engine_errors():
        stack_set, instance = call.namespace.read_instance(ref, domain_id, region)
    return GatewayResponse.json(200, render.instance(stack_set, instance, with_overrides=True))
