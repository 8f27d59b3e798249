"""Pagination: one token mechanism behind every list call, with AWS's limits and errors."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from support import ACCOUNT_A, REGION, TOPIC_TEMPLATE, error_of

ACCOUNTS = [f"{n:012d}" for n in range(100000000001, 100000000008)]


@pytest.fixture
def baseline(cf: Any) -> str:
    return str(cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"])


def _operations(cf: Any, count: int) -> list[str]:
    return [
        cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
        for _ in range(count)
    ]


def test_paginator_walks_operations_newest_first(cf: Any, baseline: str) -> None:
    ids = _operations(cf, 7)
    pages = list(
        cf.get_paginator("list_stack_set_operations").paginate(
            StackSetName="baseline", PaginationConfig={"PageSize": 3}
        )
    )
    assert [len(p["Summaries"]) for p in pages] == [3, 3, 1]
    assert "NextToken" not in pages[-1]
    assert [s["OperationId"] for p in pages for s in p["Summaries"]] == ids[::-1]


def test_every_list_call_paginates(cf: Any, baseline: str) -> None:
    for index in range(4):
        cf.create_stack_set(StackSetName=f"extra-{index}", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=ACCOUNTS, Regions=[REGION])[
        "OperationId"
    ]
    calls = {
        "list_stack_sets": ({}, 5),
        "list_stack_instances": ({"StackSetName": "baseline"}, len(ACCOUNTS)),
        "list_stack_set_operation_results": ({"StackSetName": "baseline", "OperationId": operation_id}, len(ACCOUNTS)),
    }
    for name, (kwargs, total) in calls.items():
        pages = list(cf.get_paginator(name).paginate(**kwargs, PaginationConfig={"PageSize": 2}))
        assert all(len(p["Summaries"]) <= 2 for p in pages), name
        items = [s for p in pages for s in p["Summaries"]]
        assert len(items) == total, name
        assert len(pages) == (total + 1) // 2, name


def test_filters_and_pagination_together(cf: Any, baseline: str) -> None:
    for index in range(3):
        cf.create_stack_set(StackSetName=f"gone-{index}", TemplateBody=TOPIC_TEMPLATE)
        cf.delete_stack_set(StackSetName=f"gone-{index}")
    pages = list(cf.get_paginator("list_stack_sets").paginate(Status="DELETED", PaginationConfig={"PageSize": 2}))
    assert [len(p["Summaries"]) for p in pages] == [2, 1]
    assert {s["Status"] for p in pages for s in p["Summaries"]} == {"DELETED"}


def test_default_page_size_is_100(cf: Any, baseline: str) -> None:
    _operations(cf, 101)
    first = cf.list_stack_set_operations(StackSetName="baseline")
    assert len(first["Summaries"]) == 100
    second = cf.list_stack_set_operations(StackSetName="baseline", NextToken=first["NextToken"])
    assert len(second["Summaries"]) == 1
    assert "NextToken" not in second


@pytest.mark.parametrize("max_results", [101, 500])
def test_max_results_over_100_is_rejected(cf: Any, baseline: str, max_results: int) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_set_operations(StackSetName="baseline", MaxResults=max_results)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"
    )


def test_pages_stay_consistent_while_operations_are_added(cf: Any, baseline: str) -> None:
    ids = _operations(cf, 5)
    first = cf.list_stack_set_operations(StackSetName="baseline", MaxResults=2)
    newer = _operations(cf, 3)
    rest: list[str] = []
    token = first["NextToken"]
    while token:
        page = cf.list_stack_set_operations(StackSetName="baseline", MaxResults=2, NextToken=token)
        rest += [s["OperationId"] for s in page["Summaries"]]
        token = page.get("NextToken")
    served = [s["OperationId"] for s in first["Summaries"]] + rest
    assert served == ids[::-1]
    assert not set(newer) & set(served)


def test_tampered_token_is_rejected(cf: Any, baseline: str) -> None:
    _operations(cf, 3)
    token = cf.list_stack_set_operations(StackSetName="baseline", MaxResults=1)["NextToken"]
    payload, mac = token.split(".")
    import base64
    import json

    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    decoded["after"] = decoded["after"] + 1
    forged = base64.urlsafe_b64encode(json.dumps(decoded, separators=(",", ":")).encode()).decode().rstrip("=")
    for bad in (f"{forged}.{mac}", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token", "x" * 50):
        with pytest.raises(ClientError) as excinfo:
            cf.list_stack_set_operations(StackSetName="baseline", MaxResults=1, NextToken=bad)
        assert error_of(excinfo) == ("ValidationError", 400), bad


def test_token_of_another_call_is_rejected(cf: Any, baseline: str) -> None:
    cf.create_stack_set(StackSetName="other", TemplateBody=TOPIC_TEMPLATE)
    _operations(cf, 3)
    for _ in range(3):
        cf.create_stack_instances(StackSetName="other", Accounts=[ACCOUNT_A], Regions=[REGION])
    token = cf.list_stack_set_operations(StackSetName="baseline", MaxResults=1)["NextToken"]
    foreign_calls = [
        lambda: cf.list_stack_set_operations(StackSetName="other", MaxResults=1, NextToken=token),
        lambda: cf.list_stack_sets(MaxResults=1, NextToken=token),
        lambda: cf.list_stack_instances(StackSetName="baseline", MaxResults=1, NextToken=token),
        lambda: boto3.client("cloudformation", region_name="eu-west-1").list_stack_sets(NextToken=token),
    ]
    for call in foreign_calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == ("ValidationError", 400)


def test_token_bound_to_filters(cf: Any, baseline: str) -> None:
    for index in range(3):
        cf.create_stack_set(StackSetName=f"active-{index}", TemplateBody=TOPIC_TEMPLATE)
    token = cf.list_stack_sets(Status="ACTIVE", MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_sets(Status="DELETED", MaxResults=1, NextToken=token)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert cf.list_stack_sets(Status="ACTIVE", MaxResults=1, NextToken=token)["Summaries"]


def test_token_from_before_a_reset_is_stale(baseline: str, cf: Any) -> None:
    from moto_stacksets_ext import control

    _operations(cf, 3)
    token = cf.list_stack_sets(MaxResults=1)
    assert "NextToken" not in token  # one stack set only
    for index in range(2):
        cf.create_stack_set(StackSetName=f"more-{index}", TemplateBody=TOPIC_TEMPLATE)
    token = cf.list_stack_sets(MaxResults=1)["NextToken"]
    control.reset()
    for index in range(3):
        cf.create_stack_set(StackSetName=f"after-{index}", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_sets(MaxResults=1, NextToken=token)
    assert error_of(excinfo) == ("ValidationError", 400)
