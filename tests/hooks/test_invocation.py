"""Hooks invoked for real: change sets, stacks and their resources, stack-set instances in other accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, WaiterError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, client_in, error_of

ALIAS = "Private::Lambda::MyTestHook"
BUCKETS = json.dumps(
    {
        "Resources": {
            "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "hook-logs"}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }
    }
)


def enable(cf: Any, alias: str = ALIAS, **hook: Any) -> str:
    arn = str(
        cf.activate_type(Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=alias)[
            "Arn"
        ]
    )
    configuration = {"HookInvocationStatus": "ENABLED", "FailureMode": "FAIL", **hook}
    cf.set_type_configuration(
        TypeArn=arn, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": configuration}})
    )
    return arn


def test_a_failing_hook_fails_the_change_set(cf: Any) -> None:
    type_arn = enable(cf, TargetOperations=["CHANGE_SET"])
    control.hook_outcome(
        type_name=ALIAS,
        reason="Bucket hook-logs is not encrypted",
        annotations=[{"AnnotationName": "Encryption", "Status": "FAILED", "SeverityLevel": "HIGH"}],
    )
    change_set_id = cf.create_change_set(
        StackName="app", ChangeSetName="cs1", TemplateBody=BUCKETS, ChangeSetType="CREATE"
    )["Id"]
    described = cf.describe_change_set(ChangeSetName=change_set_id)
    assert (described["Status"], described["ExecutionStatus"]) == ("FAILED", "UNAVAILABLE")
    assert described["StatusReason"] == f"Change set creation failed. The following hook(s) failed: [{ALIAS}]"
    with pytest.raises(WaiterError):
        cf.get_waiter("change_set_create_complete").wait(
            ChangeSetName=change_set_id, WaiterConfig={"Delay": 0, "MaxAttempts": 1}
        )
    listed = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=change_set_id)
    (result,) = listed["HookResults"]
    assert (result["TypeName"], result["Status"], result["FailureMode"]) == (ALIAS, "HOOK_COMPLETE_FAILED", "FAIL")
    assert result["HookStatusReason"] == "Bucket hook-logs is not encrypted"
    assert (result["TypeArn"], result["TargetId"]) == (type_arn, change_set_id)
    full = cf.get_hook_result(HookResultId=result["HookResultId"])
    assert full["OriginalTypeName"] == "AWS::Hooks::LambdaHook"
    assert full["Annotations"] == [{"AnnotationName": "Encryption", "Status": "FAILED", "SeverityLevel": "HIGH"}]
    (unfiltered,) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert unfiltered["HookExecutionTarget"] == described["StackId"]


def test_a_warn_hook_is_recorded_and_never_blocks(cf: Any) -> None:
    enable(cf, TargetOperations=["CHANGE_SET"], FailureMode="WARN")
    control.hook_outcome(type_name=ALIAS, status="HOOK_FAILED", reason="Lambda timed out")
    change_set_id = cf.create_change_set(
        StackName="app", ChangeSetName="cs1", TemplateBody=BUCKETS, ChangeSetType="CREATE"
    )["Id"]
    assert cf.describe_change_set(ChangeSetName=change_set_id)["Status"] == "CREATE_COMPLETE"
    (result,) = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=change_set_id)["HookResults"]
    assert (result["Status"], result["FailureMode"]) == ("HOOK_FAILED", "WARN")


def test_a_warn_resource_hook_reason_says_the_failure_was_ignored(cf: Any) -> None:
    enable(cf, TargetOperations=["RESOURCE"], FailureMode="WARN")
    control.hook_outcome(type_name=ALIAS, target_name="AWS::S3::Bucket", reason="Bucket hook-logs is not encrypted.")
    stack_id = cf.create_stack(StackName="app", TemplateBody=BUCKETS)["StackId"]
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    events = cf.describe_stack_events(StackName=stack_id)["StackEvents"]
    reasons = {e["LogicalResourceId"]: e["HookStatusReason"] for e in events if "HookType" in e}
    assert reasons == {
        "Logs": "Hook failed with message: Bucket hook-logs is not encrypted. Failure was ignored under WARN mode.",
        "Topic": "Hook succeeded with message: Hook completed successfully",
    }


def test_default_outcome_succeeds_and_disabled_hooks_do_not_run(cf: Any) -> None:
    enable(cf, TargetOperations=["CHANGE_SET"])
    enable(cf, alias="Private::Lambda::Off", TargetOperations=["CHANGE_SET"], HookInvocationStatus="DISABLED")
    change_set_id = cf.create_change_set(StackName="app", ChangeSetName="cs1", TemplateBody=BUCKETS)["Id"]
    (result,) = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=change_set_id)["HookResults"]
    assert (result["TypeName"], result["Status"]) == (ALIAS, "HOOK_COMPLETE_SUCCEEDED")


def test_resource_hook_blocks_stack_creation_with_events(cf: Any) -> None:
    enable(cf, TargetOperations=["RESOURCE"], TargetFilters={"TargetNames": ["AWS::S3::*"], "Actions": ["CREATE"]})
    control.hook_outcome(type_name=ALIAS, target_name="AWS::S3::Bucket", reason="not encrypted", times=1)
    stack_id = cf.create_stack(StackName="app", TemplateBody=BUCKETS)["StackId"]
    (stack,) = cf.describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cf.describe_stack_events(StackName=stack_id)["StackEvents"][::-1]
    failed = [e for e in events if e.get("ResourceStatus") == "CREATE_FAILED"]
    assert [(e["LogicalResourceId"], e["ResourceStatusReason"]) for e in failed] == [
        ("Logs", f"The following hook(s) failed: [{ALIAS}]")
    ]
    (hook_event,) = [e for e in events if "HookType" in e]
    assert (hook_event["HookType"], hook_event["HookStatus"], hook_event["HookFailureMode"]) == (
        ALIAS,
        "HOOK_COMPLETE_FAILED",
        "FAIL",
    )
    assert hook_event["HookStatusReason"] == "Hook failed with message: not encrypted"
    assert hook_event["HookInvocationPoint"] == "PRE_PROVISION"
    # The event's HookInvocationId is a HookResultId.
    result = cf.get_hook_result(HookResultId=hook_event["HookInvocationId"])
    assert result["Target"] == {
        "TargetType": "RESOURCE",
        "TargetTypeName": "AWS::S3::Bucket",
        "TargetId": "Logs",
        "Action": "CREATE",
    }
    assert [e["ResourceStatus"] for e in events if e["LogicalResourceId"] == "app"][-2:] == [
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_COMPLETE",
    ]
    assert client_in_bucket_count(cf) == 0
    # The outcome was used once: a retry passes, and the SNS topic is not a Hook target.
    cf.delete_stack(StackName=stack_id)
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    retry = cf.create_stack(StackName="app", TemplateBody=BUCKETS)["StackId"]
    assert cf.describe_stacks(StackName=retry)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    reasons = [e.get("ResourceStatusReason") for e in cf.describe_stack_events(StackName=retry)["StackEvents"]]
    assert "Hook invocations complete.  Resource creation initiated" in reasons
    assert client_in_bucket_count(cf) == 1


def client_in_bucket_count(cf: Any) -> int:
    import boto3

    return len(boto3.client("s3", region_name=REGION).list_buckets()["Buckets"])


def test_stack_hook_blocks_update_and_delete(cf: Any) -> None:
    stack_id = cf.create_stack(StackName="app", TemplateBody=TOPIC_TEMPLATE)["StackId"]
    enable(cf, TargetOperations=["STACK"], TargetFilters={"Actions": ["UPDATE", "DELETE"]})
    outcome = control.hook_outcome(type_name=ALIAS, target_type="STACK", target_name="app", reason="frozen")
    cf.update_stack(StackName="app", TemplateBody=BUCKETS)
    (stack,) = cf.describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert [o["LogicalResourceId"] for o in cf.describe_stack_resources(StackName="app")["StackResources"]] == ["Topic"]
    events = cf.describe_stack_events(StackName=stack_id)["StackEvents"]
    assert any(e.get("ResourceStatusReason") == f"The following hook(s) failed: [{ALIAS}]" for e in events)
    cf.delete_stack(StackName="app")
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_FAILED"
    results = cf.list_hook_results()["HookResults"]
    assert [(r["TargetType"], r["TargetId"], r["Status"]) for r in results] == [
        ("STACK", stack_id, "HOOK_COMPLETE_FAILED"),
        ("STACK", stack_id, "HOOK_COMPLETE_FAILED"),
    ]
    assert control.remove_hook_outcome(outcome.outcome_id)
    cf.delete_stack(StackName="app")
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"


def test_stack_filters_decide_which_stacks_invoke(cf: Any) -> None:
    enable(
        cf,
        TargetOperations=["CHANGE_SET"],
        StackFilters={"FilteringCriteria": "ALL", "StackNames": {"Include": ["prod-app"]}},
    )
    control.hook_outcome(type_name=ALIAS)
    skipped = cf.create_change_set(StackName="dev-app", ChangeSetName="cs", TemplateBody=BUCKETS)["Id"]
    assert cf.describe_change_set(ChangeSetName=skipped)["Status"] == "CREATE_COMPLETE"
    with pytest.raises(ClientError) as excinfo:
        cf.list_hook_results(TargetType="CHANGE_SET", TargetId=skipped)
    assert error_of(excinfo) == ("HookResultNotFound", 404)
    blocked = cf.create_change_set(StackName="prod-app", ChangeSetName="cs", TemplateBody=BUCKETS)["Id"]
    assert cf.describe_change_set(ChangeSetName=blocked)["Status"] == "FAILED"


def test_describe_change_set_hooks(cf: Any) -> None:
    enable(cf, TargetOperations=["RESOURCE"], TargetFilters={"TargetNames": ["AWS::S3::Bucket"]}, FailureMode="WARN")
    created = cf.create_change_set(StackName="app", ChangeSetName="cs1", TemplateBody=BUCKETS, ChangeSetType="CREATE")
    hooks = cf.describe_change_set_hooks(ChangeSetName=created["Id"])
    assert (hooks["ChangeSetId"], hooks["ChangeSetName"], hooks["StackId"], hooks["StackName"]) == (
        created["Id"],
        "cs1",
        created["StackId"],
        "app",
    )
    assert hooks["Status"] == "PLANNED"
    assert hooks["Hooks"] == [
        {
            "InvocationPoint": "PRE_PROVISION",
            "FailureMode": "WARN",
            "TypeName": ALIAS,
            "TypeVersionId": "00000001",
            "TypeConfigurationVersionId": "00000001",
            "TargetDetails": {
                "TargetType": "RESOURCE",
                "ResourceTargetDetails": {
                    "LogicalResourceId": "Logs",
                    "ResourceType": "AWS::S3::Bucket",
                    "ResourceAction": "Add",
                },
            },
        }
    ]
    by_name = cf.describe_change_set_hooks(ChangeSetName="cs1", StackName="app", LogicalResourceId="Topic")
    assert by_name["Hooks"] == []
    for params in ({"ChangeSetName": "ghost", "StackName": "app"}, {"ChangeSetName": created["Id"] + "0"}):
        with pytest.raises(ClientError) as excinfo:
            cf.describe_change_set_hooks(**params)
        assert error_of(excinfo) == ("ChangeSetNotFound", 404)
    # Executing the change set runs the resource Hook (WARN: recorded, the stack is created).
    control.hook_outcome(type_name=ALIAS, reason="warned")
    cf.execute_change_set(ChangeSetName=created["Id"])
    assert cf.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    (result,) = cf.list_hook_results()["HookResults"]
    assert (result["TargetType"], result["TargetId"], result["Status"]) == ("RESOURCE", "Logs", "HOOK_COMPLETE_FAILED")


def test_a_hook_fails_a_stack_set_instance_in_another_account(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    type_arn = enable(in_b, TargetOperations=["STACK", "RESOURCE"])
    control.hook_outcome(type_name=ALIAS, account=ACCOUNT_B, target_type="RESOURCE", reason="topics are forbidden")
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "SUCCEEDED"
    summaries = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    by_account = {s["Account"]: s for s in summaries}
    assert by_account[ACCOUNT_A]["Status"] == "SUCCEEDED"
    assert by_account[ACCOUNT_B]["Status"] == "FAILED"
    assert by_account[ACCOUNT_B]["StatusReason"] == f"The following hook(s) failed: [{ALIAS}]"
    # From the failed result to the account's Hook results.
    results = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    (failed,) = results
    assert failed["HookStatusReason"] == "topics are forbidden"
    assert failed["HookExecutionTarget"].startswith(
        f"arn:aws:cloudformation:{REGION}:{ACCOUNT_B}:stack/StackSet-baseline-"
    )
    stack_results = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_SUCCEEDED")["HookResults"]
    assert [r["TargetType"] for r in stack_results] == ["STACK"]
    assert client_in(ACCOUNT_A).list_hook_results()["HookResults"] == []
