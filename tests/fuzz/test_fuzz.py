"""Seeded fuzz test in server mode: no 5xx, only well-formed answers, failed mutating calls change nothing.

``MOTO_STACKSETS_FUZZ_REQUESTS`` sets the number of requests (default 2,000; e.g. 10000 on demand) and
``MOTO_STACKSETS_FUZZ_SEED`` the seed (default fixed, so a failure reproduces). Half the requests are valid,
half mutated; AWS gets half of them, RFS and ROS a fifth each, the control API a tenth.
"""

from __future__ import annotations

import json
import os
import random
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from moto_stacksets_ext.server import ThreadedStackSetsServer

from .fuzz_support import (
    MUTATING_AWS,
    AwsPools,
    FuzzRequest,
    aws_request,
    control_request,
    encode_form,
    rfs_request,
    ros_request,
)

REQUESTS = int(os.environ.get("MOTO_STACKSETS_FUZZ_REQUESTS", "2000"))
SEED = int(os.environ.get("MOTO_STACKSETS_FUZZ_SEED", "20261201"))
_OPERATION_ID = re.compile(r"<OperationId>([^<]+)</OperationId>")


class Fuzzer:
    def __init__(self, endpoint: str, seed: int) -> None:
        self.endpoint = endpoint
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.aws_pools = AwsPools()
        self.ros_operations: list[str] = []
        self.problems: list[str] = []
        self.sent = 0
        #: The state after the last call known not to have changed it (None: read it again).
        self.known: Any = None

    def state(self) -> Any:
        return self.session.get(f"{self.endpoint}/moto-api/stacksets/state", timeout=30).json()

    def send(self, request: FuzzRequest) -> requests.Response:
        self.sent += 1
        return self.session.request(
            request.method, self.endpoint + request.path, headers=request.headers, data=request.body, timeout=60
        )

    def check(self, request: FuzzRequest, kind: str) -> requests.Response:
        before = None
        if request.mutating:  # the state only changes through successful mutating calls: reuse the last read
            before = self.known = self.known if self.known is not None else self.state()
        answer = self.send(request)
        where = f"#{self.sent} {request.label}: {answer.status_code} {answer.content[:200]!r}"
        if answer.status_code >= 500:
            self.problems.append(f"5xx {where} for {request.method} {request.path[:200]} {request.body[:300]!r}")
        if answer.content:
            try:
                if kind == "xml":
                    root = ElementTree.fromstring(answer.content)
                    if answer.status_code >= 400 and root.find(".//{*}Code") is None:
                        self.problems.append(f"error without Code {where}")
                else:
                    json.loads(answer.content)
            except (ValueError, ElementTree.ParseError) as error:
                self.problems.append(f"invalid {kind} ({error}) {where}")
        if before is not None and answer.status_code >= 400:
            self.known = self.state()
            if self.known != before:
                self.problems.append(f"state changed by a failed call {where}")
        elif before is not None:
            self.known = None
        return answer

    def aws(self) -> None:
        mutate = self.rng.random() < 0.5
        action, form = aws_request(self.rng, self.aws_pools, mutate)
        body = encode_form(form, self.rng)
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        signed = AWSRequest("POST", self.endpoint + "/", data=body, headers=headers)
        SigV4Auth(Credentials("testing", "testing"), "cloudformation", "us-east-1").add_auth(signed)
        request = FuzzRequest("POST", "/", dict(signed.headers), body, action in MUTATING_AWS, f"AWS {action}")
        answer = self.check(request, "xml")
        found = _OPERATION_ID.search(answer.text)
        if found and answer.status_code == 200:
            self.aws_pools.operation_ids.append(found.group(1))

    def rfs(self) -> None:
        self.check(rfs_request(self.rng, self.rng.random() < 0.5), "json")

    def ros(self) -> None:
        answer = self.check(ros_request(self.rng, self.ros_operations, self.rng.random() < 0.5), "json")
        if answer.status_code == 200:
            operation_id = answer.json().get("OperationId")
            if isinstance(operation_id, str):
                self.ros_operations.append(operation_id)

    def control(self) -> None:
        self.check(control_request(self.rng), "json")

    def run(self, count: int) -> None:
        clouds = [self.aws] * 10 + [self.rfs] * 4 + [self.ros] * 4 + [self.control] * 2
        while self.sent < count and len(self.problems) < 20:
            self.rng.choice(clouds)()


def test_seeded_fuzz_finds_no_5xx_no_invalid_answer_and_no_change_by_failed_calls(
    server: ThreadedStackSetsServer,
) -> None:
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    fuzzer = Fuzzer(server.endpoint, SEED)
    try:
        fuzzer.run(REQUESTS)
    finally:
        requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    assert fuzzer.problems == [], f"seed {SEED}:\n" + "\n".join(fuzzer.problems)
    assert fuzzer.sent >= REQUESTS
    # the valid half did real work: stack sets and operations were created along the way
    assert fuzzer.aws_pools.operation_ids and fuzzer.ros_operations
