"""The newest StackSet operation model: stages, totals and regional progress, live while an operation runs;
custom execution roles of SERVICE_MANAGED stack sets provisioned as real stacks in the role stage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE, client_in, error_of

EU = "eu-west-1"


def _aws_cli(endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The AWS CLI (``python -m awscli``) against the plugin's server."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    command = [sys.executable, "-m", "awscli", "cloudformation", *args, "--endpoint-url", endpoint, "--output", "json"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


ROLE_TEMPLATE = json.dumps(
    {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "CustomStackSetExecution",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                },
            }
        }
    }
)


def _operation(cf: Any, name: str, operation_id: str) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_set_operation(StackSetName=name, OperationId=operation_id)[
        "StackSetOperation"
    ]
    return found


def test_a_finished_operation_reports_both_stages_totals_and_regions(cf: Any) -> None:
    cf.create_stack_set(StackSetName="plain", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(
        StackSetName="plain", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION, EU]
    )["OperationId"]
    details = _operation(cf, "plain", operation_id)["StatusDetails"]
    assert details["TotalAccountsCount"] == 2
    assert details["TotalStackInstancesCount"] == 4
    assert details["FailedStackInstancesCount"] == 0
    assert details["Stages"]["RoleProvisioning"] == {"Status": "NOT_APPLICABLE"}
    assert details["Stages"]["StackInstancesDeployment"] == {
        "Status": "SUCCEEDED",
        "SucceededStackInstancesCount": 4,
        "FailedStackInstancesCount": 0,
        "CompletedStackInstancesCount": 4,
        "PendingStackInstancesCount": 0,
        "CancelledStackInstancesCount": 0,
        "SkippedStackInstancesCount": 0,
        "PercentageCompleted": 100.0,
    }
    regional = _operation(cf, "plain", operation_id)["RegionalStatusDetails"]
    assert set(regional) == {REGION, EU}
    deployment = regional[EU]["Stages"]["RegionalStackInstancesDeployment"]
    assert deployment["Status"] == "SUCCEEDED"
    assert deployment["TotalStackInstancesCount"] == 2
    assert deployment["PercentageCompleted"] == 100.0
    summary = cf.list_stack_set_operations(StackSetName="plain")["Summaries"][0]
    assert summary["StatusDetails"]["Stages"]["StackInstancesDeployment"]["Status"] == "SUCCEEDED"
    assert "RegionalStatusDetails" not in summary  # DescribeStackSetOperation only


def test_progress_moves_while_the_operation_runs(cf: Any) -> None:
    """A polling loop can draw a progress bar from PercentageCompleted."""
    cf.create_stack_set(StackSetName="slow", TemplateBody=TOPIC_TEMPLATE)
    control.set_progression("manual")
    operation_id = cf.create_stack_instances(
        StackSetName="slow",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION],
        OperationPreferences={"MaxConcurrentCount": 1, "FailureToleranceCount": 0},
    )["OperationId"]
    seen: list[tuple[str, float, int]] = []
    while True:
        operation = _operation(cf, "slow", operation_id)  # each read takes a manual step
        stage = operation["StatusDetails"]["Stages"]["StackInstancesDeployment"]
        seen.append((stage["Status"], stage["PercentageCompleted"], stage["PendingStackInstancesCount"]))
        if operation["Status"] == "SUCCEEDED":
            break
    assert seen[0] == ("IN_PROGRESS", pytest.approx(33.33), 2)
    assert seen[-1] == ("SUCCEEDED", 100.0, 0)
    assert [p for _, p, _ in seen] == sorted(p for _, p, _ in seen)
    assert len(seen) >= 3


def test_drift_detection_deploys_nothing(cf: Any) -> None:
    cf.create_stack_set(StackSetName="plain", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="plain", Accounts=[ACCOUNT_A], Regions=[REGION])
    operation_id = cf.detect_stack_set_drift(StackSetName="plain")["OperationId"]
    operation = _operation(cf, "plain", operation_id)
    stages = operation["StatusDetails"]["Stages"]
    assert stages == {
        "RoleProvisioning": {"Status": "NOT_APPLICABLE"},
        "StackInstancesDeployment": {"Status": "NOT_APPLICABLE"},
    }
    assert operation["StatusDetails"]["TotalStackInstancesCount"] == 1


def test_failures_and_cancellations_are_counted(cf: Any) -> None:
    cf.create_stack_set(StackSetName="plain", TemplateBody=TOPIC_TEMPLATE)
    control.fail(account=ACCOUNT_A, reason="quota")
    operation_id = cf.create_stack_instances(
        StackSetName="plain",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION],
        OperationPreferences={"MaxConcurrentCount": 1, "FailureToleranceCount": 0},
    )["OperationId"]
    stage = _operation(cf, "plain", operation_id)["StatusDetails"]["Stages"]["StackInstancesDeployment"]
    assert stage["Status"] == "FAILED"
    assert (stage["FailedStackInstancesCount"], stage["CancelledStackInstancesCount"]) == (1, 2)
    assert stage["CompletedStackInstancesCount"] == 3


@pytest.fixture
def organization(aws: None) -> dict[str, str]:
    organizations = boto3.client("organizations", region_name=REGION)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    unit = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]
    accounts = {}
    for name in ("one", "two"):
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        organizations.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=unit)
        accounts[name] = status["AccountId"]
    return {"unit": unit, **accounts}


def _custom_role_stack_set(cf: Any, **extra: Any) -> None:
    cf.create_stack_set(
        StackSetName="custom",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": False},
        ExecutionRoleTemplateBody=ROLE_TEMPLATE,
        **extra,
    )


def test_custom_execution_roles_are_provisioned_as_stacks_first(cf: Any, organization: dict[str, str]) -> None:
    _custom_role_stack_set(cf)
    control.set_progression("manual")
    operation_id = cf.create_stack_instances(
        StackSetName="custom", DeploymentTargets={"OrganizationalUnitIds": [organization["unit"]]}, Regions=[REGION]
    )["OperationId"]
    first = _operation(cf, "custom", operation_id)["StatusDetails"]["Stages"]
    assert first["RoleProvisioning"]["Status"] == "SUCCEEDED"
    assert first["RoleProvisioning"]["SucceededAccountsCount"] == 2
    control.set_progression("immediate")
    while _operation(cf, "custom", operation_id)["Status"] == "RUNNING":
        pass
    for name in ("one", "two"):
        there = client_in(organization[name])
        stacks = {s["StackName"]: s for s in there.describe_stacks()["Stacks"]}
        assert stacks["StackSet-custom-ExecutionRole"]["StackStatus"] == "CREATE_COMPLETE"
        role = client_in(organization[name], "iam").get_role(RoleName="CustomStackSetExecution")["Role"]
        assert role["Arn"] == f"arn:aws:iam::{organization[name]}:role/CustomStackSetExecution"


def test_a_failed_role_skips_that_accounts_instances(cf: Any, organization: dict[str, str]) -> None:
    _custom_role_stack_set(cf)
    control.fail_role(account=organization["one"], reason="role quota exceeded")
    operation_id = cf.create_stack_instances(
        StackSetName="custom",
        DeploymentTargets={"OrganizationalUnitIds": [organization["unit"]]},
        Regions=[REGION, EU],
    )["OperationId"]
    operation = _operation(cf, "custom", operation_id)
    stages = operation["StatusDetails"]["Stages"]
    assert stages["RoleProvisioning"] == {
        "Status": "PARTIAL_SUCCESS",
        "SucceededAccountsCount": 1,
        "FailedAccountsCount": 1,
        "CompletedAccountsCount": 2,
        "PendingAccountsCount": 0,
        "PercentageCompleted": 100.0,
    }
    deployment = stages["StackInstancesDeployment"]
    assert deployment["Status"] == "SUCCEEDED"  # every instance that was not skipped succeeded
    assert (deployment["SkippedStackInstancesCount"], deployment["SucceededStackInstancesCount"]) == (2, 2)
    assert (
        operation["RegionalStatusDetails"][EU]["Stages"]["RegionalStackInstancesDeployment"][
            "SkippedStackInstancesCount"
        ]
        == 1
    )
    results = cf.list_stack_set_operation_results(StackSetName="custom", OperationId=operation_id)["Summaries"]
    skipped = [r for r in results if r["Account"] == organization["one"]]
    assert {r["Status"] for r in skipped} == {"CANCELLED"}
    assert all("role quota exceeded" in r["StatusReason"] for r in skipped)
    assert client_in(organization["one"]).describe_stacks()["Stacks"] == []


def test_role_template_rules(cf: Any, organization: dict[str, str]) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_set(StackSetName="self", TemplateBody=TOPIC_TEMPLATE, ExecutionRoleTemplateBody=ROLE_TEMPLATE)
    assert error_of(excinfo) == ("ValidationError", 400)
    with pytest.raises(ClientError) as excinfo:
        _custom_role_stack_set(cf, ExecutionRoleTemplateUrl="https://s3.amazonaws.com/b/role.json")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert cf.list_stack_sets()["Summaries"] == []


def test_output_bucket_path_and_the_stored_template(cf: Any, organization: dict[str, str]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="role-templates")
    _custom_role_stack_set(cf, StackSetOutputBucket="role-templates")
    stack_set = cf.describe_stack_set(StackSetName="custom")["StackSet"]
    path = stack_set["StackSetOutputBucketPath"]
    assert path == "s3://role-templates/StackSets/custom/execution-role-template"
    key = path.removeprefix("s3://role-templates/")
    assert s3.get_object(Bucket="role-templates", Key=key)["Body"].read().decode() == ROLE_TEMPLATE


def test_update_stack_set_takes_a_role_template_from_s3(cf: Any, organization: dict[str, str]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="templates")
    s3.put_object(Bucket="templates", Key="role.json", Body=ROLE_TEMPLATE.encode())
    cf.create_stack_set(
        StackSetName="custom",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": False},
    )
    cf.create_stack_instances(
        StackSetName="custom", DeploymentTargets={"OrganizationalUnitIds": [organization["unit"]]}, Regions=[REGION]
    )
    operation_id = cf.update_stack_set(
        StackSetName="custom",
        TemplateBody=TOPIC_TEMPLATE,
        ExecutionRoleTemplateUrl="https://s3.amazonaws.com/templates/role.json",
    )["OperationId"]
    stages = _operation(cf, "custom", operation_id)["StatusDetails"]["Stages"]
    assert stages["RoleProvisioning"]["Status"] == "SUCCEEDED"
    assert "StackSet-custom-ExecutionRole" in {
        s["StackName"] for s in client_in(organization["two"]).describe_stacks()["Stacks"]
    }


def test_server_mode_stages(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION, EU])[
        "OperationId"
    ]
    operation = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=operation_id)[
        "StackSetOperation"
    ]
    assert operation["StatusDetails"]["TotalStackInstancesCount"] == 2
    assert operation["StatusDetails"]["Stages"]["StackInstancesDeployment"]["PercentageCompleted"] == 100.0
    assert set(operation["RegionalStatusDetails"]) == {REGION, EU}


def test_delete_and_update_report_their_stages_too(cf: Any) -> None:
    cf.create_stack_set(StackSetName="plain", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="plain", Accounts=[ACCOUNT_A], Regions=[REGION, EU])
    update = cf.update_stack_set(StackSetName="plain", TemplateBody=TOPIC_TEMPLATE)["OperationId"]
    delete = cf.delete_stack_instances(StackSetName="plain", Accounts=[ACCOUNT_A], Regions=[EU], RetainStacks=False)[
        "OperationId"
    ]
    for operation_id, total in ((update, 2), (delete, 1)):
        details = _operation(cf, "plain", operation_id)["StatusDetails"]
        assert details["TotalStackInstancesCount"] == total
        assert details["Stages"]["RoleProvisioning"] == {"Status": "NOT_APPLICABLE"}
        assert details["Stages"]["StackInstancesDeployment"]["Status"] == "SUCCEEDED"
        assert details["Stages"]["StackInstancesDeployment"]["SucceededStackInstancesCount"] == total


def test_a_stopped_operation_counts_its_cancelled_instances(cf: Any) -> None:
    cf.create_stack_set(StackSetName="slow", TemplateBody=TOPIC_TEMPLATE)
    control.set_progression("manual")
    operation_id = cf.create_stack_instances(
        StackSetName="slow",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION],
        OperationPreferences={"MaxConcurrentCount": 1},
    )["OperationId"]
    cf.stop_stack_set_operation(StackSetName="slow", OperationId=operation_id)
    while _operation(cf, "slow", operation_id)["Status"] != "STOPPED":
        pass
    stage = _operation(cf, "slow", operation_id)["StatusDetails"]["Stages"]["StackInstancesDeployment"]
    assert stage["Status"] == "PARTIAL_SUCCESS"
    assert (stage["SucceededStackInstancesCount"], stage["CancelledStackInstancesCount"]) == (1, 2)
    assert stage["PercentageCompleted"] == 100.0


def test_aws_cli_against_the_server(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    """The AWS CLI v1 vendors its own botocore (1.46.3: botocore 1.43.62, without the stage members), so it
    shows the members its model has; a template with a type that exists nowhere is refused for it too."""
    server_cf.create_stack_set(StackSetName="cli", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="cli", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    answer = _aws_cli(
        server.endpoint, "describe-stack-set-operation", "--stack-set-name", "cli", "--operation-id", operation_id
    )
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["StackSetOperation"]["StatusDetails"]["FailedStackInstancesCount"] == 0
    refused = _aws_cli(
        server.endpoint, "validate-template", "--template-body", '{"Resources": {"T": {"Type": "AWS::SNS::Topicc"}}}'
    )
    assert refused.returncode != 0
    assert "Template format error: Unrecognized resource types: [AWS::SNS::Topicc]" in refused.stderr


def _counted_from_results(cf: Any, name: str, operation_id: str) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """What the operation's results say, counted here: the whole operation's and each region's counts."""
    pages = cf.get_paginator("list_stack_set_operation_results").paginate(StackSetName=name, OperationId=operation_id)
    rows = [row for page in pages for row in page["Summaries"]]

    def count(found: list[dict[str, Any]]) -> dict[str, int]:
        statuses = [row["Status"] for row in found]
        done = sum(statuses.count(s) for s in ("SUCCEEDED", "FAILED", "CANCELLED"))
        return {
            "SucceededStackInstancesCount": statuses.count("SUCCEEDED"),
            "FailedStackInstancesCount": statuses.count("FAILED"),
            "CancelledStackInstancesCount": statuses.count("CANCELLED"),
            "CompletedStackInstancesCount": done,
            "PendingStackInstancesCount": len(found) - done,
        }

    regions = {row["Region"] for row in rows}
    return count(rows), {region: count([row for row in rows if row["Region"] == region]) for region in regions}


@pytest.mark.parametrize("concurrency", ["SEQUENTIAL", "PARALLEL"])
def test_progress_counted_as_it_runs_matches_the_results_at_every_step(cf: Any, concurrency: str) -> None:
    """Progress is counted incrementally while an operation runs: at every step of a rollout with failures
    (one region's tolerance exceeded: its later targets cancelled) its totals are what its results say."""
    cf.create_stack_set(StackSetName="steps", TemplateBody=TOPIC_TEMPLATE)
    control.freeze_clock()
    control.set_progression("time", seconds=1)
    control.fail(account=ACCOUNT_A, region=EU, reason="quota")
    control.fail(account=ACCOUNT_B, region=EU, reason="quota")
    operation_id = cf.create_stack_instances(
        StackSetName="steps",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION, EU],
        OperationPreferences={
            "MaxConcurrentCount": 1,
            "FailureToleranceCount": 1,
            "RegionConcurrencyType": concurrency,
            "RegionOrder": [EU, REGION],
            "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE",
        },
    )["OperationId"]
    seen = []
    for _ in range(12):
        operation = _operation(cf, "steps", operation_id)
        stage = dict(operation["StatusDetails"]["Stages"]["StackInstancesDeployment"])
        seen.append((stage.pop("Status"), stage.pop("PercentageCompleted"), stage.pop("SkippedStackInstancesCount")))
        whole, by_region = _counted_from_results(cf, "steps", operation_id)
        assert stage == whole
        assert operation["StatusDetails"]["FailedStackInstancesCount"] == whole["FailedStackInstancesCount"]
        assert operation["StatusDetails"]["TotalStackInstancesCount"] == 6
        regional = {
            region: {k: v for k, v in detail["Stages"]["RegionalStackInstancesDeployment"].items() if k in whole}
            for region, detail in operation["RegionalStatusDetails"].items()
        }
        assert regional == by_region
        if operation["Status"] != "RUNNING":
            break
        control.advance(1)
    assert operation["Status"] == "FAILED"  # EU's tolerance exceeded (SEQUENTIAL: nothing else ran after it)
    assert seen[-1] == ("PARTIAL_SUCCESS" if concurrency == "PARALLEL" else "FAILED", 100.0, 0)
    assert whole["FailedStackInstancesCount"] == 2
    assert whole["CancelledStackInstancesCount"] == (1 if concurrency == "PARALLEL" else 4)
    assert [p for _, p, _ in seen] == sorted(p for _, p, _ in seen) and len(seen) >= 3


def test_a_failed_role_counted_as_it_runs_skips_that_accounts_instances(cf: Any, organization: dict[str, str]) -> None:
    """The skipped instances of an account whose role failed are counted at the step that skips them."""
    _custom_role_stack_set(cf)
    control.freeze_clock()
    control.set_progression("time", seconds=1)
    control.fail_role(account=organization["one"], reason="no role")
    operation_id = cf.create_stack_instances(
        StackSetName="custom",
        DeploymentTargets={"OrganizationalUnitIds": [organization["unit"]]},
        Regions=[REGION, EU],
        OperationPreferences={"MaxConcurrentCount": 1, "FailureToleranceCount": 4},
    )["OperationId"]
    skipped = []
    for _ in range(10):
        operation = _operation(cf, "custom", operation_id)
        stages = operation["StatusDetails"]["Stages"]
        stage = dict(stages["StackInstancesDeployment"])
        skipped.append(stage.pop("SkippedStackInstancesCount"))
        stage.pop("Status"), stage.pop("PercentageCompleted")
        whole, _ = _counted_from_results(cf, "custom", operation_id)
        # a skipped instance is CANCELLED in the results and counted as skipped (not cancelled) in the stage
        whole["CancelledStackInstancesCount"] -= skipped[-1]
        assert stage == whole
        if operation["Status"] != "RUNNING":
            break
        control.advance(1)
    assert skipped[0] == 0 and skipped[-1] == 2
    assert stages["RoleProvisioning"]["FailedAccountsCount"] == 1
    assert stages["RoleProvisioning"]["SucceededAccountsCount"] == 1
