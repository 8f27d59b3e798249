"""Server mode reads request bodies sent with ``Transfer-Encoding: chunked`` (no ``Content-Length``) whole, for
every cloud the server answers: AWS (moto's dispatcher behind the gateway) and the HTTP control API here; Huawei
and Alibaba in their own wire tests."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import requests

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import REGION

AWS_AUTH = (
    "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/cloudformation/aws4_request, "
    "SignedHeaders=host, Signature=00"
)


def chunks(body: bytes, size: int = 10) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_aws_query_body_sent_chunked(server: ThreadedStackSetsServer) -> None:
    control.reset()
    try:
        form = (
            b"Action=CreateStackSet&Version=2010-05-15&StackSetName=chunky&TemplateBody=%7B%22Resources%22%3A%7B%7D%7D"
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": AWS_AUTH}
        answer = requests.post(f"{server.endpoint}/", data=chunks(form), headers=headers, timeout=10)
        assert answer.request.headers.get("Transfer-Encoding") == "chunked"
        assert answer.status_code == 200, answer.text
        cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=server.endpoint)
        assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["chunky"]
    finally:
        control.reset()


def test_control_api_body_sent_chunked(server: ThreadedStackSetsServer) -> None:
    try:
        body = json.dumps({"progression": "manual", "times": 3}).encode()
        answer = requests.post(
            f"{server.endpoint}/moto-api/stacksets/progression",
            data=chunks(body),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert answer.request.headers.get("Transfer-Encoding") == "chunked"
        assert answer.status_code == 200, answer.text
        assert answer.json()["times"] == 3
    finally:
        control.reset_progression()
