"""The older core SDK (aliyun-python-sdk-ros) reads an instance's stack as the member account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aliyunsdkros.request.v20190910 import GetStackRequest, ListStacksRequest  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .core_support import CoreClient, ServerException, request
from .ros_support import A1, create_group, create_instances, make_client
from .stack_support import BEIJING, INSTANCE_TEMPLATE, instance


@pytest.fixture(params=["in-process", "server"])
def endpoint(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "in-process":
        with mock_stacksets():
            yield None
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield server.endpoint
    control.reset()


@pytest.mark.filterwarnings("ignore:implementation_of_do_action:DeprecationWarning")
def test_core_sdk_get_stack_of_an_instance(endpoint: str | None) -> None:
    admin = make_client(endpoint)
    create_group(admin, template_body=INSTANCE_TEMPLATE)
    create_instances(admin, account_ids=[A1], region_ids=[BEIJING])
    stack_id = instance(admin, A1, BEIJING).stack_id
    member = CoreClient(endpoint, access_key=A1, region=BEIJING)
    for method in ("GET", "POST"):
        body = member.call(request(GetStackRequest, method=method, StackId=stack_id))
        assert (body["StackId"], body["Status"], body["RegionId"]) == (stack_id, "CREATE_COMPLETE", BEIJING)
        assert {o["OutputKey"] for o in body["Outputs"]} == {"VpcId", "Env", "Fixed"}
    listed = member.call(request(ListStacksRequest))
    assert [s["StackId"] for s in listed["Stacks"]] == [stack_id]
    with pytest.raises(ServerException) as refused:
        CoreClient(endpoint, region=BEIJING).call(request(GetStackRequest, StackId=stack_id))
    assert (refused.value.get_http_status(), refused.value.get_error_code()) == (404, "StackNotFound")
