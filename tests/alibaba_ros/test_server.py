"""Server mode: every call family through ThreadedStackSetsServer, sync and async, both signatures."""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext.server import ThreadedStackSetsServer

from .ros_support import A1, A2, REGION, TEMPLATE, assert_error, make_client, raises


def test_every_family_sync(server_client: Any, server: ThreadedStackSetsServer) -> None:
    c = server_client
    c.enable_service_access()
    assert c.get_service_access().body.service_access_info.status == "Enabled"
    c.create_stack_group(ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="srv", template_body=TEMPLATE))
    c.update_stack_group(ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="srv", description="d"))
    assert (
        c.get_stack_group(
            ros.GetStackGroupRequest(region_id=REGION, stack_group_name="srv")
        ).body.stack_group.description
        == "d"
    )
    assert c.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.total_count == 1
    created = c.create_stack_instances(
        ros.CreateStackInstancesRequest(
            region_id=REGION, stack_group_name="srv", account_ids=[A1, A2], region_ids=[REGION]
        )
    ).body.operation_id
    c.update_stack_instances(
        ros.UpdateStackInstancesRequest(region_id=REGION, stack_group_name="srv", account_ids=[A1], region_ids=[REGION])
    )
    assert (
        c.get_stack_instance(
            ros.GetStackInstanceRequest(
                region_id=REGION,
                stack_group_name="srv",
                stack_instance_account_id=A1,
                stack_instance_region_id=REGION,
            )
        ).body.stack_instance.status
        == "CURRENT"
    )
    assert (
        c.list_stack_instances(ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="srv")).body.total_count
        == 2
    )
    op = c.get_stack_group_operation(ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=created))
    assert op.body.stack_group_operation.status == "SUCCEEDED"
    assert (
        c.list_stack_group_operations(
            ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="srv")
        ).body.total_count
        == 3
    )
    assert (
        c.list_stack_group_operation_results(
            ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=created)
        ).body.total_count
        == 2
    )
    stop = raises(
        lambda: c.stop_stack_group_operation(ros.StopStackGroupOperationRequest(region_id=REGION, operation_id="x"))
    )
    assert_error(stop, "StackGroupOperationNotFound", 404, "The StackGroupOperation (x) could not be found.")
    assert stop.data["HostId"] == server.endpoint.removeprefix("http://")
    c.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION, stack_group_name="srv", account_ids=[A1, A2], region_ids=[REGION], retain_stacks=False
        )
    )
    c.delete_stack_group(ros.DeleteStackGroupRequest(region_id=REGION, stack_group_name="srv"))
    drift = raises(
        lambda: c.detect_stack_group_drift(ros.DetectStackGroupDriftRequest(region_id=REGION, stack_group_name="srv"))
    )
    assert drift.code == "StackGroupNotFound"
    # AWS requests on the same server still reach moto
    cf = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert cf.list_stack_sets()["Summaries"] == []


def test_v2_signature_in_server_mode(server_client: Any, server: ThreadedStackSetsServer) -> None:
    v2 = make_client(server.endpoint, v2=True)
    v2.create_stack_group(ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="v2", template_body=TEMPLATE))
    assert (
        server_client.get_stack_group(
            ros.GetStackGroupRequest(region_id=REGION, stack_group_name="v2")
        ).body.stack_group.stack_group_name
        == "v2"
    )
    error = raises(
        lambda: v2.create_stack_group(
            ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="v2", template_body=TEMPLATE)
        )
    )
    assert_error(error, "StackGroupExists", 409, "The StackGroup (v2) already exists.")


def test_async_clients(server_client: Any, server: ThreadedStackSetsServer) -> None:
    async def scenario() -> None:
        for c, name in (
            (make_client(server.endpoint), "async3"),
            (make_client(server.endpoint, v2=True), "async2"),
        ):
            await c.create_stack_group_async(
                ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=name, template_body=TEMPLATE)
            )
            created = await c.create_stack_instances_async(
                ros.CreateStackInstancesRequest(
                    region_id=REGION,
                    stack_group_name=name,
                    account_ids=[A1],
                    region_ids=[REGION],
                    operation_preferences={"FailureToleranceCount": 2},
                )
            )
            op = await c.get_stack_group_operation_async(
                ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=created.body.operation_id)
            )
            assert op.body.stack_group_operation.operation_preferences.failure_tolerance_count == 2
            listed = await c.list_stack_group_operations_async(
                ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name=name)
            )
            assert listed.body.total_count == 1
            try:
                await c.get_stack_group_operation_async(
                    ros.GetStackGroupOperationRequest(region_id=REGION, operation_id="nope")
                )
            except Exception as error:
                assert_error(
                    error, "StackGroupOperationNotFound", 404, "The StackGroupOperation (nope) could not be found."
                )
            else:
                raise AssertionError("expected StackGroupOperationNotFound")

    asyncio.run(scenario())


def test_client_token_idempotency_in_server_mode(server_client: Any, server: ThreadedStackSetsServer) -> None:
    c = server_client
    c.create_stack_group(ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="tok", template_body=TEMPLATE))

    def create(token: str) -> str:
        request = ros.CreateStackInstancesRequest(
            region_id=REGION, stack_group_name="tok", account_ids=[A1], region_ids=[REGION], client_token=token
        )
        return str(c.create_stack_instances(request).body.operation_id)

    first = create("srv-token")
    assert create("srv-token") == first
    delete = ros.DeleteStackInstancesRequest(
        region_id=REGION,
        stack_group_name="tok",
        account_ids=[A1],
        region_ids=[REGION],
        retain_stacks=False,
        client_token="srv-token",
    )
    assert_error(
        raises(lambda: c.delete_stack_instances(delete)),
        "InvalidIdempotenceParameter",
        400,
        "The specified parameters are different from before.",
    )
