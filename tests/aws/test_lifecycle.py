"""Operations that run: polling with manual progression, time progression on the engine clock, stop."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.moto_api import state_manager

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE, error_of

EU = "eu-west-1"
AP = "ap-south-1"


def wait_for_operation(cf: Any, stack_set: str, operation_id: str, max_polls: int = 50) -> tuple[str, list[str]]:
    """What user code does: poll DescribeStackSetOperation until the operation ends."""
    seen: list[str] = []
    for _ in range(max_polls):
        operation = cf.describe_stack_set_operation(StackSetName=stack_set, OperationId=operation_id)
        status = operation["StackSetOperation"]["Status"]
        seen.append(status)
        if status in ("SUCCEEDED", "FAILED", "STOPPED"):
            return status, seen
        assert "EndTimestamp" not in operation["StackSetOperation"]
    raise AssertionError(f"operation still {seen[-1]} after {max_polls} polls")


@pytest.fixture
def baseline(cf: Any) -> str:
    return str(cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"])


def test_the_operation_model_is_registered_with_the_state_manager(aws: None) -> None:
    assert "cloudformation::stackset-operation" in state_manager.get_registered_models()
    assert state_manager.get_transition("cloudformation::stackset-operation") == {"progression": "immediate"}


def test_polling_loop_with_manual_progression(cf: Any, baseline: str) -> None:
    state_manager.set_transition("cloudformation::stackset-operation", {"progression": "manual", "times": 1})
    operation_id = cf.create_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION, EU]
    )["OperationId"]

    results = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    # That read advanced the operation by one step: the first account is done, the second started.
    assert [r["Status"] for r in results] == ["SUCCEEDED", "RUNNING", "PENDING", "PENDING"]
    assert "AccountGateResult" not in results[1]
    running = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )
    assert running["StackInstance"]["Status"] == "OUTDATED"
    assert running["StackInstance"]["StackInstanceStatus"] == {"DetailedStatus": "RUNNING"}
    assert "StackId" not in running["StackInstance"]

    status, seen = wait_for_operation(cf, "baseline", operation_id)
    assert status == "SUCCEEDED"
    assert seen == ["RUNNING", "RUNNING", "SUCCEEDED"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["EndTimestamp"] >= operation["CreationTimestamp"]
    summaries = cf.list_stack_instances(StackSetName="baseline")["Summaries"]
    assert {(s["Status"], s["StackInstanceStatus"]["DetailedStatus"]) for s in summaries} == {("CURRENT", "SUCCEEDED")}


def test_manual_progression_every_n_reads(cf: Any, baseline: str) -> None:
    control.set_progression("manual", times=3)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    status, seen = wait_for_operation(cf, "baseline", operation_id)
    assert (status, seen) == ("SUCCEEDED", ["RUNNING", "RUNNING", "SUCCEEDED"])


def test_time_progression_on_the_engine_clock(cf: Any, baseline: str) -> None:
    start = control.freeze_clock()
    control.set_progression("time", seconds=30)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C], Regions=[REGION]
    )["OperationId"]

    def status() -> dict[str, Any]:
        found: dict[str, Any] = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)[
            "StackSetOperation"
        ]
        return found

    assert status()["Status"] == "RUNNING"
    assert status()["Status"] == "RUNNING"  # reads alone do not move time-based operations
    control.advance(29)
    assert status()["Status"] == "RUNNING"
    control.advance(31)  # t=60: two steps due: A finished at 30, B at 60, C now in flight
    assert status()["Status"] == "RUNNING"
    control.advance(30)
    done = status()
    assert done["Status"] == "SUCCEEDED"
    assert done["CreationTimestamp"] == start
    assert (done["EndTimestamp"] - start).total_seconds() == 90
    ended = {r.account: r.ended_at for r in control.results("baseline", operation_id)}
    assert {account: (moment - start).total_seconds() for account, moment in ended.items() if moment} == {
        ACCOUNT_A: 30,
        ACCOUNT_B: 60,
        ACCOUNT_C: 90,
    }


def test_time_progression_follows_the_wall_clock_too(cf: Any, baseline: str) -> None:
    control.set_progression("time", seconds=0.05)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    time.sleep(0.2)
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    assert operation["StackSetOperation"]["Status"] == "SUCCEEDED"


def test_every_timestamp_comes_from_the_engine_clock(cf: Any, baseline: str) -> None:
    frozen = control.freeze_clock()
    later = control.advance(3600)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["CreationTimestamp"] == operation["EndTimestamp"] == later
    assert (later - frozen).total_seconds() == 3600


def test_operation_in_progress_then_retry(cf: Any, baseline: str) -> None:
    control.set_progression("manual")
    first = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])[
        "OperationId"
    ]
    arn = cf.describe_stack_set(StackSetName="baseline")["StackSet"]["StackSetARN"]
    for call in (
        lambda: cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_C], Regions=[REGION]),
        lambda: cf.update_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE),
        lambda: cf.delete_stack_instances(
            StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False
        ),
        lambda: cf.delete_stack_set(StackSetName="baseline"),
        lambda: cf.detect_stack_set_drift(StackSetName="baseline"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == ("OperationInProgressException", 409)
        assert excinfo.value.response["Error"]["Message"] == f"Another Operation on StackSet {arn} is in progress"
    assert [i["Account"] for i in cf.list_stack_instances(StackSetName="baseline")["Summaries"]] == [
        ACCOUNT_A,
        ACCOUNT_B,
    ]

    assert wait_for_operation(cf, "baseline", first)[0] == "SUCCEEDED"
    retry = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_C], Regions=[REGION])["OperationId"]
    assert wait_for_operation(cf, "baseline", retry)[0] == "SUCCEEDED"


def test_stop_mid_rollout(cf: Any, baseline: str) -> None:
    control.set_progression("manual")
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A, ACCOUNT_B, ACCOUNT_C],
        Regions=[REGION, EU],
        OperationPreferences={"MaxConcurrentCount": 2, "FailureToleranceCount": 2},
    )["OperationId"]
    # In flight now: A and B in us-east-1.
    cf.stop_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    operation = control.operation("baseline", operation_id)
    assert operation.status.value == "STOPPING"
    status, _ = wait_for_operation(cf, "baseline", operation_id)
    assert status == "STOPPED"
    rows = {
        (r["Account"], r["Region"]): (r["Status"], r.get("StatusReason"))
        for r in cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    }
    assert rows[(ACCOUNT_A, REGION)][0] == rows[(ACCOUNT_B, REGION)][0] == "SUCCEEDED"
    cancelled = [key for key, (status, _) in rows.items() if status == "CANCELLED"]
    assert sorted(cancelled) == sorted([(ACCOUNT_C, REGION), (ACCOUNT_A, EU), (ACCOUNT_B, EU), (ACCOUNT_C, EU)])
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_C, StackInstanceRegion=EU
    )
    assert instance["StackInstance"]["Status"] == "OUTDATED"
    assert instance["StackInstance"]["StackInstanceStatus"] == {"DetailedStatus": "CANCELLED"}
    stopped = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert stopped["StatusReason"]
    with pytest.raises(ClientError) as excinfo:
        cf.stop_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    assert error_of(excinfo) == ("InvalidOperationException", 400)
    assert (
        cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"][
            "Status"
        ]
        == "STOPPED"
    )


def test_a_stop_with_nothing_in_flight_is_immediate(cf: Any, baseline: str) -> None:
    control.set_progression("manual", times=1000)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    cf.stop_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    # Account A was in flight: it finishes with the next step, then the operation is STOPPED.
    control.namespace().step("baseline", operation_id)
    assert control.operation("baseline", operation_id).status.value == "STOPPED"
