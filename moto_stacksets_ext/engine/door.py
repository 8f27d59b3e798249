"""The engine's one door: every public engine call enters here.

Entering takes the engine lock (one re-entrant lock for every namespace of every cloud, held by the
front-ends for a whole request and by the test-control API) and then catches the namespace up with the
clock: every step the clock has made due is taken before the call reads or writes anything. So no read
is stale, whichever call reads, and no two requests interleave, in server mode or from test threads.

``catch_up_all`` does the same for every namespace at once (after the test clock moved), so that the
effects of due steps (moto stacks in target accounts, drift details) exist before anyone looks.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, Protocol, TypeVar

#: The engine lock. Re-entrant: a front-end holds it for its whole request and engine calls re-enter it.
LOCK = threading.RLock()

P = ParamSpec("P")
R = TypeVar("R")


class Enterable(Protocol):
    def catch_up(self) -> None: ...


S = TypeVar("S", bound=Enterable)

_namespaces: weakref.WeakSet[Enterable] = weakref.WeakSet()


def register(namespace: Enterable) -> None:
    """Make ``namespace`` one of those ``catch_up_all`` catches up."""
    with LOCK:
        _namespaces.add(namespace)


def entry(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a public engine method: lock, catch up with the clock, then run."""

    @functools.wraps(method)
    def enter(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with LOCK:
            self.catch_up()
            return method(self, *args, **kwargs)

    return enter


@contextmanager
def held() -> Iterator[None]:
    """Hold the engine lock (a front-end's whole request, a test-control call)."""
    with LOCK:
        yield


def catch_up_all() -> None:
    """Take every step the clock has made due, in every namespace."""
    with LOCK:
        for namespace in list(_namespaces):
            namespace.catch_up()
