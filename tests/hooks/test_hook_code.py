"""Hooks that run real code: handlers written with cloudformation-cli-python-lib, through its entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from cloudformation_cli_python_lib import (
    HandlerErrorCode,
    Hook,
    HookInvocationPoint,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.interface import BaseModel

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, client_in

PROJECT = Path(__file__).parent / "projects" / "bucket-encryption"
TYPE = "MyCompany::Testing::BucketEncryption"
TYPE_ARN = f"arn:aws:cloudformation:{REGION}:{{account}}:type/hook/MyCompany-Testing-BucketEncryption"


def bucket_template(name: str, encrypted: bool) -> str:
    properties: dict[str, Any] = {"BucketName": name}
    if encrypted:
        properties["BucketEncryption"] = {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        }
    return json.dumps({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": properties}}})


def configure(cf: Any, type_arn: str, failure_mode: str = "FAIL", **properties: Any) -> None:
    hook_configuration = {
        "HookInvocationStatus": "ENABLED",
        "FailureMode": failure_mode,
        "TargetOperations": ["RESOURCE"],
        "Properties": properties,
    }
    cf.set_type_configuration(
        TypeArn=type_arn,
        Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook_configuration}}),
    )


def load(cf: Any, account: str = "123456789012", **properties: Any) -> str:
    type_arn = control.hooks.load_project(PROJECT, account=account)
    assert type_arn == TYPE_ARN.format(account=account)
    configure(cf, type_arn, **properties)
    return type_arn


def events_with_hooks(cf: Any, stack: str) -> list[dict[str, Any]]:
    return [e for e in cf.describe_stack_events(StackName=stack)["StackEvents"][::-1] if "HookType" in e]


def test_loading_a_project_registers_the_type_with_its_schema(cf: Any) -> None:
    type_arn = load(cf)
    described = cf.describe_type(Arn=type_arn)
    assert described["SourceUrl"] == "https://example.com/mycompany/bucket-encryption-hook"
    assert json.loads(described["Schema"])["handlers"]["preCreate"]["targetNames"] == ["AWS::S3::Bucket"]
    assert control.hooks.registered()["handlers"] == [TYPE]
    with pytest.raises(Exception) as excinfo:
        configure(cf, type_arn, Unknown="x")
    assert "extraneous key [Unknown] is not permitted" in str(excinfo.value)


def test_create_pre_provision_blocks_an_unencrypted_bucket(cf: Any) -> None:
    type_arn = load(cf)
    stack_id = cf.create_stack(StackName="plain", TemplateBody=bucket_template("plain-bucket", False))["StackId"]
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    (event,) = events_with_hooks(cf, stack_id)
    assert (event["HookStatus"], event["HookFailureMode"]) == ("HOOK_COMPLETE_FAILED", "FAIL")
    assert event["HookStatusReason"] == "Hook failed with message: Bucket plain-bucket is not encrypted with AES256"
    (result,) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert result["HookStatusReason"] == "Bucket plain-bucket is not encrypted with AES256"
    assert boto3.client("s3", region_name=REGION).list_buckets()["Buckets"] == []
    # An encrypted bucket goes through.
    cf.create_stack(StackName="encrypted", TemplateBody=bucket_template("safe-bucket", True))
    assert cf.describe_stacks(StackName="encrypted")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    (ok,) = events_with_hooks(cf, "encrypted")
    assert ok["HookStatusReason"] == "Hook succeeded with message: Bucket safe-bucket is encrypted with AES256"


def test_the_type_configuration_reaches_the_handler(cf: Any) -> None:
    load(cf, EncryptionAlgorithm="aws:kms")
    cf.create_stack(StackName="aes", TemplateBody=bucket_template("aes-bucket", True))
    assert cf.describe_stacks(StackName="aes")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    (event,) = events_with_hooks(cf, "aes")
    assert event["HookStatusReason"].endswith("is not encrypted with aws:kms")


def test_warn_mode_lets_the_bucket_through(cf: Any) -> None:
    load(cf)
    configure(cf, TYPE_ARN.format(account="123456789012"), failure_mode="WARN")
    cf.create_stack(StackName="plain", TemplateBody=bucket_template("plain-bucket", False))
    assert cf.describe_stacks(StackName="plain")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    (event,) = events_with_hooks(cf, "plain")
    assert event["HookStatusReason"] == (
        "Hook failed with message: Bucket plain-bucket is not encrypted with AES256."
        " Failure was ignored under WARN mode."
    )


def test_update_pre_provision_sees_the_previous_properties(cf: Any) -> None:
    load(cf)
    cf.create_stack(StackName="app", TemplateBody=bucket_template("first-name", True))
    cf.update_stack(StackName="app", TemplateBody=bucket_template("second-name", True))
    assert cf.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    update = events_with_hooks(cf, "app")[-1]
    assert update["ResourceStatus"] == "UPDATE_IN_PROGRESS"
    assert update["HookStatusReason"] == "Hook failed with message: Buckets must not be renamed"


def test_delete_pre_provision_is_called_back_after_in_progress(cf: Any) -> None:
    type_arn = load(cf)
    calls: list[dict[str, Any]] = []
    hook = control.hooks.registered()  # the project's handler stays registered; wrap it to watch the calls
    assert hook["handlers"] == [TYPE]
    from moto_stacksets_ext.cloudformation.hooks.state import handler_book

    original = handler_book().by_type[TYPE]

    def watching(event: dict[str, Any], context: Any) -> Any:
        calls.append(event["requestContext"])
        return original(event, context)

    control.hooks.handler(TYPE, watching)
    cf.create_stack(StackName="kept", TemplateBody=bucket_template("keep-logs", True))
    calls.clear()
    cf.delete_stack(StackName="kept")
    assert calls == [{"invocation": 1, "callbackContext": None}, {"invocation": 2, "callbackContext": {"looked": True}}]
    assert cf.describe_stacks(StackName="kept")["Stacks"][0]["StackStatus"] == "DELETE_FAILED"
    (result,) = cf.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert result["HookStatusReason"] == "Bucket keep-logs must be kept"


def test_a_raising_handler_fails_the_hook_and_never_the_mock(cf: Any) -> None:
    type_arn = load(cf)
    cf.create_stack(StackName="buggy", TemplateBody=bucket_template("raise-please", True))
    assert cf.describe_stacks(StackName="buggy")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    (result,) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert result["Status"] == "HOOK_FAILED"
    assert result["HookStatusReason"] == "InternalFailure: the handler raised RuntimeError: the handler has a bug"


def test_the_handler_session_is_served_by_the_mock_in_the_target_account(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    load(in_b, account=ACCOUNT_B, ExemptionsBucket="hook-exemptions")
    s3_b = client_in(ACCOUNT_B, "s3")
    s3_b.create_bucket(Bucket="hook-exemptions")
    s3_b.put_object(Bucket="hook-exemptions", Key="exempt.json", Body=json.dumps(["legacy-bucket"]))
    in_b.create_stack(StackName="legacy", TemplateBody=bucket_template("legacy-bucket", False))
    assert in_b.describe_stacks(StackName="legacy")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    (event,) = events_with_hooks(in_b, "legacy")
    assert event["HookStatusReason"] == "Hook succeeded with message: Bucket legacy-bucket is exempt"


def test_a_stack_set_instance_in_account_b_is_blocked(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    type_arn = load(in_b, account=ACCOUNT_B)
    cf.create_stack_set(StackSetName="buckets", TemplateBody=bucket_template("team-data", False))
    operation_id = cf.create_stack_instances(
        StackSetName="buckets",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    results = cf.list_stack_set_operation_results(StackSetName="buckets", OperationId=operation_id)["Summaries"]
    by_account = {r["Account"]: r for r in results}
    assert by_account[ACCOUNT_A]["Status"] == "SUCCEEDED"  # no Hook there
    assert by_account[ACCOUNT_B]["Status"] == "FAILED"
    assert by_account[ACCOUNT_B]["StatusReason"] == f"The following hook(s) failed: [{TYPE}]"
    (why,) = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert why["HookStatusReason"] == "Bucket team-data is not encrypted with AES256"


class _NoConfiguration(BaseModel):
    @classmethod
    def _deserialize(cls, json_data: Any) -> None:
        return None


def test_an_inline_hook_sees_the_documented_request_for_stacks_and_change_sets(cf: Any) -> None:
    hook = Hook("MyCompany::Testing::Inline", _NoConfiguration)
    seen: list[Any] = []

    @hook.handler(HookInvocationPoint.CREATE_PRE_PROVISION)
    def pre_create(session: Any, request: Any, callback_context: Any, type_configuration: Any) -> ProgressEvent:
        seen.append(request)
        if request.hookContext.targetType == "CHANGE_SET":
            return ProgressEvent.failed(HandlerErrorCode.NonCompliant, "change sets are reviewed by hand")
        return ProgressEvent(status=OperationStatus.SUCCESS, message="fine")

    control.hooks.handler("MyCompany::Testing::Inline", hook)
    token = cf.register_type(Type="HOOK", TypeName="MyCompany::Testing::Inline", SchemaHandlerPackage="s3://b/k.zip")[
        "RegistrationToken"
    ]
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    type_arn = cf.describe_type_registration(RegistrationToken=token)["TypeArn"]
    hook_configuration = {
        "HookInvocationStatus": "ENABLED",
        "FailureMode": "FAIL",
        "TargetOperations": ["STACK", "CHANGE_SET"],
    }
    cf.set_type_configuration(
        TypeArn=type_arn,
        Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook_configuration}}),
    )
    stack_id = cf.create_stack(StackName="whole", TemplateBody=bucket_template("bucket-one", False))["StackId"]
    stack_request = seen[-1]
    context = stack_request.hookContext
    assert (context.targetName, context.targetType, context.targetLogicalId) == ("STACK", "STACK", "whole")
    assert json.loads(context.targetModel["template"])["Resources"]["Bucket"]["Type"] == "AWS::S3::Bucket"
    assert (context.awsAccountId, context.hookTypeName, context.hookTypeVersion) == (
        "123456789012",
        "MyCompany::Testing::Inline",
        "00000001",
    )
    assert context.invocationPoint == HookInvocationPoint.CREATE_PRE_PROVISION
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    change_set = cf.create_change_set(
        StackName="next", ChangeSetName="cs", TemplateBody=bucket_template("bucket-two", False), ChangeSetType="CREATE"
    )
    context = seen[-1].hookContext
    assert (context.targetType, context.changeSetId) == ("CHANGE_SET", change_set["Id"])
    assert [r["logicalResourceId"] for r in context.targetModel["changedResources"]] == ["Bucket"]
    described = cf.describe_change_set(ChangeSetName=change_set["Id"])
    assert described["Status"] == "FAILED"
    (result,) = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=change_set["Id"])["HookResults"]
    assert result["HookStatusReason"] == "change sets are reviewed by hand"


def test_scripted_outcomes_still_win_over_code(cf: Any) -> None:
    load(cf)
    control.hook_outcome(type_name=TYPE, status="HOOK_COMPLETE_SUCCEEDED", reason="scripted", times=1)
    cf.create_stack(StackName="plain", TemplateBody=bucket_template("plain-bucket", False))
    assert cf.describe_stacks(StackName="plain")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_control_rejects_what_is_not_a_hook(aws: None) -> None:
    with pytest.raises(ValueError):
        control.hooks.handler("short", lambda e, c: {})
    with pytest.raises(TypeError):
        control.hooks.handler("MyCompany::Testing::Hook", object())
    with pytest.raises(ValueError):
        control.hooks.load_project(Path(__file__).parent)


def test_handlers_run_in_server_mode(server: Any, server_cf: Any) -> None:
    control.hooks.load_project(PROJECT)
    configure(server_cf, TYPE_ARN.format(account="123456789012"))
    server_cf.create_stack(StackName="plain", TemplateBody=bucket_template("plain-bucket", False))
    assert server_cf.describe_stacks(StackName="plain")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    (result,) = server_cf.list_hook_results()["HookResults"]
    assert result["HookStatusReason"] == "Bucket plain-bucket is not encrypted with AES256"
