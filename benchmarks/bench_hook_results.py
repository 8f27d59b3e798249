"""ListHookResults: the cost of one page with 100 vs 100,000 Hook results stored, as a ratio in one run.

Each of the documented listings (all results, by TypeArn, by TypeArn + Status, by target) walks its own
index, so a page should cost about the same however many results are stored.

    python benchmarks/bench_hook_results.py
"""

from __future__ import annotations

import time
from typing import Any

import boto3

from moto_stacksets_ext import control, mock_stacksets

HOOK = "MyCompany::Testing::MyTestHook"
OTHER = "MyCompany::Testing::Other"
REGION = "us-east-1"
ACCOUNT = "123456789012"
TYPE_ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:type/hook/MyCompany-Testing-MyTestHook"
TOKEN = "6f1d6c1e-8a3b-4f6e-9d2a-0c1b2a3d4e5f"
ROUNDS = 30


def seed(count: int) -> None:
    """``count`` results, of which 150 (spread evenly) match every filter: every listing serves a full page.

    The others belong to another Hook, another status or another target.
    """
    step = max(count // 150, 1)
    for index in range(count):
        matching = index % step == 0
        control.record_hook_result(
            type_name=HOOK if matching or index % 3 else OTHER,
            target_type="CLOUD_CONTROL",
            target_id=TOKEN if matching else f"{index:08d}-0000-4000-8000-000000000000",
            status="HOOK_COMPLETE_FAILED" if matching or index % 3 == 1 else "HOOK_COMPLETE_SUCCEEDED",
        )


def page_cost(cf: Any, params: dict[str, str]) -> float:
    """Median seconds of serving the first page (100 results) of a listing."""
    assert len(cf.list_hook_results(**params)["HookResults"]) == 100
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        cf.list_hook_results(**params)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return samples[len(samples) // 2]


LISTINGS: dict[str, dict[str, str]] = {
    "no parameters": {},
    "TypeArn": {"TypeArn": TYPE_ARN},
    "TypeArn + Status": {"TypeArn": TYPE_ARN, "Status": "HOOK_COMPLETE_FAILED"},
    "TargetType + TargetId": {"TargetType": "CLOUD_CONTROL", "TargetId": TOKEN},
}


def measure(count: int) -> dict[str, float]:
    with mock_stacksets():
        seed(count)
        cf = boto3.client("cloudformation", region_name=REGION)
        return {name: page_cost(cf, params) for name, params in LISTINGS.items()}


def main() -> None:
    small = measure(100)
    large = measure(100_000)
    print(f"{'listing':<24}{'100 stored':>14}{'100,000 stored':>18}{'ratio':>8}")
    for name in LISTINGS:
        ratio = large[name] / small[name]
        print(f"{name:<24}{small[name] * 1000:>12.2f}ms{large[name] * 1000:>16.2f}ms{ratio:>8.2f}")


if __name__ == "__main__":
    main()
