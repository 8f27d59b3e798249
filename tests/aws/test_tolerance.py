"""Failure tolerance, region order and concurrency: a 3-region x 4-account rollout with scripted failures."""

from __future__ import annotations

from typing import Any

import pytest

from moto_stacksets_ext import control

from support import TOPIC_TEMPLATE

US, EU, AP = "us-east-1", "eu-west-1", "ap-south-1"
ACCOUNTS = ["111111111111", "222222222222", "333333333333", "444444444444"]


@pytest.fixture
def baseline(cf: Any) -> str:
    return str(cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"])


def rollout(cf: Any, **preferences: Any) -> tuple[str, dict[tuple[str, str], str]]:
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=ACCOUNTS,
        Regions=[US, EU, AP],
        OperationPreferences={"RegionOrder": [US, EU, AP], **preferences},
    )["OperationId"]
    pages = cf.get_paginator("list_stack_set_operation_results").paginate(
        StackSetName="baseline", OperationId=operation_id
    )
    results = {(r["Account"], r["Region"]): r["Status"] for p in pages for r in p["Summaries"]}
    status = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    return status["Status"], results


def statuses_in(results: dict[tuple[str, str], str], region: str) -> list[str]:
    return [results[(account, region)] for account in ACCOUNTS]


def test_sequential_strict_cancels_the_rest_of_the_region_and_later_regions(cf: Any, baseline: str) -> None:
    control.fail(region=EU, reason="region outage")
    status, results = rollout(cf, FailureToleranceCount=1, MaxConcurrentCount=4)
    assert status == "FAILED"
    assert statuses_in(results, US) == ["SUCCEEDED"] * 4
    # STRICT: at most FailureToleranceCount + 1 = 2 accounts at once, so the other two never started.
    assert statuses_in(results, EU) == ["FAILED", "FAILED", "CANCELLED", "CANCELLED"]
    assert statuses_in(results, AP) == ["CANCELLED"] * 4
    rows = cf.list_stack_set_operation_results(
        StackSetName="baseline",
        OperationId=cf.list_stack_set_operations(StackSetName="baseline")["Summaries"][0]["OperationId"],
        Filters=[{"Name": "OPERATION_RESULT_STATUS", "Values": "CANCELLED"}],
    )["Summaries"]
    assert {r["StatusReason"] for r in rows} == {"Cancelled since failure tolerance has exceeded"}
    assert all("AccountGateResult" not in r for r in rows)


def test_parallel_regions_are_independent(cf: Any, baseline: str) -> None:
    control.fail(region=EU, reason="region outage")
    status, results = rollout(cf, FailureToleranceCount=1, MaxConcurrentCount=4, RegionConcurrencyType="PARALLEL")
    assert status == "FAILED"
    assert statuses_in(results, US) == ["SUCCEEDED"] * 4
    assert statuses_in(results, EU) == ["FAILED", "FAILED", "CANCELLED", "CANCELLED"]
    assert statuses_in(results, AP) == ["SUCCEEDED"] * 4


def test_soft_failure_tolerance_keeps_full_concurrency(cf: Any, baseline: str) -> None:
    control.fail(region=EU, reason="region outage")
    status, results = rollout(
        cf, FailureToleranceCount=1, MaxConcurrentCount=4, ConcurrencyMode="SOFT_FAILURE_TOLERANCE"
    )
    assert status == "FAILED"
    assert statuses_in(results, EU) == ["FAILED"] * 4  # all four were already running
    assert statuses_in(results, AP) == ["CANCELLED"] * 4


def test_failures_within_tolerance_succeed_with_a_count(cf: Any, baseline: str) -> None:
    control.fail(account=ACCOUNTS[0], region=EU)
    control.fail(account=ACCOUNTS[3], region=AP)
    status, results = rollout(cf, FailureToleranceCount=1)
    assert status == "SUCCEEDED"
    assert list(results.values()).count("FAILED") == 2
    (summary,) = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    assert summary["StatusDetails"]["FailedStackInstancesCount"] == 2


@pytest.mark.parametrize(
    ("percentage", "failures", "expected"), [(50, 2, "SUCCEEDED"), (50, 3, "FAILED"), (49, 2, "FAILED")]
)
def test_failure_tolerance_percentage_rounds_down(
    cf: Any, baseline: str, percentage: int, failures: int, expected: str
) -> None:
    for account in ACCOUNTS[:failures]:
        control.fail(account=account, region=US)
    status, _ = rollout(cf, FailureTolerancePercentage=percentage, MaxConcurrentCount=1)
    assert status == expected


def _batches(operation_id: str, region: str) -> list[int]:
    return [r.batch or 0 for r in control.results("baseline", operation_id) if r.region == region]


def test_strict_mode_throttles_and_the_order_is_observable(cf: Any, baseline: str) -> None:
    strict = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=ACCOUNTS,
        Regions=[US],
        OperationPreferences={"FailureToleranceCount": 1, "MaxConcurrentCount": 4},
    )["OperationId"]
    # min(MaxConcurrentCount, FailureToleranceCount + 1) = 2 accounts per step.
    assert _batches(strict, US) == [1, 1, 2, 2]
    soft = cf.update_stack_set(
        StackSetName="baseline",
        TemplateBody=TOPIC_TEMPLATE,
        OperationPreferences={
            "FailureToleranceCount": 1,
            "MaxConcurrentCount": 4,
            "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE",
        },
    )["OperationId"]
    assert _batches(soft, US) == [1, 1, 1, 1]


def test_strict_mode_lowers_concurrency_as_failures_occur(cf: Any, baseline: str) -> None:
    control.fail(account=ACCOUNTS[0], region=US)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=ACCOUNTS,
        Regions=[US],
        OperationPreferences={"FailureToleranceCount": 2, "MaxConcurrentCount": 3},
    )["OperationId"]
    # Step 1 runs 3 (min(3, 2 + 1)); one failed, so step 2 runs min(3, 2 + 1 - 1) = 2, and only one is left.
    assert _batches(operation_id, US) == [1, 1, 1, 2]


@pytest.mark.parametrize(("percentage", "expected"), [(25, [1, 2, 3, 4]), (10, [1, 2, 3, 4]), (50, [1, 1, 2, 2])])
def test_max_concurrent_percentage_rounds_down_never_below_one(
    cf: Any, baseline: str, percentage: int, expected: list[int]
) -> None:
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=ACCOUNTS,
        Regions=[US],
        OperationPreferences={
            "MaxConcurrentPercentage": percentage,
            "FailureToleranceCount": 3,
        },
    )["OperationId"]
    assert _batches(operation_id, US) == expected


def test_region_order_is_followed(cf: Any, baseline: str) -> None:
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=ACCOUNTS[:1],
        Regions=[US, EU, AP],
        OperationPreferences={"RegionOrder": [AP, US, EU]},
    )["OperationId"]
    ordered = sorted(control.results("baseline", operation_id), key=lambda r: r.batch or 0)
    assert [r.region for r in ordered] == [AP, US, EU]
    listed = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    assert [r["Region"] for r in listed] == [AP, US, EU]
