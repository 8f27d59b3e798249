"""Execution-plan calls: CreateExecutionPlan, ApplyExecutionPlan, GetExecutionPlan, GetExecutionPlanMetadata,
ListExecutionPlans, DeleteExecutionPlan."""

from __future__ import annotations

import uuid

from ..engine.clock import clock
from ..gateway import GatewayResponse
from . import stacks
from .api_stacks import compact, find, page, require_settled, time
from .context import Call
from .errors import RfsError
from .stack_errors import (
    PLAN_DELETE_STATUS,
    PLAN_EXPIRED,
    PLAN_ID_MISMATCH,
    PLAN_NAME_CONFLICT,
    PLAN_NOT_FOUND,
    PLAN_STACK_STATUS,
    PLAN_STATUS,
)
from .stack_params import optional_id, read, stack_input, stack_name
from .stack_state import ExecutionPlanState, PlanStatus, RfsStack

CREATE_FIELDS = (
    "stack_id", "template_body", "template_uri", "execution_plan_name", "description", "vars_structure",
    "vars_body", "vars_uri",
)  # fmt: skip


def _plan(call: Call, stack: RfsStack, plan_id: str | None) -> ExecutionPlanState:
    name = stack_name(call.path["execution_plan_name"])
    optional_id(plan_id, "execution_plan_id")
    plan = stack.plans.get(name)
    if plan is None:
        raise RfsError(PLAN_NOT_FOUND, f"Execution plan {name} of stack {stack.stack_name} does not exist.")
    if plan_id is not None and plan_id != plan.execution_plan_id:
        raise RfsError(PLAN_ID_MISMATCH, f"{plan_id} is not the id of execution plan {name}.")
    return plan


def _status(stack: RfsStack, plan: ExecutionPlanState) -> str:
    return plan.status.value


def _summary(stack: RfsStack, plan: ExecutionPlanState) -> dict[str, object]:
    return compact(
        {
            "stack_name": stack.stack_name,
            "stack_id": stack.stack_id,
            "execution_plan_id": plan.execution_plan_id,
            "execution_plan_name": plan.name,
            "description": plan.description,
            "status": _status(stack, plan),
            "status_message": plan.status_message,
            "create_time": time(plan.created_at),
            "apply_time": time(plan.applied_at),
        }
    )


def create_execution_plan(call: Call) -> GatewayResponse:
    body = call.body(CREATE_FIELDS)
    name = stack_name(body.required_string("execution_plan_name", 1, 128))
    description = body.string("description", 0, 1024)
    given = stack_input(body, template_required=True)
    template, variables = read(given)
    found_store, stack = find(call, body.string("stack_id"), read=False)
    require_settled(stack, PLAN_STACK_STATUS)
    if name in stack.plans:
        raise RfsError(PLAN_NAME_CONFLICT, f"Execution plan {name} already exists.")
    plan = ExecutionPlanState(str(uuid.uuid4()), name, description, given, clock.now())
    stacks.create_plan(found_store, stack, plan, template, variables)
    return GatewayResponse.json(200, {"execution_plan_id": plan.execution_plan_id})


def apply_execution_plan(call: Call) -> GatewayResponse:
    body = call.body(("execution_plan_id", "stack_id"))
    found_store, stack = find(call, body.string("stack_id"), read=False)
    plan = _plan(call, stack, body.string("execution_plan_id"))
    require_settled(stack, PLAN_STACK_STATUS)
    if plan.status is not PlanStatus.AVAILABLE:
        raise RfsError(PLAN_STATUS, f"The execution plan {plan.name} is {plan.status.value}.")
    if plan.generation != stack.generation:
        raise RfsError(PLAN_EXPIRED)
    deployment_id = stacks.apply_plan(found_store, stack, plan)
    return GatewayResponse.json(200, {"deployment_id": deployment_id})


def get_execution_plan(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "execution_plan_id"))
    _, stack = find(call, call.query.single("stack_id"))
    plan = _plan(call, stack, call.query.single("execution_plan_id"))
    items = [
        compact(
            {
                "resource_type": item.resource.type,
                "resource_name": item.resource.name,
                "index": item.resource.index,
                "action": item.action,
                "action_reason": "The template changed.",
                "provider_name": item.resource.type.split("_", 1)[0],
                "mode": item.resource.mode,
                "drifted": False,
                "imported": False,
                "resource_id": item.resource_id,
                "attributes": [
                    compact({"name": name, "previous_value": before, "target_value": after})
                    for name, before, after in item.attributes
                ],
            }
        )
        for item in (
            plan.items
            if plan.status in (PlanStatus.AVAILABLE, PlanStatus.APPLY_IN_PROGRESS, PlanStatus.APPLIED)
            else []
        )
    ]
    return GatewayResponse.json(200, {"execution_plan_items": items})


def get_execution_plan_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "execution_plan_id"))
    _, stack = find(call, call.query.single("stack_id"))
    plan = _plan(call, stack, call.query.single("execution_plan_id"))
    actions = [item.action for item in plan.items]
    payload = {
        **_summary(stack, plan),
        "vars_body": plan.stack_input.vars_body,
        "vars_structure": [{"var_key": e.var_key, "var_value": e.var_value} for e in plan.stack_input.vars_structure]
        or None,
    }
    if plan.status is not PlanStatus.CREATION_IN_PROGRESS and plan.status is not PlanStatus.CREATION_FAILED:
        payload["summary"] = {
            "resource_add": actions.count("ADD"),
            "resource_update": actions.count("UPDATE"),
            "resource_delete": actions.count("DELETE"),
            "resource_import": 0,
        }
    return GatewayResponse.json(200, compact(payload))


def list_execution_plans(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "marker", "limit"))
    _, stack = find(call, call.query.single("stack_id"))
    ordered = sorted(stack.plans.values(), key=lambda p: p.created_at, reverse=True)
    chosen, info = page(ordered, lambda p: p.execution_plan_id, call)
    return GatewayResponse.json(200, {"execution_plans": [_summary(stack, p) for p in chosen], "page_info": info})


def delete_execution_plan(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_id", "execution_plan_id"))
    _, stack = find(call, call.query.single("stack_id"), read=False)
    plan = _plan(call, stack, call.query.single("execution_plan_id"))
    if plan.status in (PlanStatus.CREATION_IN_PROGRESS, PlanStatus.APPLY_IN_PROGRESS):
        raise RfsError(PLAN_DELETE_STATUS, f"The execution plan {plan.name} is {plan.status.value}.")
    del stack.plans[plan.name]
    return GatewayResponse(204, {}, b"")
