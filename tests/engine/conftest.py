"""A namespace with the engine's record-only deployer, a frozen clock and a settable transition: any cloud."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.execution import Executor, RecordingDeployer
from moto_stacksets_ext.engine.outcomes import OutcomeBook
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, Naming, Transition


@pytest.fixture
def clock() -> Iterator[Clock]:
    made = Clock()
    made.freeze()
    yield made


@pytest.fixture
def transition() -> Transition:
    return Transition()


@pytest.fixture
def outcomes() -> OutcomeBook:
    return OutcomeBook()


@pytest.fixture
def ns(clock: Clock, transition: Transition, outcomes: OutcomeBook) -> StackSetNamespace:
    executor = Executor("test", RecordingDeployer(), clock, outcomes)
    return StackSetNamespace(("test", A, REGION), Naming(), executor, clock, transition)
