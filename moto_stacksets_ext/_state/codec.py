"""How engine state is written to JSON and read back (the state file, ``/moto-api/stacksets/state``).

Every class a document names is named by an explicit **type tag** from ``TYPES`` (``"StackSet"``,
``"Operation"``, ``"RfsStackSetProperties"``...: the engine's ``ENGINE_TYPES``, then each registered cloud's
``Cloud.persisted_types``, so this module names no cloud), never by its module: moving or renaming a class keeps its
tag, so saved files keep loading. Version 1 files named classes ``module:qualname``; their class name is
read as the tag. Decoding checks every field against its declared type, so a document that decodes is
made of the engine's own types all the way down; anything else is ``StateFileError``.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Union

from .. import _clouds
from ..engine import model, stages
from ..engine.lifecycle import Mode, Pace, Progression
from ..engine.pagination import SequencedList

#: The engine's types a state document may name, by its tag. Tags are part of the file format: never change one.
ENGINE_TYPES: dict[str, type] = {
    "StackSet": model.StackSet,
    "StackInstance": model.StackInstance,
    "StackInstanceComprehensiveStatus": model.StackInstanceComprehensiveStatus,
    "Operation": model.Operation,
    "TargetResult": model.TargetResult,
    "ResourceDrift": model.ResourceDrift,
    "PropertyDifference": model.PropertyDifference,
    "DifferenceType": model.DifferenceType,
    "ImportedStack": model.ImportedStack,
    "AccountGateResult": model.AccountGateResult,
    "StatusDetails": model.StatusDetails,
    "Stages": stages.Stages,
    "RoleProvisioning": stages.RoleProvisioning,
    "StackInstancesDeployment": stages.StackInstancesDeployment,
    "RegionalStackInstancesDeployment": stages.RegionalStackInstancesDeployment,
    "RegionalStages": stages.RegionalStages,
    "RegionalStatusDetail": stages.RegionalStatusDetail,
    "RoleTarget": stages.RoleTarget,
    "StageStatus": model.StageStatus,
    "Preferences": model.Preferences,
    "DeploymentTargets": model.DeploymentTargets,
    "Parameter": model.Parameter,
    "Tag": model.Tag,
    "AutoDeployment": model.AutoDeployment,
    "ManagedExecution": model.ManagedExecution,
    "PermissionModel": model.PermissionModel,
    "StackSetStatus": model.StackSetStatus,
    "InstanceStatus": model.InstanceStatus,
    "DetailedStatus": model.DetailedStatus,
    "DriftStatus": model.DriftStatus,
    "OperationAction": model.OperationAction,
    "OperationStatus": model.OperationStatus,
    "RegionConcurrency": model.RegionConcurrency,
    "ConcurrencyMode": model.ConcurrencyMode,
    "AccountFilterType": model.AccountFilterType,
    "TargetStatus": model.TargetStatus,
    "GateStatus": model.GateStatus,
    "Pace": Pace,
    "Progression": Progression,
    "Mode": Mode,
}


class Types(Mapping[str, type]):
    """Every type a state document may name, by its tag: the engine's, then each registered cloud's own
    (``Cloud.persisted_types``: its stack sets' provider properties), read from the registry."""

    def _all(self) -> dict[str, type]:
        found = dict(ENGINE_TYPES)
        for cloud in _clouds.clouds():
            found.update(cloud.persisted_types)
        return found

    def __getitem__(self, tag: str) -> type:
        return self._all()[tag]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def tag(self, kind: type) -> str | None:
        return next((tag for tag, found in self._all().items() if found is kind), None)


TYPES = Types()
ENGINE_TAGS: dict[type, str] = {kind: tag for tag, kind in ENGINE_TYPES.items()}

#: Fields rebuilt on load rather than saved (indexes and run state of what is saved).
DERIVED: dict[type, set[str]] = {
    model.StackSet: {"instances", "operations_by_id", "in_flight", "last_drift_detection"},
    model.Operation: {"results_by_target", "execution"},
}


class StateFileError(Exception):
    """A state document that cannot be loaded (corrupt, foreign, or of another version)."""


# -- encoding ---------------------------------------------------------------------------------------------
def _tag(kind: type) -> str:
    found = ENGINE_TAGS.get(kind) or TYPES.tag(kind)
    if found is None:
        raise TypeError(
            f"{kind.__module__}.{kind.__qualname__} has no type tag: add it to state_codec.ENGINE_TYPES or its "
            "cloud's Cloud.persisted_types"
        )
    return found


def encode(value: Any) -> Any:
    """A JSON-ready form of engine state (dataclasses, enums, times, sequenced lists, tuple-keyed dicts)."""
    if isinstance(value, Enum):
        return {"$enum": _tag(type(value)), "value": value.value}
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
        skip = DERIVED.get(type(value), set())
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skip}
        return {"$type": _tag(type(value)), "fields": fields}
    raise TypeError(f"cannot save a {type(value).__name__}")


# -- decoding ---------------------------------------------------------------------------------------------
def _class(name: Any) -> type:
    if not isinstance(name, str):
        raise StateFileError(f"malformed type tag {name!r}")
    tag = name.partition(":")[2].rsplit(".", 1)[-1] if ":" in name else name  # version 1: module:qualname
    if ":" in name and not name.startswith("moto_stacksets_ext."):
        raise StateFileError(f"the file names {name}, which is not a moto-stacksets-ext type")
    found = ENGINE_TYPES.get(tag) or TYPES.get(tag)
    if found is None:
        raise StateFileError(f"the file names {name}, which is not a moto-stacksets-ext type this version has")
    return found


def decode(value: Any) -> Any:
    """Engine state from its JSON form (``StateFileError`` for anything the engine could not hold)."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        kind = _class(value["$enum"])
        if not issubclass(kind, Enum):
            raise StateFileError(f"{value['$enum']} is not an enum")
        return kind(value.get("value"))
    if "$time" in value:
        if not isinstance(value["$time"], str):
            raise StateFileError("a time must be an ISO 8601 string")
        return datetime.fromisoformat(value["$time"])
    if "$seq" in value:
        items: SequencedList[Any] = SequencedList()
        for item in _list(value["$seq"]):
            decoded = decode(item)
            if not isinstance(getattr(decoded, "seq", None), int):
                raise StateFileError("a sequenced list holds only items with a seq")
            items.append(decoded)
        return items
    if "$tuple" in value:
        return tuple(decode(item) for item in _list(value["$tuple"]))
    if "$dict" in value:
        pairs = [_list(pair) for pair in _list(value["$dict"])]
        if any(len(pair) != 2 for pair in pairs):
            raise StateFileError("a dict entry must be a [key, value] pair")
        return {decode(k): decode(v) for k, v in pairs}
    if "$type" in value:
        kind = _class(value["$type"])
        fields = value.get("fields")
        if not dataclasses.is_dataclass(kind) or not isinstance(fields, dict):
            raise StateFileError(f"{value['$type']} is not a state type with fields")
        decoded_fields = {name: decode(item) for name, item in fields.items()}
        _upgrade(kind, decoded_fields)
        hints = _hints(kind)
        for name, item in decoded_fields.items():
            if name in hints and not conforms(item, hints[name]):
                raise StateFileError(f"{value['$type']}.{name} cannot be {item!r}")
        made = kind(**decoded_fields)
        _rebuild(made)
        return made
    raise StateFileError("unexpected object in the state file")


def _upgrade(kind: type, fields: dict[str, Any]) -> None:
    """Read what earlier files of a readable version hold: an ``AccountGateResult`` status as its plain word
    (before ``GateStatus``)."""
    status = fields.get("status")
    if kind is model.AccountGateResult and isinstance(status, str) and not isinstance(status, model.GateStatus):
        try:
            fields["status"] = model.GateStatus(status)
        except ValueError as error:
            raise StateFileError(f"AccountGateResult.status cannot be {status!r}") from error


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise StateFileError(f"expected a list, not {type(value).__name__}")
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind, vars(sys.modules[kind.__module__]))


def conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the declared type ``hint`` (unknown typing constructs are accepted)."""
    if hint is Any or hint is object:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union or origin is types.UnionType:
        return any(conforms(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value) if args else True
    if origin is SequencedList:
        return isinstance(value, SequencedList) and (not args or all(conforms(item, args[0]) for item in value))
    if origin is dict:
        return isinstance(value, dict) and (
            not args or all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
        )
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(item, args[0]) for item in value)
        return not args or (len(args) == len(value) and all(map(conforms, value, args)))
    if origin is not None:
        return True
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def _rebuild(made: Any) -> None:
    if isinstance(made, model.Operation):
        made.results_by_target = {(r.account, r.region): r for r in made.results}
    elif isinstance(made, model.StackSet):
        made.instances = {i.key: i for i in made.instance_order}
        made.operations_by_id = {o.operation_id: o for o in made.operations}
        drifts = [o for o in made.operations if o.action is model.OperationAction.DETECT_DRIFT and o.status.ended]
        made.last_drift_detection = drifts[-1] if drifts else None
