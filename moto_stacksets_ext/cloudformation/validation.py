"""Server-side input validation in CloudFormation's words, driven by botocore's model.

botocore checks only ``required``, types and ``min`` on the client; ``max``, ``pattern`` and ``enum``
reach the server, which answers ``ValidationError`` in the "1 validation error detected: Value 'x' at
'memberPath' failed to satisfy constraint: ..." form. This module walks an operation's input shape and
words every violation that way, so each call gets the same checks the model declares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape
from botocore.session import get_session

from .exceptions import ValidationError


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    return get_session().get_service_model("cloudformation")


#: Constraints CloudFormation's server applies that botocore's model leaves out, by shape name. Source:
#: AWS's answer for an OU id 'unknown' (recorded in moto's test_create_instances___with_invalid_ou):
#: "Member must have length less than or equal to 68, Member must have length greater than or equal to 6".
SERVER_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "OrganizationalUnitId": {"min": 6, "max": 68},
}


def _constraints(shape: Shape) -> dict[str, Any]:
    return {**shape.metadata, **SERVER_CONSTRAINTS.get(shape.name, {})}


def _member_path(parent: str, name: str) -> str:
    camel = name[0].lower() + name[1:]
    return f"{parent}.{camel}" if parent else camel


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    return str(value)


#: Limits AWS enforces that botocore's model does not declare (shape name → max length in UTF-8 bytes).
#: TemplateBody: "Member must have length less than or equal to 51200" (CloudFormation quotas: 51,200 bytes).
EXTRA_MAX = {"TemplateBody": 51_200}


def _scalar_constraints(shape: Shape, value: Any) -> list[str]:
    metadata = _constraints(shape)
    extra = EXTRA_MAX.get(shape.name)
    if extra is not None and isinstance(value, str) and len(value.encode("utf-8")) > extra:
        return [f"Member must have length less than or equal to {extra}"]
    broken: list[str] = []
    if shape.type_name in ("integer", "long"):
        if "max" in metadata and value > metadata["max"]:
            broken.append(f"Member must have value less than or equal to {metadata['max']}")
        if "min" in metadata and value < metadata["min"]:
            broken.append(f"Member must have value greater than or equal to {metadata['min']}")
    elif shape.type_name == "string":
        if "max" in metadata and len(value) > metadata["max"]:
            broken.append(f"Member must have length less than or equal to {metadata['max']}")
        if "min" in metadata and len(value) < metadata["min"]:
            broken.append(f"Member must have length greater than or equal to {metadata['min']}")
        enum = getattr(shape, "enum", None) or metadata.get("enum")
        if enum and value not in enum:
            broken.append(f"Member must satisfy enum value set: [{', '.join(enum)}]")
        pattern = metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, value):
            broken.append(f"Member must satisfy regular expression pattern: {pattern}")
    return broken


def _member_constraints(shape: Shape) -> list[str]:
    """Every constraint the model puts on a list's scalar member, in AWS's order (max, min, enum, pattern)."""
    metadata = _constraints(shape)
    unit = "value" if shape.type_name in ("integer", "long") else "length"
    constraints = []
    if "max" in metadata:
        constraints.append(f"Member must have {unit} less than or equal to {metadata['max']}")
    if "min" in metadata:
        constraints.append(f"Member must have {unit} greater than or equal to {metadata['min']}")
    enum = getattr(shape, "enum", None) or metadata.get("enum")
    if enum:
        constraints.append(f"Member must satisfy enum value set: [{', '.join(enum)}]")
    if "pattern" in metadata:
        constraints.append(f"Member must satisfy regular expression pattern: {metadata['pattern']}")
    return constraints


def _walk(shape: Shape, value: Any, path: str, found: list[str]) -> None:
    if value is None:
        return
    if isinstance(shape, StructureShape):
        if not isinstance(value, Mapping):
            return
        for name in shape.required_members:
            if value.get(name) is None:
                found.append(
                    f"Value null at '{_member_path(path, name)}' failed to satisfy constraint: Member must not be null"
                )
        for name, member in shape.members.items():
            if name in value:
                _walk(member, value[name], _member_path(path, name), found)
        return
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return
        if "max" in shape.metadata and len(value) > shape.metadata["max"]:
            found.append(
                f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {shape.metadata['max']}"
            )
        broken = False
        for item in value:
            if isinstance(shape.member, StructureShape):
                _walk(shape.member, item, path + ".member", found)
            else:
                try:
                    broken = broken or bool(_scalar_constraints(shape.member, item))
                except TypeError:
                    continue
        if broken:
            # AWS names every constraint of the member, not only the broken ones.
            found.append(
                f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy constraint: [{', '.join(_member_constraints(shape.member))}]"
            )
        return
    try:
        problems = _scalar_constraints(shape, value)
    except TypeError:
        return
    for problem in problems:
        found.append(f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: {problem}")


def unreadable(operation: str, error: Exception) -> ValidationError:
    """The error for a request whose parameters cannot even be parsed (e.g. MaxResults=abc)."""
    return ValidationError(f"The request for {operation} could not be read: {error}")


def violations(operation: str, params: Mapping[str, Any]) -> list[str]:
    """Every constraint of ``operation``'s input model that ``params`` break, in AWS's wording."""
    model: OperationModel = service_model().operation_model(operation)
    found: list[str] = []
    if model.input_shape is not None:
        _walk(model.input_shape, params, "", found)
    return found


def raise_for(problems: list[str]) -> None:
    """Raise one ``ValidationError`` listing ``problems`` the way AWS counts them."""
    if not problems:
        return
    noun = "error" if len(problems) == 1 else "errors"
    raise ValidationError(f"{len(problems)} validation {noun} detected: " + "; ".join(problems))


def validate_input(operation: str, params: Mapping[str, Any]) -> None:
    raise_for(violations(operation, params))
