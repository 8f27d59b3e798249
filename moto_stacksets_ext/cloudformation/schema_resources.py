"""Resources of types moto cannot create, and attributes moto lacks, made from the published schemas.

A template AWS deploys must deploy here: an org-wide baseline declares GuardDuty detectors, CloudTrail
trails, Config rules, Security Hub, budgets and alarms, types moto has no model for, and reads attributes
(``Fn::GetAtt [Topic, TopicArn]``) moto's models do not serve. For each such type the provider schema
(``resource_schemas``, from cfn-lint) says which properties make the physical id (``primaryIdentifier``,
what ``Ref`` returns) and which attributes ``Fn::GetAtt`` may read; this module makes plausible values:

* an identifier the template sets (``TrailName``, ``AlarmName``) is that value; a writable name the template
  leaves out is CloudFormation's generated name (``<stack>-<logical id>-<suffix>``, moto's generator);
* an ARN identifier or attribute (named ``Arn``/``...Arn``/``ARN``, or an ``arn:`` pattern or
  ``.Arn`` format in the schema) is the type's ARN format from the Service Authorization Reference cfn-lint ships
  (``arn:${Partition}:guardduty:${Region}:${Account}:detector/.*``), in the stack's account and region,
  the wildcard being the resource's name (``<Type>Name`` or ``Name`` in the template) or id; a type the
  reference lacks gets ``arn:<partition>:<service>:<region>:<account>:<type in lower case>/<id>`` (no
  schema gives a format);
* another read-only identifier (``Id``) is 32 lower-case hex characters, or a UUID, or a generated name:
  the first that the schema's ``pattern``/``maxLength`` accept (no schema gives ids a format);
* another attribute is the template's value for that property when it has one (cfn-lint lists the types
  whose every property is an attribute), else a value of the attribute's schema: its first ``enum``
  value, 0, false, an empty list or object, the creation time for a ``date-time`` (or ``...At``/``...Time``
  name), a generated id for ``...Id``, otherwise a generated name.

Values are made once, when the resource is created, and kept with it (``Fn::GetAtt`` reads the same value
every time). Such a resource lives only in its stack: no service backend holds it.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.utilities.utils import get_partition

from .resource_schemas import (
    Attribute,
    Identifier,
    TypeSchema,
    arn_format,
    fill_arn,
    service_prefix,
    type_schema,
)
from .template_types import PluginModel

#: The region whose schemas decide the attributes of a resource class (the class is made per type; the
#: stack's own region decides what ARNs say). Attributes rarely differ between regions.
SCHEMA_REGION = "us-east-1"


def _suffix() -> str:
    """CloudFormation's generated-name suffix: 12 upper-case letters and digits (moto's generator)."""
    return uuid.uuid4().hex[:12].upper()


def _is_arn(name: str, schema: Mapping[str, Any]) -> bool:
    pattern = str(schema.get("pattern", ""))
    return (
        name in ("Arn", "ARN")
        or name.endswith(("Arn", "ARN"))
        or pattern.startswith(("^arn:", "arn:"))
        or str(schema.get("format", "")).endswith(".Arn")
    )


def _fits(value: str, schema: Mapping[str, Any]) -> bool:
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, value) is None:
                return False
        except re.error:
            pass
    max_length = schema.get("maxLength")
    return not (isinstance(max_length, int) and len(value) > max_length)


def generated_id(schema: Mapping[str, Any], name: str) -> str:
    """An id for a read-only identifier or ``...Id`` attribute (see the module's rules)."""
    candidates = [uuid.uuid4().hex, str(uuid.uuid4()), name]
    for candidate in candidates:
        if _fits(candidate, schema):
            return candidate
    return candidates[0]


@dataclass
class ResourceFacts:
    """What the values of one resource are made from."""

    resource_type: str
    logical_id: str
    name: str
    account: str
    region: str
    properties: Mapping[str, Any]
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def given_name(self) -> str:
        """The name the template gives the resource (``<Type>Name`` or ``Name``), else its generated name."""
        cfn_resource = self.resource_type.rsplit("::", 1)[-1]
        for key in (f"{cfn_resource}Name", "Name"):
            value = self.properties.get(key)
            if isinstance(value, str) and value:
                return value
        return self.name

    @property
    def partition(self) -> str:
        return get_partition(self.region)

    def arn(self, resource_id: str, attribute: str = "") -> str:
        """An ARN for the resource (or, for an attribute like ``SnsTopicArn``, the resource it names)."""
        _, cfn_service, cfn_resource = [*self.resource_type.split("::"), "", ""][:3]
        service = service_prefix(cfn_service)
        other = attribute[: -len("Arn")] if attribute.lower().endswith("arn") else ""
        if other and _squash(other) not in (_squash(cfn_resource), "", _squash(cfn_service + cfn_resource)):
            found = _other_arn(other)
            if found is not None:
                named = self.properties.get(f"{other}Name") or self.properties.get(other)
                return fill_arn(found, self.partition, self.region, self.account, str(named or resource_id))
        pattern = arn_format(service, cfn_resource)
        if pattern is None:
            return f"arn:{self.partition}:{service}:{self.region}:{self.account}:{cfn_resource.lower()}/{resource_id}"
        return fill_arn(pattern, self.partition, self.region, self.account, resource_id)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@functools.lru_cache(maxsize=256)
def _other_arn(prefix: str) -> str | None:
    """The ARN format of another service's resource named by an attribute (``SnsTopic`` -> SNS topics)."""
    from .resource_schemas import _arn_formats

    wanted = _squash(prefix)
    for service, resources in _arn_formats().items():
        for resource, formats in resources.items():
            if _squash(service) + _squash(resource) == wanted or _squash(resource) == wanted:
                return formats[0]
    return None


def _lookup(properties: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    found: Any = properties
    for part in path:
        if not isinstance(found, Mapping) or part not in found:
            return None
        found = found[part]
    return found


def identifier_value(identifier: Identifier, facts: ResourceFacts) -> str:
    """The value of one identifier property (see the module's rules)."""
    given = _lookup(facts.properties, identifier.path)
    if isinstance(given, (str, int, float)) and not isinstance(given, bool) and not identifier.read_only:
        return str(given)
    if _is_arn(identifier.path[-1], identifier.schema):
        return facts.arn(facts.given_name)
    if not identifier.read_only:
        return facts.name
    return generated_id(identifier.schema, facts.name)


def physical_id(schema: TypeSchema, facts: ResourceFacts) -> tuple[str, dict[str, str]]:
    """The physical id (``Ref``) and the value of each identifier property, by its dotted path."""
    values = {identifier.name: identifier_value(identifier, facts) for identifier in schema.identifiers}
    if not values:
        return facts.name, {}
    return "|".join(values.values()), values


def attribute_value(attribute: Attribute, facts: ResourceFacts, reference: str, identifiers: Mapping[str, str]) -> Any:
    """The value of one ``Fn::GetAtt`` attribute (see the module's rules)."""
    dotted = ".".join(attribute.path)
    if dotted in identifiers:
        return identifiers[dotted]
    given = _lookup(facts.properties, attribute.path)
    if given is not None:
        return given
    schema = attribute.schema
    last = attribute.path[-1] if attribute.path else attribute.name
    if _is_arn(last, schema):
        own = facts.arn(reference if not reference.startswith("arn:") else facts.given_name, last)
        return reference if reference.startswith("arn:") and last in ("Arn", "ARN") else own
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind in ("integer", "number"):
        return 0
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    if schema.get("format") == "date-time" or last.endswith(("At", "Time", "Timestamp", "Date")):
        return facts.created.isoformat()
    if last.endswith(("Id", "ID")):
        return generated_id(schema, facts.name)
    return f"{facts.logical_id}-{_suffix()}"


class SchemaResource(PluginModel):
    """A resource of a type moto cannot create, made from its provider schema (one subclass per type)."""

    schema: ClassVar[TypeSchema]

    def __init__(self, facts: ResourceFacts) -> None:
        self.facts = facts
        self.logical_resource_id = facts.logical_id
        self.cf_resource_type = facts.resource_type
        reference, identifiers = physical_id(self.schema, facts)
        self._physical_id = reference
        self._identifiers = identifiers
        self._attributes: dict[str, Any] = {}

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    @staticmethod
    def cloudformation_type() -> str:
        return "MotoStacksetsExt::Schema::Resource"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return cls.schema.attribute(attr) is not None

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self._attributes:
            attribute = self.schema.attribute(attribute_name)
            if attribute is None:
                raise UnformattedGetAttTemplateException()
            self._attributes[attribute_name] = attribute_value(
                attribute, self.facts, self._physical_id, self._identifiers
            )
        return self._attributes[attribute_name]

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> SchemaResource:
        properties = cloudformation_json.get("Properties") or {}
        facts = ResourceFacts(
            resource_type=cls.schema.type_name,
            logical_id=str(kwargs.get("LogicalId", resource_name)),
            name=resource_name,
            account=account_id,
            region=region_name,
            properties=properties if isinstance(properties, dict) else {},
        )
        return cls(facts)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> SchemaResource:
        """An update keeps the resource (its id and made values) unless its name changed (a replacement)."""
        properties = cloudformation_json.get("Properties") or {}
        properties = properties if isinstance(properties, dict) else {}
        if isinstance(original_resource, SchemaResource):
            name_property = cls.schema.name_property
            renamed = name_property is not None and properties.get(name_property) not in (
                None,
                original_resource.facts.properties.get(name_property),
            )
            if not renamed:
                facts = ResourceFacts(
                    original_resource.facts.resource_type,
                    original_resource.facts.logical_id,
                    original_resource.facts.name,
                    account_id,
                    region_name,
                    properties,
                    original_resource.facts.created,
                )
                updated = cls(facts)
                updated._physical_id = original_resource._physical_id
                updated._identifiers = original_resource._identifiers
                return updated
        logical_id = getattr(original_resource, "logical_resource_id", new_resource_name)
        return cls(
            ResourceFacts(cls.schema.type_name, logical_id, new_resource_name, account_id, region_name, properties)
        )

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        """Nothing outside the stack holds the resource."""

    def delete(self, account_id: str, region_name: str) -> None:
        """Nothing outside the stack holds the resource."""

    def is_created(self) -> bool:
        return True


@functools.cache
def model_for(resource_type: str) -> type[SchemaResource] | None:
    """The model of a type the schemas know (the ``template_types`` fallback), or None."""
    schema = type_schema(resource_type, SCHEMA_REGION)
    if schema is None:
        return None
    name_property = schema.name_property or ""

    def cloudformation_type() -> str:
        return resource_type

    def cloudformation_name_type() -> str:
        return name_property

    class_name = "Schema" + re.sub(r"[^A-Za-z0-9]", "", resource_type.replace("::", "_"))
    return type(
        class_name,
        (SchemaResource,),
        {
            "schema": schema,
            "cloudformation_type": staticmethod(cloudformation_type),
            "cloudformation_name_type": staticmethod(cloudformation_name_type),
            "__module__": __name__,
        },
    )


# -- attributes moto lacks on the types it creates ----------------------------------------------------
def missing_attribute(
    resource: Any, attribute_name: str, properties: Callable[[], Mapping[str, Any]], account: str, region: str
) -> tuple[bool, Any]:
    """``(True, value)`` for an attribute the schema of ``resource``'s type lists and moto's model lacks,
    ``(False, None)`` when the schema does not list it either (moto's error stands)."""
    resource_type = getattr(resource, "cf_resource_type", None)
    if not isinstance(resource_type, str):
        return False, None
    schema = type_schema(resource_type, region)
    attribute = schema.attribute(attribute_name) if schema is not None else None
    if schema is None or attribute is None:
        return False, None
    reference = str(getattr(resource, "physical_resource_id", "") or "")
    identifiers = {i.name: reference for i in schema.identifiers} if len(schema.identifiers) == 1 else {}
    name = reference.rsplit(":", 1)[-1].rsplit("/", 1)[-1] if reference else str(resource.logical_resource_id)
    facts = ResourceFacts(
        resource_type,
        str(getattr(resource, "logical_resource_id", "")),
        name,
        account,
        region,
        properties(),
    )
    return True, attribute_value(attribute, facts, reference, identifiers)


def lists_attribute(resource_type: str, attribute_name: str, region: str) -> bool:
    """Whether the schema of ``resource_type`` lists ``attribute_name``."""
    schema = type_schema(resource_type, region)
    return schema is not None and schema.attribute(attribute_name) is not None
