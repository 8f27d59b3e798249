"""Helpers for the ROS stack tests: templates, clients per account, in-process and in server mode."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .ros_support import A1, A2, REGION, make_client

BEIJING = "cn-beijing"
SHANGHAI = "cn-shanghai"

#: An instance template: a parameter, two resources and outputs (literal, Ref parameter, Ref resource).
INSTANCE_TEMPLATE = json.dumps(
    {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Description": "network",
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "Vpc": {"Type": "ALIYUN::ECS::VPC", "Properties": {"VpcName": {"Ref": "Env"}}},
            "VSwitch": {"Type": "ALIYUN::ECS::VSwitch", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        },
        "Outputs": {
            "VpcId": {"Value": {"Ref": "Vpc"}, "Description": "the VPC"},
            "Env": {"Value": {"Ref": "Env"}},
            "Fixed": {"Value": "literal"},
            "Cidr": {"Value": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}},
        },
    }
)


def group_template(
    accounts: list[str] | None = None, regions: list[str] | None = None, *, name: str = "FromStack"
) -> str:
    """A stack template creating a stack group and its instances (ALIYUN::ROS::StackGroup/StackInstances)."""
    return json.dumps(
        {
            "ROSTemplateFormatVersion": "2015-09-01",
            "Resources": {
                "Group": {
                    "Type": "ALIYUN::ROS::StackGroup",
                    "Properties": {"StackGroupName": name, "TemplateBody": json.loads(INSTANCE_TEMPLATE)},
                },
                "Instances": {
                    "Type": "ALIYUN::ROS::StackInstances",
                    "Properties": {
                        "StackGroupName": {"Fn::GetAtt": ["Group", "StackGroupName"]},
                        "AccountIds": accounts if accounts is not None else [A1, A2],
                        "RegionIds": regions if regions is not None else [SHANGHAI],
                    },
                },
            },
            "Outputs": {
                "GroupId": {"Value": {"Fn::GetAtt": ["Group", "StackGroupId"]}},
                "GroupName": {"Value": {"Ref": "Group"}},
            },
        }
    )


Clients = Callable[..., Any]


@pytest.fixture(params=["in-process", "server"])
def clients(request: pytest.FixtureRequest) -> Iterator[Clients]:
    """``clients(access_key=...)``: an SDK client of that account, in-process or against the plugin server."""
    if request.param == "in-process":
        with mock_stacksets():
            yield lambda **kwargs: make_client(**kwargs)
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield lambda **kwargs: make_client(server.endpoint, **kwargs)
    control.reset()


def instance(c: Any, account: str, region: str, name: str = "MyStackGroup") -> Any:
    return c.get_stack_instance(
        ros.GetStackInstanceRequest(
            region_id=REGION, stack_group_name=name, stack_instance_account_id=account, stack_instance_region_id=region
        )
    ).body.stack_instance


def get_stack(c: Any, stack_id: str, region: str = REGION) -> Any:
    return c.get_stack(ros.GetStackRequest(region_id=region, stack_id=stack_id)).body


def create_stack(c: Any, template: str, name: str = "MyStack", **extra: Any) -> str:
    return str(
        c.create_stack(
            ros.CreateStackRequest(region_id=REGION, stack_name=name, template_body=template, **extra)
        ).body.stack_id
    )


def outputs(body: Any) -> dict[str, Any]:
    return {o["OutputKey"]: o["OutputValue"] for o in body.outputs or []}


def events(c: Any, stack_id: str, region: str = REGION) -> list[tuple[str, str]]:
    """The stack's events, oldest first, as (logical id, status)."""
    found = c.list_stack_events(
        ros.ListStackEventsRequest(region_id=region, stack_id=stack_id, page_size=50)
    ).body.events
    return [(e.logical_resource_id, e.status) for e in reversed(found)]


def stack_count(c: Any, region: str = REGION) -> int:
    return int(c.list_stacks(ros.ListStacksRequest(region_id=region)).body.total_count)
