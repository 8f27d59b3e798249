"""StackSets account gates: the ``AWSCloudFormationStackSetAccountGate`` function of a target account and region.

The engine asks its ``AccountGate`` before each target's first deployment (``engine.execution``); this is AWS's:

- the function is a Python callable registered for the account and region (``control.account_gate``), else the
  moto Lambda function ``arn:<partition>:lambda:<region>:<account>:function:AWSCloudFormationStackSetAccountGate``,
  whose code runs in-process when its runtime is Python (``hooks.lambdas``, as Lambda Hooks run);
- no function: SKIPPED, ``Function not found: <arn>`` (AWS's recorded wording); a function the mock cannot run
  (another runtime, no zip package): SKIPPED with why (our wording), and a warning once per function;
- the function answers SUCCEEDED (``{"Status": "SUCCEEDED"}``, or the bare word): the target proceeds; anything
  else (FAILED, another answer, an exception) fails the target with ``AccountGateResult`` FAILED, the reason
  being the function's ``StatusReason`` when it gave one, else ours.

AWS documents neither the event it sends nor the exact answer it reads (UserGuide ``stacksets-account-gating``,
API ``AccountGateResult``); the event is ``gate_event``'s, documented in docs/aws.md.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from moto.core.base_backend import BackendDict
from moto.utilities.utils import get_partition

from .. import moto_internals
from ..engine.execution import GateCheck
from ..engine.model import AccountGateResult, GateStatus
from .hooks import lambdas
from .hooks.handlers import LambdaContext

#: The name AWS looks for in each target account and region.
ACCOUNT_GATE = "AWSCloudFormationStackSetAccountGate"

#: An account gate function: called as ``function(event, context)``, like a Lambda handler.
GateFunction = Callable[[dict[str, Any], Any], Any]

logger = logging.getLogger(__name__)
_warned: set[str] = set()


def gate_arn(account: str, region: str) -> str:
    return f"arn:{get_partition(region)}:lambda:{region}:{account}:function:{ACCOUNT_GATE}"


def gate_event(check: GateCheck) -> dict[str, Any]:
    """What the gate function is called with (AWS documents no event: these are the operation's facts)."""
    stack_set = check.stack_set
    return {
        "AccountId": check.account,
        "Region": check.region,
        "StackSetName": stack_set.stack_set_name,
        "StackSetId": stack_set.stack_set_id,
        "OperationId": check.operation.operation_id,
        "Action": check.operation.action.value,
    }


def _answer(raw: Any) -> tuple[str | None, str | None]:
    """The status and reason a function answered: ``{"Status": ..., "StatusReason": ...}``, its JSON text, or
    the bare status word."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return raw.strip(), None
    if isinstance(raw, str):
        return raw.strip(), None
    if isinstance(raw, Mapping):
        status, reason = raw.get("Status", raw.get("status")), raw.get("StatusReason", raw.get("statusReason"))
        return (str(status) if status is not None else None), (str(reason) if reason else None)
    return None, None


def _invoke(function: GateFunction, arn: str, check: GateCheck) -> AccountGateResult:
    try:
        raw = function(json.loads(json.dumps(gate_event(check))), LambdaContext(arn))
    except Exception as error:  # the function itself failed: it did not answer SUCCEEDED
        raised = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return AccountGateResult(GateStatus.FAILED, f"Account gate function {arn} failed: {raised}")
    status, reason = _answer(raw)
    if status == "SUCCEEDED":
        return AccountGateResult(GateStatus.SUCCEEDED, reason)
    if status == "FAILED":
        return AccountGateResult(GateStatus.FAILED, reason or f"Account gate function {arn} returned FAILED")
    shown = "no status" if status is None else f"status {status!r}"
    return AccountGateResult(
        GateStatus.FAILED, reason or f"Account gate function {arn} returned {shown} (SUCCEEDED or FAILED expected)"
    )


class LambdaAccountGate:
    """The engine's ``AccountGate`` for AWS (see the module's documentation)."""

    def __init__(self, backends: BackendDict[Any]) -> None:
        self.backends = backends

    def registered(self, account: str, region: str) -> GateFunction | None:
        backend = moto_internals.existing_backend(self.backends, account, region)
        function: GateFunction | None = getattr(backend, "account_gate_function", None)
        return function

    def check(self, check: GateCheck) -> AccountGateResult:
        arn = gate_arn(check.account, check.region)
        function = self.registered(check.account, check.region)
        if function is not None:
            return _invoke(function, arn, check)
        found = lambdas.find_function(arn)
        if found is None:
            return AccountGateResult(GateStatus.SKIPPED, f"Function not found: {arn}")
        if found.runner is None:
            reason = f"Function {arn} cannot be invoked by the mock: {found.problem}"
            if arn not in _warned:
                _warned.add(arn)
                logger.warning("Account gate skipped: %s", reason)
            return AccountGateResult(GateStatus.SKIPPED, reason)
        return _invoke(found.runner, arn, check)


def register(function: GateFunction | None, account: str, region: str) -> None:
    """Make ``function`` the account gate of ``account`` and ``region`` (None: back to the moto Lambda function)."""
    from .models import stacksets_backends

    if function is not None and not callable(function):
        raise TypeError("function must be callable as function(event, context), like a Lambda handler")
    backend = stacksets_backends[account][region]
    backend.account_gate_function = function
