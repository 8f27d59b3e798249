"""Stack groups: create, get, list (paging and filters), update, delete, and their errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from .ros_support import A1, REGION, TEMPLATE, assert_error, create_group, create_instances, raises


def test_create_and_get_stack_group(client: Any) -> None:
    group_id = create_group(
        client,
        description="My group",
        parameters=[ros.CreateStackGroupRequestParameters(parameter_key="Env", parameter_value="prod")],
        resource_group_id="rg-acfm123",
        tags=[ros.CreateStackGroupRequestTags(key="team", value="infra")],
    )
    by_name = client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup"))
    by_id = client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_id=group_id))
    group = by_name.body.stack_group
    assert by_id.body.stack_group.to_map() == group.to_map()
    assert (group.stack_group_id, group.stack_group_name, group.status) == (group_id, "MyStackGroup", "ACTIVE")
    assert (group.permission_model, group.description, group.resource_group_id) == (
        "SELF_MANAGED",
        "My group",
        "rg-acfm123",
    )
    assert group.administration_role_name == "AliyunROSStackGroupAdministrationRole"
    assert group.execution_role_name == "AliyunROSStackGroupExecutionRole"
    assert group.template_body == TEMPLATE
    assert [(p.parameter_key, p.parameter_value) for p in group.parameters] == [("Env", "prod")]
    assert group.rd_folder_ids is None and group.stack_group_drift_detection_detail is None
    listed = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.stack_groups[0]
    assert [(t.key, t.value) for t in listed.tags] == [("team", "infra")]
    assert listed.stack_group_drift_status == "NOT_CHECKED"


def test_create_errors(client: Any) -> None:
    create_group(client)
    assert_error(
        raises(lambda: create_group(client)), "StackGroupExists", 409, "The StackGroup (MyStackGroup) already exists."
    )
    missing = ros.CreateStackGroupRequest(region_id=REGION, template_body=TEMPLATE)
    assert_error(
        raises(lambda: client.create_stack_group(missing)),
        "MissingParameter",
        400,
        'The input parameter "StackGroupName" that is mandatory for processing this request is not supplied.',
    )
    no_template = ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="g2")
    assert raises(lambda: client.create_stack_group(no_template)).code == "MissingParameter"
    two = ros.CreateStackGroupRequest(
        region_id=REGION, stack_group_name="g2", template_body=TEMPLATE, template_url="oss://b/t"
    )
    assert_error(
        raises(lambda: client.create_stack_group(two)),
        "MultipleParameter",
        400,
        "Only one of the input parameters TemplateBody, TemplateURL can be specified.",
    )
    bad_name = ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="-bad", template_body=TEMPLATE)
    assert raises(lambda: client.create_stack_group(bad_name)).code == "InvalidParameter"
    template_id = ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="g2", template_id="t-1")
    assert_error(
        raises(lambda: client.create_stack_group(template_id)),
        "TemplateNotFound",
        404,
        "The Tempalte (t-1) could not be found.",
    )


@pytest.mark.parametrize(
    ("body", "parameters", "code"),
    [
        ("{not json: [", None, "InvalidParameter"),
        (json.dumps({"Resources": {}}), None, "InvalidTemplateVersion"),
        (TEMPLATE, [("Nope", "1")], "UnknownUserParameter"),
        (
            json.dumps({"ROSTemplateFormatVersion": "2015-09-01", "Parameters": {"Req": {"Type": "String"}}}),
            None,
            "UserParameterMissing",
        ),
    ],
)
def test_template_checks(client: Any, body: str, parameters: list[tuple[str, str]] | None, code: str) -> None:
    sdk_parameters = [
        ros.CreateStackGroupRequestParameters(parameter_key=k, parameter_value=v) for k, v in parameters or []
    ]
    request = ros.CreateStackGroupRequest(
        region_id=REGION, stack_group_name="g", template_body=body, parameters=sdk_parameters or None
    )
    error = raises(lambda: client.create_stack_group(request))
    assert (error.code, error.status_code) == (code, 400)


def test_yaml_template_is_read_as_a_template(client: Any) -> None:
    yaml = (
        "ROSTemplateFormatVersion: '2015-09-01'\n"
        "Description: network\n"
        "Parameters:\n  Env:\n    Type: String\n    Default: dev\n"
        "Resources:\n  Vpc:\n    Type: ALIYUN::ECS::VPC\n"
    )
    create_group(client, template_body=yaml)
    got = client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup"))
    assert got.body.stack_group.template_body == yaml
    summary = client.get_template_summary(
        ros.GetTemplateSummaryRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body
    assert [p["ParameterKey"] for p in summary.parameters] == ["Env"]
    assert (summary.resource_types, summary.description) == (["ALIYUN::ECS::VPC"], "network")


def test_list_stack_groups_pages_and_filters(client: Any) -> None:
    for index in range(12):
        create_group(client, f"group-{index:02d}", resource_group_id="rg-even" if index % 2 == 0 else None)
    client.delete_stack_group(ros.DeleteStackGroupRequest(region_id=REGION, stack_group_name="group-00"))
    first = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body
    assert (first.page_number, first.page_size, first.total_count, len(first.stack_groups)) == (1, 10, 12, 10)
    second = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, page_number=2)).body
    assert [g.stack_group_name for g in second.stack_groups] == ["group-10", "group-11"]
    active = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, status="ACTIVE", page_size=50)).body
    assert active.total_count == 11
    deleted = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, status="DELETED")).body
    assert [(g.stack_group_name, g.status) for g in deleted.stack_groups] == [("group-00", "DELETED")]
    even = client.list_stack_groups(
        ros.ListStackGroupsRequest(region_id=REGION, resource_group_id="rg-even", page_size=2, page_number=3)
    ).body
    assert even.total_count == 6 and [g.stack_group_name for g in even.stack_groups] == ["group-08", "group-10"]
    bad = ros.ListStackGroupsRequest(region_id=REGION, page_number=0)
    assert_error(
        raises(lambda: client.list_stack_groups(bad)),
        "InvalidParameter",
        400,
        "The specified parameter PageNumber is invalid, the value should be at least 1.",
    )
    no_region = raises(lambda: client.list_stack_groups(ros.ListStackGroupsRequest()))
    assert_error(
        no_region,
        "MissingParameter",
        400,
        'The input parameter "RegionId" that is mandatory for processing this request is not supplied.',
    )


def test_tag_filter(client: Any) -> None:
    create_group(client, "tagged", tags=[ros.CreateStackGroupRequestTags(key="env", value="prod")])
    create_group(client, "plain")
    request = ros.ListStackGroupsRequest(
        region_id=REGION, tags=[ros.ListStackGroupsRequestTags(key="env", value="prod")]
    )
    assert [g.stack_group_name for g in client.list_stack_groups(request).body.stack_groups] == ["tagged"]


def test_update_stack_group(client: Any) -> None:
    create_group(client)
    create_instances(client)
    new_template = json.dumps({"ROSTemplateFormatVersion": "2015-09-01", "Parameters": {"Env": {"Type": "String"}}})
    response = client.update_stack_group(
        ros.UpdateStackGroupRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            template_body=new_template,
            parameters=[ros.UpdateStackGroupRequestParameters(parameter_key="Env", parameter_value="prod")],
            account_ids=[A1],
            region_ids=[REGION],
            operation_description="template v2",
        )
    )
    group = client.get_stack_group(
        ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body.stack_group
    assert group.template_body == new_template
    instances = client.list_stack_instances(
        ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body.stack_instances
    assert sum(i.status == "CURRENT" for i in instances) == 1
    assert response.body.operation_id
    only_regions = ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup", account_ids=[A1])
    assert raises(lambda: client.update_stack_group(only_regions)).code == "MissingParameter"
    missing_template_param = ros.UpdateStackGroupRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        template_body=new_template,
        parameters=[ros.UpdateStackGroupRequestParameters(parameter_key="Other", parameter_value="x")],
    )
    assert raises(lambda: client.update_stack_group(missing_template_param)).code == "UnknownUserParameter"
    model = ros.UpdateStackGroupRequest(
        region_id=REGION, stack_group_name="MyStackGroup", permission_model="SERVICE_MANAGED"
    )
    assert raises(lambda: client.update_stack_group(model)).code == "InvalidParameter"
    unknown = ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="Nope", description="x")
    assert_error(
        raises(lambda: client.update_stack_group(unknown)),
        "StackGroupNotFound",
        404,
        "The StackGroup (Nope) could not be found.",
    )


def test_delete_stack_group(client: Any) -> None:
    create_group(client)
    create_instances(client, account_ids=[A1], region_ids=[REGION])
    delete = ros.DeleteStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    assert_error(
        raises(lambda: client.delete_stack_group(delete)),
        "StackGroupNotEmpty",
        400,
        "The StackGroup (MyStackGroup) is not empty.",
    )
    client.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1],
            region_ids=[REGION],
            retain_stacks=False,
        )
    )
    client.delete_stack_group(delete)
    get = ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    assert_error(
        raises(lambda: client.get_stack_group(get)),
        "StackGroupNotFound",
        404,
        "The StackGroup (MyStackGroup) could not be found.",
    )
    assert raises(lambda: client.delete_stack_group(delete)).code == "StackGroupNotFound"
    # the name is free again
    create_group(client)


def test_get_stack_group_needs_exactly_one_identifier(client: Any) -> None:
    error = raises(lambda: client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION)))
    assert error.code == "MissingParameter"
    both = ros.GetStackGroupRequest(region_id=REGION, stack_group_name="a", stack_group_id="b")
    assert raises(lambda: client.get_stack_group(both)).code == "MultipleParameter"


def test_create_and_update_times(client: Any) -> None:
    from moto_stacksets_ext import control

    control.freeze_clock()
    create_group(client)
    get = ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    created = client.get_stack_group(get).body.stack_group
    assert created.create_time == created.update_time
    assert len(created.create_time) == 19 and not created.create_time.endswith("Z")
    control.advance(5)
    client.update_stack_group(
        ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup", description="d")
    )
    updated = client.get_stack_group(get).body.stack_group
    assert updated.create_time == created.create_time and updated.update_time > created.update_time
    listed = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.stack_groups[0]
    assert (listed.create_time, listed.update_time) == (updated.create_time, updated.update_time)


def test_permission_model_changes_only_while_the_group_is_empty(client: Any) -> None:
    create_group(client)
    to_service = ros.UpdateStackGroupRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        permission_model="SERVICE_MANAGED",
        auto_deployment=ros.UpdateStackGroupRequestAutoDeployment(enabled=False),
    )
    no_access = raises(lambda: client.update_stack_group(to_service))
    assert no_access.code == "InvalidParameter"
    client.enable_service_access()
    no_auto = ros.UpdateStackGroupRequest(
        region_id=REGION, stack_group_name="MyStackGroup", permission_model="SERVICE_MANAGED"
    )
    assert raises(lambda: client.update_stack_group(no_auto)).code == "MissingParameter"
    get = ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    assert client.get_stack_group(get).body.stack_group.permission_model == "SELF_MANAGED"
    client.update_stack_group(to_service)
    group = client.get_stack_group(get).body.stack_group
    assert group.permission_model == "SERVICE_MANAGED"
    assert group.administration_role_name is None and group.execution_role_name is None
    assert group.auto_deployment.enabled is False
    back = ros.UpdateStackGroupRequest(
        region_id=REGION, stack_group_name="MyStackGroup", permission_model="SELF_MANAGED"
    )
    client.update_stack_group(back)
    group = client.get_stack_group(get).body.stack_group
    assert group.permission_model == "SELF_MANAGED" and group.auto_deployment is None
    assert group.administration_role_name == "AliyunROSStackGroupAdministrationRole"
    assert group.execution_role_name == "AliyunROSStackGroupExecutionRole"
    create_instances(client, account_ids=[A1], region_ids=[REGION])
    busy = raises(lambda: client.update_stack_group(to_service))
    assert_error(
        busy,
        "InvalidParameter",
        400,
        "The specified parameter PermissionModel is invalid, "
        "the permission model of a stack group with stack instances cannot be changed.",
    )
