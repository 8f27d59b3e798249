"""Stack sets: create, describe, list, update, delete, looked up by name or id."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from support import ACCOUNT_A, ADMIN, REGION, TOPIC_TEMPLATE, error_of


def test_create_and_describe_with_every_field(cf: Any) -> None:
    stack_set_id = cf.create_stack_set(
        StackSetName="baseline",
        Description="org baseline",
        TemplateBody=TOPIC_TEMPLATE,
        Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}],
        Capabilities=["CAPABILITY_IAM"],
        Tags=[{"Key": "team", "Value": "platform"}],
        ManagedExecution={"Active": True},
    )["StackSetId"]
    assert stack_set_id.startswith("baseline:")

    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["StackSetId"] == stack_set_id
    assert stack_set["StackSetARN"] == f"arn:aws:cloudformation:{REGION}:{ADMIN}:stackset/{stack_set_id}"
    assert stack_set["Status"] == "ACTIVE"
    assert stack_set["Description"] == "org baseline"
    assert stack_set["TemplateBody"] == TOPIC_TEMPLATE
    assert stack_set["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}]
    assert stack_set["Capabilities"] == ["CAPABILITY_IAM"]
    assert stack_set["Tags"] == [{"Key": "team", "Value": "platform"}]
    assert stack_set["PermissionModel"] == "SELF_MANAGED"
    assert stack_set["ManagedExecution"] == {"Active": True}
    assert (
        stack_set["AdministrationRoleARN"] == f"arn:aws:iam::{ADMIN}:role/AWSCloudFormationStackSetAdministrationRole"
    )
    assert stack_set["ExecutionRoleName"] == "AWSCloudFormationStackSetExecutionRole"
    assert cf.describe_stack_set(StackSetName=stack_set_id)["StackSet"]["StackSetName"] == "baseline"


def test_empty_lists_are_present(cf: Any) -> None:
    cf.create_stack_set(StackSetName="bare", TemplateBody=TOPIC_TEMPLATE)
    stack_set = cf.describe_stack_set(StackSetName="bare")["StackSet"]
    assert stack_set["Parameters"] == []
    assert stack_set["Capabilities"] == []
    assert stack_set["Tags"] == []


def test_template_from_s3_url(cf: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="templates")
    s3.put_object(Bucket="templates", Key="topic.json", Body=TOPIC_TEMPLATE.encode())
    cf.create_stack_set(StackSetName="from-s3", TemplateURL="https://templates.s3.amazonaws.com/topic.json")
    assert cf.describe_stack_set(StackSetName="from-s3")["StackSet"]["TemplateBody"] == TOPIC_TEMPLATE


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({}, "Exactly one of TemplateBody or TemplateUrl"),
        ({"TemplateBody": TOPIC_TEMPLATE, "TemplateURL": "https://b.s3.amazonaws.com/k"}, "Exactly one"),
        ({"TemplateURL": "https://missing.s3.amazonaws.com/none.json"}, "TemplateURL"),
    ],
)
def test_template_rules(cf: Any, kwargs: dict[str, str], needle: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_set(StackSetName="no-template", **kwargs)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert needle in excinfo.value.response["Error"]["Message"]
    assert cf.list_stack_sets()["Summaries"] == []


def test_duplicate_name_is_rejected_and_changes_nothing(cf: Any) -> None:
    first = cf.create_stack_set(StackSetName="dup", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_set(StackSetName="dup", TemplateBody=TOPIC_TEMPLATE)
    assert error_of(excinfo) == ("NameAlreadyExistsException", 409)
    assert [s["StackSetId"] for s in cf.list_stack_sets()["Summaries"]] == [first]


@pytest.mark.parametrize("name", ["1starts-with-digit", "has_underscore", "a" * 129, "-dash"])
def test_invalid_names(cf: Any, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_set(StackSetName=name, TemplateBody=TOPIC_TEMPLATE)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"].startswith("1 validation error detected: Value")
    assert cf.list_stack_sets()["Summaries"] == []


def test_name_of_128_characters_is_fine(cf: Any) -> None:
    cf.create_stack_set(StackSetName="a" * 128, TemplateBody=TOPIC_TEMPLATE)
    assert cf.describe_stack_set(StackSetName="a" * 128)["StackSet"]["Status"] == "ACTIVE"


def test_unknown_stack_set_echoes_the_input(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.describe_stack_set(StackSetName="ghost")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
    assert excinfo.value.response["Error"]["Message"] == "StackSet ghost not found"


def test_deleted_stack_set_by_id_and_name_reuse(cf: Any) -> None:
    old_id = cf.create_stack_set(StackSetName="reused", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    cf.delete_stack_set(StackSetName="reused")

    with pytest.raises(ClientError) as excinfo:
        cf.describe_stack_set(StackSetName="reused")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
    assert cf.describe_stack_set(StackSetName=old_id)["StackSet"]["Status"] == "DELETED"

    new_id = cf.create_stack_set(StackSetName="reused", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    assert new_id != old_id
    assert cf.describe_stack_set(StackSetName="reused")["StackSet"]["StackSetId"] == new_id
    statuses = {s["StackSetId"]: s["Status"] for s in cf.list_stack_sets()["Summaries"]}
    assert statuses == {old_id: "DELETED", new_id: "ACTIVE"}
    assert [s["StackSetId"] for s in cf.list_stack_sets(Status="ACTIVE")["Summaries"]] == [new_id]
    assert [s["StackSetId"] for s in cf.list_stack_sets(Status="DELETED")["Summaries"]] == [old_id]


def test_a_deleted_stack_set_takes_no_new_operations(cf: Any) -> None:
    old_id = cf.create_stack_set(StackSetName="gone", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    cf.delete_stack_set(StackSetName="gone")
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_instances(StackSetName=old_id, Accounts=[ACCOUNT_A], Regions=[REGION])
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)


def test_delete_unknown_stack_set_succeeds_silently(cf: Any) -> None:
    cf.delete_stack_set(StackSetName="never-existed")


def test_delete_with_instances_is_rejected(cf: Any) -> None:
    cf.create_stack_set(StackSetName="busy", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="busy", Accounts=[ACCOUNT_A], Regions=[REGION])
    with pytest.raises(ClientError) as excinfo:
        cf.delete_stack_set(StackSetName="busy")
    assert error_of(excinfo) == ("StackSetNotEmptyException", 409)
    assert cf.describe_stack_set(StackSetName="busy")["StackSet"]["Status"] == "ACTIVE"


def test_list_summaries_shape(cf: Any) -> None:
    cf.create_stack_set(StackSetName="one", TemplateBody=TOPIC_TEMPLATE, Description="first")
    (summary,) = cf.list_stack_sets()["Summaries"]
    assert summary["StackSetName"] == "one"
    assert summary["Description"] == "first"
    assert summary["Status"] == "ACTIVE"
    assert summary["PermissionModel"] == "SELF_MANAGED"
    assert summary["DriftStatus"] == "NOT_CHECKED"
    assert summary["ManagedExecution"] == {"Active": False}


def test_update_stack_set_template_and_description(cf: Any) -> None:
    cf.create_stack_set(StackSetName="evolving", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack_instances(StackSetName="evolving", Accounts=[ACCOUNT_A], Regions=[REGION])
    new_template = TOPIC_TEMPLATE.replace("Topic", "Queue").replace("AWS::SNS::Queue", "AWS::SQS::Queue")
    operation_id = cf.update_stack_set(
        StackSetName="evolving", TemplateBody=new_template, Description="v2", OperationId="update-v2"
    )["OperationId"]
    assert operation_id == "update-v2"
    stack_set = cf.describe_stack_set(StackSetName="evolving")["StackSet"]
    assert stack_set["TemplateBody"] == new_template
    assert stack_set["Description"] == "v2"
    operation = cf.describe_stack_set_operation(StackSetName="evolving", OperationId="update-v2")["StackSetOperation"]
    assert (operation["Action"], operation["Status"]) == ("UPDATE", "SUCCEEDED")
    results = cf.list_stack_set_operation_results(StackSetName="evolving", OperationId="update-v2")["Summaries"]
    assert [(r["Account"], r["Region"], r["Status"]) for r in results] == [(ACCOUNT_A, REGION, "SUCCEEDED")]
    sqs_resources = [
        r
        for r in _stack_resources_in(
            ACCOUNT_A,
            cf.describe_stack_instance(
                StackSetName="evolving", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
            )["StackInstance"]["StackId"],
        )
        if r["ResourceType"] == "AWS::SQS::Queue"
    ]
    assert len(sqs_resources) == 1


def _stack_resources_in(account: str, stack_id: str) -> list[dict[str, Any]]:
    from support import client_in

    resources: list[dict[str, Any]] = client_in(account).describe_stack_resources(StackName=stack_id)["StackResources"]
    return resources


def test_update_unknown_stack_set(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_set(StackSetName="ghost", TemplateBody=TOPIC_TEMPLATE)
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)


def test_stack_sets_are_regional_and_per_account() -> None:
    from moto_stacksets_ext import mock_stacksets

    with mock_stacksets():
        boto3.client("cloudformation", region_name="us-east-1").create_stack_set(
            StackSetName="east", TemplateBody=TOPIC_TEMPLATE
        )
        assert boto3.client("cloudformation", region_name="eu-west-1").list_stack_sets()["Summaries"] == []


def test_plain_mock_aws_after_install_serves_the_plugin() -> None:
    with mock_aws():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="via-mock-aws", TemplateBody=TOPIC_TEMPLATE)
        with pytest.raises(ClientError) as excinfo:
            cf.create_stack_set(StackSetName="via-mock-aws", TemplateBody=TOPIC_TEMPLATE)
        assert error_of(excinfo) == ("NameAlreadyExistsException", 409)
