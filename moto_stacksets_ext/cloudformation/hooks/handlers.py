"""Hooks that run real code: the invocation request the service sends, and what the answer decides.

A *runner* is anything called as ``runner(event, context)`` that answers a Hook progress event (a dict with
``hookStatus``, ``errorCode``, ``message``, ``callbackContext``, ``callbackDelaySeconds``, ``annotations``):

- a ``cloudformation_cli_python_lib.Hook`` (its own entry point, ``hook(event, context)``), registered for
  a Hook type name with ``control.hooks.handler(type_name, hook)`` or loaded from a CloudFormation CLI
  project directory (``projects``);
- the function of a Lambda Hook (``AWS::Hooks::LambdaHook``): a Python callable registered for the
  function's ARN (``control.hooks.lambda_function(arn, fn)``) or a moto Lambda function with a Python
  runtime, whose deployment package runs in-process (``lambdas``).

The request is the one the service documents (``clientRequestToken``, ``awsAccountId``, ``stackId``,
``changeSetId``, ``hookTypeName``, ``hookTypeVersion``, ``hookModel``, ``actionInvocationPoint``,
``requestData`` with the target and its model, ``requestContext`` with the invocation number and callback
context). Custom Hooks also get ``callerCredentials``: credentials of an assumed role in the target account,
so the boto3 session the library hands the handler is served by the mock in that account.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .model import Annotation, HookStatus

Runner = Callable[[dict[str, Any], Any], Any]

#: A Hook may answer IN_PROGRESS this many times; the next IN_PROGRESS fails it (as the service documents).
MAX_IN_PROGRESS = 3
_FAILED_CODES_COMPLETE = (None, "", "NonCompliant")


@dataclass
class HookHandlerBook:
    """Runners by Hook type name and by Lambda function ARN (reset with moto's reset)."""

    by_type: dict[str, Runner] = field(default_factory=dict)
    by_function: dict[str, Runner] = field(default_factory=dict)

    def clear(self) -> None:
        self.by_type.clear()
        self.by_function.clear()


@dataclass(frozen=True)
class Callback:
    """An IN_PROGRESS answer, to be called back later (a paced stack-set deployment, see ``pacing``): the next
    call is invocation ``invocation + 1`` with ``context`` as its ``callbackContext`` and the same ``token``
    (``clientRequestToken``), after ``delay_seconds`` (``callbackDelaySeconds``)."""

    invocation: int
    context: Any
    delay_seconds: float
    token: str


@dataclass(frozen=True)
class Verdict:
    """What the Hook's code decided."""

    status: HookStatus
    reason: str
    annotations: list[Annotation]
    invocations: int


class LambdaContext:
    """The context object a Lambda handler receives (the members handlers use)."""

    def __init__(self, function_arn: str) -> None:
        self.invoked_function_arn = function_arn
        self.function_name = function_arn.rsplit(":", 1)[-1]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 128
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = self.aws_request_id

    def get_remaining_time_in_millis(self) -> int:
        return 30_000  # Hooks wait up to 30 seconds for an answer


def _annotation(raw: Any) -> Annotation | None:
    if not isinstance(raw, Mapping):
        return None

    def text(key: str) -> str | None:
        value = raw.get(key)
        return str(value) if value is not None else None

    return Annotation(
        annotation_name=text("annotationName"),
        status=text("status"),
        status_message=text("statusMessage"),
        remediation_message=text("remediationMessage"),
        remediation_link=text("remediationLink"),
        severity_level=text("severityLevel"),
    )


@contextmanager
def _recording_exceptions(runner: Runner, seen: list[BaseException]) -> Iterator[None]:
    """While a library ``Hook`` runs, note what its handlers raise (the library turns it into a bare
    ``InternalFailure``; the service's logs would show the exception, so the reason names it)."""
    handlers = getattr(runner, "_handlers", None)
    if not isinstance(handlers, dict):
        yield
        return
    originals = dict(handlers)

    def recording(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except BaseException as error:
                seen.append(error)
                raise

        return call

    handlers.update({point: recording(function) for point, function in originals.items()})
    try:
        yield
    finally:
        handlers.clear()
        handlers.update(originals)


def _raised(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _delay(value: Any) -> float:
    """``callbackDelaySeconds`` as a number of seconds (anything but a finite number ≥ 0 is 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return float(value) if math.isfinite(value) and value > 0 else 0.0


def run(
    runner: Runner, event: dict[str, Any], context: Any, resume: Callback | None = None, paced: bool = False
) -> Verdict | Callback:
    """Invoke ``runner`` as the service does; never raises.

    An IN_PROGRESS answer is called back at once (invocation 2, 3...), or, when ``paced``, returned as a
    ``Callback`` for a later step to hand back as ``resume``. Either way a fourth IN_PROGRESS fails the Hook.
    """
    callback: Any = resume.context if resume is not None else None
    if resume is not None:
        event["clientRequestToken"] = resume.token
    first = resume.invocation + 1 if resume is not None else 1
    for invocation in range(first, MAX_IN_PROGRESS + 2):
        event["requestContext"] = {"invocation": invocation, "callbackContext": callback}
        seen: list[BaseException] = []
        try:
            with _recording_exceptions(runner, seen):
                answer = runner(json.loads(json.dumps(event)), context)
        except Exception as error:  # the function itself failed (a Lambda's unhandled error)
            return Verdict(HookStatus.HOOK_FAILED, f"Unhandled exception: {_raised(error)}", [], invocation)
        if seen:
            return Verdict(
                HookStatus.HOOK_FAILED, f"InternalFailure: the handler raised {_raised(seen[-1])}", [], invocation
            )
        if isinstance(answer, (str, bytes)):
            try:
                answer = json.loads(answer)
            except ValueError:
                answer = None
        if not isinstance(answer, Mapping) or answer.get("hookStatus") not in ("SUCCESS", "FAILED", "IN_PROGRESS"):
            return Verdict(
                HookStatus.HOOK_FAILED,
                "Invalid response: hookStatus must be SUCCESS, FAILED or IN_PROGRESS",
                [],
                invocation,
            )
        annotations = [a for a in map(_annotation, answer.get("annotations") or []) if a is not None]
        message = str(answer.get("message") or "")[:4096]
        if answer["hookStatus"] == "SUCCESS":
            return Verdict(
                HookStatus.HOOK_COMPLETE_SUCCEEDED, message or "Hook completed successfully", annotations, invocation
            )
        if answer["hookStatus"] == "FAILED":
            code = answer.get("errorCode")
            status = HookStatus.HOOK_COMPLETE_FAILED if code in _FAILED_CODES_COMPLETE else HookStatus.HOOK_FAILED
            if not message:
                message = f"{code}" if code else "Hook completed with failed validations"
            return Verdict(status, message, annotations, invocation)
        callback = answer.get("callbackContext")
        if paced and invocation <= MAX_IN_PROGRESS:
            delay = _delay(answer.get("callbackDelaySeconds"))
            return Callback(invocation, callback, delay, str(event["clientRequestToken"]))
    return Verdict(
        HookStatus.HOOK_FAILED,
        f"Hook answered IN_PROGRESS more than {MAX_IN_PROGRESS} times without a result",
        [],
        MAX_IN_PROGRESS + 1,
    )
