"""CloudFormation templates as CloudFormation reads them: format checks and GetTemplateSummary.

A template is JSON when it parses as JSON, otherwise YAML (with the short-form intrinsic-function tags
such as ``!Ref``). CloudFormation refuses, with ``ValidationError`` "Template format error: ...", a body
that is neither and one that is not a mapping ("unsupported structure"). A template without resources is
not refused here (AWS is not known to refuse it for a stack set; its stacks then fail as moto's do).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from .exceptions import ValidationError

#: The version GetTemplateSummary reports when the template declares none.
DEFAULT_VERSION = "2010-09-09"

#: Resource types that need CAPABILITY_IAM (CAPABILITY_NAMED_IAM when given a custom name), and the
#: property that names each (AWS CloudFormation User Guide, "Acknowledging IAM resources").
IAM_NAME_PROPERTIES = {
    "AWS::IAM::AccessKey": None,
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Policy": None,
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::UserToGroupAddition": None,
}

#: Resource types and transforms that need CAPABILITY_AUTO_EXPAND (nested stacks, macros).
NESTED_STACK = "AWS::CloudFormation::Stack"


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags read as their long forms (``!Ref x`` → ``{"Ref": x}``)."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _tagged)


def _position(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def parse(body: str) -> dict[str, Any]:
    """The template as a mapping, or CloudFormation's ``ValidationError`` for a malformed one."""
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError) as json_error:
        try:
            document = yaml.load(body, Loader=_Loader)
        except (ValueError, RecursionError):  # numbers too long to convert, nesting too deep
            raise ValidationError("Template format error: unsupported structure.") from None
        except yaml.YAMLError as yaml_error:
            if body.lstrip().startswith("{") and isinstance(json_error, json.JSONDecodeError):
                position = f" (line {json_error.lineno}, column {json_error.colno})"
                raise ValidationError(f"Template format error: JSON not well-formed.{position}") from None
            raise ValidationError(f"Template format error: YAML not well-formed.{_position(yaml_error)}") from None
    if not isinstance(document, dict):
        raise ValidationError("Template format error: unsupported structure.")
    return document


@dataclass
class ParameterDeclaration:
    """One template parameter, as GetTemplateSummary describes it (snake_case AWS member names)."""

    parameter_key: str
    parameter_type: str
    no_echo: bool
    parameter_constraints: dict[str, list[str]]
    default_value: str | None = None
    description: str | None = None


@dataclass
class TemplateSummary:
    parameters: list[ParameterDeclaration]
    resource_types: list[str]
    version: str
    declared_transforms: list[str]
    description: str | None = None
    capabilities: list[str] = field(default_factory=list)
    capabilities_reason: str | None = None
    metadata: str | None = None

    def as_output(self) -> dict[str, Any]:
        """The GetTemplateSummary output members (absent ones left out; Parameters and ResourceTypes always
        present, DeclaredTransforms only when the template declares some, as AWS's recorded answers show)."""
        output: dict[str, Any] = {
            "Parameters": [_parameter(p) for p in self.parameters],
            "ResourceTypes": list(self.resource_types),
            "Version": self.version,
        }
        if self.declared_transforms:
            output["DeclaredTransforms"] = list(self.declared_transforms)
        if self.description is not None:
            output["Description"] = self.description
        if self.capabilities:
            output["Capabilities"] = list(self.capabilities)
            output["CapabilitiesReason"] = self.capabilities_reason
        if self.metadata is not None:
            output["Metadata"] = self.metadata
        return output


def _parameter(declaration: ParameterDeclaration) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ParameterKey": declaration.parameter_key,
        "ParameterType": declaration.parameter_type,
        "NoEcho": declaration.no_echo,
        "ParameterConstraints": declaration.parameter_constraints,
    }
    if declaration.default_value is not None:
        item["DefaultValue"] = declaration.default_value
    if declaration.description is not None:
        item["Description"] = declaration.description
    return item


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _capabilities(resources: dict[str, Any], transforms: list[str]) -> tuple[list[str], str | None]:
    iam_types: list[str] = []
    named = False
    expanding: list[str] = []
    for resource in resources.values():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        properties = resource.get("Properties") or {}
        if kind in IAM_NAME_PROPERTIES:
            if kind not in iam_types:
                iam_types.append(kind)
            name_property = IAM_NAME_PROPERTIES[kind]
            if name_property is not None and isinstance(properties, dict) and name_property in properties:
                named = True
        elif kind == NESTED_STACK and kind not in expanding:
            expanding.append(kind)
    capabilities: list[str] = []
    if iam_types or expanding:
        capabilities.append("CAPABILITY_NAMED_IAM" if named or expanding else "CAPABILITY_IAM")
    if expanding or transforms:
        capabilities.append("CAPABILITY_AUTO_EXPAND")
    if not capabilities:
        return [], None
    return capabilities, f"The following resource(s) require capabilities: [{', '.join(iam_types + expanding)}]"


def summarize(body: str) -> TemplateSummary:
    """GetTemplateSummary of a template body."""
    template = parse(body)
    resources = template.get("Resources") if isinstance(template.get("Resources"), dict) else {}
    assert isinstance(resources, dict)
    raw_transforms = template.get("Transform")
    transforms = [raw_transforms] if isinstance(raw_transforms, str) else list(raw_transforms or [])
    declarations = []
    for key, spec in (template.get("Parameters") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        allowed = spec.get("AllowedValues")
        declarations.append(
            ParameterDeclaration(
                parameter_key=str(key),
                parameter_type=str(spec.get("Type", "String")),
                no_echo=str(spec.get("NoEcho", "false")).lower() == "true",
                parameter_constraints={"AllowedValues": [_text(v) for v in allowed] if allowed else []},
                default_value=_text(spec["Default"]) if "Default" in spec else None,
                description=str(spec["Description"]) if "Description" in spec else None,
            )
        )
    capabilities, reason = _capabilities(resources, [str(t) for t in transforms])
    metadata = template.get("Metadata")
    description = template.get("Description")
    return TemplateSummary(
        parameters=declarations,
        resource_types=[str(r.get("Type")) for r in resources.values() if isinstance(r, dict) and "Type" in r],
        version=str(template.get("AWSTemplateFormatVersion") or DEFAULT_VERSION),
        declared_transforms=[str(t) for t in transforms],
        description=str(description) if description is not None else None,
        capabilities=capabilities,
        capabilities_reason=reason,
        metadata=json.dumps(metadata) if metadata is not None else None,
    )
