"""Engine objects in RFS's JSON: names, statuses, actions and the ``YYYY-MM-DDTHH:mm:ss.SSSZ`` times."""

from __future__ import annotations

from datetime import datetime

from ..engine.model import (
    DetailedStatus,
    Operation,
    OperationAction,
    OperationStatus,
    Preferences,
    StackInstance,
    StackSet,
    TargetStatus,
)
from .state import properties
from .variables import render_overrides

OPERATION_STATUS = {
    OperationStatus.QUEUED: "QUEUE_IN_PROGRESS",
    OperationStatus.RUNNING: "OPERATION_IN_PROGRESS",
    OperationStatus.SUCCEEDED: "OPERATION_COMPLETE",
    OperationStatus.FAILED: "OPERATION_FAILED",
    OperationStatus.STOPPING: "STOP_IN_PROGRESS",
    OperationStatus.STOPPED: "STOP_COMPLETE",
}
#: RFS's STOP_FAILED has no engine counterpart: the engine's stop cannot fail.
OPERATION_STATUSES = (*OPERATION_STATUS.values(), "STOP_FAILED")

INSTANCE_STATUS = {
    DetailedStatus.PENDING: "WAIT_IN_PROGRESS",
    DetailedStatus.RUNNING: "OPERATION_IN_PROGRESS",
    DetailedStatus.SUCCEEDED: "OPERATION_COMPLETE",
    DetailedStatus.FAILED: "OPERATION_FAILED",
    DetailedStatus.CANCELLED: "CANCEL_COMPLETE",
    DetailedStatus.INOPERABLE: "INOPERABLE",
    DetailedStatus.SKIPPED_SUSPENDED_ACCOUNT: "OPERATION_FAILED",
    DetailedStatus.FAILED_IMPORT: "OPERATION_FAILED",
}
RESULT_STATUS = {
    TargetStatus.PENDING: "WAIT_IN_PROGRESS",
    TargetStatus.RUNNING: "OPERATION_IN_PROGRESS",
    TargetStatus.SUCCEEDED: "OPERATION_COMPLETE",
    TargetStatus.FAILED: "OPERATION_FAILED",
    TargetStatus.CANCELLED: "CANCEL_COMPLETE",
}
#: For operations no RFS call started (provider_action is None).
FALLBACK_ACTION = {
    OperationAction.CREATE: "CREATE_STACK_INSTANCES",
    OperationAction.UPDATE: "UPDATE_STACK_INSTANCES",
    OperationAction.DELETE: "DELETE_STACK_INSTANCES",
    OperationAction.DETECT_DRIFT: "DEPLOY_STACK_INSTANCES",
}
ACTIONS = (
    "CREATE_STACK_INSTANCES",
    "DELETE_STACK_INSTANCES",
    "DEPLOY_STACK_SET",
    "DEPLOY_STACK_INSTANCES",
    "UPDATE_STACK_INSTANCES",
)


def time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _compact(payload: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in payload.items() if value is not None}


# -- stack sets ---------------------------------------------------------------------------------------------
def stack_set_status(stack_set: StackSet) -> str:
    return "OPERATION_IN_PROGRESS" if stack_set.busy else "IDLE"


def stack_set_summary(stack_set: StackSet) -> dict[str, object]:
    return _compact(
        {
            "stack_set_id": stack_set.stack_set_id,
            "stack_set_name": stack_set.stack_set_name,
            "stack_set_description": stack_set.description,
            "permission_model": stack_set.permission_model.value,
            "status": stack_set_status(stack_set),
            "create_time": time(stack_set.created_at),
            "update_time": time(stack_set.updated_at),
        }
    )


def stack_set_metadata(stack_set: StackSet) -> dict[str, object]:
    props = properties(stack_set)
    return _compact(
        {
            **stack_set_summary(stack_set),
            "initial_stack_description": props.initial_stack_description,
            "administration_agency_name": props.administration_agency_name,
            "administration_agency_urn": props.administration_agency_urn,
            "managed_agency_name": props.managed_agency_name,
            "vars_uri_content": None,
            "vars_body": props.vars_body,
            "managed_operation": {"enable_parallel_operation": stack_set.managed_execution.active},
            "organizational_unit_ids": stack_set.organizational_unit_ids,
        }
    )


# -- operations -------------------------------------------------------------------------------------------
def action(operation: Operation) -> str:
    return operation.provider_action or FALLBACK_ACTION[operation.action]


def operation_status(operation: Operation) -> str:
    return OPERATION_STATUS[operation.status]


def operation_update_time(operation: Operation) -> datetime:
    times = [operation.creation_timestamp, operation.end_timestamp]
    for result in operation.results:
        times += [result.started_at, result.ended_at]
    return max(t for t in times if t is not None)


def _status_message(operation: Operation) -> str | None:
    if operation.status in (OperationStatus.SUCCEEDED, OperationStatus.QUEUED, OperationStatus.RUNNING):
        return None
    return operation.status_reason


def operation_summary(stack_set: StackSet, operation: Operation) -> dict[str, object]:
    return _compact(
        {
            "operation_id": operation.operation_id,
            "stack_set_id": stack_set.stack_set_id,
            "stack_set_name": stack_set.stack_set_name,
            "action": action(operation),
            "status": operation_status(operation),
            "status_message": _status_message(operation),
            "create_time": time(operation.creation_timestamp),
            "update_time": time(operation_update_time(operation)),
        }
    )


def preferences(prefs: Preferences) -> dict[str, object]:
    return _compact(
        {
            "region_concurrency_type": None
            if prefs.region_concurrency_type is None
            else prefs.region_concurrency_type.value,
            "region_order": list(prefs.region_order) or None,
            "failure_tolerance_count": prefs.failure_tolerance_count,
            "failure_tolerance_percentage": prefs.failure_tolerance_percentage,
            "max_concurrent_count": prefs.max_concurrent_count,
            "max_concurrent_percentage": prefs.max_concurrent_percentage,
            "failure_tolerance_mode": None if prefs.concurrency_mode is None else prefs.concurrency_mode.value,
        }
    )


def deployment_targets(operation: Operation) -> dict[str, object] | None:
    targets = operation.deployment_targets
    if targets is None:
        return None
    regions = (
        targets.regions
        if targets.regions is not None
        else list(dict.fromkeys(result.region for result in operation.results))
    )
    return _compact(
        {
            "regions": list(regions),
            "domain_ids": None if targets.accounts is None else list(targets.accounts),
            "domain_ids_uri": targets.accounts_url,
            "organizational_unit_ids": targets.organizational_unit_ids,
            "domain_id_filter_type": None if targets.account_filter_type is None else targets.account_filter_type.value,
        }
    )


def operation_metadata(stack_set: StackSet, operation: Operation) -> dict[str, object]:
    """ShowStackSetOperationMetadata: note the id is ``stack_set_operation_id`` here."""
    agency = operation.administration_role_arn
    is_urn = agency is not None and ":" in agency
    prefs = preferences(operation.operation_preferences)
    return _compact(
        {
            "stack_set_operation_id": operation.operation_id,
            "stack_set_id": stack_set.stack_set_id,
            "stack_set_name": stack_set.stack_set_name,
            "status": operation_status(operation),
            "status_message": _status_message(operation),
            "action": action(operation),
            "administration_agency_name": None if is_urn else agency,
            "administration_agency_urn": agency if is_urn else None,
            "managed_agency_name": operation.execution_role_name,
            "deployment_targets": deployment_targets(operation),
            "create_time": time(operation.creation_timestamp),
            "update_time": time(operation_update_time(operation)),
            "operation_preferences": prefs or None,
        }
    )


# -- instances --------------------------------------------------------------------------------------------
def instance_status(stack_set: StackSet, instance: StackInstance) -> str:
    detailed = instance.detailed_status
    last = stack_set.operation(instance.last_operation_id)
    if detailed is DetailedStatus.PENDING and last is not None and not stack_set.is_in_flight(last):
        # Outdated by a later template change but not redeployed: RFS shows how its last deployment ended.
        result = last.result(instance.account, instance.region)
        if result is not None:
            return RESULT_STATUS[result.status]
    return INSTANCE_STATUS[detailed]


def _instance_times(stack_set: StackSet, instance: StackInstance) -> tuple[datetime | None, datetime | None]:
    first = stack_set.first_operation_on(instance)
    created = first.creation_timestamp if first is not None else None
    last = stack_set.operation(instance.last_operation_id)
    updated = None
    if last is not None:
        result = last.result(instance.account, instance.region)
        updated = (result.ended_at or result.started_at) if result is not None else None
        updated = updated or last.creation_timestamp
    return created, updated


def instance(stack_set: StackSet, item: StackInstance, *, with_overrides: bool = False) -> dict[str, object]:
    status = instance_status(stack_set, item)
    created, updated = _instance_times(stack_set, item)
    payload: dict[str, object] = {
        "stack_set_id": stack_set.stack_set_id,
        "stack_set_name": stack_set.stack_set_name,
        "status": status,
        "status_message": item.status_reason
        if status in ("OPERATION_FAILED", "INOPERABLE", "CANCEL_COMPLETE")
        else None,
        "stack_id": item.stack_id,
        "stack_name": item.stack_name,
        "stack_domain_id": item.account,
        "latest_stack_set_operation_id": item.last_operation_id,
        "region": item.region,
        "create_time": time(created),
        "update_time": time(updated or created),
    }
    if with_overrides:
        payload["var_overrides"] = render_overrides(item.parameter_overrides)
    return _compact(payload)


def page_info(next_marker: str | None, count: int) -> dict[str, object]:
    return _compact({"next_marker": next_marker, "current_count": count})
