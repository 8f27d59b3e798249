"""Calls per second of the 8-thread concurrency load, with its consistency checks.

Run: ``python benchmarks/bench_concurrency.py [calls per thread]`` (default 1,000, as the test).

The load is ``tests/fuzz/test_concurrency.py``'s own: 8 threads of boto3 clients sending mixed
CloudFormation calls (creating stack sets and instances, deleting, updating, drift detection, reads,
clock moves) to one ``ThreadedStackSetsServer`` in this process, in immediate, manual and time
progression; afterwards every OperationId returned is listed exactly once and no call answered a 5xx
(the test's assertions, so a consistency violation fails the run). Clients and server share this
process (and its GIL), as in the test: the figure is the whole load's rate, client cost included.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import warnings
from pathlib import Path

LOAD = Path(__file__).resolve().parent.parent / "tests" / "fuzz" / "test_concurrency.py"


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    os.environ["MOTO_STACKSETS_CONCURRENCY_CALLS"] = str(calls)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    warnings.simplefilter("ignore")
    spec = importlib.util.spec_from_file_location("concurrency_load", LOAD)
    assert spec is not None and spec.loader is not None
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)

    from moto_stacksets_ext.server import ThreadedStackSetsServer

    with ThreadedStackSetsServer(port=0) as server:
        started, cpu = time.perf_counter(), time.process_time()
        load.test_eight_threads_of_mixed_calls_lose_and_double_nothing(server)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    total = load.THREADS * load.CALLS
    print(f"{load.THREADS} threads x {load.CALLS:,} calls: {total / elapsed:,.0f} calls/s ({elapsed:.1f} s wall)")
    print(f"  per second of this process's CPU time: {total / used:,.0f} calls/CPU-s")
    print("  consistency: every OperationId listed once, no 5xx, no name created twice")


if __name__ == "__main__":
    main()
