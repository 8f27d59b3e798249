"""Every public method of the engine's namespace, and of the Hook type registry, enters through the door
(``door.entry``: the engine lock, then the clock's due steps), so no caller has to remember to catch up; the
namespace's parts (store, reads, admission, automatic deployments) are reachable only through it."""

from __future__ import annotations

import ast
import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from moto.moto_api import state_manager

import moto_stacksets_ext
from moto_stacksets_ext.cloudformation.hooks import packages, registrations
from moto_stacksets_ext.cloudformation.hooks.registrations import Registration
from moto_stacksets_ext.cloudformation.hooks.registry import TypeRegistry
from moto_stacksets_ext.engine import door
from moto_stacksets_ext.engine.admission import Admission
from moto_stacksets_ext.engine.automatic import AutomaticDeployments
from moto_stacksets_ext.engine.execution import Executor
from moto_stacksets_ext.engine.reads import Reads
from moto_stacksets_ext.engine.scheduler import Scheduler
from moto_stacksets_ext.engine.stacksets import StackSetNamespace
from moto_stacksets_ext.engine.store import StackSetStore

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


#: The namespace's parts: the engine's own, behind the namespace's door.
PARTS = {
    "store": StackSetStore,
    "reads": Reads,
    "admission": Admission,
    "automatic": AutomaticDeployments,
    "scheduler": Scheduler,
}
PACKAGE = Path(moto_stacksets_ext.__file__).parent


def _engine_modules_imported(path: Path) -> set[str]:
    """The ``engine`` modules a file imports, by their last name (``engine.store`` -> ``store``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == "engine" or module.endswith(".engine"):
                found.update(alias.name for alias in node.names)
            elif module.startswith("engine.") or ".engine." in module:
                found.add(module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.rsplit(".", 1)[1] for alias in node.names if ".engine." in alias.name)
    return found


def test_no_module_outside_the_engine_imports_the_namespace_parts() -> None:
    outside = [path for path in PACKAGE.rglob("*.py") if "engine" not in path.relative_to(PACKAGE).parts]
    assert len(outside) > 50  # the walk sees the package
    reaching = {
        str(path.relative_to(PACKAGE)): sorted(_engine_modules_imported(path) & set(PARTS))
        for path in outside
        if _engine_modules_imported(path) & set(PARTS)
    }
    assert reaching == {}


def test_the_check_sees_an_import_of_a_part(tmp_path: Path) -> None:
    module = tmp_path / "front_end.py"
    module.write_text("from ..engine.store import StackSetStore\nfrom ..engine import reads, clock\n", encoding="utf-8")
    assert _engine_modules_imported(module) & set(PARTS) == {"store", "reads"}


def test_the_namespace_exposes_no_part(ns: StackSetNamespace) -> None:
    parts = (*PARTS.values(), Executor)
    public = {name: value for name, value in vars(ns).items() if not name.startswith("_")}
    assert public == {"identity": ns.identity}
    held = [type(value) for value in vars(ns).values() if isinstance(value, parts)]
    assert set(held) >= set(PARTS.values())  # it holds every part, privately


def _finish(registration: Registration) -> None:
    registration.finish()  # a caller that waits for it (``cfn submit``, a HookVersion in a template)


def _two_manual_steps(registration: Registration) -> None:
    registration.advance()  # AWS's recorded sequence (manual, times 2): the state manager's clock moves
    registration.advance()


@pytest.fixture
def recorded_sequence() -> Iterator[None]:
    """Registrations follow AWS's recorded sequence, whatever an earlier test set."""
    state_manager.set_transition(registrations.MODEL_NAME, registrations.DEFAULT_TRANSITION)
    yield
    state_manager.unset_transition(registrations.MODEL_NAME)


@pytest.mark.usefixtures("recorded_sequence")
@pytest.mark.parametrize("complete", [_finish, _two_manual_steps], ids=["finished", "progressed"])
def test_a_registry_read_after_a_registration_completed_sees_its_version(
    complete: Callable[[Registration], None],
) -> None:
    """A registration completing outside the registry is installed by the registry's next call, through its
    door: no caller catches the registry up."""
    registry = TypeRegistry("111111111111", "us-east-1")
    name = "Acme::Checks::Hook"
    registration = registry.register(
        kind="HOOK",
        type_name=name,
        schema_handler_package="s3://acme/hook.zip",
        execution_role_arn=None,
        logging_config=None,
        document=packages.document("HOOK", name, packages.init_schema("HOOK", name)),
    )
    assert list(registry.types()) == []  # IN_PROGRESS: no version yet
    complete(registration)
    assert [(found.type_name, list(found.versions)) for found in registry.types()] == [(name, ["00000001"])]
