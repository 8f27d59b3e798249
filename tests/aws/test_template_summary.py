"""GetTemplateSummary of a stack set's template (StackSetName, by name or id, with CallAs)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from support import error_of

TEMPLATE = json.dumps(
    {
        "Description": "guardrails",
        "Parameters": {
            "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"], "Description": "stage"},
            "Token": {"Type": "String", "NoEcho": True},
        },
        "Resources": {
            "Alerts": {"Type": "AWS::SNS::Topic"},
            "Audit": {"Type": "AWS::SNS::Topic"},
            "Reader": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
            },
        },
    }
)


def _summary(cf: Any, **kwargs: Any) -> dict[str, Any]:
    answer: dict[str, Any] = cf.get_template_summary(**kwargs)
    answer.pop("ResponseMetadata")
    return answer


EXPECTED = {
    "Description": "guardrails",
    "Parameters": [
        {
            "ParameterKey": "Env",
            "DefaultValue": "dev",
            "ParameterType": "String",
            "NoEcho": False,
            "Description": "stage",
            "ParameterConstraints": {"AllowedValues": ["dev", "prod"]},
        },
        {
            "ParameterKey": "Token",
            "ParameterType": "String",
            "NoEcho": True,
            "ParameterConstraints": {"AllowedValues": []},
        },
    ],
    "Capabilities": ["CAPABILITY_IAM"],
    "CapabilitiesReason": "The following resource(s) require capabilities: [AWS::IAM::Role]",
    "ResourceTypes": ["AWS::SNS::Topic", "AWS::SNS::Topic", "AWS::IAM::Role"],
    "Version": "2010-09-09",
    # no DeclaredTransforms without transforms: AWS's recorded answer (localstack/localstack
    # tests/aws/services/cloudformation/api/test_templates.snapshot.json, test_get_template_summary, 2023-05)
}


def test_summary_of_a_stack_set_by_name_and_by_id(cf: Any) -> None:
    stack_set_id = cf.create_stack_set(
        StackSetName="guardrails", TemplateBody=TEMPLATE, Capabilities=["CAPABILITY_IAM"]
    )["StackSetId"]
    assert _summary(cf, StackSetName="guardrails") == EXPECTED
    assert _summary(cf, StackSetName=stack_set_id, CallAs="SELF") == EXPECTED


def test_named_iam_resources_and_nested_stacks_need_more_capabilities(cf: Any) -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": ["MyMacro"],
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "reader", "AssumeRolePolicyDocument": {}}},
            "Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://x/t.json"}},
        },
    }
    cf.create_stack_set(StackSetName="named", TemplateBody=json.dumps(template))
    summary = _summary(cf, StackSetName="named")
    assert summary["Capabilities"] == ["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
    assert summary["CapabilitiesReason"] == (
        "The following resource(s) require capabilities: [AWS::IAM::Role, AWS::CloudFormation::Stack]"
    )
    assert summary["DeclaredTransforms"] == ["MyMacro"]
    assert summary["Parameters"] == []
    assert "Capabilities" not in _summary(cf, TemplateBody='{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')


def test_summary_errors(cf: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.get_template_summary(StackSetName="missing")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
    cf.create_stack_set(StackSetName="guardrails", TemplateBody=TEMPLATE)
    with pytest.raises(ClientError) as excinfo:
        cf.get_template_summary(StackSetName="guardrails", CallAs="DELEGATED_ADMIN")
    assert error_of(excinfo) == ("ValidationError", 400)
    with pytest.raises(ClientError) as excinfo:
        cf.get_template_summary(StackSetName="guardrails", TemplateBody=TEMPLATE)
    assert error_of(excinfo) == ("ValidationError", 400)


def test_summary_without_stack_set_name_is_motos(cf: Any) -> None:
    summary = _summary(cf, TemplateBody=TEMPLATE)
    assert summary["ResourceTypes"] == ["AWS::SNS::Topic", "AWS::SNS::Topic", "AWS::IAM::Role"]
    cf.create_stack(
        StackName="app",
        TemplateBody=TEMPLATE,
        Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": "Token", "ParameterValue": "t"}],
    )
    assert _summary(cf, StackName="app")["Description"] == "guardrails"


def test_summary_in_server_mode(server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="guardrails", TemplateBody=TEMPLATE)
    assert _summary(server_cf, StackSetName="guardrails") == EXPECTED
    with pytest.raises(ClientError) as excinfo:
        server_cf.get_template_summary(StackSetName="missing")
    assert error_of(excinfo) == ("StackSetNotFoundException", 404)
