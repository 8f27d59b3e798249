"""ROS stacks as ROS JSON: the shapes of ``GetStack``, ``ListStacks``, ``ListStackResources``,
``GetStackResource`` and ``ListStackEvents`` in ``alibabacloud_ros20190910``. Times ``YYYY-MM-DDTHH:MM:SS``
(UTC, no ``Z``); optional members are left out rather than sent as null."""

from __future__ import annotations

from .render import time
from .stack_model import RosStack, StackEvent, StackResource
from .stack_runner import outputs


def _tags(stack: RosStack) -> list[dict[str, object]]:
    return [{"Key": t.key, "Value": t.value} for t in stack.tags]


def _common(stack: RosStack) -> dict[str, object]:
    rendered: dict[str, object] = {
        "StackId": stack.stack_id,
        "StackName": stack.stack_name,
        "RegionId": stack.region,
        "Status": stack.status,
        "CreateTime": time(stack.created_at),
        "DisableRollback": stack.disable_rollback,
        "TimeoutInMinutes": stack.timeout_in_minutes,
        "DeletionProtection": stack.deletion_protection,
        "StackType": "ROS",
        "StackDriftStatus": "NOT_CHECKED",
        "ServiceManaged": False,
        "Tags": _tags(stack),
    }
    if stack.updated_at is not None:
        rendered["UpdateTime"] = time(stack.updated_at)
    if stack.status_reason:
        rendered["StatusReason"] = stack.status_reason
    if stack.resource_group_id is not None:
        rendered["ResourceGroupId"] = stack.resource_group_id
    return rendered


def parameters(stack: RosStack) -> list[dict[str, object]]:
    """The stack's parameters: the pseudo parameters, then the template's (given or default values)."""
    pseudo = {
        "ALIYUN::AccountId": stack.account,
        "ALIYUN::NoValue": "None",
        "ALIYUN::Region": stack.region,
        "ALIYUN::StackId": stack.stack_id,
        "ALIYUN::StackName": stack.stack_name,
    }
    rendered: list[dict[str, object]] = [{"ParameterKey": k, "ParameterValue": v} for k, v in pseudo.items()]
    for key, value in stack.template.parameter_values(stack.parameters).items():
        rendered.append({"ParameterKey": key, "ParameterValue": value})
    return rendered


def stack(found: RosStack, *, with_outputs: bool, progress: bool) -> dict[str, object]:
    """``GetStack``'s body."""
    rendered = _common(found)
    rendered["Parameters"] = parameters(found)
    if found.template.description is not None:
        rendered["Description"] = found.template.description
        rendered["TemplateDescription"] = found.template.description
    if found.ram_role_name is not None:
        rendered["RamRoleName"] = found.ram_role_name
    if found.notification_urls:
        rendered["NotificationURLs"] = list(found.notification_urls)
    if with_outputs and found.status.endswith("_COMPLETE"):
        rendered["Outputs"] = outputs(found)
    if progress:
        statuses = [r.status for r in found.resources.values()]
        total = len(found.template.resources)
        rendered["ResourceProgress"] = {
            "TotalResourceCount": total,
            "SuccessResourceCount": sum(s.endswith("_COMPLETE") for s in statuses),
            "FailedResourceCount": sum(s.endswith("_FAILED") for s in statuses),
            "InProgressResourceCount": sum(s.endswith("_IN_PROGRESS") for s in statuses),
            "PendingResourceCount": max(0, total - len(statuses)),
            "StackOperationProgress": 0.0 if found.in_progress else 100.0,
            "StackActionProgress": 0.0 if found.in_progress else 100.0,
        }
    return rendered


def stack_summary(found: RosStack) -> dict[str, object]:
    """One item of ``ListStacks``."""
    return _common(found)


def resource(found: RosStack, item: StackResource, *, detailed: bool = False) -> dict[str, object]:
    rendered: dict[str, object] = {
        "LogicalResourceId": item.logical_id,
        "ResourceType": item.resource_type,
        "Status": item.status,
        "StackId": found.stack_id,
        "StackName": found.stack_name,
        "CreateTime": time(item.created_at),
        "UpdateTime": time(item.updated_at),
        "ResourceDriftStatus": "NOT_CHECKED",
    }
    if item.physical_id is not None:
        rendered["PhysicalResourceId"] = item.physical_id
    if item.status_reason:
        rendered["StatusReason"] = item.status_reason
    if detailed and item.description is not None:
        rendered["Description"] = item.description
    return rendered


def resource_attributes(item: StackResource) -> list[dict[str, object]]:
    return [{"ResourceAttributeKey": k, "ResourceAttributeValue": v} for k, v in item.attributes.items()]


def event(item: StackEvent) -> dict[str, object]:
    rendered: dict[str, object] = {
        "EventId": item.event_id,
        "StackId": item.stack_id,
        "StackName": item.stack_name,
        "LogicalResourceId": item.logical_id,
        "ResourceType": item.resource_type,
        "Status": item.status,
        "CreateTime": time(item.created_at),
    }
    if item.physical_id is not None:
        rendered["PhysicalResourceId"] = item.physical_id
    if item.status_reason:
        rendered["StatusReason"] = item.status_reason
    return rendered
