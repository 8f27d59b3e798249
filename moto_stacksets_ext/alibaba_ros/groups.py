"""Stack-group calls: Create/Update/Delete/GetStackGroup, ListStackGroups."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.model import AutoDeployment, PermissionModel, StackSet, StackSetStatus, Tag
from ..engine.requests import ResolvedTargets, TargetResolver
from ..engine.stacksets import OperationRequest, StackSetChanges, StackSetSpec
from . import render, resource_directory, targets
from .call import Call
from .context import RosStackGroupProperties
from .errors import (
    RosError,
    invalid_parameter,
    missing_parameter,
    multiple_parameter,
    not_supported,
    template_not_found,
)
from .paging import PageRequest
from .templates import Template

ADMINISTRATION_ROLE = "AliyunROSStackGroupAdministrationRole"
EXECUTION_ROLE = "AliyunROSStackGroupExecutionRole"
MAX_TAGS = 20
_ROLE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_RESOURCE_GROUP = re.compile(r"^rg-[A-Za-z0-9]+$")
_PERMISSION_MODELS = ("SELF_MANAGED", "SERVICE_MANAGED")


@dataclass(frozen=True)
class TemplateSource:
    body: str | None = None
    url: str | None = None


def _template(call: Call, *, required: bool) -> TemplateSource | None:
    names = ["TemplateBody", "TemplateURL", "TemplateId"] + (["StackArn"] if call.action == "CreateStackGroup" else [])
    given = [name for name in names if call.params.string(name) is not None]
    if len(given) > 1:
        raise multiple_parameter(given)
    if not given:
        if required:
            raise RosError(
                "MissingParameter", 400, f"One of the input parameters {', '.join(names)} should be specified."
            )
        return None
    if given[0] == "TemplateId":
        raise template_not_found(call.params.required("TemplateId"))
    if given[0] == "StackArn":
        raise not_supported("Creating a stack group from an existing stack (StackArn)")
    if given[0] == "TemplateURL":
        return TemplateSource(url=call.params.required("TemplateURL", max_length=1024))
    body = call.params.required("TemplateBody")
    Template.parse(body)
    return TemplateSource(body=body)


def _role(call: Call, name: str, default: str) -> str:
    value = call.params.string(name) or default
    if not _ROLE.match(value):
        raise invalid_parameter(name, "it should be 1 to 64 letters, digits or hyphens (-)")
    return value


def _auto_deployment(call: Call, model: PermissionModel, *, required: bool) -> AutoDeployment | None:
    raw = call.params.json_object("AutoDeployment")
    if raw is None:
        if required and model is PermissionModel.SERVICE_MANAGED:
            raise missing_parameter("AutoDeployment")
        return None
    if model is PermissionModel.SELF_MANAGED:
        raise invalid_parameter("AutoDeployment", "it can only be used with a SERVICE_MANAGED stack group")
    unknown = [key for key in raw if key not in ("Enabled", "RetainStacksOnAccountRemoval")]
    if unknown:
        raise invalid_parameter("AutoDeployment", f"the key {unknown[0]} is not supported")
    for key in ("Enabled", "RetainStacksOnAccountRemoval"):
        if key in raw and not isinstance(raw[key], bool):
            raise invalid_parameter("AutoDeployment", f"{key} should be a boolean")
    enabled = raw.get("Enabled")
    if enabled is None:
        raise missing_parameter("AutoDeployment.Enabled")
    retain = raw.get("RetainStacksOnAccountRemoval")
    if enabled and retain is None:
        raise missing_parameter("AutoDeployment.RetainStacksOnAccountRemoval")
    return AutoDeployment(enabled=bool(enabled), retain_stacks_on_account_removal=retain)  # type: ignore[arg-type]


def _resource_group(call: Call) -> str | None:
    group = call.params.string("ResourceGroupId")
    if group is not None and not _RESOURCE_GROUP.match(group):
        raise invalid_parameter("ResourceGroupId", f"the resource group ({group}) is not a valid id")
    return group


def _tags(call: Call) -> list[Tag]:
    records = call.params.flat_records("Tags", max_items=MAX_TAGS) or []
    tags: list[Tag] = []
    for index, record in enumerate(records, start=1):
        key = record.get("Key")
        if not key:
            raise missing_parameter(f"Tags.{index}.Key")
        if key.startswith(("acs:", "aliyun")) or len(key) > 128:
            raise invalid_parameter(
                f"Tags.{index}.Key", "it cannot start with acs: or aliyun and is at most 128 characters"
            )
        tags.append(Tag(key, record.get("Value") or ""))
    return tags


def _require_service_access(call: Call) -> None:
    if not resource_directory.for_account(call.account).service_access_enabled:
        raise invalid_parameter(
            "PermissionModel", "trusted access for ROS is not enabled in the resource directory (EnableServiceAccess)"
        )


def create_stack_group(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name(validate=True)
    model = PermissionModel(call.params.choice("PermissionModel", _PERMISSION_MODELS, default="SELF_MANAGED"))
    source = _template(call, required=True)
    assert source is not None
    parameters = call.parameters("Parameters") or []
    if source.body is not None:
        Template.parse(source.body).check_parameters(parameters)
    description = call.description("Description")
    call.client_token()
    capabilities = call.params.flat_list("Capabilities", max_items=1) or []
    tags = _tags(call)
    group = _resource_group(call)
    auto = _auto_deployment(call, model, required=True)
    managed_by_self = model is PermissionModel.SELF_MANAGED
    administration = _role(call, "AdministrationRoleName", ADMINISTRATION_ROLE) if managed_by_self else None
    execution = _role(call, "ExecutionRoleName", EXECUTION_ROLE) if managed_by_self else None
    if not managed_by_self:
        _require_service_access(call)
    spec = StackSetSpec(
        stack_set_name=name,
        permission_model=model,
        description=description,
        template_body=source.body,
        template_url=source.url,
        parameters=parameters,
        capabilities=capabilities,
        tags=tags,
        administration_role_arn=administration,
        execution_role_name=execution,
        auto_deployment=auto,
        provider_properties=RosStackGroupProperties(resource_group_id=group),
    )
    with call.engine(name):
        stack_set = call.namespace.create_stack_set(spec)
    return {"StackGroupId": stack_set.stack_set_id}


def _update_targets(call: Call) -> TargetResolver | None:
    """The targets an update deploys to (None: every instance of the group), resolved for the group found."""
    region_ids = targets.regions(call, required=False)
    wants_targets = call.params.has("AccountIds") or call.params.has("DeploymentTargets")
    if region_ids is None and not wants_targets:
        return None

    def resolve(stack_set: StackSet) -> ResolvedTargets:
        if region_ids is None:
            raise missing_parameter("RegionIds")
        resolved = targets.resolve(call, stack_set, region_ids, max_accounts=50)
        return resolved.existing_through_folders(stack_set).for_engine()

    return resolve


def _role_changes(
    call: Call, new_model: PermissionModel | None, administration: str | None, execution: str | None
) -> tuple[str | None, str | None]:
    """The role names an update writes (None: keep). A group switched to SERVICE_MANAGED has no roles: as
    ``None`` means "keep" to the engine, an empty name records "none" (rendering leaves empty names out)."""
    if new_model is PermissionModel.SERVICE_MANAGED:
        return "", ""
    switched = new_model is PermissionModel.SELF_MANAGED
    return (
        administration if switched or call.params.has("AdministrationRoleName") else None,
        execution if switched or call.params.has("ExecutionRoleName") else None,
    )


def update_stack_group(call: Call) -> dict[str, object]:
    """The parameters are read first; the rules that depend on the group (its permission model, template,
    instances) run within the one engine call that finds it, before anything changes."""
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    requested = call.params.choice("PermissionModel", _PERMISSION_MODELS)
    source = _template(call, required=False)
    parameters = call.parameters("Parameters")
    description = call.description("Description")
    request = OperationRequest(
        preferences=call.preferences(),
        provider_action=call.action,
        description=call.description("OperationDescription"),
        idempotency_key=call.client_token(),
    )
    capabilities = call.params.flat_list("Capabilities", max_items=1)
    call.params.flat_list("DeploymentOptions", max_items=1)
    resolver = _update_targets(call)

    def changes(stack_set: StackSet) -> StackSetChanges:
        model = stack_set.permission_model if requested is None else PermissionModel(requested)
        new_model = model if model is not stack_set.permission_model else None
        if new_model is not None:
            if stack_set.has_instances:
                raise invalid_parameter(
                    "PermissionModel", "the permission model of a stack group with stack instances cannot be changed"
                )
            if new_model is PermissionModel.SERVICE_MANAGED:
                _require_service_access(call)
        body = source.body if source is not None else stack_set.template_body
        if body is not None and (source is not None or parameters is not None):
            template = Template.parse(body)
            template.check_parameters(parameters if parameters is not None else stack_set.parameters)
        self_managed = model is PermissionModel.SELF_MANAGED
        administration = _role(call, "AdministrationRoleName", ADMINISTRATION_ROLE) if self_managed else None
        execution = _role(call, "ExecutionRoleName", EXECUTION_ROLE) if self_managed else None
        auto = _auto_deployment(
            call, model, required=new_model is PermissionModel.SERVICE_MANAGED and stack_set.auto_deployment is None
        )
        administration_change, execution_change = _role_changes(call, new_model, administration, execution)
        return StackSetChanges(
            description=description,
            template_body=source.body if source is not None else None,
            template_url=source.url if source is not None else None,
            parameters=parameters,
            capabilities=capabilities,
            administration_role_arn=administration_change,
            execution_role_name=execution_change,
            auto_deployment=auto,
            permission_model=new_model,
        )

    with call.engine(name):
        operation = call.namespace.update_stack_set(name, changes, resolver, request)
    return {"OperationId": operation.operation_id}


def delete_stack_group(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.stack_group_name()
    with call.engine(name):
        call.namespace.delete_stack_set(name, missing_ok=False)
    return {}


def get_stack_group(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.params.string("StackGroupName")
    group_id = call.params.string("StackGroupId")
    if name is not None and group_id is not None:
        raise multiple_parameter(["StackGroupName", "StackGroupId"])
    if name is None and group_id is None:
        raise RosError(
            "MissingParameter", 400, "One of the input parameters StackGroupName, StackGroupId should be specified."
        )
    if name is not None:
        stack_set = call.stack_group(name)
    else:
        assert group_id is not None
        with call.engine(group_id):
            stack_set = call.namespace.get_stack_set(group_id, include_deleted=True)
    return {"StackGroup": render.stack_group(stack_set)}


def list_stack_groups(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    request = PageRequest.from_params(call.params)
    status = call.params.choice("Status", ("ACTIVE", "DELETED"))
    group = call.params.string("ResourceGroupId")
    wanted = [(r.get("Key") or "", r.get("Value")) for r in call.params.flat_records("Tags", max_items=MAX_TAGS) or []]
    predicate: Callable[[StackSet], bool] | None = None
    if status is not None or group is not None or wanted:

        def predicate(stack_set: StackSet) -> bool:
            if status is not None and stack_set.status is not StackSetStatus(status):
                return False
            if group is not None and render.resource_group(stack_set) != group:
                return False
            have = {t.key: t.value for t in stack_set.tags}
            return all(key in have and (value is None or have[key] == value) for key, value in wanted)

    found = call.namespace.page_stack_sets("ros-stack-groups", request.query(predicate=predicate))
    return request.envelope("StackGroups", found, [render.stack_group_summary(s) for s in found.items])


#: The ``Tags`` and ``ResourceGroupId`` checks, shared with the stack calls (``stacks``).
parse_tags = _tags
parse_resource_group = _resource_group
