"""The test-control API: script what deployments do, pace operations, move the engine clock, reset.

One typed object, ``control``, shared by tests in-process and, through the HTTP control endpoints
under ``/moto-api/stacksets/`` (``control_api``), by clients of the server. Under moto's
``TEST_SERVER_MODE`` (a ``mock_stacksets`` running with ``TEST_SERVER_MODE=true``) every call acts on the
server at ``TEST_SERVER_MODE_ENDPOINT`` through that API (``remote_control``) and returns the same types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from . import _clouds, plugin
from ._control import checks
from ._control.calls import Call, CallLog, calls
from ._control.checks import ControlArgumentError
from ._control.suggest import did_you_mean
from ._state import namespaces
from .cloudformation import gates
from .cloudformation.gates import GateFunction
from .cloudformation.hooks import control as hook_control
from .cloudformation.stacks import role_checks
from .engine import door
from .engine.clock import clock
from .engine.model import DifferenceType, Operation, PropertyDifference, ResourceDriftStatus, TargetResult
from .engine.outcomes import DriftedResource, Outcome, OutcomeKind, outcomes
from .engine.stacksets import StackSetNamespace

#: What ``control.drift(resources=...)`` takes: logical id → drift status, or logical ids and ``DriftedResource``s.
DriftResources = Mapping[str, str] | Sequence[str | DriftedResource]

if TYPE_CHECKING:
    from ._control.remote import RemoteControl
    from .alibaba_ros.resource_directory import ResourceDirectory

#: The moto state-manager model of each cloud's operations (each cloud's record names its own).
OPERATION_MODELS: Mapping[str, str] = _clouds.OPERATION_MODELS

__all__ = [
    "OPERATION_MODELS",
    "Call",
    "CallLog",
    "ControlArgumentError",
    "DifferenceType",
    "DriftedResource",
    "NoActiveMockError",
    "PropertyDifference",
    "ResourceDriftStatus",
    "StackSetsControl",
    "control",
]


class NoActiveMockError(RuntimeError):
    """A test-control call that nothing would act on: no mock is running and the plugin is not installed."""


def _remote() -> RemoteControl | None:
    """The server to act on, while a ``mock_stacksets`` runs under moto's ``TEST_SERVER_MODE``."""
    if not plugin.server_mode():
        return None
    from ._control.remote import RemoteControl

    return RemoteControl(plugin.server_endpoint())


def _require_mock(call: str) -> None:
    """Refuse a scripting call that would silently do nothing (no mock is running, nothing is installed)."""
    if not plugin.active():
        raise NoActiveMockError(
            f"control.{call} was called outside any mock: nothing would use it, and the next mock_stacksets "
            "starts clean. Call it inside `with mock_stacksets():`, a @mock_stacksets function, a test using "
            "the stacksets or stacksets_server fixture, or after install() (moto's server)."
        )


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
        stack: str | None = None,
    ) -> Outcome:
        """Make matching deployments fail with ``reason``: ``times`` of them, or all until removed.

        ``None`` matches anything; ``stack_set`` is a name or id; ``action`` is CREATE, UPDATE, DELETE,
        DETECT_DRIFT or ROLLBACK; ``cloud`` is ``aws``, ``huawei`` or ``alibaba``. ``stack`` names a stack made
        through a stack API (Huawei RFS stacks: its deployments are CREATE, then UPDATE; its automatic rollback
        ROLLBACK, matched by a rule naming that action only): the rule then fails that stack's deployments only.
        """
        return self._add(OutcomeKind.FAIL, reason, cloud, account, region, stack_set, action, times, stack)

    def fail_role(
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
        """Make the role provisioning stage fail in matching accounts (AWS: a SERVICE_MANAGED stack set with a
        custom execution role template); their stack instances are SKIPPED. ``region`` is the region the
        role is provisioned in: the first region the operation deploys to in that account."""
        return self._add(OutcomeKind.FAIL_ROLE, reason, cloud, account, region, stack_set, action, times)

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
        resources: DriftResources | None = None,
    ) -> Outcome:
        """Make matching instances' stacks drifted: drift detection reports them DRIFTED.

        ``resources`` names the resources that drifted, and how: a mapping of logical resource id to a
        ``StackResourceDriftStatus`` (``{"Bucket": "MODIFIED", "Topic": "DELETED"}``), or a sequence of logical
        ids (each MODIFIED) and ``DriftedResource`` objects (which may carry ``PropertyDifference``s for a
        MODIFIED resource). ListStackInstanceResourceDrifts then shows the named resources with their status,
        the stack's other resources IN_SYNC, and the instance is DRIFTED only if a resource is MODIFIED or
        DELETED (else IN_SYNC). A logical id the instance's stack does not have is ignored. ``None`` (the
        default): every resource of the stack MODIFIED, without property differences.
        """
        named = checks.resources("drift()", resources)
        return self.add_outcome(
            Outcome(OutcomeKind.DRIFT, None, cloud, account, region, stack_set, None, times, resources=named)
        )

    def add_outcome(self, outcome: Outcome) -> Outcome:
        """Add a rule built by hand (its matchers as in ``fail``).

        Every argument is checked (``ControlArgumentError`` names the valid values): ``cloud`` one of ``aws``,
        ``huawei``, ``alibaba``; ``account`` a string (AWS: 12 digits); ``region`` a region of the cloud (AWS:
        known to botocore); ``action`` one of CREATE, UPDATE, DELETE, DETECT_DRIFT, ROLLBACK; ``stack_set`` or
        ``stack`` (not both) a string; ``times`` a positive integer; ``resources`` (DRIFT outcomes only) as in
        ``drift``. Outside any mock it raises ``NoActiveMockError``.
        """
        return self._checked_outcome(outcome, per_cloud=True)

    def _checked_outcome(self, outcome: Outcome, *, per_cloud: bool) -> Outcome:
        """``per_cloud``: the account and region must be the named cloud's (else any cloud's will do, as the
        HTTP API's schema can say)."""
        call = f"{outcome.kind.value.lower() if isinstance(outcome.kind, OutcomeKind) else 'add_outcome'}()"
        if not isinstance(outcome.kind, OutcomeKind):
            raise ControlArgumentError(
                f"control.add_outcome(): kind must be one of {[k.value for k in OutcomeKind]}, not {outcome.kind!r}"
            )
        cloud = checks.cloud(call, outcome.cloud)
        checks.account(call, outcome.account, cloud if per_cloud else None)
        checks.region(call, outcome.region, cloud if per_cloud else None)
        checks.action(call, outcome.action)
        checks.times(call, outcome.times)
        checks.text(call, "stack_set", outcome.stack_set)
        checks.text(call, "stack", outcome.stack)
        if outcome.stack is not None and outcome.stack_set is not None:
            raise ControlArgumentError(f"{call}: give stack or stack_set, not both (a stack set is not a stack)")
        checks.text(call, "reason", outcome.reason)
        if outcome.resources is not None and outcome.kind is not OutcomeKind.DRIFT:
            raise ControlArgumentError(f"{call}: resources are for DRIFT outcomes only, not {outcome.kind.value}")
        outcome.resources = checks.resources(call, outcome.resources)
        _require_mock(call)
        if (remote := _remote()) is not None:
            return remote.add_outcome(outcome)
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
        stack: str | None = None,
    ) -> Outcome:
        outcome = Outcome(kind, reason, cloud, account, region, stack_set, action, times, stack=stack)
        return self.add_outcome(outcome)

    def remove_outcome(self, outcome_id: str) -> bool:
        """Remove one scripted outcome; whether it existed."""
        if (remote := _remote()) is not None:
            return remote.remove_outcome(outcome_id)
        return outcomes.remove(outcome_id)

    def clear_outcomes(self) -> None:
        """Remove every scripted outcome."""
        if (remote := _remote()) is not None:
            return remote.clear_outcomes()
        outcomes.clear()

    @property
    def outcomes(self) -> list[Outcome]:
        """The scripted outcomes in force, in the order they were added."""
        if (remote := _remote()) is not None:
            return remote.outcomes()
        return outcomes.all()

    def unconsumed_outcomes(self) -> list[Outcome]:
        """Outcomes no deployment has used yet."""
        if (remote := _remote()) is not None:
            return [o for o in remote.outcomes() if o.consumed == 0]
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
            raise ControlArgumentError(
                f"control.set_progression(): progression must be 'immediate', 'manual' or 'time', not {progression!r}"
                f"{did_you_mean(progression, ('immediate', 'manual', 'time'))}"
            )
        if cloud not in OPERATION_MODELS:
            raise ControlArgumentError(
                f"control.set_progression(): cloud must be one of {list(OPERATION_MODELS)}, not {cloud!r}"
                f"{did_you_mean(cloud, OPERATION_MODELS)}"
            )
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise ControlArgumentError(f"control.set_progression(): times must be a positive integer, not {times!r}")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds > 0:
            raise ControlArgumentError(f"control.set_progression(): seconds must be a positive number, not {seconds!r}")
        _require_mock("set_progression()")
        if (remote := _remote()) is not None:
            return remote.set_progression(progression, times, float(seconds), cloud)
        namespaces.touch()
        transition: dict[str, Any] = {"progression": progression}
        if progression == "manual":
            transition["times"] = times
        elif progression == "time":
            transition["seconds"] = seconds
        state_manager.set_transition(OPERATION_MODELS[cloud], transition)
        return transition

    def reset_progression(self, cloud: str | None = None) -> None:
        """Back to the default (immediate) for ``cloud``, or every cloud."""
        if (remote := _remote()) is not None:
            return remote.reset_progression(cloud)
        for name, model in OPERATION_MODELS.items():
            if cloud is None or cloud == name:
                state_manager.unset_transition(model)

    # -- reading what the engine knows ------------------------------------------------------------------
    def namespace(
        self, cloud: str = "aws", account: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1"
    ) -> StackSetNamespace:
        """The engine namespace of one cloud, account and region (for assertions beyond the APIs). Not under
        TEST_SERVER_MODE (``ServerModeError``): the namespace is a live object of the server's process."""
        if plugin.server_mode():
            from ._control.remote import refuse

            refuse(
                "namespace()",
                "its live namespace cannot be sent here: read operations with control.operation() or "
                "control.results(), stack sets through the provider's API, or everything with "
                "GET /moto-api/stacksets/state",
            )
        found = _clouds.get(cloud).find(account, region)
        if found is None:
            raise KeyError(f"no {cloud} namespace for account {account} in {region}")
        return found

    def operation(
        self,
        stack_set: str,
        operation_id: str,
        *,
        cloud: str = "aws",
        account: str = DEFAULT_ACCOUNT_ID,
        region: str = "us-east-1",
    ) -> Operation:
        """An operation as the engine holds it (not counted as a read). Under TEST_SERVER_MODE, a copy of the
        server's (``GET /moto-api/stacksets/operations/{operation_id}``)."""
        if (remote := _remote()) is not None:
            return remote.operation(stack_set, operation_id, cloud, account, region)
        found = self.namespace(cloud, account, region).get_stack_set(stack_set, include_deleted=True)
        operation = found.operation(operation_id)
        if operation is None:
            raise KeyError(f"stack set {stack_set!r} has no operation {operation_id!r}")
        return operation

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

    # -- the record of calls ----------------------------------------------------------------------------
    @property
    def calls(self) -> CallLog:
        """Every request the mock served on the plugin's routes (AWS CloudFormation, Huawei RFS, Alibaba ROS),
        oldest first: ``Call(cloud, action, account, region, parameters, status, error_code)``. Filter with
        ``calls.filter(action="DescribeStackSetOperation")``, count with ``calls.count(...)``. Reset with
        every mock (see ``moto_stacksets_ext._control.calls``). Under TEST_SERVER_MODE, the server's record."""
        if (remote := _remote()) is not None:
            return remote.calls
        return calls

    # -- clock ------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The engine clock's time, to the millisecond (under TEST_SERVER_MODE the server's)."""
        if (remote := _remote()) is not None:
            return remote.now()
        return clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the engine clock forward (operations with time progression catch up); returns the new time."""
        _require_mock("advance()")
        if (remote := _remote()) is not None:
            return remote.clock(advance=seconds)
        namespaces.touch()
        with door.LOCK:
            clock.advance(seconds)
            door.catch_up_all()
        return clock.now()

    def freeze_clock(self) -> datetime:
        """Stop following the wall clock: only ``advance`` moves time from now on."""
        _require_mock("freeze_clock()")
        if (remote := _remote()) is not None:
            return remote.clock(freeze=True)
        namespaces.touch()
        clock.freeze()
        return clock.now()

    def unfreeze_clock(self) -> datetime:
        """Follow the wall clock again, keeping the time already advanced."""
        if (remote := _remote()) is not None:
            return remote.clock(freeze=False)
        clock.unfreeze()
        return clock.now()

    # -- switches ---------------------------------------------------------------------------------------
    @property
    def strict_roles(self) -> bool:
        """SELF_MANAGED deployments check moto IAM for the administration and execution roles."""
        if (remote := _remote()) is not None:
            return remote.strict_roles
        return role_checks().strict

    @strict_roles.setter
    def strict_roles(self, value: bool) -> None:
        _require_mock("strict_roles")
        if (remote := _remote()) is not None:
            remote.strict_roles = bool(value)
            return
        role_checks().strict = bool(value)

    # -- CloudFormation Hooks ---------------------------------------------------------------------------
    _hooks = hook_control.HooksControl()

    @property
    def hooks(self) -> hook_control.HooksControl:
        """Hook code run in-process: ``control.hooks.handler(type_name, hook)``,
        ``control.hooks.lambda_function(arn, fn)``, ``control.hooks.load_project(directory)``. Under
        TEST_SERVER_MODE every call raises ``ServerModeError`` (a Python callable cannot reach the server)."""
        if plugin.server_mode():
            from ._control.remote import SERVER_MODE_HOOKS

            return SERVER_MODE_HOOKS
        return self._hooks

    def hook_outcome(self, **rule: Any) -> hook_control.HookOutcome:
        """Script what matching Hook invocations decide: ``status`` (default HOOK_COMPLETE_FAILED), ``reason``,
        ``annotations``; matched by ``type_name``, ``target_type``, ``target_name``, ``account``, ``region``;
        used ``times`` times or until removed. See ``cloudformation.hooks.control.hook_outcome``."""
        checks.account("hook_outcome()", rule.get("account"), "aws")
        checks.region("hook_outcome()", rule.get("region"), "aws")
        _require_mock("hook_outcome()")
        if (remote := _remote()) is not None:
            return remote.hook_outcome(**rule)
        return hook_control.hook_outcome(**rule)

    def record_hook_result(self, **result: Any) -> hook_control.HookResult:
        """Store a Hook result directly (any TargetType, e.g. CLOUD_CONTROL with a request token).
        See ``cloudformation.hooks.control.record_hook_result``."""
        _require_mock("record_hook_result()")
        if (remote := _remote()) is not None:
            return remote.record_hook_result(**result)
        return hook_control.record_hook_result(**result)

    @property
    def hook_outcomes(self) -> list[hook_control.HookOutcome]:
        """The scripted Hook outcomes in force, in the order they were added."""
        if (remote := _remote()) is not None:
            return remote.hook_outcomes()
        return hook_control.outcome_book().all()

    def unconsumed_hook_outcomes(self) -> list[hook_control.HookOutcome]:
        """Hook outcomes no Hook invocation has used yet."""
        if (remote := _remote()) is not None:
            return [o for o in remote.hook_outcomes() if o.consumed == 0]
        return hook_control.outcome_book().unconsumed()

    def remove_hook_outcome(self, outcome_id: str) -> bool:
        """Remove one scripted Hook outcome; whether it existed."""
        if (remote := _remote()) is not None:
            return remote.remove_hook_outcome(outcome_id)
        return hook_control.outcome_book().remove(outcome_id)

    def clear_hook_outcomes(self) -> None:
        """Remove every scripted Hook outcome."""
        if (remote := _remote()) is not None:
            return remote.clear_hook_outcomes()
        hook_control.outcome_book().clear()

    # -- StackSets account gates ----------------------------------------------------------------------------
    def account_gate(
        self, function: GateFunction | None, *, account: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1"
    ) -> None:
        """Make ``function(event, context)`` (a Lambda handler's signature) the StackSets account gate of
        ``account`` and ``region``, instead of the moto Lambda function ``AWSCloudFormationStackSetAccountGate``
        there; ``None`` removes it. Reset with moto's reset. Under TEST_SERVER_MODE: ``ServerModeError`` (create
        the moto Lambda function in the server instead)."""
        checks.account("account_gate()", account, "aws")
        checks.region("account_gate()", region, "aws")
        _require_mock("account_gate()")
        if plugin.server_mode():
            from ._control.remote import refuse

            refuse(
                "account_gate()",
                "a Python callable cannot be sent to it: create the Lambda function "
                "AWSCloudFormationStackSetAccountGate (a Python runtime) in the target account and region instead",
            )
        gates.register(function, account, region)

    # -- Alibaba resource directory ---------------------------------------------------------------------
    def resource_directory(self, *, account: str | None = None, access_key_id: str | None = None) -> ResourceDirectory:
        """The Alibaba Cloud resource directory a management account (or the account of an access key) runs
        SERVICE_MANAGED stack groups against: ``add_folder``, ``add_account``, ``enable_service_access``.
        Reset with moto's reset. Under TEST_SERVER_MODE, the server's directory (``RemoteResourceDirectory``)."""
        from .alibaba_ros import resource_directory

        if (account is None) == (access_key_id is None):
            raise ValueError("give exactly one of account or access_key_id")
        if (remote := _remote()) is not None:
            from .alibaba_ros.accounts import calling_account

            return remote.resource_directory(account if account is not None else calling_account(access_key_id))
        if account is not None:
            return resource_directory.for_account(account)
        assert access_key_id is not None
        return resource_directory.for_access_key(access_key_id)

    # -- reset ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Reset every moto backend and the plugin's state, as moto's ``/moto-api/reset`` does (under
        TEST_SERVER_MODE, the server's)."""
        if (remote := _remote()) is not None:
            return remote.reset()
        namespaces.touch()
        BackendDict.reset()
        reset_model_data()


control = StackSetsControl()
