"""Hooks declared in templates: each registry resource type, created, updated and deleted through stacks and
change sets, does what its registry calls do, and the Hook then decides the stacks it targets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_B, ADMIN, REGION, TOPIC_TEMPLATE, client_in, error_of

ALIAS = "Private::Lambda::NoBuckets"
ROLE = f"arn:aws:iam::{ADMIN}:role/hook-execution"
FUNCTION = f"arn:aws:lambda:{REGION}:{ADMIN}:function:no-buckets"
BUCKET_TEMPLATE = json.dumps({"Resources": {"Data": {"Type": "AWS::S3::Bucket"}}})
CUSTOM = "MyCompany::Testing::MyTestHook"


def no_buckets(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event["requestData"]["targetName"] == "AWS::S3::Bucket":
        return {"hookStatus": "FAILED", "errorCode": "NonCompliant", "message": "no buckets here"}
    return {"hookStatus": "SUCCESS"}


def lambda_hook(**overrides: Any) -> dict[str, Any]:
    properties = {
        "Alias": ALIAS,
        "LambdaFunction": "no-buckets",  # a name: the function of the stack's account and region
        "ExecutionRole": ROLE,
        "FailureMode": "FAIL",
        "HookStatus": "ENABLED",
        "TargetOperations": ["RESOURCE"],
        "TargetFilters": {"Actions": ["CREATE", "UPDATE"]},
        **overrides,
    }
    return {
        "Resources": {"Hook": {"Type": "AWS::CloudFormation::LambdaHook", "Properties": properties}},
        "Outputs": {
            "Ref": {"Value": {"Ref": "Hook"}},
            "HookArn": {"Value": {"Fn::GetAtt": ["Hook", "HookArn"]}},
        },
    }


def hook_configuration(**fields: Any) -> str:
    """A Hook's type configuration (``HookInvocationStatus`` ENABLED and ``fields``), as JSON."""
    hook = {"HookInvocationStatus": "ENABLED", **fields}
    return json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook}})


def outputs(cf: Any, stack: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in cf.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}


def status(cf: Any, stack: str) -> str:
    return str(cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"])


def configuration(cf: Any, type_arn: str) -> dict[str, Any]:
    (item,) = cf.batch_describe_type_configurations(TypeConfigurationIdentifiers=[{"TypeArn": type_arn}])[
        "TypeConfigurations"
    ]
    found: dict[str, Any] = json.loads(item["Configuration"])["CloudFormationConfiguration"]["HookConfiguration"]
    return found


def test_a_lambda_hook_declared_in_a_template_is_activated_configured_updated_and_deleted(cf: Any) -> None:
    control.hooks.lambda_function(FUNCTION, no_buckets)
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook()))
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/Private-Lambda-NoBuckets"
    assert outputs(cf, "hooks") == {"Ref": type_arn, "HookArn": type_arn}
    described = cf.describe_type(Arn=type_arn)
    assert (described["TypeName"], described["OriginalTypeName"]) == (ALIAS, "AWS::Hooks::LambdaHook")
    assert configuration(cf, type_arn) == {
        "HookInvocationStatus": "ENABLED",
        "TargetOperations": ["RESOURCE"],
        "FailureMode": "FAIL",
        "Properties": {"LambdaFunction": FUNCTION},
        "TargetFilters": {"Actions": ["CREATE", "UPDATE"]},
    }

    # From then on the Hook decides the stacks of this account and region, as one activated through the API.
    cf.create_stack(StackName="app", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    (result,) = cf.list_hook_results(TypeArn=type_arn)["HookResults"]
    assert (result["Status"], result["HookStatusReason"]) == ("HOOK_COMPLETE_FAILED", "no buckets here")

    # Updating the stack reconfigures the Hook: WARN lets the bucket through.
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook(FailureMode="WARN")))
    assert configuration(cf, type_arn)["FailureMode"] == "WARN"
    cf.create_stack(StackName="warned", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "warned") == "CREATE_COMPLETE"

    # Deleting it deactivates the Hook: nothing runs any more.
    invoked = len(cf.list_hook_results()["HookResults"])  # the bucket stacks and the Hook's own update
    cf.delete_stack(StackName="hooks")
    with pytest.raises(ClientError) as raised:
        cf.describe_type(Arn=type_arn)
    assert error_of(raised) == ("TypeNotFoundException", 404)
    cf.create_stack(StackName="free", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "free") == "CREATE_COMPLETE"
    assert len(cf.list_hook_results()["HookResults"]) == invoked == 3


def test_a_new_alias_replaces_the_activation(cf: Any) -> None:
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook()))
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook(Alias="Private::Lambda::Renamed")))
    names = [t["TypeName"] for t in cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"]]
    assert names == ["Private::Lambda::Renamed"]
    assert outputs(cf, "hooks")["Ref"].endswith("type/hook/Private-Lambda-Renamed")


def test_hook_status_disabled_activates_without_running(cf: Any) -> None:
    control.hooks.lambda_function(FUNCTION, no_buckets)
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook(HookStatus="DISABLED")))
    cf.create_stack(StackName="app", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "app") == "CREATE_COMPLETE"
    assert cf.list_hook_results()["HookResults"] == []


def test_stack_filters_declared_in_the_template_decide(cf: Any) -> None:
    control.hooks.lambda_function(FUNCTION, no_buckets)
    filters = {"FilteringCriteria": "ALL", "StackNames": {"Include": ["guarded"]}}
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook(StackFilters=filters)))
    cf.create_stack(StackName="other", TemplateBody=BUCKET_TEMPLATE)
    cf.create_stack(StackName="guarded", TemplateBody=BUCKET_TEMPLATE)
    assert (status(cf, "other"), status(cf, "guarded")) == ("CREATE_COMPLETE", "ROLLBACK_COMPLETE")


def test_a_lambda_hook_declared_through_a_change_set(cf: Any) -> None:
    control.hooks.lambda_function(FUNCTION, no_buckets)
    cf.create_change_set(
        StackName="hooks", ChangeSetName="add-hook", ChangeSetType="CREATE", TemplateBody=json.dumps(lambda_hook())
    )
    assert cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"] == []  # nothing before execution
    cf.execute_change_set(StackName="hooks", ChangeSetName="add-hook")
    cf.create_stack(StackName="app", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"


def test_type_activation_and_hook_type_config(cf: Any) -> None:
    control.hooks.lambda_function(FUNCTION, no_buckets)
    hook = {"FailureMode": "FAIL", "TargetOperations": ["RESOURCE"], "Properties": {"LambdaFunction": FUNCTION}}
    template = {
        "Resources": {
            "Activation": {
                "Type": "AWS::CloudFormation::TypeActivation",
                "Properties": {
                    "Type": "HOOK",
                    "TypeName": "AWS::Hooks::LambdaHook",
                    "PublisherId": "aws-hooks",
                    "TypeNameAlias": ALIAS,
                    "ExecutionRoleArn": ROLE,
                },
            },
            "Config": {
                "Type": "AWS::CloudFormation::HookTypeConfig",
                "Properties": {
                    "TypeArn": {"Ref": "Activation"},
                    "Configuration": hook_configuration(**hook),
                },
            },
        },
        "Outputs": {
            "Arn": {"Value": {"Fn::GetAtt": ["Activation", "Arn"]}},
            "Config": {"Value": {"Ref": "Config"}},
            "ConfigArn": {"Value": {"Fn::GetAtt": ["Config", "ConfigurationArn"]}},
        },
    }
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(template))
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/Private-Lambda-NoBuckets"
    config_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type-configuration/hook/Private-Lambda-NoBuckets/default"
    assert outputs(cf, "hooks") == {"Arn": type_arn, "Config": config_arn, "ConfigArn": config_arn}
    assert cf.describe_type(Arn=type_arn)["ExecutionRoleArn"] == ROLE
    cf.create_stack(StackName="app", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"

    # Updating the HookTypeConfig sets the configuration again.
    template["Resources"]["Config"]["Properties"]["Configuration"] = hook_configuration(
        **{**hook, "FailureMode": "WARN"}
    )
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(template))
    assert configuration(cf, type_arn)["FailureMode"] == "WARN"

    # Removing only the configuration leaves the Hook activated but unconfigured: it no longer runs.
    del template["Resources"]["Config"]
    template["Outputs"] = {}
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(template))
    cf.create_stack(StackName="after", TemplateBody=BUCKET_TEMPLATE)
    assert status(cf, "after") == "CREATE_COMPLETE"
    assert cf.describe_type(Arn=type_arn)["TypeName"] == ALIAS

    cf.delete_stack(StackName="hooks")
    assert cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"] == []


def test_a_type_activation_of_an_unknown_type_is_the_registry_error(cf: Any) -> None:
    template = {
        "Resources": {
            "Hook": {
                "Type": "AWS::CloudFormation::LambdaHook",
                "Properties": lambda_hook()["Resources"]["Hook"]["Properties"],
            },
            "Activation": {
                "Type": "AWS::CloudFormation::TypeActivation",
                "DependsOn": "Hook",
                "Properties": {"Type": "HOOK", "TypeName": "Acme::Nope::Hook", "PublisherId": "0123456789abcdef"},
            },
        }
    }
    with pytest.raises(ClientError) as raised:
        cf.create_stack(StackName="hooks", TemplateBody=json.dumps(template))
    assert error_of(raised) == ("TypeNotFoundException", 404)
    assert "Acme::Nope::Hook" in raised.value.response["Error"]["Message"]
    # The failed call changes nothing: no stack, and the Hook activated before the failure is gone.
    assert cf.describe_stacks()["Stacks"] == []
    assert cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"] == []


def version(name: str, package: str = "s3://packages/hook.zip") -> dict[str, Any]:
    return {
        "Type": "AWS::CloudFormation::HookVersion",
        "Properties": {"TypeName": name, "SchemaHandlerPackage": package},
    }


def test_hook_versions_default_version_and_configuration(cf: Any) -> None:
    calls: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(event["hookTypeVersion"])
        return {"hookStatus": "FAILED", "errorCode": "NonCompliant", "message": "custom says no"}

    control.hooks.handler(CUSTOM, handler)
    stack_hook = hook_configuration(
        FailureMode="FAIL", TargetOperations=["STACK"], TargetFilters={"Actions": ["CREATE"]}
    )
    template: dict[str, Any] = {
        "Resources": {
            "V1": version(CUSTOM),
            "V2": {**version(CUSTOM), "DependsOn": "V1"},
            "Default": {
                "Type": "AWS::CloudFormation::HookDefaultVersion",
                "Properties": {"TypeVersionArn": {"Ref": "V2"}},
            },
            "Config": {
                "Type": "AWS::CloudFormation::HookTypeConfig",
                "DependsOn": "Default",
                "Properties": {"TypeName": CUSTOM, "Configuration": stack_hook},
            },
        },
        "Outputs": {
            "V1": {"Value": {"Ref": "V1"}},
            "V1Arn": {"Value": {"Fn::GetAtt": ["V1", "Arn"]}},
            "TypeArn": {"Value": {"Fn::GetAtt": ["V1", "TypeArn"]}},
            "V1Id": {"Value": {"Fn::GetAtt": ["V1", "VersionId"]}},
            "V2Id": {"Value": {"Fn::GetAtt": ["V2", "VersionId"]}},
            "Visibility": {"Value": {"Fn::GetAtt": ["V1", "Visibility"]}},
            "Default": {"Value": {"Ref": "Default"}},
            "DefaultArn": {"Value": {"Fn::GetAtt": ["Default", "Arn"]}},
        },
    }
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(template))
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
    assert outputs(cf, "hooks") == {
        "V1": f"{type_arn}/00000001",
        "V1Arn": f"{type_arn}/00000001",
        "TypeArn": type_arn,
        "V1Id": "00000001",
        "V2Id": "00000002",
        "Visibility": "PRIVATE",
        "Default": f"{type_arn}/00000002",
        "DefaultArn": f"{type_arn}/00000002",
    }
    versions = cf.list_type_versions(Arn=type_arn)["TypeVersionSummaries"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [("00000001", False), ("00000002", True)]

    cf.create_stack(StackName="app", TemplateBody=TOPIC_TEMPLATE)
    assert status(cf, "app") == "ROLLBACK_COMPLETE"
    assert calls == ["00000002"]

    # Deleting the stack deregisters the versions (the non-default one first, then the type).
    cf.delete_stack(StackName="hooks")
    with pytest.raises(ClientError) as raised:
        cf.describe_type(Arn=type_arn)
    assert error_of(raised) == ("TypeNotFoundException", 404)


def test_a_hook_version_whose_package_is_unusable_fails_the_stack_call(cf: Any) -> None:
    import boto3

    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="packages")
    s3.put_object(Bucket="packages", Key="hook.zip", Body=b"not a zip")
    with pytest.raises(ClientError) as raised:
        cf.create_stack(StackName="hooks", TemplateBody=json.dumps({"Resources": {"V1": version(CUSTOM)}}))
    assert error_of(raised) == ("CFNRegistryException", 400)
    assert raised.value.response["Error"]["Message"] == "The schema handler package is not a valid zip file"


def test_hook_version_attribute_is_default_version_and_a_version_update(cf: Any) -> None:
    template = {
        "Resources": {"V1": version(CUSTOM)},
        "Outputs": {"Default": {"Value": {"Fn::GetAtt": ["V1", "IsDefaultVersion"]}}},
    }
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(template))
    assert outputs(cf, "hooks") == {"Default": "True"}
    # Every HookVersion property is create-only: a new package registers a new version, the old one goes.
    template["Resources"]["V1"] = version(CUSTOM, "s3://packages/hook-2.zip")
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(template))
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
    versions = cf.list_type_versions(Arn=type_arn)["TypeVersionSummaries"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [("00000002", True)]


def test_a_hook_declared_in_a_target_account_blocks_a_stack_set_instance(cf: Any) -> None:
    in_b = client_in(ACCOUNT_B)
    function_b = f"arn:aws:lambda:{REGION}:{ACCOUNT_B}:function:no-buckets"
    control.hooks.lambda_function(function_b, no_buckets)
    in_b.create_stack(StackName="hooks", TemplateBody=json.dumps(lambda_hook()))
    cf.create_stack_set(StackSetName="data", TemplateBody=BUCKET_TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="data", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
    (target,) = cf.list_stack_set_operation_results(StackSetName="data", OperationId=operation_id)["Summaries"]
    assert (target["Status"], target["StatusReason"]) == ("FAILED", f"The following hook(s) failed: [{ALIAS}]")
    (why,) = in_b.list_hook_results(Status="HOOK_COMPLETE_FAILED", TypeArn=outputs(in_b, "hooks")["Ref"])["HookResults"]
    assert why["HookStatusReason"] == "no buckets here"
    assert cf.list_hook_results()["HookResults"] == []  # the administrator account has no Hook


def test_a_type_activation_under_a_new_alias_replaces_the_old(cf: Any) -> None:
    def activation(alias: str) -> str:
        properties = {"PublicTypeArn": f"arn:aws:cloudformation:{REGION}::type/hook/aws-hooks/AWS-Hooks-LambdaHook"}
        properties["TypeNameAlias"] = alias
        return json.dumps(
            {"Resources": {"Activation": {"Type": "AWS::CloudFormation::TypeActivation", "Properties": properties}}}
        )

    cf.create_stack(StackName="hooks", TemplateBody=activation("Private::Lambda::First"))
    cf.update_stack(StackName="hooks", TemplateBody=activation("Private::Lambda::Second"))
    names = [t["TypeName"] for t in cf.list_types(Visibility="PRIVATE", Type="HOOK")["TypeSummaries"]]
    assert names == ["Private::Lambda::Second"]


def test_a_hook_default_version_is_moved_by_an_update(cf: Any) -> None:
    template: dict[str, Any] = {
        "Resources": {
            "V1": version(CUSTOM),
            "V2": {**version(CUSTOM), "DependsOn": "V1"},
            "Default": {
                "Type": "AWS::CloudFormation::HookDefaultVersion",
                "DependsOn": "V2",
                "Properties": {"TypeName": CUSTOM, "VersionId": "00000002"},
            },
        }
    }
    cf.create_stack(StackName="hooks", TemplateBody=json.dumps(template))
    type_arn = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
    assert cf.describe_type(Arn=type_arn)["DefaultVersionId"] == "00000002"
    template["Resources"]["Default"]["Properties"]["VersionId"] = "00000001"
    cf.update_stack(StackName="hooks", TemplateBody=json.dumps(template))
    assert cf.describe_type(Arn=type_arn)["DefaultVersionId"] == "00000001"
    # An unknown version is the registry's error.
    template["Resources"]["Default"]["Properties"]["VersionId"] = "00000009"
    with pytest.raises(ClientError) as raised:
        cf.update_stack(StackName="hooks", TemplateBody=json.dumps(template))
    assert error_of(raised) == ("TypeNotFoundException", 404)
