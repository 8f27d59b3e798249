"""CloudFormation resource provider schemas, as cfn-lint ships them (one per type and region).

cfn-lint (a maintained AWS project) bundles the registry schemas of every resource type in every region:
``primaryIdentifier`` (the properties whose values make the physical id, which ``Ref`` returns) and the
attributes ``Fn::GetAtt`` may read (``readOnlyProperties``, plus every property for the types cfn-lint lists
as exposing them all). Its IAM policy data (``AdditionalSpecs/Policies.json``, the Service Authorization
Reference) gives each service's ARN formats. This module reads both through cfn-lint's own API
(``cfnlint.schema.PROVIDER_SCHEMA_MANAGER``), cached, and turns them into typed facts.

Nothing here makes values: ``schema_resources`` does.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: The region whose schemas answer for a region cfn-lint has no file for (cfn-lint's own fallback).
DEFAULT_REGION = "us-east-1"

#: Types every template may use whatever the schemas say (custom resources, modules, moto's own models
#: are checked separately).
_ALWAYS_KNOWN_PREFIXES = ("Custom::",)


@dataclass(frozen=True)
class Attribute:
    """One ``Fn::GetAtt`` attribute: its name (``Compliance.Type``), where it lives in the resource's
    properties (``("Compliance", "Type")``) and its JSON schema (type, pattern, enum, format...)."""

    name: str
    path: tuple[str, ...]
    schema: dict[str, Any]
    read_only: bool


@dataclass(frozen=True)
class Identifier:
    """One property of the primary identifier (the physical id is their values joined by ``|``)."""

    path: tuple[str, ...]
    schema: dict[str, Any]
    read_only: bool

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class TypeSchema:
    """What the provider schema of one type says about its identity and attributes."""

    type_name: str
    identifiers: tuple[Identifier, ...]
    attributes: dict[str, Attribute]
    #: Attribute names that are patterns (cfn-lint writes some as regular expressions, ``Outputs\\..*``).
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def attribute(self, name: str) -> Attribute | None:
        """The attribute ``name`` (an exact name, else the longest pattern it matches)."""
        found = self.attributes.get(name)
        if found is not None:
            return found
        matches = [key for pattern, key in self.patterns if pattern.fullmatch(name)]
        if not matches:
            return None
        template = self.attributes[max(matches, key=len)]
        return Attribute(name, tuple(name.split(".")), template.schema, template.read_only)

    @property
    def name_property(self) -> str | None:
        """The writable top-level property that names the resource, when it is the (only) identifier:
        CloudFormation generates a name for it when the template gives none (``AlarmName``, ``TrailName``)."""
        if len(self.identifiers) == 1 and not self.identifiers[0].read_only and len(self.identifiers[0].path) == 1:
            return self.identifiers[0].path[0]
        return None


def _manager() -> Any:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    return PROVIDER_SCHEMA_MANAGER


def _region(region: str) -> str:
    from cfnlint.helpers import REGIONS

    return region if region in REGIONS else DEFAULT_REGION


@functools.lru_cache(maxsize=32)
def type_names(region: str) -> frozenset[str]:
    """Every resource type the schemas know in ``region``."""
    return frozenset(_manager().get_resource_types(_region(region)))


def known(resource_type: str, region: str) -> bool:
    """Whether CloudFormation knows ``resource_type`` in ``region`` (by its published schemas)."""
    if resource_type.startswith(_ALWAYS_KNOWN_PREFIXES) or resource_type.endswith("::MODULE"):
        return True
    return resource_type in type_names(region)


def _path(pointer: str) -> tuple[str, ...]:
    parts = pointer.split("/")
    return tuple(parts[2:]) if parts[:2] == ["", "properties"] else tuple(p for p in parts if p)


def _resolve(schema: Any, pointer: str) -> dict[str, Any]:
    try:
        found = schema.resolver.resolve_cfn_pointer(pointer)
    except Exception:
        return {}
    return found if isinstance(found, dict) else {}


@functools.lru_cache(maxsize=512)
def type_schema(resource_type: str, region: str) -> TypeSchema | None:
    """The schema facts of ``resource_type`` in ``region`` (None: the schemas do not know the type)."""
    if not known(resource_type, region) or resource_type.startswith(_ALWAYS_KNOWN_PREFIXES):
        return None
    from cfnlint.schema import ResourceNotFoundError

    manager = _manager()
    where = _region(region)
    try:
        schema = manager.get_resource_schema(where, resource_type)
        getatts = manager.get_type_getatts(resource_type, where)
    except ResourceNotFoundError:
        return None
    raw = schema.schema
    read_only = {_path(p) for p in raw.get("readOnlyProperties", [])}
    identifiers = tuple(
        Identifier(_path(p), _resolve(schema, p), _path(p) in read_only) for p in raw.get("primaryIdentifier", [])
    )
    attributes: dict[str, Attribute] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for name, pointer in getatts.data.items():
        path = _path(str(pointer))
        attributes[name] = Attribute(name.replace("\\", ""), path, _resolve(schema, str(pointer)), path in read_only)
        if any(c in name for c in "\\*+?[]()"):
            patterns.append((re.compile(name), name))
    return TypeSchema(resource_type, identifiers, attributes, tuple(patterns))


# -- ARN formats (the Service Authorization Reference, as cfn-lint ships it) --------------------------
@functools.lru_cache(maxsize=1)
def _arn_formats() -> dict[str, dict[str, list[str]]]:
    """Service prefix -> resource name -> its ARN formats (``arn:${Partition}:sns:${Region}:${Account}:.*``)."""
    from cfnlint.data import AdditionalSpecs

    document = json.loads((resources.files(AdditionalSpecs) / "Policies.json").read_text(encoding="utf-8"))
    services = document.get("serviceMap", document)
    formats: dict[str, dict[str, list[str]]] = {}
    for service, entry in services.items():
        found: dict[str, list[str]] = {}
        for resource, details in (entry.get("Resources") or {}).items():
            arns = details.get("ARNFormats") if isinstance(details, dict) else None
            if arns:
                found[resource] = [str(a) for a in arns]
        formats[service] = found
    return formats


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@functools.lru_cache(maxsize=1024)
def service_prefix(cfn_service: str) -> str:
    """The IAM service prefix of a CloudFormation service namespace (``AccessAnalyzer`` -> ``access-analyzer``);
    the namespace in lower case when the reference has no such service."""
    wanted = _squash(cfn_service)
    for service in _arn_formats():
        if _squash(service) == wanted:
            return service
    return cfn_service.lower()


@functools.lru_cache(maxsize=1024)
def arn_format(service: str, resource: str) -> str | None:
    """The ARN format the reference gives ``resource`` of ``service`` (names compared without case or
    punctuation), or None."""
    wanted = _squash(resource)
    for name, formats in _arn_formats().get(service, {}).items():
        if _squash(name) == wanted:
            return formats[0]
    return None


def fill_arn(pattern: str, partition: str, region: str, account: str, resource_id: str) -> str:
    """An ARN of the reference's ``pattern`` with its variables filled and each wildcard the resource id."""
    arn = pattern.replace("${Partition}", partition).replace("${Region}", region).replace("${Account}", account)
    arn = re.sub(r"\$\{[^}]*\}", resource_id, arn)  # any other variable names the resource
    return arn.replace(".*", resource_id).replace("*", resource_id)
