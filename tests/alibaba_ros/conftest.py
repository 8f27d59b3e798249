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


@pytest.fixture
def server_client(server: ThreadedStackSetsServer) -> Iterator[Any]:
    control.reset()
    yield make_client(server.endpoint)
    control.reset()


from .stack_support import clients  # noqa: E402,F401 - the stack tests' fixture (in-process and server mode)
