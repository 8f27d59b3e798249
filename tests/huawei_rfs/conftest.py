"""RFS fixtures: an in-process SDK client under mock_stacksets(), and a module-scoped plugin server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from moto_stacksets_ext import mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import make_client


@pytest.fixture
def rfs() -> Iterator[Any]:
    with mock_stacksets():
        yield make_client()


@pytest.fixture(scope="module")
def rfs_server() -> Iterator[ThreadedStackSetsServer]:
    with ThreadedStackSetsServer(port=0) as running:
        yield running


@pytest.fixture
def server_rfs(rfs_server: ThreadedStackSetsServer) -> Iterator[Any]:
    requests.post(f"{rfs_server.endpoint}/moto-api/reset", timeout=10)
    yield make_client(rfs_server.endpoint)
    requests.post(f"{rfs_server.endpoint}/moto-api/reset", timeout=10)
