"""Schema handler packages: the zip ``cfn submit`` uploads, read from the mock's S3 at ``RegisterType``.

A package holds ``schema.json`` (the type's schema: ``typeName``, ``description``, ``sourceUrl``,
``documentationUrl``, ``typeConfiguration``, ``handlers``...) next to ``.rpdk-config`` and the handler
bundle. ``DescribeType`` answers from the schema; a Hook's ``ConfigurationSchema`` is CloudFormation's
Hook configuration schema with the schema's ``typeConfiguration`` as ``HookConfiguration.Properties``.

**Choice:** a package that is not in the mock's S3 (no such bucket or key) does not fail the
registration: the type gets the schema ``cfn init`` generates for a new project of its kind, so tests that
never upload a package keep working. A package that is there but unreadable fails the registration.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlparse

from .model import TypeDocument

_TARGET_NAME = {"type": "string", "minLength": 1, "maxLength": 256}
_STACK_NAME = {"type": "string", "pattern": "^[a-zA-Z][-a-zA-Z0-9]*$", "maxLength": 128}
_STACK_ROLE = {"type": "string", "pattern": "arn:.+:iam::[0-9]{12}:role/.+", "maxLength": 256}
_ACTION = {"type": "string", "enum": ["CREATE", "UPDATE", "DELETE"]}
_OPERATIONS = ("STACK", "RESOURCE", "CHANGE_SET", "CLOUD_CONTROL")
_POINT = {"type": "string", "enum": ["PRE_PROVISION"]}


def _names(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": True, "items": item}


def _include_exclude(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {"Include": _names(item), "Exclude": _names(item)},
    }


def hook_configuration_schema(type_name: str, type_configuration: dict[str, Any] | None) -> str:
    """CloudFormation's configuration schema of a Hook whose schema declares ``type_configuration``."""
    properties = dict(type_configuration or {"properties": {}, "additionalProperties": False})
    properties.setdefault("type", "object")
    properties["typeName"] = type_name
    hook_configuration = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "HookInvocationStatus": {"type": "string", "enum": ["ENABLED", "DISABLED"]},
            "TargetStacks": {"type": "string", "enum": ["ALL", "NONE"], "default": "NONE"},
            "TargetOperations": _names({"type": "string", "enum": list(_OPERATIONS)}),
            "FailureMode": {"type": "string", "enum": ["FAIL", "WARN"], "default": "WARN"},
            "EncryptionConfiguration": {"type": "object", "properties": {"KmsKeyId": {"type": "string"}}},
            "StackFilters": {
                "type": "object",
                "additionalProperties": False,
                "required": ["FilteringCriteria"],
                "properties": {
                    "FilteringCriteria": {"type": "string", "enum": ["ALL", "ANY"], "default": "ALL"},
                    "StackNames": _include_exclude(_STACK_NAME),
                    "StackRoles": _include_exclude(_STACK_ROLE),
                },
            },
            "TargetFilters": {
                "type": "object",
                "oneOf": [
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            "Actions": _names(_ACTION),
                            "TargetNames": _names(_TARGET_NAME),
                            "InvocationPoints": _names(_POINT),
                        },
                    },
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["Targets"],
                        "properties": {
                            "Targets": _names(
                                {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["TargetName", "Action", "InvocationPoint"],
                                    "properties": {
                                        "TargetName": _TARGET_NAME,
                                        "Action": _ACTION,
                                        "InvocationPoint": _POINT,
                                    },
                                }
                            )
                        },
                    },
                ],
            },
            "Properties": properties,
        },
    }
    return json.dumps(
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "CloudFormation Hook Type Configuration Schema",
            "type": "object",
            "additionalProperties": False,
            "required": ["CloudFormationConfiguration"],
            "properties": {
                "CloudFormationConfiguration": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["HookConfiguration"],
                    "properties": {"HookConfiguration": hook_configuration},
                }
            },
        }
    )


def init_schema(kind: str, type_name: str) -> dict[str, Any]:
    """The schema ``cfn init`` starts a new project of ``kind`` with (used when no package can be read)."""
    if kind == "HOOK":
        return {
            "typeName": type_name,
            "description": "Example resource SSE (Server Side Encryption) verification hook",
            "sourceUrl": "https://github.com/aws-cloudformation/example-sse-hook",
            "documentationUrl": "https://github.com/aws-cloudformation/example-sse-hook/blob/master/README.md",
            "typeConfiguration": {
                "properties": {
                    "EncryptionAlgorithm": {
                        "description": "Encryption algorithm for SSE",
                        "default": "AES256",
                        "type": "string",
                    }
                },
                "additionalProperties": False,
            },
            "required": [],
            "handlers": {
                point: {"targetNames": ["AWS::S3::Bucket"], "permissions": []}
                for point in ("preCreate", "preUpdate", "preDelete")
            },
            "additionalProperties": False,
        }
    if kind == "MODULE":
        return {
            "typeName": type_name,
            "description": f"Schema for Module Fragment of type {type_name}",
            "properties": {"Parameters": {"type": "object"}, "Resources": {"type": "object"}},
            "additionalProperties": True,
        }
    return {
        "typeName": type_name,
        "description": "An example resource schema demonstrating some basic constructs and validation rules.",
        "sourceUrl": "https://github.com/aws-cloudformation/aws-cloudformation-rpdk.git",
        "definitions": {},
        "properties": {"Title": {"type": "string"}},
        "additionalProperties": False,
        "required": ["Title"],
        "primaryIdentifier": ["/properties/Title"],
        "handlers": {h: {"permissions": []} for h in ("create", "read", "update", "delete", "list")},
    }


def document(kind: str, type_name: str, schema: dict[str, Any]) -> TypeDocument:
    """The ``TypeDocument`` of a type whose schema is ``schema``."""
    configuration = None
    if kind == "HOOK":
        type_configuration = schema.get("typeConfiguration")
        configuration = hook_configuration_schema(
            type_name, type_configuration if isinstance(type_configuration, dict) else None
        )
    return TypeDocument(
        schema=json.dumps(schema),
        configuration_schema=configuration,
        description=schema.get("description") if isinstance(schema.get("description"), str) else None,
        source_url=schema.get("sourceUrl") if isinstance(schema.get("sourceUrl"), str) else None,
        documentation_url=schema.get("documentationUrl") if isinstance(schema.get("documentationUrl"), str) else None,
    )


class PackageError(Exception):
    """The package is there but cannot be used: the registration fails with this message."""


def s3_location(url: str) -> tuple[str, str] | None:
    """(bucket, key) of an ``s3://`` or S3 ``https://`` URL, or None."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        return (parsed.netloc, parsed.path.lstrip("/")) if parsed.netloc and parsed.path.strip("/") else None
    if parsed.scheme != "https":
        return None
    host = parsed.netloc.split(":")[0]
    virtual = re.match(r"^(?P<bucket>.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$", host)
    if virtual:
        return virtual["bucket"], parsed.path.lstrip("/")
    if re.match(r"^s3[.-]([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$", host):
        bucket, _, key = parsed.path.lstrip("/").partition("/")
        return (bucket, key) if bucket and key else None
    return None


def fetch(account_id: str, partition: str, url: str) -> bytes | None:
    """The package's bytes from the mock's S3 in ``account_id``, or None when it is not there."""
    from moto.s3.models import s3_backends

    location = s3_location(url)
    if location is None:
        return None
    bucket, key = location
    try:
        found = s3_backends[account_id][partition].get_object(bucket, key)
    except Exception:  # no such bucket or key: moto raises its own S3 errors
        return None
    return bytes(found.value) if found is not None else None


def read(data: bytes, kind: str, type_name: str) -> TypeDocument:
    """The document of the package ``data`` for ``type_name``, or ``PackageError``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "schema.json" not in names:
                raise PackageError("The schema handler package has no schema.json")
            schema = json.loads(archive.read("schema.json"))
    except zipfile.BadZipFile as error:
        raise PackageError("The schema handler package is not a valid zip file") from error
    except ValueError as error:
        raise PackageError(f"schema.json is not valid JSON: {error}") from error
    if not isinstance(schema, dict):
        raise PackageError("schema.json must hold a JSON object")
    if schema.get("typeName") != type_name:
        raise PackageError(f"The typeName in schema.json ({schema.get('typeName')}) does not match '{type_name}'")
    return document(kind, type_name, schema)
