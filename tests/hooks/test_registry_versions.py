"""Type versions and registrations: ListTypeRegistrations, ListTypeVersions, SetTypeDefaultVersion,
DeregisterType by version, the registration's progression, schema packages and publishing."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.moto_api import state_manager

from moto_stacksets_ext.cloudformation.hooks.registrations import MODEL_NAME

from support import ADMIN, REGION, error_of

NAME = "MyCompany::Testing::Module::MODULE"
HOOK = "MyCompany::Testing::EncryptionHook"
HOOK_ARN = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-EncryptionHook"
HOOK_SCHEMA = {
    "typeName": HOOK,
    "description": "Checks that buckets are encrypted",
    "sourceUrl": "https://example.com/encryption-hook",
    "documentationUrl": "https://example.com/encryption-hook/README.md",
    "typeConfiguration": {
        "properties": {"EncryptionAlgorithm": {"type": "string", "enum": ["AES256", "aws:kms"]}},
        "required": ["EncryptionAlgorithm"],
        "additionalProperties": False,
    },
    "handlers": {"preCreate": {"targetNames": ["AWS::S3::Bucket"], "permissions": []}},
    "additionalProperties": False,
}


@pytest.fixture
def registration_progression() -> Iterator[None]:
    yield
    state_manager.unset_transition(MODEL_NAME)


def register(cf: Any, kind: str = "MODULE", name: str = NAME, package: str = "s3://bucket/package.zip") -> str:
    token = cf.register_type(Type=kind, TypeName=name, SchemaHandlerPackage=package)["RegistrationToken"]
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    return str(token)


def package(schema: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
        archive.writestr(".rpdk-config", json.dumps({"typeName": schema.get("typeName"), "artifact_type": "HOOK"}))
        archive.writestr("ResourceProvider.zip", b"")
    return buffer.getvalue()


def test_versions_default_version_and_deregistering_by_version(cf: Any) -> None:
    register(cf)
    register(cf)
    versions = cf.list_type_versions(Type="MODULE", TypeName=NAME)["TypeVersionSummaries"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [("00000001", True), ("00000002", False)]
    assert set(versions[0]) == {
        "Arn",
        "Description",
        "IsDefaultVersion",
        "TimeCreated",
        "Type",
        "TypeName",
        "VersionId",
    }
    first_arn, second_arn = versions[0]["Arn"], versions[1]["Arn"]
    assert second_arn.endswith(":type/module/MyCompany-Testing-Module-MODULE/00000002")
    cf.set_type_default_version(Arn=second_arn)
    assert [
        v["IsDefaultVersion"] for v in cf.list_type_versions(Arn=second_arn.rsplit("/", 1)[0])["TypeVersionSummaries"]
    ] == [False, True]
    with pytest.raises(ClientError) as excinfo:
        cf.deregister_type(Type="MODULE", TypeName=NAME)
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    assert excinfo.value.response["Error"]["Message"].startswith("This type has more than one active version.")
    # An ARN naming no registered type or version: "TypeName is invalid" (as recorded on AWS).
    for invalid in (second_arn.replace("/00000002", "99999999"), second_arn.replace("/00000002", "/00000099")):
        with pytest.raises(ClientError) as excinfo:
            cf.deregister_type(Arn=invalid)
        assert error_of(excinfo) == ("CFNRegistryException", 400)
        assert excinfo.value.response["Error"]["Message"] == "TypeName is invalid"
    cf.deregister_type(Arn=first_arn)
    # The only version left is the default: not by its version ARN...
    with pytest.raises(ClientError) as excinfo:
        cf.deregister_type(Arn=second_arn)
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    assert excinfo.value.response["Error"]["Message"] == (
        f"Version '00000002' is the default version and cannot be deregistered. Deregister the resource type "
        f"'{NAME}' instead."
    )
    # ...but the type itself.
    cf.deregister_type(Type="MODULE", TypeName=NAME)
    with pytest.raises(ClientError) as excinfo:
        cf.list_type_versions(Type="MODULE", TypeName=NAME)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        cf.set_type_default_version(Arn=second_arn)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)


def test_list_type_versions_pages_oldest_first(cf: Any) -> None:
    for _ in range(3):
        register(cf)
    paginator = cf.get_paginator("list_type_versions") if cf.can_paginate("list_type_versions") else None
    pages = []
    token = None
    while True:
        kwargs = {"Type": "MODULE", "TypeName": NAME, "MaxResults": 2}
        page = cf.list_type_versions(**kwargs, **({"NextToken": token} if token else {}))
        pages.append([v["VersionId"] for v in page["TypeVersionSummaries"]])
        token = page.get("NextToken")
        if not token:
            break
    assert pages == [["00000001", "00000002"], ["00000003"]]
    if paginator is not None:
        listed = [
            v["VersionId"] for p in paginator.paginate(Type="MODULE", TypeName=NAME) for v in p["TypeVersionSummaries"]
        ]
        assert listed == ["00000001", "00000002", "00000003"]


def test_registration_progresses_through_the_state_manager(cf: Any, registration_progression: None) -> None:
    state_manager.set_transition(MODEL_NAME, {"progression": "manual", "times": 2})
    token = cf.register_type(Type="HOOK", TypeName=HOOK, SchemaHandlerPackage="s3://bucket/hook.zip")[
        "RegistrationToken"
    ]
    in_progress = cf.describe_type_registration(RegistrationToken=token)
    assert in_progress["ProgressStatus"] == "IN_PROGRESS"
    assert "Description" not in in_progress
    assert (in_progress["TypeArn"], in_progress["TypeVersionArn"]) == (HOOK_ARN, f"{HOOK_ARN}/00000001")
    assert cf.list_type_registrations(Type="HOOK", TypeName=HOOK)["RegistrationTokenList"] == [token]
    with pytest.raises(ClientError) as excinfo:
        cf.describe_type(Type="HOOK", TypeName=HOOK)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
    assert excinfo.value.response["Error"]["Message"] == f"The type '{HOOK}' cannot be found."
    complete = cf.describe_type_registration(RegistrationToken=token)
    assert complete["ProgressStatus"] == "COMPLETE"
    assert complete["Description"]
    assert cf.describe_type(Type="HOOK", TypeName=HOOK)["Arn"] == f"{HOOK_ARN}/00000001"
    # After completion the default filter (IN_PROGRESS) lists nothing, as recorded on AWS.
    assert cf.list_type_registrations(TypeName=HOOK, Type="HOOK")["RegistrationTokenList"] == []
    assert cf.list_type_registrations(TypeArn=HOOK_ARN, RegistrationStatusFilter="COMPLETE")[
        "RegistrationTokenList"
    ] == [token]


def test_immediate_registration_completes_for_the_waiter(cf: Any) -> None:
    token = register(cf, "HOOK", HOOK)
    assert cf.describe_type_registration(RegistrationToken=token)["ProgressStatus"] == "COMPLETE"
    assert cf.list_type_registrations(RegistrationStatusFilter="COMPLETE")["RegistrationTokenList"] == [token]


def test_describe_type_fields_as_recorded(cf: Any) -> None:
    register(cf, "HOOK", HOOK)
    described = cf.describe_type(Type="HOOK", TypeName=HOOK)
    assert "TypeTestsStatus" not in described
    assert described["SourceUrl"].startswith("https://") and described["DocumentationUrl"].startswith("https://")
    assert described["Description"] == json.loads(described["Schema"])["description"]
    assert json.loads(described["ConfigurationSchema"])["properties"]["CloudFormationConfiguration"]
    assert cf.describe_type(Type="HOOK", TypeName=HOOK, VersionId="00000001")["TypeTestsStatus"] == "NOT_TESTED"
    role = f"arn:aws:iam::{ADMIN}:role/Provisioner"
    token = cf.register_type(
        Type="RESOURCE",
        TypeName="MyCompany::Testing::Thing",
        SchemaHandlerPackage="s3://b/r.zip",
        ExecutionRoleArn=role,
    )["RegistrationToken"]
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    resource = cf.describe_type(Type="RESOURCE", TypeName="MyCompany::Testing::Thing")
    assert (resource["ExecutionRoleArn"], resource["ProvisioningType"]) == (role, "FULLY_MUTABLE")
    assert resource["SourceUrl"].startswith("https://")
    assert "TypeTestsStatus" not in resource


def test_schema_package_from_the_mock_s3(cf: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="hook-packages")
    s3.put_object(Bucket="hook-packages", Key="hook.zip", Body=package(HOOK_SCHEMA))
    register(cf, "HOOK", HOOK, "s3://hook-packages/hook.zip")
    described = cf.describe_type(Arn=HOOK_ARN)
    assert json.loads(described["Schema"]) == HOOK_SCHEMA
    assert (described["SourceUrl"], described["DocumentationUrl"], described["Description"]) == (
        "https://example.com/encryption-hook",
        "https://example.com/encryption-hook/README.md",
        "Checks that buckets are encrypted",
    )
    properties = json.loads(described["ConfigurationSchema"])["properties"]["CloudFormationConfiguration"][
        "properties"
    ]["HookConfiguration"]["properties"]["Properties"]
    assert properties["required"] == ["EncryptionAlgorithm"] and properties["typeName"] == HOOK

    def configure(props: dict[str, Any]) -> str:
        hook_configuration = {"HookInvocationStatus": "ENABLED", "FailureMode": "FAIL", "Properties": props}
        document = {"CloudFormationConfiguration": {"HookConfiguration": hook_configuration}}
        return str(cf.set_type_configuration(TypeArn=HOOK_ARN, Configuration=json.dumps(document))["ConfigurationArn"])

    for bad, fragment in (
        ({}, "required key [EncryptionAlgorithm] not found"),
        ({"EncryptionAlgorithm": "DES"}, '"DES" is not a valid enum value'),
        ({"EncryptionAlgorithm": "AES256", "Other": 1}, "extraneous key [Other] is not permitted"),
    ):
        with pytest.raises(ClientError) as excinfo:
            configure(bad)
        assert error_of(excinfo) == ("CFNRegistryException", 400)
        message = excinfo.value.response["Error"]["Message"]
        assert "#/CloudFormationConfiguration/HookConfiguration/Properties" in message and fragment in message
    assert configure({"EncryptionAlgorithm": "aws:kms"}).endswith(
        ":type-configuration/hook/MyCompany-Testing-EncryptionHook/default"
    )


def test_unreadable_package_fails_the_registration(cf: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="hook-packages")
    s3.put_object(Bucket="hook-packages", Key="broken.zip", Body=b"not a zip")
    s3.put_object(Bucket="hook-packages", Key="other.zip", Body=package({**HOOK_SCHEMA, "typeName": "A::B::C"}))
    for key, reason in (("broken.zip", "not a valid zip"), ("other.zip", "does not match")):
        token = cf.register_type(Type="HOOK", TypeName=HOOK, SchemaHandlerPackage=f"s3://hook-packages/{key}")[
            "RegistrationToken"
        ]
        assert cf.describe_type_registration(RegistrationToken=token)["ProgressStatus"] == "IN_PROGRESS"
        registration = cf.describe_type_registration(RegistrationToken=token)
        assert registration["ProgressStatus"] == "FAILED"
        assert reason in registration["Description"]
        assert cf.list_type_registrations(RegistrationStatusFilter="FAILED")["RegistrationTokenList"][-1] == token
    with pytest.raises(ClientError) as excinfo:
        cf.describe_type(Type="HOOK", TypeName=HOOK)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)


def test_publishing_a_private_extension(cf: Any) -> None:
    register(cf, "HOOK", HOOK)
    with pytest.raises(ClientError) as excinfo:
        cf.describe_publisher()
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    publisher = cf.register_publisher(AcceptTermsAndConditions=True)["PublisherId"]
    assert len(publisher) == 40 and cf.register_publisher()["PublisherId"] == publisher
    assert cf.describe_publisher()["PublisherId"] == publisher
    with pytest.raises(ClientError) as excinfo:
        cf.publish_type(Arn=HOOK_ARN)
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    assert cf.test_type(Arn=HOOK_ARN)["TypeVersionArn"] == f"{HOOK_ARN}/00000001"
    assert cf.describe_type(Arn=f"{HOOK_ARN}/00000001")["TypeTestsStatus"] == "PASSED"
    public = cf.publish_type(Arn=HOOK_ARN, PublicVersionNumber="1.0.0")["PublicTypeArn"]
    assert public == f"arn:aws:cloudformation:{REGION}::type/hook/{publisher}/MyCompany-Testing-EncryptionHook/1.0.0"
    with pytest.raises(ClientError) as excinfo:
        cf.publish_type(Arn=HOOK_ARN, PublicVersionNumber="1.0.0")
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    cf.record_handler_progress(BearerToken="token", OperationStatus="SUCCESS")


def test_every_registry_action_is_served(cf: Any) -> None:
    """No Hooks or registry action of botocore's model reaches moto's NotImplementedError."""
    from moto_stacksets_ext.cloudformation.responses import StackSetsResponse

    registry_actions = {
        "ActivateType", "BatchDescribeTypeConfigurations", "DeactivateType", "DeregisterType", "DescribePublisher",
        "DescribeType", "DescribeTypeRegistration", "ListTypeRegistrations", "ListTypeVersions", "ListTypes",
        "PublishType", "RegisterPublisher", "RegisterType", "SetTypeConfiguration", "SetTypeDefaultVersion",
        "TestType", "RecordHandlerProgress", "ListHookResults", "GetHookResult", "DescribeChangeSetHooks",
    }  # fmt: skip
    assert registry_actions <= set(cf.meta.service_model.operation_names)
    assert registry_actions <= StackSetsResponse.SERVED


def test_registry_in_server_mode(server_cf: Any) -> None:
    token = server_cf.register_type(Type="MODULE", TypeName=NAME, SchemaHandlerPackage="s3://bucket/p.zip")[
        "RegistrationToken"
    ]
    server_cf.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    assert server_cf.list_type_registrations(Type="MODULE", TypeName=NAME)["RegistrationTokenList"] == []
    (version,) = server_cf.list_type_versions(Type="MODULE", TypeName=NAME)["TypeVersionSummaries"]
    server_cf.set_type_default_version(Arn=version["Arn"])
    with pytest.raises(ClientError) as excinfo:
        server_cf.deregister_type(Arn=version["Arn"])
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    server_cf.deregister_type(Type="MODULE", TypeName=NAME)
