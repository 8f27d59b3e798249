"""control.calls: the record of every request the mock served, as a test author asserts on it."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext._control.calls import Call, CallLog
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, ADMIN, REGION, TOPIC_TEMPLATE


def _rollout(cf: Any) -> str:
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
    operation_id: str = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION, "eu-west-1"],
        OperationPreferences={"FailureToleranceCount": 1, "RegionConcurrencyType": "PARALLEL"},
    )["OperationId"]
    return operation_id


def test_every_aws_call_is_recorded_with_its_parameters_status_and_error(cf: Any) -> None:
    operation_id = _rollout(cf)
    for _ in range(3):
        cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    with pytest.raises(ClientError):
        cf.describe_stack_set_operation(StackSetName="baseline", OperationId="no-such-operation")
    boto3.client("cloudformation", region_name="eu-west-1").list_stack_sets()

    calls = control.calls
    assert isinstance(calls, CallLog)
    assert [c.action for c in calls] == [
        "CreateStackSet",
        "CreateStackInstances",
        *["DescribeStackSetOperation"] * 4,
        "ListStackSets",
    ]
    create = calls.filter(action="CreateStackInstances")[0]
    assert (create.cloud, create.account, create.region, create.status, create.ok) == ("aws", ADMIN, REGION, 200, True)
    assert create.parameters["OperationPreferences"] == {
        "FailureToleranceCount": 1,
        "RegionConcurrencyType": "PARALLEL",
    }
    assert create.parameters["Accounts"] == [ACCOUNT_A, ACCOUNT_B]
    assert calls.count(action="DescribeStackSetOperation", ok=True) == 3
    failed = calls.last(ok=False)
    assert failed is not None
    assert (failed.status, failed.error_code) == (404, "OperationNotFoundException")
    assert calls.filter(region="eu-west-1")[0].action == "ListStackSets"
    assert calls.count(where=lambda c: c.parameters.get("OperationId") == operation_id) == 4
    assert calls.last(action="DeleteStackSet") is None


def test_moto_s_own_cloudformation_actions_are_recorded_too(cf: Any) -> None:
    cf.create_stack(StackName="plain", TemplateBody=TOPIC_TEMPLATE)
    assert [(c.action, c.parameters.get("StackName")) for c in control.calls] == [("CreateStack", "plain")]


def test_the_record_starts_empty_with_every_mock() -> None:
    with mock_stacksets():
        boto3.client("cloudformation", region_name=REGION).list_stack_sets()
        assert len(control.calls) == 1
    assert len(control.calls) == 0
    with mock_stacksets():
        assert len(control.calls) == 0


def test_huawei_and_alibaba_calls_are_recorded() -> None:
    from alibabacloud_ros20190910 import models as ros
    from alibabacloud_ros20190910.client import Client
    from alibabacloud_tea_openapi.models import Config
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkrfs.v1 import (
        CreateStackSetRequest,
        CreateStackSetRequestBody,
        ListStackSetsRequest,
        RfsClient,
        ShowStackSetMetadataRequest,
    )
    from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion

    with mock_stacksets():
        credentials = BasicCredentials("AK", "SK", "0123456789abcdef0123456789abcdef")
        rfs = (
            RfsClient.new_builder().with_credentials(credentials).with_region(RfsRegion.value_of("cn-north-4")).build()
        )
        body = CreateStackSetRequestBody(
            stack_set_name="net", template_body="{}", administration_agency_name="a", managed_agency_name="m"
        )
        rfs.create_stack_set(CreateStackSetRequest(client_request_id=str(uuid.uuid4()), body=body))
        rfs.list_stack_sets(ListStackSetsRequest(client_request_id=str(uuid.uuid4())))
        with pytest.raises(ClientRequestException):
            rfs.show_stack_set_metadata(
                ShowStackSetMetadataRequest(client_request_id=str(uuid.uuid4()), stack_set_name="missing")
            )
        alibaba = Client(Config(access_key_id="1234567890123456", access_key_secret="s", region_id="cn-hangzhou"))
        alibaba.create_stack_group(
            ros.CreateStackGroupRequest(
                region_id="cn-hangzhou",
                stack_group_name="Group",
                template_body='{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}}',
            )
        )
        huawei_calls = control.calls.filter(cloud="huawei", where=lambda c: c.action != "KeystoneListProjects")
        alibaba_calls = control.calls.filter(cloud="alibaba")

    create, listing, missing = huawei_calls
    assert (create.action, create.region, create.status) == ("CreateStackSet", "cn-north-4", 201)
    assert create.parameters["stack_set_name"] == "net"
    assert create.account is not None and len(create.account) == 32
    assert listing.action == "ListStackSets"
    assert (missing.action, missing.parameters["stack_set_name"], missing.ok) == (
        "ShowStackSetMetadata",
        "missing",
        False,
    )
    assert missing.error_code is not None and missing.error_code.startswith("RF.")
    (group,) = alibaba_calls
    assert (group.action, group.account, group.region, group.status) == (
        "CreateStackGroup",
        "1234567890123456",
        "cn-hangzhou",
        200,
    )
    assert group.parameters["StackGroupName"] == "Group"


def test_calls_in_server_mode_are_recorded_by_the_server(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError):
        server_cf.describe_stack_set(StackSetName="absent")
    actions = [(c.action, c.status, c.error_code) for c in control.calls if c.cloud == "aws"]
    assert actions == [("CreateStackSet", 200, None), ("DescribeStackSet", 404, "StackSetNotFoundException")]


def test_a_call_is_a_frozen_record() -> None:
    call = Call("aws", "ListStackSets", ADMIN, REGION, {}, 400, "ValidationError")
    assert not call.ok
    with pytest.raises(AttributeError):
        call.status = 200  # type: ignore[misc]


def test_the_server_serves_its_record_over_http(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    import requests

    api = f"{server.endpoint}/moto-api/stacksets/calls"
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError):
        server_cf.describe_stack_set(StackSetName="absent")

    every = requests.get(api, timeout=10).json()["calls"]
    assert [(c["cloud"], c["action"], c["status"], c["ok"]) for c in every] == [
        ("aws", "CreateStackSet", 200, True),
        ("aws", "DescribeStackSet", 404, False),
    ]
    assert every[0]["parameters"]["StackSetName"] == "served"
    assert (every[0]["account"], every[0]["region"], every[1]["error_code"]) == (
        ADMIN,
        REGION,
        "StackSetNotFoundException",
    )
    by_status = requests.get(api, params={"status": "404", "cloud": "aws", "region": REGION}, timeout=10).json()
    assert [c["action"] for c in by_status["calls"]] == ["DescribeStackSet"]
    by_code = requests.get(api, params={"error_code": "StackSetNotFoundException"}, timeout=10).json()
    assert by_code == {"calls": [every[1]]}
    assert requests.get(api, params={"ok": "true", "action": "DescribeStackSet"}, timeout=10).json() == {"calls": []}

    for bad in ({"status": "abc"}, {"status": "99"}, {"ok": "yes"}, {"cloud": "gcp"}, {"where": "x"}, {"action": ""}):
        refused = requests.get(api, params=bad, timeout=10)
        assert refused.status_code == 400, bad
        assert "error" in refused.json()

    assert requests.delete(api, timeout=10).status_code == 204
    assert requests.get(api, timeout=10).json() == {"calls": []}
    assert len(control.calls) == 0  # the server's process: the same record
