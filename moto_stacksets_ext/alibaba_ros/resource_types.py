"""What creating, updating and deleting the stack-group resource types of a ROS stack does (registered with
the stack runner, ``stack_runner.register_handler``, when the cloud's record imports this module).

* ``ALIYUN::ROS::StackGroup`` and ``ALIYUN::ROS::StackInstances`` are served by the stack-group calls
  themselves (``CreateStackGroup``, ``UpdateStackGroup``, ``DeleteStackGroup``, ``Create/Update/
  DeleteStackInstances``): the same checks and the same engine calls, in the stack's account and region.
  A task that starts an operation waits until it has ended; an operation that ends FAILED fails the
  resource (and so the stack). Physical ids: the stack group's name (ROS addresses groups by name), and
  the id of the StackInstances resource's creating operation.
* Every other type is recorded, not run (``stack_runner``): it gets a plausible physical id
  (``PHYSICAL_ID_PREFIXES``, a name property where the type has one, else a UUID) and keeps it across updates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..engine.errors import EngineError
from ..engine.model import OperationStatus, Tag, TargetStatus
from ..engine.stacksets import StackSetChanges, StackSetNamespace
from . import groups, instances
from .call import Call
from .errors import RosError, from_engine
from .naming import group_properties, namespace
from .params import Params
from .stack_model import RosStack
from .stack_runner import Produced, ResourceFailed, TaskContext, TaskGenerator, Verb, register_handler

STACK_GROUP = "ALIYUN::ROS::StackGroup"
STACK_INSTANCES = "ALIYUN::ROS::StackInstances"


# -- the stack-group resource types ---------------------------------------------------------------------------
@dataclass
class OperationWait:
    """A stack-group operation a task started: ready once it has ended (reading it when the stack is read)."""

    namespace: StackSetNamespace
    operation_id: str

    def ready(self, read: bool) -> bool:
        if read:
            _, operation = self.namespace.read_operation(self.operation_id)
        else:
            _, operation = self.namespace.find_operation(self.operation_id)
        return operation.status.ended

    def failure(self) -> str | None:
        """Why the operation failed (None: it succeeded)."""
        _, operation = self.namespace.find_operation(self.operation_id)
        if operation.status is OperationStatus.SUCCEEDED:
            return None
        reasons = [r.status_reason for r in operation.results if r.status is TargetStatus.FAILED and r.status_reason]
        detail = f": {reasons[0]}" if reasons else ""
        return f"The StackGroupOperation ({self.operation_id}) ended {operation.status.value}{detail}"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _params(stack: RosStack, properties: dict[str, object], allowed: dict[str, str], resource_type: str) -> Params:
    """The API parameters of a stack-group call made for a resource (``allowed``: property → encoding)."""
    values: dict[str, str] = {"RegionId": stack.region}
    for name, value in properties.items():
        encoding = allowed.get(name)
        if encoding is None:
            raise ResourceFailed(f"The property ({name}) is not supported by {resource_type}")
        if value is None:
            continue
        if encoding == "map-parameters":
            if not isinstance(value, dict):
                raise ResourceFailed(f"The specified value type of ({name}) is incorrect, it should be a map")
            target = "Parameters" if name == "Parameters" else "ParameterOverrides"
            for index, (key, item) in enumerate(value.items(), start=1):
                values[f"{target}.{index}.ParameterKey"] = str(key)
                values[f"{target}.{index}.ParameterValue"] = _text(item)
        elif encoding == "list":
            if not isinstance(value, list):
                raise ResourceFailed(f"The specified value type of ({name}) is incorrect, it should be a list")
            for index, item in enumerate(value, start=1):
                values[f"{name}.{index}"] = _text(item)
        elif encoding == "tags":
            if not isinstance(value, list):
                raise ResourceFailed(f"The specified value type of ({name}) is incorrect, it should be a list")
            for index, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    values[f"Tags.{index}.Key"] = _text(item.get("Key", ""))
                    values[f"Tags.{index}.Value"] = _text(item.get("Value", ""))
        else:
            values[name] = _text(value)
    return Params(values)


def _run(
    function: Callable[[Call], dict[str, object]], action: str, stack: RosStack, params: Params
) -> dict[str, object]:
    try:
        return function(Call(action, params, stack.account))
    except RosError as error:
        raise ResourceFailed(f"{error.code}: {error.message}") from None


_GROUP_PROPERTIES = {
    "StackGroupName": "text",
    "TemplateBody": "text",
    "TemplateURL": "text",
    "TemplateId": "text",
    "TemplateVersion": "text",
    "Parameters": "map-parameters",
    "PermissionModel": "text",
    "AutoDeployment": "text",
    "AdministrationRoleName": "text",
    "ExecutionRoleName": "text",
    "Description": "text",
    "ResourceGroupId": "text",
    "Capabilities": "list",
    "Tags": "tags",
}


def _stack_group(context: TaskContext) -> TaskGenerator:
    stack, properties, verb = context.stack, context.properties, context.task.verb
    name = properties.get("StackGroupName")
    if not isinstance(name, str) or not name:
        raise ResourceFailed("The property (StackGroupName) of ALIYUN::ROS::StackGroup should be specified")
    ns = namespace(stack.account, stack.region)
    if verb is Verb.DELETE:
        if not context.task.retain and context.resource.physical_id is not None:  # None: nothing was created
            try:
                groups.delete_stack_group(
                    Call(
                        "DeleteStackGroup",
                        _params(stack, {"StackGroupName": name}, _GROUP_PROPERTIES, STACK_GROUP),
                        stack.account,
                    )
                )
            except RosError as error:
                if error.code != "StackGroupNotFound":
                    raise ResourceFailed(f"{error.code}: {error.message}") from None
        return Produced(None)
    if context.previous is None:
        _run(
            groups.create_stack_group,
            "CreateStackGroup",
            stack,
            _params(stack, properties, _GROUP_PROPERTIES, STACK_GROUP),
        )
    else:
        if context.previous.get("StackGroupName") != name:
            raise ResourceFailed("The property (StackGroupName) of ALIYUN::ROS::StackGroup cannot be updated")
        # Tags and ResourceGroupId are not UpdateStackGroup's: they change as TagResources/MoveResourceGroup do.
        sent = {k: v for k, v in properties.items() if k not in ("Tags", "ResourceGroupId")}
        tags = _group_tags(properties.get("Tags"))
        resource_group = properties.get("ResourceGroupId")
        if resource_group is not None and not isinstance(resource_group, str):
            raise ResourceFailed("The specified value type of (ResourceGroupId) is incorrect, it should be a string")
        if {k: v for k, v in context.previous.items() if k not in ("Tags", "ResourceGroupId")} != sent:
            answer = _run(
                groups.update_stack_group,
                "UpdateStackGroup",
                stack,
                _params(stack, sent, _GROUP_PROPERTIES, STACK_GROUP),
            )
            wait = OperationWait(ns, str(answer["OperationId"]))
            yield wait
            failure = wait.failure()
            if failure is not None:
                raise ResourceFailed(failure)
        group = ns.get_stack_set(name)
        properties_now = group_properties(group)
        new_group = resource_group if resource_group is not None else properties_now.resource_group_id
        changes = StackSetChanges(
            tags=tags if tags != group.tags else None,
            provider_properties=replace(properties_now, resource_group_id=new_group)
            if new_group != properties_now.resource_group_id
            else None,
        )
        if changes.tags is not None or changes.provider_properties is not None:
            try:
                ns.update_stack_set_properties(name, changes)
            except EngineError as error:
                raise ResourceFailed(from_engine(error, name).message) from None
    group = ns.get_stack_set(name)
    return Produced(name, {"StackGroupId": group.stack_set_id, "StackGroupName": name})


def _group_tags(value: object) -> list[Tag]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) and "Key" in item for item in value):
        raise ResourceFailed("The specified value type of (Tags) is incorrect, it should be a list of {Key, Value}")
    return [Tag(str(item["Key"]), _text(item.get("Value", ""))) for item in value]


_INSTANCE_PROPERTIES = {
    "StackGroupName": "text",
    "AccountIds": "text",
    "RegionIds": "text",
    "DeploymentTargets": "text",
    "ParameterOverrides": "map-parameters",
    "OperationPreferences": "text",
    "OperationDescription": "text",
    "RetainStacks": "text",
    "DisableRollback": "text",
    "TimeoutInMinutes": "text",
}
_TARGET_KEYS = ("AccountIds", "RdFolderIds")


def _targets(properties: dict[str, object]) -> tuple[str, dict[str, list[str]]]:
    """The targets a StackInstances resource names: ("AccountIds" or "DeploymentTargets", lists by key)."""
    deployment = properties.get("DeploymentTargets")
    if isinstance(deployment, dict):
        return "DeploymentTargets", {
            key: [str(v) for v in deployment.get(key) or []] for key in _TARGET_KEYS if deployment.get(key)
        }
    accounts = properties.get("AccountIds")
    return "AccountIds", {"AccountIds": [str(v) for v in accounts] if isinstance(accounts, list) else []}


def _regions(properties: dict[str, object]) -> list[str]:
    regions = properties.get("RegionIds")
    return [str(r) for r in regions] if isinstance(regions, list) else []


def _instance_call(
    stack: RosStack, base: dict[str, object], kind: str, targets: dict[str, list[str]], regions: list[str], action: str
) -> dict[str, object]:
    properties = {k: v for k, v in base.items() if k not in ("AccountIds", "DeploymentTargets", "RegionIds")}
    properties["RegionIds"] = regions
    if kind == "DeploymentTargets":
        properties["DeploymentTargets"] = {key: value for key, value in targets.items() if value}
    else:
        properties["AccountIds"] = targets.get("AccountIds", [])
    keep = {
        "CreateStackInstances": ("RetainStacks",),
        "UpdateStackInstances": ("RetainStacks", "DisableRollback"),
        "DeleteStackInstances": ("ParameterOverrides", "DisableRollback", "TimeoutInMinutes"),
    }[action]
    for name in keep:
        properties.pop(name, None)
    if action == "DeleteStackInstances":
        properties["RetainStacks"] = bool(base.get("RetainStacks", False))
    function = {
        "CreateStackInstances": instances.create_stack_instances,
        "UpdateStackInstances": instances.update_stack_instances,
        "DeleteStackInstances": instances.delete_stack_instances,
    }[action]
    return _run(function, action, stack, _params(stack, properties, _INSTANCE_PROPERTIES, STACK_INSTANCES))


def _operation(stack: RosStack, answer: dict[str, object]) -> OperationWait:
    return OperationWait(namespace(stack.account, stack.region), str(answer["OperationId"]))


def _stack_instances(context: TaskContext) -> TaskGenerator:
    stack, properties, verb = context.stack, context.properties, context.task.verb
    name = properties.get("StackGroupName")
    if not isinstance(name, str) or not name:
        raise ResourceFailed("The property (StackGroupName) of ALIYUN::ROS::StackInstances should be specified")
    kind, targets = _targets(properties)
    regions = _regions(properties)
    if verb is Verb.DELETE:
        if context.task.retain or context.resource.physical_id is None:  # None: no operation was started
            return Produced(None)
        try:
            wait = _operation(stack, _instance_call(stack, properties, kind, targets, regions, "DeleteStackInstances"))
        except ResourceFailed as failed:
            if "StackGroupNotFound" in failed.reason:
                return Produced(None)
            raise
        yield wait
        if (failure := wait.failure()) is not None:
            raise ResourceFailed(failure)
        return Produced(None)
    previous = context.previous
    if previous is None:
        wait = _operation(stack, _instance_call(stack, properties, kind, targets, regions, "CreateStackInstances"))
        context.resource.physical_id = wait.operation_id  # instances exist from here on, whatever the outcome
        context.resource.attributes = {"LastOperationId": wait.operation_id, "StackGroupName": name}
        yield wait
        if (failure := wait.failure()) is not None:
            raise ResourceFailed(failure)
        return Produced(wait.operation_id, {"LastOperationId": wait.operation_id, "StackGroupName": name})
    if previous.get("StackGroupName") != name:
        raise ResourceFailed("The property (StackGroupName) of ALIYUN::ROS::StackInstances cannot be updated")
    old_kind, old_targets = _targets(previous)
    old_regions = _regions(previous)
    last = context.resource.attributes.get("LastOperationId")
    # Removed targets first (per region: all of a dropped region, the dropped targets of a kept one), then
    # added ones, then the parameter overrides of what remains.
    for region in old_regions:
        removed = {
            key: (
                values
                if region not in regions or old_kind != kind
                else [v for v in values if v not in targets.get(key, [])]
            )
            for key, values in old_targets.items()
        }
        if any(removed.values()):
            wait = _operation(
                stack,
                _instance_call(
                    stack,
                    previous | {"RetainStacks": properties.get("RetainStacks", False)},
                    old_kind,
                    removed,
                    [region],
                    "DeleteStackInstances",
                ),
            )
            yield wait
            if (failure := wait.failure()) is not None:
                raise ResourceFailed(failure)
            last = wait.operation_id
    for region in regions:
        added = {
            key: (
                values
                if region not in old_regions or old_kind != kind
                else [v for v in values if v not in old_targets.get(key, [])]
            )
            for key, values in targets.items()
        }
        if any(added.values()):
            wait = _operation(stack, _instance_call(stack, properties, kind, added, [region], "CreateStackInstances"))
            yield wait
            if (failure := wait.failure()) is not None:
                raise ResourceFailed(failure)
            last = wait.operation_id
    kept_regions = [r for r in regions if r in old_regions]
    if properties.get("ParameterOverrides") != previous.get("ParameterOverrides") and kept_regions and old_kind == kind:
        kept = {key: [v for v in values if v in old_targets.get(key, [])] for key, values in targets.items()}
        if any(kept.values()):
            overrides = (
                properties if properties.get("ParameterOverrides") else properties | {"ParameterOverrides": None}
            )
            wait = _operation(stack, _instance_call(stack, overrides, kind, kept, kept_regions, "UpdateStackInstances"))
            yield wait
            if (failure := wait.failure()) is not None:
                raise ResourceFailed(failure)
            last = wait.operation_id
    return Produced(context.resource.physical_id, {"LastOperationId": last or "", "StackGroupName": name})


register_handler(STACK_GROUP, _stack_group)
register_handler(STACK_INSTANCES, _stack_instances)
