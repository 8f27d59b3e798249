"""Each lifecycle family once through the server, scripted over HTTP."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE, error_of

EU, AP = "eu-west-1", "ap-south-1"


def control(server: ThreadedStackSetsServer, path: str, body: Any) -> Any:
    response = requests.post(f"{server.endpoint}/moto-api/stacksets{path}", json=body, timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def manual(server: ThreadedStackSetsServer) -> Any:
    control(server, "/progression", {"progression": "manual", "times": 1})
    yield
    control(server, "/progression", {"progression": "immediate"})


def test_sequential_rollout_failure_cancels_later_regions(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    control(server, "/outcomes", {"region": EU, "reason": "region outage"})
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(
        StackSetName="served",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION, EU, AP],
        OperationPreferences={"RegionOrder": [REGION, EU, AP]},
    )["OperationId"]
    rows = server_cf.list_stack_set_operation_results(StackSetName="served", OperationId=operation_id)["Summaries"]
    by_region: dict[str, list[str]] = {}
    for row in rows:
        by_region.setdefault(row["Region"], []).append(row["Status"])
    assert by_region == {REGION: ["SUCCEEDED"] * 2, EU: ["FAILED", "CANCELLED"], AP: ["CANCELLED"] * 2}
    operation = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=operation_id)
    assert operation["StackSetOperation"]["Status"] == "FAILED"


def test_in_progress_stop_and_queue(server_cf: Any, server: ThreadedStackSetsServer, manual: None) -> None:
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    running = server_cf.create_stack_instances(
        StackSetName="served", Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C], Regions=[REGION]
    )["OperationId"]
    with pytest.raises(ClientError) as excinfo:
        server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[EU])
    assert error_of(excinfo) == ("OperationInProgressException", 409)
    server_cf.stop_stack_set_operation(StackSetName="served", OperationId=running)
    statuses = [
        server_cf.describe_stack_set_operation(StackSetName="served", OperationId=running)["StackSetOperation"][
            "Status"
        ]
        for _ in range(2)
    ]
    assert statuses == ["STOPPED", "STOPPED"]
    rows = server_cf.list_stack_set_operation_results(StackSetName="served", OperationId=running)["Summaries"]
    assert [r["Status"] for r in rows] == ["SUCCEEDED", "CANCELLED", "CANCELLED"]

    server_cf.create_stack_set(StackSetName="managed", TemplateBody=TOPIC_TEMPLATE, ManagedExecution={"Active": True})
    first = server_cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])[
        "OperationId"
    ]
    queued = server_cf.update_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    summaries = server_cf.list_stack_set_operations(StackSetName="managed")["Summaries"]
    assert {s["OperationId"]: s["Status"] for s in summaries}[queued] == "QUEUED"
    for _ in range(10):
        if (
            server_cf.describe_stack_set_operation(StackSetName="managed", OperationId=first)["StackSetOperation"][
                "Status"
            ]
            == "SUCCEEDED"
        ):
            break
    for _ in range(10):
        status = server_cf.describe_stack_set_operation(StackSetName="managed", OperationId=queued)[
            "StackSetOperation"
        ]["Status"]
        if status == "SUCCEEDED":
            break
    assert status == "SUCCEEDED"


def test_drift_and_auto_deployment(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    organizations = boto3.client("organizations", region_name=REGION, endpoint_url=server.endpoint)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    unit = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]

    def account(name: str) -> str:
        account_id: str = organizations.create_account(AccountName=name, Email=f"{name}@example.com")[
            "CreateAccountStatus"
        ]["AccountId"]
        organizations.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=unit)
        return account_id

    first = account("first")
    server_cf.create_stack_set(
        StackSetName="auto",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
    )
    server_cf.create_stack_instances(
        StackSetName="auto", DeploymentTargets={"OrganizationalUnitIds": [unit]}, Regions=[REGION]
    )
    late = account("late")
    accounts = {s["Account"] for s in server_cf.list_stack_instances(StackSetName="auto")["Summaries"]}
    assert accounts == {first, late}

    control(server, "/outcomes", {"kind": "DRIFT", "account": late})
    operation_id = server_cf.detect_stack_set_drift(StackSetName="auto")["OperationId"]
    details = server_cf.describe_stack_set_operation(StackSetName="auto", OperationId=operation_id)[
        "StackSetOperation"
    ]["StackSetDriftDetectionDetails"]
    assert (details["DriftStatus"], details["DriftedStackInstancesCount"]) == ("DRIFTED", 1)
