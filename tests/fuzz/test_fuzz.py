"""Seeded fuzz test in server mode: no 5xx, only well-formed answers, failed mutating calls change nothing.

``MOTO_STACKSETS_FUZZ_REQUESTS`` sets the number of requests (default 2,000; e.g. 10000 on demand) and
``MOTO_STACKSETS_FUZZ_SEED`` the seed (default fixed, so a failure reproduces). Half the requests are valid,
half mutated; AWS gets half of them, RFS and ROS a fifth each, the control API a tenth. Mutations include
the wire: AWS requests unsigned, with a malformed ``Authorization``, to another path or with another content
type; RFS requests to APIs the mock does not serve, with another content type or no signature; ROS requests
without their action, to another path or with another content type. Every answer must be the provider's
document (AWS XML with a ``Code`` for errors, Huawei's and Alibaba's JSON error bodies), never a 5xx or an
empty error. ``pytest -s`` prints the requests sent per cloud.
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
    MALFORMED_AUTHORIZATIONS,
    MUTATING_AWS,
    OTHER_CONTENT_TYPES,
    OTHER_PATHS,
    AwsPools,
    FuzzRequest,
    aws_request,
    control_request,
    encode_form,
    mutate_aws_wire,
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
        #: Requests sent per cloud (and to the control API), for the summary line.
        self.counts: dict[str, int] = {}
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
        self.counts[kind] = self.counts.get(kind, 0) + 1
        before = None
        if request.mutating:  # the state only changes through successful mutating calls: reuse the last read
            before = self.known = self.known if self.known is not None else self.state()
        answer = self.send(request)
        where = f"#{self.sent} {request.label}: {answer.status_code} {answer.content[:200]!r}"
        if answer.status_code >= 500:
            self.problems.append(f"5xx {where} for {request.method} {request.path[:200]} {request.body[:300]!r}")
        if answer.status_code >= 400 and not answer.content:
            self.problems.append(f"empty error document {where}")
        if answer.content:
            try:
                if kind == "xml":
                    root = ElementTree.fromstring(answer.content)
                    if answer.status_code >= 400 and root.find(".//{*}Code") is None:
                        self.problems.append(f"error without Code {where}")
                else:
                    document = json.loads(answer.content)
                    if answer.status_code >= 400 and not _provider_error(kind, document):
                        self.problems.append(f"not a {kind} error document {where}")
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
        wire = mutate_aws_wire(self.rng) if mutate and self.rng.random() < 0.4 else None
        path = self.rng.choice(OTHER_PATHS) if wire == "path" else "/"
        if wire == "content-type":
            headers["Content-Type"] = self.rng.choice(OTHER_CONTENT_TYPES)
        signed = AWSRequest("POST", self.endpoint + path, data=body, headers=headers)
        SigV4Auth(Credentials("testing", "testing"), "cloudformation", "us-east-1").add_auth(signed)
        sent = dict(signed.headers)
        if wire == "unsigned":
            sent.pop("Authorization")
            if self.rng.random() < 0.5:
                path = self.rng.choice(OTHER_PATHS)
        elif wire == "malformed":
            sent["Authorization"] = self.rng.choice(MALFORMED_AUTHORIZATIONS)
        label = f"AWS {action}" + (f" ({wire})" if wire else "")
        request = FuzzRequest("POST", path, sent, body, action in MUTATING_AWS, label)
        answer = self.check(request, "xml")
        found = _OPERATION_ID.search(answer.text)
        if found and answer.status_code == 200:
            self.aws_pools.operation_ids.append(found.group(1))

    def rfs(self) -> None:
        self.check(rfs_request(self.rng, self.rng.random() < 0.5), "huawei")

    def ros(self) -> None:
        answer = self.check(ros_request(self.rng, self.ros_operations, self.rng.random() < 0.5), "alibaba")
        if answer.status_code == 200:
            operation_id = answer.json().get("OperationId")
            if isinstance(operation_id, str):
                self.ros_operations.append(operation_id)

    def control(self) -> None:
        self.check(control_request(self.rng), "control")

    def run(self, count: int) -> None:
        clouds = [self.aws] * 10 + [self.rfs] * 4 + [self.ros] * 4 + [self.control] * 2
        while self.sent < count and len(self.problems) < 20:
            self.rng.choice(clouds)()


def _provider_error(kind: str, document: object) -> bool:
    """Whether ``document`` is an error in the provider's JSON form (the control API's: ``error``)."""
    if not isinstance(document, dict):
        return False
    keys = {"huawei": ("error_code", "error_msg"), "alibaba": ("Code", "Message"), "control": ("error",)}[kind]
    return all(isinstance(document.get(key), str) and document[key] for key in keys)


def test_seeded_fuzz_finds_no_5xx_no_invalid_answer_and_no_change_by_failed_calls(
    server: ThreadedStackSetsServer,
) -> None:
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    fuzzer = Fuzzer(server.endpoint, SEED)
    try:
        fuzzer.run(REQUESTS)
    finally:
        requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(fuzzer.counts.items()))
    print(f"\nfuzz seed {SEED}: {fuzzer.sent} requests ({counts}), {len(fuzzer.problems)} problems")
    assert fuzzer.problems == [], f"seed {SEED}:\n" + "\n".join(fuzzer.problems)
    assert fuzzer.sent >= REQUESTS
    # the valid half did real work: stack sets and operations were created along the way
    assert fuzzer.aws_pools.operation_ids and fuzzer.ros_operations
