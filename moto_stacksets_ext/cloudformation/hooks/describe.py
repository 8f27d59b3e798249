"""Rendering the registry: DescribeType, ListTypes and ListTypeVersions (shapes as recorded on AWS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...engine.errors import InvalidPageToken
from ...engine.pagination import SequencedList, paginate
from ..exceptions import ValidationError
from . import catalog
from .exceptions import TypeNotFoundException
from .registry import TypeRef, TypeRegistry


@dataclass(frozen=True)
class _Row:
    seq: int
    summary: dict[str, Any]


def describe_type(
    registry: TypeRegistry, ref: TypeRef, version_id: str | None, publisher_id: str | None
) -> dict[str, Any]:
    """DescribeType. ``TypeTestsStatus`` only when a version was asked for (as AWS answers)."""
    if publisher_id is not None and ref.type_name is not None and ref.arn is None:
        hook = catalog.PUBLIC_HOOKS.get(ref.type_name)
        if publisher_id != catalog.PUBLISHER or hook is None:
            raise TypeNotFoundException.named(ref.type_name)
        return _describe_public(registry, hook)
    public = catalog.by_arn(ref.arn) if ref.arn is not None and ref.arn.split(":")[4:5] == [""] else None
    if public is not None:  # a public ARN (no account)
        return _describe_public(registry, public)
    found, version = registry.find_version(ref, version_id)
    document = version.document
    described: dict[str, Any] = {
        "Arn": found.version_arn(version.version_id),
        "Type": found.type,
        "TypeName": found.type_name,
        "DefaultVersionId": found.default_version_id,
        "IsDefaultVersion": version.version_id == found.default_version_id,
        "Description": document.description,
        "Schema": document.schema,
        "DeprecatedStatus": "LIVE",
        "LoggingConfig": version.logging_config,
        "ExecutionRoleArn": version.execution_role_arn,
        "Visibility": "PUBLIC" if found.activated else "PRIVATE",
        "SourceUrl": document.source_url,
        "DocumentationUrl": document.documentation_url,
        "LastUpdated": found.last_updated,
        "TimeCreated": version.time_created,
        "ConfigurationSchema": document.configuration_schema,
    }
    if version_id is not None or (ref.arn is not None and ref.arn.rstrip("/").count("/") >= 3):
        described["TypeTestsStatus"] = version.tests_status
    if found.type == "RESOURCE":
        described["ProvisioningType"] = "FULLY_MUTABLE"
    if version.public_type_arn is not None:
        described["PublisherId"] = registry.publisher_id
        described["PublicVersionNumber"] = found.public_version_number
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
        described.pop("TypeTestsStatus", None)
    return described


def _describe_public(registry: TypeRegistry, hook: catalog.PublicHook) -> dict[str, Any]:
    activated = any(t.original_type_name == hook.type_name for t in registry.types())
    return {
        "Arn": hook.arn(registry.partition, registry.region_name),
        "Type": "HOOK",
        "TypeName": hook.type_name,
        "Description": hook.description,
        "Schema": hook.schema,
        "ConfigurationSchema": hook.configuration_schema,
        "SourceUrl": hook.source_url,
        "DocumentationUrl": hook.documentation_url,
        "DeprecatedStatus": "LIVE",
        "Visibility": "PUBLIC",
        "PublisherId": catalog.PUBLISHER,
        "PublicVersionNumber": hook.version,
        "LatestPublicVersion": hook.version,
        "IsActivated": activated,
    }


def list_types(
    registry: TypeRegistry, query: dict[str, Any], token: str | None, limit: int | None
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
                rows.append(_Row(position, _public_summary(registry, hook)))
    else:
        for registered in registry.types():
            if category == "REGISTERED" and registered.activated:
                continue
            if category == "ACTIVATED" and not registered.activated:
                continue
            if filters.get("PublisherId") is not None and registered.publisher_id != filters["PublisherId"]:
                continue
            rows.append(_Row(registered.seq, _summary(registered)))
    provisioning = query.get("ProvisioningType")
    deprecated = query.get("DeprecatedStatus") or "LIVE"

    def keep(row: _Row) -> bool:
        summary = row.summary
        if kind is not None and summary["Type"] != kind:
            return False
        if provisioning is not None and summary["Type"] != "RESOURCE":
            return False
        return deprecated == "LIVE" and str(summary["TypeName"]).startswith(prefix)

    binding = {"listing": "ListTypes", "namespace": [registry.account_id, registry.region_name], **query}
    try:
        page = paginate(rows, codec=registry.codec, binding=binding, token=token, limit=limit, predicate=keep)
    except InvalidPageToken as error:
        raise ValidationError(error.message) from error
    return [row.summary for row in page.items], page.next_token


def _summary(registered: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "Type": registered.type,
        "TypeName": registered.type_name,
        "TypeArn": registered.type_arn,
        "LastUpdated": registered.last_updated,
        "Description": registered.document.description,
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


def _public_summary(registry: TypeRegistry, hook: catalog.PublicHook) -> dict[str, Any]:
    return {
        "Type": "HOOK",
        "TypeName": hook.type_name,
        "TypeArn": hook.arn(registry.partition, registry.region_name),
        "Description": hook.description,
        "PublisherId": catalog.PUBLISHER,
        "PublicVersionNumber": hook.version,
        "LatestPublicVersion": hook.version,
        "PublisherName": "Amazon Web Services",
        "IsActivated": any(t.original_type_name == hook.type_name for t in registry.types()),
    }


def list_type_versions(
    registry: TypeRegistry, ref: TypeRef, deprecated: str | None, token: str | None, limit: int | None
) -> tuple[list[dict[str, Any]], str | None]:
    """ListTypeVersions: oldest first, with ``IsDefaultVersion``."""
    found, _ = registry.find(ref)
    rows: SequencedList[_Row] = SequencedList()
    if (deprecated or "LIVE") == "LIVE":
        for version_id in sorted(found.versions):
            version = found.versions[version_id]
            summary: dict[str, Any] = {
                "Type": found.type,
                "TypeName": found.type_name,
                "VersionId": version_id,
                "IsDefaultVersion": version_id == found.default_version_id,
                "Arn": found.type_arn if found.activated else found.version_arn(version_id),
                "TimeCreated": version.time_created,
                "Description": version.document.description,
            }
            if found.activated:
                summary["PublicVersionNumber"] = found.public_version_number
            rows.append(_Row(int(version_id), summary))
    binding = {
        "listing": "ListTypeVersions",
        "namespace": [registry.account_id, registry.region_name],
        "type": found.type_arn,
        "deprecated": deprecated,
    }
    try:
        page = paginate(rows, codec=registry.codec, binding=binding, token=token, limit=limit)
    except InvalidPageToken as error:
        raise ValidationError(error.message) from error
    return [row.summary for row in page.items], page.next_token
