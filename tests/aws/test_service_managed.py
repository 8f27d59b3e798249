"""SERVICE_MANAGED stack sets: Organizations targets, account filters, CallAs=DELEGATED_ADMIN."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from support import ADMIN, REGION, TOPIC_TEMPLATE, client_in, error_of

PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"


@pytest.fixture
def org(aws: None) -> dict[str, Any]:
    """An organization: OU 'apps' with two accounts and a child OU 'apps/prod' with one more."""
    organizations = boto3.client("organizations", region_name=REGION)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    apps = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]
    prod = organizations.create_organizational_unit(ParentId=apps, Name="prod")["OrganizationalUnit"]["Id"]

    def account(name: str, parent: str) -> str:
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        account_id: str = status["AccountId"]
        organizations.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    return {
        "client": organizations,
        "apps": apps,
        "prod": prod,
        "app1": account("app1", apps),
        "app2": account("app2", apps),
        "prod1": account("prod1", prod),
    }


def _service_managed(cf: Any) -> None:
    cf.create_stack_set(
        StackSetName="guardrails",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        AutoDeployment={"Enabled": False},
    )


def _targets(cf: Any) -> set[tuple[str, str, str]]:
    return {
        (s["Account"], s["Region"], s["OrganizationalUnitId"])
        for s in cf.list_stack_instances(StackSetName="guardrails")["Summaries"]
    }


def test_organizational_units_resolve_to_their_accounts_including_child_units(cf: Any, org: dict[str, Any]) -> None:
    _service_managed(cf)
    operation_id = cf.create_stack_instances(
        StackSetName="guardrails", DeploymentTargets={"OrganizationalUnitIds": [org["apps"]]}, Regions=[REGION]
    )["OperationId"]
    apps = org["apps"]
    assert _targets(cf) == {(org["app1"], REGION, apps), (org["app2"], REGION, apps), (org["prod1"], REGION, apps)}
    operation = cf.describe_stack_set_operation(StackSetName="guardrails", OperationId=operation_id)[
        "StackSetOperation"
    ]
    assert operation["DeploymentTargets"] == {"OrganizationalUnitIds": [apps]}
    results = cf.list_stack_set_operation_results(StackSetName="guardrails", OperationId=operation_id)["Summaries"]
    assert {r["OrganizationalUnitId"] for r in results} == {apps}
    stack_set = cf.describe_stack_set(StackSetName="guardrails")["StackSet"]
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    assert stack_set["OrganizationalUnitIds"] == [apps]
    assert stack_set["AutoDeployment"] == {"Enabled": False}
    assert "AdministrationRoleARN" not in stack_set
    # The stack is real, in the member account.
    assert len(client_in(org["prod1"]).describe_stacks()["Stacks"]) == 1


@pytest.mark.parametrize(
    ("filter_type", "expected"),
    [
        ("INTERSECTION", {"app1"}),
        ("DIFFERENCE", {"app2", "prod1"}),
        ("UNION", {"app1", "app2", "prod1", "outsider"}),
    ],
)
def test_account_filter_types(cf: Any, org: dict[str, Any], filter_type: str, expected: set[str]) -> None:
    _service_managed(cf)
    names = {org["app1"]: "app1", org["app2"]: "app2", org["prod1"]: "prod1", "444444444444": "outsider"}
    picked = [org["app1"]] if filter_type != "UNION" else [org["app1"], "444444444444"]
    cf.create_stack_instances(
        StackSetName="guardrails",
        DeploymentTargets={
            "OrganizationalUnitIds": [org["apps"]],
            "Accounts": picked,
            "AccountFilterType": filter_type,
        },
        Regions=[REGION],
    )
    assert {names[account] for account, _, _ in _targets(cf)} == expected


def test_service_managed_rejects_plain_accounts(cf: Any, org: dict[str, Any]) -> None:
    _service_managed(cf)
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_instances(StackSetName="guardrails", Accounts=[org["app1"]], Regions=[REGION])
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "SERVICE_MANAGED permission model can only have OrganizationalUnit as target" in str(excinfo.value)


def test_service_managed_target_wording(cf: Any, org: dict[str, Any]) -> None:
    _service_managed(cf)
    cases = [
        (
            {"Accounts": [org["app1"]]},
            "StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as target",
        ),
        ({"DeploymentTargets": {"Accounts": [org["app1"]]}}, "OrganizationalUnitIds are required"),
        (
            {"DeploymentTargets": {"OrganizationalUnitIds": ["unknown"]}},
            "1 validation error detected: Value '[unknown]' at 'deploymentTargets.organizationalUnitIds' failed to "
            "satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 68, "
            "Member must have length greater than or equal to 6, Member must satisfy regular expression pattern: "
            "^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$]",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ClientError) as excinfo:
            cf.create_stack_instances(StackSetName="guardrails", Regions=[REGION], **kwargs)
        assert error_of(excinfo) == ("ValidationError", 400)
        assert excinfo.value.response["Error"]["Message"] == message
    assert cf.list_stack_set_operations(StackSetName="guardrails")["Summaries"] == []


def test_unknown_organizational_unit_reaches_no_account(cf: Any, org: dict[str, Any]) -> None:
    """AWS is not known to reject an OU id the organization lacks: it is accepted and reaches no account."""
    _service_managed(cf)
    operation_id = cf.create_stack_instances(
        StackSetName="guardrails",
        DeploymentTargets={"OrganizationalUnitIds": ["ou-zzzz-99999999"]},
        Regions=[REGION],
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="guardrails", OperationId=operation_id)
    assert operation["StackSetOperation"]["Status"] == "SUCCEEDED"
    assert cf.list_stack_instances(StackSetName="guardrails")["Summaries"] == []


def test_service_managed_without_an_organization(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _service_managed(cf)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "organizations access" in excinfo.value.response["Error"]["Message"]


def test_delegated_admin_only_when_registered(cf: Any, org: dict[str, Any]) -> None:
    admin_client = client_in(org["app1"])
    with pytest.raises(ClientError) as excinfo:
        admin_client.list_stack_sets(CallAs="DELEGATED_ADMIN")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == "Account used is not a delegated administrator"

    org["client"].register_delegated_administrator(AccountId=org["app1"], ServicePrincipal=PRINCIPAL)
    assert admin_client.list_stack_sets(CallAs="DELEGATED_ADMIN")["Summaries"] == []
    admin_client.create_stack_set(
        StackSetName="delegated",
        TemplateBody=TOPIC_TEMPLATE,
        PermissionModel="SERVICE_MANAGED",
        CallAs="DELEGATED_ADMIN",
    )
    assert admin_client.describe_stack_set(StackSetName="delegated", CallAs="DELEGATED_ADMIN")["StackSet"]
    # The management account itself is no delegated administrator.
    with pytest.raises(ClientError) as excinfo:
        cf.describe_stack_set(StackSetName="delegated", CallAs="DELEGATED_ADMIN")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert org["app1"] != ADMIN


def test_organizations_access_is_the_stacksets_trusted_access_of_moto_organizations(
    cf: Any, org: dict[str, Any]
) -> None:
    assert cf.describe_organizations_access()["Status"] == "DISABLED"
    cf.activate_organizations_access()
    assert cf.describe_organizations_access(CallAs="SELF")["Status"] == "ENABLED"
    principals = [
        s["ServicePrincipal"]
        for s in org["client"].list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    ]
    assert PRINCIPAL in principals
    cf.deactivate_organizations_access()
    assert cf.describe_organizations_access()["Status"] == "DISABLED"


def test_organizations_access_without_an_organization(cf: Any) -> None:
    for call in (cf.describe_organizations_access, cf.activate_organizations_access):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == ("InvalidOperationException", 400)
