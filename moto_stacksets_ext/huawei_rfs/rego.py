"""Rego policies of RFS private hooks, evaluated with ``regopy`` (rego-cpp, an OPA-compatible engine).

RFS queries ``policy.hook_result`` (package ``policy``): ``{"is_passed": bool, "err_msg": string}``. A policy
that does not define ``hook_result`` has no effect. ``regopy`` ships wheels for CPython 3.10-3.13 on Linux
x86_64 (glibc 2.34+) and Windows x64; where it is not installed, hooks are stored as sent, their syntax is not
checked, and evaluating one warns (once) and lets the deployment go ahead.
"""

from __future__ import annotations

import importlib
import json
import re
import warnings
from dataclasses import dataclass
from types import ModuleType

QUERY = "data.policy.hook_result"
_warned = False


class PolicySyntaxError(ValueError):
    """The policy does not compile; the message is the engine's first error."""


@dataclass(frozen=True)
class HookDecision:
    """What the policy decided: ``defined`` False when it has no ``hook_result`` (no effect)."""

    defined: bool
    is_passed: bool = True
    err_msg: str | None = None


def _engine() -> ModuleType | None:
    try:
        module = importlib.import_module("regopy")
    except ImportError:
        return None
    return module


def _warn_missing() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            "regopy is not installed (pip install 'moto-stacksets-ext[huawei]' on a platform it has wheels for): "
            "RFS private hooks are stored but their policies are neither checked nor evaluated; deployments go "
            "ahead as if every hook passed.",
            RuntimeWarning,
            stacklevel=3,
        )


def _interpreter(engine: ModuleType, policy: str) -> object:
    interpreter = engine.Interpreter()
    try:
        interpreter.add_module("policy.rego", policy)
    except Exception as error:  # regopy.RegoError: the parse failed
        raise PolicySyntaxError(_first_error(str(error))) from error
    return interpreter


def _first_error(text: str) -> str:
    found = re.search(r"errormsg \d+:([^)]*)\)", text)
    return found[1].strip() if found else (text.strip().splitlines() or ["syntax error"])[0]


def check_syntax(policy: str) -> None:
    """Compile the policy (``PolicySyntaxError`` when it does not); without regopy, nothing is checked."""
    engine = _engine()
    if engine is None:
        _warn_missing()
        return
    interpreter = _interpreter(engine, policy)
    try:
        interpreter.query("data.policy")  # type: ignore[attr-defined]
    except Exception as error:
        raise PolicySyntaxError(_first_error(str(error))) from error


def evaluate(policy: str, document: dict[str, object]) -> HookDecision:
    """Query ``data.policy.hook_result`` with ``document`` as ``input``.

    A policy that fails at evaluation (a runtime error, or an ``is_passed`` that is not a boolean) is a failed
    check whose message says so; without regopy, every policy passes (warned once).
    """
    engine = _engine()
    if engine is None:
        _warn_missing()
        return HookDecision(defined=False)
    try:
        interpreter = _interpreter(engine, policy)
        interpreter.set_input(document)  # type: ignore[attr-defined]
        output = interpreter.query(QUERY)  # type: ignore[attr-defined]
        text = str(output)
        if not text.lstrip().startswith("{"):
            return HookDecision(defined=False)
        expressions = json.loads(text).get("expressions") or []
    except Exception as error:
        return HookDecision(True, False, f"The private hook policy could not be evaluated: {_first_error(str(error))}")
    if not expressions or not isinstance(expressions[0], dict):
        return HookDecision(defined=False)
    result = expressions[0]
    passed = result.get("is_passed")
    if not isinstance(passed, bool):
        return HookDecision(True, False, "The private hook policy's hook_result.is_passed is not a boolean.")
    message = result.get("err_msg")
    return HookDecision(True, passed, message if isinstance(message, str) and message else None)
