"""Helpers for the ROS tests: SDK clients, constants, small call wrappers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]
from alibabacloud_ros20190910.client import Client  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.exceptions import ClientException  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.models import Config  # type: ignore[import-untyped]
from moto.moto_api import state_manager

from moto_stacksets_ext.alibaba_ros import calling_account
from moto_stacksets_ext.alibaba_ros.naming import OPERATION_MODEL, namespace

ACCESS_KEY = "LTAI5tTestAccessKey"
SECRET = "test-secret"
REGION = "cn-hangzhou"
ACCOUNT = calling_account(ACCESS_KEY)
A1, A2, A3 = "1111111111111111", "2222222222222222", "3333333333333333"

TEMPLATE = json.dumps(
    {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}, "Size": {"Type": "Number", "Default": 1}},
        "Resources": {},
    }
)


def make_client(
    endpoint: str | None = None, *, v2: bool = False, access_key: str = ACCESS_KEY, secret: str = SECRET
) -> Any:
    options: dict[str, Any] = {"access_key_id": access_key, "access_key_secret": secret, "region_id": REGION}
    if endpoint is not None:
        options.update(endpoint=endpoint.removeprefix("http://"), protocol="http")
    if v2:
        options["signature_algorithm"] = "v2"
    return Client(Config(**options))


def raises(call: Callable[[], Any]) -> Any:
    """The SDK's ClientException of ``call`` (fails if it succeeds)."""
    with pytest.raises(ClientException) as caught:
        call()
    return caught.value


def assert_error(error: Any, code: str, status: int, message: str) -> None:
    assert error.code == code
    assert error.status_code == status
    assert error.request_id and error.request_id == error.data["RequestId"]
    assert error.data["Message"] == message
    assert error.message == f"code: {status}, {message} request id: {error.request_id}"
    assert set(error.data) >= {"RequestId", "HostId", "Code", "Message", "Recommend"}


def create_group(c: Any, name: str = "MyStackGroup", **extra: Any) -> str:
    extra.setdefault("template_body", TEMPLATE)
    response = c.create_stack_group(ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=name, **extra))
    return str(response.body.stack_group_id)


def create_instances(c: Any, name: str = "MyStackGroup", **extra: Any) -> str:
    extra.setdefault("account_ids", [A1, A2])
    extra.setdefault("region_ids", [REGION, "cn-beijing"])
    response = c.create_stack_instances(
        ros.CreateStackInstancesRequest(region_id=REGION, stack_group_name=name, **extra)
    )
    return str(response.body.operation_id)


def get_operation(c: Any, operation_id: str) -> Any:
    request = ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
    return c.get_stack_group_operation(request).body.stack_group_operation


def operation_map(c: Any, operation_id: str) -> dict[str, Any]:
    return dict(
        c.get_stack_group_operation(
            ros.GetStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
        ).body.to_map()["StackGroupOperation"]
    )


@contextmanager
def operations_stay_running() -> Iterator[None]:
    """New operations stay RUNNING (moto's state manager: manual progression), as a slow rollout does."""
    state_manager.set_transition(OPERATION_MODEL, {"progression": "manual", "times": 1000})
    try:
        yield
    finally:
        state_manager.unset_transition(OPERATION_MODEL)


def finish_in_flight(group_id: str, operation_id: str) -> None:
    """Let the targets in flight finish (the engine's test-control step)."""
    namespace(ACCOUNT, REGION).step(group_id, operation_id)
