"""StackSets account gates: the AWSCloudFormationStackSetAccountGate function of each target account and region
decides, before the target is deployed, whether it proceeds (UserGuide "stacksets-account-gating")."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, client_in

EU = "eu-west-1"
SAMPLES = Path(__file__).parent / "gates"
GATE = "AWSCloudFormationStackSetAccountGate"
TEMPLATE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})


def gate_arn(account: str, region: str = REGION) -> str:
    return f"arn:aws:lambda:{region}:{account}:function:{GATE}"


def deploy_sample(cf: Any, sample: str, accounts: list[str], regions: list[str]) -> None:
    """Deploy one of AWS's sample gate templates to the targets, as teams do: through a stack set."""
    cf.create_stack_set(
        StackSetName=f"gate-{sample}",
        TemplateBody=(SAMPLES / f"accountgate-{sample}.yaml").read_text(),
        Capabilities=["CAPABILITY_IAM"],
    )
    operation = cf.create_stack_instances(StackSetName=f"gate-{sample}", Accounts=accounts, Regions=regions)
    status = cf.describe_stack_set_operation(StackSetName=f"gate-{sample}", OperationId=operation["OperationId"])
    assert status["StackSetOperation"]["Status"] == "SUCCEEDED"


def rollout(cf: Any, accounts: list[str], regions: list[str], **preferences: Any) -> tuple[str, list[dict[str, Any]]]:
    names = {s["StackSetName"] for s in cf.list_stack_sets(Status="ACTIVE")["Summaries"]}
    if "baseline" not in names:
        cf.create_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline", Accounts=accounts, Regions=regions, OperationPreferences=preferences
    )["OperationId"]
    status = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    rows = cf.get_paginator("list_stack_set_operation_results").paginate(
        StackSetName="baseline", OperationId=operation_id
    )
    return status["StackSetOperation"]["Status"], [row for page in rows for row in page["Summaries"]]


def by_target(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["Account"], row["Region"]): row for row in rows}


def test_no_gate_function_is_skipped(cf: Any) -> None:
    status, rows = rollout(cf, [ACCOUNT_A], [REGION])
    assert status == "SUCCEEDED"
    assert rows[0]["AccountGateResult"] == {
        "Status": "SKIPPED",
        "StatusReason": f"Function not found: {gate_arn(ACCOUNT_A)}",
    }


def test_looking_for_a_gate_makes_no_lambda_backend_in_the_target_account(cf: Any) -> None:
    from moto.awslambda.models import lambda_backends

    from moto_stacksets_ext import moto_internals

    status, rows = rollout(cf, [ACCOUNT_A, ACCOUNT_B], [REGION, EU])
    assert status == "SUCCEEDED"
    assert len(rows) == 4
    for row in rows:
        assert row["AccountGateResult"]["Status"] == "SKIPPED"
        assert moto_internals.existing_backend(lambda_backends, row["Account"], row["Region"]) is None


def test_a_lambda_backend_without_the_gate_function_skips_the_gate_too(cf: Any) -> None:
    from moto.awslambda.models import lambda_backends

    assert lambda_backends[ACCOUNT_A][REGION].list_functions() == []  # the account uses Lambda: backend made
    status, rows = rollout(cf, [ACCOUNT_A], [REGION])
    assert status == "SUCCEEDED"
    assert rows[0]["AccountGateResult"] == {
        "Status": "SKIPPED",
        "StatusReason": f"Function not found: {gate_arn(ACCOUNT_A)}",
    }


def test_the_succeeded_sample_lets_the_deployment_proceed(cf: Any) -> None:
    deploy_sample(cf, "succeeded", [ACCOUNT_A, ACCOUNT_B], [REGION])
    status, rows = rollout(cf, [ACCOUNT_A, ACCOUNT_B], [REGION])
    assert status == "SUCCEEDED"
    for row in rows:
        assert row["Status"] == "SUCCEEDED"
        assert row["AccountGateResult"] == {"Status": "SUCCEEDED"}
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )
    stack_id = instance["StackInstance"]["StackId"]
    stack = client_in(ACCOUNT_A).describe_stacks(StackName=stack_id)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"


def test_the_failed_sample_fails_the_target_and_counts_toward_tolerance(cf: Any) -> None:
    deploy_sample(cf, "failed", [ACCOUNT_B], [REGION])  # only account B is gated, only in us-east-1
    status, rows = rollout(
        cf,
        [ACCOUNT_A, ACCOUNT_B],
        [REGION, EU],
        FailureToleranceCount=0,
        MaxConcurrentCount=1,
        RegionOrder=[REGION, EU],
    )
    assert status == "FAILED"
    found = by_target(rows)
    reason = f"Account gate function {gate_arn(ACCOUNT_B)} returned FAILED"
    assert found[(ACCOUNT_A, REGION)]["Status"] == "SUCCEEDED"
    assert found[(ACCOUNT_B, REGION)]["Status"] == "FAILED"
    assert found[(ACCOUNT_B, REGION)]["StatusReason"] == reason
    assert found[(ACCOUNT_B, REGION)]["AccountGateResult"] == {"Status": "FAILED", "StatusReason": reason}
    # tolerance 0 exceeded: the next region never started
    assert {found[(a, EU)]["Status"] for a in (ACCOUNT_A, ACCOUNT_B)} == {"CANCELLED"}
    assert all("AccountGateResult" not in found[(a, EU)] for a in (ACCOUNT_A, ACCOUNT_B))
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )["StackInstance"]
    assert (instance["Status"], instance["StackInstanceStatus"]["DetailedStatus"]) == ("OUTDATED", "FAILED")
    assert instance["StatusReason"] == reason
    assert "StackId" not in instance
    # nothing was deployed in the gated account: only the gate's own stack is there
    stacks = client_in(ACCOUNT_B).list_stacks(StackStatusFilter=["CREATE_COMPLETE"])["StackSummaries"]
    assert [s["StackName"] for s in stacks if not s["StackName"].startswith("StackSet-gate-failed-")] == []


def test_a_failed_gate_within_tolerance_leaves_the_operation_succeeded(cf: Any) -> None:
    deploy_sample(cf, "failed", [ACCOUNT_B], [REGION])
    status, rows = rollout(cf, [ACCOUNT_A, ACCOUNT_B], [REGION], FailureToleranceCount=1)
    assert status == "SUCCEEDED"
    assert [r["Status"] for r in rows] == ["SUCCEEDED", "FAILED"]
    operations = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operations[0]["OperationId"])
    assert operation["StackSetOperation"]["StatusDetails"]["FailedStackInstancesCount"] == 1


def test_a_registered_callable_gets_the_event_and_its_reason_is_kept(cf: Any) -> None:
    events: list[dict[str, Any]] = []

    def gate(event: dict[str, Any], context: Any) -> dict[str, str]:
        events.append(event)
        assert context.invoked_function_arn == gate_arn(ACCOUNT_A, EU)
        return {"Status": "FAILED", "StatusReason": "Alarm HighErrorRate is in ALARM"}

    control.account_gate(gate, account=ACCOUNT_A, region=EU)
    status, rows = rollout(cf, [ACCOUNT_A], [REGION, EU], FailureToleranceCount=0)
    assert status == "FAILED"
    found = by_target(rows)
    assert found[(ACCOUNT_A, REGION)]["AccountGateResult"]["Status"] == "SKIPPED"
    failed = found[(ACCOUNT_A, EU)]
    assert failed["AccountGateResult"] == {"Status": "FAILED", "StatusReason": "Alarm HighErrorRate is in ALARM"}
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    (event,) = events
    assert event == {
        "AccountId": ACCOUNT_A,
        "Region": EU,
        "StackSetName": "baseline",
        "StackSetId": stack_set["StackSetId"],
        "OperationId": cf.list_stack_set_operations(StackSetName="baseline")["Summaries"][0]["OperationId"],
        "Action": "CREATE",
    }


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ("SUCCEEDED", "SUCCEEDED", None),
        ('{"Status": "SUCCEEDED"}', "SUCCEEDED", None),
        ({"Status": "SKIPPED"}, "FAILED", "returned status 'SKIPPED' (SUCCEEDED or FAILED expected)"),
        (None, "FAILED", "returned no status (SUCCEEDED or FAILED expected)"),
    ],
)
def test_what_the_gate_answers(cf: Any, answer: Any, status: str, reason: str | None) -> None:
    control.account_gate(lambda event, context: answer, account=ACCOUNT_A, region=REGION)
    _, (row,) = rollout(cf, [ACCOUNT_A], [REGION], FailureToleranceCount=1)
    expected = (
        {"Status": status}
        if reason is None
        else {"Status": status, "StatusReason": f"Account gate function {gate_arn(ACCOUNT_A)} {reason}"}
    )
    assert row["AccountGateResult"] == expected
    assert row["Status"] == ("SUCCEEDED" if status == "SUCCEEDED" else "FAILED")


def test_a_gate_that_raises_fails_the_target(cf: Any) -> None:
    def gate(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("CloudWatch unreachable")

    control.account_gate(gate, account=ACCOUNT_A, region=REGION)
    _, (row,) = rollout(cf, [ACCOUNT_A], [REGION])
    assert row["Status"] == "FAILED"
    assert row["AccountGateResult"]["StatusReason"] == (
        f"Account gate function {gate_arn(ACCOUNT_A)} failed: RuntimeError: CloudWatch unreachable"
    )


def test_a_function_the_mock_cannot_run_is_skipped(cf: Any, caplog: pytest.LogCaptureFixture) -> None:
    iam = client_in(ACCOUNT_A, "iam")
    role = iam.create_role(RoleName="gate", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.js", "exports.handler = async () => ({Status: 'FAILED'});")
    client_in(ACCOUNT_A, "lambda").create_function(
        FunctionName=GATE, Runtime="nodejs20.x", Role=role, Handler="index.handler", Code={"ZipFile": buffer.getvalue()}
    )
    with caplog.at_level("WARNING", logger="moto_stacksets_ext.cloudformation.gates"):
        status, (row,) = rollout(cf, [ACCOUNT_A], [REGION])
    assert (status, row["Status"]) == ("SUCCEEDED", "SUCCEEDED")
    assert f"Account gate skipped: Function {gate_arn(ACCOUNT_A)} cannot be invoked by the mock" in caplog.text
    assert row["AccountGateResult"] == {
        "Status": "SKIPPED",
        "StatusReason": f"Function {gate_arn(ACCOUNT_A)} cannot be invoked by the mock: "
        "runtime nodejs20.x cannot run in-process (python only)",
    }


def test_the_gate_is_asked_for_every_operation(cf: Any) -> None:
    actions: list[str] = []

    def gate(event: dict[str, Any], context: Any) -> str:
        actions.append(event["Action"])
        return "SUCCEEDED"

    control.account_gate(gate, account=ACCOUNT_A, region=REGION)
    rollout(cf, [ACCOUNT_A], [REGION])
    cf.update_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE.replace("Topic", "Queue", 1))
    cf.detect_stack_set_drift(StackSetName="baseline")
    cf.delete_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False)
    assert actions == ["CREATE", "UPDATE", "DETECT_DRIFT", "DELETE"]


def test_a_failed_gate_on_delete_keeps_the_instance(cf: Any) -> None:
    rollout(cf, [ACCOUNT_A], [REGION])
    control.account_gate(lambda event, context: {"Status": "FAILED"}, account=ACCOUNT_A, region=REGION)
    operation_id = cf.delete_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    assert operation["StackSetOperation"]["Status"] == "FAILED"
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )["StackInstance"]
    assert instance["Status"] == "INOPERABLE"
    stack = client_in(ACCOUNT_A).describe_stacks(StackName=instance["StackId"])["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"


def test_removing_the_registered_gate(cf: Any) -> None:
    control.account_gate(lambda event, context: "FAILED", account=ACCOUNT_A, region=REGION)
    control.account_gate(None, account=ACCOUNT_A, region=REGION)
    _, (row,) = rollout(cf, [ACCOUNT_A], [REGION])
    assert row["AccountGateResult"]["Status"] == "SKIPPED"


def test_account_gate_arguments_are_checked(aws: None) -> None:
    with pytest.raises(TypeError, match="callable"):
        control.account_gate("not a function", account=ACCOUNT_A)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="account"):
        control.account_gate(lambda e, c: "SUCCEEDED", account="123")


def test_the_failed_sample_in_server_mode(server_cf: Any, server: Any) -> None:
    cf = server_cf
    deploy_sample(cf, "failed", [ACCOUNT_A], [REGION])
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    (row,) = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    assert row["Status"] == "FAILED"
    assert row["AccountGateResult"]["Status"] == "FAILED"
    with pytest.raises(ClientError):
        cf.describe_stack_instance(StackSetName="baseline", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION)


def test_the_gate_function_is_per_account_and_region(cf: Any) -> None:
    lam = boto3.client("lambda", region_name=REGION)
    assert lam.list_functions()["Functions"] == []
    deploy_sample(cf, "failed", [ACCOUNT_A], [EU])
    _, rows = rollout(cf, [ACCOUNT_A], [REGION, EU], FailureToleranceCount=1)
    found = by_target(rows)
    assert found[(ACCOUNT_A, REGION)]["AccountGateResult"]["Status"] == "SKIPPED"
    assert found[(ACCOUNT_A, EU)]["AccountGateResult"]["Status"] == "FAILED"
