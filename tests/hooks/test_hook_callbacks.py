"""IN_PROGRESS Hooks in stack-set operations: called back by the operation's progression, step by step."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from cloudformation_cli_python_lib import (
    HandlerErrorCode,
    Hook,
    HookInvocationPoint,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.interface import BaseModel

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_B, ADMIN, REGION, client_in

ALIAS = "Private::Lambda::Slow"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT_B}:function:slow-hook"
LIBRARY_TYPE = "MyCompany::Testing::SlowCheck"
TEMPLATE = json.dumps(
    {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "team-data"}},
        }
    }
)


def configure(cf: Any, type_arn: str, properties: dict[str, Any] | None = None, mode: str = "FAIL") -> None:
    hook_configuration = {
        "HookInvocationStatus": "ENABLED",
        "FailureMode": mode,
        "TargetOperations": ["RESOURCE"],
        "Properties": properties or {},
    }
    cf.set_type_configuration(
        TypeArn=type_arn,
        Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook_configuration}}),
    )


def lambda_hook(cf: Any, answers: Any) -> list[dict[str, Any]]:
    """A Lambda Hook in ``cf``'s account whose function answers ``answers(event)``; returns the requests it got."""
    seen: list[dict[str, Any]] = []

    def function(event: dict[str, Any], context: Any) -> Any:
        seen.append(event)
        return answers(event)

    control.hooks.lambda_function(FUNCTION, function)
    arn = cf.activate_type(
        Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=ALIAS
    )["Arn"]
    configure(cf, arn, {"LambdaFunction": FUNCTION})
    return seen


def slow_on_buckets(rounds: int, delay: int = 0) -> Any:
    """Buckets: IN_PROGRESS ``rounds`` times (counting in the callback context), then SUCCESS; others: SUCCESS."""

    def answer(event: dict[str, Any]) -> dict[str, Any]:
        if event["requestData"]["targetType"] != "AWS::S3::Bucket":
            return {"hookStatus": "SUCCESS", "message": "not a bucket"}
        done = (event["requestContext"]["callbackContext"] or {}).get("round", 0)
        if done < rounds:
            return {"hookStatus": "IN_PROGRESS", "callbackContext": {"round": done + 1}, "callbackDelaySeconds": delay}
        return {"hookStatus": "SUCCESS", "message": f"checked after {done} call-backs"}

    return answer


def bucket_calls(seen: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    return [
        (e["requestContext"]["invocation"], e["requestContext"]["callbackContext"])
        for e in seen
        if e["requestData"]["targetType"] == "AWS::S3::Bucket"
    ]


def deploy_to_b(cf: Any, **extra: Any) -> str:
    cf.create_stack_set(StackSetName="slow", TemplateBody=TEMPLATE)
    return str(
        cf.create_stack_instances(StackSetName="slow", Accounts=[ACCOUNT_B], Regions=[REGION], **extra)["OperationId"]
    )


def operation(cf: Any, operation_id: str) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_set_operation(StackSetName="slow", OperationId=operation_id)[
        "StackSetOperation"
    ]
    return found


def instance_in_b(cf: Any) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_instance(
        StackSetName="slow", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )["StackInstance"]
    return found


def test_manual_progression_calls_the_hook_back_once_per_step(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    seen = lambda_hook(in_b, slow_on_buckets(rounds=2, delay=3600))
    control.set_progression("manual", times=1)
    operation_id = deploy_to_b(cf)
    assert seen == []  # the target is in flight; the first step deploys it
    for step in (1, 2):
        assert operation(cf, operation_id)["Status"] == "RUNNING"  # this read is one step
        assert len(bucket_calls(seen)) == step  # one call per step: callbackDelaySeconds does not count here
        assert instance_in_b(cf)["StackInstanceStatus"] == {"DetailedStatus": "RUNNING"}
        assert in_b.list_stacks()["StackSummaries"] == []  # nothing is provisioned while a Hook is in progress
        assert "HookResults" not in in_b.list_hook_results() or in_b.list_hook_results()["HookResults"] == []
    assert operation(cf, operation_id)["Status"] == "SUCCEEDED"
    assert bucket_calls(seen) == [(1, None), (2, {"round": 1}), (3, {"round": 2})]
    assert len({e["clientRequestToken"] for e in seen if e["requestData"]["targetType"] == "AWS::S3::Bucket"}) == 1
    # The topic's Hook answered SUCCESS at the first call and was not called again.
    assert [e["requestData"]["targetLogicalId"] for e in seen].count("Topic") == 1
    assert instance_in_b(cf)["StackInstanceStatus"] == {"DetailedStatus": "SUCCEEDED"}
    (stack,) = in_b.list_stacks()["StackSummaries"]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    results = {r["TargetId"]: r for r in in_b.list_hook_results()["HookResults"]}
    assert results["Data"]["HookStatusReason"] == "checked after 2 call-backs"
    assert results["Topic"]["HookStatusReason"] == "not a bucket"


def test_time_progression_waits_the_callback_delay_on_the_engine_clock(cf: Any) -> None:
    seen = lambda_hook(client_in(ACCOUNT_B), slow_on_buckets(rounds=1, delay=45))
    start = control.freeze_clock()
    control.set_progression("time", seconds=10)
    operation_id = deploy_to_b(cf)
    control.advance(10)  # the step at 10 deploys: the Hook answers IN_PROGRESS, to be called back at 55
    assert bucket_calls(seen) == [(1, None)]
    control.advance(40)  # steps at 20, 30, 40, 50: not yet
    assert operation(cf, operation_id)["Status"] == "RUNNING"
    assert bucket_calls(seen) == [(1, None)]
    control.advance(10)  # the step at 60 calls it back
    ended = operation(cf, operation_id)
    assert bucket_calls(seen) == [(1, None), (2, {"round": 1})]
    assert ended["Status"] == "SUCCEEDED"
    assert (ended["EndTimestamp"] - start).total_seconds() == 60


def test_immediate_progression_calls_back_at_once(cf: Any) -> None:
    seen = lambda_hook(client_in(ACCOUNT_B), slow_on_buckets(rounds=2, delay=3600))
    operation_id = deploy_to_b(cf)
    assert operation(cf, operation_id)["Status"] == "SUCCEEDED"
    assert bucket_calls(seen) == [(1, None), (2, {"round": 1}), (3, {"round": 2})]


def test_a_fourth_in_progress_fails_the_hook_across_steps(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    seen = lambda_hook(in_b, slow_on_buckets(rounds=10))
    control.set_progression("manual", times=1)
    operation_id = deploy_to_b(cf)
    statuses = [operation(cf, operation_id)["Status"] for _ in range(4)]
    assert statuses == ["RUNNING", "RUNNING", "RUNNING", "FAILED"]
    assert [invocation for invocation, _ in bucket_calls(seen)] == [1, 2, 3, 4]
    (row,) = cf.list_stack_set_operation_results(StackSetName="slow", OperationId=operation_id)["Summaries"]
    assert (row["Status"], row["StatusReason"]) == ("FAILED", f"The following hook(s) failed: [{ALIAS}]")
    failed = next(r for r in in_b.list_hook_results()["HookResults"] if r["TargetId"] == "Data")
    assert (failed["Status"], failed["HookStatusReason"]) == (
        "HOOK_FAILED",
        "Hook answered IN_PROGRESS more than 3 times without a result",
    )


class _NoConfiguration(BaseModel):
    @classmethod
    def _deserialize(cls, json_data: Any) -> None:
        return None


def library_hook(in_b: Any, second_answer: Any) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """A library Hook registered in account B: buckets get IN_PROGRESS first, then ``second_answer()``.
    Returns the (token, callback context) of each call and the type ARN."""
    hook = Hook(LIBRARY_TYPE, _NoConfiguration)
    seen: list[tuple[str, dict[str, Any]]] = []

    @hook.handler(HookInvocationPoint.CREATE_PRE_PROVISION)
    def pre_create(session: Any, request: Any, callback_context: Any, type_configuration: Any) -> ProgressEvent:
        seen.append((request.clientRequestToken, dict(callback_context)))
        if request.hookContext.targetName != "AWS::S3::Bucket":
            return ProgressEvent(status=OperationStatus.SUCCESS)
        if not callback_context:
            return ProgressEvent(
                status=OperationStatus.IN_PROGRESS, callbackContext={"asked": "security"}, callbackDelaySeconds=5
            )
        answer: ProgressEvent = second_answer()
        return answer

    control.hooks.handler(LIBRARY_TYPE, hook)
    token = in_b.register_type(Type="HOOK", TypeName=LIBRARY_TYPE, SchemaHandlerPackage="s3://artifacts/hook.zip")[
        "RegistrationToken"
    ]
    in_b.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    type_arn = str(in_b.describe_type_registration(RegistrationToken=token)["TypeArn"])
    configure(in_b, type_arn)
    return seen, type_arn


def test_a_library_hook_that_fails_after_in_progress_fails_the_instance(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    seen, type_arn = library_hook(
        in_b, lambda: ProgressEvent.failed(HandlerErrorCode.NonCompliant, "security said no to team-data")
    )
    control.set_progression("manual", times=1)
    operation_id = deploy_to_b(cf)
    assert operation(cf, operation_id)["Status"] == "RUNNING"
    assert operation(cf, operation_id)["Status"] == "FAILED"
    assert [context for _, context in seen] == [{}, {}, {"asked": "security"}]  # topic, bucket, bucket again
    assert seen[0][0] != seen[1][0] == seen[2][0]  # called back with the same clientRequestToken
    instance = instance_in_b(cf)
    assert instance["StackInstanceStatus"] == {"DetailedStatus": "FAILED"}
    assert instance["StatusReason"] == f"The following hook(s) failed: [{LIBRARY_TYPE}]"
    (why,) = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert why["HookStatusReason"] == "security said no to team-data"


def test_a_handler_raising_when_called_back_fails_the_hook(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)

    def explode() -> ProgressEvent:
        raise LookupError("the security team's API is gone")

    _, type_arn = library_hook(in_b, explode)
    control.set_progression("manual", times=1)
    operation_id = deploy_to_b(cf)
    assert [operation(cf, operation_id)["Status"] for _ in range(2)] == ["RUNNING", "FAILED"]
    (why,) = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_FAILED")["HookResults"]
    assert why["HookStatusReason"] == "InternalFailure: the handler raised LookupError: the security team's API is gone"


def test_a_stop_lets_the_pending_hook_finish(cf: Any) -> None:
    seen = lambda_hook(client_in(ACCOUNT_B), slow_on_buckets(rounds=2))
    control.set_progression("manual", times=1)
    operation_id = deploy_to_b(cf)
    assert operation(cf, operation_id)["Status"] == "RUNNING"  # the Hook answered IN_PROGRESS
    cf.stop_stack_set_operation(StackSetName="slow", OperationId=operation_id)
    assert [operation(cf, operation_id)["Status"] for _ in range(2)] == ["STOPPING", "STOPPED"]
    assert [invocation for invocation, _ in bucket_calls(seen)] == [1, 2, 3]
    (row,) = cf.list_stack_set_operation_results(StackSetName="slow", OperationId=operation_id)["Summaries"]
    assert row["Status"] == "SUCCEEDED"


def test_updates_and_deletes_of_instances_wait_for_the_hook_too(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)

    def answer(event: dict[str, Any]) -> dict[str, Any]:
        first_call = event["requestContext"]["invocation"] == 1
        if event["actionInvocationPoint"] != "CREATE_PRE_PROVISION" and first_call:
            return {"hookStatus": "IN_PROGRESS", "callbackContext": {"action": event["actionInvocationPoint"]}}
        return {"hookStatus": "SUCCESS"}

    seen = lambda_hook(in_b, answer)
    deploy_to_b(cf)  # immediate: created at once
    (stack,) = in_b.list_stacks()["StackSummaries"]
    control.set_progression("manual", times=1)
    changed = json.loads(TEMPLATE)
    changed["Resources"]["Data"]["Properties"]["Tags"] = [{"Key": "team", "Value": "data"}]
    update_id = cf.update_stack_set(StackSetName="slow", TemplateBody=json.dumps(changed))["OperationId"]
    assert operation(cf, update_id)["Status"] == "RUNNING"
    assert in_b.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    assert operation(cf, update_id)["Status"] == "SUCCEEDED"
    assert in_b.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"

    delete_id = cf.delete_stack_instances(
        StackSetName="slow", Accounts=[ACCOUNT_B], Regions=[REGION], RetainStacks=False
    )["OperationId"]
    # Resources' Hooks run one resource after the other: the topic's Hook waits a step, then the bucket's.
    for _ in range(2):
        assert operation(cf, delete_id)["Status"] == "RUNNING"
        assert instance_in_b(cf)["StackInstanceStatus"] == {"DetailedStatus": "RUNNING"}
        assert in_b.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert operation(cf, delete_id)["Status"] == "SUCCEEDED"
    assert in_b.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    called_back = [
        (e["requestData"]["targetLogicalId"], e["requestContext"]["callbackContext"])
        for e in seen
        if e["requestContext"]["invocation"] == 2
    ]
    assert called_back == [
        ("Data", {"action": "UPDATE_PRE_PROVISION"}),  # only the bucket changed
        ("Topic", {"action": "DELETE_PRE_PROVISION"}),
        ("Data", {"action": "DELETE_PRE_PROVISION"}),
    ]


def test_plain_stacks_still_call_back_at_once(cf: Any) -> None:
    seen = lambda_hook(cf, slow_on_buckets(rounds=2, delay=3600))
    control.set_progression("manual", times=1)  # paces stack-set operations only
    cf.create_stack(StackName="plain", TemplateBody=TEMPLATE)
    assert cf.describe_stacks(StackName="plain")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    assert bucket_calls(seen) == [(1, None), (2, {"round": 1}), (3, {"round": 2})]


@pytest.mark.parametrize("delay", [-1, "soon", 1e400])
def test_a_delay_that_is_not_a_number_of_seconds_waits_for_nothing(cf: Any, delay: Any) -> None:
    def answer(event: dict[str, Any]) -> dict[str, Any]:
        if event["requestData"]["targetType"] == "AWS::S3::Bucket" and event["requestContext"]["invocation"] == 1:
            return {"hookStatus": "IN_PROGRESS", "callbackContext": {}, "callbackDelaySeconds": delay}
        return {"hookStatus": "SUCCESS"}

    lambda_hook(client_in(ACCOUNT_B), answer)
    control.freeze_clock()
    control.set_progression("time", seconds=10)
    operation_id = deploy_to_b(cf)
    control.advance(20)
    assert operation(cf, operation_id)["Status"] == "SUCCEEDED"


def test_callbacks_step_by_step_in_server_mode(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    def api(path: str, body: Any) -> Any:
        return requests.post(f"{server.endpoint}/moto-api/stacksets{path}", json=body, timeout=10).json()

    seen = lambda_hook(server_cf, slow_on_buckets(rounds=1, delay=30))
    api("/progression", {"progression": "time", "seconds": 10})
    try:
        api("/clock", {"freeze": True})
        server_cf.create_stack_set(StackSetName="slow", TemplateBody=TEMPLATE)
        operation_id = server_cf.create_stack_instances(StackSetName="slow", Accounts=[ADMIN], Regions=[REGION])[
            "OperationId"
        ]
        api("/clock", {"advance": 20})  # deployed at 10: called back at 40 or later
        assert operation(server_cf, operation_id)["Status"] == "RUNNING"
        assert bucket_calls(seen) == [(1, None)]
        # The live view says why it is still RUNNING.
        view = requests.get(f"{server.endpoint}/moto-api/stacksets/view/state", timeout=10).json()
        (shown,) = view["namespaces"][0]["stack_sets"][0]["operations"]
        (waiting,) = shown["pace"]["waiting"]
        assert (waiting["account"], waiting["region"]) == (ADMIN, REGION)
        assert waiting["reason"] == (
            f"Waiting for hook(s) [{ALIAS}]: IN_PROGRESS at invocation 1, callbackDelaySeconds 30"
        )
        api("/clock", {"advance": 20})
        assert operation(server_cf, operation_id)["Status"] == "SUCCEEDED"
        assert bucket_calls(seen) == [(1, None), (2, {"round": 1})]
    finally:
        api("/progression", {"progression": "immediate"})
