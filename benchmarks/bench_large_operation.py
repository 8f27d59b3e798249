"""Large rollouts: create and update N accounts x 10 regions (each instance a real moto stack), and page them.

Run: ``python benchmarks/bench_large_operation.py`` (1,000 and 10,000 accounts x 10 regions: 10,000 and
100,000 instances; several minutes) or ``--quick`` (100 and 1,000 accounts); ``--accounts SMALL LARGE`` for
other sizes. Each size runs in its own subprocess, so its peak resident memory (``ru_maxrss``) is its own.
``--memory ACCOUNTS`` instead says who owns the memory still allocated per instance (moto or the plugin).

For each size it measures, in **CPU seconds of the benchmark process** (``time.process_time``: the mock is
single-threaded and waits on nothing, so CPU time leaves out what other work on a shared machine takes):

* CreateStackInstances over every account and region (one operation, run to its end: every stack created);
* UpdateStackSet with a changed template (one operation updating every instance's stack);
* the peak resident memory of the process after both;
* one page of 100 ListStackInstances and of ListStackSetOperationResults (the create operation's): the first,
  middle and last page of all of them, each the median of nine requests for that page. O(page): the
  large size's page costs about what the small size's does.

The large size should take about 10x the small one's time (the goal is at most 11x) and stay under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
UPDATED = '{"Description": "v2", "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
    "eu-west-2", "eu-central-1", "ap-south-1", "ap-northeast-1", "sa-east-1",
]  # fmt: skip
PREFERENCES = {
    "MaxConcurrentPercentage": 100,
    "FailureTolerancePercentage": 10,
    "RegionConcurrencyType": "PARALLEL",
}
PAGE = 100
REPEATS = 9


def _timed(call: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.process_time()
    answer = call(**kwargs)
    return answer, time.process_time() - start


def _walk(call: Any, **kwargs: Any) -> tuple[int, list[float]]:
    """Every page of ``call`` (MaxResults=PAGE): how many items, and the CPU seconds of the first, middle and
    last page (each the median of ``REPEATS`` requests for that same page)."""
    tokens: list[dict[str, str]] = [{}]
    total = 0
    while True:
        page = call(MaxResults=PAGE, **kwargs, **tokens[-1])
        total += len(page["Summaries"])
        if "NextToken" not in page:
            break
        tokens.append({"NextToken": page["NextToken"]})
    costs = []
    for token in (tokens[0], tokens[len(tokens) // 2], tokens[-1]):
        costs.append(statistics.median(_timed(call, MaxResults=PAGE, **kwargs, **token)[1] for _ in range(REPEATS)))
    return total, costs


def measure(accounts_count: int) -> dict[str, Any]:
    """One size, in this process: the figures ``main`` prints."""
    import boto3

    from moto_stacksets_ext import mock_stacksets

    accounts = [f"{100000000000 + n:012d}" for n in range(accounts_count)]
    expected = accounts_count * len(REGIONS)
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name="us-east-1")
        cf.create_stack_set(StackSetName="large", TemplateBody=TEMPLATE)
        answer, create = _timed(
            cf.create_stack_instances,
            StackSetName="large",
            Accounts=accounts,
            Regions=REGIONS,
            OperationPreferences=PREFERENCES,
        )
        created = cf.describe_stack_set_operation(StackSetName="large", OperationId=answer["OperationId"])
        assert created["StackSetOperation"]["Status"] == "SUCCEEDED", created
        answer, update = _timed(
            cf.update_stack_set, StackSetName="large", TemplateBody=UPDATED, OperationPreferences=PREFERENCES
        )
        updated = cf.describe_stack_set_operation(StackSetName="large", OperationId=answer["OperationId"])
        assert updated["StackSetOperation"]["Status"] == "SUCCEEDED", updated
        details = updated["StackSetOperation"]["StatusDetails"]
        assert details["TotalStackInstancesCount"] == expected, details
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        instances, instance_pages = _walk(cf.list_stack_instances, StackSetName="large")
        results, result_pages = _walk(
            cf.list_stack_set_operation_results,
            StackSetName="large",
            OperationId=created["StackSetOperation"]["OperationId"],
        )
    assert instances == results == expected, (instances, results, expected)
    return {
        "accounts": accounts_count,
        "instances": expected,
        "create": create,
        "update": update,
        "rss": rss,
        "instance_pages": instance_pages,
        "result_pages": result_pages,
    }


def memory_owners(accounts_count: int) -> dict[str, float]:
    """Bytes per instance still allocated after a create and an update, by owner: the innermost frame of each
    allocation in moto or in the plugin (standard library frames count for their caller)."""
    import gc
    import tracemalloc

    import boto3

    from moto_stacksets_ext import mock_stacksets

    accounts = [f"{100000000000 + n:012d}" for n in range(accounts_count)]
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name="us-east-1")
        cf.create_stack_set(StackSetName="large", TemplateBody=TEMPLATE)
        gc.collect()
        tracemalloc.start(25)
        cf.create_stack_instances(
            StackSetName="large", Accounts=accounts, Regions=REGIONS, OperationPreferences=PREFERENCES
        )
        cf.update_stack_set(StackSetName="large", TemplateBody=UPDATED, OperationPreferences=PREFERENCES)
        gc.collect()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
    owners: dict[str, float] = {"moto": 0.0, "plugin": 0.0, "other": 0.0}
    for statistic in snapshot.statistics("traceback"):
        owner = "other"
        for frame in reversed(statistic.traceback):  # innermost first
            if "moto_stacksets_ext" in frame.filename:
                owner = "plugin"
                break
            if f"{os.sep}moto{os.sep}" in frame.filename:
                owner = "moto"
                break
        owners[owner] += statistic.size / (accounts_count * len(REGIONS))
    return owners


def _in_subprocess(accounts: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(accounts)], check=True, capture_output=True, text=True
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 accounts x 10 regions")
    parser.add_argument("--accounts", nargs=2, type=int, metavar=("SMALL", "LARGE"), help="accounts of each size")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size, in this process (JSON out)
    parser.add_argument("--memory", type=int, metavar="ACCOUNTS", help="who owns the memory per instance")
    arguments = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    if arguments.measure is not None:
        print(json.dumps(measure(arguments.measure)))
        return
    if arguments.memory is not None:
        owners = memory_owners(arguments.memory)
        for owner, size in owners.items():
            print(f"{owner:8}{size:10,.0f} bytes per instance")
        print(f"{'in all':8}{sum(owners.values()):10,.0f} bytes per instance (tracemalloc, after create and update)")
        return
    small_accounts, large_accounts = arguments.accounts or ((100, 1000) if arguments.quick else (1000, 10000))
    small, large = _in_subprocess(small_accounts), _in_subprocess(large_accounts)
    work = large["instances"] / small["instances"]
    print(f"CPU seconds of the benchmark process; each size in its own process; {work:.0f}x the instances.")
    print(f"{'':34}{small['instances']:>12,} inst.{large['instances']:>12,} inst.   ratio")
    for label, key in (("CreateStackInstances (all)", "create"), ("UpdateStackSet (all)", "update")):
        print(f"{label:34}{small[key]:>14.2f} s{large[key]:>14.2f} s  {large[key] / small[key]:6.1f}x")
    mb_small, mb_large = small["rss"] / 2**20, large["rss"] / 2**20
    print(f"{'peak resident memory':34}{mb_small:>13.0f} MB{mb_large:>13.0f} MB  {mb_large / mb_small:6.1f}x")
    for name, key in (("ListStackInstances", "instance_pages"), ("operation results", "result_pages")):
        for index, where in enumerate(("first", "middle", "last")):
            a, b = small[key][index], large[key][index]
            print(f"{f'{name}(100), {where} page':34}{_ms(a):>16}{_ms(b):>16}  {b / a:6.2f}x")
    print("Goals: create and update at most 11x; under 1 GB; pages O(page) (ratio near 1).")


if __name__ == "__main__":
    main()
