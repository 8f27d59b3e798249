"""DescribeEvents: the events of a stack's operations (resource, stack and Hook events), by stack, change set or
operation id, with FailedEvents and pagination; in-process, in server mode, and through the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_B, REGION, client_in, error_of

ALIAS = "Private::Lambda::Compliance"
TEMPLATE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}, "Queue": {"Type": "AWS::SQS::Queue"}}})
HOOK_FIELDS = ("HookType", "HookStatus", "HookStatusReason", "HookInvocationPoint", "HookFailureMode")


def enable(cf: Any, operations: tuple[str, ...] = ("RESOURCE",), mode: str = "FAIL") -> None:
    arn = cf.activate_type(
        Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=ALIAS
    )["Arn"]
    hook = {"HookInvocationStatus": "ENABLED", "FailureMode": mode, "TargetOperations": list(operations)}
    cf.set_type_configuration(
        TypeArn=arn, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook}})
    )


def all_events(cf: Any, **query: Any) -> list[dict[str, Any]]:
    pages = cf.get_paginator("describe_events").paginate(**query)
    return [event for page in pages for event in page["OperationEvents"]]


def test_events_explain_a_hook_failure(cf: Any) -> None:
    enable(cf)
    control.hook_outcome(type_name=ALIAS, target_name="Queue", reason="queues must be encrypted")
    stack_id = cf.create_stack(StackName="app", TemplateBody=TEMPLATE)["StackId"]
    events = all_events(cf, StackName="app")
    # newest first, grouped by the operations that produced them
    assert [(e["OperationType"], e["OperationStatus"]) for e in events] == [("ROLLBACK", "SUCCEEDED")] * 2 + [
        ("CREATE_STACK", "FAILED")
    ] * 5
    assert len({e["OperationId"] for e in events if e["OperationType"] == "CREATE_STACK"}) == 1
    assert all(e["StackId"] == stack_id for e in events)
    (hook_error,) = [e for e in events if e["EventType"] == "HOOK_INVOCATION_ERROR"]
    assert {k: hook_error[k] for k in HOOK_FIELDS} == {
        "HookType": ALIAS,
        "HookStatus": "HOOK_COMPLETE_FAILED",
        "HookStatusReason": "Hook failed with message: queues must be encrypted",
        "HookInvocationPoint": "PRE_PROVISION",
        "HookFailureMode": "FAIL",
    }
    assert (hook_error["LogicalResourceId"], hook_error["ResourceType"]) == ("Queue", "AWS::SQS::Queue")
    (provisioning,) = [e for e in events if e["EventType"] == "PROVISIONING_ERROR"]
    assert (provisioning["ResourceStatus"], provisioning["ResourceStatusReason"]) == (
        "CREATE_FAILED",
        f"The following hook(s) failed: [{ALIAS}]",
    )
    started = events[-1]
    assert (started["EventType"], started["ResourceStatus"], started["ResourceStatusReason"]) == (
        "STACK_EVENT",
        "CREATE_IN_PROGRESS",
        "User Initiated",
    )
    assert started["StartTime"] == started["Timestamp"]
    assert "EndTime" in events[0] and events[0]["ResourceStatus"] == "ROLLBACK_COMPLETE"
    assert not any(key.startswith("Validation") for e in events for key in e)

    failed = all_events(cf, StackName=stack_id, Filters={"FailedEvents": True})
    assert [e["EventType"] for e in failed] == ["PROVISIONING_ERROR", "HOOK_INVOCATION_ERROR"]


def test_by_operation_id_and_the_operations_of_a_stack(cf: Any) -> None:
    stack_id = cf.create_stack(StackName="app", TemplateBody=TEMPLATE)["StackId"]
    cf.update_stack(StackName="app", TemplateBody=TEMPLATE.replace('"Queue"', '"Queue2"'))
    cf.delete_stack(StackName="app")
    events = all_events(cf, StackName=stack_id)
    kinds = list(dict.fromkeys((e["OperationType"], e["OperationId"]) for e in events))
    assert [k for k, _ in kinds] == ["DELETE_STACK", "UPDATE_STACK", "CREATE_STACK"]
    assert {e["OperationStatus"] for e in events} == {"SUCCEEDED"}
    update_id = kinds[1][1]
    only = all_events(cf, OperationId=update_id)
    assert [e["ResourceStatus"] for e in only] == ["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS"]
    assert all_events(cf, StackName=stack_id, OperationId=update_id) == only
    assert cf.describe_events(OperationId="no-such-operation")["OperationEvents"] == []
    # the operation ids are stable across reads
    assert all_events(cf, StackName=stack_id) == events


def test_a_change_set_a_hook_failed(cf: Any) -> None:
    enable(cf, ("CHANGE_SET",))
    control.hook_outcome(type_name=ALIAS, reason="change sets need a ticket", times=1)
    change_set_id = cf.create_change_set(StackName="app", ChangeSetName="cs1", TemplateBody=TEMPLATE)["Id"]
    (event,) = all_events(cf, ChangeSetName="cs1", StackName="app")
    assert (event["OperationType"], event["OperationStatus"], event["EventType"]) == (
        "CREATE_CHANGESET",
        "FAILED",
        "HOOK_INVOCATION_ERROR",
    )
    assert event["HookStatusReason"] == "Hook failed with message: change sets need a ticket"
    assert event["PhysicalResourceId"] == change_set_id
    assert all_events(cf, ChangeSetName=change_set_id) == [event]
    assert all_events(cf, StackName="app") == [event]  # the stack is only in review: no other operation
    assert all_events(cf, OperationId=event["OperationId"]) == [event]


def test_refusals(cf: Any) -> None:
    cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    cases = [
        ({}, ("ValidationError", 400), "One of ChangeSetName, OperationId or StackName must be specified"),
        ({"StackName": "nope"}, ("ValidationError", 400), "Stack [nope] does not exist"),
        ({"ChangeSetName": "nope", "StackName": "app"}, ("ChangeSetNotFound", 404), "ChangeSet [nope] does not exist"),
        ({"StackName": "app", "NextToken": "forged"}, ("ValidationError", 400), "pagination token is invalid"),
        ({"StackName": "1bad"}, ("ValidationError", 400), "at 'stackName' failed to satisfy constraint"),
    ]
    for query, error, message in cases:
        with pytest.raises(ClientError) as excinfo:
            cf.describe_events(**query)
        assert error_of(excinfo) == error, query
        assert message in excinfo.value.response["Error"]["Message"]


def test_pages_of_one_hundred(cf: Any) -> None:
    enable(cf)
    resources = {f"Topic{n}": {"Type": "AWS::SNS::Topic"} for n in range(60)}
    cf.create_stack(StackName="big", TemplateBody=json.dumps({"Resources": resources}))
    first = cf.describe_events(StackName="big")
    assert len(first["OperationEvents"]) == 100 and "NextToken" in first
    second = cf.describe_events(StackName="big", NextToken=first["NextToken"])
    events = first["OperationEvents"] + second["OperationEvents"]
    assert "NextToken" not in second
    assert len(events) == 2 + 60 * 2  # the stack's start and end, each Topic's Hook and "initiated" events
    assert len({e["EventId"] for e in events}) == len(events)
    with pytest.raises(ClientError) as excinfo:
        cf.describe_events(StackName="big", Filters={"FailedEvents": True}, NextToken=first["NextToken"])
    assert error_of(excinfo) == ("ValidationError", 400)


def test_the_stack_a_stack_set_instance_deployed(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    enable(in_b)
    control.hook_outcome(type_name=ALIAS, account=ACCOUNT_B, target_name="Topic", reason="no topics in B")
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE)
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_B], Regions=[REGION])
    (deleted,) = in_b.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    events = all_events(in_b, StackName=deleted["StackId"])
    assert [e["OperationType"] for e in events][:1] == ["DELETE_STACK"]
    (hook_error,) = [e for e in events if e["EventType"] == "HOOK_INVOCATION_ERROR"]
    assert (hook_error["HookType"], hook_error["LogicalResourceId"]) == (ALIAS, "Topic")
    assert hook_error["HookStatusReason"] == "Hook failed with message: no topics in B"


def test_in_server_mode_with_boto3_and_the_aws_cli(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    enable(server_cf)
    import requests

    requests.post(
        f"{server.endpoint}/moto-api/stacksets/hook-outcomes",
        json={"type_name": ALIAS, "target_name": "Queue", "reason": "served"},
        timeout=10,
    )
    server_cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    failed = all_events(server_cf, StackName="app", Filters={"FailedEvents": True})
    assert [e["EventType"] for e in failed] == ["PROVISIONING_ERROR", "HOOK_INVOCATION_ERROR"]
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "cloudformation",
            "describe-events",
            "--stack-name",
            "app",
            "--filters",
            "FailedEvents=true",
            "--endpoint-url",
            server.endpoint,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["OperationEvents"]
    assert [e["EventType"] for e in listed] == ["PROVISIONING_ERROR", "HOOK_INVOCATION_ERROR"]
    assert listed[1]["HookStatusReason"] == "Hook failed with message: served"
