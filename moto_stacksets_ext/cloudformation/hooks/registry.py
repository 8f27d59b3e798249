"""The type registry of one account and region: ActivateType, RegisterType, SetTypeConfiguration & co.

Private types are registered through ``registrations.Registration`` (a moto state-manager model: the
version exists once the registration is ``COMPLETE``), public ones (AWS's managed Lambda and Guard
Hooks) activated, optionally under an alias. A Hook is invoked once it has a ``default`` configuration
that enables it (see ``invocation``). Rendering (DescribeType, ListTypes, ListTypeVersions) is in
``describe``; publishing (RegisterPublisher, TestType, PublishType) in ``publishing``.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.utilities.utils import get_partition

from ... import jsonsafe
from ...engine.clock import clock
from ...engine.errors import InvalidPageToken
from ...engine.pagination import SequencedList, TokenCodec, paginate
from ..exceptions import ValidationError
from . import catalog, packages
from .configuration import parse_configuration, validate_against
from .exceptions import CFNRegistryException, TypeConfigurationNotFoundException, TypeNotFoundException
from .model import HookConfiguration, RegistryType, TypeConfiguration, TypeDocument, TypeVersion
from .registrations import Registration

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


@dataclass(frozen=True)
class _TokenRow:
    seq: int
    token: str


class TypeRegistry:
    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.partition = get_partition(region_name)
        self._types: dict[str, RegistryType] = {}  # by type ARN (no version)
        self._ordered: SequencedList[RegistryType] = SequencedList()
        self._registrations: dict[str, Registration] = {}
        self._registration_rows: SequencedList[_TokenRow] = SequencedList()
        self._pending: list[Registration] = []
        self._seq = itertools.count(1)
        self.codec = TokenCodec()
        self.publisher_id: str | None = None
        self.publisher_connection: str | None = None

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

    # -- registrations in flight ------------------------------------------------------------------------
    def settle(self) -> None:
        """Install the versions of registrations that have completed (moto's state manager decides when)."""
        if not self._pending:
            return
        still: list[Registration] = []
        for registration in self._pending:
            progress = registration.progress
            if progress == "IN_PROGRESS":
                still.append(registration)
            elif progress == "COMPLETE":
                self._install(registration)
        self._pending = still

    def _install(self, registration: Registration) -> None:
        registration.installed = True
        now = clock.now()
        found = self._types.get(registration.type_arn)
        if found is None:
            found = self._add(
                RegistryType(
                    seq=next(self._seq),
                    type=registration.kind,
                    type_name=registration.type_name,
                    type_arn=registration.type_arn,
                    time_created=registration.created,
                    last_updated=now,
                    default_version_id=registration.version_id,
                )
            )
        found.versions[registration.version_id] = TypeVersion(
            registration.version_id,
            registration.created,
            document=registration.document,
            execution_role_arn=registration.execution_role_arn,
            logging_config=registration.logging_config,
        )
        if found.default_version_id not in found.versions:
            found.default_version_id = registration.version_id
        found.last_updated = now

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
        self.settle()
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

    def find_version(self, ref: TypeRef, version_id: str | None) -> tuple[RegistryType, TypeVersion]:
        found, arn_version = self.find(ref)
        version = version_id or arn_version or found.default_version_id
        if version not in found.versions:
            raise TypeNotFoundException.named(f"{found.type_name}/{version}")
        return found, found.versions[version]

    def types(self) -> Iterator[RegistryType]:
        self.settle()
        return iter(self._ordered)

    def hooks(self) -> list[RegistryType]:
        """The Hook types that may run: those with a configuration enabling them."""
        return [
            t
            for t in self.types()
            if t.type == "HOOK" and t.hook_configuration is not None and t.hook_configuration.parsed.enabled
        ]

    def hooks_by_name(self, type_name: str) -> RegistryType | None:
        self.settle()
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
        self.settle()
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
        version = TypeVersion(
            "00000001",
            now,
            document=TypeDocument(
                schema=hook.schema,
                configuration_schema=hook.configuration_schema,
                description=hook.description,
                source_url=hook.source_url,
                documentation_url=hook.documentation_url,
            ),
            execution_role_arn=execution_role_arn,
            logging_config=logging_config,
        )
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
                auto_update=True if auto_update is None else auto_update,
                versions={"00000001": version},
            )
        )

    def deactivate(self, ref: TypeRef) -> None:
        found, _ = self.find(ref)
        if not found.activated:
            raise CFNRegistryException(
                f"Type '{found.type_name}' is a registered private type: use DeregisterType to remove it"
            )
        self._drop(found)

    # -- RegisterType / DescribeTypeRegistration / ListTypeRegistrations --------------------------------
    def register(
        self,
        *,
        kind: str,
        type_name: str,
        schema_handler_package: str,
        execution_role_arn: str | None,
        logging_config: dict[str, str] | None,
        document: TypeDocument | None = None,
    ) -> Registration:
        """Register a version of a private type; ``document`` (a loaded project's schema) stands for the package."""
        self.settle()
        if type_name.split("::", 1)[0] in RESERVED_NAMESPACES:
            raise CFNRegistryException("TypeName is invalid")
        if not schema_handler_package.startswith(("s3://", "https://")):
            raise CFNRegistryException("SchemaHandlerPackage must be an S3 URL (s3://bucket/key)")
        arn = self.type_arn(kind, type_name)
        found = self._types.get(arn)
        if found is not None and found.activated:
            raise CFNRegistryException(f"Type '{type_name}' already exists in this account and Region")
        read = document or self._read_package(kind, type_name, schema_handler_package)
        failure = read if isinstance(read, str) else None
        used_document = read if isinstance(read, TypeDocument) else TypeDocument()
        used = [int(v) for v in (found.versions if found is not None else {})]
        used += [int(r.version_id) for r in self._registrations.values() if r.type_arn == arn]
        registration = Registration(
            token=str(uuid.uuid4()),
            kind=kind,
            type_name=type_name,
            type_arn=arn,
            version_id=_version_id(max(used, default=0) + 1),
            created=clock.now(),
            document=used_document,
            execution_role_arn=execution_role_arn,
            logging_config=logging_config,
            failure=failure,
        )
        self._registrations[registration.token] = registration
        self._registration_rows.append(_TokenRow(len(self._registration_rows) + 1, registration.token))
        self._pending.append(registration)
        return registration

    def _read_package(self, kind: str, type_name: str, url: str) -> TypeDocument | str:
        """The package's document, the ``cfn init`` one when it is not in the mock's S3, or why it is unusable."""
        data = packages.fetch(self.account_id, self.partition, url)
        if data is None:
            return packages.document(kind, type_name, packages.init_schema(kind, type_name))
        try:
            return packages.read(data, kind, type_name)
        except packages.PackageError as error:
            return str(error)

    def registration(self, token: str, *, advance: bool = False) -> Registration:
        found = self._registrations.get(token)
        if found is None:
            raise CFNRegistryException(f"Registration token '{token}' is not found")
        if advance:
            found.advance()
        self.settle()
        return found

    def list_registrations(
        self, ref: TypeRef, status: str | None, token: str | None, limit: int | None
    ) -> tuple[list[str], str | None]:
        self.settle()
        arn: str | None = None
        if ref.arn is not None:
            arn = self._split_arn(ref.arn)[0]
        elif ref.type_name is not None and ref.type is not None:
            arn = self.type_arn(ref.type, ref.type_name)
        elif ref.type_name is not None or ref.type is not None:
            raise ValidationError("Either TypeArn, or TypeName and Type, must be specified")
        wanted = status or "IN_PROGRESS"

        def keep(row: _TokenRow) -> bool:
            registration = self._registrations[row.token]
            return (arn is None or registration.type_arn == arn) and registration.progress == wanted

        binding: dict[str, object] = {
            "listing": "ListTypeRegistrations",
            "namespace": [self.account_id, self.region_name],
            "arn": arn,
            "status": wanted,
        }
        try:
            page = paginate(
                self._registration_rows, codec=self.codec, binding=binding, token=token, limit=limit, predicate=keep
            )
        except InvalidPageToken as error:
            raise ValidationError(error.message) from error
        return [row.token for row in page.items], page.next_token

    # -- DeregisterType / SetTypeDefaultVersion ---------------------------------------------------------
    def deregister(self, ref: TypeRef, version_id: str | None) -> None:
        try:
            found, arn_version = self.find(ref)
        except TypeNotFoundException:
            if ref.arn is not None:  # as AWS answers for an ARN naming no registered type or version
                raise CFNRegistryException("TypeName is invalid") from None
            raise
        if found.activated:
            raise CFNRegistryException(f"Type '{found.type_name}' is an activated public type: use DeactivateType")
        version = version_id or arn_version
        if version is not None:
            if version not in found.versions:
                raise CFNRegistryException("TypeName is invalid")
            if version == found.default_version_id:
                raise CFNRegistryException(
                    f"Version '{version}' is the default version and cannot be deregistered. "
                    f"Deregister the resource type '{found.type_name}' instead."
                )
            del found.versions[version]
            found.last_updated = clock.now()
            return
        if len(found.versions) > 1:
            raise CFNRegistryException(
                "This type has more than one active version. Please deregister non-default active versions "
                "before attempting to deregister the type."
            )
        self._drop(found)

    def set_default_version(self, ref: TypeRef, version_id: str | None) -> None:
        found, arn_version = self.find(ref)
        version = version_id or arn_version
        if version is None:
            raise ValidationError("A version must be specified: a version ARN, or TypeName, Type and VersionId")
        if found.activated:
            raise CFNRegistryException(f"Type '{found.type_name}' is an activated public type: use ActivateType")
        if version not in found.versions:
            raise TypeNotFoundException.named(f"{found.type_name}/{version}")
        found.default_version_id = version
        found.last_updated = clock.now()

    # -- configuration ----------------------------------------------------------------------------------
    def set_configuration(self, ref: TypeRef, configuration: str, alias: str | None) -> str:
        found, _ = self.find(ref)
        alias = alias or "default"
        if found.type == "HOOK":
            parsed = parse_configuration(configuration)
            schema = found.document.configuration_schema
            if schema is not None:
                validate_against(jsonsafe.loads(configuration), json.loads(schema))
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

    def remove_configuration(self, ref: TypeRef, alias: str | None) -> None:
        """Drop a configuration (a declared ``AWS::CloudFormation::HookTypeConfig`` being deleted)."""
        try:
            found, _ = self.find(ref)
        except TypeNotFoundException:
            return  # the type went first (deactivated or deregistered): its configuration with it
        found.configurations.pop(alias or "default", None)
        found.last_updated = clock.now()

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
                        "Alias": name,
                        "Arn": self.configuration_arn(found, name),
                        "Configuration": configuration.configuration if configuration else "{}",
                        "LastUpdated": configuration.last_updated if configuration else None,
                        "TypeArn": found.type_arn,
                    }
                )
        return details
