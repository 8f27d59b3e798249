"""Dispatch and wire encodings: both signature styles, precise claims, unknown actions, accounts."""

from __future__ import annotations

from typing import Any

import boto3
import requests
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import mock_stacksets
from moto_stacksets_ext._transport.gateway import GatewayRequest, Headers
from moto_stacksets_ext.alibaba_ros import FRONT_END, calling_account

from .ros_support import A1, REGION, assert_error, create_group, create_instances, make_client, operation_map, raises


def _request(url: str, headers: dict[str, str] | None = None, body: bytes = b"") -> GatewayRequest:
    return GatewayRequest("POST", url, Headers((headers or {}).items()), body)


def test_claims_is_precise() -> None:
    acs3 = {"x-acs-action": "GetStackGroup", "x-acs-version": "2019-09-10"}
    assert FRONT_END.claims(_request("http://127.0.0.1:5000/?RegionId=cn-hangzhou", acs3))
    assert not FRONT_END.claims(_request("http://127.0.0.1:5000/", {**acs3, "x-acs-version": "2014-05-26"}))
    assert FRONT_END.claims(_request("http://127.0.0.1:5000/?Action=GetStackGroup&Version=2019-09-10"))
    # AWS query requests carry Action/Version too, with AWS versions and SigV4
    assert not FRONT_END.claims(_request("http://127.0.0.1:5000/?Action=ListStackSets&Version=2010-05-15"))
    aws_form = _request(
        "http://127.0.0.1:5000/",
        {"content-type": "application/x-www-form-urlencoded", "authorization": "AWS4-HMAC-SHA256 Credential=x"},
        b"Action=ListStackSets&Version=2019-09-10",
    )
    assert not FRONT_END.claims(aws_form)
    assert not FRONT_END.claims(_request("http://127.0.0.1:5000/moto-api/reset"))


def test_v2_signature_style(client: Any, v2_client: Any) -> None:
    create_group(v2_client)
    operation_id = create_instances(
        v2_client, account_ids=[A1], region_ids=[REGION], operation_preferences={"MaxConcurrentCount": 3}
    )
    # the same account whichever signature style the SDK uses
    assert operation_map(client, operation_id)["OperationPreferences"] == {
        "FailureToleranceCount": 0,
        "MaxConcurrentCount": 3,
    }
    error = raises(
        lambda: v2_client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="Nope"))
    )
    assert_error(error, "StackGroupNotFound", 404, "The StackGroup (Nope) could not be found.")


def test_accounts_are_isolated_by_access_key(client: Any) -> None:
    create_group(client)
    other = make_client(access_key="1234567890123456")
    assert other.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.total_count == 0
    assert calling_account("1234567890123456") == "1234567890123456"
    assert calling_account("LTAI-a") == calling_account("LTAI-a") != calling_account("LTAI-b")
    assert len(calling_account("LTAI-a")) == 16


def test_regional_endpoint_and_unknown_action(client: Any) -> None:
    regional = make_client()
    regional._endpoint = "ros.cn-wulanchabu.aliyuncs.com"
    create_group(regional, "regional")
    response = requests.post(
        "https://ros.aliyuncs.com/?RegionId=cn-hangzhou",
        headers={"x-acs-action": "NoSuchAction", "x-acs-version": "2019-09-10"},
        timeout=5,
    )
    assert response.status_code == 404
    assert response.json()["Code"] == "InvalidAction.NotFound"
    assert response.json()["Message"] == "Specified api is not found, please check your url and method."


def test_booleans_numbers_and_json_are_checked(client: Any) -> None:
    create_group(client)
    base = "https://ros.aliyuncs.com/?RegionId=cn-hangzhou&StackGroupName=MyStackGroup"
    headers = {"x-acs-action": "DeleteStackInstances", "x-acs-version": "2019-09-10"}
    bad_bool = requests.post(
        f"{base}&RegionIds=%5B%22cn-hangzhou%22%5D&AccountIds=%5B%221%22%5D&RetainStacks=maybe",
        headers=headers,
        timeout=5,
    )
    assert (
        bad_bool.json()["Message"]
        == "The specified parameter RetainStacks is invalid, it should be a boolean (true or false)."
    )
    bad_json = requests.post(f"{base}&RegionIds=%5Bcn&RetainStacks=True", headers=headers, timeout=5)
    assert (bad_json.status_code, bad_json.json()["Code"]) == (400, "InvalidParameter")
    assert bad_json.json()["Message"] == "The specified parameter RegionIds is invalid, it is not valid JSON."
    list_headers = {"x-acs-action": "ListStackGroups", "x-acs-version": "2019-09-10"}
    bad_number = requests.post(
        "https://ros.aliyuncs.com/?RegionId=cn-hangzhou&PageSize=ten", headers=list_headers, timeout=5
    )
    assert bad_number.json()["Message"] == "The specified parameter PageSize is invalid, it should be an integer."


def test_aws_still_served_next_to_ros(client: Any) -> None:
    cf = boto3.client("cloudformation", region_name="us-east-1")
    assert cf.list_stack_sets()["Summaries"] == []
    create_group(client)


def test_state_resets_between_mocks() -> None:
    with mock_stacksets():
        create_group(make_client())
    with mock_stacksets():
        assert make_client().list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.total_count == 0
