"""The type registry of one account and region: ActivateType, RegisterType, SetTypeConfiguration & co.

Private Hooks are registered (registration completes at once: ``DescribeTypeRegistration`` answers
``COMPLETE``), public ones (AWS's managed Lambda and Guard Hooks) activated, optionally under an alias.
A Hook is invoked once it has a ``default`` configuration that enables it (see ``invocation``).
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from moto.utilities.utils import get_partition

from ... import jsonsafe
from ...engine.clock import clock
from ...engine.errors import InvalidPageToken
from ...engine.pagination import SequencedList, TokenCodec, paginate
from ..exceptions import ValidationError
from . import catalog
from .configuration import parse_configuration
from .exceptions import CFNRegistryException, TypeConfigurationNotFoundException, TypeNotFoundException
from .model import HookConfiguration, Registration, RegistryType, TypeConfiguration, TypeVersion

RESERVED_NAMESPACES = ("AWS", "Alexa", "Custom", "Dev")
_ARN = re.compile(
    r"^arn:(?P<partition>[^:]+):cloudformation:(?P<region>[^:]*):(?P<account>[0-9]*):"
    r"(?P<kind>type|type-configuration)/(?P<type>[a-z]+)/(?P<name>[A-Za-z0-9-]+)(?:/(?P<tail>[^/]+))?/?$"
)


def _version_id(number: int) -> str:
    return f"{number:08d}"


@dataclass(frozen=True)
class TypeRef:
    """How a request names a type: an ARN (maybe with a version) or Type + TypeName."""

    arn: str | None = None
    type: str | None = None
    type_name: str | None = None

    @property
    def label(self) -> str:
        return self.type_name or self.arn or ""


class TypeRegistry:
    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.partition = get_partition(region_name)
        self._types: dict[str, RegistryType] = {}  # by type ARN (no version)
        self._ordered: SequencedList[RegistryType] = SequencedList()
        self._registrations: dict[str, Registration] = {}
        self._seq = itertools.count(1)
        self._codec = TokenCodec()

    # -- naming -----------------------------------------------------------------------------------------
    def type_arn(self, kind: str, type_name: str) -> str:
        return (
            f"arn:{self.partition}:cloudformation:{self.region_name}:{self.account_id}:"
            f"type/{kind.lower()}/{type_name.replace('::', '-')}"
        )

    def configuration_arn(self, registered: RegistryType, alias: str) -> str:
        return (
            f"arn:{self.partition}:cloudformation:{self.region_name}:{self.account_id}:"
            f"type-configuration/{registered.type.lower()}/{registered.type_name.replace('::', '-')}/{alias}"
        )

    # -- lookup -----------------------------------------------------------------------------------------
    def _split_arn(self, arn: str) -> tuple[str, str | None, str]:
        """(type ARN without version, version or alias, kind) of a type or type-configuration ARN."""
        match = _ARN.match(arn)
        if match is None:
            raise TypeNotFoundException.named(arn)
        base = (
            f"arn:{match['partition']}:cloudformation:{match['region']}:{match['account']}:"
            f"type/{match['type']}/{match['name']}"
        )
        return base, match["tail"], match["kind"]

    def find(self, ref: TypeRef) -> tuple[RegistryType, str | None]:
        """The type ``ref`` names and the version its ARN carries, or ``TypeNotFoundException``."""
        if ref.arn is not None and ref.type_name is not None:
            raise ValidationError("Specify either Arn or TypeName and Type, not both")
        if ref.arn is not None:
            base, version, _ = self._split_arn(ref.arn)
            found = self._types.get(base)
            if found is None:
                raise TypeNotFoundException.named(ref.arn)
            return found, version
        if ref.type_name is None or ref.type is None:
            raise ValidationError("Either Arn, or TypeName and Type, must be specified")
        found = self._types.get(self.type_arn(ref.type, ref.type_name))
        if found is None:
            raise TypeNotFoundException.named(ref.type_name)
        return found, None

    def hooks(self) -> list[RegistryType]:
        """The Hook types that may run: those with a configuration enabling them."""
        return [
            t
            for t in self._ordered
            if t.type == "HOOK" and t.hook_configuration is not None and t.hook_configuration.parsed.enabled
        ]

    def hooks_by_name(self, type_name: str) -> RegistryType | None:
        return self._types.get(self.type_arn("HOOK", type_name))

    def _add(self, registered: RegistryType) -> RegistryType:
        self._types[registered.type_arn] = registered
        self._ordered.append(registered)
        return registered

    def _drop(self, registered: RegistryType) -> None:
        self._types.pop(registered.type_arn, None)
        self._ordered.remove(registered)

    # -- ActivateType / DeactivateType -----------------------------------------------------------------
    def activate(
        self,
        *,
        kind: str | None,
        public_type_arn: str | None,
        type_name: str | None,
        publisher_id: str | None,
        alias: str | None,
        execution_role_arn: str | None,
        logging_config: dict[str, str] | None,
        auto_update: bool | None,
        major_version: int | None,
    ) -> RegistryType:
        if public_type_arn is not None and (type_name is not None or publisher_id is not None):
            raise ValidationError("Specify either PublicTypeArn, or TypeName and PublisherId, not both")
        if public_type_arn is not None:
            hook = catalog.by_arn(public_type_arn)
            label = public_type_arn
        elif type_name is not None:
            hook = catalog.PUBLIC_HOOKS.get(type_name)
            label = type_name
            if publisher_id is not None and publisher_id != catalog.PUBLISHER:
                hook = None
        else:
            raise ValidationError("Either PublicTypeArn, or TypeName and PublisherId, must be specified")
        if hook is None or (kind is not None and kind != "HOOK"):
            raise TypeNotFoundException.named(label)
        if major_version is not None and major_version != 1:
            raise CFNRegistryException(f"Major version {major_version} of type '{hook.type_name}' does not exist")
        name = alias or hook.type_name
        arn = self.type_arn("HOOK", name)
        existing = self._types.get(arn)
        if existing is not None:
            if not existing.activated or existing.original_type_name != hook.type_name:
                raise CFNRegistryException(f"Type '{name}' already exists in this account and Region")
            return existing  # activating again is idempotent
        now = clock.now()
        return self._add(
            RegistryType(
                seq=next(self._seq),
                type="HOOK",
                type_name=name,
                type_arn=arn,
                time_created=now,
                last_updated=now,
                activated=True,
                original_type_name=hook.type_name,
                original_type_arn=hook.arn(self.partition, self.region_name),
                publisher_id=catalog.PUBLISHER,
                public_version_number=hook.version,
                execution_role_arn=execution_role_arn,
                logging_config=logging_config,
                auto_update=True if auto_update is None else auto_update,
                description=hook.description,
                schema=hook.schema,
                configuration_schema=hook.configuration_schema,
                versions={"00000001": TypeVersion("00000001", now)},
            )
        )

    def deactivate(self, ref: TypeRef) -> None:
        found, _ = self.find(ref)
        if not found.activated:
            raise CFNRegistryException(
                f"Type '{found.type_name}' is a registered private type: use DeregisterType to remove it"
            )
        self._drop(found)

    # -- RegisterType / DescribeTypeRegistration / DeregisterType ---------------------------------------
    def register(
        self,
        *,
        kind: str,
        type_name: str,
        schema_handler_package: str,
        execution_role_arn: str | None,
        logging_config: dict[str, str] | None,
    ) -> Registration:
        if type_name.split("::", 1)[0] in RESERVED_NAMESPACES:
            raise CFNRegistryException("TypeName is invalid")
        if not schema_handler_package.startswith(("s3://", "https://")):
            raise CFNRegistryException("SchemaHandlerPackage must be an S3 URL (s3://bucket/key)")
        arn = self.type_arn(kind, type_name)
        now = clock.now()
        found = self._types.get(arn)
        if found is not None and found.activated:
            raise CFNRegistryException(f"Type '{type_name}' already exists in this account and Region")
        if found is None:
            found = self._add(
                RegistryType(
                    seq=next(self._seq),
                    type=kind,
                    type_name=type_name,
                    type_arn=arn,
                    time_created=now,
                    last_updated=now,
                    execution_role_arn=execution_role_arn,
                    logging_config=logging_config,
                    description=f"{type_name} registered from {schema_handler_package}",
                    schema=json.dumps({"typeName": type_name, "description": f"Private {kind.lower()} {type_name}"}),
                    configuration_schema=catalog.PUBLIC_HOOKS["AWS::Hooks::LambdaHook"].configuration_schema
                    if kind == "HOOK"
                    else None,
                )
            )
        numbers = [int(v) for v in found.versions] or [0]
        version = _version_id(max(numbers) + 1)
        found.versions[version] = TypeVersion(version, now)
        if len(found.versions) == 1:
            found.default_version_id = version
        found.last_updated = now
        if execution_role_arn is not None:
            found.execution_role_arn = execution_role_arn
        token = str(uuid.uuid4())
        self._registrations[token] = Registration(
            token,
            found.type_arn,
            found.version_arn(version),
            "Deployment is currently in DEPLOY_STAGE of status COMPLETED",
        )
        return self._registrations[token]

    def registration(self, token: str) -> Registration:
        found = self._registrations.get(token)
        if found is None:
            raise CFNRegistryException(f"Registration token '{token}' is not found")
        return found

    def deregister(self, ref: TypeRef, version_id: str | None) -> None:
        found, arn_version = self.find(ref)
        if found.activated:
            raise CFNRegistryException(f"Type '{found.type_name}' is an activated public type: use DeactivateType")
        version = version_id or arn_version
        if version is not None:
            if version not in found.versions:
                raise TypeNotFoundException.named(f"{found.type_name}/{version}")
            if version == found.default_version_id:
                if len(found.versions) > 1:
                    raise CFNRegistryException(
                        f"Version '{version}' is the default version and cannot be deregistered. "
                        f"Deregister the resource type '{found.type_name}' instead."
                    )
                self._drop(found)
                return
            del found.versions[version]
            return
        if len(found.versions) > 1:
            raise CFNRegistryException(
                "This type has more than one active version. Please deregister non-default active versions "
                "before attempting to deregister the type."
            )
        self._drop(found)

    # -- configuration ----------------------------------------------------------------------------------
    def set_configuration(self, ref: TypeRef, configuration: str, alias: str | None) -> str:
        found, _ = self.find(ref)
        alias = alias or "default"
        if found.type == "HOOK":
            parsed = parse_configuration(configuration)
        else:
            try:
                document: Any = jsonsafe.loads(configuration)
            except ValueError as error:
                raise CFNRegistryException(f"Invalid type configuration: not valid JSON ({error})") from error
            if not isinstance(document, dict):
                raise CFNRegistryException("Invalid type configuration: the configuration must be a JSON object")
            parsed = HookConfiguration()
        found.configuration_count += 1
        found.configurations[alias] = TypeConfiguration(
            alias, configuration, parsed, _version_id(found.configuration_count), clock.now()
        )
        return self.configuration_arn(found, alias)

    def describe_configurations(self, identifiers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        details: list[dict[str, Any]] = []
        for identifier in identifiers:
            alias = identifier.get("TypeConfigurationAlias")
            if identifier.get("TypeConfigurationArn") is not None:
                base, tail, kind = self._split_arn(identifier["TypeConfigurationArn"])
                if kind != "type-configuration":
                    raise ValidationError("TypeConfigurationArn must be a type configuration ARN")
                ref = TypeRef(arn=base)
                alias = alias or tail
            else:
                ref = TypeRef(identifier.get("TypeArn"), identifier.get("Type"), identifier.get("TypeName"))
            try:
                found, _ = self.find(ref)
            except TypeNotFoundException as error:
                raise TypeConfigurationNotFoundException(
                    f"Type configuration for type '{ref.label}' cannot be found."
                ) from error
            aliases = [alias] if alias else (list(found.configurations) or ["default"])
            for name in aliases:
                configuration = found.configurations.get(name)
                if configuration is None and name != "default":
                    raise TypeConfigurationNotFoundException(
                        f"Type configuration '{name}' of type '{found.type_name}' cannot be found."
                    )
                details.append(
                    {
                        "Arn": self.configuration_arn(found, name),
                        "Alias": name,
                        "Configuration": configuration.configuration if configuration else "{}",
                        "LastUpdated": configuration.last_updated if configuration else None,
                        "TypeArn": found.type_arn,
                        "TypeName": found.type_name,
                        "IsDefaultConfiguration": name == "default",
                    }
                )
        return details

    # -- DescribeType / ListTypes -----------------------------------------------------------------------
    def describe(self, ref: TypeRef, version_id: str | None, publisher_id: str | None) -> dict[str, Any]:
        if publisher_id is not None and ref.type_name is not None and ref.arn is None:
            hook = catalog.PUBLIC_HOOKS.get(ref.type_name)
            if publisher_id != catalog.PUBLISHER or hook is None:
                raise TypeNotFoundException.named(ref.type_name)
            return self._describe_public(hook)
        public = catalog.by_arn(ref.arn) if ref.arn is not None and ref.arn.split(":")[4:5] == [""] else None
        if public is not None:  # a public ARN (no account)
            return self._describe_public(public)
        found, arn_version = self.find(ref)
        version = version_id or arn_version or found.default_version_id
        if version not in found.versions:
            raise TypeNotFoundException.named(f"{found.type_name}/{version}")
        described: dict[str, Any] = {
            "Arn": found.version_arn(version),
            "Type": found.type,
            "TypeName": found.type_name,
            "DefaultVersionId": found.default_version_id,
            "IsDefaultVersion": version == found.default_version_id,
            "TypeTestsStatus": "NOT_TESTED",
            "Description": found.description,
            "Schema": found.schema,
            "DeprecatedStatus": "LIVE",
            "LoggingConfig": found.logging_config,
            "ExecutionRoleArn": found.execution_role_arn,
            "Visibility": "PUBLIC" if found.activated else "PRIVATE",
            "LastUpdated": found.last_updated,
            "TimeCreated": found.versions[version].time_created,
            "ConfigurationSchema": found.configuration_schema,
        }
        if found.type == "RESOURCE":
            described["ProvisioningType"] = "FULLY_MUTABLE"
        if found.activated:
            described.update(
                {
                    "Arn": found.type_arn,
                    "PublisherId": found.publisher_id,
                    "OriginalTypeName": found.original_type_name,
                    "OriginalTypeArn": found.original_type_arn,
                    "PublicVersionNumber": found.public_version_number,
                    "LatestPublicVersion": found.public_version_number,
                    "IsActivated": True,
                    "AutoUpdate": found.auto_update,
                }
            )
            described.pop("DefaultVersionId")
        return described

    def _describe_public(self, hook: catalog.PublicHook) -> dict[str, Any]:
        activated = any(t.original_type_name == hook.type_name for t in self._ordered)
        return {
            "Arn": hook.arn(self.partition, self.region_name),
            "Type": "HOOK",
            "TypeName": hook.type_name,
            "Description": hook.description,
            "Schema": hook.schema,
            "ConfigurationSchema": hook.configuration_schema,
            "DeprecatedStatus": "LIVE",
            "Visibility": "PUBLIC",
            "PublisherId": catalog.PUBLISHER,
            "PublicVersionNumber": hook.version,
            "LatestPublicVersion": hook.version,
            "IsActivated": activated,
            "TypeTestsStatus": "PASSED",
        }

    def list_types(
        self, query: dict[str, Any], token: str | None, limit: int | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        filters = query.get("Filters") or {}
        category = filters.get("Category")
        public = category in ("AWS_TYPES", "THIRD_PARTY") or (category is None and query.get("Visibility") == "PUBLIC")
        prefix = filters.get("TypeNamePrefix") or ""
        kind = query.get("Type")
        rows: SequencedList[_Row] = SequencedList()
        if public:
            if category != "THIRD_PARTY" and filters.get("PublisherId") in (None, catalog.PUBLISHER):
                for position, hook in enumerate(catalog.PUBLIC_HOOKS.values(), start=1):
                    rows.append(_Row(position, self._public_summary(hook)))
        else:
            for registered in self._ordered:
                if category == "REGISTERED" and registered.activated:
                    continue
                if category == "ACTIVATED" and not registered.activated:
                    continue
                if filters.get("PublisherId") is not None and registered.publisher_id != filters["PublisherId"]:
                    continue
                rows.append(_Row(registered.seq, self._summary(registered)))
        provisioning = query.get("ProvisioningType")
        deprecated = query.get("DeprecatedStatus") or "LIVE"

        def keep(row: _Row) -> bool:
            summary = row.summary
            if kind is not None and summary["Type"] != kind:
                return False
            if provisioning is not None and summary["Type"] != "RESOURCE":
                return False
            return deprecated == "LIVE" and str(summary["TypeName"]).startswith(prefix)

        binding = {"listing": "ListTypes", "namespace": [self.account_id, self.region_name], **query}
        try:
            page = paginate(rows, codec=self._codec, binding=binding, token=token, limit=limit, predicate=keep)
        except InvalidPageToken as error:
            raise ValidationError(error.message) from error
        return [row.summary for row in page.items], page.next_token

    def _summary(self, registered: RegistryType) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "Type": registered.type,
            "TypeName": registered.type_name,
            "TypeArn": registered.type_arn,
            "LastUpdated": registered.last_updated,
            "Description": registered.description,
        }
        if registered.activated:
            summary.update(
                {
                    "PublisherId": registered.publisher_id,
                    "OriginalTypeName": registered.original_type_name,
                    "PublicVersionNumber": registered.public_version_number,
                    "LatestPublicVersion": registered.public_version_number,
                    "PublisherName": "Amazon Web Services",
                    "IsActivated": True,
                }
            )
        else:
            summary["DefaultVersionId"] = registered.default_version_id
        return summary

    def _public_summary(self, hook: catalog.PublicHook) -> dict[str, Any]:
        return {
            "Type": "HOOK",
            "TypeName": hook.type_name,
            "TypeArn": hook.arn(self.partition, self.region_name),
            "Description": hook.description,
            "PublisherId": catalog.PUBLISHER,
            "PublicVersionNumber": hook.version,
            "LatestPublicVersion": hook.version,
            "PublisherName": "Amazon Web Services",
            "IsActivated": any(t.original_type_name == hook.type_name for t in self._ordered),
        }


@dataclass(frozen=True)
class _Row:
    seq: int
    summary: dict[str, Any]
