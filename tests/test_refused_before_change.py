"""Calls refused for unknown target regions or an unreadable progression change nothing (issue 11).

Before: ``Regions=[us-east-1, maybe]`` left two instances and a RUNNING operation behind (blocking every
later delete); ``times: "abc"`` in moto's state manager made the next call 500 after creating a PENDING
instance with no operation. Now both are the provider's validation error, raised before any change.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from moto.moto_api import state_manager

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, REGION, TOPIC_TEMPLATE, error_of

sys.path.insert(0, str(Path(__file__).parent / "huawei_rfs"))

AWS_MODEL = "cloudformation::stackset-operation"
UNREADABLE = (
    {"progression": "manual", "times": "abc"},
    {"progression": "time", "seconds": "soon"},
    {"progression": "manual", "times": None},
    {"progression": "sometimes"},
)


@pytest.fixture
def unset_transitions() -> Iterator[None]:
    yield
    for model in (AWS_MODEL, "huawei-rfs::stackset-operation", "alibaba-ros::stackgroup-operation"):
        state_manager.unset_transition(model)


def aws_snapshot(cf: Any, name: str) -> tuple[Any, ...]:
    stack_set = cf.describe_stack_set(StackSetName=name)["StackSet"]
    instances = cf.list_stack_instances(StackSetName=name)["Summaries"]
    operations = cf.list_stack_set_operations(StackSetName=name)["Summaries"]
    return stack_set, instances, operations


def test_unknown_target_regions_are_refused_before_any_change(cf: Any) -> None:
    cf.create_stack_set(StackSetName="regional", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="regional", Accounts=[ACCOUNT_A], Regions=[REGION])
    before = aws_snapshot(cf, "regional")
    calls = (
        lambda: cf.create_stack_instances(StackSetName="regional", Accounts=[ACCOUNT_A], Regions=[REGION, "maybe"]),
        lambda: cf.update_stack_instances(StackSetName="regional", Accounts=[ACCOUNT_A], Regions=["maybe"]),
        lambda: cf.delete_stack_instances(
            StackSetName="regional", Accounts=[ACCOUNT_A], Regions=["maybe"], RetainStacks=False
        ),
        lambda: cf.update_stack_set(
            StackSetName="regional", TemplateBody=TOPIC_TEMPLATE, Accounts=[ACCOUNT_A], Regions=["cn-north-1"]
        ),
    )
    for call in calls:
        with pytest.raises(ClientError) as caught:
            call()
        assert error_of(caught) == ("ValidationError", 400)
        assert "regions are not valid" in caught.value.response["Error"]["Message"]
    assert aws_snapshot(cf, "regional") == before
    # nothing blocks the stack set afterwards
    cf.delete_stack_instances(StackSetName="regional", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False)
    cf.delete_stack_set(StackSetName="regional")


def test_regions_are_those_of_the_callers_partition(aws: None) -> None:
    china = boto3.client("cloudformation", region_name="cn-north-1")
    china.create_stack_set(StackSetName="china", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError) as caught:
        china.create_stack_instances(StackSetName="china", Accounts=[ACCOUNT_A], Regions=["us-east-1"])
    assert error_of(caught) == ("ValidationError", 400)
    china.create_stack_instances(StackSetName="china", Accounts=[ACCOUNT_A], Regions=["cn-northwest-1"])
    assert [i["Region"] for i in china.list_stack_instances(StackSetName="china")["Summaries"]] == ["cn-northwest-1"]


def test_unknown_region_in_server_mode(server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="regional", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError) as caught:
        server_cf.create_stack_instances(StackSetName="regional", Accounts=[ACCOUNT_A], Regions=[REGION, "maybe"])
    assert error_of(caught) == ("ValidationError", 400)
    assert server_cf.list_stack_instances(StackSetName="regional")["Summaries"] == []
    assert server_cf.list_stack_set_operations(StackSetName="regional")["Summaries"] == []
    server_cf.delete_stack_set(StackSetName="regional")


@pytest.mark.usefixtures("unset_transitions")
def test_an_unreadable_transition_is_refused_before_any_change(cf: Any) -> None:
    cf.create_stack_set(StackSetName="paced", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="paced", Accounts=[ACCOUNT_A], Regions=[REGION])
    before = aws_snapshot(cf, "paced")
    for transition in UNREADABLE:
        state_manager.set_transition(AWS_MODEL, transition)
        calls = (
            lambda: cf.create_stack_instances(StackSetName="paced", Accounts=[ACCOUNT_A], Regions=["eu-west-1"]),
            lambda: cf.update_stack_set(StackSetName="paced", TemplateBody=TOPIC_TEMPLATE, Description="new"),
            lambda: cf.update_stack_instances(StackSetName="paced", Accounts=[ACCOUNT_A], Regions=[REGION]),
            lambda: cf.detect_stack_set_drift(StackSetName="paced"),
            lambda: cf.delete_stack_instances(
                StackSetName="paced", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False
            ),
        )
        for call in calls:
            with pytest.raises(ClientError) as caught:
                call()
            assert error_of(caught) == ("ValidationError", 400)
            assert "cannot be read" in caught.value.response["Error"]["Message"]
        assert aws_snapshot(cf, "paced") == before
    state_manager.set_transition(AWS_MODEL, {"progression": "manual", "times": "2"})  # a whole number as text
    operation_id = cf.detect_stack_set_drift(StackSetName="paced")["OperationId"]
    statuses = [
        cf.describe_stack_set_operation(StackSetName="paced", OperationId=operation_id)["StackSetOperation"]["Status"]
        for _ in range(4)
    ]
    assert statuses[0] == "RUNNING" and statuses[-1] == "SUCCEEDED"


@pytest.mark.usefixtures("unset_transitions")
def test_an_unreadable_transition_set_over_http_in_server_mode(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    server_cf.create_stack_set(StackSetName="paced", TemplateBody=TOPIC_TEMPLATE)
    answer = requests.post(
        f"{server.endpoint}/moto-api/state-manager/set-transition",
        json={"model_name": AWS_MODEL, "transition": {"progression": "manual", "times": "abc"}},
        timeout=10,
    )
    assert answer.status_code < 300
    with pytest.raises(ClientError) as caught:
        server_cf.create_stack_instances(StackSetName="paced", Accounts=[ACCOUNT_A], Regions=[REGION])
    assert error_of(caught) == ("ValidationError", 400)
    assert server_cf.list_stack_instances(StackSetName="paced")["Summaries"] == []
    requests.post(
        f"{server.endpoint}/moto-api/state-manager/unset-transition", json={"model_name": AWS_MODEL}, timeout=10
    )
    server_cf.create_stack_instances(StackSetName="paced", Accounts=[ACCOUNT_A], Regions=[REGION])


# -- Huawei RFS and Alibaba ROS ---------------------------------------------------------------------------
@pytest.mark.usefixtures("unset_transitions")
def test_rfs_refuses_unknown_regions_and_unreadable_transitions(aws: None) -> None:
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
    from huaweicloudsdkrfs.v1 import ListStackInstancesRequest  # type: ignore[import-untyped]

    from rfs_support import DOMAIN_A, create_instances, create_set, crid, make_client
    from rfs_support import REGION as RFS_REGION

    rfs = make_client()
    create_set(rfs, "regional")
    with pytest.raises(ClientRequestException) as caught:
        create_instances(rfs, "regional", [DOMAIN_A], [RFS_REGION, "maybe-1"])
    assert caught.value.status_code == 400
    state_manager.set_transition("huawei-rfs::stackset-operation", {"progression": "manual", "times": "abc"})
    with pytest.raises(ClientRequestException) as caught:
        create_instances(rfs, "regional", [DOMAIN_A], [RFS_REGION])
    assert caught.value.status_code == 400
    listed = rfs.list_stack_instances(ListStackInstancesRequest(client_request_id=crid(), stack_set_name="regional"))
    assert listed.stack_instances == []


@pytest.mark.usefixtures("unset_transitions")
def test_ros_refuses_unknown_regions_and_unreadable_transitions(aws: None) -> None:
    from alibaba_ros.ros_support import REGION as ROS_REGION
    from alibaba_ros.ros_support import create_group, create_instances, make_client
    from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]
    from alibabacloud_tea_openapi.exceptions import ClientException  # type: ignore[import-untyped]

    client = make_client()
    create_group(client, "Regional")
    with pytest.raises(ClientException) as caught:
        create_instances(client, "Regional", region_ids=[ROS_REGION, "cn-nowhere"])
    assert (caught.value.code, caught.value.status_code) == ("InvalidParameter", 400)
    assert "RegionIds" in caught.value.data["Message"]
    state_manager.set_transition("alibaba-ros::stackgroup-operation", {"progression": "time", "seconds": None})
    with pytest.raises(ClientException) as caught:
        create_instances(client, "Regional")
    assert (caught.value.code, caught.value.status_code) == ("InvalidParameter", 400)
    listed = client.list_stack_instances(
        ros.ListStackInstancesRequest(region_id=ROS_REGION, stack_group_name="Regional")
    )
    assert listed.body.stack_instances == []
