"""Engine objects as ROS JSON: the shapes of the ``alibabacloud_ros20190910`` response models.

Times never carry a ``Z``: operations use ``YYYY-MM-DDTHH:MM:SS.ffffff`` (UTC), everything else
``YYYY-MM-DDTHH:MM:SS`` (UTC). Optional members are left out rather than sent as null.
"""

from __future__ import annotations

from datetime import datetime

from ..engine.model import (
    AutoDeployment,
    DriftStatus,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    PermissionModel,
    StackInstance,
    StackSet,
    TargetResult,
    TargetStatus,
)
from . import preferences
from .naming import group_properties

#: Engine operation status → ROS status (ROS shares the engine's words; QUEUED is ROS's too).
OPERATION_STATUS = {
    OperationStatus.QUEUED: "QUEUED",
    OperationStatus.RUNNING: "RUNNING",
    OperationStatus.SUCCEEDED: "SUCCEEDED",
    OperationStatus.FAILED: "FAILED",
    OperationStatus.STOPPING: "STOPPING",
    OperationStatus.STOPPED: "STOPPED",
}
ACTION = {
    OperationAction.CREATE: "CREATE",
    OperationAction.UPDATE: "UPDATE",
    OperationAction.DELETE: "DELETE",
    OperationAction.DETECT_DRIFT: "DETECT_DRIFT",
}
RESULT_STATUS = {
    TargetStatus.PENDING: "PENDING",
    TargetStatus.RUNNING: "RUNNING",
    TargetStatus.SUCCEEDED: "SUCCEEDED",
    TargetStatus.FAILED: "FAILED",
    TargetStatus.CANCELLED: "CANCELLED",
}
#: ROS instances are CURRENT or OUTDATED; an engine INOPERABLE instance (a failed delete) is OUTDATED.
INSTANCE_STATUS = {
    InstanceStatus.CURRENT: "CURRENT",
    InstanceStatus.OUTDATED: "OUTDATED",
    InstanceStatus.INOPERABLE: "OUTDATED",
}
DRIFT_STATUS = {
    DriftStatus.DRIFTED: "DRIFTED",
    DriftStatus.IN_SYNC: "IN_SYNC",
    DriftStatus.NOT_CHECKED: "NOT_CHECKED",
    DriftStatus.UNKNOWN: "NOT_CHECKED",
}


def time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def operation_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _parameters(parameters: list[Parameter]) -> list[dict[str, object]]:
    return [{"ParameterKey": p.parameter_key, "ParameterValue": p.parameter_value or ""} for p in parameters]


def _auto_deployment(auto: AutoDeployment) -> dict[str, object]:
    rendered: dict[str, object] = {"Enabled": bool(auto.enabled)}
    if auto.retain_stacks_on_account_removal is not None:
        rendered["RetainStacksOnAccountRemoval"] = auto.retain_stacks_on_account_removal
    return rendered


def resource_group(stack_set: StackSet) -> str | None:
    return group_properties(stack_set).resource_group_id


# -- stack groups ---------------------------------------------------------------------------------------
def _group_common(stack_set: StackSet) -> dict[str, object]:
    rendered: dict[str, object] = {
        "StackGroupId": stack_set.stack_set_id,
        "StackGroupName": stack_set.stack_set_name,
        "Status": stack_set.status.value,
        "PermissionModel": stack_set.permission_model.value,
    }
    if stack_set.description is not None:
        rendered["Description"] = stack_set.description
    group = resource_group(stack_set)
    if group is not None:
        rendered["ResourceGroupId"] = group
    if stack_set.created_at is not None:
        rendered["CreateTime"] = time(stack_set.created_at)
    if stack_set.updated_at is not None:
        rendered["UpdateTime"] = time(stack_set.updated_at)
    if stack_set.permission_model is PermissionModel.SERVICE_MANAGED and stack_set.auto_deployment is not None:
        rendered["AutoDeployment"] = _auto_deployment(stack_set.auto_deployment)
    return rendered


def stack_group(stack_set: StackSet) -> dict[str, object]:
    """``GetStackGroup``'s StackGroup."""
    rendered = _group_common(stack_set)
    if stack_set.administration_role_arn:
        rendered["AdministrationRoleName"] = stack_set.administration_role_arn
    if stack_set.execution_role_name:
        rendered["ExecutionRoleName"] = stack_set.execution_role_name
    rendered["Parameters"] = _parameters(stack_set.parameters)
    if stack_set.template_body is not None:
        rendered["TemplateBody"] = stack_set.template_body
        rendered["TemplateContent"] = stack_set.template_body
    if stack_set.permission_model is PermissionModel.SERVICE_MANAGED:
        rendered["RdFolderIds"] = stack_set.organizational_unit_ids
    drift = stack_set.last_drift_detection
    if drift is not None:
        rendered["StackGroupDriftDetectionDetail"] = drift_detail(stack_set, drift)
    return rendered


def stack_group_summary(stack_set: StackSet) -> dict[str, object]:
    """One item of ``ListStackGroups``."""
    rendered = _group_common(stack_set)
    drift = stack_set.last_drift_detection
    if drift is not None:
        detail = drift_detail(stack_set, drift)
        rendered["StackGroupDriftStatus"] = detail["StackGroupDriftStatus"]
        rendered["DriftDetectionTime"] = detail["DriftDetectionTime"]
    else:
        rendered["StackGroupDriftStatus"] = DRIFT_STATUS[stack_set.drift_status]
    rendered["Tags"] = [{"Key": t.key, "Value": t.value} for t in stack_set.tags]
    return rendered


# -- instances ------------------------------------------------------------------------------------------
def stack_instance(stack_set: StackSet, instance: StackInstance, *, detailed: bool = False) -> dict[str, object]:
    """One ``ListStackInstances`` item; ``detailed`` adds GetStackInstance's ParameterOverrides."""
    status = INSTANCE_STATUS[instance.status]
    rendered: dict[str, object] = {
        "AccountId": instance.account,
        "RegionId": instance.region,
        "StackGroupId": stack_set.stack_set_id,
        "StackGroupName": stack_set.stack_set_name,
        "Status": status,
        "StackDriftStatus": DRIFT_STATUS[instance.drift_status],
    }
    if instance.organizational_unit_id:
        rendered["RdFolderId"] = instance.organizational_unit_id
    if status == "CURRENT" and instance.stack_id is not None:
        rendered["StackId"] = instance.stack_id
    if instance.status_reason:
        rendered["StatusReason"] = instance.status_reason
    if instance.last_drift_check_timestamp is not None:
        rendered["DriftDetectionTime"] = time(instance.last_drift_check_timestamp)
    if detailed:
        rendered["ParameterOverrides"] = _parameters(instance.parameter_overrides)
    return rendered


# -- operations -----------------------------------------------------------------------------------------
def operation_summary(stack_set: StackSet, operation: Operation) -> dict[str, object]:
    """One item of ``ListStackGroupOperations``."""
    rendered: dict[str, object] = {
        "OperationId": operation.operation_id,
        "Action": ACTION[operation.action],
        "Status": OPERATION_STATUS[operation.status],
        "CreateTime": operation_time(operation.creation_timestamp),
        "StackGroupId": stack_set.stack_set_id,
        "StackGroupName": stack_set.stack_set_name,
    }
    if operation.end_timestamp is not None:
        rendered["EndTime"] = operation_time(operation.end_timestamp)
    if operation.description is not None:
        rendered["OperationDescription"] = operation.description
    return rendered


def operation(stack_set: StackSet, operation: Operation) -> dict[str, object]:
    """``GetStackGroupOperation``'s StackGroupOperation, every field rule of ROS's documentation."""
    rendered = operation_summary(stack_set, operation)
    if operation.action is OperationAction.DELETE:
        rendered["RetainStacks"] = bool(operation.retain_stacks)
    rendered["OperationPreferences"] = preferences.render(operation.operation_preferences)
    targets = operation.deployment_targets
    if targets is not None:
        rendered_targets: dict[str, object] = {}
        if targets.organizational_unit_ids:
            rendered_targets["RdFolderIds"] = list(targets.organizational_unit_ids)
        if targets.accounts:
            rendered_targets["AccountIds"] = list(targets.accounts)
        rendered["DeploymentTargets"] = rendered_targets
    if operation.administration_role_arn:
        rendered["AdministrationRoleName"] = operation.administration_role_arn
    if operation.execution_role_name:
        rendered["ExecutionRoleName"] = operation.execution_role_name
    if operation.action is OperationAction.DETECT_DRIFT:
        rendered["StackGroupDriftDetectionDetail"] = drift_detail(stack_set, operation)
    return rendered


def drift_detail(stack_set: StackSet, operation: Operation) -> dict[str, object]:
    """``StackGroupDriftDetectionDetail`` of a DETECT_DRIFT operation, counted from its results."""
    counts = dict.fromkeys(("total", "failed", "cancelled", "in_progress", "drifted", "in_sync"), 0)
    for result in operation.results:
        counts["total"] += 1
        if result.status is TargetStatus.FAILED:
            counts["failed"] += 1
        elif result.status is TargetStatus.CANCELLED:
            counts["cancelled"] += 1
        elif result.status in (TargetStatus.PENDING, TargetStatus.RUNNING):
            counts["in_progress"] += 1
        else:
            instance = stack_set.instance(result.account, result.region)
            if instance is not None and instance.drift_status is DriftStatus.DRIFTED:
                counts["drifted"] += 1
            elif instance is not None and instance.drift_status is DriftStatus.IN_SYNC:
                counts["in_sync"] += 1
    if not operation.status.ended:
        detection = "IN_PROGRESS"
    elif operation.status is OperationStatus.STOPPED:
        detection = "STOPPED"
    elif operation.status is OperationStatus.FAILED:
        detection = "FAILED"
    else:
        detection = "PARTIAL_SUCCESS" if counts["failed"] else "COMPLETED"
    if counts["drifted"]:
        group_drift = "DRIFTED"
    elif counts["in_sync"] and counts["in_sync"] == counts["total"]:
        group_drift = "IN_SYNC"
    else:
        group_drift = "NOT_CHECKED"
    return {
        "DriftDetectionTime": time(operation.creation_timestamp),
        "DriftDetectionStatus": detection,
        "StackGroupDriftStatus": group_drift,
        "TotalStackInstancesCount": counts["total"],
        "FailedStackInstancesCount": counts["failed"],
        "CancelledStackInstancesCount": counts["cancelled"],
        "InProgressStackInstancesCount": counts["in_progress"],
        "DriftedStackInstancesCount": counts["drifted"],
        "InSyncStackInstancesCount": counts["in_sync"],
    }


def operation_result(result: TargetResult) -> dict[str, object]:
    """One item of ``ListStackGroupOperationResults``."""
    rendered: dict[str, object] = {
        "AccountId": result.account,
        "RegionId": result.region,
        "Status": RESULT_STATUS[result.status],
    }
    if result.organizational_unit_id:
        rendered["RdFolderId"] = result.organizational_unit_id
    if result.status_reason:
        rendered["StatusReason"] = result.status_reason
    return rendered
