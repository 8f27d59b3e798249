"""Fixtures: the official ROS SDK against the mock, in-process and in server mode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .ros_support import make_client


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_stacksets():
        yield make_client()


@pytest.fixture
def v2_client(client: Any) -> Any:
    return make_client(v2=True)


@pytest.fixture(scope="module")
def ros_server() -> Iterator[ThreadedStackSetsServer]:
    with ThreadedStackSetsServer(port=0) as running:
        yield running


@pytest.fixture
def server_client(ros_server: ThreadedStackSetsServer) -> Iterator[Any]:
    control.reset()
    yield make_client(ros_server.endpoint)
    control.reset()
