"""Tags, resource groups and summaries of stack groups and stacks; GetTemplate / GetTemplateSummary of a
stack group."""

from __future__ import annotations

import json
from typing import Any

from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control

from .ros_support import REGION, TEMPLATE, assert_error, create_group, raises
from .stack_support import INSTANCE_TEMPLATE, Clients, create_stack, get_stack


def _tag(c: Any, kind: str, ids: list[str], **tags: str) -> Any:
    return c.tag_resources(
        ros.TagResourcesRequest(
            region_id=REGION,
            resource_type=kind,
            resource_id=ids,
            tag=[ros.TagResourcesRequestTag(key=k, value=v) for k, v in tags.items()],
        )
    )


def _tag_rows(c: Any, kind: str, **extra: Any) -> list[tuple[str, str, str]]:
    found = c.list_tag_resources(ros.ListTagResourcesRequest(region_id=REGION, resource_type=kind, **extra)).body
    return [(t.resource_id, t.tag_key, t.tag_value) for t in found.tag_resources]


def test_tags_of_stack_groups(clients: Clients) -> None:
    c = clients()
    create_group(c, "A")
    create_group(c, "B")
    _tag(c, "stackgroup", ["A", "B"], env="prod", team="x")
    _tag(c, "stackgroup", ["B"], env="dev")
    assert _tag_rows(c, "stackgroup") == [
        ("A", "env", "prod"),
        ("A", "team", "x"),
        ("B", "env", "dev"),
        ("B", "team", "x"),
    ]
    assert _tag_rows(c, "stackgroup", resource_id=["B"]) == [("B", "env", "dev"), ("B", "team", "x")]
    assert _tag_rows(c, "stackgroup", tag=[ros.ListTagResourcesRequestTag(key="env", value="prod")]) == [
        ("A", "env", "prod"),
        ("A", "team", "x"),
    ]
    keys = c.list_tag_keys(ros.ListTagKeysRequest(region_id=REGION, resource_type="stackgroup")).body.keys
    assert keys == ["env", "team"]
    values = c.list_tag_values(ros.ListTagValuesRequest(region_id=REGION, resource_type="stackgroup", key="env")).body
    assert values.values == ["prod", "dev"]
    # ListStackGroups sees the tags too.
    listed = c.list_stack_groups(
        ros.ListStackGroupsRequest(region_id=REGION, tags=[ros.ListStackGroupsRequestTags(key="env", value="dev")])
    ).body.stack_groups
    assert [g.stack_group_name for g in listed] == ["B"]
    c.untag_resources(
        ros.UntagResourcesRequest(region_id=REGION, resource_type="stackgroup", resource_id=["A"], tag_key=["team"])
    )
    c.untag_resources(
        ros.UntagResourcesRequest(region_id=REGION, resource_type="stackgroup", resource_id=["B"], all=True)
    )
    assert _tag_rows(c, "stackgroup") == [("A", "env", "prod")]


def test_a_refused_tag_call_changes_nothing(clients: Clients) -> None:
    c = clients()
    create_group(c, "A")
    assert_error(
        raises(lambda: _tag(c, "stackgroup", ["A", "Missing"], env="prod")),
        "StackGroupNotFound",
        404,
        "The StackGroup (Missing) could not be found.",
    )
    assert raises(lambda: _tag(c, "stackgroup", ["A"], **{"acs:x": "y"})).code == "InvalidParameter"
    assert raises(lambda: _tag(c, "templatescratch", ["ts-1"], env="prod")).code == "NotSupported"
    assert raises(lambda: _tag(c, "template", ["t-1"], env="prod")).code == "TemplateNotFound"
    assert (
        raises(
            lambda: c.tag_resources(
                ros.TagResourcesRequest(region_id=REGION, resource_type="stackgroup", resource_id=["A"])
            )
        ).code
        == "MissingParameter"
    )
    assert _tag_rows(c, "stackgroup") == []


def test_tags_and_resource_group_of_stacks(clients: Clients) -> None:
    c = clients()
    stack_id = create_stack(c, INSTANCE_TEMPLATE)
    _tag(c, "stack", [stack_id], env="prod")
    assert _tag_rows(c, "stack") == [(stack_id, "env", "prod")]
    assert get_stack(c, stack_id).tags[0].to_map() == {"Key": "env", "Value": "prod"}
    listed = c.list_stacks(
        ros.ListStacksRequest(region_id=REGION, tag=[ros.ListStacksRequestTag(key="env", value="prod")])
    )
    assert listed.body.total_count == 1
    c.move_resource_group(
        ros.MoveResourceGroupRequest(
            region_id=REGION, resource_type="stack", resource_id=stack_id, new_resource_group_id="rg-new"
        )
    )
    assert get_stack(c, stack_id).resource_group_id == "rg-new"
    assert_error(
        raises(lambda: _tag(c, "stack", ["nope"], env="prod")),
        "StackNotFound",
        404,
        "The Stack (nope) could not be found.",
    )


def test_move_a_stack_group_to_another_resource_group(clients: Clients) -> None:
    c = clients()
    create_group(c, "A", resource_group_id="rg-old")
    c.move_resource_group(
        ros.MoveResourceGroupRequest(
            region_id=REGION, resource_type="stackgroup", resource_id="A", new_resource_group_id="rg-new"
        )
    )
    group = c.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="A")).body.stack_group
    assert group.resource_group_id == "rg-new"
    filtered = c.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, resource_group_id="rg-new")).body
    assert filtered.total_count == 1
    assert (
        raises(
            lambda: c.move_resource_group(
                ros.MoveResourceGroupRequest(
                    region_id=REGION, resource_type="stackgroup", resource_id="A", new_resource_group_id="bad"
                )
            )
        ).code
        == "InvalidParameter"
    )
    assert (
        raises(
            lambda: c.move_resource_group(
                ros.MoveResourceGroupRequest(
                    region_id=REGION, resource_type="stackgroup", resource_id="B", new_resource_group_id="rg-x"
                )
            )
        ).code
        == "StackGroupNotFound"
    )


def test_a_busy_stack_group_is_not_retagged(clients: Clients) -> None:
    c = clients()
    create_group(c, "A")
    control.set_progression("manual", times=1000, cloud="alibaba")
    c.update_stack_group(ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="A", description="d"))
    c.create_stack_instances(
        ros.CreateStackInstancesRequest(
            region_id=REGION, stack_group_name="A", account_ids=["1111111111111111"], region_ids=[REGION]
        )
    )
    assert raises(lambda: _tag(c, "stackgroup", ["A"], env="prod")).code == "StackGroupOperationInProgress"
    assert _tag_rows(c, "stackgroup") == []


def test_list_summaries_counts_stacks_and_groups_per_region(clients: Clients) -> None:
    c = clients()
    create_group(c, "A")
    create_stack(c, INSTANCE_TEMPLATE)
    summary = c.list_summaries(ros.ListSummariesRequest()).body
    region = next(r for r in summary.region_summaries if r.region_id == REGION)
    assert (region.stack_count, region.stack_group_count) == (1, 1)
    assert [(d.brief_status, d.count) for d in region.stack_details] == [("COMPLETE", 1)]


def test_template_and_summary_of_a_stack_group(clients: Clients) -> None:
    c = clients()
    create_group(c, "A", template_body=TEMPLATE)
    got = c.get_template(ros.GetTemplateRequest(region_id=REGION, stack_group_name="A")).body
    assert (got.template_body, got.stack_group_name) == (TEMPLATE, "A")
    summary = c.get_template_summary(ros.GetTemplateSummaryRequest(region_id=REGION, stack_group_name="A")).body
    assert [p["ParameterKey"] for p in summary.parameters] == ["Env", "Size"]
    assert (summary.version, summary.resource_types) == ("2015-09-01", [])
    body_summary = c.get_template_summary(
        ros.GetTemplateSummaryRequest(region_id=REGION, template_body=INSTANCE_TEMPLATE)
    ).body
    assert body_summary.resource_types == ["ALIYUN::ECS::VPC", "ALIYUN::ECS::VSwitch"]
    assert body_summary.description == "network"
    assert_error(
        raises(lambda: c.get_template(ros.GetTemplateRequest(region_id=REGION, stack_group_name="Missing"))),
        "StackGroupNotFound",
        404,
        "The StackGroup (Missing) could not be found.",
    )
    assert (
        raises(
            lambda: c.get_template(ros.GetTemplateRequest(region_id=REGION, stack_group_name="A", stack_id="s"))
        ).code
        == "MultipleParameter"
    )
    assert raises(lambda: c.get_template(ros.GetTemplateRequest(region_id=REGION))).code == "MissingParameter"
    assert json.loads(got.template_body)["ROSTemplateFormatVersion"] == "2015-09-01"
