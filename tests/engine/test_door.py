"""Engine rules without any front-end: the door (lock + catch-up), listings, queued creates after deletes."""

from __future__ import annotations

import threading

import pytest

from moto_stacksets_ext.engine import door
from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.errors import OperationNotFound, StackSetNameExists
from moto_stacksets_ext.engine.model import (
    InstanceStatus,
    OperationStatus,
    Target,
)
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeBook, OutcomeKind
from moto_stacksets_ext.engine.requests import ListQuery, OperationRequest
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, B, Transition, spec


def test_a_read_of_the_stack_set_sees_drift_detection_that_the_clock_finished(
    ns: StackSetNamespace, clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION), Target(B, REGION)], None, OperationRequest())
    transition.value = {"progression": "time", "seconds": 10}
    outcomes.add(Outcome(OutcomeKind.DRIFT, cloud="test", account=B))
    ns.detect_drift("base", OperationRequest())
    assert ns.get_stack_set("base").stack_set_drift_detection_details is None

    clock.advance(60)
    # Nothing read the operation: the stack set itself is caught up when it is read.
    details = ns.get_stack_set("base").stack_set_drift_detection_details
    assert details is not None
    assert (details.drift_detection_status, details.drifted_stack_instances_count) == ("COMPLETED", 1)
    listed = ns.page_stack_sets("stack-sets", ListQuery()).items
    assert [s.drift_status.value for s in listed] == ["DRIFTED"]


def test_catch_up_all_takes_due_steps_in_every_namespace(
    ns: StackSetNamespace, clock: Clock, transition: Transition
) -> None:
    ns.create_stack_set(spec())
    transition.value = {"progression": "time", "seconds": 5}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    clock.advance(30)
    door.catch_up_all()
    # Nothing entered the namespace, yet the operation ended when the clock made its steps due.
    assert operation.status is OperationStatus.SUCCEEDED


def test_a_create_queued_behind_a_delete_of_the_same_instance_creates_it_again(
    ns: StackSetNamespace, transition: Transition
) -> None:
    ns.create_stack_set(spec(managed=True))
    transition.value = {"progression": "manual", "times": 1}
    first = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    delete = ns.delete_instances("base", [Target(A, REGION)], False, OperationRequest())
    again = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    assert [first.status, delete.status, again.status] == [
        OperationStatus.RUNNING,
        OperationStatus.QUEUED,
        OperationStatus.QUEUED,
    ]
    for operation in (first, delete, again):
        for _ in range(5):  # a poll loop: each read is one step
            if ns.get_operation("base", operation.operation_id).status.ended:
                break
    assert [o.status for o in (first, delete, again)] == [OperationStatus.SUCCEEDED] * 3
    instances = ns.page_instances("base", "instances", ListQuery())[1].items
    assert [(i.account, i.region, i.status) for i in instances] == [(A, REGION, InstanceStatus.CURRENT)]


def test_listings_by_page_number_count_every_match(ns: StackSetNamespace) -> None:
    for index in range(7):
        ns.create_stack_set(spec(f"s{index}"))
    page = ns.page_stack_sets("numbered", ListQuery(number=2, limit=3))
    assert ([s.stack_set_name for s in page.items], page.total) == (["s3", "s4", "s5"], 7)
    newest = ns.page_stack_sets("numbered", ListQuery(number=1, limit=2, newest_first=True))
    assert [s.stack_set_name for s in newest.items] == ["s6", "s5"]
    odd = ns.page_stack_sets(
        "numbered", ListQuery(number=2, limit=2, predicate=lambda s: int(s.stack_set_name[1:]) % 2 == 1)
    )
    assert ([s.stack_set_name for s in odd.items], odd.total) == (["s5"], 3)


def test_operation_listings_are_reads_and_find_operations_by_id_alone(
    ns: StackSetNamespace, transition: Transition
) -> None:
    ns.create_stack_set(spec())
    transition.value = {"progression": "manual", "times": 2}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    for _ in range(2):
        ns.page_operations("base", "ops", ListQuery(number=1, limit=10))
    assert operation.status is OperationStatus.SUCCEEDED
    stack_set, found, page = ns.page_results(operation.operation_id, "results", ListQuery(number=1, limit=10))
    assert (stack_set.stack_set_name, found, len(page.items)) == ("base", operation, 1)
    with pytest.raises(OperationNotFound):
        ns.read_operation("no-such-operation")


def test_concurrent_creates_of_one_name_make_one_stack_set(ns: StackSetNamespace) -> None:
    barrier = threading.Barrier(8)
    won: list[str] = []
    lost: list[str] = []

    def create() -> None:
        barrier.wait()
        try:
            ns.create_stack_set(spec("same"))
            won.append("ok")
        except StackSetNameExists:
            lost.append("exists")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(won), len(lost)) == (1, 7)


def test_concurrent_operations_on_one_stack_set_each_get_a_place(ns: StackSetNamespace) -> None:
    ns.create_stack_set(spec(managed=True))
    barrier = threading.Barrier(6)
    ids: list[str] = []

    def create(account: str) -> None:
        barrier.wait()
        for region in ("us-east-1", "us-west-2", "eu-central-1"):
            ids.append(ns.create_instances("base", [Target(account, region)], None, OperationRequest()).operation_id)

    threads = [threading.Thread(target=create, args=(f"{n:012d}",)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    listed = ns.page_operations("base", "operations", ListQuery(limit=100))[1].items
    assert sorted(o.operation_id for o in listed) == sorted(ids)
    assert len(set(ids)) == 18
