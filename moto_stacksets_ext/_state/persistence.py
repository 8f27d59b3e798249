"""Saving and loading the plugin's state (``moto-stacksets-server --state-file``, ``/moto-api/stacksets/state``).

What is saved: every cloud's stack sets with their instances, operations and results (running or queued
operations are first run to their end). What is not: moto's other state (Organizations, IAM...), Hook
registries and results, scripted outcomes, the clock, RFS and ROS stacks made through their stack APIs, RFS
private hooks. On load, each cloud's ``restored`` makes the stacks behind the loaded instances again in their
target accounts and regions: AWS's moto stacks (with new stack ids), ROS and RFS stacks (under their ids).

The file is JSON with a header and a format version; classes are named by explicit type tags
(``state_codec``). A document is decoded and checked whole before anything is replaced: one that is not
valid JSON, has another header or version, names unknown types, holds a value of the wrong type, lists a
namespace or a stack set twice, holds operations that have not ended, or names a region its cloud cannot
load is refused with ``StateFileError`` and changes nothing (the server then exits without touching it).

Saving writes a temporary file next to the state file (``.<name>.tmp-*``) and renames it over the state
file; temporary files a killed server left behind are removed when the next one starts (``clean_temporary``).
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .. import _clouds
from .. import _jsonsafe as jsonsafe
from .._clouds import Cloud
from ..engine.errors import UnknownRegion
from ..engine.model import StackSet
from ..engine.regions import check_targets
from ..engine.stacksets import StackSetNamespace
from .codec import StateFileError, decode, encode

FORMAT = "moto-stacksets-ext/state"
#: 2: explicit type tags (1 named classes module:qualname; still read).
VERSION = 2
READABLE_VERSIONS = (1, 2)

__all__ = ["FORMAT", "VERSION", "StateFileError", "decode", "encode", "export_state", "import_state"]


# -- the namespaces of every cloud ------------------------------------------------------------------------
def _cloud(name: str) -> Cloud:
    try:
        return _clouds.get(name)
    except KeyError:
        raise StateFileError(f"unknown cloud {name!r}") from None


def _namespace_for(cloud: str, account: str, region: str) -> StackSetNamespace:
    found = _cloud(cloud)
    try:
        return found.namespace(account, region)
    except KeyError as error:
        raise StateFileError(f"unknown {found.shown_as} region {region!r}") from error


def every_namespace() -> list[StackSetNamespace]:
    return _clouds.every_namespace()


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


Parsed = list[tuple[tuple[str, str, str], list[StackSet]]]


def parse_state(document: Any) -> Parsed:
    """Decode and check a saved state without touching the plugin (StateFileError if it cannot be loaded)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"not a moto-stacksets-ext state file (no {FORMAT!r} header)")
    if document.get("version") not in READABLE_VERSIONS:
        raise StateFileError(f"state file version {document.get('version')!r}; this version reads {VERSION}")
    entries = document.get("namespaces")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise StateFileError("corrupt state file: namespaces must be a list of objects")
    parsed: Parsed = []
    try:
        for entry in entries:
            identity, stack_sets_data = entry.get("identity"), entry.get("stack_sets")
            if not isinstance(stack_sets_data, list) or not isinstance(identity, list):
                raise StateFileError("corrupt state file: identity and stack_sets must be lists")
            if len(identity) != 3 or not all(isinstance(part, str) and part for part in identity):
                raise StateFileError("corrupt state file: identity must be [cloud, account, region]")
            cloud, account, region = identity
            _cloud(cloud)
            stack_sets = [decode(s) for s in stack_sets_data]
            if not all(isinstance(s, StackSet) for s in stack_sets):
                raise StateFileError("a stack set entry is not a stack set")
            parsed.append(((cloud, account, region), stack_sets))
    except StateFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
        raise StateFileError(f"corrupt state file: {type(error).__name__}: {error}") from error
    check_state(parsed)
    return parsed


def check_state(parsed: Parsed) -> None:
    """What the engine needs of loaded stack sets, checked before anything is replaced."""
    seen: set[tuple[str, str, str]] = set()
    for identity, stack_sets in parsed:
        if identity in seen:
            raise StateFileError(f"the namespace {list(identity)} is listed twice")
        seen.add(identity)
        _check_home(identity)
        _increasing("stack sets", [s.seq for s in stack_sets], identity)
        ids = [s.stack_set_id for s in stack_sets]
        if len(set(ids)) != len(ids):
            raise StateFileError(f"a stack set is listed twice in {list(identity)}")
        live = [s.stack_set_name for s in stack_sets if s.status.value == "ACTIVE"]
        if len(set(live)) != len(live):
            raise StateFileError(f"two active stack sets share a name in {list(identity)}")
        for stack_set in stack_sets:
            where = f"stack set {stack_set.stack_set_id}"
            keys = [i.key for i in stack_set.instance_order]
            if len(set(keys)) != len(keys):
                raise StateFileError(f"{where} lists a stack instance twice")
            operation_ids = [o.operation_id for o in stack_set.operations]
            if len(set(operation_ids)) != len(operation_ids):
                raise StateFileError(f"{where} lists an operation twice")
            if any(not o.status.ended for o in stack_set.operations):
                raise StateFileError(f"{where} has an operation that has not ended (saved states hold ended ones)")
            try:
                check_targets(identity, [i.region for i in stack_set.instance_order])
            except UnknownRegion as error:
                raise StateFileError(f"{where}: {error.message}") from None


def _increasing(what: str, seqs: list[int], identity: tuple[str, str, str]) -> None:
    if any(later <= earlier for earlier, later in itertools.pairwise(seqs)):
        raise StateFileError(f"the {what} of {list(identity)} are not in creation order (or listed twice)")


def _check_home(identity: tuple[str, str, str]) -> None:
    """The namespace's own region must be one its cloud can load (AWS: a region moto has)."""
    cloud, account, region = identity
    found = _cloud(cloud)
    if not found.is_home(account, region):
        raise StateFileError(f"unknown {found.shown_as} region {region!r}")


def import_state(document: Any) -> int:
    """Load a saved state into the (empty) plugin; returns the number of stack sets loaded.

    The whole document is decoded and checked first, so a document that cannot be loaded changes nothing.
    """
    return install_state(parse_state(document))


def install_state(parsed: Parsed) -> int:
    """Put checked stack sets (from ``parse_state``) into the (empty) plugin; the number installed."""
    targets = [(_namespace_for(*identity), stack_sets) for identity, stack_sets in parsed]
    count = 0
    for namespace, stack_sets in targets:
        namespace.restore(stack_sets)
        restored = _cloud(namespace.identity[0]).restored
        if restored is not None:
            restored(stack_sets)
        count += len(stack_sets)
    return count


def read_file(path: Path) -> Parsed:
    """Read and check ``path`` without loading it (StateFileError if this version cannot load it)."""
    try:
        document = jsonsafe.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise StateFileError(f"cannot read {path}: {error}") from error
    return parse_state(document)


def load_file(path: Path) -> int:
    """Load ``path`` (StateFileError if it is not a state file this version can read)."""
    return install_state(read_file(path))


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def clean_temporary(path: Path) -> list[Path]:
    """Remove the temporary files an interrupted save of ``path`` left behind; the ones removed."""
    folder = path.parent if str(path.parent) else Path(".")
    removed = []
    for stale in folder.glob(_temporary_prefix(path) + "*"):
        try:
            stale.unlink()
        except OSError:
            continue
        removed.append(stale)
    return removed


def save_file(path: Path) -> None:
    """Write the state to ``path`` atomically (a temporary file renamed over it)."""
    document = export_state()
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(document, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
