"""Stack calls: CreateStack, UpdateStack, DeleteStack, GetStack, ListStacks, ListStackResources,
GetStackResource, ListStackEvents.

Stacks live per (calling account, ``RegionId``): a member account reads the stacks of its stack-group
instances with its own AccessKey in the instance's region. Every call first advances the stack it reads
by its pace (``stack_runner.catch_up``; a read counts for manual progression).
"""

from __future__ import annotations

import fnmatch
import re

from ..engine.clock import clock
from ..engine.lifecycle import Pace
from ..engine.model import Parameter
from . import stack_render
from .call import Call
from .context import progression
from .errors import (
    RosError,
    action_in_progress,
    multiple_parameter,
    not_supported,
    resource_not_found,
    stack_exists,
    stack_not_found,
    template_not_found,
)
from .groups import parse_resource_group, parse_tags
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .stack_model import RosStack, StackStore, new_stack_id, store
from .stack_runner import catch_up, start_create, start_delete, start_update
from .template_resources import StackTemplate

_STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")
#: Parameters the mock refuses rather than ignore (it does not model stack policies, dry runs, scratches).
_UNSERVED = {
    "StackPolicyBody": "Stack policies (StackPolicyBody)",
    "StackPolicyURL": "Stack policies (StackPolicyURL)",
    "StackPolicyDuringUpdateBody": "Stack policies (StackPolicyDuringUpdateBody)",
    "StackPolicyDuringUpdateURL": "Stack policies (StackPolicyDuringUpdateURL)",
    "TemplateScratchId": "Creating a stack from a resource scenario (TemplateScratchId)",
    "TemplateScratchRegionId": "Creating a stack from a resource scenario (TemplateScratchRegionId)",
    "CreateOption": "CreateOption",
    "ReplacementOption": "ReplacementOption",
}


def _stores(call: Call) -> StackStore:
    return store(call.account, call.region)


def _refuse_unserved(call: Call) -> None:
    for name, feature in _UNSERVED.items():
        if call.params.string(name) is not None:
            raise not_supported(f"{feature} in this mock")
    for name in ("CreateOptions", "TaintResources", "DeleteOptions"):
        if call.params.flat_list(name, max_items=100):
            raise not_supported(f"{name} in this mock")
    if call.params.boolean("DryRun"):
        raise not_supported("DryRun in this mock")


def _template(call: Call, *, required: bool) -> StackTemplate | None:
    names = ["TemplateBody", "TemplateURL", "TemplateId"]
    given = [name for name in names if call.params.string(name) is not None]
    if len(given) > 1:
        raise multiple_parameter(given)
    if not given:
        if required:
            raise RosError(
                "MissingParameter",
                400,
                "One of the input parameters TemplateBody, TemplateURL, TemplateId should be specified.",
            )
        return None
    if given[0] == "TemplateId":
        raise template_not_found(call.params.required("TemplateId"))
    if given[0] == "TemplateURL":
        raise not_supported("TemplateURL for stacks (the mock fetches no templates; send TemplateBody)")
    return StackTemplate.parse(call.params.required("TemplateBody"))


def find_stack(call: Call, *, read: bool) -> tuple[StackStore, RosStack]:
    stack_id = call.params.required("StackId")
    stacks = _stores(call)
    found = stacks.stacks.get(stack_id)
    if found is None:
        raise stack_not_found(stack_id)
    catch_up(found, stacks, read=read)
    if stack_id not in stacks.stacks:  # its deletion completed just now
        raise stack_not_found(stack_id)
    return stacks, found


def _pace(call: Call) -> Pace:
    with call.engine():
        return Pace(progression(), since=clock.now())


def _common_options(call: Call) -> tuple[bool | None, int | None]:
    disable_rollback = call.params.boolean("DisableRollback")
    timeout = call.params.integer("TimeoutInMinutes", minimum=10, maximum=1440)
    call.params.integer("Parallelism", minimum=0, maximum=1000)  # how many resources run at once: speed only
    return disable_rollback, timeout


def create_stack(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    name = call.params.required("StackName")
    if not _STACK_NAME.match(name):
        raise RosError(
            "InvalidParameter",
            400,
            "The specified parameter StackName is invalid, it should be at most 255 characters, start with a letter "
            "or digit and contain only letters, digits, hyphens (-) and underscores (_).",
        )
    _refuse_unserved(call)
    template = _template(call, required=True)
    assert template is not None
    parameters = call.parameters("Parameters") or []
    template.parameters.check_parameters(parameters)
    disable_rollback, timeout = _common_options(call)
    protection = call.params.choice("DeletionProtection", ("Enabled", "Disabled"), default="Disabled")
    tags = parse_tags(call)
    group = parse_resource_group(call)
    role = call.params.string("RamRoleName", max_length=64)
    urls = call.params.flat_list("NotificationURLs", max_items=5) or []
    token = call.client_token()
    pace = _pace(call)
    stacks = _stores(call)
    if token is not None and token in stacks.client_tokens:
        return {"StackId": stacks.client_tokens[token]}
    if any(s.stack_name == name for s in stacks.stacks.values()):
        raise stack_exists(name)
    now = clock.now()
    stack = RosStack(
        seq=stacks.next_seq(),
        stack_id=new_stack_id(),
        stack_name=name,
        account=call.account,
        region=call.region,
        template=template,
        parameters=parameters,
        status="CREATE_IN_PROGRESS",
        created_at=now,
        disable_rollback=bool(disable_rollback),
        timeout_in_minutes=timeout or 60,
        deletion_protection=protection or "Disabled",
        tags=tags,
        resource_group_id=group,
        ram_role_name=role,
        notification_urls=urls,
    )
    stacks.stacks[stack.stack_id] = stack
    if token is not None:
        stacks.client_tokens[token] = stack.stack_id
    start_create(stack, stacks)
    stack.pace = pace
    catch_up(stack, stacks, read=False)
    return {"StackId": stack.stack_id}


def _previous_parameters(stack: RosStack, given: list[Parameter] | None, use_previous: bool) -> list[Parameter]:
    if given is None:
        return list(stack.parameters)
    if not use_previous:
        return given
    named = {p.parameter_key for p in given}
    return [*given, *(p for p in stack.parameters if p.parameter_key not in named)]


def update_stack(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    _refuse_unserved(call)
    template = _template(call, required=False)
    given = call.parameters("Parameters")
    use_previous = bool(call.params.boolean("UsePreviousParameters"))
    disable_rollback, timeout = _common_options(call)
    tags = parse_tags(call) if call.params.flat_records("Tags", max_items=20) is not None else None
    group = parse_resource_group(call)
    role = call.params.string("RamRoleName", max_length=64)
    call.client_token()
    pace = _pace(call)
    stacks, stack = find_stack(call, read=False)
    if stack.in_progress:
        raise action_in_progress(stack.stack_name, stack.status.rsplit("_IN_PROGRESS", 1)[0])
    new_template = template or stack.template
    parameters = _previous_parameters(stack, given, use_previous)
    new_template.parameters.check_parameters(parameters)
    same = (
        new_template.body == stack.template.body
        and new_template.parameter_values(parameters) == stack.template.parameter_values(stack.parameters)
        and (tags is None or tags == stack.tags)
    )
    if same:
        raise not_supported(f"Update the completely same stack ({stack.stack_name})")
    if disable_rollback is not None:
        stack.disable_rollback = disable_rollback
    if timeout is not None:
        stack.timeout_in_minutes = timeout
    if tags is not None:
        stack.tags = tags
    if group is not None:
        stack.resource_group_id = group
    if role is not None:
        stack.ram_role_name = role
    start_update(stack, stacks, new_template, parameters)
    stack.pace = pace
    catch_up(stack, stacks, read=False)
    return {"StackId": stack.stack_id}


def delete_stack(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    _refuse_unserved(call)
    retain_all = bool(call.params.boolean("RetainAllResources"))
    retain = call.params.flat_list("RetainResources", max_items=200) or []
    call.params.string("RamRoleName", max_length=64)
    pace = _pace(call)
    stacks, stack = find_stack(call, read=False)
    if stack.in_progress:
        raise action_in_progress(stack.stack_name, stack.status.rsplit("_IN_PROGRESS", 1)[0])
    if stack.deletion_protection == "Enabled":
        raise RosError(
            "InvalidOperation.DeletionProtection",
            400,
            f"Fail to delete stack {stack.stack_id}, deletion protection is enabled.",
        )
    start_delete(stack, stacks, None if retain_all else frozenset(retain))
    stack.pace = pace
    catch_up(stack, stacks, read=False)
    return {}


def get_stack(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    with_outputs = call.params.choice("OutputOption", ("Enabled", "Disabled"), default="Enabled") == "Enabled"
    progress = call.params.choice(
        "ShowResourceProgress", ("Disabled", "PercentageOnly", "EnabledIfCreateStack"), default="Disabled"
    )
    call.params.choice("LogOption", ("None", "Stack", "Resource", "All"))  # ROS stacks of the mock log nothing
    call.client_token()
    _, stack = find_stack(call, read=True)
    return stack_render.stack(stack, with_outputs=with_outputs, progress=progress != "Disabled")


def list_stacks(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    number = call.params.integer("PageNumber", minimum=1, default=1) or 1
    size = call.params.integer("PageSize", minimum=1, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE) or 10
    stack_id = call.params.string("StackId")
    stack_ids = call.params.flat_list("StackIds", max_items=50)
    names = call.params.flat_list("StackName", max_items=5)
    statuses = call.params.flat_list("Status", max_items=50)
    wanted_tags = [(r.get("Key") or "", r.get("Value")) for r in call.params.flat_records("Tag", max_items=20) or []]
    group = call.params.string("ResourceGroupId")
    parent = call.params.string("ParentStackId")
    call.params.boolean("ShowNestedStack")  # the mock has no nested stacks
    stacks = _stores(call)
    for found in stacks.ordered():
        catch_up(found, stacks, read=True)

    def matches(found: RosStack) -> bool:
        if parent is not None:
            return False  # no nested stacks
        if stack_id is not None and found.stack_id != stack_id:
            return False
        if stack_ids is not None and found.stack_id not in stack_ids:
            return False
        if names is not None and not any(fnmatch.fnmatchcase(found.stack_name, n) for n in names):
            return False
        if statuses is not None and found.status not in statuses:
            return False
        if group is not None and found.resource_group_id != group:
            return False
        have = {t.key: t.value for t in found.tags}
        return all(key in have and (value is None or have[key] == value) for key, value in wanted_tags)

    selected = [s for s in stacks.ordered() if matches(s)]
    page = selected[(number - 1) * size : number * size]
    return {
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": len(selected),
        "Stacks": [stack_render.stack_summary(s) for s in page],
    }


def list_stack_resources(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    _, stack = find_stack(call, read=True)
    return {"Resources": [stack_render.resource(stack, r) for r in stack.resources.values()]}


def get_stack_resource(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    logical_id = call.params.required("LogicalResourceId")
    show = call.params.boolean("ShowResourceAttributes")
    call.client_token()
    _, stack = find_stack(call, read=True)
    item = stack.resources.get(logical_id)
    if item is None:
        raise resource_not_found(logical_id, stack.stack_name)
    rendered = stack_render.resource(stack, item, detailed=True)
    if show:
        rendered["ResourceAttributes"] = stack_render.resource_attributes(item)
    return rendered


def list_stack_events(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    number = call.params.integer("PageNumber", minimum=1, default=1) or 1
    size = call.params.integer("PageSize", minimum=1, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE) or 10
    logical = call.params.flat_list("LogicalResourceId", max_items=20)
    types = call.params.flat_list("ResourceType", max_items=20)
    statuses = call.params.flat_list("Status", max_items=20)
    _, stack = find_stack(call, read=True)
    selected = [
        e
        for e in reversed(stack.events)
        if (logical is None or e.logical_id in logical)
        and (types is None or e.resource_type in types)
        and (statuses is None or e.status in statuses)
    ]
    page = selected[(number - 1) * size : number * size]
    return {
        "PageNumber": number,
        "PageSize": size,
        "TotalCount": len(selected),
        "Events": [stack_render.event(e) for e in page],
    }
