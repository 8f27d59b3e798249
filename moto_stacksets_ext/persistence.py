"""Saving and loading the plugin's state (``moto-stacksets-server --state-file``).

What is saved: every cloud's stack sets with their instances, operations and results (running or queued
operations are first run to their end). What is not: moto's other state (Organizations, IAM...), Hook
registries and results, scripted outcomes, the clock. On load, AWS instances get their moto stacks
created again in their target accounts and regions (with new stack ids), so the stacks are there too.

The file is JSON with a header; a file that is not valid JSON, has another header or names classes from
outside this package is refused with ``StateFileError`` (the server then exits without touching it).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from . import namespaces
from .engine.model import Operation, OperationAction, StackSet
from .engine.pagination import SequencedList
from .engine.stacksets import StackSetNamespace

FORMAT = "moto-stacksets-ext/state"
VERSION = 1
PACKAGE = "moto_stacksets_ext."

#: Fields rebuilt on load rather than saved (indexes of what is saved).
_DERIVED = {
    StackSet: {"instances", "operations_by_id", "in_flight", "last_drift_detection"},
    Operation: {"results_by_target", "execution"},
}


class StateFileError(Exception):
    """A state file that cannot be loaded (corrupt, foreign, or of another version)."""


# -- encoding ---------------------------------------------------------------------------------------------
def _name(kind: type) -> str:
    return f"{kind.__module__}:{kind.__qualname__}"


def encode(value: Any) -> Any:
    """A JSON-ready form of engine state (dataclasses, enums, times, sequenced lists, tuple-keyed dicts)."""
    if isinstance(value, Enum):
        return {"$enum": _name(type(value)), "value": value.value}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return {"$time": value.isoformat()}
    if isinstance(value, SequencedList):
        return {"$seq": [encode(item) for item in value]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = _DERIVED.get(type(value), set())
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skip}
        return {"$type": _name(type(value)), "fields": fields}
    raise TypeError(f"cannot save a {type(value).__name__}")


def _class(name: Any) -> type:
    if not isinstance(name, str) or ":" not in name:
        raise StateFileError(f"malformed type name {name!r}")
    module_name, _, qualname = name.partition(":")
    if not (module_name + ".").startswith(PACKAGE):
        raise StateFileError(f"the file names {name}, which is not a moto-stacksets-ext type")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        raise StateFileError(f"the file names {name}, which this version does not have") from error
    if not isinstance(found, type):
        raise StateFileError(f"{name} is not a type")
    return found


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        kind = _class(value["$enum"])
        if not issubclass(kind, Enum):
            raise StateFileError(f"{value['$enum']} is not an enum")
        return kind(value["value"])
    if "$time" in value:
        return datetime.fromisoformat(value["$time"])
    if "$seq" in value:
        items: SequencedList[Any] = SequencedList()
        for item in value["$seq"]:
            items.append(decode(item))
        return items
    if "$tuple" in value:
        return tuple(decode(item) for item in value["$tuple"])
    if "$dict" in value:
        return {decode(k): decode(v) for k, v in value["$dict"]}
    if "$type" in value:
        kind = _class(value["$type"])
        if not dataclasses.is_dataclass(kind):
            raise StateFileError(f"{value['$type']} is not a state type")
        made = kind(**{name: decode(item) for name, item in value["fields"].items()})
        _rebuild(made)
        return made
    raise StateFileError("unexpected object in the state file")


def _rebuild(made: Any) -> None:
    if isinstance(made, Operation):
        made.results_by_target = {(r.account, r.region): r for r in made.results}
    elif isinstance(made, StackSet):
        made.instances = {i.key: i for i in made.instance_order}
        made.operations_by_id = {o.operation_id: o for o in made.operations}
        drifts = [o for o in made.operations if o.action is OperationAction.DETECT_DRIFT and o.status.ended]
        made.last_drift_detection = drifts[-1] if drifts else None


# -- the namespaces of every cloud ------------------------------------------------------------------------
def _aws_namespaces() -> list[StackSetNamespace]:
    from .cloudformation.models import stacksets_backends

    return [backend.namespace for _, regions in list(stacksets_backends.items()) for _, backend in regions.items()]


def _namespace_for(cloud: str, account: str, region: str) -> StackSetNamespace:
    factories: dict[str, Callable[[str, str], StackSetNamespace]] = {
        "aws": _aws_namespace,
        "huawei": _huawei_namespace,
        "alibaba": _alibaba_namespace,
    }
    if cloud not in factories:
        raise StateFileError(f"unknown cloud {cloud!r}")
    return factories[cloud](account, region)


def _aws_namespace(account: str, region: str) -> StackSetNamespace:
    from .cloudformation.models import stacksets_backends

    try:
        found: StackSetNamespace = stacksets_backends[account][region].namespace
    except KeyError as error:
        raise StateFileError(f"unknown AWS region {region!r}") from error
    return found


def _huawei_namespace(account: str, region: str) -> StackSetNamespace:
    from .huawei_rfs.naming import namespace_of

    return namespace_of(account, region)


def _alibaba_namespace(account: str, region: str) -> StackSetNamespace:
    from .alibaba_ros.context import namespace

    return namespace(account, region)


def every_namespace() -> list[StackSetNamespace]:
    return _aws_namespaces() + namespaces.all_namespaces("huawei") + namespaces.all_namespaces("alibaba")


# -- export / import --------------------------------------------------------------------------------------
def export_state() -> dict[str, Any]:
    """The state of every cloud, running operations first run to their end."""
    saved = []
    for namespace in every_namespace():
        stack_sets = namespace.all_stack_sets()
        if not stack_sets:
            continue
        namespace.settle()
        saved.append({"identity": list(namespace.identity), "stack_sets": [encode(s) for s in stack_sets]})
    return {"format": FORMAT, "version": VERSION, "namespaces": saved}


def parse_state(document: Any) -> list[tuple[tuple[str, str, str], list[StackSet]]]:
    """Decode a saved state without touching the plugin (StateFileError if it cannot be loaded)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"not a moto-stacksets-ext state file (no {FORMAT!r} header)")
    if document.get("version") != VERSION:
        raise StateFileError(f"state file version {document.get('version')!r}; this version reads {VERSION}")
    entries = document.get("namespaces")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise StateFileError("corrupt state file: namespaces must be a list of objects")
    parsed: list[tuple[tuple[str, str, str], list[StackSet]]] = []
    try:
        for entry in entries:
            identity, stack_sets_data = entry["identity"], entry["stack_sets"]
            if not isinstance(stack_sets_data, list) or not isinstance(identity, list):
                raise StateFileError("corrupt state file: identity and stack_sets must be lists")
            if not all(isinstance(part, str) for part in identity):
                raise StateFileError("corrupt state file: identity must be [cloud, account, region]")
            cloud, account, region = identity
            if cloud not in ("aws", "huawei", "alibaba"):
                raise StateFileError(f"unknown cloud {cloud!r}")
            stack_sets = [decode(s) for s in stack_sets_data]
            if not all(isinstance(s, StackSet) for s in stack_sets):
                raise StateFileError("a stack set entry is not a stack set")
            parsed.append(((cloud, account, region), stack_sets))
    except StateFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StateFileError(f"corrupt state file: {type(error).__name__}: {error}") from error
    return parsed


def import_state(document: Any) -> int:
    """Load a saved state into the (empty) plugin; returns the number of stack sets loaded.

    The whole document is decoded and checked first, so a document that cannot be loaded changes nothing.
    """
    return install_state(parse_state(document))


def install_state(parsed: list[tuple[tuple[str, str, str], list[StackSet]]]) -> int:
    """Put decoded stack sets (from :func:`parse_state`) into the (empty) plugin; the number installed."""
    targets = [(_namespace_for(*identity), stack_sets) for identity, stack_sets in parsed]
    count = 0
    for namespace, stack_sets in targets:
        namespace.restore(stack_sets)
        if namespace.identity[0] == "aws":
            from .cloudformation.stacks import restore_stacks

            restore_stacks(stack_sets)
        count += len(stack_sets)
    return count


def load_file(path: Path) -> int:
    """Load ``path`` (StateFileError if it is not a state file this version can read)."""
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise StateFileError(f"cannot read {path}: {error}") from error
    return import_state(document)


def save_file(path: Path) -> None:
    """Write the state to ``path`` atomically (a temporary file renamed over it)."""
    document = export_state()
    handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(document, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
