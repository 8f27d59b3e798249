"""Hooks through the plugin's server: boto3, outcomes and seeded results over HTTP, and the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_B, REGION, TOPIC_TEMPLATE, client_in, error_of

ALIAS = "Private::Lambda::MyTestHook"
TOKEN = "6f1d6c1e-8a3b-4f6e-9d2a-0c1b2a3d4e5f"


def api(server: ThreadedStackSetsServer, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{server.endpoint}/moto-api/stacksets{path}", json=body, timeout=10)


def enable(cf: Any, operations: list[str]) -> str:
    arn = str(
        cf.activate_type(Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=ALIAS)[
            "Arn"
        ]
    )
    hook = {"HookInvocationStatus": "ENABLED", "FailureMode": "FAIL", "TargetOperations": operations}
    cf.set_type_configuration(
        TypeArn=arn, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook}})
    )
    return arn


def test_seeded_results_and_errors_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    created = api(
        server,
        "POST",
        "/hook-results",
        {
            "type_name": ALIAS,
            "target_type": "CLOUD_CONTROL",
            "target_id": TOKEN,
            "status": "HOOK_COMPLETE_FAILED",
            "annotations": [{"AnnotationName": "Check", "Status": "FAILED"}],
            "resource_type": "AWS::S3::Bucket",
            "resource_id": "bucket",
            "action": "CREATE",
        },
    )
    assert created.status_code == 201
    result_id = created.json()["HookResultId"]
    listed = server_cf.list_hook_results(TargetType="CLOUD_CONTROL", TargetId=TOKEN)
    assert [r["HookResultId"] for r in listed["HookResults"]] == [result_id]
    assert server_cf.get_hook_result(HookResultId=result_id)["Annotations"] == [
        {"AnnotationName": "Check", "Status": "FAILED"}
    ]
    with pytest.raises(ClientError) as excinfo:
        server_cf.list_hook_results(TargetType="CHANGE_SET", TargetId="cs1")
    assert error_of(excinfo) == ("HookResultNotFound", 404)
    with pytest.raises(ClientError) as excinfo:
        server_cf.list_hook_results(Status="HOOK_FAILED")
    assert error_of(excinfo) == ("ValidationError", 400)
    bad = api(server, "POST", "/hook-results", {"type_name": ALIAS, "target_type": "NOPE", "target_id": "x"})
    assert bad.status_code == 400 and "target_type" in bad.json()["error"]
    assert api(server, "POST", "/hook-results", {"target_type": "STACK"}).status_code == 400


def test_registry_and_a_change_set_failed_by_an_outcome_scripted_over_http(
    server_cf: Any, server: ThreadedStackSetsServer
) -> None:
    enable(server_cf, ["CHANGE_SET"])
    assert server_cf.list_types(Type="HOOK")["TypeSummaries"][0]["TypeName"] == ALIAS
    scripted = api(server, "POST", "/hook-outcomes", {"type_name": ALIAS, "reason": "over HTTP", "times": 1})
    assert scripted.status_code == 201
    assert (scripted.json()["status"], scripted.json()["consumed"]) == ("HOOK_COMPLETE_FAILED", 0)
    change_set_id = server_cf.create_change_set(StackName="app", ChangeSetName="cs1", TemplateBody=TOPIC_TEMPLATE)["Id"]
    assert server_cf.describe_change_set(ChangeSetName=change_set_id)["Status"] == "FAILED"
    (result,) = server_cf.list_hook_results(TargetType="CHANGE_SET", TargetId=change_set_id)["HookResults"]
    assert result["HookStatusReason"] == "over HTTP"
    assert api(server, "GET", "/hook-outcomes").json()["hook_outcomes"][0]["consumed"] == 1
    assert api(server, "DELETE", "/hook-outcomes").status_code == 204
    assert api(server, "GET", "/hook-outcomes").json() == {"hook_outcomes": []}
    assert api(server, "POST", "/hook-outcomes", {"status": "MAYBE"}).status_code == 400


def test_stack_set_instance_failed_by_a_hook_in_server_mode(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    in_b = client_in(ACCOUNT_B, endpoint=server.endpoint)
    enable(in_b, ["RESOURCE"])
    api(server, "POST", "/hook-outcomes", {"type_name": ALIAS, "account": ACCOUNT_B})
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_B], Regions=[REGION])[
        "OperationId"
    ]
    (summary,) = server_cf.list_stack_set_operation_results(StackSetName="served", OperationId=operation_id)[
        "Summaries"
    ]
    assert (summary["Status"], summary["StatusReason"]) == ("FAILED", f"The following hook(s) failed: [{ALIAS}]")
    assert in_b.list_hook_results()["HookResults"][0]["Status"] == "HOOK_COMPLETE_FAILED"


def test_aws_cli_list_hook_results(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    api(server, "POST", "/hook-results", {"type_name": ALIAS, "target_type": "CLOUD_CONTROL", "target_id": TOKEN})
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    base = [sys.executable, "-m", "awscli", "cloudformation", "list-hook-results", "--endpoint-url", server.endpoint]
    done = subprocess.run(
        [*base, "--target-type", "CLOUD_CONTROL", "--target-id", TOKEN, "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert (output["TargetType"], output["TargetId"]) == ("CLOUD_CONTROL", TOKEN)
    assert output["HookResults"][0]["TypeName"] == ALIAS
    failed = subprocess.run(
        [*base, "--status", "HOOK_FAILED"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert failed.returncode != 0
    assert "ValidationError" in failed.stderr
