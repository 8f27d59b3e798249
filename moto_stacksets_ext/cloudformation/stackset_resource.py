"""``AWS::CloudFormation::StackSet`` in templates: a real stack set, made through the engine.

The resource's properties are CreateStackSet's members plus ``StackInstancesGroup`` (CreateStackInstances
per group) and ``OperationPreferences`` (every operation's), as the resource's schema (cfn-lint's copy of
CloudFormation's registry schema) documents them. Creating the resource calls the backend CreateStackSet
and CreateStackInstances use (so every rule and error of those calls applies), then each group as its own
operation; an update diffs the properties as CloudFormation's handler does (stack-set properties changed:
UpdateStackSet; groups added: CreateStackInstances; groups removed: DeleteStackInstances; a group's
ParameterOverrides changed: UpdateStackInstances); a delete removes every group's instances, then the stack
set. ``StackSetName`` and ``PermissionModel`` are create-only (the schema's ``createOnlyProperties``): a
change replaces the stack set (a new name: the new stack set is made, then the old one deleted; the same
name: CloudFormation's "custom-named resource requires replacing" failure).

The calls run as ``stackset_runs.Step``s of a ``ResourceWork`` that ``template_stacks`` drives: an operation
paced by the progression keeps the parent stack ``*_IN_PROGRESS`` until it ends; one that ends FAILED fails
the resource and rolls the parent back.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..engine.model import PermissionModel
from ..engine.stacksets import OperationRequest, StackSetChanges, StackSetSpec
from . import params
from .exceptions import CloudFormationStackSetError, StackInstanceNotFoundException, StackSetNotFoundException
from .stackset_runs import ResourceWork, Step
from .template_types import PluginModel
from .validation import validate_input

TYPE = "AWS::CloudFormation::StackSet"


class PropertiesInvalid(Exception):
    """The resource's properties break its schema (CloudFormation's "Properties validation failed")."""


# -- the resource's schema (cfn-lint ships CloudFormation's registry schemas) ---------------------------
@lru_cache(maxsize=1)
def schema() -> Mapping[str, Any]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    found: Mapping[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", TYPE).schema
    return found


def create_only() -> frozenset[str]:
    return frozenset(p.rsplit("/", 1)[-1] for p in schema().get("createOnlyProperties", []))


def _required(path: str, value: Mapping[str, Any], required: list[str]) -> list[str]:
    return [f"{path}: required key [{key}] not found" for key in required if value.get(key) is None]


def schema_violations(properties: Mapping[str, Any]) -> list[str]:
    """The required keys the properties lack, in the words CloudFormation's schema validation uses
    ("#: required key [StackSetName] not found"); types are not checked (CloudFormation converts a template's
    strings to numbers and booleans)."""
    found = _required("#", properties, list(schema().get("required", [])))
    groups = properties.get("StackInstancesGroup")
    group_required = list(schema()["definitions"]["StackInstances"].get("required", []))
    if isinstance(groups, list):
        for index, group in enumerate(groups):
            if isinstance(group, Mapping):
                found += _required(f"#/StackInstancesGroup/{index}", group, group_required)
    return found


# -- typed properties -----------------------------------------------------------------------------------
def _int(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _pairs(raw: Any, key: str, value: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(item.get(key, "")), str(item.get(value, ""))) for item in raw or [] if isinstance(item, Mapping))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass(frozen=True)
class InstanceGroup:
    """One ``StackInstancesGroup`` entry: where its instances are, and their parameter overrides."""

    deployment_targets: Mapping[str, Any]
    regions: tuple[str, ...]
    overrides: tuple[tuple[str, str], ...] | None

    @property
    def key(self) -> str:
        """Which instances the group names (its targets and regions, in any order)."""
        targets = {k: sorted(v) if isinstance(v, list) else v for k, v in self.deployment_targets.items()}
        return _canonical({"targets": targets, "regions": sorted(self.regions)})

    def values(self, name: str, preferences: Mapping[str, Any] | None, call_as: str | None) -> dict[str, Any]:
        """The group as CreateStackInstances' request members."""
        values: dict[str, Any] = {
            "StackSetName": name,
            "DeploymentTargets": dict(self.deployment_targets),
            "Regions": list(self.regions),
        }
        if self.overrides is not None:
            values["ParameterOverrides"] = [{"ParameterKey": k, "ParameterValue": v} for k, v in self.overrides]
        if preferences is not None:
            values["OperationPreferences"] = dict(preferences)
        if call_as is not None:
            values["CallAs"] = call_as
        return values


#: The stack-set properties an update sends UpdateStackSet for (the template's own: not the groups).
STACK_SET_MEMBERS = (
    "Description",
    "TemplateBody",
    "TemplateURL",
    "Parameters",
    "Capabilities",
    "Tags",
    "AdministrationRoleARN",
    "ExecutionRoleName",
    "AutoDeployment",
    "ManagedExecution",
)


@dataclass(frozen=True)
class StackSetProperties:
    """The resource's properties, resolved (intrinsic functions already evaluated by moto's parser)."""

    logical_id: str
    raw: Mapping[str, Any]
    groups: tuple[InstanceGroup, ...] = field(default=())

    @classmethod
    def parse(cls, logical_id: str, raw: Mapping[str, Any]) -> StackSetProperties:
        violations = schema_violations(raw)
        if violations:
            message = violations[0] if len(violations) == 1 else f"#: {len(violations)} schema violations found"
            detail = "" if len(violations) == 1 else ", " + ", ".join(violations)
            raise PropertiesInvalid(
                f"Properties validation failed for resource {logical_id} with message: {message}{detail}"
            )
        groups = []
        for group in raw.get("StackInstancesGroup") or []:
            overrides = group.get("ParameterOverrides")
            groups.append(
                InstanceGroup(
                    deployment_targets=dict(group.get("DeploymentTargets") or {}),
                    regions=tuple(group.get("Regions") or []),
                    overrides=None if overrides is None else _pairs(overrides, "ParameterKey", "ParameterValue"),
                )
            )
        return cls(logical_id, dict(raw), tuple(groups))

    @property
    def name(self) -> str:
        return str(self.raw["StackSetName"])

    @property
    def permission_model(self) -> str:
        return str(self.raw.get("PermissionModel") or "SELF_MANAGED")

    @property
    def call_as(self) -> str | None:
        found = self.raw.get("CallAs")
        return None if found is None else str(found)

    @property
    def preferences(self) -> Mapping[str, Any] | None:
        found = self.raw.get("OperationPreferences")
        if not isinstance(found, Mapping):
            return None
        return {k: _int(v) for k, v in found.items()}

    def _member(self, name: str) -> Any:
        value = self.raw.get(name)
        if name == "AutoDeployment" and isinstance(value, Mapping):
            return {k: _bool(v) for k, v in value.items()}
        if name == "ManagedExecution" and isinstance(value, Mapping):
            return {k: _bool(v) for k, v in value.items()}
        return value

    def create_values(self) -> dict[str, Any]:
        """The properties as CreateStackSet's request members."""
        names = (*STACK_SET_MEMBERS, "StackSetName", "PermissionModel", "CallAs")
        values = {name: self._member(name) for name in names}
        return {k: v for k, v in values.items() if v is not None}

    def changed_members(self, previous: StackSetProperties) -> list[str]:
        """The stack-set properties that differ from ``previous`` (what UpdateStackSet sends)."""
        return [m for m in STACK_SET_MEMBERS if _canonical(self._member(m)) != _canonical(previous._member(m))]

    def replaced_by(self, new: StackSetProperties) -> bool:
        """Whether ``new`` changes a create-only property (the stack set is replaced)."""
        return any(_canonical(self.raw.get(p)) != _canonical(new.raw.get(p)) for p in create_only())


# -- the calls ------------------------------------------------------------------------------------------
def _backend(account_id: str, region_name: str) -> Any:
    from .models import stacksets_backends

    return stacksets_backends[account_id][region_name]


def _request(values: Mapping[str, Any]) -> OperationRequest:
    return OperationRequest(
        preferences=params.preferences(values.get("OperationPreferences")),
        deployment_targets=params.deployment_targets(values.get("DeploymentTargets")),
    )


def _spec(values: Mapping[str, Any]) -> StackSetSpec:
    """CreateStackSet's request as the AWS front-end reads it."""
    spec = StackSetSpec(
        stack_set_name=params.stack_set_name(values["StackSetName"]),
        permission_model=PermissionModel(values.get("PermissionModel") or "SELF_MANAGED"),
        description=values.get("Description"),
        template_body=values.get("TemplateBody"),
        template_url=values.get("TemplateURL"),
        parameters=params.parameters(values.get("Parameters")),
        capabilities=list(values.get("Capabilities") or []),
        tags=params.tags(values.get("Tags")),
        administration_role_arn=values.get("AdministrationRoleARN"),
        execution_role_name=values.get("ExecutionRoleName"),
        auto_deployment=params.auto_deployment(values.get("AutoDeployment")),
    )
    managed = params.managed_execution(values.get("ManagedExecution"))
    if managed is not None:
        spec.managed_execution = managed
    return spec


class Calls:
    """The engine calls of one resource, each as CloudFormation's handler makes it (through the backend the
    AWS API uses, after the same input checks)."""

    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name

    @property
    def backend(self) -> Any:
        return _backend(self.account_id, self.region_name)

    def create_stack_set(self, props: StackSetProperties) -> str:
        values = props.create_values()
        validate_input("CreateStackSet", values)
        stack_set = self.backend.create_stack_set(_spec(values), props.call_as)
        return str(stack_set.stack_set_id)

    def _instances(self, name: str, group: InstanceGroup, props: StackSetProperties) -> Any:
        from .models import InstancesCall

        values = group.values(name, props.preferences, props.call_as)
        return values, InstancesCall(
            name=name,
            accounts=None,
            regions=params.regions(values.get("Regions")),
            request=_request(values),
            call_as=props.call_as,
            overrides=params.parameters(values["ParameterOverrides"]) if "ParameterOverrides" in values else None,
        )

    def create_instances(self, name: str, group: InstanceGroup, props: StackSetProperties) -> str:
        values, call = self._instances(name, group, props)
        validate_input("CreateStackInstances", values)
        return str(self.backend.create_stack_instances(call).operation_id)

    def update_instances(self, name: str, group: InstanceGroup, props: StackSetProperties) -> str:
        values, call = self._instances(name, group, props)
        validate_input("UpdateStackInstances", values)
        return str(self.backend.update_stack_instances(call).operation_id)

    def delete_instances(self, name: str, group: InstanceGroup, props: StackSetProperties) -> str | None:
        values, call = self._instances(name, group, props)
        values.pop("ParameterOverrides", None)
        values["RetainStacks"] = False
        validate_input("DeleteStackInstances", values)
        try:
            return str(self.backend.delete_stack_instances(call, False).operation_id)
        except (StackSetNotFoundException, StackInstanceNotFoundException):
            return None  # deleted out of band: CloudFormation's handler counts it deleted

    def update_stack_set(self, name: str, props: StackSetProperties, members: list[str]) -> str:
        values = {m: props._member(m) for m in members}
        values = {"StackSetName": name, **{k: v for k, v in values.items() if v is not None}}
        if "TemplateBody" not in values and "TemplateURL" not in values:
            values["UsePreviousTemplate"] = True
        if props.preferences is not None:
            values["OperationPreferences"] = dict(props.preferences)
        if props.call_as is not None:
            values["CallAs"] = props.call_as
        validate_input("UpdateStackSet", values)
        changes = StackSetChanges(
            description=values.get("Description"),
            template_body=values.get("TemplateBody"),
            template_url=values.get("TemplateURL"),
            parameters=params.parameters(values.get("Parameters")) if "Parameters" in members else None,
            capabilities=list(values.get("Capabilities") or []) if "Capabilities" in members else None,
            tags=params.tags(values.get("Tags")) if "Tags" in members else None,
            administration_role_arn=values.get("AdministrationRoleARN"),
            execution_role_name=values.get("ExecutionRoleName"),
            auto_deployment=params.auto_deployment(values.get("AutoDeployment")),
            managed_execution=params.managed_execution(values.get("ManagedExecution")),
        )
        request = OperationRequest(preferences=params.preferences(values.get("OperationPreferences")))
        operation = self.backend.update_stack_set(name, changes, None, None, request, props.call_as)
        return str(operation.operation_id)

    def delete_stack_set(self, name: str, call_as: str | None) -> None:
        try:
            self.backend.delete_stack_set(name, call_as)
        except StackSetNotFoundException:
            return  # deleted out of band


# -- steps ----------------------------------------------------------------------------------------------
def create_steps(calls: Calls, props: StackSetProperties) -> list[Step]:
    """The instance groups of a new stack set, one CreateStackInstances each."""
    return [
        Step("CreateStackInstances", props.name, _bind(calls.create_instances, props.name, group, props))
        for group in props.groups
    ]


def delete_steps(calls: Calls, props: StackSetProperties) -> list[Step]:
    """Every group's instances, then the stack set."""
    steps = [
        Step("DeleteStackInstances", props.name, _bind(calls.delete_instances, props.name, group, props))
        for group in props.groups
    ]
    steps.append(Step("DeleteStackSet", props.name, _then_none(calls.delete_stack_set, props.name, props.call_as)))
    return steps


def update_steps(calls: Calls, old: StackSetProperties, new: StackSetProperties) -> list[Step]:
    """What changes ``old`` into ``new`` in place (same stack set): UpdateStackSet if its own properties
    changed, DeleteStackInstances for groups removed, CreateStackInstances for groups added,
    UpdateStackInstances for groups whose ParameterOverrides changed (the order of CloudFormation's handler)."""
    name = new.name
    steps: list[Step] = []
    members = new.changed_members(old)
    if members:
        steps.append(Step("UpdateStackSet", name, _bind(calls.update_stack_set, name, new, members)))
    before = {g.key: g for g in old.groups}
    after = {g.key: g for g in new.groups}
    steps += [
        Step("DeleteStackInstances", name, _bind(calls.delete_instances, name, g, old))
        for k, g in before.items()
        if k not in after
    ]
    steps += [
        Step("CreateStackInstances", name, _bind(calls.create_instances, name, g, new))
        for k, g in after.items()
        if k not in before
    ]
    steps += [
        Step("UpdateStackInstances", name, _bind(calls.update_instances, name, g, new))
        for k, g in after.items()
        if k in before and before[k].overrides != g.overrides
    ]
    return steps


def _then_none(function: Callable[..., None], *args: Any) -> Callable[[], str | None]:
    """A call that starts no operation, as a step."""

    def run() -> str | None:
        function(*args)
        return None

    return run


def _bind(function: Callable[..., str | None], *args: Any) -> Callable[[], str | None]:
    return lambda: function(*args)


# -- the resource model ---------------------------------------------------------------------------------
class StackSetResource(PluginModel):
    """An ``AWS::CloudFormation::StackSet`` of a moto stack: its physical id (``Ref``, ``Fn::GetAtt
    StackSetId``) is the stack set's id, ``name:uuid``."""

    def __init__(self, account_id: str, region_name: str, stack_id: str, logical_id: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.stack_id = stack_id
        self.logical_resource_id = logical_id
        self.cf_resource_type = TYPE
        self.stack_set_id = ""
        #: The configuration the stack set has (None: it was never made).
        self.properties: StackSetProperties | None = None
        self.ready = False

    @property
    def physical_resource_id(self) -> str:
        return self.stack_set_id

    @staticmethod
    def cloudformation_type() -> str:
        return TYPE

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StackSetName"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "StackSetId"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name == "StackSetId":
            return self.stack_set_id
        raise UnformattedGetAttTemplateException()

    def is_created(self) -> bool:
        return self.ready

    def _work(self, action: str) -> ResourceWork:
        return ResourceWork(
            stack_id=self.stack_id,
            logical_id=self.logical_resource_id,
            resource_type=TYPE,
            action=action,
            physical_id=self.stack_set_id,
            resource=self,
        )

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> StackSetResource:
        from . import template_stacks

        resource = cls(account_id, region_name, str(kwargs.get("StackId", "")), str(kwargs.get("LogicalId", "")))
        work = resource._work("CREATE")
        calls = Calls(account_id, region_name)
        try:
            props = StackSetProperties.parse(resource.logical_resource_id, cloudformation_json.get("Properties") or {})
            work.call_as = props.call_as
            resource.stack_set_id = calls.create_stack_set(props)
        except PropertiesInvalid as invalid:
            work.failure = str(invalid)
        except CloudFormationStackSetError as error:
            work.failure = template_stacks.handler_reason(error)
        else:
            resource.properties = props
            work.physical_id = resource.stack_set_id
            work.steps = deque(create_steps(calls, props))

        def succeeded() -> None:
            resource.ready = True

        work.on_success = succeeded
        # made by an update that fails: its rollback removes it
        work.undo = resource.delete_work
        template_stacks.start(account_id, region_name, work)
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> StackSetResource:
        from . import template_stacks

        resource: StackSetResource = original_resource
        work = resource._work("UPDATE")
        calls = Calls(account_id, region_name)
        old = resource.properties
        try:
            new = StackSetProperties.parse(resource.logical_resource_id, cloudformation_json.get("Properties") or {})
        except PropertiesInvalid as invalid:
            work.failure = str(invalid)
            template_stacks.start(account_id, region_name, work)
            return resource
        work.call_as = new.call_as
        if old is None:
            # never made (its create failed and was rolled back): make it now
            _replace(resource, work, calls, None, new)
        elif old.replaced_by(new):
            if old.name == new.name:
                work.failure = (
                    "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
                    f"Rename {new.name} and update the stack again."
                )
            else:
                _replace(resource, work, calls, old, new)
        else:
            work.steps = deque(update_steps(calls, old, new))

            def applied() -> None:
                resource.properties = new

            def undo() -> ResourceWork | None:
                back = resource._work("UPDATE")
                back.call_as = old.call_as
                back.steps = deque(update_steps(calls, new, old))
                return back

            work.on_success = applied
            work.undo = undo
        template_stacks.start(account_id, region_name, work)
        return resource

    def delete(self, account_id: str, region_name: str) -> None:
        """Remove every group's instances, then the stack set (moto calls this when the parent deletes it)."""
        from . import template_stacks

        template_stacks.start(account_id, region_name, self.delete_work())

    def delete_work(self) -> ResourceWork:
        """The calls that remove the stack set (none if it was never made)."""
        work = self._work("DELETE")
        props = self.properties
        if props is not None:
            work.call_as = props.call_as
            work.steps = deque(delete_steps(Calls(self.account_id, self.region_name), props))

        def deleted() -> None:
            self.properties = None
            self.ready = False

        work.on_success = deleted
        return work

    @classmethod
    def delete_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        """moto's fallback when ``delete`` is missing: never used (the resource deletes itself)."""
        return None


def _replace(
    resource: StackSetResource,
    work: ResourceWork,
    calls: Calls,
    old: StackSetProperties | None,
    new: StackSetProperties,
) -> None:
    """A new stack set for ``new`` (its instances), then the old one removed."""

    def make() -> None:
        resource.stack_set_id = calls.create_stack_set(new)
        work.physical_id = resource.stack_set_id
        resource.properties = new

    steps = [Step("CreateStackSet", new.name, _then_none(make)), *create_steps(calls, new)]
    if old is not None:
        steps += delete_steps(calls, old)
    work.steps = deque(steps)
