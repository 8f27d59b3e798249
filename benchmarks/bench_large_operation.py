"""One operation over 100 accounts x 10 regions, and the cost of paging through its 1,000 results.

Run: ``python benchmarks/bench_large_operation.py``. A 10-target operation is measured in the same run as
the baseline; the script prints the time to complete each operation and the median cost of one page of
results with MaxResults=10 (one page for the small one, 100 pages for the large one), as ratios. Paging
costs O(page): the per-page ratio stays near 1 although 100 times more results are stored.
"""

from __future__ import annotations

import os
import statistics
import time

import boto3

from moto_stacksets_ext import mock_stacksets

TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
    "eu-west-2", "eu-central-1", "ap-south-1", "ap-northeast-1", "sa-east-1",
]  # fmt: skip


def run(name: str, accounts: list[str], regions: list[str]) -> tuple[str, float]:
    cf = boto3.client("cloudformation", region_name="us-east-1")
    cf.create_stack_set(StackSetName=name, TemplateBody=TEMPLATE)
    start = time.perf_counter()
    operation_id = cf.create_stack_instances(
        StackSetName=name,
        Accounts=accounts,
        Regions=regions,
        OperationPreferences={"MaxConcurrentPercentage": 100, "FailureTolerancePercentage": 10,
                              "RegionConcurrencyType": "PARALLEL"},
    )["OperationId"]  # fmt: skip
    elapsed = time.perf_counter() - start
    status = cf.describe_stack_set_operation(StackSetName=name, OperationId=operation_id)["StackSetOperation"]
    assert status["Status"] == "SUCCEEDED", status
    return operation_id, elapsed


def page_costs(name: str, operation_id: str, page_size: int) -> tuple[int, float]:
    """Walk every page; return the number of results and the median seconds per page."""
    cf = boto3.client("cloudformation", region_name="us-east-1")
    costs, total, kwargs = [], 0, {}
    while True:
        start = time.perf_counter()
        page = cf.list_stack_set_operation_results(
            StackSetName=name, OperationId=operation_id, MaxResults=page_size, **kwargs
        )
        costs.append(time.perf_counter() - start)
        total += len(page["Summaries"])
        if "NextToken" not in page:
            return total, statistics.median(costs)
        kwargs = {"NextToken": page["NextToken"]}


def main() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    accounts = [f"{100000000000 + n:012d}" for n in range(100)]
    with mock_stacksets():
        small_id, small_time = run("small", accounts[:10], REGIONS[:1])
        large_id, large_time = run("large", accounts, REGIONS)
        small_count, small_page = page_costs("small", small_id, 10)
        large_count, large_page = page_costs("large", large_id, 10)
    assert (small_count, large_count) == (10, 1000)
    ratio_time, ratio_page = large_time / small_time, large_page / small_page
    print(f"operation over 10 targets completed in    {small_time:8.3f} s  (baseline)")
    print(f"operation over 1,000 targets completed in {large_time:8.3f} s  ratio {ratio_time:.1f} (100x the work)")
    print(f"one page of 10 results, 10 stored:        {small_page * 1000:8.2f} ms  (baseline)")
    print(f"one page of 10 results, 1,000 stored:     {large_page * 1000:8.2f} ms  ratio {ratio_page:.2f}")
    print("O(page): the page ratio stays near 1 although 100 times more results are stored.")


if __name__ == "__main__":
    main()
