"""UsePreviousValue, template format errors and what a failed deployment reports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from support import ACCOUNT_A, ACCOUNT_B, REGION, client_in, error_of

TEMPLATE = json.dumps(
    {
        "Parameters": {"Env": {"Type": "String"}, "Team": {"Type": "String", "Default": "platform"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Env"}}}},
        "Outputs": {"Team": {"Value": {"Ref": "Team"}}},
    }
)


def _values(parameters: list[dict[str, Any]]) -> dict[str, str]:
    return {p["ParameterKey"]: p["ParameterValue"] for p in parameters}


def _stack_parameters(account: str) -> dict[str, str]:
    (stack,) = client_in(account).describe_stacks()["Stacks"]
    return _values(stack["Parameters"])


@pytest.fixture
def params_set(cf: Any) -> str:
    cf.create_stack_set(
        StackSetName="params",
        TemplateBody=TEMPLATE,
        Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}, {"ParameterKey": "Team", "ParameterValue": "a"}],
    )
    cf.create_stack_instances(StackSetName="params", Accounts=[ACCOUNT_A], Regions=[REGION])
    return "params"


def test_update_stack_set_use_previous_value_keeps_the_value(cf: Any, params_set: str) -> None:
    cf.update_stack_set(
        StackSetName="params",
        UsePreviousTemplate=True,
        Parameters=[
            {"ParameterKey": "Env", "ParameterValue": "prod"},
            {"ParameterKey": "Team", "UsePreviousValue": True},
        ],
    )
    stack_set = cf.describe_stack_set(StackSetName="params")["StackSet"]
    assert stack_set["Parameters"] == [
        {"ParameterKey": "Env", "ParameterValue": "prod"},
        {"ParameterKey": "Team", "ParameterValue": "a"},
    ]
    assert _stack_parameters(ACCOUNT_A) == {"Env": "prod", "Team": "a"}


def test_use_previous_value_of_a_key_never_set_leaves_the_template_default(cf: Any) -> None:
    cf.create_stack_set(
        StackSetName="params", TemplateBody=TEMPLATE, Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}]
    )
    cf.update_stack_set(
        StackSetName="params",
        TemplateBody=TEMPLATE,
        Parameters=[
            {"ParameterKey": "Env", "UsePreviousValue": True},
            {"ParameterKey": "Team", "UsePreviousValue": True},
        ],
    )
    parameters = cf.describe_stack_set(StackSetName="params")["StackSet"]["Parameters"]
    assert parameters == [{"ParameterKey": "Env", "ParameterValue": "dev"}]


def test_parameter_overrides_use_previous_value(cf: Any, params_set: str) -> None:
    cf.update_stack_instances(
        StackSetName="params",
        Accounts=[ACCOUNT_A],
        Regions=[REGION],
        ParameterOverrides=[{"ParameterKey": "Env", "ParameterValue": "override"}],
    )
    # Keep Env's override, add one for Team.
    cf.update_stack_instances(
        StackSetName="params",
        Accounts=[ACCOUNT_A],
        Regions=[REGION],
        ParameterOverrides=[
            {"ParameterKey": "Env", "UsePreviousValue": True},
            {"ParameterKey": "Team", "ParameterValue": "b"},
        ],
    )
    instance = cf.describe_stack_instance(
        StackSetName="params", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )["StackInstance"]
    assert _values(instance["ParameterOverrides"]) == {"Env": "override", "Team": "b"}
    assert _stack_parameters(ACCOUNT_A) == {"Env": "override", "Team": "b"}
    # A new instance has no previous override: the stack set's value applies.
    cf.create_stack_instances(
        StackSetName="params",
        Accounts=[ACCOUNT_B],
        Regions=[REGION],
        ParameterOverrides=[{"ParameterKey": "Env", "UsePreviousValue": True}],
    )
    fresh = cf.describe_stack_instance(
        StackSetName="params", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )["StackInstance"]
    assert fresh["ParameterOverrides"] == []
    assert _stack_parameters(ACCOUNT_B) == {"Env": "dev", "Team": "a"}


def test_use_previous_value_with_a_value_is_refused(cf: Any, params_set: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_set(
            StackSetName="params",
            UsePreviousTemplate=True,
            Parameters=[{"ParameterKey": "Env", "ParameterValue": "x", "UsePreviousValue": True}],
        )
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "Cannot specify usePreviousValue as true and non empty value" in excinfo.value.response["Error"]["Message"]
    assert len(cf.list_stack_set_operations(StackSetName="params")["Summaries"]) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not a template {", "Template format error: unsupported structure."),
        ('{"Resources": ', "Template format error: JSON not well-formed. (line 1, column 15)"),
        ("Resources:\n  - a\n b: c", "Template format error: YAML not well-formed. (line 3, column 2)"),
        ("- a list\n- of things", "Template format error: unsupported structure."),
    ],
)
def test_create_stack_set_refuses_a_malformed_template(cf: Any, body: str, message: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_set(StackSetName="broken", TemplateBody=body)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == message
    assert cf.list_stack_sets()["Summaries"] == []


def test_update_stack_set_refuses_a_malformed_template_and_changes_nothing(cf: Any, params_set: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_set(StackSetName="params", TemplateBody="not a template {")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == "Template format error: unsupported structure."
    assert cf.describe_stack_set(StackSetName="params")["StackSet"]["TemplateBody"] == TEMPLATE
    assert len(cf.list_stack_set_operations(StackSetName="params")["Summaries"]) == 1


def test_yaml_templates_with_short_form_tags_are_accepted(cf: Any) -> None:
    body = "Parameters:\n  Env: {Type: String, Default: dev}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
    body += "    Properties:\n      DisplayName: !Ref Env\n"
    cf.create_stack_set(StackSetName="yaml", TemplateBody=body)
    cf.create_stack_instances(StackSetName="yaml", Accounts=[ACCOUNT_A], Regions=[REGION])
    (summary,) = cf.list_stack_instances(StackSetName="yaml")["Summaries"]
    assert summary["Status"] == "CURRENT"


def test_a_failure_inside_moto_reports_internal_failure_not_python_text(cf: Any) -> None:
    # moto's SNS model raises AttributeError on Properties that are not a mapping.
    body = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": "oops"}}})
    cf.create_stack_set(StackSetName="odd", TemplateBody=body)
    operation_id = cf.create_stack_instances(StackSetName="odd", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
    (summary,) = cf.list_stack_instances(StackSetName="odd")["Summaries"]
    assert summary["StackInstanceStatus"] == {"DetailedStatus": "FAILED"}
    assert summary["StatusReason"] == "Internal Failure"
    (result,) = cf.list_stack_set_operation_results(StackSetName="odd", OperationId=operation_id)["Summaries"]
    assert result["StatusReason"] == "Internal Failure"


def test_malformed_template_and_use_previous_value_in_server_mode(server_cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        server_cf.create_stack_set(StackSetName="broken", TemplateBody="not a template {")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == "Template format error: unsupported structure."
    server_cf.create_stack_set(
        StackSetName="params", TemplateBody=TEMPLATE, Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}]
    )
    server_cf.update_stack_set(
        StackSetName="params", UsePreviousTemplate=True, Parameters=[{"ParameterKey": "Env", "UsePreviousValue": True}]
    )
    parameters = server_cf.describe_stack_set(StackSetName="params")["StackSet"]["Parameters"]
    assert parameters == [{"ParameterKey": "Env", "ParameterValue": "dev"}]


def test_a_template_without_resources_is_accepted(cf: Any) -> None:
    """AWS is not known to refuse it for a stack set (moto's own suite creates one); moto deploys it as it is."""
    cf.create_stack_set(StackSetName="empty", TemplateBody='{"Resources": {}}')
    cf.create_stack_instances(StackSetName="empty", Accounts=[ACCOUNT_A], Regions=[REGION])
    (summary,) = cf.list_stack_instances(StackSetName="empty")["Summaries"]
    assert summary["Status"] == "CURRENT"
