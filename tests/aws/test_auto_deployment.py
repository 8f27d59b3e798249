"""Automatic deployments: accounts joining or leaving a target OU in moto's Organizations."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import REGION, TOPIC_TEMPLATE, client_in, error_of

EU = "eu-west-1"


@pytest.fixture
def org(aws: None) -> dict[str, Any]:
    organizations = boto3.client("organizations", region_name=REGION)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    apps = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]
    sandbox = organizations.create_organizational_unit(ParentId=root, Name="sandbox")["OrganizationalUnit"]["Id"]
    return {"client": organizations, "root": root, "apps": apps, "sandbox": sandbox}


def new_account(org: dict[str, Any], name: str, parent: str | None = None) -> str:
    status = org["client"].create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
    account_id: str = status["AccountId"]
    if parent is not None:
        org["client"].move_account(AccountId=account_id, SourceParentId=org["root"], DestinationParentId=parent)
    return account_id


def auto_stack_set(cf: Any, org: dict[str, Any], retain: bool = False) -> None:
    cf.create_stack_set(
        StackSetName="auto",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": retain},
    )
    cf.create_stack_instances(
        StackSetName="auto", DeploymentTargets={"OrganizationalUnitIds": [org["apps"]]}, Regions=[REGION, EU]
    )


def instances(cf: Any) -> set[tuple[str, str]]:
    return {(s["Account"], s["Region"]) for s in cf.list_stack_instances(StackSetName="auto")["Summaries"]}


def test_an_account_moved_into_a_target_ou_is_deployed_to(cf: Any, org: dict[str, Any]) -> None:
    first = new_account(org, "first", org["apps"])
    auto_stack_set(cf, org)
    assert instances(cf) == {(first, REGION), (first, EU)}

    joiner = new_account(org, "joiner", org["apps"])
    assert instances(cf) == {(first, REGION), (first, EU), (joiner, REGION), (joiner, EU)}
    latest = cf.list_stack_set_operations(StackSetName="auto")["Summaries"][0]
    assert (latest["Action"], latest["Status"]) == ("CREATE", "SUCCEEDED")
    operation = cf.describe_stack_set_operation(StackSetName="auto", OperationId=latest["OperationId"])
    assert operation["StackSetOperation"]["DeploymentTargets"] == {"OrganizationalUnitIds": [org["apps"]]}
    assert len(client_in(joiner, region=EU).describe_stacks()["Stacks"]) == 1


def test_accounts_elsewhere_are_left_alone(cf: Any, org: dict[str, Any]) -> None:
    auto_stack_set(cf, org)
    new_account(org, "outsider", org["sandbox"])
    assert instances(cf) == set()


def test_the_automatic_operation_is_queued_first_then_runs(cf: Any, org: dict[str, Any]) -> None:
    first = new_account(org, "first", org["apps"])
    auto_stack_set(cf, org)
    control.set_progression("manual", times=3)
    joiner = new_account(org, "joiner", org["apps"])
    # Listing is a read too: with times=3 the operation starts on the third read.
    (latest, _) = cf.list_stack_set_operations(StackSetName="auto")["Summaries"]
    assert latest["Status"] == "QUEUED"
    operation_id = latest["OperationId"]

    def status() -> str:
        found: str = cf.describe_stack_set_operation(StackSetName="auto", OperationId=operation_id)[
            "StackSetOperation"
        ]["Status"]
        return found

    seen = [status() for _ in range(12)]
    assert seen[:2] == ["QUEUED", "RUNNING"]
    assert seen[-1] == "SUCCEEDED"
    assert (joiner, EU) in instances(cf)
    assert first != joiner


def test_an_account_that_leaves_loses_its_instances(cf: Any, org: dict[str, Any]) -> None:
    leaver = new_account(org, "leaver", org["apps"])
    auto_stack_set(cf, org)
    stack_id = cf.describe_stack_instance(StackSetName="auto", StackInstanceAccount=leaver, StackInstanceRegion=REGION)[
        "StackInstance"
    ]["StackId"]
    org["client"].move_account(AccountId=leaver, SourceParentId=org["apps"], DestinationParentId=org["sandbox"])
    assert instances(cf) == set()
    latest = cf.list_stack_set_operations(StackSetName="auto")["Summaries"][0]
    assert latest["Action"] == "DELETE"
    (stack,) = client_in(leaver).describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackStatus"] == "DELETE_COMPLETE"


def test_retain_stacks_on_account_removal(cf: Any, org: dict[str, Any]) -> None:
    leaver = new_account(org, "leaver", org["apps"])
    auto_stack_set(cf, org, retain=True)
    org["client"].move_account(AccountId=leaver, SourceParentId=org["apps"], DestinationParentId=org["sandbox"])
    assert instances(cf) == set()
    assert client_in(leaver).describe_stacks()["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_disabled_auto_deployment_does_nothing(cf: Any, org: dict[str, Any]) -> None:
    cf.create_stack_set(
        StackSetName="auto",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": False},
    )
    new_account(org, "first", org["apps"])
    cf.create_stack_instances(
        StackSetName="auto", DeploymentTargets={"OrganizationalUnitIds": [org["apps"]]}, Regions=[REGION]
    )
    new_account(org, "late", org["apps"])
    assert len(instances(cf)) == 1


def test_list_stack_set_auto_deployment_targets(cf: Any, org: dict[str, Any]) -> None:
    first = new_account(org, "first", org["apps"])
    new_account(org, "tester", org["sandbox"])
    auto_stack_set(cf, org)
    cf.create_stack_instances(
        StackSetName="auto", DeploymentTargets={"OrganizationalUnitIds": [org["sandbox"]]}, Regions=[EU]
    )
    summaries = cf.list_stack_set_auto_deployment_targets(StackSetName="auto")["Summaries"]
    assert summaries == [
        {"OrganizationalUnitId": org["apps"], "Regions": [REGION, EU]},
        {"OrganizationalUnitId": org["sandbox"], "Regions": [EU]},
    ]
    first_page = cf.list_stack_set_auto_deployment_targets(StackSetName="auto", MaxResults=1)
    assert first_page["Summaries"] == summaries[:1]
    second_page = cf.list_stack_set_auto_deployment_targets(
        StackSetName="auto", MaxResults=1, NextToken=first_page["NextToken"]
    )
    assert second_page["Summaries"] == summaries[1:]
    assert "NextToken" not in second_page
    # An account joining the sandbox OU is deployed to that OU's regions only.
    joiner = new_account(org, "joiner", org["sandbox"])
    assert {(a, r) for a, r in instances(cf) if a == joiner} == {(joiner, EU)}
    assert {(a, r) for a, r in instances(cf) if a == first} == {(first, REGION), (first, EU)}
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_set_auto_deployment_targets(StackSetName="missing")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
