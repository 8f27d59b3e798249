"""ManagedExecution: queued operations in request order, concurrent when they do not conflict."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE, error_of


@pytest.fixture
def managed(cf: Any) -> str:
    cf.create_stack_set(StackSetName="managed", TemplateBody=TOPIC_TEMPLATE, ManagedExecution={"Active": True})
    control.set_progression("manual", times=1000)  # operations only move when a test steps them
    return "managed"


def status(cf: Any, operation_id: str) -> str:
    found: str = cf.describe_stack_set_operation(StackSetName="managed", OperationId=operation_id)["StackSetOperation"][
        "Status"
    ]
    return found


def step(operation_id: str) -> None:
    control.namespace().step("managed", operation_id)


def test_new_operations_queue_behind_running_ones_and_start_in_turn(cf: Any, managed: str) -> None:
    first = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A, ACCOUNT_C], Regions=[REGION])[
        "OperationId"
    ]
    other_account = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_B], Regions=[REGION])[
        "OperationId"
    ]
    same_account = cf.update_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    assert [status(cf, op) for op in (first, other_account, same_account)] == ["RUNNING", "QUEUED", "QUEUED"]
    queued = cf.describe_stack_set_operation(StackSetName="managed", OperationId=other_account)["StackSetOperation"]
    assert "EndTimestamp" not in queued

    # The first operation moves: the non-conflicting one starts beside it, the conflicting one waits.
    step(first)
    assert [status(cf, op) for op in (first, other_account, same_account)] == ["RUNNING", "RUNNING", "QUEUED"]
    step(other_account)
    assert [status(cf, op) for op in (first, other_account, same_account)] == ["RUNNING", "SUCCEEDED", "QUEUED"]
    step(first)
    assert [status(cf, op) for op in (first, same_account)] == ["SUCCEEDED", "RUNNING"]
    step(same_account)
    assert status(cf, same_account) == "SUCCEEDED"
    assert [s["Status"] for s in cf.list_stack_set_operations(StackSetName="managed")["Summaries"]] == ["SUCCEEDED"] * 3


def test_conflicting_operations_wait_in_request_order(cf: Any, managed: str) -> None:
    first = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
    second = cf.update_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
    third = cf.update_stack_set(StackSetName="managed", TemplateBody=TOPIC_TEMPLATE)["OperationId"]
    step(first)
    assert [status(cf, op) for op in (second, third)] == ["RUNNING", "QUEUED"]
    step(second)
    assert status(cf, third) == "RUNNING"


def test_a_queued_operation_can_be_stopped(cf: Any, managed: str) -> None:
    first = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
    queued = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
    cf.stop_stack_set_operation(StackSetName="managed", OperationId=queued)
    assert status(cf, queued) == "STOPPED"
    rows = cf.list_stack_set_operation_results(StackSetName="managed", OperationId=queued)["Summaries"]
    assert [r["Status"] for r in rows] == ["CANCELLED"]
    assert status(cf, first) == "RUNNING"


def test_managed_execution_cannot_change_while_operations_are_in_flight(cf: Any, managed: str) -> None:
    cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_set(StackSetName="managed", UsePreviousTemplate=True, ManagedExecution={"Active": False})
    assert error_of(excinfo) == ("InvalidOperationException", 400)
    assert cf.describe_stack_set(StackSetName="managed")["StackSet"]["ManagedExecution"] == {"Active": True}
    assert len(cf.list_stack_set_operations(StackSetName="managed")["Summaries"]) == 1


def test_only_one_drift_detection_at_a_time(cf: Any, managed: str) -> None:
    cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])
    cf.detect_stack_set_drift(StackSetName="managed")
    with pytest.raises(ClientError) as excinfo:
        cf.detect_stack_set_drift(StackSetName="managed")
    assert error_of(excinfo) == ("OperationInProgressException", 409)


def test_an_operation_that_conflicts_with_nothing_does_not_wait_behind_a_queued_conflicting_one(
    cf: Any, managed: str
) -> None:
    first = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A, ACCOUNT_C], Regions=[REGION])[
        "OperationId"
    ]
    conflicting = cf.update_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    free = cf.create_stack_instances(StackSetName="managed", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
    assert [status(cf, op) for op in (first, conflicting, free)] == ["RUNNING", "QUEUED", "QUEUED"]
    step(first)  # the first moves: the free one starts although a conflicting one is queued ahead of it
    assert [status(cf, op) for op in (first, conflicting, free)] == ["RUNNING", "QUEUED", "RUNNING"]
    step(first)
    assert [status(cf, op) for op in (first, conflicting)] == ["SUCCEEDED", "RUNNING"]
