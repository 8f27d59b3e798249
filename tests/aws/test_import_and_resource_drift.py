"""ImportStacksToStackSet (existing moto stacks adopted as instances) and ListStackInstanceResourceDrifts."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, ADMIN, REGION, client_in, error_of

TEMPLATE = json.dumps({"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}, "Jobs": {"Type": "AWS::SQS::Queue"}}})


def _legacy_stack(account: str, name: str = "legacy") -> str:
    stack_id: str = client_in(account).create_stack(StackName=name, TemplateBody=TEMPLATE)["StackId"]
    return stack_id


def _instance(cf: Any, account: str) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_instance(
        StackSetName="adopter", StackInstanceAccount=account, StackInstanceRegion=REGION
    )["StackInstance"]
    return found


def test_import_adopts_existing_stacks_as_instances(cf: Any) -> None:
    stack_id = _legacy_stack(ACCOUNT_A)
    own = cf.create_stack(StackName="own", TemplateBody=TEMPLATE)["StackId"]
    cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    operation_id = cf.import_stacks_to_stack_set(
        StackSetName="adopter", StackIds=[stack_id, "own"], OperationPreferences={"MaxConcurrentCount": 2}
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="adopter", OperationId=operation_id)["StackSetOperation"]
    assert (operation["Action"], operation["Status"]) == ("CREATE", "SUCCEEDED")
    instance = _instance(cf, ACCOUNT_A)
    assert instance["StackId"] == stack_id
    assert (instance["Status"], instance["StackInstanceStatus"]) == ("CURRENT", {"DetailedStatus": "SUCCEEDED"})
    assert _instance(cf, ADMIN)["StackId"] == own
    # The stacks are the instances' from now on: an update of the stack set updates them, no new stack appears.
    cf.update_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE, Description="v2")
    (stack,) = client_in(ACCOUNT_A).describe_stacks()["Stacks"]
    assert stack["StackId"] == stack_id


def test_import_refusals_change_nothing(cf: Any) -> None:
    stack_id = _legacy_stack(ACCOUNT_A)
    cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    missing = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_B}:stack/ghost/0b0b0b0b-0000-4000-8000-000000000000"
    cases = [
        ({"StackIds": [missing]}, ("StackNotFoundException", 404)),
        ({"StackIds": [stack_id], "StackIdsUrl": "s3://bucket/ids.json"}, ("ValidationError", 400)),
        ({}, ("ValidationError", 400)),
        ({"StackIds": [f"{stack_id}-{n}" for n in range(11)]}, ("LimitExceededException", 400)),
        ({"StackIds": [stack_id], "OrganizationalUnitIds": ["ou-abcd-12345678"]}, ("ValidationError", 400)),
    ]
    for kwargs, expected in cases:
        with pytest.raises(ClientError) as excinfo:
            cf.import_stacks_to_stack_set(StackSetName="adopter", **kwargs)
        assert error_of(excinfo) == expected, kwargs
    with pytest.raises(ClientError) as excinfo:
        cf.import_stacks_to_stack_set(StackSetName="missing", StackIds=[stack_id])
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
    assert cf.list_stack_set_operations(StackSetName="adopter")["Summaries"] == []
    assert cf.list_stack_instances(StackSetName="adopter")["Summaries"] == []
    # A target that already has an instance cannot take another stack.
    cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=[stack_id])
    other = _legacy_stack(ACCOUNT_A, "other")
    with pytest.raises(ClientError) as excinfo:
        cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=[other])
    assert error_of(excinfo) == ("ValidationError", 400)
    assert _instance(cf, ACCOUNT_A)["StackId"] == stack_id


def test_import_of_a_stack_gone_meanwhile_fails_the_target_and_can_be_retried(cf: Any) -> None:
    stack_id = _legacy_stack(ACCOUNT_A)
    cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    control.set_progression("manual", times=1)
    operation_id = cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=[stack_id])["OperationId"]
    client_in(ACCOUNT_A).delete_stack(StackName=stack_id)
    while True:
        operation = cf.describe_stack_set_operation(StackSetName="adopter", OperationId=operation_id)
        if operation["StackSetOperation"]["Status"] not in ("QUEUED", "RUNNING"):
            break
    assert operation["StackSetOperation"]["Status"] == "FAILED"
    instance = _instance(cf, ACCOUNT_A)
    assert (instance["Status"], instance["StackInstanceStatus"]) == ("INOPERABLE", {"DetailedStatus": "FAILED_IMPORT"})
    assert instance["StatusReason"] == f"Stack with id {stack_id} does not exist"
    control.reset_progression()
    again = _legacy_stack(ACCOUNT_A, "again")
    cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=[again])
    assert _instance(cf, ACCOUNT_A)["Status"] == "CURRENT"


def test_import_ids_from_s3(cf: Any) -> None:
    stack_id = _legacy_stack(ACCOUNT_A)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="imports")
    s3.put_object(Bucket="imports", Key="ids.json", Body=json.dumps([stack_id]).encode())
    cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    cf.import_stacks_to_stack_set(
        StackSetName="adopter", StackIdsUrl="https://imports.s3.amazonaws.com/ids.json", CallAs="SELF"
    )
    assert _instance(cf, ACCOUNT_A)["StackId"] == stack_id


def _drift_run(cf: Any) -> str:
    cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    cf.create_stack_instances(StackSetName="adopter", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    control.drift(account=ACCOUNT_A)
    operation_id: str = cf.detect_stack_set_drift(StackSetName="adopter")["OperationId"]
    return operation_id


def _drifts(cf: Any, operation_id: str, account: str, **kwargs: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = cf.list_stack_instance_resource_drifts(
        StackSetName="adopter",
        OperationId=operation_id,
        StackInstanceAccount=account,
        StackInstanceRegion=REGION,
        **kwargs,
    )["Summaries"]
    return found


def test_resource_drifts_of_a_drift_operation(cf: Any) -> None:
    operation_id = _drift_run(cf)
    drifted = _drifts(cf, operation_id, ACCOUNT_A)
    stack_id = _instance(cf, ACCOUNT_A)["StackId"]
    assert [(d["LogicalResourceId"], d["ResourceType"], d["StackResourceDriftStatus"]) for d in drifted] == [
        ("Alerts", "AWS::SNS::Topic", "MODIFIED"),
        ("Jobs", "AWS::SQS::Queue", "MODIFIED"),
    ]
    assert {d["StackId"] for d in drifted} == {stack_id}
    resources = client_in(ACCOUNT_A).list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
    assert {d["PhysicalResourceId"] for d in drifted} == {r["PhysicalResourceId"] for r in resources}
    assert {d["StackResourceDriftStatus"] for d in _drifts(cf, operation_id, ACCOUNT_B)} == {"IN_SYNC"}
    assert _drifts(cf, operation_id, ACCOUNT_B, StackInstanceResourceDriftStatuses=["MODIFIED"]) == []
    page = cf.list_stack_instance_resource_drifts(
        StackSetName="adopter",
        OperationId=operation_id,
        StackInstanceAccount=ACCOUNT_A,
        StackInstanceRegion=REGION,
        MaxResults=1,
    )
    assert [d["LogicalResourceId"] for d in page["Summaries"]] == ["Alerts"]
    rest = _drifts(cf, operation_id, ACCOUNT_A, MaxResults=1, NextToken=page["NextToken"])
    assert [d["LogicalResourceId"] for d in rest] == ["Jobs"]


def test_resource_drift_errors(cf: Any) -> None:
    operation_id = _drift_run(cf)
    for kwargs, expected in [
        ({"OperationId": "not-an-operation"}, ("OperationNotFoundException", 404)),
        ({"StackInstanceAccount": "999999999999"}, ("StackInstanceNotFoundException", 404)),
        ({"StackSetName": "missing"}, ("StackSetNotFoundException", 404)),
    ]:
        arguments = {
            "StackSetName": "adopter",
            "OperationId": operation_id,
            "StackInstanceAccount": ACCOUNT_A,
            "StackInstanceRegion": REGION,
            **kwargs,
        }
        with pytest.raises(ClientError) as excinfo:
            cf.list_stack_instance_resource_drifts(**arguments)
        assert error_of(excinfo) == expected, kwargs


def test_import_drift_and_targets_in_server_mode(server_cf: Any, server: Any) -> None:
    stack_id = client_in(ACCOUNT_A, endpoint=server.endpoint).create_stack(StackName="legacy", TemplateBody=TEMPLATE)[
        "StackId"
    ]
    server_cf.create_stack_set(StackSetName="adopter", TemplateBody=TEMPLATE)
    server_cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=[stack_id])
    operation_id = server_cf.detect_stack_set_drift(StackSetName="adopter")["OperationId"]
    drifts = server_cf.list_stack_instance_resource_drifts(
        StackSetName="adopter", OperationId=operation_id, StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )["Summaries"]
    assert [d["StackResourceDriftStatus"] for d in drifts] == ["IN_SYNC", "IN_SYNC"]
    assert server_cf.list_stack_set_auto_deployment_targets(StackSetName="adopter")["Summaries"] == []
    with pytest.raises(ClientError) as excinfo:
        server_cf.import_stacks_to_stack_set(StackSetName="adopter", StackIds=["nope"])
    assert error_of(excinfo) == ("StackNotFoundException", 404)
