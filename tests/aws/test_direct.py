"""The in-process direct path (``cloudformation/_direct.py``) answers as moto's stubber would, and moto's
hooks see the same thing: the same responses (status, headers but the date and request id, body), the
same recorded requests, the same refusals; and the plugin's ``_enrich_response`` writes moto's text."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.cloudformation.responses import CloudFormationResponse
from moto.moto_api import recorder
from moto.moto_api._internal import mock_random

from moto_stacksets_ext import mock_stacksets, moto_internals
from moto_stacksets_ext.cloudformation import _direct
from moto_stacksets_ext.cloudformation.responses import StackSetsResponse

from support import REGION, TOPIC_TEMPLATE

#: Headers that differ between any two answers (when, and which request).
VARYING = {"date", "x-amzn-requestid"}


def _raw_answers(cf: Any) -> list[tuple[int, dict[str, str], bytes]]:
    answers: list[tuple[int, dict[str, str], bytes]] = []

    def keep(http_response: Any, **_: Any) -> None:
        headers = {k.lower(): v for k, v in http_response.headers.items() if k.lower() not in VARYING}
        body = re.sub(rb"<RequestId>[^<]*</RequestId>", b"<RequestId/>", http_response.content)
        answers.append((http_response.status_code, headers, body))

    cf.meta.events.register(
        "after-call.cloudformation", lambda **kw: keep(kw["http_response"]), unique_id="direct-answers"
    )
    return answers


def _calls(cf: Any) -> None:
    """Reads and refusals (nothing that changes state, so both ways see the same state)."""
    cf.describe_stack_set(StackSetName="direct")
    cf.list_stack_set_operations(StackSetName="direct", MaxResults=5)
    cf.list_stack_sets()
    for call in (
        lambda: cf.describe_stack_set(StackSetName="ghost"),
        lambda: cf.list_stack_set_operations(StackSetName="direct", NextToken="not-a-token"),
        lambda: cf.describe_stack_set_operation(StackSetName="direct", OperationId="nope"),
    ):
        with contextlib.suppress(cf.exceptions.ClientError):
            call()


@pytest.fixture
def direct_cf() -> Iterator[Any]:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION, config=_no_retries())
        cf.create_stack_set(StackSetName="direct", TemplateBody=TOPIC_TEMPLATE)
        cf.update_stack_set(StackSetName="direct", Description="v2")
        yield cf


def _no_retries() -> Any:
    from botocore.config import Config

    return Config(retries={"max_attempts": 1})


def _both_ways(cf: Any, run: Any) -> tuple[Any, Any]:
    """``run(cf)`` with the direct path, then with moto's stubber doing all of it."""
    taken: list[Any] = []
    original = _direct.answer

    def counted(request: Any) -> Any:
        answered = original(request)
        taken.append(answered is not None)
        return answered

    _direct.answer = counted  # type: ignore[assignment]
    try:
        direct = run(cf)
    finally:
        _direct.answer = original  # type: ignore[assignment]
    assert taken and all(taken), "the direct path did not answer"
    _direct.unpatch()
    try:
        moto = run(cf)
    finally:
        _direct.patch()
    return direct, moto


def test_responses_are_moto_s_status_headers_and_body(direct_cf: Any) -> None:
    def run(cf: Any) -> list[tuple[int, dict[str, str], bytes]]:
        answers = _raw_answers(cf)
        _calls(cf)
        cf.meta.events.unregister("after-call.cloudformation", unique_id="direct-answers")
        return answers

    direct, moto = _both_ways(direct_cf, run)
    assert len(direct) == 6
    assert direct == moto
    assert {status for status, _, _ in direct} >= {200, 400, 404}


def test_the_recorder_records_the_direct_path_as_moto_s(direct_cf: Any, tmp_path: Path) -> None:
    def run(cf: Any) -> list[dict[str, Any]]:
        location = tmp_path / f"recording-{len(list(tmp_path.iterdir()))}"
        recorder._location = str(location)
        recorder.start_recording()
        try:
            _calls(cf)
        finally:
            recorder.stop_recording()
        entries = [json.loads(line) for line in location.read_text().splitlines()]
        for entry in entries:  # signed at another moment: the signature, date and invocation id differ
            varying = {"authorization", "x-amz-date", "amz-sdk-invocation-id"}
            entry["headers"] = {k: v for k, v in entry["headers"].items() if k.lower() not in varying}
        return entries

    saved = recorder._location
    try:
        direct, moto = _both_ways(direct_cf, run)
    finally:
        recorder._location = saved
    assert len(direct) == 6
    assert direct == moto


def test_request_ids_come_from_moto_s_seeded_random(direct_cf: Any) -> None:
    def run(cf: Any) -> list[str]:
        mock_random.seed(7)
        return [cf.list_stack_sets()["ResponseMetadata"]["RequestId"] for _ in range(3)]

    direct, moto = _both_ways(direct_cf, run)
    assert direct == moto
    assert len(set(direct)) == 3


def test_a_service_moto_is_told_not_to_mock_is_refused_as_moto_refuses_it() -> None:
    from moto.core.exceptions import ServiceNotWhitelisted

    config = {"core": {"service_whitelist": ["s3"]}}
    with mock_stacksets(config=config):  # type: ignore[arg-type]
        cf = boto3.client("cloudformation", region_name=REGION)
        with pytest.raises(ServiceNotWhitelisted):
            cf.list_stack_sets()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("https://cloudformation.us-east-1.amazonaws.com/?Action=ListStackSets", b"a=b"),
        ("https://cloudformation.us-east-1.amazonaws.com/path", b"a=b"),
        ("https://cloudformation.us-east-1.amazonaws.com/", b""),
        ("https://cloudformation.us-east-1.amazonaws.com/", None),
        ("ftp://cloudformation.us-east-1.amazonaws.com/", b"a=b"),
        ("https://cloudformation.us-east-1.amazonaws.com:x/", b"a=b"),
    ],
)
def test_shapes_the_direct_builder_leaves_to_moto(url: str, body: bytes | None) -> None:
    assert moto_internals.request_from_primitives("POST", url, {"Content-Type": "text/plain"}, body) is None


@pytest.mark.parametrize("url", ["https://cloudformation.eu-west-1.amazonaws.com/", "http://localhost:5000/"])
def test_the_direct_builder_writes_moto_s_environ(url: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Amz-Meta-a_b": "1", "User-Agent": b"ua"}
    ours = moto_internals.request_from_primitives("POST", url, headers, "Action=ListStackSets")
    moto = moto_internals.REQUEST_FROM_PRIMITIVES.resolve()("POST", url, headers, "Action=ListStackSets")
    assert ours is not None
    mine, theirs = dict(ours.environ), dict(moto.environ)
    assert mine.pop("wsgi.input").getvalue() == theirs.pop("wsgi.input").getvalue() == b"Action=ListStackSets"
    mine.pop("werkzeug.request", None), theirs.pop("werkzeug.request", None)
    assert mine == theirs
    assert ours.raw_url == moto.raw_url and ours.form == moto.form


_TEXT = st.sampled_from(["<RequestId>", "</RequestId>", "a", "<", ">", "\n", " ", "<RequestId/>"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_TEXT, max_size=10), status=st.sampled_from([None, 200, 404]))
def test_enrich_response_writes_moto_s_text(parts: list[str], status: int | None) -> None:
    body = "".join(parts)
    headers: dict[str, Any] = {} if status is None else {"status": status}
    mock_random.seed(11)
    moto = CloudFormationResponse._enrich_response(dict(headers), body)
    mock_random.seed(11)
    ours = StackSetsResponse._enrich_response(dict(headers), body)
    assert ours == moto
