"""Hooks that answer IN_PROGRESS during a stack-set instance's deployment, called back step by step.

CloudFormation calls a Hook that answered ``IN_PROGRESS`` again after its ``callbackDelaySeconds``, with
its ``callbackContext``. In a stack-set operation the mock spreads those calls over the operation's
steps: the deployer (``cloudformation.stacks``) runs moto's stack call inside ``paced(run)``; when a Hook
answers IN_PROGRESS, the Hook run stops before anything is provisioned and ``HookPending`` carries the
``HookRun`` out, which the deployer hands the engine as its continuation (``DeployOutcome.not_finished``).
On a later step the engine hands it back and the stack call runs again: Hooks that already answered are
not called again (their results are kept, scripted outcomes are not consumed twice), the waiting Hook is
called back with invocation n+1, its ``callbackContext`` and the same ``clientRequestToken``.

Outside ``paced`` (plain CreateStack/UpdateStack/DeleteStack and change sets, which moto runs
synchronously) an IN_PROGRESS answer is called back at once (``handlers.run``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .handlers import Callback
from .model import HookResult

#: (target type, target id, Hook type ARN): one Hook on one target of the deployment.
HookKey = tuple[str, str, str]


@dataclass
class HookRun:
    """What the Hooks of one stack-set instance's deployment answered so far (the deployer's continuation)."""

    #: Results of the Hooks that answered (committed to the result store when the whole run ends).
    decided: dict[HookKey, HookResult] = field(default_factory=dict)
    #: Hooks that answered IN_PROGRESS: their call-backs.
    waiting: dict[HookKey, Callback] = field(default_factory=dict)


class HookPending(Exception):
    """A Hook answered IN_PROGRESS in a paced run: the stack call stopped before provisioning anything."""

    def __init__(self, run: HookRun, type_names: list[str], callbacks: list[Callback]) -> None:
        self.run = run
        #: The longest delay the waiting Hooks asked for: none of them is called back earlier.
        self.wait_seconds = max((c.delay_seconds for c in callbacks), default=0.0)
        invocations = ", ".join(str(c.invocation) for c in callbacks)
        self.reason = (
            f"Waiting for hook(s) [{', '.join(type_names)}]: IN_PROGRESS at invocation {invocations}, "
            f"callbackDelaySeconds {self.wait_seconds:g}"
        )
        super().__init__(self.reason)


_current: ContextVar[HookRun | None] = ContextVar("moto_stacksets_hook_run", default=None)


def current() -> HookRun | None:
    """The paced run of the stack call in progress (None: IN_PROGRESS answers are called back at once)."""
    return _current.get()


@contextmanager
def paced(run: HookRun | None) -> Iterator[None]:
    """Within this block, moto's stack calls run their Hooks as part of ``run`` (None: not paced)."""
    token = _current.set(run)
    try:
        yield
    finally:
        _current.reset(token)
