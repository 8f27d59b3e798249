"""DetectStackSetDrift from scripted drift, and the optional strict role checks."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, ADMIN, REGION, TOPIC_TEMPLATE, client_in, error_of


@pytest.fixture
def deployed(cf: Any) -> str:
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    return "baseline"


def test_drift_detection_reports_scripted_drift(cf: Any, deployed: str) -> None:
    assert cf.describe_stack_set(StackSetName="baseline")["StackSet"].get("StackSetDriftDetectionDetails") is None
    control.drift(account=ACCOUNT_B)
    operation_id = cf.detect_stack_set_drift(StackSetName="baseline", OperationId="drift-1")["OperationId"]
    assert operation_id == "drift-1"
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId="drift-1")["StackSetOperation"]
    assert operation["Action"] == "DETECT_DRIFT"
    assert operation["Status"] == "SUCCEEDED"
    details = operation["StackSetDriftDetectionDetails"]
    assert details["DriftStatus"] == "DRIFTED"
    assert details["DriftDetectionStatus"] == "COMPLETED"
    assert (details["TotalStackInstancesCount"], details["DriftedStackInstancesCount"]) == (2, 1)
    assert (details["InSyncStackInstancesCount"], details["FailedStackInstancesCount"]) == (1, 0)
    assert details["InProgressStackInstancesCount"] == 0
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["StackSetDriftDetectionDetails"] == details
    (summary,) = cf.list_stack_sets()["Summaries"]
    assert summary["DriftStatus"] == "DRIFTED"
    assert summary["LastDriftCheckTimestamp"] == details["LastDriftCheckTimestamp"]
    drifted = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )
    assert drifted["StackInstance"]["DriftStatus"] == "DRIFTED"
    assert drifted["StackInstance"]["LastOperationId"] == "drift-1"
    assert drifted["StackInstance"]["Status"] == "CURRENT"
    filtered = cf.list_stack_instances(StackSetName="baseline", Filters=[{"Name": "DRIFT_STATUS", "Values": "IN_SYNC"}])
    assert [s["Account"] for s in filtered["Summaries"]] == [ACCOUNT_A]


def test_drift_counts_while_in_progress(cf: Any, deployed: str) -> None:
    control.set_progression("manual", times=1000)
    operation_id = cf.detect_stack_set_drift(StackSetName="baseline")["OperationId"]
    details = control.operation("baseline", operation_id).stack_set_drift_detection_details
    assert details is not None
    assert (details.drift_detection_status, details.in_progress_stack_instances_count) == ("IN_PROGRESS", 2)
    assert details.last_drift_check_timestamp is None


def test_drift_detection_of_an_unknown_stack_set(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.detect_stack_set_drift(StackSetName="ghost")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)


TRUST_ADMIN = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ADMIN}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def test_strict_roles_fail_targets_without_the_execution_role(cf: Any) -> None:
    control.strict_roles = True
    boto3.client("iam").create_role(
        RoleName="AWSCloudFormationStackSetAdministrationRole", AssumeRolePolicyDocument=TRUST_ADMIN
    )
    client_in(ACCOUNT_A, "iam").create_role(
        RoleName="AWSCloudFormationStackSetExecutionRole", AssumeRolePolicyDocument=TRUST_ADMIN
    )
    cf.create_stack_set(StackSetName="strict", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(
        StackSetName="strict",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    rows = {
        r["Account"]: r
        for r in cf.list_stack_set_operation_results(StackSetName="strict", OperationId=operation_id)["Summaries"]
    }
    assert rows[ACCOUNT_A]["Status"] == "SUCCEEDED"
    assert rows[ACCOUNT_B]["Status"] == "FAILED"
    assert rows[ACCOUNT_B]["StatusReason"] == (
        f"Account {ACCOUNT_B} should have 'AWSCloudFormationStackSetExecutionRole' role with trust relationship "
        "to Role 'AWSCloudFormationStackSetAdministrationRole'."
    )


def test_strict_roles_need_the_administration_role(cf: Any) -> None:
    control.strict_roles = True
    cf.create_stack_set(StackSetName="strict", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="strict", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    (row,) = cf.list_stack_set_operation_results(StackSetName="strict", OperationId=operation_id)["Summaries"]
    assert row["Status"] == "FAILED"
    assert "AWSCloudFormationStackSetAdministrationRole" in row["StatusReason"]


def test_strict_roles_are_off_by_default_and_reset(cf: Any) -> None:
    assert control.strict_roles is False
    control.strict_roles = True
    control.reset()
    assert control.strict_roles is False
