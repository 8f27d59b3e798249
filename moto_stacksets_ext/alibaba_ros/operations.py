"""Operation calls: Get/List/Stop StackGroupOperation(s), their results, drift detection, service access."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.model import ImportedStack, Operation, PermissionModel, StackSet
from ..engine.stacksets import OperationRequest
from . import render, resource_directory
from .call import Call
from .errors import invalid_parameter, missing_parameter, stack_not_found
from .paging import PageRequest
from .stack_model import store


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


_STACK_ARN = re.compile(r"^acs:ros:([a-z0-9-]+):(\d+):stack/([A-Za-z0-9-]+)$")


def import_stacks_to_stack_group(call: Call) -> dict[str, object]:
    """Adopt existing stacks (``StackArns``, ``acs:ros:<RegionId>:<AccountId>:stack/<StackId>``) as the
    group's instances: a CREATE operation whose targets take the stacks over (``deployer``). The stacks are
    found within the one engine call (a missing one is ``StackNotFound``, before anything changes)."""
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    arns = call.params.json_strings("StackArns", max_items=10, required=True)
    assert arns is not None
    folders = call.params.json_strings("ResourceDirectoryFolderIds", max_items=10)
    parsed: list[tuple[str, str, str]] = []
    for arn in arns:
        match = _STACK_ARN.match(arn)
        if match is None:
            raise invalid_parameter(
                "StackArns", f"the stack ARN ({arn}) is not acs:ros:<RegionId>:<AccountId>:stack/<StackId>"
            )
        parsed.append((match.group(1), match.group(2), match.group(3)))
    request = OperationRequest(
        preferences=call.preferences(),
        provider_action=call.action,
        description=call.description("OperationDescription"),
        idempotency_key=call.client_token(),
    )

    def stacks(stack_set: StackSet) -> list[ImportedStack]:
        service_managed = stack_set.permission_model is PermissionModel.SERVICE_MANAGED
        if folders is not None and not service_managed:
            raise invalid_parameter(
                "ResourceDirectoryFolderIds", "it can only be used with a SERVICE_MANAGED stack group"
            )
        if service_managed and folders is None:
            raise missing_parameter("ResourceDirectoryFolderIds")
        directory = resource_directory.for_account(call.account)
        found: list[ImportedStack] = []
        for region, account, stack_id in parsed:
            stack = store(account, region).stacks.get(stack_id)
            if stack is None:
                raise stack_not_found(stack_id)
            folder = ""
            if service_managed:
                assert folders is not None
                folder = next(
                    (
                        f
                        for f in folders
                        if f in directory.folders and any(m.account_id == account for m in directory.accounts_in(f))
                    ),
                    "",
                )
                if not folder:
                    raise invalid_parameter(
                        "ResourceDirectoryFolderIds", f"the account ({account}) is not in any of the given folders"
                    )
            found.append(ImportedStack(account, region, stack.stack_id, stack.stack_name, folder))
        return found

    with call.engine(name):
        operation = call.namespace.import_stacks(name, stacks, request)
    return {"OperationId": operation.operation_id}


def _service_access(enabled: bool) -> dict[str, object]:
    return {"ServiceAccessInfo": {"Status": "Enabled" if enabled else "Disabled"}}


def get_service_access(call: Call) -> dict[str, object]:
    return _service_access(resource_directory.for_account(call.account).service_access_enabled)


def enable_service_access(call: Call) -> dict[str, object]:
    directory = resource_directory.for_account(call.account)
    directory.enable_service_access()
    return _service_access(True)
