"""``mock_stacksets`` under moto's ``TEST_SERVER_MODE=true``, as a user's suite would run it against a
``moto-stacksets-server`` process: boto3, the Huawei RFS SDK and both Alibaba ROS SDKs reach the server, and
``control`` scripts the server through its HTTP control API, returning the types it returns in-process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta

import aiohttp
import boto3
import moto.settings
import pytest
import requests
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]
from alibabacloud_ros20190910.client import Client as RosClient  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.exceptions import ClientException as TeaClientException  # type: ignore[import-untyped]
from alibabacloud_tea_openapi.models import Config as RosConfig  # type: ignore[import-untyped]
from aliyunsdkcore.client import AcsClient  # type: ignore[import-untyped]
from aliyunsdkros.request.v20190910 import GetStackGroupRequest, ListStackGroupsRequest  # type: ignore[import-untyped]
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackSetRequest,
    CreateStackSetRequestBody,
    ListStackSetsRequest,
    RfsAsyncClient,
    RfsClient,
)
from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion  # type: ignore[import-untyped]

from moto_stacksets_ext import Outcome, OutcomeKind, control, mock_stacksets
from moto_stacksets_ext.calls import Call
from moto_stacksets_ext.calls import calls as this_process_calls
from moto_stacksets_ext.control import ControlArgumentError
from moto_stacksets_ext.engine.model import (
    DifferenceType,
    Operation,
    PropertyDifference,
    ResourceDriftStatus,
    TargetResult,
)
from moto_stacksets_ext.engine.outcomes import DriftedResource
from moto_stacksets_ext.forwarding import ServerUnreachableError
from moto_stacksets_ext.huawei_rfs import project_id_for
from moto_stacksets_ext.plugin import UnservedEndpointError
from moto_stacksets_ext.remote_control import RemoteControlError, ServerModeError

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, free_port, start_server_process

ROS_TEMPLATE = json.dumps({"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}})
RFS_TEMPLATE = '{"terraform": {"required_providers": {"huaweicloud": {"source": "huawei.com/provider/huaweicloud"}}}}'


#: The server checks every Huawei and Alibaba signature against these keys (strict mode), so the forwarded
#: requests must arrive exactly as the SDKs signed them (host included).
RFS_AK, RFS_SK = "AK_RFS_USER", "SK_RFS_USER"
ROS_AK, ROS_SECRET = "LTAI5tUser", "secret"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A ``moto-stacksets-server`` process, as a user runs it for TEST_SERVER_MODE, in strict signature mode."""
    process, address = start_server_process(
        environment={
            "MOTO_STACKSETS_HUAWEI_CREDENTIALS": f"{RFS_AK}:{RFS_SK}",
            "MOTO_STACKSETS_ALIBABA_CREDENTIALS": f"{ROS_AK}:{ROS_SECRET}",
        }
    )
    try:
        yield address
    finally:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture
def server_mode(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``TEST_SERVER_MODE=true`` as moto reads it (at import: its ``settings`` module) and its endpoint."""
    monkeypatch.setenv("TEST_SERVER_MODE", "true")
    monkeypatch.setattr(moto.settings, "TEST_SERVER_MODE", True)
    monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", endpoint)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return endpoint


def served_state(endpoint: str) -> str:
    return requests.get(f"{endpoint}/moto-api/stacksets/state", timeout=30).text


def test_boto3_and_control_act_on_the_server(server_mode: str) -> None:
    with mock_stacksets():
        recorded_here = len(this_process_calls)  # (a server of another test may run in this process)
        control.set_progression("manual", times=1)
        failure = control.fail(account=ACCOUNT_B, reason="quota exceeded", times=1)
        assert isinstance(failure, Outcome) and failure.kind is OutcomeKind.FAIL
        assert [o.outcome_id for o in control.outcomes] == [failure.outcome_id]

        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
        operation_id = cf.create_stack_instances(
            StackSetName="baseline",
            Accounts=[ACCOUNT_A, ACCOUNT_B],
            Regions=[REGION],
            OperationPreferences={"FailureToleranceCount": 1, "MaxConcurrentCount": 1},
        )["OperationId"]
        seen = []
        while not seen or seen[-1] == "RUNNING":
            described = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
            seen.append(described["StackSetOperation"]["Status"])
        assert seen == ["RUNNING", "SUCCEEDED"]  # a step per read

        assert control.unconsumed_outcomes() == []
        assert control.outcomes[0].consumed == 1
        operation = control.operation("baseline", operation_id)
        assert isinstance(operation, Operation) and operation.operation_id == operation_id
        results = control.results("baseline", operation_id)
        assert all(isinstance(r, TargetResult) for r in results)
        assert [(r.account, r.status.value, r.status_reason, r.batch) for r in results] == [
            (ACCOUNT_A, "SUCCEEDED", None, 1),
            (ACCOUNT_B, "FAILED", "quota exceeded", 2),
        ]

        assert all(isinstance(c, Call) for c in control.calls)
        assert control.calls.count(action="DescribeStackSetOperation") == 2
        create = control.calls.last(action="CreateStackInstances")
        assert create is not None and create.parameters["OperationPreferences"] == {
            "FailureToleranceCount": 1,
            "MaxConcurrentCount": 1,
        }
        assert [c.action for c in control.calls.filter(cloud="aws", where=lambda c: c.action.startswith("Create"))] == [
            "CreateStackSet",
            "CreateStackInstances",
        ]
        assert control.calls.filter(cloud="no-such-cloud") == []
        assert len(this_process_calls) == recorded_here  # the record is the server's

        with pytest.raises(ControlArgumentError, match="account"):
            control.fail(account="12345")  # checked here, as in-process
        with pytest.raises(KeyError):
            control.operation("baseline", "no-such-operation")
        assert control.remove_outcome(failure.outcome_id) is True
        assert control.remove_outcome(failure.outcome_id) is False
        control.calls.clear()
        assert len(control.calls) == 0
    assert "baseline" not in served_state(server_mode)  # the mock's end reset the server


def test_drift_naming_resources_crosses_to_the_server(server_mode: str) -> None:
    template = json.dumps({"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}, "Jobs": {"Type": "AWS::SQS::Queue"}}})
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="watched", TemplateBody=template)
        cf.create_stack_instances(StackSetName="watched", Accounts=[ACCOUNT_A], Regions=[REGION])
        difference = PropertyDifference("/DelaySeconds", "0", "5", DifferenceType.NOT_EQUAL)
        drift = control.drift(resources=[DriftedResource("Jobs", property_differences=(difference,))])
        assert drift.resources == (DriftedResource("Jobs", ResourceDriftStatus.MODIFIED, (difference,)),)
        assert control.outcomes[0].resources == drift.resources
        with pytest.raises(ControlArgumentError, match="MODIFIED"):
            control.drift(resources={"Jobs": "CHANGED"})  # checked here, as in-process
        operation_id = cf.detect_stack_set_drift(StackSetName="watched")["OperationId"]
        drifts = cf.list_stack_instance_resource_drifts(
            StackSetName="watched", OperationId=operation_id, StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
        )["Summaries"]
        assert [(d["LogicalResourceId"], d["StackResourceDriftStatus"]) for d in drifts] == [
            ("Alerts", "IN_SYNC"),
            ("Jobs", "MODIFIED"),
        ]
        assert drifts[1]["PropertyDifferences"][0]["ActualValue"] == "5"


def test_the_clock_and_time_progression(server_mode: str) -> None:
    with mock_stacksets():
        frozen = control.freeze_clock()
        assert control.now() == frozen
        control.set_progression("time", seconds=10)
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="timed", TemplateBody=TOPIC_TEMPLATE)
        operation_id = cf.create_stack_instances(StackSetName="timed", Accounts=[ACCOUNT_A], Regions=[REGION])[
            "OperationId"
        ]

        def status() -> str:
            found = cf.describe_stack_set_operation(StackSetName="timed", OperationId=operation_id)
            return str(found["StackSetOperation"]["Status"])

        assert status() == "RUNNING"
        assert control.advance(60) - frozen == timedelta(seconds=60)
        assert status() == "SUCCEEDED"
        control.reset_progression()
        assert (
            requests.get(f"{server_mode}/moto-api/stacksets/clock", timeout=30)
            .json()["now"]
            .startswith((frozen + timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%S"))
        )
        control.unfreeze_clock()


def test_switches_hooks_and_what_cannot_cross(server_mode: str) -> None:
    with mock_stacksets():
        control.strict_roles = True
        assert control.strict_roles is True
        assert requests.get(f"{server_mode}/moto-api/stacksets/settings", timeout=30).json() == {"strict_roles": True}

        rule = control.hook_outcome(type_name="MyCompany::Testing::MyHook", reason="no public buckets", times=1)
        assert [o.outcome_id for o in control.unconsumed_hook_outcomes()] == [rule.outcome_id]
        assert control.hook_outcomes[0].reason == "no public buckets"
        assert control.remove_hook_outcome(rule.outcome_id) is True
        assert control.remove_hook_outcome(rule.outcome_id) is False
        control.hook_outcome(target_type="STACK")
        control.clear_hook_outcomes()
        assert control.hook_outcomes == []

        result = control.record_hook_result(
            type_name="MyCompany::Testing::MyHook",
            target_type="CLOUD_CONTROL",
            target_id="request-token-1",
            status="HOOK_COMPLETE_FAILED",
            reason="Bucket must be encrypted",
            annotations=[{"AnnotationName": "encryption", "Status": "FAILED"}],
        )
        got = boto3.client("cloudformation", region_name=REGION).get_hook_result(HookResultId=result.hook_result_id)
        assert (got["Status"], got["HookStatusReason"]) == ("HOOK_COMPLETE_FAILED", "Bucket must be encrypted")
        assert result.annotations[0].annotation_name == "encryption"
        assert result.type_arn == got["TypeArn"]

        directory = control.resource_directory(account="1234567890123456")
        folder = directory.add_folder("prod")
        directory.add_account("2222222222222222", folder.folder_id)
        directory.enable_service_access()
        served = requests.get(
            f"{server_mode}/moto-api/stacksets/resource-directory", params={"account": "1234567890123456"}, timeout=30
        ).json()
        assert served["service_access_enabled"] is True
        member = {"account_id": "2222222222222222", "folder_id": folder.folder_id, "display_name": "2222222222222222"}
        assert served["accounts"] == [member]

        with pytest.raises(ServerModeError, match="hook_outcome"):
            control.hooks.handler("MyCompany::Testing::MyHook", lambda event, context: None)
        with pytest.raises(ServerModeError, match="TEST_SERVER_MODE"):
            control.hooks.lambda_function("arn:aws:lambda:us-east-1:123456789012:function:f", lambda e, c: None)
        with pytest.raises(ServerModeError, match="AWSCloudFormationStackSetAccountGate"):
            control.account_gate(lambda event, context: "SUCCEEDED", account=ACCOUNT_A)
        with pytest.raises(ServerModeError, match=r"control\.operation"):
            control.namespace()
        control.reset()
        assert control.strict_roles is False


def test_the_mock_resets_the_server_at_its_start(server_mode: str) -> None:
    outside = boto3.client("cloudformation", region_name=REGION, endpoint_url=server_mode)
    outside.create_stack_set(StackSetName="left-over", TemplateBody=TOPIC_TEMPLATE)
    requests.post(f"{server_mode}/moto-api/stacksets/outcomes", json={"account": ACCOUNT_A}, timeout=30)
    with mock_stacksets():
        assert boto3.client("cloudformation", region_name=REGION).list_stack_sets()["Summaries"] == []
        assert control.outcomes == []


def test_huawei_rfs_sdk_calls_reach_the_server(server_mode: str) -> None:
    with mock_stacksets():
        # No project id: the SDK asks IAM for the region's project first; both requests are forwarded.
        rfs = (
            RfsClient.new_builder()
            .with_credentials(BasicCredentials(RFS_AK, RFS_SK))
            .with_region(RfsRegion.value_of("cn-north-4"))
            .build()
        )
        body = CreateStackSetRequestBody(
            stack_set_name="rfs_set",
            template_body=RFS_TEMPLATE,
            administration_agency_name="rfs_admin_agency",
            managed_agency_name="rfs_managed_agency",
        )
        rfs.create_stack_set(CreateStackSetRequest(client_request_id="c0ffee00-0000-4000-8000-000000000001", body=body))
        listed = rfs.list_stack_sets(ListStackSetsRequest(client_request_id="c0ffee00-0000-4000-8000-000000000002"))
        assert [s.stack_set_name for s in listed.stack_sets] == ["rfs_set"]
        assert "rfs_set" in served_state(server_mode)
        # the async client (requests in a thread pool, not aiohttp) is forwarded the same way
        rfs_async = (
            RfsAsyncClient.new_builder()
            .with_credentials(BasicCredentials(RFS_AK, RFS_SK, project_id_for(RFS_AK, "cn-north-4")))
            .with_region(RfsRegion.value_of("cn-north-4"))
            .build()
        )
        future = rfs_async.list_stack_sets_async(ListStackSetsRequest(client_request_id=str(uuid.uuid4())))
        assert [s.stack_set_name for s in future.result().stack_sets] == ["rfs_set"]
        assert [c.action for c in control.calls.filter(cloud="huawei")] == [
            "KeystoneListProjects",
            "CreateStackSet",
            "ListStackSets",
            "ListStackSets",
        ]
        assert control.calls.last(cloud="huawei").region == "cn-north-4"  # type: ignore[union-attr]


def test_alibaba_ros_sdks_calls_reach_the_server(server_mode: str) -> None:
    with mock_stacksets():
        tea = RosClient(RosConfig(access_key_id=ROS_AK, access_key_secret=ROS_SECRET, region_id="cn-hangzhou"))
        created = tea.create_stack_group(
            ros.CreateStackGroupRequest(region_id="cn-hangzhou", stack_group_name="group", template_body=ROS_TEMPLATE)
        )
        group_id = created.body.stack_group_id
        v2 = RosClient(
            RosConfig(
                access_key_id=ROS_AK,
                access_key_secret=ROS_SECRET,
                region_id="cn-hangzhou",
                signature_algorithm="v2",
            )
        )
        got = v2.get_stack_group(ros.GetStackGroupRequest(region_id="cn-hangzhou", stack_group_name="group"))
        assert got.body.stack_group.stack_group_id == group_id

        core = AcsClient(ROS_AK, ROS_SECRET, "cn-hangzhou", auto_retry=False)
        listing = ListStackGroupsRequest.ListStackGroupsRequest()
        listing.set_method("GET")
        assert [g["StackGroupId"] for g in json.loads(core.do_action_with_exception(listing))["StackGroups"]] == [
            group_id
        ]
        missing = GetStackGroupRequest.GetStackGroupRequest()
        missing.set_StackGroupName("no-such-group")
        status, _, answer = core.get_response(missing)
        assert (status, json.loads(answer)["Code"]) == (404, "StackGroupNotFound")

        assert [c.action for c in control.calls.filter(cloud="alibaba")] == [
            "CreateStackGroup",
            "GetStackGroup",
            "ListStackGroups",
            "GetStackGroup",
        ]
        with pytest.raises(UnservedEndpointError, match="does not serve"):
            requests.get("https://ecs.aliyuncs.com/?Action=DescribeInstances", timeout=5)
    assert "group" not in served_state(server_mode)


def test_alibaba_ros_async_calls_reach_the_server(server_mode: str) -> None:
    async def scenario() -> None:
        tea = RosClient(RosConfig(access_key_id=ROS_AK, access_key_secret=ROS_SECRET, region_id="cn-hangzhou"))
        created = await tea.create_stack_group_async(
            ros.CreateStackGroupRequest(region_id="cn-hangzhou", stack_group_name="async", template_body=ROS_TEMPLATE)
        )
        v2 = RosClient(
            RosConfig(
                access_key_id=ROS_AK, access_key_secret=ROS_SECRET, region_id="cn-hangzhou", signature_algorithm="v2"
            )
        )
        got = await v2.get_stack_group_async(
            ros.GetStackGroupRequest(region_id="cn-hangzhou", stack_group_name="async")
        )
        assert got.body.stack_group.stack_group_id == created.body.stack_group_id
        try:
            await tea.get_stack_group_async(ros.GetStackGroupRequest(region_id="cn-hangzhou", stack_group_name="nope"))
        except TeaClientException as error:
            assert (error.status_code, error.code) == (404, "StackGroupNotFound")
        else:
            raise AssertionError("expected StackGroupNotFound")
        forged = RosClient(RosConfig(access_key_id=ROS_AK, access_key_secret="not-the-secret", region_id="cn-hangzhou"))
        try:
            await forged.list_stack_groups_async(ros.ListStackGroupsRequest(region_id="cn-hangzhou"))
        except TeaClientException as error:  # the server verified the signature over the original host
            assert (error.status_code, error.code) == (400, "SignatureDoesNotMatch")
        else:
            raise AssertionError("expected SignatureDoesNotMatch")
        async with aiohttp.ClientSession() as session:
            with pytest.raises(UnservedEndpointError, match="does not serve"):
                await session.get("https://ecs.aliyuncs.com/?Action=DescribeInstances")
            async with session.get(f"{server_mode}/moto-api/stacksets/calls") as response:  # not a cloud host
                assert response.status == 200

    with mock_stacksets():
        recorded_here = len(this_process_calls)
        asyncio.run(scenario())
        assert "async" in served_state(server_mode)
        assert [(c.action, c.status) for c in control.calls.filter(cloud="alibaba")] == [
            ("CreateStackGroup", 200),
            ("GetStackGroup", 200),
            ("GetStackGroup", 404),
            ("ListStackGroups", 400),
        ]
        assert len(this_process_calls) == recorded_here  # the record is the server's


def test_signatures_are_verified_by_the_server(server_mode: str) -> None:
    with mock_stacksets():
        forged = RosClient(RosConfig(access_key_id=ROS_AK, access_key_secret="not-the-secret", region_id="cn-hangzhou"))
        with pytest.raises(TeaClientException) as refused:
            forged.list_stack_groups(ros.ListStackGroupsRequest(region_id="cn-hangzhou"))
        assert (refused.value.status_code, refused.value.code) == (400, "SignatureDoesNotMatch")
        rfs = (
            RfsClient.new_builder()
            .with_credentials(BasicCredentials(RFS_AK, "not-the-sk", project_id_for(RFS_AK, "cn-north-4")))
            .with_region(RfsRegion.value_of("cn-north-4"))
            .build()
        )
        with pytest.raises(ClientRequestException) as unauthorised:
            rfs.list_stack_sets(ListStackSetsRequest(client_request_id="c0ffee00-0000-4000-8000-000000000003"))
        assert unauthorised.value.status_code == 401
        assert [c.status for c in control.calls] == [400, 401]  # both reached the server, which refused them


def test_a_server_that_is_not_running_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setattr(moto.settings, "TEST_SERVER_MODE", True)
    monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", nowhere)
    monkeypatch.setenv("MOTO_CALL_RESET_API", "false")  # moto's own reset at start would fail first
    with mock_stacksets():
        with pytest.raises(RemoteControlError, match="is moto-stacksets-server running there"):
            control.fail(account=ACCOUNT_A)
        tea = RosClient(RosConfig(access_key_id=ROS_AK, access_key_secret=ROS_SECRET, region_id="cn-hangzhou"))
        with pytest.raises(Exception, match="is moto-stacksets-server running there") as caught:
            tea.list_stack_groups(ros.ListStackGroupsRequest(region_id="cn-hangzhou"))
        assert nowhere in str(caught.value)  # the SDK wraps the ConnectionError, keeping its message
        with pytest.raises(Exception, match="is moto-stacksets-server running there") as caught:
            asyncio.run(tea.list_stack_groups_async(ros.ListStackGroupsRequest(region_id="cn-hangzhou")))
        assert nowhere in str(caught.value)

        async def raw() -> None:
            async with aiohttp.ClientSession() as session:
                await session.get("https://ros.aliyuncs.com/?Action=ListStackGroups&Version=2019-09-10")

        with pytest.raises(ServerUnreachableError, match=nowhere):  # aiohttp callers get the forwarder's error
            asyncio.run(raw())


def test_outside_the_mock_control_acts_on_this_process(server_mode: str) -> None:
    served = requests.post(f"{server_mode}/moto-api/stacksets/outcomes", json={"account": ACCOUNT_A}, timeout=30)
    assert served.json()["outcome_id"] not in [o.outcome_id for o in control.outcomes]  # nothing is forwarded
    requests.post(f"{server_mode}/moto-api/stacksets/reset", timeout=30)
