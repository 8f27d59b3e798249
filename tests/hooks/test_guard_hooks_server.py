"""Hooks declared in templates and Guard rules through the plugin's server: boto3 and the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from moto_stacksets_ext.cloudformation.hooks import guard
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import REGION
from test_guard_hooks import ALIAS, PLAIN, VERSIONED, VERSIONING, guard_hook

pytestmark = pytest.mark.skipif(guard.engine() is None, reason="cfn-guard-rs has no wheel for this Python")
REASON = "Template failed validation, the following rule(s) failed: bucket_versioning."


def rules_in(server: ThreadedStackSetsServer) -> None:
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=server.endpoint)
    s3.create_bucket(Bucket="rules")
    s3.put_object(Bucket="rules", Key="buckets.guard", Body=VERSIONING)


def test_a_declared_guard_hook_decides_in_server_mode(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    rules_in(server)
    server_cf.create_stack(StackName="hooks", TemplateBody=guard_hook(FailureMode="FAIL"))
    server_cf.create_stack(StackName="app", TemplateBody=PLAIN)
    server_cf.create_stack(StackName="fine", TemplateBody=VERSIONED)
    statuses = {s["StackName"]: s["StackStatus"] for s in server_cf.describe_stacks()["Stacks"]}
    assert (statuses["app"], statuses["fine"]) == ("ROLLBACK_COMPLETE", "CREATE_COMPLETE")
    failed = server_cf.list_hook_results(Status="HOOK_COMPLETE_FAILED", TypeArn=server_cf.describe_type(
        Type="HOOK", TypeName=ALIAS)["Arn"])["HookResults"]
    (summary,) = failed
    assert summary["HookStatusReason"] == REASON
    result = server_cf.get_hook_result(HookResultId=summary["HookResultId"])
    assert [(a["AnnotationName"], a["Status"]) for a in result["Annotations"]] == [
        ("bucket_versioning", "FAILED"),
        ("functions_runtime", "SKIPPED"),
    ]


def test_the_aws_cli_declares_a_guard_hook_and_reads_why(
    server_cf: Any, server: ThreadedStackSetsServer, tmp_path: Path
) -> None:
    rules_in(server)
    (tmp_path / "hook.json").write_text(guard_hook(FailureMode="FAIL"))
    (tmp_path / "app.json").write_text(PLAIN)
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }

    def aws(*args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "awscli", "cloudformation", *args, "--endpoint-url", server.endpoint, "--output", "json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    aws("create-stack", "--stack-name", "hooks", "--template-body", f"file://{tmp_path / 'hook.json'}")
    aws("create-stack", "--stack-name", "app", "--template-body", f"file://{tmp_path / 'app.json'}")
    events = aws("describe-stack-events", "--stack-name", "app")["StackEvents"]
    (hook_event,) = [e for e in events if e.get("HookType") == ALIAS]
    assert hook_event["HookStatusReason"] == f"Hook failed with message: {REASON}"
    result = aws("get-hook-result", "--hook-result-id", hook_event["HookInvocationId"])
    assert result["Annotations"][0]["AnnotationName"] == "bucket_versioning"
    assert result["OriginalTypeName"] == "AWS::Hooks::GuardHook"
