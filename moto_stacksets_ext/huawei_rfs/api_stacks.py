"""Stack calls: CreateStack, DeployStack, UpdateStack, ContinueDeployStack, DeleteStack, DeleteStackEnhanced,
ListStacks, GetStackMetadata, GetStackTemplate, ListStackResources, ListStackOutputs, ListStackEvents.

Each handler parses the request (a refusal changes nothing), finds the stack of (domain, region), makes one
change through ``stacks`` and renders RFS's JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import quote, urlsplit

from ..engine.clock import clock
from ..gateway import GatewayResponse
from . import filters, stacks
from .context import Call
from .errors import (
    INVALID_VALUE,
    MISSING_PARAMETER,
    NOTHING_TO_UPDATE,
    UNKNOWN_FILTER_FIELD,
    ErrorKind,
    RfsError,
)
from .stack_errors import (
    CONTINUE_STATUS,
    DELETE_STATUS,
    ROLLBACK_STATUS,
    STACK_CONFLICT,
    STACK_ID_MISMATCH,
    STACK_NAME_CONFLICT,
    STACK_NOT_FOUND,
    TEMPLATE_NOT_FOUND,
)
from .stack_params import agencies, optional_id, read, stack_input, stack_name
from .stack_state import Agency, RfsStack, StackStatus, StackStore, store_of
from .terraform import Scope, TemplateError, resolved, type_of

T = TypeVar("T")
STACK_TEMPLATES = "/v1/stack-templates"


# -- finding -----------------------------------------------------------------------------------------------
def store(call: Call) -> StackStore:
    return store_of(call.domain_id, call.region)


def find(call: Call, stack_id: str | None, *, read: bool = True) -> tuple[StackStore, RfsStack]:
    """The stack of the path (by name; ``stack_id`` must then be its id), caught up with its pace."""
    name = stack_name(call.path["stack_name"])
    optional_id(stack_id, "stack_id")
    found_store = store(call)
    stacks.catch_up(found_store)
    stack = found_store.stacks.get(name)
    if stack is None:
        raise RfsError(STACK_NOT_FOUND, f"Stack {name} does not exist.")
    if stack_id is not None and stack_id != stack.stack_id:
        raise RfsError(STACK_ID_MISMATCH, f"{stack_id} is not the id of stack {name}.")
    if read:
        stacks.catch_up(found_store, stack)
        if found_store.stacks.get(name) is not stack:  # this read's step finished its deletion
            raise RfsError(STACK_NOT_FOUND, f"Stack {name} does not exist.")
    return found_store, stack


def require_settled(stack: RfsStack, kind: ErrorKind = STACK_CONFLICT) -> None:
    if stack.status.in_progress or stack.pending is not None:
        raise RfsError(kind, f"The stack {stack.stack_name} is {stack.status.value}.")


# -- rendering ----------------------------------------------------------------------------------------------
def time(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def compact(payload: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in payload.items() if value is not None}


def _agency(agency: Agency) -> dict[str, object]:
    return compact(
        {"provider_name": agency.provider_name, "agency_name": agency.agency_name, "agency_urn": agency.agency_urn}
    )


def summary(stack: RfsStack) -> dict[str, object]:
    return compact(
        {
            "stack_name": stack.stack_name,
            "description": stack.description,
            "stack_id": stack.stack_id,
            "status": stack.status.value,
            "create_time": time(stack.created_at),
            "update_time": time(stack.updated_at),
            "status_message": stack.status_message,
        }
    )


def page(
    items: Sequence[T], key: Callable[[T], str], call: Call, default: int = 1000
) -> tuple[list[T], dict[str, object]]:
    """A page of ``items`` after ``marker`` (the key of the last item served), at most ``limit``."""
    marker = call.query.single("marker")
    limit = call.query.integer("limit", 1, 1000)
    limit = default if limit is None else limit
    start = 0
    if marker is not None:
        keys = [key(item) for item in items]
        if marker not in keys:
            raise RfsError(INVALID_VALUE, "The marker is invalid or belongs to another request.")
        start = keys.index(marker) + 1
    chosen = list(items[start : start + limit])
    more = start + limit < len(items)
    info = compact({"next_marker": key(chosen[-1]) if more and chosen else None, "current_count": len(chosen)})
    return chosen, info


# -- calls ---------------------------------------------------------------------------------------------------
CREATE_FIELDS = (
    "stack_name", "agencies", "description", "enable_deletion_protection", "enable_auto_rollback", "template_body",
    "template_uri", "vars_body", "vars_structure", "vars_uri",
)  # fmt: skip


def create_stack(call: Call) -> GatewayResponse:
    body = call.body(CREATE_FIELDS)
    name = stack_name(body.required_string("stack_name", 1, 128))
    given = stack_input(body, template_required=False)
    if given.template_body is None and (given.vars_body is not None or given.vars_structure):
        raise RfsError(MISSING_PARAMETER, "Vars need a template: give template_body.")
    template, variables = read(given)
    found_agencies = agencies(body) or ()
    description = body.string("description", 0, 1024)
    protection = body.boolean("enable_deletion_protection") or False
    rollback = body.boolean("enable_auto_rollback") or False
    found_store = store(call)
    stacks.catch_up(found_store)
    if name in found_store.stacks:
        raise RfsError(STACK_NAME_CONFLICT, f"Stack {name} already exists.")
    now = clock.now()
    stack = RfsStack(str(uuid.uuid4()), name, now, now, description, protection, rollback, found_agencies)
    found_store.stacks[name] = stack
    if given.template_body is None:
        return GatewayResponse.json(200, {"stack_id": stack.stack_id})
    deployment_id = stacks.start_deployment(found_store, stack, given, template, variables)
    return GatewayResponse.json(200, {"stack_id": stack.stack_id, "deployment_id": deployment_id})


def deploy_stack(call: Call) -> GatewayResponse:
    body = call.body(("template_body", "template_uri", "vars_structure", "vars_body", "vars_uri", "stack_id"))
    given = stack_input(body, template_required=True)
    template, variables = read(given)
    found_store, stack = find(call, body.string("stack_id"), read=False)
    require_settled(stack)
    deployment_id = stacks.start_deployment(found_store, stack, given, template, variables)
    return GatewayResponse.json(200, {"deployment_id": deployment_id})


def continue_deploy_stack(call: Call) -> GatewayResponse:
    body = call.body(("stack_id",))
    found_store, stack = find(call, body.string("stack_id"), read=False)
    if stack.status is not StackStatus.DEPLOYMENT_FAILED or stack.pending is not None:
        raise RfsError(CONTINUE_STATUS, f"The stack {stack.stack_name} is {stack.status.value}, not DEPLOYMENT_FAILED.")
    template, variables = read(stack.stack_input)
    deployment_id = stacks.start_deployment(found_store, stack, stack.stack_input, template, variables)
    return GatewayResponse.json(200, {"deployment_id": deployment_id})


def update_stack(call: Call) -> GatewayResponse:
    body = call.body(("description", "stack_id", "enable_deletion_protection", "enable_auto_rollback", "agencies"))
    description = body.string("description", 0, 1024)
    protection = body.boolean("enable_deletion_protection")
    rollback = body.boolean("enable_auto_rollback")
    found_agencies = agencies(body)
    if description is None and protection is None and rollback is None and found_agencies is None:
        raise RfsError(NOTHING_TO_UPDATE)
    _, stack = find(call, body.string("stack_id"), read=False)
    require_settled(stack)
    if rollback and not stack.enable_auto_rollback and stack.status.value.endswith("_FAILED"):
        raise RfsError(ROLLBACK_STATUS, f"The stack {stack.stack_name} is {stack.status.value}.")
    stack.description = stack.description if description is None else description
    stack.enable_deletion_protection = stack.enable_deletion_protection if protection is None else protection
    stack.enable_auto_rollback = stack.enable_auto_rollback if rollback is None else rollback
    stack.agencies = stack.agencies if found_agencies is None else found_agencies
    stack.updated_at = clock.now()
    return GatewayResponse.json(200, {})


def _delete(call: Call, stack_id: str | None, retain: bool) -> GatewayResponse:
    found_store, stack = find(call, stack_id, read=False)
    require_settled(stack, DELETE_STATUS)
    if stack.enable_deletion_protection:
        raise RfsError(DELETE_STATUS, f"Deletion protection is enabled for stack {stack.stack_name}.")
    stacks.start_deletion(found_store, stack, retain)
    return GatewayResponse(204, {}, b"")


def delete_stack(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id",))
    return _delete(call, call.query.single("stack_id"), False)


def delete_stack_enhanced(call: Call) -> GatewayResponse:
    body = call.body(("stack_id", "retain_all_resources"))
    return _delete(call, body.string("stack_id"), body.boolean("retain_all_resources") or False)


def list_stacks(call: Call) -> GatewayResponse:
    call.query.check_names(("marker", "limit"))
    found_store = store(call)
    stacks.catch_up(found_store)
    for stack in list(found_store.stacks.values()):
        stacks.catch_up(found_store, stack)
    ordered = sorted(found_store.stacks.values(), key=lambda s: s.created_at, reverse=True)
    chosen, info = page(ordered, lambda s: s.stack_id, call)
    return GatewayResponse.json(200, {"stacks": [summary(s) for s in chosen], "page_info": info})


def get_stack_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id",))
    _, stack = find(call, call.query.single("stack_id"))
    shown = stack.deployed or stack.stack_input
    payload = {
        **summary(stack),
        "vars_structure": [
            compact(
                {
                    "var_key": e.var_key,
                    "var_value": e.var_value,
                    "encryption": None if e.kms_id is None else {"kms": {"id": e.kms_id, "cipher_text": e.cipher_text}},
                }
            )
            for e in shown.vars_structure
        ]
        or None,
        "vars_body": shown.vars_body,
        "enable_deletion_protection": stack.enable_deletion_protection,
        "enable_auto_rollback": stack.enable_auto_rollback,
        "agencies": [_agency(a) for a in stack.agencies],
    }
    return GatewayResponse.json(200, compact(payload))


def get_stack_template(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "access_control_source_ips", "access_control_source_vpc_ids"))
    _, stack = find(call, call.query.single("stack_id"))
    shown = stack.deployed or stack.stack_input
    if shown.template_uri is not None:
        return GatewayResponse(307, {"Location": shown.template_uri})
    if shown.template_body is None:
        raise RfsError(TEMPLATE_NOT_FOUND, f"Stack {stack.stack_name} has no template.")
    origin = urlsplit(call.request.url)
    location = (
        f"{origin.scheme}://{origin.netloc}{STACK_TEMPLATES}/{call.domain_id}/{quote(call.region)}/{stack.stack_id}"
    )
    return GatewayResponse(307, {"Location": location})


def template_download(parts: list[str]) -> GatewayResponse:
    """The mock's stand-in for the pre-signed OBS URL GetStackTemplate redirects to."""
    if len(parts) != 3:
        raise RfsError(TEMPLATE_NOT_FOUND)
    found = store_of(parts[0], parts[1]).by_id(parts[2])
    shown = None if found is None else (found.deployed or found.stack_input)
    if shown is None or shown.template_body is None:
        raise RfsError(TEMPLATE_NOT_FOUND)
    kind = "application/json" if shown.template_body.lstrip().startswith("{") else "text/plain"
    return GatewayResponse(200, {"Content-Type": kind}, shown.template_body.encode())


def list_stack_resources(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "marker", "limit"))
    _, stack = find(call, call.query.single("stack_id"))
    chosen, info = page(stack.resources, lambda r: r.resource.address, call)
    scope = Scope(stack.variables, {s.resource.address: (s.resource, s.physical_id) for s in stack.resources})
    rendered = []
    for state in chosen:
        attributes = [{"key": "id", "value": state.physical_id}]
        for key, value in state.resource.config.items():
            ok, found = resolved(scope, value)
            if ok and isinstance(found, (str, int, float, bool)):
                attributes.append({"key": key, "value": str(found).lower() if isinstance(found, bool) else str(found)})
        rendered.append(
            compact(
                {
                    "physical_resource_id": state.physical_id,
                    "physical_resource_name": state.physical_name,
                    "logical_resource_name": state.resource.name,
                    "logical_resource_type": state.resource.type,
                    "index_key": state.resource.index,
                    "resource_status": state.status,
                    "resource_attributes": attributes,
                }
            )
        )
    return GatewayResponse.json(200, {"stack_resources": rendered, "page_info": info})


def outputs(stack: RfsStack) -> list[dict[str, object]]:
    if stack.deployed is None or stack.deployed.template_body is None:
        return []
    try:
        template = stacks.template_of(stack.deployed, stack.variables)
    except TemplateError:
        return []
    assert template is not None
    scope = Scope(stack.variables, {s.resource.address: (s.resource, s.physical_id) for s in stack.resources})
    rendered: list[dict[str, object]] = []
    for output in template.outputs:
        ok, value = resolved(scope, output.expression)
        shown: object = None
        kind: str | None = None
        if output.sensitive:
            shown, kind = "<sensitive>", "<sensitive>"
        elif ok:
            kind = type_of(value)
            shown = value if isinstance(value, str) else _json(value)
        rendered.append(
            compact(
                {
                    "name": output.name,
                    "description": output.description,
                    "type": kind,
                    "value": shown,
                    "sensitive": output.sensitive,
                }
            )
        )
    return rendered


def _json(value: object) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


def list_stack_outputs(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "marker", "limit"))
    _, stack = find(call, call.query.single("stack_id"))
    chosen, info = page(outputs(stack), lambda o: str(o["name"]), call)
    return GatewayResponse.json(200, {"outputs": chosen, "page_info": info})


EVENT_FIELDS = (
    "resource_type", "resource_name", "resource_id_key", "resource_id_value", "resource_key", "time", "event_type",
    "event_message", "elapsed_seconds",
)  # fmt: skip
EVENT_FILTER = {
    "event_type": filters.FilterField("event_type"),
    "resource_type": filters.FilterField("resource_type"),
    "resource_name": filters.FilterField("resource_name"),
}


def list_stack_events(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "deployment_id", "filter", "field", "marker", "limit"))
    deployment_id = optional_id(call.query.single("deployment_id"), "deployment_id")
    raw_filter = call.query.single("filter")
    # RFS: "a filter containing a semicolon is ignored"
    expression = filters.parse(None if raw_filter is not None and ";" in raw_filter else raw_filter, EVENT_FILTER)
    fields = _fields(call.query.single("field"))
    _, stack = find(call, call.query.single("stack_id"))
    rendered = []
    for seq, event in enumerate(stack.events):
        if deployment_id is not None and event.deployment_id != deployment_id:
            continue
        payload = compact(
            {
                "resource_type": event.resource_type,
                "resource_name": event.resource_name,
                "resource_id_key": event.resource_id_key,
                "resource_id_value": event.resource_id_value,
                "resource_key": event.resource_key,
                "time": time(event.time),
                "event_type": event.event_type,
                "event_message": event.event_message,
                "elapsed_seconds": event.elapsed_seconds,
            }
        )
        if not expression.matches(lambda name, p=payload: str(p.get(name, ""))):  # type: ignore[misc]
            continue
        shown = {k: v for k, v in payload.items() if fields is None or k in fields}
        rendered.append((str(seq), shown))
    rendered.reverse()  # newest first
    chosen, info = page(rendered, lambda pair: pair[0], call)
    return GatewayResponse.json(200, {"stack_events": [shown for _, shown in chosen], "page_info": info})


def _fields(raw: str | None) -> set[str] | None:
    if raw is None:
        return None
    names = {name.strip() for name in raw.split(",")}
    unknown = sorted(names - set(EVENT_FIELDS))
    if unknown:
        raise RfsError(UNKNOWN_FILTER_FIELD, f"Unknown field(s): {', '.join(unknown)}.")
    return names
