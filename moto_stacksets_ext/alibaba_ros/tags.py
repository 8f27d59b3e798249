"""Tag and resource-group calls for stack groups and stacks: TagResources, UntagResources,
ListTagResources, ListTagKeys, ListTagValues, MoveResourceGroup; and ListSummaries.

``ResourceType`` ``stackgroup`` addresses stack groups by name (as ROS documents), ``stack`` stacks by id.
The mock keeps no templates or resource scenarios: ``template`` ids are ``TemplateNotFound``,
``templatescratch`` is ``NotSupported``. Every resource is checked before anything changes. A stack group's
tags and resource group change through the engine (``update_stack_set_properties``: its UpdateTime moves,
and a group with an operation running answers ``StackGroupOperationInProgress``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import namespaces
from ..engine.model import StackSet, StackSetStatus, Tag
from ..engine.stacksets import StackSetChanges
from .call import Call
from .context import CLOUD, RosStackGroupProperties, group_properties
from .errors import (
    invalid_parameter,
    mandatory_parameter_missing,
    not_supported,
    operation_in_progress,
    stack_not_found,
    template_not_found,
)
from .stack_model import RosStack, all_stores, store

RESOURCE_TYPES = ("stack", "stackgroup", "template", "templatescratch")
MAX_TAGS = 20
MAX_RESOURCES = 50
PAGE_SIZE = 50
_RESOURCE_GROUP = re.compile(r"^rg-[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Tagged:
    """A stack or a stack group, found for a tag call."""

    resource_id: str
    stack: RosStack | None = None
    group: StackSet | None = None

    @property
    def tags(self) -> list[Tag]:
        if self.stack is not None:
            return self.stack.tags
        assert self.group is not None
        return self.group.tags


def _resource_type(call: Call) -> str:
    kind = call.params.choice("ResourceType", RESOURCE_TYPES)
    if kind is None:
        raise mandatory_parameter_missing("ResourceType")
    if kind == "templatescratch":
        raise not_supported("Resource scenarios (ResourceType templatescratch) in this mock")
    return kind


def _find(call: Call, kind: str, resource_id: str) -> Tagged:
    if kind == "template":
        raise template_not_found(resource_id)
    if kind == "stack":
        found = store(call.account, call.region).stacks.get(resource_id)
        if found is None:
            raise stack_not_found(resource_id)
        return Tagged(resource_id, stack=found)
    return Tagged(resource_id, group=call.stack_group(resource_id))


def _every(call: Call, kind: str) -> Iterator[Tagged]:
    if kind == "stack":
        for found in store(call.account, call.region).ordered():
            yield Tagged(found.stack_id, stack=found)
    elif kind == "stackgroup":
        for group in call.namespace.all_stack_sets():
            if group.status is StackSetStatus.ACTIVE:
                yield Tagged(group.stack_set_name, group=group)


def _resource_ids(call: Call, *, required: bool) -> list[str] | None:
    ids = call.params.flat_list("ResourceId", max_items=MAX_RESOURCES)
    if ids is None and required:
        raise mandatory_parameter_missing("ResourceId")
    return list(dict.fromkeys(ids)) if ids is not None else None


def _check_tag_text(name: str, text: str) -> None:
    if len(text) > 128 or text.startswith(("aliyun", "acs:")) or "http://" in text or "https://" in text:
        raise invalid_parameter(
            name,
            "it is at most 128 characters, cannot start with aliyun or acs: and cannot contain http:// or https://",
        )


def _write(call: Call, targets: list[Tagged], tags_of: dict[str, list[Tag]]) -> None:
    """Give each target its new tags: every stack group is checked idle first, so nothing changes on refusal."""
    for target in targets:
        if target.group is not None and target.group.busy:
            raise operation_in_progress(target.resource_id)
    for target in targets:
        new = tags_of[target.resource_id]
        if target.stack is not None:
            target.stack.tags = new
        else:
            with call.engine(target.resource_id):
                call.namespace.update_stack_set_properties(target.resource_id, StackSetChanges(tags=new))


def tag_resources(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    kind = _resource_type(call)
    ids = _resource_ids(call, required=True)
    assert ids is not None
    records = call.params.flat_records("Tag", max_items=MAX_TAGS)
    if not records:
        raise mandatory_parameter_missing("Tag")
    given: dict[str, str] = {}
    for index, record in enumerate(records, start=1):
        key = record.get("Key")
        if not key:
            raise mandatory_parameter_missing(f"Tag.{index}.Key")
        value = record.get("Value") or ""
        _check_tag_text(f"Tag.{index}.Key", key)
        _check_tag_text(f"Tag.{index}.Value", value)
        given[key] = value
    targets = [_find(call, kind, resource_id) for resource_id in ids]
    tags_of: dict[str, list[Tag]] = {}
    for target in targets:
        merged = {t.key: t.value for t in target.tags} | given
        if len(merged) > MAX_TAGS:
            raise invalid_parameter("Tag", f"a resource can have at most {MAX_TAGS} tags")
        tags_of[target.resource_id] = [Tag(k, v) for k, v in merged.items()]
    _write(call, targets, tags_of)
    return {}


def untag_resources(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    kind = _resource_type(call)
    ids = _resource_ids(call, required=True)
    assert ids is not None
    keys = call.params.flat_list("TagKey", max_items=MAX_TAGS)
    remove_all = bool(call.params.boolean("All"))
    if keys is None and not remove_all:
        raise mandatory_parameter_missing("TagKey")
    targets = [_find(call, kind, resource_id) for resource_id in ids]
    tags_of = {t.resource_id: ([] if keys is None else [tag for tag in t.tags if tag.key not in keys]) for t in targets}
    _write(call, targets, tags_of)
    return {}


def _page(call: Call, items: list[dict[str, object]]) -> tuple[list[dict[str, object]], str | None]:
    token = call.params.string("NextToken")
    start = 0
    if token is not None:
        try:
            decoded = base64.urlsafe_b64decode(token.encode()).decode()
        except (ValueError, UnicodeDecodeError):
            raise invalid_parameter("NextToken", "it is not a token this call returned") from None
        if not decoded.startswith("ros-tags:") or not decoded[9:].isdigit():
            raise invalid_parameter("NextToken", "it is not a token this call returned")
        start = int(decoded[9:])
    end = start + PAGE_SIZE
    following = base64.urlsafe_b64encode(f"ros-tags:{end}".encode()).decode() if end < len(items) else None
    return items[start:end], following


def list_tag_resources(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    kind = _resource_type(call)
    ids = _resource_ids(call, required=False)
    wanted = [(r.get("Key") or "", r.get("Value")) for r in call.params.flat_records("Tag", max_items=MAX_TAGS) or []]
    if kind == "template":
        if ids:
            raise template_not_found(ids[0])
        targets: list[Tagged] = []
    else:
        targets = [_find(call, kind, i) for i in ids] if ids is not None else list(_every(call, kind))
    rows: list[dict[str, object]] = []
    for target in targets:
        have = {t.key: t.value for t in target.tags}
        if not all(key in have and (value is None or have[key] == value) for key, value in wanted):
            continue
        for tag in target.tags:
            rows.append(
                {"ResourceId": target.resource_id, "ResourceType": kind, "TagKey": tag.key, "TagValue": tag.value}
            )
    page, following = _page(call, rows)
    rendered: dict[str, object] = {"TagResources": page}
    if following is not None:
        rendered["NextToken"] = following
    return rendered


def list_tag_keys(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    kind = _resource_type(call)
    keys = list(dict.fromkeys(tag.key for target in _every(call, kind) for tag in target.tags))
    page, following = _page(call, [{"Key": key} for key in keys])
    rendered: dict[str, object] = {"Keys": [item["Key"] for item in page]}
    if following is not None:
        rendered["NextToken"] = following
    return rendered


def list_tag_values(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    kind = _resource_type(call)
    key = call.params.required("Key")
    values = list(dict.fromkeys(t.value for target in _every(call, kind) for t in target.tags if t.key == key))
    page, following = _page(call, [{"Value": value} for value in values])
    rendered: dict[str, object] = {"Values": [item["Value"] for item in page]}
    if following is not None:
        rendered["NextToken"] = following
    return rendered


def move_resource_group(call: Call) -> dict[str, object]:
    call.region  # noqa: B018 - RegionId is checked first
    new_group = call.params.required("NewResourceGroupId")
    if not _RESOURCE_GROUP.match(new_group):
        raise invalid_parameter("NewResourceGroupId", f"the resource group ({new_group}) is not a valid id")
    kind = _resource_type(call)
    resource_id = call.params.required("ResourceId")
    target = _find(call, kind, resource_id)
    if target.stack is not None:
        target.stack.resource_group_id = new_group
        return {}
    assert target.group is not None
    if target.group.busy:
        raise operation_in_progress(resource_id)
    properties = group_properties(target.group)
    changes = StackSetChanges(
        provider_properties=RosStackGroupProperties(**{**properties.__dict__, "resource_group_id": new_group})
    )
    with call.engine(resource_id):
        call.namespace.update_stack_set_properties(resource_id, changes)
    return {}


def list_summaries(call: Call) -> dict[str, object]:
    """The calling account's stacks and stack groups per region (``Option`` chooses parts of the answer in ROS;
    the mock answers every part whatever it says: documented)."""
    call.params.string("Option")
    regions: dict[str, dict[str, object]] = {}

    def region(name: str) -> dict[str, object]:
        return regions.setdefault(
            name, {"RegionId": name, "StackCount": 0, "StackGroupCount": 0, "TemplateScratchCount": 0, "_brief": {}}
        )

    for stacks in all_stores():
        if stacks.account != call.account or not stacks.stacks:
            continue
        summary = region(stacks.region)
        summary["StackCount"] = len(stacks.stacks)
        brief: dict[str, int] = summary["_brief"]  # type: ignore[assignment]
        for found in stacks.stacks.values():
            word = "IN_PROGRESS" if found.in_progress else "FAILED" if found.status.endswith("_FAILED") else "COMPLETE"
            brief[word] = brief.get(word, 0) + 1
    for ns in namespaces.all_namespaces(CLOUD):
        _, account, name = ns.identity
        if account != call.account:
            continue
        live = [s for s in ns.all_stack_sets() if s.status is StackSetStatus.ACTIVE]
        if live:
            region(name)["StackGroupCount"] = len(live)
    rendered = []
    for name in sorted(regions):
        summary = regions[name]
        brief = summary.pop("_brief")  # type: ignore[assignment]
        summary["StackDetails"] = [{"BriefStatus": k, "Count": v} for k, v in sorted(brief.items())]
        rendered.append(summary)
    return {"RegionSummaries": rendered, "CenterSummary": {"RegisteredResourceTypeCount": 0, "TemplateCount": 0}}
