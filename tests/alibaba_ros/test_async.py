"""The Tea SDK's ``*_async`` methods (aiohttp) under ``mock_stacksets()`` in-process: answered by the mock,
never sent to ros.aliyuncs.com, recorded and checked exactly as the synchronous calls are."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.alibaba_ros import require_signatures
from moto_stacksets_ext.plugin import UnservedEndpointError

from .ros_support import A1, A2, ACCESS_KEY, REGION, SECRET, TEMPLATE, assert_error, make_client


async def _error_of(call: Any) -> Any:
    """The SDK's exception of an awaited call (fails if it succeeds)."""
    try:
        await call
    except Exception as error:
        return error
    raise AssertionError("expected the call to fail")


@pytest.mark.parametrize("v2", [False, True], ids=["acs3", "v2"])
def test_async_calls_are_answered_in_process(v2: bool) -> None:
    async def scenario(c: Any) -> None:
        created = await c.create_stack_group_async(
            ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="async", template_body=TEMPLATE)
        )
        group_id = created.body.stack_group_id
        started = await c.create_stack_instances_async(
            ros.CreateStackInstancesRequest(
                region_id=REGION,
                stack_group_name="async",
                account_ids=[A1, A2],
                region_ids=[REGION],
                operation_preferences={"FailureToleranceCount": 1},
            )
        )
        operation_id = started.body.operation_id
        got = await c.get_stack_group_operation_async(
            ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
        )
        operation = got.body.stack_group_operation
        assert (operation.stack_group_id, operation.status) == (group_id, "SUCCEEDED")
        assert operation.operation_preferences.failure_tolerance_count == 1
        listed = await c.list_stack_group_operations_async(
            ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="async")
        )
        assert [o.operation_id for o in listed.body.stack_group_operations] == [operation_id]
        instances = await c.list_stack_instances_async(
            ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="async")
        )
        assert sorted(i.account_id for i in instances.body.stack_instances) == [A1, A2]
        missing = await _error_of(
            c.get_stack_group_operation_async(ros.GetStackGroupOperationRequest(region_id=REGION, operation_id="nope"))
        )
        assert_error(missing, "StackGroupOperationNotFound", 404, "The StackGroupOperation (nope) could not be found.")
        exists = await _error_of(
            c.create_stack_group_async(
                ros.CreateStackGroupRequest(region_id=REGION, stack_group_name="async", template_body=TEMPLATE)
            )
        )
        assert_error(exists, "StackGroupExists", 409, "The StackGroup (async) already exists.")

    with mock_stacksets():
        asyncio.run(scenario(make_client(v2=v2)))
        # the same engine the synchronous client reads, and one record per request
        sync = make_client()
        assert sync.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="async")).body
        assert [(c.action, c.status, c.error_code) for c in control.calls.filter(cloud="alibaba")] == [
            ("CreateStackGroup", 200, None),
            ("CreateStackInstances", 200, None),
            ("GetStackGroupOperation", 200, None),
            ("ListStackGroupOperations", 200, None),
            ("ListStackInstances", 200, None),
            ("GetStackGroupOperation", 404, "StackGroupOperationNotFound"),
            ("CreateStackGroup", 409, "StackGroupExists"),
            ("GetStackGroup", 200, None),
        ]
        assert control.calls.last(action="CreateStackInstances").parameters["AccountIds"] == [A1, A2]  # type: ignore[union-attr]


def test_async_signatures_are_checked_in_strict_mode() -> None:
    async def scenario() -> None:
        for v2 in (False, True):
            good = make_client(v2=v2)
            await good.create_stack_group_async(
                ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=f"signed-{v2}", template_body=TEMPLATE)
            )
            wrong = make_client(v2=v2, secret="wrong-secret")
            error = await _error_of(wrong.list_stack_groups_async(ros.ListStackGroupsRequest(region_id=REGION)))
            assert (error.code, error.status_code) == ("SignatureDoesNotMatch", 400)

    with mock_stacksets():
        require_signatures({ACCESS_KEY: SECRET})
        asyncio.run(scenario())
        listed = make_client().list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION))
        assert listed.body.total_count == 2  # the refused requests changed nothing


def test_concurrent_async_calls_each_make_one_call() -> None:
    async def scenario(c: Any) -> list[str]:
        created = await asyncio.gather(
            *(
                c.create_stack_group_async(
                    ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=f"g{i}", template_body=TEMPLATE)
                )
                for i in range(5)
            )
        )
        return [r.body.stack_group_id for r in created]

    with mock_stacksets():
        ids = asyncio.run(scenario(make_client()))
        assert len(set(ids)) == 5
        assert control.calls.count(action="CreateStackGroup") == 5
        listed = make_client().list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION, page_size=50))
        assert sorted(g.stack_group_id for g in listed.body.stack_groups) == sorted(ids)


def test_an_alibaba_host_the_mock_does_not_serve_is_refused_unsent() -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(UnservedEndpointError, match=r"GET https://ecs\.aliyuncs\.com/\?Action=Describe"):
                await session.get("https://ecs.aliyuncs.com/?Action=DescribeInstances")
            with pytest.raises(UnservedEndpointError, match="does not serve"):
                async with session.post("https://ecs.cn-hangzhou.aliyuncs.com/", data=b"Action=DescribeInstances"):
                    pass

    with mock_stacksets():
        asyncio.run(scenario())
        assert list(control.calls) == []


def test_after_the_mock_aiohttp_is_aiohttp_again() -> None:
    with mock_stacksets():
        patched = aiohttp.ClientSession._request
    assert aiohttp.ClientSession._request is not patched
    assert not hasattr(aiohttp.ClientSession._request, "__wrapped__")
