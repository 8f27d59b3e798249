"""Publishing private extensions: RegisterPublisher, DescribePublisher, TestType and PublishType.

**Choices** (AWS's answers here are not recorded): the publisher id of an account is 40 hex digits
derived from it; ``RegisterPublisher`` again returns the same id. ``TestType`` does not run contract tests:
the version's ``TypeTestsStatus`` becomes ``PASSED`` at once. ``PublishType`` needs a registered
publisher and a ``PASSED`` version, and answers the public ARN
``arn:aws:cloudformation:<region>::type/<kind>/<publisher id>/<Type-Name>/<version>``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .exceptions import CFNRegistryException
from .registry import TypeRef, TypeRegistry


def register_publisher(registry: TypeRegistry, connection_arn: str | None) -> str:
    if registry.publisher_id is None:
        registry.publisher_id = hashlib.sha1(registry.account_id.encode(), usedforsecurity=False).hexdigest()
    if connection_arn is not None:
        registry.publisher_connection = connection_arn
    return registry.publisher_id


def describe_publisher(registry: TypeRegistry, publisher_id: str | None) -> dict[str, Any]:
    if registry.publisher_id is None or publisher_id not in (None, registry.publisher_id):
        raise CFNRegistryException(f"Publisher '{publisher_id or registry.account_id}' is not registered")
    described: dict[str, Any] = {
        "PublisherId": registry.publisher_id,
        "PublisherStatus": "VERIFIED" if registry.publisher_connection else "UNVERIFIED",
    }
    if registry.publisher_connection is not None:
        described["IdentityProvider"] = "GitHub" if ":connection/" in registry.publisher_connection else None
    return described


def test_type(registry: TypeRegistry, ref: TypeRef, version_id: str | None) -> str:
    found, version = registry.find_version(ref, version_id)
    if found.activated:
        raise CFNRegistryException(f"Type '{found.type_name}' is an activated public type and cannot be tested")
    version.tests_status = "PASSED"
    return found.version_arn(version.version_id)


def publish_type(registry: TypeRegistry, ref: TypeRef, public_version_number: str | None) -> str:
    if registry.publisher_id is None:
        raise CFNRegistryException("The account must be registered as a publisher (RegisterPublisher) first")
    found, version = registry.find_version(ref, None)
    if found.activated:
        raise CFNRegistryException(f"Type '{found.type_name}' is an activated public type and cannot be published")
    if version.tests_status != "PASSED":
        raise CFNRegistryException(
            f"Type version '{found.version_arn(version.version_id)}' must pass testing (TestType) before it is "
            f"published; its TypeTestsStatus is {version.tests_status}"
        )
    number = public_version_number or "1.0.0"
    published = {v.public_type_arn for v in found.versions.values() if v.public_type_arn}
    arn = (
        f"arn:{registry.partition}:cloudformation:{registry.region_name}::type/{found.type.lower()}/"
        f"{registry.publisher_id}/{found.type_name.replace('::', '-')}/{number}"
    )
    if arn in published:
        raise CFNRegistryException(f"Version {number} of type '{found.type_name}' is already published")
    version.public_type_arn = arn
    found.public_version_number = number
    return arn
