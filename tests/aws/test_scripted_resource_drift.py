"""control.drift(resources=...): drift that names resources, as ListStackInstanceResourceDrifts shows it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moto_stacksets_ext import control
from moto_stacksets_ext.control import (
    ControlArgumentError,
    DifferenceType,
    DriftedResource,
    PropertyDifference,
    ResourceDriftStatus,
)

from support import ACCOUNT_A, ACCOUNT_B, REGION

TEMPLATE = json.dumps({"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}, "Jobs": {"Type": "AWS::SQS::Queue"}}})


def _drifts(cf: Any, operation_id: str, account: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every page (botocore has no paginator for this call), one summary a page."""
    found: list[dict[str, Any]] = []
    token: dict[str, str] = {}
    while True:
        page = cf.list_stack_instance_resource_drifts(
            StackSetName="watched",
            OperationId=operation_id,
            StackInstanceAccount=account,
            StackInstanceRegion=REGION,
            MaxResults=1,
            **token,
            **kwargs,
        )
        found += page["Summaries"]
        if "NextToken" not in page:
            return found
        token = {"NextToken": page["NextToken"]}


def _statuses(drifts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(d["LogicalResourceId"], d["StackResourceDriftStatus"]) for d in drifts]


def _instance_drift(cf: Any, account: str) -> str:
    status: str = cf.describe_stack_instance(
        StackSetName="watched", StackInstanceAccount=account, StackInstanceRegion=REGION
    )["StackInstance"]["DriftStatus"]
    return status


def test_drift_names_the_resources_that_drifted(cf: Any) -> None:
    cf.create_stack_set(StackSetName="watched", TemplateBody=TEMPLATE)
    cf.create_stack_instances(StackSetName="watched", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    control.drift(account=ACCOUNT_A, resources={"Jobs": "MODIFIED"})
    control.drift(account=ACCOUNT_B, resources={"Alerts": "NOT_CHECKED", "NotInTheTemplate": "DELETED"})
    operation_id = cf.detect_stack_set_drift(StackSetName="watched")["OperationId"]

    drifts = _drifts(cf, operation_id, ACCOUNT_A)
    assert _statuses(drifts) == [("Alerts", "IN_SYNC"), ("Jobs", "MODIFIED")]
    assert all("PropertyDifferences" not in d for d in drifts)
    assert _statuses(_drifts(cf, operation_id, ACCOUNT_A, StackInstanceResourceDriftStatuses=["MODIFIED"])) == [
        ("Jobs", "MODIFIED")
    ]
    assert _statuses(_drifts(cf, operation_id, ACCOUNT_A, StackInstanceResourceDriftStatuses=["IN_SYNC"])) == [
        ("Alerts", "IN_SYNC")
    ]
    assert _instance_drift(cf, ACCOUNT_A) == "DRIFTED"

    # NOT_CHECKED is no drift, and a logical id the stack does not have is ignored.
    assert _statuses(_drifts(cf, operation_id, ACCOUNT_B)) == [("Alerts", "NOT_CHECKED"), ("Jobs", "IN_SYNC")]
    assert _drifts(cf, operation_id, ACCOUNT_B, StackInstanceResourceDriftStatuses=["DELETED", "MODIFIED"]) == []
    assert _instance_drift(cf, ACCOUNT_B) == "IN_SYNC"
    details = cf.describe_stack_set(StackSetName="watched")["StackSet"]["StackSetDriftDetectionDetails"]
    assert (details["DriftedStackInstancesCount"], details["InSyncStackInstancesCount"]) == (1, 1)


def test_property_differences_and_deleted_resources(cf: Any) -> None:
    cf.create_stack_set(StackSetName="watched", TemplateBody=TEMPLATE)
    cf.create_stack_instances(StackSetName="watched", Accounts=[ACCOUNT_A], Regions=[REGION])
    control.drift(
        resources=[
            DriftedResource(
                "Jobs",
                ResourceDriftStatus.MODIFIED,
                (PropertyDifference("/VisibilityTimeout", "30", "60", DifferenceType.NOT_EQUAL),),
            ),
            DriftedResource("Alerts", "DELETED"),  # type: ignore[arg-type]  # a status's name is accepted too
        ]
    )
    operation_id = cf.detect_stack_set_drift(StackSetName="watched")["OperationId"]
    drifts = {d["LogicalResourceId"]: d for d in _drifts(cf, operation_id, ACCOUNT_A)}
    assert drifts["Alerts"]["StackResourceDriftStatus"] == "DELETED"
    assert "PropertyDifferences" not in drifts["Alerts"]
    assert drifts["Jobs"]["PropertyDifferences"] == [
        {
            "PropertyPath": "/VisibilityTimeout",
            "ExpectedValue": "30",
            "ActualValue": "60",
            "DifferenceType": "NOT_EQUAL",
        }
    ]
    deleted = _drifts(cf, operation_id, ACCOUNT_A, StackInstanceResourceDriftStatuses=["DELETED"])
    assert _statuses(deleted) == [("Alerts", "DELETED")]


def test_drift_without_resources_still_modifies_every_resource(cf: Any) -> None:
    cf.create_stack_set(StackSetName="watched", TemplateBody=TEMPLATE)
    cf.create_stack_instances(StackSetName="watched", Accounts=[ACCOUNT_A], Regions=[REGION])
    control.drift(resources=None)
    operation_id = cf.detect_stack_set_drift(StackSetName="watched")["OperationId"]
    assert _statuses(_drifts(cf, operation_id, ACCOUNT_A)) == [("Alerts", "MODIFIED"), ("Jobs", "MODIFIED")]


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        ({"Jobs": "CHANGED"}, "must be one of \\['IN_SYNC', 'MODIFIED', 'DELETED', 'NOT_CHECKED'"),
        ({7: "MODIFIED"}, "logical resource id must be a string"),
        ("Jobs", "must be a mapping of logical resource id"),
        (["Jobs", DriftedResource("Jobs")], "names 'Jobs' more than once"),
        ([DriftedResource("Jobs", property_differences=("x",))], "PropertyDifference objects"),  # type: ignore[arg-type]
        (
            [DriftedResource("Jobs", property_differences=(PropertyDifference("/A", "1", "2", "SAME"),))],  # type: ignore[arg-type]
            "difference_type must be one of \\['ADD', 'REMOVE', 'NOT_EQUAL'\\]",
        ),
        (
            [
                DriftedResource(
                    "Jobs",
                    "DELETED",  # type: ignore[arg-type]
                    (PropertyDifference("/A", "1", "2"),),
                )
            ],
            "MODIFIED resources only",
        ),
    ],
)
def test_bad_resources_are_refused_at_the_call(aws: None, resources: Any, message: str) -> None:
    with pytest.raises(ControlArgumentError, match=message):
        control.drift(resources=resources)
    assert control.outcomes == []


def test_resources_are_for_drift_outcomes_only(aws: None) -> None:
    from moto_stacksets_ext import Outcome, OutcomeKind

    with pytest.raises(ControlArgumentError, match="DRIFT outcomes only"):
        control.add_outcome(Outcome(OutcomeKind.FAIL, resources=(DriftedResource("Jobs"),)))
    assert control.outcomes == []
