"""RFS fixtures: an SDK client under mock_stacksets(), and one against the session's plugin server."""

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


@pytest.fixture
def server_rfs(server: ThreadedStackSetsServer) -> Iterator[Any]:
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    yield make_client(server.endpoint)
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
