"""The type registry: activating, registering and configuring Hooks, per account and region."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from support import ADMIN, REGION, error_of

ROLE = f"arn:aws:iam::{ADMIN}:role/HookExecution"
ALIAS = "Private::Lambda::MyTestHook"
ALIAS_ARN = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/Private-Lambda-MyTestHook"
CONFIG = json.dumps(
    {
        "CloudFormationConfiguration": {
            "HookConfiguration": {
                "HookInvocationStatus": "ENABLED",
                "TargetOperations": ["CHANGE_SET", "RESOURCE"],
                "FailureMode": "FAIL",
                "Properties": {"LambdaFunction": f"arn:aws:lambda:{REGION}:{ADMIN}:function:check"},
            }
        }
    }
)


def activate(cf: Any) -> str:
    return str(
        cf.activate_type(
            Type="HOOK",
            TypeName="AWS::Hooks::LambdaHook",
            PublisherId="aws-hooks",
            TypeNameAlias=ALIAS,
            ExecutionRoleArn=ROLE,
        )["Arn"]
    )


def test_activate_a_managed_lambda_hook_and_configure_it(cf: Any) -> None:
    assert activate(cf) == ALIAS_ARN
    configuration_arn = cf.set_type_configuration(TypeArn=ALIAS_ARN, Configuration=CONFIG)["ConfigurationArn"]
    assert configuration_arn == (
        f"arn:aws:cloudformation:{REGION}:{ADMIN}:type-configuration/hook/Private-Lambda-MyTestHook/default"
    )
    described = cf.describe_type(Type="HOOK", TypeName=ALIAS)
    assert described["Arn"] == ALIAS_ARN
    assert (described["Type"], described["TypeName"], described["OriginalTypeName"]) == (
        "HOOK",
        ALIAS,
        "AWS::Hooks::LambdaHook",
    )
    assert (described["PublisherId"], described["IsActivated"], described["ExecutionRoleArn"]) == (
        "aws-hooks",
        True,
        ROLE,
    )
    assert described["OriginalTypeArn"] == f"arn:aws:cloudformation:{REGION}::type/hook/aws-hooks/AWS-Hooks-LambdaHook"
    assert "ProvisioningType" not in described
    assert json.loads(described["ConfigurationSchema"])["type"] == "object"
    batch = cf.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{"TypeArn": ALIAS_ARN}])
    assert (batch["Errors"], batch["UnprocessedTypeConfigurations"]) == ([], [])
    (details,) = batch["TypeConfigurations"]
    # Exactly the members AWS answers (recorded): no TypeName, no IsDefaultConfiguration.
    assert set(details) == {"Alias", "Arn", "Configuration", "LastUpdated", "TypeArn"}
    assert (details["Alias"], details["Arn"], details["TypeArn"]) == ("default", configuration_arn, ALIAS_ARN)
    assert json.loads(details["Configuration"]) == json.loads(CONFIG)
    by_arn = cf.batch_describe_type_configurations(
        TypeConfigurationIdentifiers=[{"TypeConfigurationArn": configuration_arn}]
    )
    assert by_arn["TypeConfigurations"][0]["Arn"] == configuration_arn


def test_activation_by_public_arn_and_guard_hook(cf: Any) -> None:
    arn = cf.activate_type(
        PublicTypeArn=f"arn:aws:cloudformation:{REGION}::type/hook/aws-hooks/AWS-Hooks-GuardHook",
        TypeNameAlias="My::Guard::Hook",
    )["Arn"]
    assert arn.endswith(":type/hook/My-Guard-Hook")
    assert (
        cf.activate_type(
            Type="HOOK", TypeName="AWS::Hooks::GuardHook", PublisherId="aws-hooks", TypeNameAlias="My::Guard::Hook"
        )["Arn"]
        == arn
    )


def test_unknown_public_types(cf: Any) -> None:
    for params in (
        {"Type": "HOOK", "TypeName": "Acme::Nothing::Hook", "PublisherId": "aws-hooks"},
        {"Type": "HOOK", "TypeName": "AWS::Hooks::LambdaHook", "PublisherId": "0123456789abcdef"},
        {"PublicTypeArn": f"arn:aws:cloudformation:{REGION}::type/hook/aws-hooks/Acme-Nothing-Hook"},
    ):
        with pytest.raises(ClientError) as excinfo:
            cf.activate_type(**params)
        assert error_of(excinfo) == ("TypeNotFoundException", 404)
    assert "cannot be found." in excinfo.value.response["Error"]["Message"]


def test_register_a_private_hook(cf: Any) -> None:
    token = cf.register_type(
        Type="HOOK", TypeName="MyCompany::Testing::MyTestHook", SchemaHandlerPackage="s3://bucket/hook.zip"
    )["RegistrationToken"]
    # AWS's recorded sequence: the type is not found while registering, the first DescribeTypeRegistration
    # answers IN_PROGRESS, and a waiter then finds it COMPLETE
    with pytest.raises(ClientError) as excinfo:
        cf.describe_type(Type="HOOK", TypeName="MyCompany::Testing::MyTestHook")
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
    assert "Description" not in cf.describe_type_registration(RegistrationToken=token)
    assert cf.describe_type_registration(RegistrationToken=token)["ProgressStatus"] == "COMPLETE"
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=token)
    registration = cf.describe_type_registration(RegistrationToken=token)
    assert registration["Description"] == "Deployment is currently in DEPLOY_STAGE of status COMPLETED"
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
    assert registration["ProgressStatus"] == "COMPLETE"
    assert (registration["TypeArn"], registration["TypeVersionArn"]) == (type_arn, f"{type_arn}/00000001")
    described = cf.describe_type(Arn=type_arn)
    assert described["Arn"] == f"{type_arn}/00000001"
    assert (described["Visibility"], described["DeprecatedStatus"], described["IsDefaultVersion"]) == (
        "PRIVATE",
        "LIVE",
        True,
    )
    assert described["DefaultVersionId"] == "00000001"
    assert "ProvisioningType" not in described
    # A second registration adds a version; the default stays.
    second = cf.register_type(
        Type="HOOK", TypeName="MyCompany::Testing::MyTestHook", SchemaHandlerPackage="s3://bucket/v2.zip"
    )["RegistrationToken"]
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=second, WaiterConfig={"Delay": 0})
    assert cf.describe_type(Arn=type_arn, VersionId="00000002")["IsDefaultVersion"] is False
    with pytest.raises(ClientError) as excinfo:
        cf.deregister_type(Arn=type_arn)
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    assert "more than one active version" in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        cf.deregister_type(Arn=type_arn, VersionId="00000001")
    assert excinfo.value.response["Error"]["Message"] == (
        "Version '00000001' is the default version and cannot be deregistered. "
        "Deregister the resource type 'MyCompany::Testing::MyTestHook' instead."
    )
    cf.deregister_type(Arn=f"{type_arn}/00000002")
    cf.deregister_type(Type="HOOK", TypeName="MyCompany::Testing::MyTestHook")
    with pytest.raises(ClientError) as excinfo:
        cf.describe_type(Type="HOOK", TypeName="MyCompany::Testing::MyTestHook")
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
    assert excinfo.value.response["Error"]["Message"] == "The type 'MyCompany::Testing::MyTestHook' cannot be found."


def test_registry_errors(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.register_type(Type="HOOK", TypeName="AWS::Testing::Hook", SchemaHandlerPackage="s3://b/k.zip")
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    assert excinfo.value.response["Error"]["Message"] == "TypeName is invalid"
    with pytest.raises(ClientError) as excinfo:
        cf.describe_type_registration(RegistrationToken="nope")
    assert error_of(excinfo) == ("CFNRegistryException", 400)
    with pytest.raises(ClientError) as excinfo:
        cf.set_type_configuration(TypeArn=ALIAS_ARN, Configuration=CONFIG)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
    activate(cf)
    for bad in (
        "not json",
        "[]",
        json.dumps({"CloudFormationConfiguration": {"HookConfiguration": {"FailureMode": "X"}}}),
    ):
        with pytest.raises(ClientError) as excinfo:
            cf.set_type_configuration(TypeArn=ALIAS_ARN, Configuration=bad)
        assert error_of(excinfo) == ("CFNRegistryException", 400)
    mixed = {
        "HookInvocationStatus": "ENABLED",
        "TargetFilters": {"Actions": ["CREATE"], "Targets": [{"TargetName": "AWS::S3::Bucket"}]},
    }
    with pytest.raises(ClientError) as excinfo:
        cf.set_type_configuration(
            TypeArn=ALIAS_ARN, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": mixed}})
        )
    assert "either Targets or Actions" in excinfo.value.response["Error"]["Message"]
    # Nothing was stored by the failed calls.
    (details,) = cf.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{"TypeArn": ALIAS_ARN}])[
        "TypeConfigurations"
    ]
    assert details["Configuration"] == "{}"
    with pytest.raises(ClientError) as excinfo:
        cf.batch_describe_type_configurations(
            TypeConfigurationIdentifiers=[{"TypeArn": ALIAS_ARN.replace("MyTestHook", "Ghost")}]
        )
    assert error_of(excinfo) == ("TypeConfigurationNotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        cf.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{}])
    assert error_of(excinfo) == ("ValidationError", 400)
    with pytest.raises(ClientError) as excinfo:
        cf.list_types(Type="PLUGIN")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "Member must satisfy enum value set: [RESOURCE, MODULE, HOOK]" in excinfo.value.response["Error"]["Message"]


def test_list_types_and_deactivate(cf: Any) -> None:
    activate(cf)
    token = cf.register_type(
        Type="HOOK", TypeName="MyCompany::Testing::MyTestHook", SchemaHandlerPackage="s3://b/k.zip"
    )["RegistrationToken"]
    cf.get_waiter("type_registration_complete").wait(RegistrationToken=token, WaiterConfig={"Delay": 0})
    summaries = cf.list_types(Type="HOOK")["TypeSummaries"]
    assert [s["TypeName"] for s in summaries] == [ALIAS, "MyCompany::Testing::MyTestHook"]
    assert summaries[0]["OriginalTypeName"] == "AWS::Hooks::LambdaHook" and summaries[0]["IsActivated"] is True
    assert summaries[1]["DefaultVersionId"] == "00000001"
    assert [s["TypeName"] for s in cf.list_types(Type="HOOK", Filters={"Category": "ACTIVATED"})["TypeSummaries"]] == [
        ALIAS
    ]
    public = cf.list_types(Visibility="PUBLIC", Type="HOOK")["TypeSummaries"]
    assert {s["TypeName"]: s["IsActivated"] for s in public} == {
        "AWS::Hooks::LambdaHook": True,
        "AWS::Hooks::GuardHook": False,
    }
    first = cf.list_types(Type="HOOK", MaxResults=1)
    assert len(first["TypeSummaries"]) == 1
    rest = cf.list_types(Type="HOOK", MaxResults=1, NextToken=first["NextToken"])
    assert rest["TypeSummaries"][0]["TypeName"] == "MyCompany::Testing::MyTestHook"
    with pytest.raises(ClientError) as excinfo:
        cf.list_types(Type="RESOURCE", MaxResults=1, NextToken=first["NextToken"])
    assert error_of(excinfo) == ("ValidationError", 400)
    cf.deactivate_type(Arn=ALIAS_ARN)
    assert [s["TypeName"] for s in cf.list_types(Type="HOOK")["TypeSummaries"]] == ["MyCompany::Testing::MyTestHook"]
    with pytest.raises(ClientError) as excinfo:
        cf.deactivate_type(Arn=ALIAS_ARN)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)


def test_registry_is_per_account_and_region(cf: Any) -> None:
    activate(cf)
    elsewhere = boto3.client("cloudformation", region_name="eu-west-1")
    assert elsewhere.list_types(Type="HOOK")["TypeSummaries"] == []
    with pytest.raises(ClientError) as excinfo:
        elsewhere.describe_type(Type="HOOK", TypeName=ALIAS)
    assert error_of(excinfo) == ("TypeNotFoundException", 404)
