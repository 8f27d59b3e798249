"""Shared fixtures: an in-process mock, a plugin server, and the clients users would build."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import REGION


@pytest.fixture(autouse=True)
def _fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _default_progression() -> Iterator[None]:
    """moto keeps state-manager transitions across tests; start and end each test with the default."""
    control.reset_progression()
    yield
    control.reset_progression()


@pytest.fixture(autouse=True)
def _compiled_serializer_cross_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every response the compiled serializer writes (in-process and server mode) must be the one moto's
    serializer writes for the same engine objects (see tests/aws/test_serialize.py for generated values)."""
    from moto.cloudformation.responses import CloudFormationResponse

    from moto_stacksets_ext.cloudformation import serialize

    real = serialize.render
    mismatches: list[str] = []

    def checked(response: Any, action: str, action_result: Any) -> Any:
        fast = real(response, action, action_result)
        # Both renderings happen inside the engine's door (the action's lock), so no other request can
        # change the objects between them: any difference is the compiled serializer's.
        if fast is not None:
            status, headers, body = CloudFormationResponse.serialized(response, action_result)
            if (fast[0], fast[1]["Content-Type"], fast[2]) != (status, headers["Content-Type"], body):
                mismatches.append(f"{action}:\n ours: {fast[2]!r}\n moto: {body!r}")
        return fast

    monkeypatch.setattr(serialize, "render", checked)
    yield
    assert not mismatches, "compiled serializer differs from moto's:\n" + "\n".join(mismatches)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_stacksets():
        yield


@pytest.fixture
def cf(aws: None) -> Any:
    return boto3.client("cloudformation", region_name=REGION)


@pytest.fixture(scope="session")
def server() -> Iterator[ThreadedStackSetsServer]:
    with ThreadedStackSetsServer(port=0) as running:
        yield running


@pytest.fixture
def server_cf(server: ThreadedStackSetsServer) -> Iterator[Any]:
    import requests

    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    yield boto3.client("cloudformation", region_name=REGION, endpoint_url=server.endpoint)
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
