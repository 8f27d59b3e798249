"""AutoDeployment.DependsOn: "When auto-deployment is triggered, operations will be sequenced to ensure all
dependencies complete successfully before this StackSet's operation begins" (botocore model)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from moto_stacksets_ext import control

from support import REGION, TOPIC_TEMPLATE, client_in


@pytest.fixture
def org(aws: None) -> dict[str, Any]:
    organizations = boto3.client("organizations", region_name=REGION)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    apps = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]
    return {"client": organizations, "root": root, "apps": apps}


def _join(org: dict[str, Any], name: str) -> str:
    status = org["client"].create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
    account_id: str = status["AccountId"]
    org["client"].move_account(AccountId=account_id, SourceParentId=org["root"], DestinationParentId=org["apps"])
    return account_id


def _stack_sets(cf: Any, org: dict[str, Any]) -> None:
    """``network`` depends on ``baseline``; ``network`` is created first, so only DependsOn orders them.
    Both deploy to the OU ``apps`` (which has an account, so the OU is a target of both)."""
    _join(org, "first")
    cf.create_stack_set(
        StackSetName="baseline",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
    )
    baseline_arn = cf.describe_stack_set(StackSetName="baseline")["StackSet"]["StackSetARN"]
    cf.create_stack_set(
        StackSetName="network",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False, "DependsOn": [baseline_arn]},
    )
    for name in ("network", "baseline"):
        cf.create_stack_instances(
            StackSetName=name, DeploymentTargets={"OrganizationalUnitIds": [org["apps"]]}, Regions=[REGION]
        )


def _latest(cf: Any, name: str) -> dict[str, Any]:
    summary: dict[str, Any] = cf.list_stack_set_operations(StackSetName=name)["Summaries"][0]
    return summary


def test_a_dependent_stack_set_waits_for_its_dependency(cf: Any, org: dict[str, Any]) -> None:
    _stack_sets(cf, org)
    control.set_progression("manual")
    joiner = _join(org, "joiner")
    first_read = _latest(cf, "network")  # a listing is a read: a manual step, but baseline has not run yet
    assert first_read["Status"] == "QUEUED"
    network = first_read["OperationId"]
    baseline = _latest(cf, "baseline")["OperationId"]
    statuses = []
    for _ in range(8):
        statuses.append(
            (
                cf.describe_stack_set_operation(StackSetName="baseline", OperationId=baseline)["StackSetOperation"][
                    "Status"
                ],
                cf.describe_stack_set_operation(StackSetName="network", OperationId=network)["StackSetOperation"][
                    "Status"
                ],
            )
        )
    # network never runs while baseline has not succeeded, and it runs once baseline has
    assert all(n == "QUEUED" for b, n in statuses if b != "SUCCEEDED")
    assert statuses[-1] == ("SUCCEEDED", "SUCCEEDED")
    network_op = cf.describe_stack_set_operation(StackSetName="network", OperationId=network)["StackSetOperation"]
    baseline_op = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=baseline)["StackSetOperation"]
    assert baseline_op["EndTimestamp"] <= network_op["EndTimestamp"]
    assert len(client_in(joiner).describe_stacks()["Stacks"]) == 2


def test_a_failed_dependency_fails_the_dependent_operation_without_deploying(cf: Any, org: dict[str, Any]) -> None:
    _stack_sets(cf, org)
    control.fail(stack_set="baseline", reason="baseline broke")
    joiner = _join(org, "joiner")
    baseline = _latest(cf, "baseline")
    network = _latest(cf, "network")
    assert baseline["Status"] == "FAILED"
    assert network["Status"] == "FAILED"
    described = cf.describe_stack_set_operation(StackSetName="network", OperationId=network["OperationId"])
    assert baseline["OperationId"] in described["StackSetOperation"]["StatusReason"]
    assert client_in(joiner).describe_stacks()["Stacks"] == []


def test_without_depends_on_nothing_waits(cf: Any, org: dict[str, Any]) -> None:
    cf.create_stack_set(
        StackSetName="alone",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False},
    )
    cf.create_stack_instances(
        StackSetName="alone", DeploymentTargets={"OrganizationalUnitIds": [org["apps"]]}, Regions=[REGION]
    )
    _join(org, "joiner")
    assert _latest(cf, "alone")["Status"] == "SUCCEEDED"
