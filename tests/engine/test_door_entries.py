"""Every public method of the engine's namespace, and of the Hook type registry, enters through the door
(``door.entry``: the engine lock, then the clock's due steps), so no caller has to remember to catch up."""

from __future__ import annotations

import inspect
import threading

import pytest

from moto_stacksets_ext.cloudformation.hooks.registry import TypeRegistry
from moto_stacksets_ext.engine import door
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

_ENTER = door.entry(lambda self: None).__code__  # the code every door entry runs


def _public_methods(cls: type) -> list[str]:
    return [
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name != "catch_up"  # catching up is what the door does
    ]


@pytest.mark.parametrize("cls", [StackSetNamespace, TypeRegistry], ids=lambda cls: cls.__name__)
def test_every_public_method_is_a_door_entry(cls: type) -> None:
    methods = _public_methods(cls)
    assert len(methods) > 10  # the walk sees the methods
    outside = [name for name in methods if getattr(cls, name).__code__ is not _ENTER]
    assert outside == [], f"{cls.__name__} methods outside the door: {outside}"


def _lock_held_here() -> bool:
    """Whether the engine lock is held (by this thread: another one cannot take it)."""
    free: list[bool] = []

    def probe() -> None:
        taken = door.LOCK.acquire(blocking=False)
        if taken:
            door.LOCK.release()
        free.append(taken)

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return not free[0]


def test_the_hook_registry_catches_up_through_the_door() -> None:
    registry = TypeRegistry("111111111111", "us-east-1")
    caught_up: list[bool] = []
    registry.catch_up = lambda: caught_up.append(_lock_held_here())  # type: ignore[method-assign]
    assert list(registry.types()) == []
    assert caught_up == [True]  # before reading, with the engine lock held
    assert not _lock_held_here()
