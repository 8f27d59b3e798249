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


@pytest.fixture(autouse=True)
def _direct_path_cross_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every in-process request the plugin takes directly (``cloudformation/_direct.py``) must be the one
    moto's stubber would make: moto's own search finds the same handler for its URL, and moto's own
    builder (``Request.from_primitives``) writes the same WSGI environ, body included."""
    from moto_stacksets_ext import moto_internals
    from moto_stacksets_ext.cloudformation import _direct

    real = _direct.build_request
    mismatches: list[str] = []

    def checked(request: Any) -> Any:
        built = real(request)
        if built is not None:
            found = moto_internals.stubbed_handler(moto_internals.clean_url(str(request.url)))
            if found is None or found[1] != _direct.handler_for(str(request.url))[2]:  # type: ignore[index]
                mismatches.append(f"handler for {request.url}: moto finds {found}")
            moto_request = moto_internals.REQUEST_FROM_PRIMITIVES.resolve()(
                request.method, request.url, request.headers, request.body
            )
            ours, theirs = dict(built.environ), dict(moto_request.environ)
            ours_body, theirs_body = ours.pop("wsgi.input").getvalue(), theirs.pop("wsgi.input").getvalue()
            ours.pop("werkzeug.request", None), theirs.pop("werkzeug.request", None)  # each its own request
            if ours != theirs or ours_body != theirs_body:
                mismatches.append(f"environ of {request.url}:\n ours: {ours}\n moto: {theirs}")
        return built

    monkeypatch.setattr(_direct, "build_request", checked)
    yield
    assert not mismatches, "the direct path differs from moto's stubber:\n" + "\n".join(mismatches)


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
