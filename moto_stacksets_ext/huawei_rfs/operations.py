"""Operation calls: ListStackSetOperations and ShowStackSetOperationMetadata."""

from __future__ import annotations

from .._transport.gateway import GatewayResponse
from ..engine.model import Operation
from ..engine.requests import ListQuery
from . import filters, paging, render
from .call import Call, call_identity_check, engine_errors
from .params import call_identity, check_length

OPERATION_FILTER = {
    "status": filters.FilterField("status", allowed=frozenset(render.OPERATION_STATUSES)),
    "action": filters.FilterField("action", allowed=frozenset(render.ACTIONS)),
}


def list_stack_set_operations(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", *paging.LIST_PARAMETERS))
    identity = call_identity(call.query.single("call_identity"))
    expression = filters.parse(call.query.single("filter"), OPERATION_FILTER)
    args = paging.list_args(call.query)
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))

    def field(operation: Operation, name: str) -> str:
        return render.operation_status(operation) if name == "status" else render.action(operation)

    query: ListQuery[Operation] = paging.query(
        args, expression, lambda operation: expression.matches(lambda name: field(operation, name))
    )
    with engine_errors():
        stack_set, found = call.namespace.page_operations(ref, "rfs-operations", query)
    return GatewayResponse.json(
        200,
        {
            "stack_set_operations": [render.operation_summary(stack_set, op) for op in found.items],
            "page_info": render.page_info(found.next_token, len(found.items)),
        },
    )


def show_stack_set_operation_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("stack_set_id", "call_identity"))
    identity = call_identity(call.query.single("call_identity"))
    operation_id = check_length("stack_set_operation_id", call.path["stack_set_operation_id"], 36, 36)
    ref = call.ref(call.query.single("stack_set_id"), call_identity_check(identity))
    with engine_errors():
        stack_set, operation = call.namespace.read_operation(operation_id, ref)
    return GatewayResponse.json(200, render.operation_metadata(stack_set, operation))
