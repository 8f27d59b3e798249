"""The test-control API: script what deployments do, move the engine clock, reset everything.

One typed object, :data:`control`, shared by tests in-process and (through the HTTP control endpoints)
by clients of the server.
"""

from __future__ import annotations

from datetime import datetime

from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data

from . import namespaces
from .engine.clock import clock
from .engine.outcomes import Outcome, OutcomeKind, outcomes


class StackSetsControl:
    """Scripted outcomes, the engine clock and reset, for every cloud the plugin serves."""

    # -- scripted outcomes ------------------------------------------------------------------------------
    def fail(
        self,
        *,
        account: str | None = None,
        region: str | None = None,
        cloud: str | None = None,
        stack_set: str | None = None,
        action: str | None = None,
        reason: str | None = None,
        times: int | None = None,
    ) -> Outcome:
        """Make matching deployments fail with ``reason``; ``times`` deployments, or until removed.

        ``None`` matches anything; ``stack_set`` is a name or id; ``action`` is CREATE, UPDATE or DELETE;
        ``cloud`` is ``aws``, ``huawei`` or ``alibaba``.
        """
        namespaces.touch()
        return outcomes.add(Outcome(OutcomeKind.FAIL, reason, cloud, account, region, stack_set, action, times))

    def succeed(
        self,
        *,
        account: str | None = None,
        region: str | None = None,
        cloud: str | None = None,
        stack_set: str | None = None,
        action: str | None = None,
        times: int | None = None,
    ) -> Outcome:
        """Make matching deployments succeed without deploying anything (e.g. a template moto can't run)."""
        namespaces.touch()
        return outcomes.add(Outcome(OutcomeKind.SUCCEED, None, cloud, account, region, stack_set, action, times))

    def remove_outcome(self, outcome_id: str) -> bool:
        return outcomes.remove(outcome_id)

    @property
    def outcomes(self) -> list[Outcome]:
        """The scripted outcomes in force, in the order they were added."""
        return outcomes.all()

    def unconsumed_outcomes(self) -> list[Outcome]:
        """Outcomes no deployment has used yet."""
        return outcomes.unconsumed()

    # -- clock ------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the engine clock forward; returns the new time."""
        namespaces.touch()
        clock.advance(seconds)
        return clock.now()

    def freeze_clock(self) -> datetime:
        """Stop following the wall clock: only :meth:`advance` moves time from now on."""
        namespaces.touch()
        clock.freeze()
        return clock.now()

    # -- reset ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Reset every moto backend and the plugin's state, as moto's ``/moto-api/reset`` does."""
        namespaces.touch()
        BackendDict.reset()
        reset_model_data()


control = StackSetsControl()
