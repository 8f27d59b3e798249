"""The engine's rules on their own: tolerance, stop, conflicts, tokens, and failed calls that change nothing."""

from __future__ import annotations

import pytest

from moto_stacksets_ext.engine.errors import (
    InvalidOperation,
    InvalidPageToken,
    OperationIdExists,
    OperationInProgress,
    StackInstanceNotFound,
    StackSetNotEmpty,
    StaleRequest,
)
from moto_stacksets_ext.engine.model import OperationStatus, Preferences, StackSet, Target, TargetStatus
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeBook, OutcomeKind
from moto_stacksets_ext.engine.pagination import Page
from moto_stacksets_ext.engine.requests import ListQuery, OperationRequest, StackSetChanges
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, Transition, spec

ACCOUNTS = [f"{n:012d}" for n in range(100000000001, 100000000006)]


def _targets(*accounts: str, region: str = REGION) -> list[Target]:
    return [Target(account, region) for account in accounts]


def test_strict_tolerance_cancels_the_rest_of_the_region(ns: StackSetNamespace, outcomes: OutcomeBook) -> None:
    ns.create_stack_set(spec())
    outcomes.add(Outcome(OutcomeKind.FAIL, reason="quota", cloud="test", account=ACCOUNTS[0]))
    outcomes.add(Outcome(OutcomeKind.FAIL, reason="quota", cloud="test", account=ACCOUNTS[1]))
    request = OperationRequest(preferences=Preferences(failure_tolerance_count=1))
    operation = ns.create_instances("base", _targets(*ACCOUNTS), None, request)
    assert operation.status is OperationStatus.FAILED
    assert [r.status for r in operation.results] == [
        TargetStatus.FAILED,
        TargetStatus.FAILED,
        TargetStatus.CANCELLED,
        TargetStatus.CANCELLED,
        TargetStatus.CANCELLED,
    ]
    assert operation.status_details is not None and operation.status_details.failed_stack_instances_count == 2


def test_a_stop_lets_targets_in_flight_finish(ns: StackSetNamespace, transition: Transition) -> None:
    ns.create_stack_set(spec())
    transition.value = {"progression": "manual", "times": 1}
    operation = ns.create_instances("base", _targets(*ACCOUNTS[:3]), None, OperationRequest())
    stopped = ns.stop_operation("base", operation.operation_id)
    assert stopped.status is OperationStatus.STOPPING
    assert [r.status for r in operation.results] == [
        TargetStatus.RUNNING,
        TargetStatus.CANCELLED,
        TargetStatus.CANCELLED,
    ]
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.STOPPED
    with pytest.raises(InvalidOperation):
        ns.stop_operation(None, operation.operation_id)


def test_conflicts_and_replays(ns: StackSetNamespace, transition: Transition) -> None:
    ns.create_stack_set(spec())
    first = ns.create_instances("base", _targets(ACCOUNTS[0]), None, OperationRequest(operation_id="op-1"))
    with pytest.raises(OperationIdExists):
        ns.create_instances("base", _targets(ACCOUNTS[1]), None, OperationRequest(operation_id="op-1"))
    ns.create_instances("base", _targets(ACCOUNTS[1]), None, OperationRequest(operation_id="op-2"))
    with pytest.raises(StaleRequest):
        ns.create_instances("base", _targets(ACCOUNTS[2]), None, OperationRequest(operation_id=first.operation_id))
    transition.value = {"progression": "manual", "times": 5}
    ns.create_instances("base", _targets(ACCOUNTS[3]), None, OperationRequest())
    with pytest.raises(OperationInProgress):
        ns.update_stack_set("base", StackSetChanges(), None, OperationRequest())


def test_failed_calls_change_nothing(ns: StackSetNamespace) -> None:
    ns.create_stack_set(spec())
    ns.create_instances("base", _targets(ACCOUNTS[0]), None, OperationRequest())
    before = (
        len(ns.page_operations("base", "operations", ListQuery(limit=100))[1].items),
        len(ns.page_instances("base", "instances", ListQuery(limit=100))[1].items),
    )
    with pytest.raises(StackInstanceNotFound):
        ns.update_instances("base", _targets(ACCOUNTS[0], ACCOUNTS[1]), None, OperationRequest())
    with pytest.raises(StackSetNotEmpty):
        ns.delete_stack_set("base")
    after = (
        len(ns.page_operations("base", "operations", ListQuery(limit=100))[1].items),
        len(ns.page_instances("base", "instances", ListQuery(limit=100))[1].items),
    )
    assert before == after == (1, 1)


def test_tokens_are_bound_to_their_listing_and_refused_when_tampered(ns: StackSetNamespace) -> None:
    for name in ("a", "b", "c"):
        ns.create_stack_set(spec(name))

    def listed(status: str | None, token: str | None) -> Page[StackSet]:
        return ns.page_stack_sets("stack-sets", ListQuery(token=token, limit=2, bound={"status": status}))

    page = listed(None, None)
    assert [s.stack_set_name for s in page.items] == ["a", "b"] and page.next_token is not None
    assert [s.stack_set_name for s in listed(None, page.next_token).items] == ["c"]
    with pytest.raises(InvalidPageToken):
        listed("ACTIVE", page.next_token)  # another filter: another binding
    with pytest.raises(InvalidPageToken):
        listed(None, page.next_token[:-2] + "xx")


def test_region_order_is_one_engine_rule(ns: StackSetNamespace) -> None:
    """Regions ``region_order`` lists go first, in its order (a repeat once, a region without targets left
    out), the others after them in the order their targets came; every cloud's preference comes here."""
    ns.create_stack_set(spec())
    targets = [Target(ACCOUNTS[0], region) for region in ("r-1", "r-2", "r-3", "r-4")]
    preferences = Preferences(region_order=["r-3", "r-9", "r-1", "r-3"])
    operation = ns.create_instances("base", targets, None, OperationRequest(preferences=preferences))
    assert [r.region for r in operation.results] == ["r-3", "r-1", "r-2", "r-4"]
    assert operation.status is OperationStatus.SUCCEEDED
