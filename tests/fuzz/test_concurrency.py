"""8 threads x 1,000 mixed CloudFormation calls against one server, in immediate, manual and time progression.

Afterwards every OperationId a call returned is listed exactly once by ListStackSetOperations, no two
active stack sets share a name, each name was created once, and no call answered a 5xx.
``MOTO_STACKSETS_CONCURRENCY_CALLS`` changes the calls per thread (default 1,000).
"""

from __future__ import annotations

import collections
import os
import random
import threading
from typing import Any

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_stacksets_ext.server import ThreadedStackSetsServer

THREADS = 8
CALLS = int(os.environ.get("MOTO_STACKSETS_CONCURRENCY_CALLS", "1000"))
NAMES = [f"race-{n}" for n in range(6)]
ACCOUNTS = ["111111111111", "222222222222"]
REGIONS = ["us-east-1", "eu-west-1"]
TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'
#: Refusals a racing caller may legitimately get.
EXPECTED = {
    "NameAlreadyExistsException",
    "OperationInProgressException",
    "StackSetNotFoundException",
    "StackInstanceNotFoundException",
    "OperationNotFoundException",
    "InvalidOperationException",
    "StackSetNotEmptyException",
}
PHASES = (
    {"progression": "immediate"},
    {"progression": "manual", "times": 1},
    {"progression": "time", "seconds": 5},
)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.operations: list[tuple[str, str]] = []  # (stack set name, OperationId)
        self.created: collections.Counter[str] = collections.Counter()
        self.problems: list[str] = []

    def operation(self, name: str, answer: dict[str, Any]) -> None:
        with self.lock:
            self.operations.append((name, answer["OperationId"]))


def _worker(endpoint: str, seed: int, calls: int, recorder: Recorder) -> None:
    rng = random.Random(seed)
    cf = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=2),
    )
    session = requests.Session()
    for _ in range(calls):
        name = rng.choice(NAMES)
        roll = rng.random()
        targets = {"Accounts": [rng.choice(ACCOUNTS)], "Regions": [rng.choice(REGIONS)]}
        try:
            if roll < 0.12:
                managed = {"Active": rng.random() < 0.5}
                cf.create_stack_set(StackSetName=name, TemplateBody=TEMPLATE, ManagedExecution=managed)
                with recorder.lock:
                    recorder.created[name] += 1
            elif roll < 0.32:
                recorder.operation(name, cf.create_stack_instances(StackSetName=name, **targets))
            elif roll < 0.40:
                answer = cf.delete_stack_instances(StackSetName=name, RetainStacks=False, **targets)
                recorder.operation(name, answer)
            elif roll < 0.46:
                recorder.operation(name, cf.update_stack_set(StackSetName=name, TemplateBody=TEMPLATE))
            elif roll < 0.50:
                recorder.operation(name, cf.detect_stack_set_drift(StackSetName=name))
            elif roll < 0.72:
                with recorder.lock:
                    known = [op for n, op in recorder.operations if n == name]
                if known:
                    cf.describe_stack_set_operation(StackSetName=name, OperationId=rng.choice(known))
                else:
                    cf.list_stack_set_operations(StackSetName=name)
            elif roll < 0.82:
                cf.list_stack_set_operations(StackSetName=name, MaxResults=rng.choice([1, 5, 100]))
            elif roll < 0.90:
                cf.list_stack_instances(StackSetName=name)
            elif roll < 0.96:
                cf.list_stack_sets()
            else:
                answer = session.post(f"{endpoint}/moto-api/stacksets/clock", json={"advance": 3}, timeout=60)
                if answer.status_code != 200:
                    with recorder.lock:
                        recorder.problems.append(f"clock {answer.status_code} {answer.text[:200]}")
        except ClientError as error:
            code = error.response["Error"]["Code"]
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            if status >= 500 or code not in EXPECTED:
                with recorder.lock:
                    recorder.problems.append(f"{error.operation_name}: {status} {code} {error}")


def _listed(cf: Any, name: str) -> list[str]:
    paginator = cf.get_paginator("list_stack_set_operations")
    return [s["OperationId"] for page in paginator.paginate(StackSetName=name) for s in page["Summaries"]]


def test_eight_threads_of_mixed_calls_lose_and_double_nothing(server: ThreadedStackSetsServer) -> None:
    endpoint = server.endpoint
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)
    recorder = Recorder()
    try:
        for number, transition in enumerate(PHASES):
            answer = requests.post(f"{endpoint}/moto-api/stacksets/progression", json=transition, timeout=10)
            assert answer.status_code == 200, answer.text
            calls = CALLS // len(PHASES) + (1 if number < CALLS % len(PHASES) else 0)
            threads = [
                threading.Thread(target=_worker, args=(endpoint, 1000 * number + t, calls, recorder))
                for t in range(THREADS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert recorder.problems == [], "\n".join(recorder.problems[:20])

        cf = boto3.client("cloudformation", region_name="us-east-1", endpoint_url=endpoint)
        active = [s["StackSetName"] for s in cf.list_stack_sets(Status="ACTIVE")["Summaries"]]
        assert len(active) == len(set(active)), active
        assert all(count == 1 for count in recorder.created.values()), recorder.created
        listed = collections.Counter(op for name in set(active) for op in _listed(cf, name))
        assert all(count == 1 for count in listed.values()), [op for op, c in listed.items() if c > 1]
        returned = [op for _, op in recorder.operations]
        assert len(returned) == len(set(returned)), "an OperationId was returned twice"
        assert not set(returned) - set(listed), "returned OperationIds missing from the listings"
        assert len(returned) > THREADS * 10
    finally:
        requests.post(f"{endpoint}/moto-api/stacksets/progression", json={"progression": "immediate"}, timeout=10)
        requests.post(f"{endpoint}/moto-api/reset", timeout=10)
