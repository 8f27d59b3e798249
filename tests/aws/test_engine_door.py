"""Regressions of the engine door through boto3: no stale read, no lost instance, no race in server mode."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, error_of

MODEL = "cloudformation::stackset-operation"


def test_drift_details_are_fresh_after_the_clock_moves(cf: Any) -> None:
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    control.set_progression("time", seconds=10)
    control.drift(account=ACCOUNT_B)
    cf.detect_stack_set_drift(StackSetName="baseline")
    control.advance(60)

    # Nothing read the operation: DescribeStackSet and ListStackSets see it ended all the same.
    details = cf.describe_stack_set(StackSetName="baseline")["StackSet"]["StackSetDriftDetectionDetails"]
    assert details["DriftDetectionStatus"] == "COMPLETED"
    assert (details["DriftStatus"], details["DriftedStackInstancesCount"]) == ("DRIFTED", 1)
    summaries = cf.list_stack_sets()["Summaries"]
    assert [s["DriftStatus"] for s in summaries] == ["DRIFTED"]


def test_a_create_queued_behind_a_delete_keeps_its_instance(cf: Any) -> None:
    """ManagedExecution with manual progression: Create, Delete, Create of one instance ends with it there."""
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE, ManagedExecution={"Active": True})
    control.set_progression("manual", times=1)
    ids = [
        cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"],
        cf.delete_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False)[
            "OperationId"
        ],
        cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"],
    ]
    statuses = []
    for operation_id in ids:
        for _ in range(10):
            found = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
            if found["StackSetOperation"]["Status"] in ("SUCCEEDED", "FAILED", "STOPPED"):
                break
        statuses.append(found["StackSetOperation"]["Status"])
    assert statuses == ["SUCCEEDED"] * 3
    instances = cf.list_stack_instances(StackSetName="baseline")["Summaries"]
    assert [(i["Account"], i["Region"], i["Status"]) for i in instances] == [(ACCOUNT_A, REGION, "CURRENT")]


def _race(count: int, call: Any) -> tuple[list[Any], list[Exception]]:
    barrier = threading.Barrier(count)
    answers: list[Any] = []
    errors: list[Exception] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers.append(call(index))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_creates_of_one_name_in_server_mode_make_one_stack_set(server_cf: Any, round_: int) -> None:
    answers, errors = _race(6, lambda _: server_cf.create_stack_set(StackSetName="same", TemplateBody=TOPIC_TEMPLATE))
    assert len(answers) == 1
    assert {error_of_client(e) for e in errors} == {("NameAlreadyExistsException", 409)}
    assert len(server_cf.list_stack_sets(Status="ACTIVE")["Summaries"]) == 1


def test_simultaneous_create_stack_instances_in_server_mode_are_queued_not_500(server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="busy", TemplateBody=TOPIC_TEMPLATE, ManagedExecution={"Active": True})
    accounts = [f"{n:012d}" for n in range(100000000001, 100000000009)]
    answers, errors = _race(
        8,
        lambda n: server_cf.create_stack_instances(StackSetName="busy", Accounts=[accounts[n]], Regions=[REGION]),
    )
    assert errors == [] and len(answers) == 8
    listed = server_cf.list_stack_set_operations(StackSetName="busy")["Summaries"]
    assert sorted(o["OperationId"] for o in listed) == sorted(a["OperationId"] for a in answers)
    assert len(server_cf.list_stack_instances(StackSetName="busy")["Summaries"]) == 8


def error_of_client(error: Exception) -> tuple[str, int]:
    assert isinstance(error, ClientError), error
    with pytest.raises(ClientError) as caught:
        raise error
    return error_of(caught)
