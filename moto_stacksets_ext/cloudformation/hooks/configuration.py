"""Parsing a Hook's type configuration (``SetTypeConfiguration.Configuration``).

The JSON has the shape ``{"CloudFormationConfiguration": {"HookConfiguration": {...}}}`` with
HookInvocationStatus (or the legacy TargetStacks), TargetOperations, FailureMode, TargetFilters and
StackFilters. Anything malformed is a ``CFNRegistryException`` naming the offending key.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ... import _jsonsafe as jsonsafe
from .exceptions import CFNRegistryException
from .model import HookConfiguration, TargetFilterRule

MAX_CONFIGURATION = 300 * 1024
TARGET_OPERATIONS = ("STACK", "RESOURCE", "CHANGE_SET", "CLOUD_CONTROL")
ACTIONS = ("CREATE", "UPDATE", "DELETE")
INVOCATION_POINTS = ("PRE_PROVISION",)
TARGET_NAME = re.compile(r"^[a-zA-Z0-9*?]{1,64}::[a-zA-Z0-9*?]{1,64}::[a-zA-Z0-9*?]{1,64}$")
STACK_NAME = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]*$")


def _invalid(message: str) -> CFNRegistryException:
    return CFNRegistryException(f"Invalid type configuration: {message}")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"{where} must be a JSON object")
    return value


def _string_list(value: Any, where: str, allowed: tuple[str, ...] | None = None, pattern: Any = None) -> list[str]:
    if not isinstance(value, list) or not value or len(value) > 50:
        raise _invalid(f"{where} must be a list of 1 to 50 items")
    if len(set(map(str, value))) != len(value):
        raise _invalid(f"{where} must not contain duplicates")
    for item in value:
        if not isinstance(item, str):
            raise _invalid(f"{where} must contain strings")
        if allowed is not None and item not in allowed:
            raise _invalid(f"{where} contains '{item}': allowed values are [{', '.join(allowed)}]")
        if pattern is not None and not pattern.match(item):
            raise _invalid(f"{where} contains '{item}', which does not match {pattern.pattern}")
    return list(value)


def _target_filters(raw: Any, into: HookConfiguration) -> None:
    filters = _object(raw, "TargetFilters")
    arrays = {"Actions", "InvocationPoints", "TargetNames"} & set(filters)
    if "Targets" in filters and arrays:
        raise _invalid("TargetFilters takes either Targets or Actions/InvocationPoints/TargetNames, not both")
    unknown = set(filters) - {"Actions", "InvocationPoints", "TargetNames", "Targets"}
    if unknown:
        raise _invalid(f"TargetFilters has unknown keys {sorted(unknown)}")
    if "Targets" in filters:
        targets = filters["Targets"]
        if not isinstance(targets, list) or not targets or len(targets) > 50:
            raise _invalid("TargetFilters.Targets must be a list of 1 to 50 items")
        for target in targets:
            entry = _object(target, "TargetFilters.Targets[]")
            name, action, point = entry.get("TargetName"), entry.get("Action"), entry.get("InvocationPoint")
            if not isinstance(name, str) or not TARGET_NAME.match(name):
                raise _invalid(f"TargetFilters.Targets[].TargetName '{name}' is not a valid target name")
            if action not in ACTIONS:
                raise _invalid(f"TargetFilters.Targets[].Action must be one of [{', '.join(ACTIONS)}]")
            if point not in INVOCATION_POINTS:
                raise _invalid("TargetFilters.Targets[].InvocationPoint must be PRE_PROVISION")
            into.target_rules.append(TargetFilterRule(name, action, point))
        return
    actions = _string_list(filters["Actions"], "TargetFilters.Actions", ACTIONS) if "Actions" in filters else [None]
    points = (
        _string_list(filters["InvocationPoints"], "TargetFilters.InvocationPoints", INVOCATION_POINTS)
        if "InvocationPoints" in filters
        else [None]
    )
    names = (
        _string_list(filters["TargetNames"], "TargetFilters.TargetNames", pattern=TARGET_NAME)
        if "TargetNames" in filters
        else [None]
    )
    into.target_rules = [TargetFilterRule(n, a, p) for n in names for a in actions for p in points]


def _stack_filters(raw: Any, into: HookConfiguration) -> None:
    filters = _object(raw, "StackFilters")
    criteria = filters.get("FilteringCriteria")
    if criteria not in ("ALL", "ANY"):
        raise _invalid("StackFilters.FilteringCriteria is required and must be ALL or ANY")
    if "StackNames" not in filters and "StackRoles" not in filters:
        raise _invalid("StackFilters needs StackNames or StackRoles")
    into.stack_criteria = criteria
    for key, include, exclude, pattern in (
        ("StackNames", into.stack_names_include, into.stack_names_exclude, STACK_NAME),
        ("StackRoles", into.stack_roles_include, into.stack_roles_exclude, None),
    ):
        if key not in filters:
            continue
        block = _object(filters[key], f"StackFilters.{key}")
        if not block or set(block) - {"Include", "Exclude"}:
            raise _invalid(f"StackFilters.{key} takes Include and/or Exclude")
        if "Include" in block:
            include += _string_list(block["Include"], f"StackFilters.{key}.Include", pattern=pattern)
        if "Exclude" in block:
            exclude += _string_list(block["Exclude"], f"StackFilters.{key}.Exclude", pattern=pattern)


def parse_configuration(text: str) -> HookConfiguration:
    """The Hook configuration in ``text``, or ``CFNRegistryException``."""
    if len(text.encode()) > MAX_CONFIGURATION:
        raise _invalid("the configuration is larger than 300 KB")
    try:
        document = jsonsafe.loads(text)
    except ValueError as error:
        raise _invalid(f"the configuration is not valid JSON ({error})") from error
    root = _object(document, "The configuration")
    cfn = _object(root.get("CloudFormationConfiguration"), "CloudFormationConfiguration")
    hook = _object(cfn.get("HookConfiguration"), "CloudFormationConfiguration.HookConfiguration")
    parsed = HookConfiguration()
    status = hook.get("HookInvocationStatus")
    if status is not None:
        if status not in ("ENABLED", "DISABLED"):
            raise _invalid("HookInvocationStatus must be ENABLED or DISABLED")
        parsed.enabled = status == "ENABLED"
    else:
        stacks = hook.get("TargetStacks", "NONE")
        if stacks not in ("ALL", "NONE"):
            raise _invalid("TargetStacks must be ALL or NONE")
        parsed.enabled = stacks == "ALL"
    mode = hook.get("FailureMode", "WARN")
    if mode not in ("FAIL", "WARN"):
        raise _invalid("FailureMode must be FAIL or WARN")
    parsed.failure_mode = mode
    if "TargetOperations" in hook:
        parsed.target_operations = _string_list(hook["TargetOperations"], "TargetOperations", TARGET_OPERATIONS)
    else:
        parsed.target_operations = ["RESOURCE"]
    if "TargetFilters" in hook:
        _target_filters(hook["TargetFilters"], parsed)
    if "StackFilters" in hook:
        _stack_filters(hook["StackFilters"], parsed)
    return parsed


def _schema_message(error: Any) -> str:
    """One jsonschema error in the form CloudFormation's registry writes them (``#/path: ...``)."""
    path = "#" + "".join(f"/{part}" for part in error.absolute_path)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        return f"{path}: required key [{missing.group(1) if missing else error.message}] not found"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        return f"{path}: extraneous key [{', '.join(extra) or error.message}] is not permitted"
    if error.validator == "enum":
        return f"{path}: {json.dumps(error.instance)} is not a valid enum value"
    if error.validator == "type":
        return f"{path}: expected type: {error.validator_value}, found: {type(error.instance).__name__}"
    return f"{path}: {error.message}"


def validate_against(document: Any, schema: dict[str, Any]) -> None:
    """``CFNRegistryException`` listing every violation of the type's configuration schema (JSON Schema)."""
    from jsonschema import Draft7Validator

    errors = sorted(Draft7Validator(schema).iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise _invalid("; ".join(_schema_message(e) for e in errors))
