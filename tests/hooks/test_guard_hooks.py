"""Guard Hooks evaluate their rules (cfn-guard-rs) from the mock's S3, against the documented input of their
target, and answer as the service does: reason, one annotation per rule, FAIL/WARN, the log bucket."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from moto_stacksets_ext import control
from moto_stacksets_ext.cloudformation.hooks import guard
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_B, ADMIN, REGION, client_in

ALIAS = "Private::Guard::Buckets"
VERSIONING = """
let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]
rule bucket_versioning when %buckets !empty {
  %buckets.Properties.VersioningConfiguration.Status == 'Enabled'
  <<
    Fix: set VersioningConfiguration.Status to Enabled
  >>
}
rule functions_runtime when Resources.*[ Type == 'AWS::Lambda::Function' ] !empty {
  Resources.*.Properties.Runtime == 'python3.12'
}
"""
ENCRYPTION = """
let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]
rule bucket_encryption when %buckets !empty {
  %buckets.Properties.BucketEncryption exists
}
"""
PLAIN = json.dumps({"Resources": {"Data": {"Type": "AWS::S3::Bucket"}}})
VERSIONED = json.dumps(
    {
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}
        }
    }
)

REASON = "Template failed validation, the following rule(s) failed: bucket_versioning."
needs_engine = pytest.mark.skipif(guard.engine() is None, reason="cfn-guard-rs has no wheel for this Python")


def guard_hook(rules: str = "s3://rules/buckets.guard", **overrides: Any) -> str:
    properties = {
        "Alias": ALIAS,
        "ExecutionRole": f"arn:aws:iam::{ADMIN}:role/guard",
        "RuleLocation": {"Uri": rules},
        "FailureMode": "FAIL",
        "HookStatus": "ENABLED",
        "TargetOperations": ["RESOURCE"],
        **overrides,
    }
    return json.dumps({"Resources": {"Hook": {"Type": "AWS::CloudFormation::GuardHook", "Properties": properties}}})


def put_rules(s3: Any, key: str = "buckets.guard", body: bytes | str = VERSIONING, bucket: str = "rules") -> None:
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=body)


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3", region_name=REGION)
    put_rules(client)
    return client


def status(cf: Any, stack: str) -> str:
    return str(cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"])


def only_result(cf: Any) -> dict[str, Any]:
    (summary,) = cf.list_hook_results()["HookResults"]
    result: dict[str, Any] = cf.get_hook_result(HookResultId=summary["HookResultId"])
    return result


@needs_engine
def test_a_failed_rule_blocks_the_resource_with_the_services_reason_and_annotations(cf: Any, s3: Any) -> None:
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook())
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    result = only_result(cf)
    reason = "Template failed validation, the following rule(s) failed: bucket_versioning."
    assert (result["Status"], result["HookStatusReason"]) == ("HOOK_COMPLETE_FAILED", reason)
    assert (result["TypeName"], result["OriginalTypeName"]) == (ALIAS, "AWS::Hooks::GuardHook")
    assert result["Target"] == {
        "TargetType": "RESOURCE",
        "TargetTypeName": "AWS::S3::Bucket",
        "TargetId": "Data",
        "Action": "CREATE",
    }
    failed, skipped = result["Annotations"]
    assert failed["AnnotationName"] == "bucket_versioning"
    assert failed["Status"] == "FAILED"
    assert "VersioningConfiguration.Status" in failed["StatusMessage"]
    assert failed["RemediationMessage"].strip() == "Fix: set VersioningConfiguration.Status to Enabled"
    assert skipped == {"AnnotationName": "functions_runtime", "Status": "SKIPPED"}
    events = cf.describe_stack_events(StackName="app")["StackEvents"]
    (hook_event,) = [e for e in events if e.get("HookType") == ALIAS]
    assert hook_event["HookStatusReason"] == f"Hook failed with message: {reason}"
    assert hook_event["HookInvocationId"] == result["HookResultId"]


@needs_engine
def test_compliant_resources_pass(cf: Any, s3: Any) -> None:
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook())
    cf.create_stack(StackName="app", TemplateBody=VERSIONED)
    assert status(cf, "app") == "CREATE_COMPLETE"
    result = only_result(cf)
    assert (result["Status"], result["HookStatusReason"]) == ("HOOK_COMPLETE_SUCCEEDED", "Successful validation")
    assert result["Annotations"] == [
        {"AnnotationName": "bucket_versioning", "Status": "PASSED"},
        {"AnnotationName": "functions_runtime", "Status": "SKIPPED"},
    ]


@needs_engine
def test_warn_mode_records_the_failure_and_lets_the_stack_through(cf: Any, s3: Any) -> None:
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook(FailureMode="WARN"))
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "CREATE_COMPLETE"
    result = only_result(cf)
    assert (result["Status"], result["FailureMode"]) == ("HOOK_COMPLETE_FAILED", "WARN")
    (hook_event,) = [e for e in cf.describe_stack_events(StackName="app")["StackEvents"] if e.get("HookType")]
    assert hook_event["HookStatusReason"] == (
        "Hook failed with message: Template failed validation, the following rule(s) failed: bucket_versioning. "
        "Failure was ignored under WARN mode."
    )


@needs_engine
def test_the_resource_input_on_update_has_previous(cf: Any, s3: Any) -> None:
    put_rules(
        s3,
        "keep.guard",
        """
rule keep_versioning when Previous exists {
  Resources.*.Properties.VersioningConfiguration.Status == Previous.*.Properties.VersioningConfiguration.Status
  HookContext.InvocationPoint == 'UPDATE_PRE_PROVISION'
  HookContext.TargetLogicalId == 'Data'
  HookContext.AWSAccountID == '123456789012'
}
""",
    )
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook("s3://rules/keep.guard"))
    cf.create_stack(StackName="app", TemplateBody=VERSIONED)
    suspended = VERSIONED.replace('"Enabled"', '"Suspended"')
    cf.update_stack(StackName="app", TemplateBody=suspended)
    assert status(cf, "app") == "UPDATE_ROLLBACK_COMPLETE"
    newest = cf.list_hook_results()["HookResults"][0]
    assert newest["HookStatusReason"] == "Template failed validation, the following rule(s) failed: keep_versioning."


@needs_engine
def test_a_stack_target_sees_the_template(cf: Any, s3: Any) -> None:
    put_rules(
        s3,
        "stack.guard",
        """
rule only_topics {
  HookContext.TargetType == 'STACK'
  HookContext.TargetName == 'app'
  Resources.*.Type == 'AWS::SNS::Topic'
}
""",
    )
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook("s3://rules/stack.guard", TargetOperations=["STACK"]))
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    (result,) = cf.list_hook_results()["HookResults"]
    assert (result["TargetType"], result["HookStatusReason"]) == (
        "STACK",
        "Template failed validation, the following rule(s) failed: only_topics.",
    )


@needs_engine
def test_a_change_set_target_sees_its_changes(cf: Any, s3: Any) -> None:
    put_rules(
        s3,
        "changes.guard",
        """
rule no_new_buckets {
  HookContext.TargetType == 'CHANGE_SET'
  Changes[ resourceType == 'AWS::S3::Bucket' ] empty
}
""",
    )
    cf.create_stack(
        StackName="hooks", TemplateBody=guard_hook("s3://rules/changes.guard", TargetOperations=["CHANGE_SET"])
    )
    cf.create_change_set(StackName="app", ChangeSetName="add", ChangeSetType="CREATE", TemplateBody=PLAIN)
    change_set = cf.describe_change_set(StackName="app", ChangeSetName="add")
    assert (change_set["Status"], change_set["StatusReason"]) == (
        "FAILED",
        f"Change set creation failed. The following hook(s) failed: [{ALIAS}]",
    )
    result = only_result(cf)
    assert result["HookStatusReason"] == "Template failed validation, the following rule(s) failed: no_new_buckets."


@needs_engine
@pytest.mark.parametrize("packaging", ["zip", "tar.gz"])
def test_rules_in_an_archive_and_input_parameters(cf: Any, s3: Any, packaging: str) -> None:
    names = """
rule bucket_names when Resources.*[ Type == 'AWS::S3::Bucket' ] !empty {
  Resources.*.Properties.BucketName IN AllowedBucketNames
}
"""
    files = {"rules/versioning.guard": VERSIONING, "rules/names.guard": names, "README.md": "not rules"}
    buffer = io.BytesIO()
    if packaging == "zip":
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name, text in files.items():
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    put_rules(s3, f"all.{packaging}", buffer.getvalue())
    put_rules(s3, "params.yaml", "AllowedBucketNames:\n  - team-data\n")
    options = {"InputParams": {"Uri": "s3://rules/params.yaml"}}
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook(f"s3://rules/all.{packaging}", Options=options))
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "other-data"}}
    cf.create_stack(StackName="app", TemplateBody=json.dumps({"Resources": {"Data": bucket}}))
    result = only_result(cf)
    assert result["HookStatusReason"] == (
        "Template failed validation, the following rule(s) failed: bucket_names, bucket_versioning."
    )
    assert [(a["AnnotationName"], a["Status"]) for a in result["Annotations"]] == [
        ("bucket_names", "FAILED"),
        ("bucket_versioning", "FAILED"),
        ("functions_runtime", "SKIPPED"),
    ]


@needs_engine
def test_the_rule_location_version_and_the_log_bucket(cf: Any, s3: Any) -> None:
    s3.create_bucket(Bucket="versioned-rules")
    s3.put_bucket_versioning(Bucket="versioned-rules", VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket="versioned-rules", Key="r.guard", Body=VERSIONING)["VersionId"]
    s3.put_object(Bucket="versioned-rules", Key="r.guard", Body="rule anything { Resources exists }")
    s3.create_bucket(Bucket="guard-logs")
    location = {"Uri": "s3://versioned-rules/r.guard", "VersionId": first}
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook(RuleLocation=location, LogBucket="guard-logs"))
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    result = only_result(cf)
    prefix = "Template failed validation, the following rule(s) failed: bucket_versioning. Full output was written to "
    assert result["HookStatusReason"].startswith(prefix)
    written = result["HookStatusReason"][len(prefix) :]
    bucket, key = written[len("s3://") :].split("/", 1)
    assert bucket == "guard-logs" and key.startswith("Private-Guard-Buckets/") and key.endswith(".json")
    (report,) = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert (report["name"], report["status"]) == ("r.guard", "FAIL")
    assert report["not_applicable"] == ["functions_runtime"]


@needs_engine
@pytest.mark.parametrize(
    ("rules", "reason"),
    [
        ("s3://rules/missing.guard", "Unable to read s3://rules/missing.guard: NoSuchKey"),
        ("s3://nobucket/r.guard", "Unable to read s3://nobucket/r.guard: NoSuchBucket"),
        ("s3://rules/broken.guard", "Guard rules broken.guard could not be evaluated: "),
    ],
)
def test_rules_that_cannot_be_used_fail_the_hook(cf: Any, s3: Any, rules: str, reason: str) -> None:
    put_rules(s3, "broken.guard", "rule broken {")
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook(rules))
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    result = only_result(cf)
    assert result["Status"] == "HOOK_FAILED"
    assert result["HookStatusReason"].startswith(reason)


@needs_engine
def test_a_guard_hook_activated_through_the_api(cf: Any, s3: Any) -> None:
    """The configuration form of the Hooks User Guide: lowercase ``ruleLocation`` as an S3 URI."""
    arn = cf.activate_type(Type="HOOK", TypeName="AWS::Hooks::GuardHook", PublisherId="aws-hooks", TypeNameAlias=ALIAS)[
        "Arn"
    ]
    hook = {
        "HookInvocationStatus": "ENABLED",
        "FailureMode": "FAIL",
        "TargetOperations": ["RESOURCE"],
        "Properties": {"ruleLocation": "s3://rules/buckets.guard", "logBucket": "rules"},
    }
    cf.set_type_configuration(
        TypeArn=arn, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook}})
    )
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    assert " Full output was written to s3://rules/" in only_result(cf)["HookStatusReason"]


@needs_engine
@pytest.mark.parametrize(("mode", "expected"), [("FAIL", "FAILED"), ("WARN", "SUCCEEDED")])
def test_a_guard_hook_declared_in_a_target_account_decides_its_stack_set_instance(
    cf: Any, mode: str, expected: str
) -> None:
    s3_b = client_in(ACCOUNT_B, "s3")
    put_rules(s3_b)
    in_b = client_in(ACCOUNT_B)
    in_b.create_stack(StackName="hooks", TemplateBody=guard_hook(FailureMode=mode))
    cf.create_stack_set(StackSetName="data", TemplateBody=PLAIN)
    operation_id = cf.create_stack_instances(StackSetName="data", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
    (target,) = cf.list_stack_set_operation_results(StackSetName="data", OperationId=operation_id)["Summaries"]
    assert target["Status"] == expected
    if mode == "FAIL":
        assert target["StatusReason"] == f"The following hook(s) failed: [{ALIAS}]"
    (summary,) = in_b.list_hook_results()["HookResults"]
    assert summary["HookStatusReason"] == "Template failed validation, the following rule(s) failed: bucket_versioning."


def test_without_the_engine_activation_works_and_decisions_stay_scripted(
    cf: Any, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cfn_guard_rs", None)  # import fails, as on Python 3.13
    monkeypatch.setattr(guard, "_warned", [])
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook())
    with pytest.warns(RuntimeWarning, match="cfn-guard-rs is not installed"):
        cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "CREATE_COMPLETE"  # no scripted outcome: the Hook succeeds
    assert only_result(cf)["HookStatusReason"] == "Hook completed successfully"
    control.hook_outcome(type_name=ALIAS, reason="scripted")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the warning is given once
        cf.create_stack(StackName="again", TemplateBody=PLAIN)
    assert status(cf, "again") == "ROLLBACK_COMPLETE"
    assert cf.list_hook_results()["HookResults"][0]["HookStatusReason"] == "scripted"


# -- through the plugin's server: boto3 and the AWS CLI ------------------------------------------------


def rules_in(server: ThreadedStackSetsServer) -> None:
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=server.endpoint)
    s3.create_bucket(Bucket="rules")
    s3.put_object(Bucket="rules", Key="buckets.guard", Body=VERSIONING)


@needs_engine
def test_a_declared_guard_hook_decides_in_server_mode(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    rules_in(server)
    server_cf.create_stack(StackName="hooks", TemplateBody=guard_hook(FailureMode="FAIL"))
    server_cf.create_stack(StackName="app", TemplateBody=PLAIN)
    server_cf.create_stack(StackName="fine", TemplateBody=VERSIONED)
    statuses = {s["StackName"]: s["StackStatus"] for s in server_cf.describe_stacks()["Stacks"]}
    assert (statuses["app"], statuses["fine"]) == ("ROLLBACK_COMPLETE", "CREATE_COMPLETE")
    failed = server_cf.list_hook_results(
        Status="HOOK_COMPLETE_FAILED", TypeArn=server_cf.describe_type(Type="HOOK", TypeName=ALIAS)["Arn"]
    )["HookResults"]
    (summary,) = failed
    assert summary["HookStatusReason"] == REASON
    result = server_cf.get_hook_result(HookResultId=summary["HookResultId"])
    assert [(a["AnnotationName"], a["Status"]) for a in result["Annotations"]] == [
        ("bucket_versioning", "FAILED"),
        ("functions_runtime", "SKIPPED"),
    ]


@needs_engine
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
            [
                sys.executable,
                "-m",
                "awscli",
                "cloudformation",
                *args,
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
        return json.loads(done.stdout) if done.stdout.strip() else None

    aws("create-stack", "--stack-name", "hooks", "--template-body", f"file://{tmp_path / 'hook.json'}")
    aws("create-stack", "--stack-name", "app", "--template-body", f"file://{tmp_path / 'app.json'}")
    events = aws("describe-stack-events", "--stack-name", "app")["StackEvents"]
    (hook_event,) = [e for e in events if e.get("HookType") == ALIAS]
    assert hook_event["HookStatusReason"] == f"Hook failed with message: {REASON}"
    result = aws("get-hook-result", "--hook-result-id", hook_event["HookInvocationId"])
    assert result["Annotations"][0]["AnnotationName"] == "bucket_versioning"
    assert result["OriginalTypeName"] == "AWS::Hooks::GuardHook"


# -- the declared GuardHook's own lifecycle ---------------------------------------------------------------
@needs_engine
def test_a_declared_guard_hook_is_updated_and_deleted(cf: Any, s3: Any) -> None:
    put_rules(s3, "lenient.guard", "rule anything { Resources exists }")
    cf.create_stack(StackName="hooks", TemplateBody=guard_hook())
    type_arn = cf.describe_type(Type="HOOK", TypeName=ALIAS)["Arn"]
    # New rules, and WARN: the next bucket passes the new rules.
    cf.update_stack(StackName="hooks", TemplateBody=guard_hook("s3://rules/lenient.guard", FailureMode="WARN"))
    (item,) = cf.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{"TypeArn": type_arn}])[
        "TypeConfigurations"
    ]
    hook = json.loads(item["Configuration"])["CloudFormationConfiguration"]["HookConfiguration"]
    assert (hook["FailureMode"], hook["Properties"]) == (
        "WARN",
        {"RuleLocation": {"Uri": "s3://rules/lenient.guard"}},
    )
    cf.create_stack(StackName="app", TemplateBody=PLAIN)
    assert status(cf, "app") == "CREATE_COMPLETE"
    assert cf.list_hook_results(TypeArn=type_arn)["HookResults"][0]["HookStatusReason"] == "Successful validation"
    cf.delete_stack(StackName="hooks")
    assert cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"] == []
