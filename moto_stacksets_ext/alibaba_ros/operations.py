"""Operation calls: Get/List/Stop StackGroupOperation(s), their results, drift detection, service access."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.model import Operation, StackSet
from ..engine.stacksets import OperationRequest
from . import render, resource_directory
from .call import Call
from .errors import not_supported
from .paging import PageRequest


@dataclass(frozen=True)
class Located:
    """An operation found by id alone (ROS addresses operations so), with its stack group."""

    stack_set: StackSet
    operation: Operation


def _locate(call: Call) -> Located:
    """The operation of ``OperationId``, read (a read counts for the operation's lifecycle)."""
    operation_id = call.params.required("OperationId")
    with call.engine():
        stack_set, operation = call.namespace.read_operation(operation_id)
    return Located(stack_set, operation)


def get_stack_group_operation(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    located = _locate(call)
    return {"StackGroupOperation": render.operation(located.stack_set, located.operation)}


def list_stack_group_operations(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    request = PageRequest.from_params(call.params)
    with call.engine(name):
        stack_set, found = call.namespace.page_operations(name, "ros-operations", request.query(newest_first=True))
    rendered = [render.operation_summary(stack_set, o) for o in found.items]
    return request.envelope("StackGroupOperations", found, rendered)


def list_stack_group_operation_results(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    request = PageRequest.from_params(call.params)
    operation_id = call.params.required("OperationId")
    with call.engine():
        _, _, found = call.namespace.page_results(operation_id, "ros-results", request.query())
    return request.envelope("StackGroupOperationResults", found, [render.operation_result(r) for r in found.items])


def stop_stack_group_operation(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    operation_id = call.params.required("OperationId")
    with call.engine():
        call.namespace.stop_operation(None, operation_id)
    return {}


def detect_stack_group_drift(call: Call) -> dict[str, object]:
    """A DETECT_DRIFT operation over every instance."""
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    preferences = call.preferences(allow_region_concurrency=False)
    request = OperationRequest(
        preferences=preferences, provider_action=call.action, idempotency_key=call.client_token()
    )
    with call.engine(name):
        operation = call.namespace.detect_drift(name, request)
    return {"OperationId": operation.operation_id}


def import_stacks_to_stack_group(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    call.params.json_strings("StackArns", max_items=10, required=True)
    call.stack_group(name)
    raise not_supported("Importing stacks into a stack group (ImportStacksToStackGroup) in this mock")


def _service_access(enabled: bool) -> dict[str, object]:
    return {"ServiceAccessInfo": {"Status": "Enabled" if enabled else "Disabled"}}


def get_service_access(call: Call) -> dict[str, object]:
    return _service_access(resource_directory.for_account(call.account).service_access_enabled)


def enable_service_access(call: Call) -> dict[str, object]:
    directory = resource_directory.for_account(call.account)
    directory.enable_service_access()
    return _service_access(True)
