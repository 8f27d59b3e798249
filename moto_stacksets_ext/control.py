"""The test-control API: script what deployments do, pace operations, move the engine clock, reset.

One typed object, ``control``, shared by tests in-process and, through the HTTP control endpoints
under ``/moto-api/stacksets/`` (``control_api``), by clients of the server.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from . import namespaces
from .alibaba_ros.context import OPERATION_MODEL as ALIBABA_OPERATION_MODEL
from .cloudformation.hooks import control as hook_control
from .cloudformation.models import OPERATION_MODEL as AWS_OPERATION_MODEL
from .engine import door
from .engine.clock import clock
from .engine.model import Operation, TargetResult
from .engine.outcomes import Outcome, OutcomeKind, outcomes
from .engine.stacksets import StackSetNamespace

if TYPE_CHECKING:
    from .alibaba_ros.resource_directory import ResourceDirectory
from .huawei_rfs.naming import OPERATION_MODEL as HUAWEI_OPERATION_MODEL

#: The moto state-manager model of each cloud's operations.
OPERATION_MODELS = {
    "aws": AWS_OPERATION_MODEL,
    "huawei": HUAWEI_OPERATION_MODEL,
    "alibaba": ALIBABA_OPERATION_MODEL,
}


class StackSetsControl:
    """Scripted outcomes, progression, the engine clock, switches and reset, for every cloud served."""

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
        """Make matching deployments fail with ``reason``: ``times`` of them, or all until removed.

        ``None`` matches anything; ``stack_set`` is a name or id; ``action`` is CREATE, UPDATE, DELETE or
        DETECT_DRIFT; ``cloud`` is ``aws``, ``huawei`` or ``alibaba``.
        """
        return self._add(OutcomeKind.FAIL, reason, cloud, account, region, stack_set, action, times)

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
        return self._add(OutcomeKind.SUCCEED, None, cloud, account, region, stack_set, action, times)

    def drift(
        self,
        *,
        account: str | None = None,
        region: str | None = None,
        cloud: str | None = None,
        stack_set: str | None = None,
        times: int | None = None,
    ) -> Outcome:
        """Make matching instances' stacks drifted: drift detection reports them DRIFTED."""
        return self._add(OutcomeKind.DRIFT, None, cloud, account, region, stack_set, None, times)

    def add_outcome(self, outcome: Outcome) -> Outcome:
        """Add a rule built by hand (its matchers as in ``fail``)."""
        namespaces.touch()
        return outcomes.add(outcome)

    def _add(
        self,
        kind: OutcomeKind,
        reason: str | None,
        cloud: str | None,
        account: str | None,
        region: str | None,
        stack_set: str | None,
        action: str | None,
        times: int | None,
    ) -> Outcome:
        return self.add_outcome(Outcome(kind, reason, cloud, account, region, stack_set, action, times))

    def remove_outcome(self, outcome_id: str) -> bool:
        """Remove one scripted outcome; whether it existed."""
        return outcomes.remove(outcome_id)

    def clear_outcomes(self) -> None:
        """Remove every scripted outcome."""
        outcomes.clear()

    @property
    def outcomes(self) -> list[Outcome]:
        """The scripted outcomes in force, in the order they were added."""
        return outcomes.all()

    def unconsumed_outcomes(self) -> list[Outcome]:
        """Outcomes no deployment has used yet."""
        return outcomes.unconsumed()

    # -- progression ------------------------------------------------------------------------------------
    def set_progression(
        self, progression: str, *, times: int = 1, seconds: float = 1.0, cloud: str = "aws"
    ) -> dict[str, Any]:
        """Set how new operations of ``cloud`` progress, through moto's state manager.

        ``"immediate"`` (default: done within the call), ``"manual"`` (one step per ``times`` reads of the
        operation) or ``"time"`` (one step per ``seconds`` of the engine clock). Returns the transition.
        """
        if progression not in ("immediate", "manual", "time"):
            raise ValueError(f"unknown progression {progression!r}: use immediate, manual or time")
        transition: dict[str, Any] = {"progression": progression}
        if progression == "manual":
            transition["times"] = times
        elif progression == "time":
            transition["seconds"] = seconds
        state_manager.set_transition(OPERATION_MODELS[cloud], transition)
        return transition

    def reset_progression(self, cloud: str | None = None) -> None:
        """Back to the default (immediate) for ``cloud``, or every cloud."""
        for name, model in OPERATION_MODELS.items():
            if cloud is None or cloud == name:
                state_manager.unset_transition(model)

    # -- reading what the engine knows ------------------------------------------------------------------
    def namespace(
        self, cloud: str = "aws", account: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1"
    ) -> StackSetNamespace:
        """The engine namespace of one cloud, account and region (for assertions beyond the APIs)."""
        if cloud == "aws":
            from .cloudformation.models import stacksets_backends

            found: StackSetNamespace = stacksets_backends[account][region].namespace
            return found
        for candidate in namespaces.all_namespaces(cloud):
            if candidate.identity == (cloud, account, region):
                return candidate
        raise KeyError(f"no {cloud} namespace for account {account} in {region}")

    def operation(
        self,
        stack_set: str,
        operation_id: str,
        *,
        cloud: str = "aws",
        account: str = DEFAULT_ACCOUNT_ID,
        region: str = "us-east-1",
    ) -> Operation:
        """An operation as the engine holds it (not counted as a read)."""
        found = self.namespace(cloud, account, region).get_stack_set(stack_set, include_deleted=True)
        return found.operations_by_id[operation_id]

    def results(
        self,
        stack_set: str,
        operation_id: str,
        *,
        cloud: str = "aws",
        account: str = DEFAULT_ACCOUNT_ID,
        region: str = "us-east-1",
    ) -> list[TargetResult]:
        """An operation's target results with ``batch``, ``started_at`` and ``ended_at``: the order targets ran."""
        return list(self.operation(stack_set, operation_id, cloud=cloud, account=account, region=region).results)

    # -- clock ------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The engine clock's time."""
        return clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the engine clock forward (operations with time progression catch up); returns the new time."""
        namespaces.touch()
        with door.LOCK:
            clock.advance(seconds)
            door.catch_up_all()
        return clock.now()

    def freeze_clock(self) -> datetime:
        """Stop following the wall clock: only ``advance`` moves time from now on."""
        namespaces.touch()
        clock.freeze()
        return clock.now()

    def unfreeze_clock(self) -> datetime:
        """Follow the wall clock again, keeping the time already advanced."""
        clock.unfreeze()
        return clock.now()

    # -- switches ---------------------------------------------------------------------------------------
    @property
    def strict_roles(self) -> bool:
        """SELF_MANAGED deployments check moto IAM for the administration and execution roles."""
        return namespaces.settings().strict_roles

    @strict_roles.setter
    def strict_roles(self, value: bool) -> None:
        namespaces.settings().strict_roles = bool(value)

    # -- CloudFormation Hooks ---------------------------------------------------------------------------
    def hook_outcome(self, **rule: Any) -> hook_control.HookOutcome:
        """Script what matching Hook invocations decide: ``status`` (default HOOK_COMPLETE_FAILED), ``reason``,
        ``annotations``; matched by ``type_name``, ``target_type``, ``target_name``, ``account``, ``region``;
        used ``times`` times or until removed. See ``cloudformation.hooks.control.hook_outcome``."""
        return hook_control.hook_outcome(**rule)

    def record_hook_result(self, **result: Any) -> hook_control.HookResult:
        """Store a Hook result directly (any TargetType, e.g. CLOUD_CONTROL with a request token).
        See ``cloudformation.hooks.control.record_hook_result``."""
        return hook_control.record_hook_result(**result)

    @property
    def hook_outcomes(self) -> list[hook_control.HookOutcome]:
        """The scripted Hook outcomes in force, in the order they were added."""
        return hook_control.outcome_book().all()

    def unconsumed_hook_outcomes(self) -> list[hook_control.HookOutcome]:
        """Hook outcomes no Hook invocation has used yet."""
        return hook_control.outcome_book().unconsumed()

    def remove_hook_outcome(self, outcome_id: str) -> bool:
        """Remove one scripted Hook outcome; whether it existed."""
        return hook_control.outcome_book().remove(outcome_id)

    def clear_hook_outcomes(self) -> None:
        """Remove every scripted Hook outcome."""
        hook_control.outcome_book().clear()

    # -- Alibaba resource directory ---------------------------------------------------------------------
    def resource_directory(self, *, account: str | None = None, access_key_id: str | None = None) -> ResourceDirectory:
        """The Alibaba Cloud resource directory a management account (or the account of an access key) runs
        SERVICE_MANAGED stack groups against: ``add_folder``, ``add_account``, ``enable_service_access``.
        Reset with moto's reset."""
        from .alibaba_ros import resource_directory

        if (account is None) == (access_key_id is None):
            raise ValueError("give exactly one of account or access_key_id")
        if account is not None:
            return resource_directory.for_account(account)
        assert access_key_id is not None
        return resource_directory.for_access_key(access_key_id)

    # -- reset ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Reset every moto backend and the plugin's state, as moto's ``/moto-api/reset`` does."""
        namespaces.touch()
        BackendDict.reset()
        reset_model_data()


control = StackSetsControl()
