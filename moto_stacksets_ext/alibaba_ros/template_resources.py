"""What a ROS template declares for a stack: its resources (in dependency order) and outputs, and how
``Ref`` / ``Fn::GetAtt`` resolve against a stack's parameters and resources.

A ROS template is JSON or YAML with ``ROSTemplateFormatVersion: "2015-09-01"``, ``Parameters``,
``Resources`` (``{"Type": ..., "Properties": {...}, "DependsOn": ...}``) and ``Outputs``
(``{"Value": ..., "Description": ...}``). The mock resolves:

* literals;
* ``{"Ref": name}``: a parameter's value, a pseudo parameter (``ALIYUN::StackId``, ``ALIYUN::StackName``,
  ``ALIYUN::Region``, ``ALIYUN::AccountId``, ``ALIYUN::NoValue``) or a resource's physical id;
* ``{"Fn::GetAtt": [resource, attribute]}`` for the attributes the mock knows (those of
  ``ALIYUN::ROS::StackGroup`` and ``ALIYUN::ROS::StackInstances``); other attributes stay unresolved.

An output whose value cannot be resolved is left out of the stack's ``Outputs`` (documented choice).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import yaml

from .. import jsonsafe
from ..engine.model import Parameter
from .errors import RosError, invalid_parameter
from .templates import Template

PSEUDO_PARAMETERS = ("ALIYUN::StackId", "ALIYUN::StackName", "ALIYUN::Region", "ALIYUN::AccountId", "ALIYUN::NoValue")


def invalid_reference(name: str, referencer: str) -> RosError:
    return RosError(
        "InvalidTemplateReference", 400, f'The specified reference "{name}" (in {referencer}) is incorrect.'
    )


def invalid_attribute(resource: str, name: str) -> RosError:
    return RosError("InvalidTemplateAttribute", 400, f"The Referenced Attribute ({resource} {name}) is incorrect.")


def invalid_section(section: str) -> RosError:
    return RosError("InvalidTemplateSection", 400, f"The template section is invalid: {section}.")


def circular_dependency(reason: str) -> RosError:
    return RosError("CircularDependency", 400, f"Circular Dependency Found: {reason}.")


class Unresolved(Exception):
    """A value refers to something the mock cannot resolve (an attribute it does not model)."""


@dataclass(frozen=True)
class ResourceDeclaration:
    logical_id: str
    resource_type: str
    properties: Mapping[str, object]


@dataclass(frozen=True)
class OutputDeclaration:
    key: str
    value: object
    description: str | None


#: Attributes ``Fn::GetAtt`` may name, per resource type the mock models (other types: any attribute).
KNOWN_ATTRIBUTES: dict[str, frozenset[str]] = {
    "ALIYUN::ROS::StackGroup": frozenset({"StackGroupId", "StackGroupName"}),
    "ALIYUN::ROS::StackInstances": frozenset({"LastOperationId", "StackGroupName"}),
}


@dataclass(frozen=True)
class StackTemplate:
    """A parsed ROS stack template."""

    body: str
    description: str | None
    parameters: Template
    resources: list[ResourceDeclaration]
    outputs: list[OutputDeclaration]
    parameter_defaults: dict[str, str] = field(default_factory=dict)
    #: The Parameters section as written (name → declaration), for GetTemplateSummary.
    parameter_declarations: dict[str, dict[str, object]] = field(default_factory=dict)
    metadata: dict[str, object] | None = None

    @classmethod
    def parse(cls, body: str) -> StackTemplate:
        declared = Template.parse(body)  # size, syntax, version and the Parameters section
        document = _load(body)
        resources_section = document.get("Resources") or {}
        if not isinstance(resources_section, dict):
            raise invalid_section("Resources")
        resources: dict[str, ResourceDeclaration] = {}
        depends: dict[str, set[str]] = {}
        parameter_names = set(declared.declared)
        for name, spec in resources_section.items():
            if not isinstance(spec, dict) or not isinstance(spec.get("Type"), str):
                raise invalid_section(f"Resources.{name} (a resource needs a Type)")
            properties = spec.get("Properties") or {}
            if not isinstance(properties, dict):
                raise RosError(
                    "InvalidTemplatePropertyType", 400, f"The specified value type of ({name} Properties) is incorrect."
                )
            resources[str(name)] = ResourceDeclaration(str(name), spec["Type"], properties)
            needs = set(_references(properties))
            on = spec.get("DependsOn")
            needs.update(
                [on] if isinstance(on, str) else [d for d in on if isinstance(d, str)] if isinstance(on, list) else []
            )
            depends[str(name)] = needs
        for name, needs in depends.items():
            for needed in list(needs):
                if needed in resources:
                    continue
                if needed in parameter_names or needed in PSEUDO_PARAMETERS:
                    needs.discard(needed)
                    continue
                raise invalid_reference(needed, name)
        for name, declaration in resources.items():
            _check_attributes(declaration.properties, resources, name)
        outputs_section = document.get("Outputs") or {}
        if not isinstance(outputs_section, dict):
            raise invalid_section("Outputs")
        outputs: list[OutputDeclaration] = []
        for key, spec in outputs_section.items():
            if not isinstance(spec, dict) or "Value" not in spec:
                raise invalid_section(f"Outputs.{key} (an output needs a Value)")
            for needed in _references(spec["Value"]):
                if needed not in resources and needed not in parameter_names and needed not in PSEUDO_PARAMETERS:
                    raise invalid_reference(needed, f"Outputs.{key}")
            _check_attributes(spec["Value"], resources, f"Outputs.{key}")
            text = spec.get("Description")
            outputs.append(OutputDeclaration(str(key), spec["Value"], text if isinstance(text, str) else None))
        description = document.get("Description")
        section = document.get("Parameters")
        declarations = {
            str(name): dict(spec)
            for name, spec in (section.items() if isinstance(section, dict) else [])
            if isinstance(spec, dict)
        }
        defaults = {name: str(spec["Default"]) for name, spec in declarations.items() if "Default" in spec}
        metadata = document.get("Metadata")
        return cls(
            body=body,
            parameter_declarations=declarations,
            metadata=metadata if isinstance(metadata, dict) else None,
            description=description if isinstance(description, str) else None,
            parameters=declared,
            resources=[resources[name] for name in _order(depends)],
            outputs=outputs,
            parameter_defaults=defaults,
        )

    def parameter_values(self, given: list[Parameter]) -> dict[str, str]:
        """Every declared parameter's value: the given one, else its Default."""
        values = dict(self.parameter_defaults)
        for parameter in given:
            if parameter.parameter_value is not None:
                values[parameter.parameter_key] = parameter.parameter_value
        return values

    def resource(self, logical_id: str) -> ResourceDeclaration | None:
        return next((r for r in self.resources if r.logical_id == logical_id), None)


def _load(body: str) -> dict[str, object]:
    try:
        document: object = jsonsafe.loads(body)
    except ValueError:
        document = yaml.safe_load(body)  # Template.parse has already accepted it
    if not isinstance(document, dict):
        raise invalid_parameter("TemplateBody", "the template should be a JSON or YAML object")
    return document


def opaque(value: object) -> bool:
    """A template written inline (an ``ALIYUN::ROS::StackGroup``'s TemplateBody): its references are its own."""
    return isinstance(value, dict) and "ROSTemplateFormatVersion" in value


def _references(value: object) -> list[str]:
    """The names ``Ref`` and ``Fn::GetAtt`` in ``value`` refer to."""
    found: list[str] = []
    if opaque(value):
        return found
    if isinstance(value, dict):
        if len(value) == 1 and "Ref" in value and isinstance(value["Ref"], str):
            return [value["Ref"]]
        if len(value) == 1 and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            if isinstance(target, list) and target and isinstance(target[0], str):
                return [target[0]]
        for item in value.values():
            found.extend(_references(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_references(item))
    return found


def _check_attributes(value: object, resources: Mapping[str, ResourceDeclaration], referencer: str) -> None:
    if opaque(value):
        return
    if isinstance(value, dict):
        target = value.get("Fn::GetAtt") if len(value) == 1 else None
        if target is not None:
            if not (isinstance(target, list) and len(target) == 2 and all(isinstance(t, str) for t in target)):
                raise RosError(
                    "InvalidTemplateAttribute", 400, f"The Referenced Attribute ({referencer}) is incorrect."
                )
            declaration = resources.get(target[0])
            if declaration is None:
                raise invalid_reference(target[0], referencer)
            known = KNOWN_ATTRIBUTES.get(declaration.resource_type)
            if known is not None and target[1] not in known:
                raise invalid_attribute(target[0], target[1])
            return
        for item in value.values():
            _check_attributes(item, resources, referencer)
    elif isinstance(value, list):
        for item in value:
            _check_attributes(item, resources, referencer)


def _order(depends: dict[str, set[str]]) -> list[str]:
    """Resources in an order where each comes after what it depends on (template order among equals);
    iterative, so a long chain of dependencies needs no deep recursion."""
    position = {name: index for index, name in enumerate(depends)}
    ordered: list[str] = []
    done: set[str] = set()
    for root in depends:
        if root in done:
            continue
        path: list[str] = [root]
        on_path = {root}
        pending = [iter(sorted(depends[root], key=position.__getitem__))]
        while pending:
            needed = next(pending[-1], None)
            if needed is None:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                ordered.append(finished)
                continue
            if needed in done:
                continue
            if needed in on_path:
                raise circular_dependency(" -> ".join([*path[path.index(needed) :], needed]))
            path.append(needed)
            on_path.add(needed)
            pending.append(iter(sorted(depends[needed], key=position.__getitem__)))
    return ordered


#: What a reference resolves to: ``ref(name)`` (parameter, pseudo parameter or resource physical id) and
#: ``attribute(resource, name)``; either raises ``Unresolved``.
@dataclass(frozen=True)
class Resolver:
    ref: Callable[[str], object]
    attribute: Callable[[str, str], object]

    def resolve(self, value: object) -> object:
        if opaque(value):
            return value
        if isinstance(value, dict):
            if len(value) == 1 and "Ref" in value and isinstance(value["Ref"], str):
                return self.ref(value["Ref"])
            if len(value) == 1 and "Fn::GetAtt" in value:
                target = value["Fn::GetAtt"]
                assert isinstance(target, list)
                return self.attribute(str(target[0]), str(target[1]))
            if len(value) == 1 and next(iter(value)).startswith("Fn::"):
                raise Unresolved(next(iter(value)))  # other functions are not evaluated by the mock
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value
