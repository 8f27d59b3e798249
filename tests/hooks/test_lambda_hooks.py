"""Lambda Hooks (AWS::Hooks::LambdaHook): a Python callable for the function ARN, or a moto Lambda
function whose own deployment package runs in-process (no docker)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3
import pytest

from moto_stacksets_ext import control

from support import ACCOUNT_B, ADMIN, REGION, client_in

ALIAS = "Private::Lambda::Encryption"
FUNCTION = f"arn:aws:lambda:{REGION}:{ADMIN}:function:encryption-hook"
TEMPLATE = json.dumps(
    {
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "team-data"}},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }
    }
)
FUNCTION_CODE = '''
import os


def handler(event, context):
    """A Lambda Hook function: encryption is required on buckets."""
    data = event["requestData"]
    if data["targetType"] != "AWS::S3::Bucket":
        return {"hookStatus": "SUCCESS", "message": "not a bucket", "clientRequestToken": event["clientRequestToken"]}
    properties = data["targetModel"]["resourceProperties"]
    if "BucketEncryption" in properties:
        return {"hookStatus": "SUCCESS", "message": "encrypted"}
    return {
        "hookStatus": "FAILED",
        "errorCode": "NonCompliant",
        "message": f"{os.environ['TEAM']}: bucket {properties.get('BucketName')} is not encrypted",
        "annotations": [
            {
                "annotationName": "BucketEncryption",
                "status": "FAILED",
                "statusMessage": "BucketEncryption is missing",
                "remediationMessage": "Add BucketEncryption with SSE-S3 or SSE-KMS",
                "severityLevel": "HIGH",
            }
        ],
    }
'''


def activate(cf: Any, function_arn: str = FUNCTION, mode: str = "FAIL") -> str:
    arn = str(
        cf.activate_type(Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=ALIAS)[
            "Arn"
        ]
    )
    hook_configuration = {
        "HookInvocationStatus": "ENABLED",
        "FailureMode": mode,
        "TargetOperations": ["RESOURCE"],
        "Properties": {"LambdaFunction": function_arn},
    }
    cf.set_type_configuration(
        TypeArn=arn,
        Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook_configuration}}),
    )
    return arn


def zipped(code: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hook.py", code)
    return buffer.getvalue()


def create_function(account: str | None = None) -> str:
    iam = client_in(account, "iam") if account else boto3.client("iam", region_name=REGION)
    lam = client_in(account, "lambda") if account else boto3.client("lambda", region_name=REGION)
    role = iam.create_role(RoleName="hook-function", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    return str(
        lam.create_function(
            FunctionName="encryption-hook",
            Runtime="python3.12",
            Role=role,
            Handler="hook.handler",
            Code={"ZipFile": zipped(FUNCTION_CODE)},
            Environment={"Variables": {"TEAM": "platform"}},
        )["FunctionArn"]
    )


def test_a_python_callable_for_the_function_arn(cf: Any) -> None:
    requests: list[dict[str, Any]] = []

    def function(event: dict[str, Any], context: Any) -> dict[str, Any]:
        requests.append(event)
        assert context.invoked_function_arn == FUNCTION
        if event["requestData"]["targetType"] == "AWS::S3::Bucket":
            return {"hookStatus": "FAILED", "errorCode": "NonCompliant", "message": "no buckets here"}
        return {"hookStatus": "SUCCESS"}

    control.hooks.lambda_function(FUNCTION, function)
    type_arn = activate(cf)
    cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    assert cf.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    bucket = requests[0]
    assert bucket["hookModel"] == {"LambdaFunction": FUNCTION}
    assert bucket["actionInvocationPoint"] == "CREATE_PRE_PROVISION"
    assert bucket["requestData"] == {
        "targetName": "AWS::S3::Bucket",
        "targetType": "AWS::S3::Bucket",
        "targetLogicalId": "Data",
        "targetModel": {"resourceProperties": {"BucketName": "team-data"}},
    }
    assert bucket["requestContext"] == {"invocation": 1, "callbackContext": None}
    assert (bucket["awsAccountId"], bucket["hookTypeName"]) == (ADMIN, ALIAS)
    (result,) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert (result["Status"], result["HookStatusReason"]) == ("HOOK_COMPLETE_FAILED", "no buckets here")


def test_a_moto_lambda_function_runs_its_own_code(cf: Any) -> None:
    function_arn = create_function()
    type_arn = activate(cf, function_arn)
    cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    assert cf.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    (summary,) = cf.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert summary["HookStatusReason"] == "platform: bucket team-data is not encrypted"
    result = cf.get_hook_result(HookResultId=summary["HookResultId"])
    assert result["Annotations"] == [
        {
            "AnnotationName": "BucketEncryption",
            "Status": "FAILED",
            "StatusMessage": "BucketEncryption is missing",
            "RemediationMessage": "Add BucketEncryption with SSE-S3 or SSE-KMS",
            "SeverityLevel": "HIGH",
        }
    ]


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ({"hookStatus": "FAILED", "errorCode": "InternalFailure", "message": "db down"}, "HOOK_FAILED", "db down"),
        ({"hookStatus": "MAYBE"}, "HOOK_FAILED", "Invalid response: hookStatus must be SUCCESS, FAILED or IN_PROGRESS"),
        ("not json", "HOOK_FAILED", "Invalid response: hookStatus must be SUCCESS, FAILED or IN_PROGRESS"),
        (
            {"hookStatus": "IN_PROGRESS", "callbackContext": {"again": True}},
            "HOOK_FAILED",
            "Hook answered IN_PROGRESS more than 3 times without a result",
        ),
    ],
)
def test_what_the_answer_decides(cf: Any, answer: Any, status: str, reason: str) -> None:
    control.hooks.lambda_function(FUNCTION, lambda event, context: answer)
    type_arn = activate(cf, mode="WARN")
    cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    assert cf.describe_stacks(StackName="app")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    results = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert {(r["Status"], r["HookStatusReason"]) for r in results} == {(status, reason)}


def test_a_raising_function_fails_the_hook(cf: Any) -> None:
    def function(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise KeyError("LambdaFunction")

    control.hooks.lambda_function(FUNCTION, function)
    type_arn = activate(cf)
    cf.create_stack(StackName="app", TemplateBody=TEMPLATE)
    (result, *_) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert (result["Status"], result["HookStatusReason"]) == (
        "HOOK_FAILED",
        "Unhandled exception: KeyError: 'LambdaFunction'",
    )


def test_a_lambda_hook_blocks_a_stack_set_instance_in_account_b(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    function_arn = create_function(ACCOUNT_B)
    type_arn = activate(in_b, function_arn)
    cf.create_stack_set(StackSetName="data", TemplateBody=TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="data", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
    (target,) = cf.list_stack_set_operation_results(StackSetName="data", OperationId=operation_id)["Summaries"]
    assert (target["Status"], target["StatusReason"]) == ("FAILED", f"The following hook(s) failed: [{ALIAS}]")
    (why,) = in_b.list_hook_results(TypeArn=type_arn, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert why["HookStatusReason"] == "platform: bucket team-data is not encrypted"
