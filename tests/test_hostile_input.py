"""Hostile input gets each provider's error, never a 5xx or an answer its SDK cannot parse (issue 11).

Deep JSON, integers too long to convert, bodies that are not UTF-8, characters XML cannot carry, booleans
that are not booleans and oversized templates: in every front-end, and once in server mode each.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from moto_stacksets_ext import _jsonsafe as jsonsafe
from moto_stacksets_ext import huawei_rfs
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, REGION, TOPIC_TEMPLATE, error_of

DEEP = "[" * 5000 + "]" * 5000
HUGE = "9" * 4400
CONTROL_POSTS = (
    "outcomes",
    "clock",
    "progression",
    "settings",
    "state",
    "hook-outcomes",
    "hook-results",
    "resource-directory",
)


def signed_aws(endpoint: str, body: bytes) -> requests.Response:
    """A CloudFormation query request signed as boto3 signs it, with a body boto3 would never send."""
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    request = AWSRequest("POST", endpoint + "/", data=body, headers=headers)
    SigV4Auth(Credentials("testing", "testing"), "cloudformation", REGION).add_auth(request)
    return requests.post(endpoint + "/", data=body, headers=dict(request.headers), timeout=10)


# -- the shared decoder -----------------------------------------------------------------------------------
def test_the_decoder_refuses_with_value_errors_only() -> None:
    for raw in (DEEP, "[" * 101 + "]" * 101, b'{"a": "\xff"}', "[" + HUGE + "]", "{nope"):
        with pytest.raises(ValueError):
            jsonsafe.loads(raw)
    nested = "[" * jsonsafe.MAX_DEPTH + "]" * jsonsafe.MAX_DEPTH
    assert jsonsafe.depth(nested) == jsonsafe.MAX_DEPTH
    assert jsonsafe.loads(nested) is not None
    # brackets inside strings are text, not nesting
    assert jsonsafe.loads(json.dumps({"t": "[" * 5000, "q": '"\\[{'})) == {"t": "[" * 5000, "q": '"\\[{'}


# -- AWS --------------------------------------------------------------------------------------------------
def test_a_nul_in_a_name_is_echoed_as_parseable_xml(cf: Any) -> None:
    with pytest.raises(ClientError) as caught:
        cf.describe_stack_set(StackSetName="a\x00b")
    assert error_of(caught) == ("StackSetNotFoundException", 404)
    assert caught.value.response["Error"]["Message"] == "StackSet a\ufffdb not found"


def test_a_template_body_over_51200_bytes_is_refused(cf: Any) -> None:
    padding = " " * (51_201 - len(TOPIC_TEMPLATE))
    with pytest.raises(ClientError) as caught:
        cf.create_stack_set(StackSetName="big", TemplateBody=TOPIC_TEMPLATE + padding)
    assert error_of(caught) == ("ValidationError", 400)
    assert (
        "at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200"
        in (caught.value.response["Error"]["Message"])
    )
    assert cf.list_stack_sets()["Summaries"] == []
    cf.create_stack_set(StackSetName="big", TemplateBody=TOPIC_TEMPLATE + padding[1:])  # 51,200 bytes is fine
    with pytest.raises(ClientError) as caught:
        cf.update_stack_set(StackSetName="big", TemplateBody=TOPIC_TEMPLATE + padding + "é")
    assert error_of(caught) == ("ValidationError", 400)
    assert cf.list_stack_set_operations(StackSetName="big")["Summaries"] == []


def test_set_type_configuration_refuses_deep_json(cf: Any) -> None:
    cf.activate_type(
        Type="HOOK",
        TypeName="AWS::Hooks::LambdaHook",
        PublisherId="aws-hooks",
        TypeNameAlias="Private::Lambda::DeepHook",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/HookExecution",
    )
    for configuration in (DEEP, '{"CloudFormationConfiguration": ' + DEEP + "}"):
        with pytest.raises(ClientError) as caught:
            cf.set_type_configuration(TypeName="Private::Lambda::DeepHook", Type="HOOK", Configuration=configuration)
        assert error_of(caught) == ("CFNRegistryException", 400)


def test_aws_wire_errors_in_server_mode(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    server_cf.create_stack_set(StackSetName="kept", TemplateBody=TOPIC_TEMPLATE)
    server_cf.create_stack_instances(StackSetName="kept", Accounts=[ACCOUNT_A], Regions=[REGION])
    operations = server_cf.list_stack_set_operations(StackSetName="kept")["Summaries"]

    not_text = signed_aws(server.endpoint, b"Action=DescribeStackSet&Version=2010-05-15&StackSetName=a\xff\xfeb")
    assert not_text.status_code == 400 and "<Code>ValidationError</Code>" in not_text.text

    nul = signed_aws(server.endpoint, b"Action=DescribeStackSet&Version=2010-05-15&StackSetName=a%00b")
    text = nul.content.decode("utf-8")
    assert nul.status_code == 404 and "\x00" not in text and "StackSet a\ufffdb not found" in text

    retain = signed_aws(
        server.endpoint,
        b"Action=DeleteStackInstances&Version=2010-05-15&StackSetName=kept&Regions.member.1=us-east-1"
        b"&Accounts.member.1=" + ACCOUNT_A.encode() + b"&RetainStacks=abc&OperationId=" + str(uuid.uuid4()).encode(),
    )
    assert retain.status_code == 400 and "<Code>ValidationError</Code>" in retain.text
    assert "RetainStacks must be true or false" in retain.text
    assert server_cf.list_stack_set_operations(StackSetName="kept")["Summaries"] == operations
    assert len(server_cf.list_stack_instances(StackSetName="kept")["Summaries"]) == 1

    server_cf.delete_stack_instances(StackSetName="kept", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=True)
    big = boto3.client("cloudformation", region_name=REGION, endpoint_url=server.endpoint)
    with pytest.raises(ClientError) as caught:
        big.create_stack_set(StackSetName="big", TemplateBody="x" * 51_201)
    assert error_of(caught) == ("ValidationError", 400)


# -- the control API --------------------------------------------------------------------------------------
def test_control_api_refuses_deep_and_unreadable_json(server: ThreadedStackSetsServer) -> None:
    for path in CONTROL_POSTS:
        for body in (DEEP.encode(), b'{"times": ' + HUGE.encode() + b"}", b'{"a": "\xff\xfe"}'):
            answer = requests.post(f"{server.endpoint}/moto-api/stacksets/{path}", data=body, timeout=10)
            assert answer.status_code == 400, (path, answer.text)
            assert answer.json()["error"].startswith("the body is not JSON")


# -- Huawei RFS -------------------------------------------------------------------------------------------
def test_rfs_refuses_deep_json_and_huge_integers(server: ThreadedStackSetsServer) -> None:
    headers = {
        "Authorization": "SDK-HMAC-SHA256 Access=AK_HOSTILE, SignedHeaders=host, Signature=00",
        "X-Project-Id": huawei_rfs.project_id_for("AK_HOSTILE", "cn-north-4"),
        "Client-Request-Id": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }
    url = f"{server.endpoint}/v1/stack-sets"
    for body in (DEEP.encode(), b'{"stack_set_name": ' + HUGE.encode() + b"}", b'{"stack_set_name": "\xff"}'):
        answer = requests.post(url, headers=headers, data=body, timeout=10)
        assert (answer.status_code, answer.json()["error_code"]) == (400, "RF.10011033")
    answer = requests.get(f"{url}?limit={HUGE}", headers=headers, timeout=10)
    assert answer.status_code == 400 and answer.json()["error_code"].startswith("RF.")
    assert requests.get(url, headers=headers, timeout=10).json()["stack_sets"] == []


# -- Alibaba ROS ------------------------------------------------------------------------------------------
def test_ros_refuses_deep_json_huge_integers_and_non_utf8_forms(server: ThreadedStackSetsServer) -> None:
    base = f"{server.endpoint}/?Version=2019-09-10&RegionId=cn-hangzhou"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answers = [
        requests.post(f"{base}&Action=ListStackGroups&PageSize={HUGE}", timeout=10),
        requests.post(f"{base}&Action=ListStackGroups&Tags.{HUGE}.Key=a", timeout=10),
        requests.post(
            f"{base}&Action=CreateStackGroup&StackGroupName=deep",
            data=b"TemplateBody=" + DEEP.encode(),
            headers=form,
            timeout=10,
        ),
        requests.post(
            f"{base}&Action=CreateStackInstances&StackGroupName=deep",
            data=b"RegionIds=" + DEEP.encode() + b"&AccountIds=" + DEEP.encode(),
            headers=form,
            timeout=10,
        ),
        requests.post(
            f"{base}&Action=CreateStackGroup&StackGroupName=huge",
            data=b"TemplateBody=" + HUGE.encode(),  # YAML reads it as an integer too long to convert
            headers=form,
            timeout=10,
        ),
        requests.post(base, data=b"Action=ListStackGroups&Version=2019-09-10&X=\xff", headers=form, timeout=10),
    ]
    assert answers[1].status_code == 200  # an index no one could send is no parameter at all
    for answer in answers[:1] + answers[2:]:
        assert (answer.status_code, answer.json()["Code"]) == (400, "InvalidParameter"), answer.text[:300]
    listed = requests.post(f"{base}&Action=ListStackGroups", timeout=10).json()
    assert listed["StackGroups"] == []
