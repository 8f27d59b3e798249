"""The JSON of the test-control surface: how its objects cross the HTTP control API, written by the server
(``api``, the live view) and read back by its client (``remote``), with one encoder and one decoder per type.

Every type is written here once and read here once: scripted outcomes (and the drift of the resources they
name), the clock, progressions, settings, the record of calls, Hook outcomes and Hook results, Alibaba
resource directories and the engine's operations. A decoder refuses what its encoder never writes with a
one-line ``ValueError`` (``ControlArgumentError`` for an argument check), which the HTTP API answers as 400.

Two other JSON modules stay apart, as different concepts:

* ``_state.codec`` writes the engine's state (stack sets, operations...) as a versioned file format, every
  object tagged by its type; an operation crosses the control API in that encoding (``operation_json``), so
  this module hands it over rather than writing operations a second way;
* ``_jsonsafe`` turns bytes into JSON values at all, refusing hostile documents (too deep, not text): the
  layer below every decoder here (``loads``).

Hook outcomes and results are read and written here too; ``cloudformation.hooks.control`` makes them
(``hook_outcome``, ``record_hook_result``) from the arguments this module reads off a request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .. import _clouds
from .. import _jsonsafe as jsonsafe
from ..alibaba_ros.resource_directory import Folder, MemberAccount, ResourceDirectory
from ..cloudformation.hooks import control as hook_control
from ..cloudformation.hooks.model import Annotation, HookCategory, HookResult, HookStatus, TargetType
from ..engine.model import Operation, PropertyDifference
from ..engine.outcomes import DriftedResource, Outcome, OutcomeKind
from . import checks
from .calls import Call
from .checks import ControlArgumentError
from .openapi_schemas import MAX_ADVANCE_PER_CALL
from .suggest import did_you_mean


def loads(raw: bytes | str) -> Any:
    """A JSON document of the control API (``ValueError`` for one that is not JSON, or too deep)."""
    return jsonsafe.loads(raw)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a JSON object, not {value!r}")
    return value


def cloud_error(value: object) -> str:
    """The message refusing ``value`` as a cloud name."""
    names = sorted(_clouds.names())
    return f"cloud must be one of {names}, not {value!r}{did_you_mean(value, names)}"


# -- times ------------------------------------------------------------------------------------------------
def timestamp_json(moment: datetime | None) -> str | None:
    """A moment (a call's, a Hook result's, what the live view shows) as ISO 8601."""
    return None if moment is None else moment.isoformat()


def timestamp_from_json(text: Any) -> datetime:
    """A moment ``timestamp_json`` or ``clock_json`` wrote (``Z`` or an offset; none is UTC)."""
    if not isinstance(text, str):
        raise ValueError(f"a time must be an ISO 8601 string, not {text!r}")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def clock_json(now: datetime) -> dict[str, str]:
    """The engine clock, ``{"now": "2026-01-01T00:00:00.000Z"}`` (milliseconds, UTC)."""
    return {"now": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"}


def clock_from_json(value: Any) -> datetime:
    return timestamp_from_json(_object(value, "the clock")["now"])


@dataclass(frozen=True)
class ClockChange:
    """``POST /clock``: seconds to advance the clock by, and whether to freeze it (``None``: as it is)."""

    advance: float = 0
    freeze: bool | None = None


#: The most seconds one ``POST /clock`` may advance the clock by (as the OpenAPI document says).
MAX_ADVANCE = MAX_ADVANCE_PER_CALL


def clock_change_json(change: ClockChange) -> dict[str, Any]:
    found: dict[str, Any] = {"advance": change.advance}
    if change.freeze is not None:
        found["freeze"] = change.freeze
    return found


def clock_change_from_json(value: Mapping[str, Any]) -> ClockChange:
    advance = value.get("advance", 0)
    if not isinstance(advance, (int, float)) or isinstance(advance, bool) or not 0 <= advance <= MAX_ADVANCE:
        raise ValueError(f"advance must be a number of seconds from 0 to {MAX_ADVANCE}")
    freeze = value.get("freeze")
    if "freeze" in value and not isinstance(freeze, bool):
        raise ValueError("freeze must be true or false")
    return ClockChange(advance, freeze)


# -- progressions and settings ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressionChange:
    """``POST /progression``: the progression of one cloud's operations (``control.set_progression``)."""

    progression: str = "immediate"
    times: int = 1
    seconds: float = 1.0
    cloud: str = "aws"


def progression_json(change: ProgressionChange) -> dict[str, Any]:
    return {"progression": change.progression, "times": change.times, "seconds": change.seconds, "cloud": change.cloud}


def progression_from_json(value: Mapping[str, Any]) -> ProgressionChange:
    cloud = value.get("cloud", "aws")
    if not isinstance(cloud, str) or cloud not in _clouds.names():
        raise ValueError(cloud_error(cloud))
    times, seconds = value.get("times", 1), value.get("seconds", 1.0)
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        raise ValueError("times must be a positive integer")
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
        raise ValueError("seconds must be a positive number")
    return ProgressionChange(str(value.get("progression", "immediate")), times, float(seconds), cloud)


def settings_json(strict_roles: bool) -> dict[str, bool]:
    return {"strict_roles": strict_roles}


def settings_from_json(value: Mapping[str, Any]) -> bool | None:
    """The ``strict_roles`` switch a settings document sets (``None``: it sets none)."""
    if "strict_roles" not in value:
        return None
    if not isinstance(value["strict_roles"], bool):
        raise ValueError("strict_roles must be true or false")
    return value["strict_roles"]


# -- scripted outcomes ------------------------------------------------------------------------------------
#: The fields of ``POST /outcomes`` (besides ``kind``, ``times`` and ``resources``): strings or null.
OUTCOME_TEXT_FIELDS = ("account", "region", "cloud", "stack_set", "stack", "action", "reason")
#: The fields of ``POST /outcomes``.
OUTCOME_REQUEST_FIELDS = ("kind", "times", "resources", *OUTCOME_TEXT_FIELDS)

_RESOURCE_KEYS = ("status", "property_differences")
_DIFFERENCE_KEYS = ("property_path", "expected_value", "actual_value", "difference_type")


def resources_json(value: tuple[DriftedResource, ...] | None) -> dict[str, dict[str, Any]] | None:
    """A DRIFT outcome's resources: logical id → ``{"status", "property_differences"}`` (``None`` stays
    ``null``)."""
    if value is None:
        return None
    return {
        r.logical_resource_id: {
            "status": r.status.value,
            "property_differences": [
                {
                    "property_path": d.property_path,
                    "expected_value": d.expected_value,
                    "actual_value": d.actual_value,
                    "difference_type": str(d.difference_type),
                }
                for d in r.property_differences
            ],
        }
        for r in value
    }


def resources_from_json(call: str, value: Any) -> tuple[DriftedResource, ...] | None:
    """``resources`` as ``resources_json`` writes them (``status`` defaults to MODIFIED), checked as
    ``checks.resources`` checks the Python form (``ControlArgumentError`` naming ``call``)."""
    if value is None:
        return None
    argument = f"{call}: resources"
    if not isinstance(value, dict):
        raise ControlArgumentError(
            f"{argument} must be an object of logical resource id to {{status, property_differences}} (or null), "
            f"not {value!r}"
        )
    made: list[DriftedResource] = []
    for logical_id, entry in value.items():
        fields = _fields(argument, entry, _RESOURCE_KEYS)
        differences = fields.get("property_differences", [])
        if not isinstance(differences, list):
            raise ControlArgumentError(f"{argument}: property_differences must be a list, not {differences!r}")
        made.append(
            DriftedResource(
                logical_id,
                fields.get("status", "MODIFIED"),
                tuple(PropertyDifference(**_fields(argument, d, _DIFFERENCE_KEYS, required=True)) for d in differences),
            )
        )
    return checks.resources(call, made)


def _fields(argument: str, value: Any, keys: tuple[str, ...], *, required: bool = False) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - set(keys) or (required and set(keys) - set(value)):
        demand = "exactly" if required else "only"
        raise ControlArgumentError(
            f"{argument}: expected an object with {demand} the fields {list(keys)}, not {value!r}"
        )
    return value


def outcome_request_json(outcome: Outcome) -> dict[str, Any]:
    """What ``POST /outcomes`` takes to add ``outcome`` (the server gives it its id)."""
    return {
        "kind": outcome.kind.value,
        **{name: getattr(outcome, name) for name in OUTCOME_TEXT_FIELDS},
        "times": outcome.times,
        "resources": resources_json(outcome.resources),
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """A scripted outcome as the control API shows it: its request's fields, its id and its uses so far."""
    return {"outcome_id": outcome.outcome_id, **outcome_request_json(outcome), "consumed": outcome.consumed}


def outcome_from_json(value: Mapping[str, Any], call: str = "POST /outcomes") -> Outcome:
    """An outcome ``outcome_json`` or ``outcome_request_json`` wrote (``kind`` defaults to FAIL; without
    ``outcome_id`` it is a new one)."""
    try:
        kind = OutcomeKind(value.get("kind", "FAIL"))
    except ValueError as error:
        raise ValueError(f"kind must be one of {', '.join(k.value for k in OutcomeKind)}") from error
    for name in OUTCOME_TEXT_FIELDS:
        if value.get(name) is not None and not isinstance(value[name], str):
            raise ValueError(f"{name} must be a string")
    times = value.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise ValueError("times must be a positive integer (or null for a persistent outcome)")
    if value.get("cloud") is not None and value["cloud"] not in _clouds.names():
        raise ValueError(cloud_error(value["cloud"]))
    consumed = value.get("consumed", 0)
    if not isinstance(consumed, int) or isinstance(consumed, bool) or consumed < 0:
        raise ValueError("consumed must be a count of uses")
    identity: dict[str, str] = {}
    if value.get("outcome_id") is not None:
        identity["outcome_id"] = str(value["outcome_id"])
    return Outcome(
        kind,
        value.get("reason"),
        value.get("cloud"),
        value.get("account"),
        value.get("region"),
        value.get("stack_set"),
        value.get("action"),
        times,
        consumed,
        resources=resources_from_json(call, value.get("resources")),
        stack=value.get("stack"),
        **identity,
    )


# -- the record of calls ----------------------------------------------------------------------------------
def call_json(call: Call) -> dict[str, Any]:
    """One recorded call (``parameters`` as JSON can hold them: other values as their text)."""
    return {
        "cloud": call.cloud,
        "action": call.action,
        "account": call.account,
        "region": call.region,
        "parameters": json.loads(json.dumps(dict(call.parameters), default=str)),
        "status": call.status,
        "error_code": call.error_code,
        "ok": call.ok,
        "at": timestamp_json(call.at),
    }


def call_from_json(value: Mapping[str, Any]) -> Call:
    """A ``Call`` from its JSON form (``call_json``); ``ValueError`` for anything else."""
    texts = {name: value.get(name) for name in ("cloud", "action", "account", "region", "error_code", "at")}
    for name, text in texts.items():
        if text is not None and not isinstance(text, str):
            raise ValueError(f"a call's {name} must be a string")
    status, parameters = value.get("status"), value.get("parameters")
    if not isinstance(status, int) or isinstance(status, bool) or not isinstance(parameters, dict):
        raise ValueError("a call needs an integer status and an object of parameters")
    if not texts["cloud"] or not texts["action"] or not texts["at"]:
        raise ValueError("a call needs a cloud, an action and a time")
    return Call(
        cloud=str(texts["cloud"]),
        action=str(texts["action"]),
        account=texts["account"],
        region=texts["region"],
        parameters=parameters,
        status=status,
        error_code=texts["error_code"],
        at=datetime.fromisoformat(str(texts["at"])),
    )


# -- Hooks ------------------------------------------------------------------------------------------------
#: What ``POST /hook-outcomes`` takes (``annotations`` besides): ``control.hooks.hook_outcome``'s arguments.
HOOK_OUTCOME_REQUEST_FIELDS = (
    "type_name", "status", "reason", "target_type", "target_name", "account", "region", "times",
)  # fmt: skip
#: What ``POST /hook-results`` takes (``annotations`` besides): ``record_hook_result``'s arguments.
HOOK_RESULT_REQUEST_FIELDS = (
    "type_name", "target_type", "target_id", "status", "reason", "failure_mode", "resource_type", "resource_id",
    "action", "hook_execution_target", "original_type_name", "type_version_id", "type_configuration_version_id",
    "hook_category", "account", "region",
)  # fmt: skip


def annotation_json(value: Annotation) -> dict[str, Any]:
    """One annotation under AWS's member names (members without a value left out)."""
    return {
        aws: getattr(value, name)
        for aws, name in hook_control.ANNOTATION_KEYS.items()
        if getattr(value, name) is not None
    }


def annotations_json(values: Sequence[Annotation | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Annotations (objects or dicts with AWS's or snake_case keys) under AWS's member names."""
    return [annotation_json(hook_control.annotation(v)) for v in values]


def annotations_from_json(values: Any) -> list[Annotation]:
    return [hook_control.annotation(_object(v, "an annotation")) for v in values or ()]


def _hook_request(body: Any, allowed: Sequence[str]) -> dict[str, Any]:
    """The keyword arguments a Hook request body gives (``None`` members left out): strings only, except
    ``times``, and ``annotations`` a list of objects."""
    found = _object(body, "the request body")
    unknown = set(found) - {*allowed, "annotations"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name in allowed:
        if name != "times" and found.get(name) is not None and not isinstance(found[name], str):
            raise ValueError(f"{name} must be a string")
    annotations = found.get("annotations")
    annotations = [] if annotations is None else annotations
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise ValueError("annotations must be a list of objects")
    return {k: v for k, v in found.items() if v is not None}


def hook_outcome_request_from_json(body: Any) -> dict[str, Any]:
    """``control.hooks.hook_outcome``'s keyword arguments from a ``POST /hook-outcomes`` body."""
    return _hook_request(body, HOOK_OUTCOME_REQUEST_FIELDS)


def hook_result_request_from_json(body: Any) -> dict[str, Any]:
    """``record_hook_result``'s keyword arguments from a ``POST /hook-results`` body."""
    values = _hook_request(body, HOOK_RESULT_REQUEST_FIELDS)
    for required in ("type_name", "target_type", "target_id"):
        if required not in values:
            raise ValueError(f"{required} is required")
    return values


def hook_outcome_json(outcome: hook_control.HookOutcome) -> dict[str, Any]:
    """A scripted Hook outcome, as ``GET /hook-outcomes`` and the live view show it."""
    return {
        "outcome_id": outcome.outcome_id,
        "type_name": outcome.type_name,
        "status": outcome.status.value,
        "reason": outcome.reason,
        "annotations": [annotation_json(a) for a in outcome.annotations],
        "target_type": outcome.target_type.value if outcome.target_type is not None else None,
        "target_name": outcome.target_name,
        "account": outcome.account,
        "region": outcome.region,
        "times": outcome.times,
        "consumed": outcome.consumed,
    }


def hook_outcome_from_json(value: Any) -> hook_control.HookOutcome:
    """A Hook outcome ``hook_outcome_json`` wrote."""
    found = _object(value, "a Hook outcome")
    target_type = found.get("target_type")
    return hook_control.HookOutcome(
        status=HookStatus(found["status"]),
        reason=found.get("reason"),
        annotations=annotations_from_json(found.get("annotations")),
        type_name=found.get("type_name"),
        target_type=TargetType(target_type) if target_type is not None else None,
        target_name=found.get("target_name"),
        account=found.get("account"),
        region=found.get("region"),
        times=found.get("times"),
        consumed=int(found.get("consumed", 0)),
        outcome_id=str(found["outcome_id"]),
    )


def hook_result_json(result: HookResult) -> dict[str, Any]:
    """A Hook result under AWS's member names (GetHookResult, ListHookResults) where AWS has one; ``Sequence``
    is the order results were recorded in."""
    return {
        "HookResultId": result.hook_result_id,
        "TypeName": result.type_name,
        "TypeArn": result.type_arn,
        "Status": result.status.value,
        "TargetType": result.target_type.value,
        "TargetId": result.target_id,
        "TypeVersionId": result.type_version_id,
        "TypeConfigurationVersionId": result.type_configuration_version_id,
        "OriginalTypeName": result.original_type_name,
        "FailureMode": result.failure_mode,
        "HookStatusReason": result.hook_status_reason,
        "InvokedAt": result.invoked_at.isoformat(),
        "HookExecutionTarget": result.hook_execution_target,
        "HookCategory": result.hook_category.value,
        "ResourceType": result.resource_type,
        "ResourceId": result.resource_id,
        "Action": result.action,
        "Annotations": [annotation_json(a) for a in result.annotations],
        "InvocationPoint": result.invocation_point,
        "Sequence": result.seq,
    }


def hook_result_from_json(value: Any) -> HookResult:
    """A Hook result ``hook_result_json`` wrote (AWS's member names, and ``Sequence``)."""
    found = _object(value, "a Hook result")
    return HookResult(
        seq=int(found["Sequence"]),
        hook_result_id=str(found["HookResultId"]),
        type_name=str(found["TypeName"]),
        type_arn=str(found["TypeArn"]),
        type_version_id=str(found["TypeVersionId"]),
        type_configuration_version_id=found.get("TypeConfigurationVersionId"),
        original_type_name=found.get("OriginalTypeName"),
        failure_mode=str(found["FailureMode"]),
        status=HookStatus(found["Status"]),
        hook_status_reason=str(found["HookStatusReason"]),
        invoked_at=timestamp_from_json(found["InvokedAt"]),
        target_type=TargetType(found["TargetType"]),
        target_id=str(found["TargetId"]),
        hook_execution_target=found.get("HookExecutionTarget"),
        hook_category=HookCategory(found.get("HookCategory") or "CUSTOM"),
        resource_type=found.get("ResourceType"),
        resource_id=found.get("ResourceId"),
        action=found.get("Action"),
        annotations=annotations_from_json(found.get("Annotations")),
        invocation_point=str(found.get("InvocationPoint", "PRE_PROVISION")),
    )


# -- an Alibaba resource directory ------------------------------------------------------------------------
def folder_json(folder: Folder) -> dict[str, Any]:
    return {"folder_id": folder.folder_id, "name": folder.name, "parent_folder_id": folder.parent_folder_id}


def member_json(member: MemberAccount) -> dict[str, Any]:
    return {"account_id": member.account_id, "folder_id": member.folder_id, "display_name": member.display_name}


def directory_json(directory: ResourceDirectory) -> dict[str, Any]:
    return {
        "management_account": directory.management_account,
        "root_folder_id": directory.root_folder_id,
        "service_access_enabled": directory.service_access_enabled,
        "folders": [folder_json(f) for f in directory.folders.values()],
        "accounts": [member_json(a) for a in directory.accounts.values()],
    }


def directory_from_json(value: Any) -> ResourceDirectory:
    """A resource directory ``directory_json`` wrote (its fields; no store holds it)."""
    found = _object(value, "a resource directory")
    folders = [_object(f, "a folder") for f in found.get("folders", [])]
    accounts = [_object(a, "an account") for a in found.get("accounts", [])]
    return ResourceDirectory(
        str(found["management_account"]),
        str(found["root_folder_id"]),
        folders={
            str(f["folder_id"]): Folder(str(f["folder_id"]), str(f["name"]), f.get("parent_folder_id")) for f in folders
        },
        accounts={
            str(a["account_id"]): MemberAccount(str(a["account_id"]), str(a["folder_id"]), str(a["display_name"]))
            for a in accounts
        },
        service_access_enabled=bool(found.get("service_access_enabled")),
    )


# -- the engine's operations ------------------------------------------------------------------------------
def operation_json(operation: Operation) -> Any:
    """An operation as the engine holds it, in the state file's encoding (``_state.codec``)."""
    from .._state.codec import encode

    return encode(operation)


def operation_from_json(value: Any) -> Operation:
    from .._state.codec import decode

    operation = decode(value)
    if not isinstance(operation, Operation):
        raise ValueError("not an operation")
    return operation
