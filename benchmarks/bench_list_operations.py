"""Cost of one page of ListStackSetOperations with 100 vs 10,000 operations stored.

Run: ``python benchmarks/bench_list_operations.py``. Both sizes are measured in the same run, through
boto3 under the mock (the full request path); the result is printed as a ratio, which should stay close
to 1 (a page costs O(page size), not O(operations stored)).
"""

from __future__ import annotations

import os
import statistics
import time

import boto3

from moto_stacksets_ext import mock_stacksets
from moto_stacksets_ext.cloudformation.models import stacksets_backends
from moto_stacksets_ext.engine.stacksets import OperationRequest

ACCOUNT = "123456789012"
REGION = "us-east-1"
TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
REPEAT = 30


def store(name: str, count: int) -> None:
    """Record ``count`` operations on a new stack set (empty DELETE operations: cheap to create)."""
    cf = boto3.client("cloudformation", region_name=REGION)
    cf.create_stack_set(StackSetName=name, TemplateBody=TEMPLATE)
    namespace = stacksets_backends[ACCOUNT][REGION].namespace
    for _ in range(count):
        namespace.delete_instances(name, [], False, OperationRequest())


def page_cost(name: str, pages_in: int = 0) -> float:
    """Median seconds for one page of 100, ``pages_in`` pages into the list (0: the first page)."""
    cf = boto3.client("cloudformation", region_name=REGION)
    kwargs: dict[str, str] = {}
    for _ in range(pages_in):
        kwargs = {"NextToken": cf.list_stack_set_operations(StackSetName=name, MaxResults=100, **kwargs)["NextToken"]}
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        page = cf.list_stack_set_operations(StackSetName=name, MaxResults=100, **kwargs)
        samples.append(time.perf_counter() - start)
        assert len(page["Summaries"]) == 100
    return statistics.median(samples)


def main() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with mock_stacksets():
        store("small", 100)
        store("large", 10_000)
        small = page_cost("small")
        large_first = page_cost("large")
        large_middle = page_cost("large", pages_in=50)
    print(f"first page of 100, 100 operations stored:      {small * 1000:8.2f} ms  (baseline)")
    for label, cost in (
        ("first page of 100, 10,000 operations stored:", large_first),
        ("page 51 of 100, 10,000 operations stored:   ", large_middle),
    ):
        print(f"{label}   {cost * 1000:8.2f} ms  ratio {cost / small:.2f}")
    print("O(page) means ratios close to 1; a walk over every stored operation would be ~100.")


if __name__ == "__main__":
    main()
