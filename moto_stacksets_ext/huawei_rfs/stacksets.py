"""Stack-set calls: CreateStackSet, UpdateStackSet, DeleteStackSet, ListStackSets, ShowStackSetMetadata,
ShowStackSetTemplate, DeployStackSet. Each parses, makes one engine call and renders."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlsplit

from .._transport.gateway import GatewayResponse
from ..engine.errors import OperationInProgress
from ..engine.model import ManagedExecution, Parameter, PermissionModel, StackSet, StackSetStatus
from ..engine.requests import ResolvedTargets
from ..engine.stacksets import OperationRequest, StackSetChanges, StackSetSpec
from . import filters, paging, render, targets
from .call import Call, call_identity_check, engine_errors, operation_started, require_agencies
from .errors import (
    BOTH_TEMPLATES,
    INVALID_STATUS,
    INVALID_VALUE,
    NO_TEMPLATE,
    NOTHING_TO_UPDATE,
    RfsError,
)
from .params import Body, call_identity, enum, stack_set_name
from .state import RfsStackSetProperties, properties
from .variables import MAX_VARS_BODY, parse_vars

CREATE_FIELDS = (
    "stack_set_name",
    "stack_set_description",
    "permission_model",
    "administration_agency_name",
    "managed_agency_name",
    "template_body",
    "template_uri",
    "vars_uri",
    "vars_body",
    "initial_stack_description",
    "administration_agency_urn",
    "managed_operation",
    "call_identity",
)
UPDATE_FIELDS = (
    "stack_set_id",
    "stack_set_description",
    "initial_stack_description",
    "administration_agency_name",
    "managed_agency_name",
    "administration_agency_urn",
    "managed_operation",
    "call_identity",
)
DEPLOY_FIELDS = (
    "stack_set_id",
    "deployment_targets",
    "template_body",
    "template_uri",
    "vars_uri",
    "vars_body",
    "operation_preferences",
    "call_identity",
)
AGENCY_FIELDS = ("administration_agency_name", "administration_agency_urn", "managed_agency_name")
MAX_TEMPLATE_BODY = 51200
STACK_SET_FILTER = {"permission_model": filters.FilterField("permission_model", allowed=frozenset(PermissionModel))}
TEMPLATE_DOWNLOAD = "/v1/stack-set-templates"


def _agencies(body: Body) -> tuple[str | None, str | None, str | None]:
    name = body.string("administration_agency_name", 0, 64) or None
    urn = body.string("administration_agency_urn", 0, 256) or None
    managed = body.string("managed_agency_name", 0, 64) or None
    if name is not None and urn is not None:
        raise RfsError(INVALID_VALUE, "Give administration_agency_name or administration_agency_urn, not both.")
    if name is not None and ":" in name:
        raise RfsError(INVALID_VALUE, "administration_agency_name takes an agency name; give URNs as the urn.")
    if urn is not None and ":" not in urn:
        raise RfsError(INVALID_VALUE, "administration_agency_urn must be an agency URN (iam::<domain>:agency:<name>).")
    return name, urn, managed


def _parallel(body: Body) -> bool | None:
    managed = body.child("managed_operation", ("enable_parallel_operation",))
    return None if managed is None else managed.boolean("enable_parallel_operation")


def _template(body: Body, required: bool) -> tuple[str | None, str | None]:
    template_body = body.string("template_body", 0, MAX_TEMPLATE_BODY) or None
    template_uri = body.string("template_uri", 0, 2048) or None
    if template_body is not None and template_uri is not None:
        raise RfsError(BOTH_TEMPLATES)
    if required and template_body is None and template_uri is None:
        raise RfsError(NO_TEMPLATE)
    return template_body, template_uri


def _vars(body: Body) -> tuple[str | None, str | None, list[Parameter]]:
    vars_body = body.string("vars_body", 0, MAX_VARS_BODY) or None
    vars_uri = body.string("vars_uri", 0, 2048) or None
    return vars_body, vars_uri, parse_vars(vars_body) if vars_body else []


def create_stack_set(call: Call) -> GatewayResponse:
    body = call.body(CREATE_FIELDS)
    name = stack_set_name(body.required_string("stack_set_name", 0, 1 << 20))
    model = PermissionModel(
        enum("permission_model", body.string("permission_model") or "SELF_MANAGED", tuple(PermissionModel))
    )
    identity = call_identity(body.string("call_identity"))
    if identity == "DELEGATED_ADMIN" and model is not PermissionModel.SERVICE_MANAGED:
        raise RfsError(INVALID_VALUE, "call_identity DELEGATED_ADMIN applies to SERVICE_MANAGED stack sets only.")
    admin_name, admin_urn, managed = _agencies(body)
    if model is PermissionModel.SERVICE_MANAGED and any(body.has(field) for field in AGENCY_FIELDS):
        raise RfsError(INVALID_VALUE, "SERVICE_MANAGED stack sets take no agency parameters.")
    template_body, template_uri = _template(body, required=True)
    vars_body, vars_uri, variables = _vars(body)
    parallel = bool(_parallel(body))
    props = RfsStackSetProperties(
        initial_stack_description=body.string("initial_stack_description", 0, 1024),
        administration_agency_name=admin_name,
        administration_agency_urn=admin_urn,
        managed_agency_name=managed,
        vars_uri=vars_uri,
        vars_body=vars_body,
        var_names=[p.parameter_key for p in variables],
    )
    spec = StackSetSpec(
        stack_set_name=name,
        permission_model=model,
        description=body.string("stack_set_description", 0, 1024),
        template_body=template_body,
        template_url=template_uri,
        parameters=variables,
        administration_role_arn=admin_urn or admin_name,
        execution_role_name=managed,
        managed_execution=ManagedExecution(active=parallel),
        provider_properties=props,
    )
    with engine_errors():
        stack_set = call.namespace.create_stack_set(spec)
    return GatewayResponse.json(201, {"stack_set_id": stack_set.stack_set_id})


def update_stack_set(call: Call) -> GatewayResponse:
    body = call.body(UPDATE_FIELDS)
    identity = call_identity(body.string("call_identity"))
    ref = call.ref(body.string("stack_set_id"), call_identity_check(identity))
    changing = [f for f in UPDATE_FIELDS if f not in ("stack_set_id", "call_identity") and body.has(f)]
    if not changing:
        raise RfsError(NOTHING_TO_UPDATE)
    admin_name, admin_urn, managed = _agencies(body)
    agencies_given = any(body.has(field) for field in AGENCY_FIELDS)
    description = body.string("stack_set_description", 0, 1024)
    initial = body.string("initial_stack_description", 0, 1024)
    parallel = _parallel(body)

    def changes(stack_set: StackSet) -> StackSetChanges:
        if agencies_given and stack_set.permission_model is PermissionModel.SERVICE_MANAGED:
            raise RfsError(INVALID_VALUE, "Agencies can be updated for SELF_MANAGED stack sets only.")
        props = properties(stack_set)
        if body.has("administration_agency_name") or body.has("administration_agency_urn"):
            props = replace(props, administration_agency_name=admin_name, administration_agency_urn=admin_urn)
        if body.has("managed_agency_name"):
            props = replace(props, managed_agency_name=managed)
        if initial is not None:
            props = replace(props, initial_stack_description=initial)
        return StackSetChanges(
            description=description,
            administration_role_arn=props.administration_agency_urn or props.administration_agency_name,
            execution_role_name=props.managed_agency_name,
            managed_execution=None if parallel is None else ManagedExecution(active=parallel),
            provider_properties=props,
        )

    with engine_errors(conflict=INVALID_STATUS):
        try:
            call.namespace.update_stack_set_properties(ref, changes)
        except OperationInProgress as error:
            raise RfsError(INVALID_STATUS, "The stack set is OPERATION_IN_PROGRESS and cannot be updated.") from error
    return GatewayResponse(204, {})


def delete_stack_set(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", "call_identity"))
    identity = call_identity(call.query.single("call_identity"))
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    with engine_errors(conflict=INVALID_STATUS):
        call.namespace.delete_stack_set(ref, missing_ok=False)
    return GatewayResponse(204, {})


def list_stack_sets(call: Call) -> GatewayResponse:
    call.query.check_names(paging.LIST_PARAMETERS)
    call_identity(call.query.single("call_identity"))
    expression = filters.parse(call.query.single("filter"), STACK_SET_FILTER)
    args = paging.list_args(call.query)

    def visible(stack_set: StackSet) -> bool:
        return stack_set.status is StackSetStatus.ACTIVE and expression.matches(
            lambda name: stack_set.permission_model.value
        )

    with engine_errors():
        found = call.namespace.page_stack_sets("rfs-stack-sets", paging.query(args, expression, visible))
    return GatewayResponse.json(
        200,
        {
            "stack_sets": [render.stack_set_summary(s) for s in found.items],
            "page_info": render.page_info(found.next_token, len(found.items)),
        },
    )


def show_stack_set_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", "call_identity"))
    identity = call_identity(call.query.single("call_identity"))
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    with engine_errors():
        stack_set = call.namespace.get_stack_set(ref)
    return GatewayResponse.json(200, render.stack_set_metadata(stack_set))


def show_stack_set_template(call: Call) -> GatewayResponse:
    call.query.check_names(
        ("stack_set_id", "access_control_source_ips", "access_control_source_vpc_ids", "call_identity")
    )
    identity = call_identity(call.query.single("call_identity"))
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    with engine_errors():
        stack_set = call.namespace.get_stack_set(ref)
    location = stack_set.template_url
    if location is None:
        origin = urlsplit(call.request.url)
        location = (
            f"{origin.scheme}://{origin.netloc}{TEMPLATE_DOWNLOAD}/{call.domain_id}/{quote(call.region)}/"
            f"{stack_set.stack_set_id}"
        )
    return GatewayResponse(307, {"Location": location})


def _agencies_ready(stack_set: StackSet, _: ResolvedTargets) -> None:
    require_agencies(stack_set)


def deploy_stack_set(call: Call) -> GatewayResponse:
    body = call.body(DEPLOY_FIELDS)
    identity = call_identity(body.string("call_identity"))
    ref = call.ref(body.string("stack_set_id"), call_identity_check(identity))
    prefs = targets.preferences(body, targets.requested_regions(body))
    template_body, template_uri = _template(body, required=False)
    vars_body, vars_uri, variables = _vars(body)
    replaces = any(v is not None for v in (template_body, template_uri, vars_body, vars_uri))

    def changes(stack_set: StackSet) -> StackSetChanges:
        if not replaces:
            return StackSetChanges()
        props = replace(
            properties(stack_set),
            vars_body=vars_body,
            vars_uri=vars_uri,
            var_names=[p.parameter_key for p in variables],
        )
        return StackSetChanges(
            template_body=template_body,
            template_url=template_uri,
            parameters=variables,
            provider_properties=props,
        )

    request = OperationRequest(
        preferences=prefs,
        provider_action="DEPLOY_STACK_SET" if replaces else "DEPLOY_STACK_INSTANCES",
    )
    with engine_errors(missing_instance=True):
        operation = call.namespace.update_stack_set(ref, changes, targets.resolver(body, _agencies_ready), request)
    return operation_started(operation.operation_id)
