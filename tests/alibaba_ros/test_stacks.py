"""Plain ROS stacks (CreateStack/UpdateStack/DeleteStack) and the ALIYUN::ROS::StackGroup and
ALIYUN::ROS::StackInstances resources, which manage stack groups through the stack-group calls."""

from __future__ import annotations

import json

from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control

from .ros_support import A1, A2, A3, REGION, assert_error, raises
from .stack_support import (
    INSTANCE_TEMPLATE,
    SHANGHAI,
    Clients,
    create_stack,
    events,
    get_stack,
    group_template,
    instance,
    outputs,
    stack_count,
)


def _groups(c: object) -> list[str]:
    found = c.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, status="ACTIVE")).body  # type: ignore[attr-defined]
    return [g.stack_group_name for g in found.stack_groups]


def test_create_update_delete_a_plain_stack(clients: Clients) -> None:
    c = clients()
    stack_id = create_stack(
        c,
        INSTANCE_TEMPLATE,
        parameters=[ros.CreateStackRequestParameters(parameter_key="Env", parameter_value="test")],
        tags=[ros.CreateStackRequestTags(key="team", value="a")],
        deletion_protection="Disabled",
    )
    stack = get_stack(c, stack_id)
    assert (stack.status, outputs(stack)["Env"], stack.tags[0].key) == ("CREATE_COMPLETE", "test", "team")
    vpc_id = outputs(stack)["VpcId"]
    c.update_stack(
        ros.UpdateStackRequest(
            region_id=REGION,
            stack_id=stack_id,
            parameters=[ros.UpdateStackRequestParameters(parameter_key="Env", parameter_value="prod")],
        )
    )
    updated = get_stack(c, stack_id)
    # The resources keep their physical ids across an update.
    assert (updated.status, outputs(updated)) == (
        "UPDATE_COMPLETE",
        {"VpcId": vpc_id, "Env": "prod", "Fixed": "literal"},
    )
    assert events(c, stack_id)[-3:] == [
        ("Vpc", "UPDATE_IN_PROGRESS"),
        ("Vpc", "UPDATE_COMPLETE"),
        ("MyStack", "UPDATE_COMPLETE"),
    ]
    assert_error(
        raises(
            lambda: c.update_stack(
                ros.UpdateStackRequest(
                    region_id=REGION, stack_id=stack_id, template_body=INSTANCE_TEMPLATE, use_previous_parameters=True
                )
            )
        ),
        "NotSupported",
        400,
        "Update the completely same stack (MyStack) is not supported.",
    )
    c.delete_stack(ros.DeleteStackRequest(region_id=REGION, stack_id=stack_id))
    assert stack_count(c) == 0
    assert_error(
        raises(lambda: get_stack(c, stack_id)), "StackNotFound", 404, f"The Stack ({stack_id}) could not be found."
    )


def test_refused_calls_change_nothing(clients: Clients) -> None:
    c = clients()
    create_stack(c, INSTANCE_TEMPLATE)
    assert_error(
        raises(lambda: create_stack(c, INSTANCE_TEMPLATE)), "StackExists", 409, "The Stack (MyStack) already exists."
    )
    bad_ref = json.dumps(
        {
            "ROSTemplateFormatVersion": "2015-09-01",
            "Resources": {"A": {"Type": "ALIYUN::ECS::VPC", "Properties": {"X": {"Ref": "Nope"}}}},
        }
    )
    assert_error(
        raises(lambda: create_stack(c, bad_ref, name="Other")),
        "InvalidTemplateReference",
        400,
        'The specified reference "Nope" (in A) is incorrect.',
    )
    assert_error(
        raises(
            lambda: create_stack(
                c, INSTANCE_TEMPLATE, name="Other", parameters=[ros.CreateStackRequestParameters("Zone", "z")]
            )
        ),
        "UnknownUserParameter",
        400,
        "The Parameter (Zone) was not defined in template.",
    )
    assert (
        raises(lambda: c.create_stack(ros.CreateStackRequest(region_id=REGION, stack_name="Other"))).code
        == "MissingParameter"
    )
    assert (
        raises(lambda: create_stack(c, INSTANCE_TEMPLATE, name="Other", stack_policy_body="{}")).code == "NotSupported"
    )
    assert (
        raises(
            lambda: c.create_stack(
                ros.CreateStackRequest(region_id=REGION, stack_name="Other", template_url="oss://bucket/t.json")
            )
        ).code
        == "NotSupported"
    )
    assert stack_count(c) == 1
    protected = create_stack(c, INSTANCE_TEMPLATE, name="Protected", deletion_protection="Enabled")
    assert (
        raises(lambda: c.delete_stack(ros.DeleteStackRequest(region_id=REGION, stack_id=protected))).status_code == 400
    )
    assert get_stack(c, protected).status == "CREATE_COMPLETE"
    assert_error(
        raises(lambda: c.delete_stack(ros.DeleteStackRequest(region_id=REGION, stack_id="nope"))),
        "StackNotFound",
        404,
        "The Stack (nope) could not be found.",
    )


def test_client_token_returns_the_same_stack(clients: Clients) -> None:
    c = clients()
    first = create_stack(c, INSTANCE_TEMPLATE, client_token="token-1")
    assert create_stack(c, INSTANCE_TEMPLATE, client_token="token-1") == first
    assert stack_count(c) == 1


def test_stack_progresses_with_the_operations_progression(clients: Clients) -> None:
    c = clients()
    control.set_progression("manual", times=2, cloud="alibaba")
    stack_id = create_stack(c, INSTANCE_TEMPLATE)
    assert get_stack(c, stack_id).status == "CREATE_IN_PROGRESS"  # first read
    assert_error(
        raises(lambda: c.delete_stack(ros.DeleteStackRequest(region_id=REGION, stack_id=stack_id))),
        "ActionInProgress",
        409,
        "Stack MyStack already has an action (CREATE) in progress.",
    )
    assert get_stack(c, stack_id).status == "CREATE_COMPLETE"  # the second read takes the step


def test_stack_group_resources_create_and_delete_groups_and_instances(clients: Clients) -> None:
    c = clients()
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent")
    stack = get_stack(c, stack_id)
    assert stack.status == "CREATE_COMPLETE"
    group = c.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="FromStack")).body.stack_group
    assert outputs(stack) == {"GroupId": group.stack_group_id, "GroupName": "FromStack"}
    resources = {
        r.logical_resource_id: r
        for r in c.list_stack_resources(
            ros.ListStackResourcesRequest(region_id=REGION, stack_id=stack_id)
        ).body.resources
    }
    assert resources["Group"].physical_resource_id == "FromStack"
    operation_id = resources["Instances"].physical_resource_id
    operation = c.get_stack_group_operation(
        ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
    ).body.stack_group_operation
    assert (operation.action, operation.status, operation.stack_group_name) == ("CREATE", "SUCCEEDED", "FromStack")
    member_stack = instance(c, A2, SHANGHAI, "FromStack").stack_id
    assert get_stack(clients(access_key=A2), member_stack, SHANGHAI).status == "CREATE_COMPLETE"
    attributes = c.get_stack_resource(
        ros.GetStackResourceRequest(
            region_id=REGION, stack_id=stack_id, logical_resource_id="Group", show_resource_attributes=True
        )
    ).body.resource_attributes
    assert {a["ResourceAttributeKey"]: a["ResourceAttributeValue"] for a in attributes}[
        "StackGroupId"
    ] == group.stack_group_id
    c.delete_stack(ros.DeleteStackRequest(region_id=REGION, stack_id=stack_id))
    assert _groups(c) == []
    assert stack_count(clients(access_key=A2), SHANGHAI) == 0


def test_update_changes_the_instances_a_stack_manages(clients: Clients) -> None:
    c = clients()
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent")
    c.update_stack(
        ros.UpdateStackRequest(
            region_id=REGION, stack_id=stack_id, template_body=group_template([A2, A3], [SHANGHAI, REGION])
        )
    )
    assert get_stack(c, stack_id).status == "UPDATE_COMPLETE"
    listed = c.list_stack_instances(
        ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="FromStack", page_size=50)
    ).body.stack_instances
    assert sorted((i.account_id, i.region_id) for i in listed) == sorted(
        [(A2, SHANGHAI), (A3, SHANGHAI), (A2, REGION), (A3, REGION)]
    )


def test_a_failed_operation_fails_the_resource_and_rolls_the_stack_back(clients: Clients) -> None:
    c = clients()
    control.fail(cloud="alibaba", account=A2, region=SHANGHAI, action="CREATE", reason="Quota exceeded")
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent")
    stack = get_stack(c, stack_id)
    assert stack.status == "CREATE_ROLLBACK_COMPLETE"
    assert stack.status_reason.startswith("Resource CREATE failed: The StackGroupOperation (")
    assert "Quota exceeded" in stack.status_reason
    assert ("Instances", "CREATE_FAILED") in events(c, stack_id)
    assert events(c, stack_id)[-1] == ("Parent", "CREATE_ROLLBACK_COMPLETE")
    # The rollback deleted the instances that were created, then the group.
    assert _groups(c) == []
    assert (
        c.list_stack_resources(ros.ListStackResourcesRequest(region_id=REGION, stack_id=stack_id)).body.resources == []
    )


def test_disable_rollback_keeps_what_was_created(clients: Clients) -> None:
    c = clients()
    control.fail(cloud="alibaba", account=A2, region=SHANGHAI, reason="Quota exceeded")
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent", disable_rollback=True)
    assert get_stack(c, stack_id).status == "CREATE_FAILED"
    assert _groups(c) == ["FromStack"]
    statuses = {
        r.logical_resource_id: r.status
        for r in c.list_stack_resources(
            ros.ListStackResourcesRequest(region_id=REGION, stack_id=stack_id)
        ).body.resources
    }
    assert statuses == {"Group": "CREATE_COMPLETE", "Instances": "CREATE_FAILED"}


def test_an_invalid_stack_group_property_fails_the_resource(clients: Clients) -> None:
    c = clients()
    template = json.dumps(
        {
            "ROSTemplateFormatVersion": "2015-09-01",
            "Resources": {
                "G": {
                    "Type": "ALIYUN::ROS::StackGroup",
                    "Properties": {
                        "StackGroupName": "bad name!",
                        "TemplateBody": {"ROSTemplateFormatVersion": "2015-09-01"},
                    },
                }
            },
        }
    )
    stack_id = create_stack(c, template, disable_rollback=True)
    stack = get_stack(c, stack_id)
    assert stack.status == "CREATE_FAILED"
    assert "InvalidParameter: The specified parameter StackGroupName is invalid" in stack.status_reason


def test_a_rollback_that_fails_leaves_the_stack_rollback_failed(clients: Clients) -> None:
    c = clients()
    control.fail(cloud="alibaba", account=A2, region=SHANGHAI, reason="Quota exceeded")  # deletes fail too
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent")
    assert get_stack(c, stack_id).status == "CREATE_ROLLBACK_FAILED"
    assert events(c, stack_id)[-2] == ("Instances", "DELETE_FAILED")
    assert _groups(c) == ["FromStack"]


def test_a_failed_update_rolls_back_to_the_previous_template(clients: Clients) -> None:
    c = clients()
    stack_id = create_stack(c, group_template([A1], [SHANGHAI]), name="Parent")
    before = c.get_template(ros.GetTemplateRequest(region_id=REGION, stack_id=stack_id)).body.template_body
    control.fail(cloud="alibaba", account=A3, region=SHANGHAI, action="CREATE", reason="Quota exceeded")
    c.update_stack(
        ros.UpdateStackRequest(region_id=REGION, stack_id=stack_id, template_body=group_template([A1, A3], [SHANGHAI]))
    )
    stack = get_stack(c, stack_id)
    assert stack.status == "ROLLBACK_COMPLETE"
    assert "Quota exceeded" in stack.status_reason
    assert c.get_template(ros.GetTemplateRequest(region_id=REGION, stack_id=stack_id)).body.template_body == before
    listed = c.list_stack_instances(ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="FromStack")).body
    assert [(i.account_id, i.status) for i in listed.stack_instances] == [(A1, "CURRENT")]


def test_a_stack_waits_for_its_stack_group_operations(clients: Clients) -> None:
    c = clients()
    control.set_progression("manual", cloud="alibaba")
    stack_id = create_stack(c, group_template([A1, A2], [SHANGHAI]), name="Parent")
    statuses = [get_stack(c, stack_id).status for _ in range(6)]
    assert statuses[0] == "CREATE_IN_PROGRESS"
    assert statuses[-1] == "CREATE_COMPLETE"
    assert {
        (i.account_id, i.status)
        for i in c.list_stack_instances(
            ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="FromStack")
        ).body.stack_instances
    } == {(A1, "CURRENT"), (A2, "CURRENT")}


def test_resources_run_in_dependency_order_and_cycles_are_refused(clients: Clients) -> None:
    c = clients()

    def template(resources: dict[str, object]) -> str:
        return json.dumps({"ROSTemplateFormatVersion": "2015-09-01", "Resources": resources})

    cycle = template(
        {
            "A": {"Type": "ALIYUN::ECS::VPC", "DependsOn": "B"},
            "B": {"Type": "ALIYUN::ECS::VPC", "Properties": {"X": {"Ref": "A"}}},
        }
    )
    assert_error(
        raises(lambda: create_stack(c, cycle)), "CircularDependency", 400, "Circular Dependency Found: A -> B -> A."
    )
    assert stack_count(c) == 0
    ordered = template(
        {
            "A": {"Type": "ALIYUN::ECS::VPC", "DependsOn": ["B", "C"]},
            "B": {"Type": "ALIYUN::ECS::VPC"},
            "C": {"Type": "ALIYUN::ECS::VSwitch", "Properties": {"VpcId": {"Ref": "B"}}},
        }
    )
    stack_id = create_stack(c, ordered)
    resources = c.list_stack_resources(
        ros.ListStackResourcesRequest(region_id=REGION, stack_id=stack_id)
    ).body.resources
    assert [r.logical_resource_id for r in resources] == ["B", "C", "A"]
    # A long chain of dependencies is no problem.
    chain = template(
        {f"R{i}": {"Type": "ALIYUN::ECS::VPC", "DependsOn": f"R{i + 1}"} for i in range(2000)}
        | {"R2000": {"Type": "ALIYUN::ECS::VPC"}}
    )
    assert get_stack(c, create_stack(c, chain, name="Chain")).status == "CREATE_COMPLETE"
    attribute = template(
        {
            "G": {"Type": "ALIYUN::ROS::StackGroup", "Properties": {}},
            "V": {"Type": "ALIYUN::ECS::VPC", "Properties": {"X": {"Fn::GetAtt": ["G", "Nope"]}}},
        }
    )
    assert_error(
        raises(lambda: create_stack(c, attribute, name="Attr")),
        "InvalidTemplateAttribute",
        400,
        "The Referenced Attribute (G Nope) is incorrect.",
    )


def test_a_rollback_never_deletes_a_group_the_stack_did_not_create(clients: Clients) -> None:
    c = clients()
    c.create_stack_group(
        ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="FromStack", template_body=INSTANCE_TEMPLATE)
    )
    stack_id = create_stack(c, group_template([A1], [SHANGHAI]), name="Parent")
    stack = get_stack(c, stack_id)
    assert stack.status == "CREATE_ROLLBACK_COMPLETE"
    assert stack.status_reason == "Resource CREATE failed: StackGroupExists: The StackGroup (FromStack) already exists."
    assert _groups(c) == ["FromStack"]  # the group that was there before stays


def test_an_unreadable_progression_refuses_create_stack_before_any_change(clients: Clients) -> None:
    from moto.moto_api import state_manager

    c = clients()
    state_manager.set_transition("alibaba-ros::stackgroup-operation", {"progression": "manual", "times": "abc"})
    try:
        refused = raises(lambda: create_stack(c, INSTANCE_TEMPLATE))
    finally:
        state_manager.unset_transition("alibaba-ros::stackgroup-operation")
    assert (refused.code, refused.status_code) == ("InvalidParameter", 400)
    assert stack_count(c) == 0


def test_updating_a_stack_group_resource_updates_the_group(clients: Clients) -> None:
    c = clients()
    body = json.loads(group_template([A1], [SHANGHAI]))
    stack_id = create_stack(c, json.dumps(body), name="Parent")
    group = body["Resources"]["Group"]["Properties"]
    group.update(Description="networks", Tags=[{"Key": "team", "Value": "net"}], ResourceGroupId="rg-net")
    group["TemplateBody"]["Parameters"]["Env"]["Default"] = "prod"
    c.update_stack(ros.UpdateStackRequest(region_id=REGION, stack_id=stack_id, template_body=json.dumps(body)))
    assert get_stack(c, stack_id).status == "UPDATE_COMPLETE"
    found = c.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="FromStack")).body.stack_group
    assert (found.description, found.resource_group_id) == ("networks", "rg-net")
    listed = c.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.stack_groups
    assert [(t.key, t.value) for t in listed[0].tags] == [("team", "net")]
    # The group's update operation updated its instances' stacks.
    member_stack = instance(c, A1, SHANGHAI, "FromStack").stack_id
    assert outputs(get_stack(clients(access_key=A1), member_stack, SHANGHAI))["Env"] == "prod"
