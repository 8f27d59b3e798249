"""Scripted outcomes: matchers, consumption, removal and reset."""

from __future__ import annotations

from typing import Any

import pytest

from moto_stacksets_ext import OutcomeKind, control

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE

EU = "eu-west-1"


@pytest.fixture
def two_sets(cf: Any) -> None:
    cf.create_stack_set(StackSetName="alpha", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_set(StackSetName="beta", TemplateBody=TOPIC_TEMPLATE)


def deploy(
    cf: Any, stack_set: str, accounts: list[str], regions: list[str] | None = None
) -> dict[tuple[str, str], str]:
    operation_id = cf.create_stack_instances(
        StackSetName=stack_set,
        Accounts=accounts,
        Regions=regions or [REGION],
        OperationPreferences={"FailureTolerancePercentage": 100, "MaxConcurrentPercentage": 100},
    )["OperationId"]
    rows = cf.list_stack_set_operation_results(StackSetName=stack_set, OperationId=operation_id)["Summaries"]
    return {(r["Account"], r["Region"]): r["Status"] for r in rows}


def test_the_next_two_deployments_fail_then_succeed(cf: Any, two_sets: None) -> None:
    rule = control.fail(account=ACCOUNT_A, reason="flaky", times=2)
    assert deploy(cf, "alpha", [ACCOUNT_A])[(ACCOUNT_A, REGION)] == "FAILED"
    assert deploy(cf, "alpha", [ACCOUNT_A])[(ACCOUNT_A, REGION)] == "FAILED"
    assert deploy(cf, "alpha", [ACCOUNT_A])[(ACCOUNT_A, REGION)] == "SUCCEEDED"
    assert rule.consumed == 2
    assert control.unconsumed_outcomes() == []


def test_a_whole_region_fails(cf: Any, two_sets: None) -> None:
    control.fail(region=EU, reason="region down")
    results = deploy(cf, "alpha", [ACCOUNT_A, ACCOUNT_B], [REGION, EU])
    assert results == {
        (ACCOUNT_A, REGION): "SUCCEEDED",
        (ACCOUNT_B, REGION): "SUCCEEDED",
        (ACCOUNT_A, EU): "FAILED",
        (ACCOUNT_B, EU): "FAILED",
    }


def test_matching_by_stack_set_name_or_id_and_action(cf: Any, two_sets: None) -> None:
    beta_id = cf.describe_stack_set(StackSetName="beta")["StackSet"]["StackSetId"]
    control.fail(stack_set=beta_id, action="UPDATE", reason="updates of beta fail")
    control.fail(stack_set="alpha", account=ACCOUNT_B, reason="alpha in B fails")
    assert deploy(cf, "beta", [ACCOUNT_A, ACCOUNT_B]) == {
        (ACCOUNT_A, REGION): "SUCCEEDED",
        (ACCOUNT_B, REGION): "SUCCEEDED",
    }
    assert deploy(cf, "alpha", [ACCOUNT_A, ACCOUNT_B]) == {
        (ACCOUNT_A, REGION): "SUCCEEDED",
        (ACCOUNT_B, REGION): "FAILED",
    }
    operation_id = cf.update_stack_set(
        StackSetName="beta", TemplateBody=TOPIC_TEMPLATE, OperationPreferences={"FailureTolerancePercentage": 100}
    )["OperationId"]
    rows = cf.list_stack_set_operation_results(StackSetName="beta", OperationId=operation_id)["Summaries"]
    assert {r["StatusReason"] for r in rows} == {"updates of beta fail"}


def test_succeed_skips_the_real_deployment(cf: Any) -> None:
    cf.create_stack_set(StackSetName="unrunnable", TemplateBody='{"Resources": {"X": {"Type": "AWS::Nope::Nope"}}}')
    control.succeed(stack_set="unrunnable")
    results = deploy(cf, "unrunnable", [ACCOUNT_A])
    assert results == {(ACCOUNT_A, REGION): "SUCCEEDED"}


def test_rules_are_listed_removed_and_reset(cf: Any, two_sets: None) -> None:
    first = control.fail(account=ACCOUNT_A)
    second = control.drift(account=ACCOUNT_B)
    assert [(o.kind, o.consumed) for o in control.outcomes] == [(OutcomeKind.FAIL, 0), (OutcomeKind.DRIFT, 0)]
    assert control.unconsumed_outcomes() == [first, second]
    assert control.remove_outcome(first.outcome_id)
    assert not control.remove_outcome(first.outcome_id)
    assert deploy(cf, "alpha", [ACCOUNT_A]) == {(ACCOUNT_A, REGION): "SUCCEEDED"}
    control.reset()
    assert control.outcomes == []


def test_times_must_be_positive(aws: None) -> None:
    with pytest.raises(ValueError, match="times"):
        control.fail(times=0)
