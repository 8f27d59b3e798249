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
