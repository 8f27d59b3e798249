"""The component schemas of the HTTP control API's OpenAPI document (``control_openapi`` adds the paths)."""

from __future__ import annotations

from typing import Any

from .cloudformation.hooks.model import HookStatus, TargetType
from .control_checks import ACTIONS, CLOUDS, DIFFERENCE_TYPES, RESOURCE_DRIFT_STATUSES
from .control_checks import regions as known_regions
from .engine.outcomes import OutcomeKind

#: Seconds one ``POST /clock`` may advance (about three years; the clock stops at year 9999).
MAX_ADVANCE_PER_CALL = 100_000_000

_NULLABLE_STRING: dict[str, Any] = {"type": "string", "nullable": True}


def ref(name: str) -> dict[str, str]:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def _annotation() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "AnnotationName": _NULLABLE_STRING,
            "Status": {"type": "string", "nullable": True, "enum": ["PASSED", "FAILED", "SKIPPED", None]},
            "StatusMessage": _NULLABLE_STRING,
            "RemediationMessage": _NULLABLE_STRING,
            "RemediationLink": _NULLABLE_STRING,
            "SeverityLevel": {
                "type": "string",
                "nullable": True,
                "enum": ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL", None],
            },
        },
    }


def _regions() -> list[str]:
    """The regions moto's CloudFormation backends exist in (where Hook results can be recorded)."""
    from boto3.session import Session

    session = Session()
    found = {r for p in ("aws", "aws-cn", "aws-us-gov") for r in session.get_available_regions("cloudformation", p)}
    return sorted(found)


def components(clouds: list[str]) -> dict[str, Any]:
    """Every component schema, by name (``clouds``: the clouds the control API serves)."""
    outcome_fields = {
        "account": _NULLABLE_STRING,
        "region": _NULLABLE_STRING,
        "cloud": {"type": "string", "nullable": True, "enum": [*clouds, None]},
        "stack_set": _NULLABLE_STRING,
        "action": _NULLABLE_STRING,
        "reason": _NULLABLE_STRING,
        "times": {"type": "integer", "minimum": 1, "nullable": True},
    }
    # What POST /outcomes accepts: an account id and a region of some cloud, an action of the engine's.
    new_outcome_fields = {
        **outcome_fields,
        "resources": {"type": "object", "nullable": True, "additionalProperties": ref("DriftedResource")},
        "account": {"type": "string", "nullable": True, "pattern": "^([0-9]{12}|[0-9]{16}|[0-9a-f]{32})$"},
        "region": {
            "type": "string",
            "nullable": True,
            "enum": [*sorted({r for cloud in CLOUDS for r in known_regions(cloud)}), None],
        },
        "action": {"type": "string", "nullable": True, "enum": [*ACTIONS, None]},
    }
    hook_statuses = [s.value for s in HookStatus]
    target_types = [t.value for t in TargetType]
    region = {"type": "string", "nullable": True, "enum": [*_regions(), None]}
    account = {"type": "string", "nullable": True, "pattern": "^[0-9]{12}$"}
    optional_string = _NULLABLE_STRING
    schemas: dict[str, Any] = {
        "Outcome": {
            "type": "object",
            "properties": {
                "outcome_id": {"type": "string"},
                "kind": {"type": "string", "enum": [k.value for k in OutcomeKind]},
                "consumed": {"type": "integer"},
                **outcome_fields,
                "resources": {"type": "object", "nullable": True, "additionalProperties": ref("DriftedResource")},
            },
            "required": ["outcome_id", "kind", "consumed"],
        },
        "DriftedResource": {
            "type": "object",
            "description": "How a resource a DRIFT outcome names drifted (property differences: MODIFIED only)",
            "additionalProperties": False,
            "properties": {
                "status": {"type": "string", "enum": list(RESOURCE_DRIFT_STATUSES)},
                "property_differences": {"type": "array", "items": ref("PropertyDifference")},
            },
            "anyOf": [
                {"properties": {"status": {"enum": ["MODIFIED"]}}},
                {"properties": {"property_differences": {"maxItems": 0}}},
            ],
        },
        "PropertyDifference": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "property_path": {"type": "string"},
                "expected_value": {"type": "string"},
                "actual_value": {"type": "string"},
                "difference_type": {"type": "string", "enum": list(DIFFERENCE_TYPES)},
            },
            "required": ["property_path", "expected_value", "actual_value", "difference_type"],
        },
        "NewOutcome": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "kind": {"type": "string", "enum": [k.value for k in OutcomeKind]},
                **new_outcome_fields,
            },
            # resources are for DRIFT outcomes only
            "anyOf": [
                {"properties": {"resources": {"enum": [None]}}},
                {"properties": {"kind": {"enum": ["DRIFT"]}}, "required": ["kind"]},
            ],
        },
        "Clock": {"type": "object", "properties": {"now": {"type": "string"}}, "required": ["now"]},
        "ClockChange": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "advance": {"type": "number", "minimum": 0, "maximum": MAX_ADVANCE_PER_CALL},
                "freeze": {"type": "boolean", "description": "true stops the clock; false follows the wall clock"},
            },
        },
        "Progression": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "progression": {"type": "string", "enum": ["immediate", "manual", "time"]},
                "times": {"type": "integer", "minimum": 1},
                "seconds": {"type": "number", "exclusiveMinimum": True, "minimum": 0},
                "cloud": {"type": "string", "enum": clouds},
            },
        },
        "Settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"strict_roles": {"type": "boolean"}},
        },
        "Annotation": _annotation(),
        "HookOutcome": {
            "type": "object",
            "properties": {
                "outcome_id": {"type": "string"},
                "type_name": _NULLABLE_STRING,
                "status": {"type": "string", "enum": hook_statuses},
                "reason": _NULLABLE_STRING,
                "annotations": {"type": "array", "items": ref("Annotation")},
                "target_type": {"type": "string", "nullable": True},
                "target_name": _NULLABLE_STRING,
                "account": _NULLABLE_STRING,
                "region": _NULLABLE_STRING,
                "times": {"type": "integer", "nullable": True},
                "consumed": {"type": "integer"},
            },
            "required": ["outcome_id", "status", "consumed"],
        },
        "NewHookOutcome": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "type_name": optional_string,
                "status": {"type": "string", "nullable": True, "enum": [*hook_statuses, None]},
                "reason": optional_string,
                "annotations": {"type": "array", "nullable": True, "items": ref("Annotation")},
                "target_type": {"type": "string", "nullable": True, "enum": [*target_types, None]},
                "target_name": optional_string,
                "account": optional_string,
                "region": optional_string,
                "times": {"type": "integer", "minimum": 1, "nullable": True},
            },
        },
        "NewHookResult": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type_name", "target_type", "target_id"],
            "properties": {
                "type_name": {"type": "string", "minLength": 10, "maxLength": 196},
                "target_type": {"type": "string", "enum": target_types},
                "target_id": {"type": "string", "minLength": 1},
                "status": {"type": "string", "nullable": True, "enum": [*hook_statuses, None]},
                "reason": optional_string,
                "failure_mode": {"type": "string", "nullable": True, "enum": ["FAIL", "WARN", None]},
                "annotations": {"type": "array", "nullable": True, "items": ref("Annotation")},
                "resource_type": optional_string,
                "resource_id": optional_string,
                "action": {"type": "string", "nullable": True, "enum": ["CREATE", "UPDATE", "DELETE", "IMPORT", None]},
                "hook_execution_target": optional_string,
                "original_type_name": optional_string,
                "type_version_id": optional_string,
                "type_configuration_version_id": optional_string,
                "hook_category": {"type": "string", "nullable": True, "enum": ["MANAGED", "CUSTOM", None]},
                "account": account,
                "region": region,
            },
        },
        "State": {
            "type": "object",
            "required": ["format", "version", "namespaces"],
            "properties": {
                "format": {"type": "string", "enum": ["moto-stacksets-ext/state"]},
                "version": {
                    "type": "integer",
                    "enum": [1, 2],
                    "description": "2 is written (explicit type tags); 1 is still read",
                },
                "namespaces": {
                    "type": "array",
                    "description": "as exported by GET: each {identity: [cloud, account, region], stack_sets: [...]}",
                    "items": {"type": "object"},
                },
            },
        },
        "ResourceDirectory": {
            "type": "object",
            "properties": {
                "management_account": {"type": "string"},
                "root_folder_id": {"type": "string"},
                "service_access_enabled": {"type": "boolean"},
                "folders": {"type": "array", "items": {"type": "object"}},
                "accounts": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["management_account", "root_folder_id", "folders", "accounts"],
        },
        "ResourceDirectoryChange": {
            "type": "object",
            "additionalProperties": False,
            "required": ["account"],
            "properties": {
                "account": {"type": "string", "pattern": "^[0-9]{1,32}$"},
                "service_access": {"type": "boolean"},
                "folders": {
                    "type": "array",
                    "description": "folders to add, in order, under the Root folder or an existing parent_folder_id",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1},
                            "parent_folder_id": {"type": "string", "nullable": True, "minLength": 1},
                            "folder_id": {"type": "string", "nullable": True, "pattern": "^(fd|r)-[A-Za-z0-9]{1,32}$"},
                        },
                    },
                },
                "accounts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["account_id"],
                        "properties": {
                            "account_id": {"type": "string", "pattern": "^[0-9]{1,32}$"},
                            "folder_id": {"type": "string", "nullable": True, "pattern": "^(fd|r)-[A-Za-z0-9]{1,32}$"},
                            "display_name": {"type": "string", "nullable": True, "minLength": 1},
                        },
                    },
                },
            },
        },
        "HookResult": {
            "type": "object",
            "properties": {
                **{
                    name: {"type": "string"}
                    for name in (
                        "HookResultId",
                        "TypeName",
                        "TypeArn",
                        "Status",
                        "TargetType",
                        "TargetId",
                        "TypeVersionId",
                        "FailureMode",
                        "HookStatusReason",
                        "InvokedAt",
                        "InvocationPoint",
                        "HookCategory",
                    )
                },
                **{
                    name: _NULLABLE_STRING
                    for name in (
                        "TypeConfigurationVersionId",
                        "OriginalTypeName",
                        "HookExecutionTarget",
                        "ResourceType",
                        "ResourceId",
                        "Action",
                    )
                },
                "Annotations": {"type": "array", "items": ref("Annotation")},
                "Sequence": {"type": "integer", "description": "the order results were recorded in"},
            },
            "required": ["HookResultId", "TypeName", "TypeArn", "Status", "TargetType", "TargetId"],
        },
        "Call": {
            "type": "object",
            "description": "one request the mock served (control.calls)",
            "properties": {
                "cloud": {"type": "string", "enum": clouds},
                "action": {"type": "string"},
                "account": _NULLABLE_STRING,
                "region": _NULLABLE_STRING,
                "parameters": {"type": "object"},
                "status": {"type": "integer"},
                "error_code": _NULLABLE_STRING,
                "ok": {"type": "boolean"},
                "at": {"type": "string", "format": "date-time"},
            },
            "required": ["cloud", "action", "account", "region", "parameters", "status", "error_code", "ok", "at"],
        },
    }
    return schemas
