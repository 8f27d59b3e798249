"""Templates AWS deploys deploy here: types moto cannot create, attributes moto lacks, unknown types refused.

The baseline below is what organisations deploy through stack sets (GuardDuty, CloudTrail, Config, Security
Hub, IAM Access Analyzer, Budgets, CloudWatch alarms); moto has no model for any of these types.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, REGION, client_in, error_of

BASELINE = {
    "Resources": {
        "Detector": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": True}},
        "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": True, "S3BucketName": "logs"}},
        "Rule": {
            "Type": "AWS::Config::ConfigRule",
            "Properties": {"ConfigRuleName": "s3-versioning", "Source": {"Owner": "AWS", "SourceIdentifier": "S3"}},
        },
        "Hub": {"Type": "AWS::SecurityHub::Hub"},
        "Analyzer": {"Type": "AWS::AccessAnalyzer::Analyzer", "Properties": {"Type": "ACCOUNT", "AnalyzerName": "org"}},
        "Budget": {
            "Type": "AWS::Budgets::Budget",
            "Properties": {"Budget": {"BudgetType": "COST", "TimeUnit": "MONTHLY"}},
        },
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": "root-login"}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
    },
    "Outputs": {
        "DetectorId": {"Value": {"Ref": "Detector"}},
        "DetectorIdAttribute": {"Value": {"Fn::GetAtt": ["Detector", "Id"]}},
        "TrailName": {"Value": {"Ref": "Trail"}},
        "TrailArn": {"Value": {"Fn::GetAtt": ["Trail", "Arn"]}},
        "RuleName": {"Value": {"Ref": "Rule"}},
        "RuleArn": {"Value": {"Fn::GetAtt": ["Rule", "Arn"]}},
        "RuleId": {"Value": {"Fn::GetAtt": ["Rule", "ConfigRuleId"]}},
        "HubArn": {"Value": {"Ref": "Hub"}},
        "HubSubscribedAt": {"Value": {"Fn::GetAtt": ["Hub", "SubscribedAt"]}},
        "AnalyzerArn": {"Value": {"Fn::GetAtt": ["Analyzer", "Arn"]}},
        "AlarmArn": {"Value": {"Fn::GetAtt": ["Alarm", "Arn"]}},
        "TopicArn": {"Value": {"Fn::GetAtt": ["Topic", "TopicArn"]}},
        "TopicArnInSub": {"Value": {"Fn::Sub": "${Topic.TopicArn}"}},
    },
}
TYPES = {name: resource["Type"] for name, resource in BASELINE["Resources"].items()}
UNKNOWN_TYPE = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topicc"}}})


def _outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}


def _check_baseline(stack: dict[str, Any], resources: list[dict[str, Any]], account: str, region: str) -> None:
    """What AWS documents for each type: Ref values, ARNs in the stack's account and region, ids."""
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = _outputs(stack)
    assert re.fullmatch(r"[0-9a-f]{32}", out["DetectorId"])
    assert out["DetectorIdAttribute"] == out["DetectorId"]
    assert out["TrailName"].startswith(f"{stack['StackName']}-Trail-")
    assert out["TrailArn"] == f"arn:aws:cloudtrail:{region}:{account}:trail/{out['TrailName']}"
    assert out["RuleName"] == "s3-versioning"
    assert out["RuleArn"] == f"arn:aws:config:{region}:{account}:config-rule/s3-versioning"
    assert out["RuleId"] not in ("", out["RuleName"])
    assert out["HubArn"] == f"arn:aws:securityhub:{region}:{account}:hub/default"
    assert out["HubSubscribedAt"][:4].isdigit()
    assert out["AnalyzerArn"] == f"arn:aws:access-analyzer:{region}:{account}:analyzer/org"
    assert out["AlarmArn"] == f"arn:aws:cloudwatch:{region}:{account}:alarm:root-login"
    assert out["TopicArn"] == out["TopicArnInSub"] == f"arn:aws:sns:{region}:{account}:alerts"
    by_id = {r["LogicalResourceId"]: r for r in resources}
    assert {name: r["ResourceType"] for name, r in by_id.items()} == TYPES
    assert by_id["Detector"]["PhysicalResourceId"] == out["DetectorId"]
    assert by_id["Trail"]["PhysicalResourceId"] == out["TrailName"]
    assert by_id["Hub"]["PhysicalResourceId"] == out["HubArn"]
    assert by_id["Alarm"]["PhysicalResourceId"] == "root-login"
    assert by_id["Topic"]["PhysicalResourceId"] == out["TopicArn"]
    assert all(r["ResourceStatus"] == "CREATE_COMPLETE" for r in resources)


def test_a_stack_of_types_moto_cannot_create(cf: Any) -> None:
    cf.create_stack(StackName="baseline", TemplateBody=json.dumps(BASELINE))
    (stack,) = cf.describe_stacks(StackName="baseline")["Stacks"]
    resources = cf.list_stack_resources(StackName="baseline")["StackResourceSummaries"]
    _check_baseline(stack, resources, "123456789012", REGION)
    described = cf.describe_stack_resources(StackName="baseline")["StackResources"]
    assert {r["LogicalResourceId"]: r["ResourceType"] for r in described} == TYPES


def test_values_are_made_once(cf: Any) -> None:
    cf.create_stack(StackName="baseline", TemplateBody=json.dumps(BASELINE))
    first = _outputs(cf.describe_stacks(StackName="baseline")["Stacks"][0])
    again = _outputs(cf.describe_stacks(StackName="baseline")["Stacks"][0])
    assert first == again


def test_update_keeps_the_resources_identity_and_delete_removes_them(cf: Any) -> None:
    cf.create_stack(StackName="baseline", TemplateBody=json.dumps(BASELINE))
    before = _outputs(cf.describe_stacks(StackName="baseline")["Stacks"][0])
    changed = json.loads(json.dumps(BASELINE))
    changed["Resources"]["Detector"]["Properties"]["Enable"] = False
    cf.update_stack(StackName="baseline", TemplateBody=json.dumps(changed))
    after = _outputs(cf.describe_stacks(StackName="baseline")["Stacks"][0])
    assert after["DetectorId"] == before["DetectorId"]
    cf.delete_stack(StackName="baseline")
    assert [s["StackStatus"] for s in cf.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]


def test_an_attribute_the_schema_does_not_list_is_still_refused(cf: Any) -> None:
    template = {
        "Resources": {"Detector": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": True}}},
        "Outputs": {"Nope": {"Value": {"Fn::GetAtt": ["Detector", "Nope"]}}},
    }
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack(StackName="nope", TemplateBody=json.dumps(template))
    assert error_of(excinfo) == ("ValidationError", 400)


@pytest.mark.parametrize(
    "call",
    [
        lambda cf: cf.create_stack(StackName="typo", TemplateBody=UNKNOWN_TYPE),
        lambda cf: cf.validate_template(TemplateBody=UNKNOWN_TYPE),
        lambda cf: cf.get_template_summary(TemplateBody=UNKNOWN_TYPE),
        lambda cf: cf.create_change_set(
            StackName="typo", ChangeSetName="c", ChangeSetType="CREATE", TemplateBody=UNKNOWN_TYPE
        ),
    ],
    ids=["CreateStack", "ValidateTemplate", "GetTemplateSummary", "CreateChangeSet"],
)
def test_a_type_that_exists_nowhere_is_a_template_format_error(cf: Any, call: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        call(cf)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert excinfo.value.response["Error"]["Message"] == (
        "Template format error: Unrecognized resource types: [AWS::SNS::Topicc]"
    )
    assert cf.describe_stacks()["Stacks"] == []  # nothing was made


def test_update_stack_refuses_an_unknown_type_and_changes_nothing(cf: Any) -> None:
    cf.create_stack(StackName="kept", TemplateBody=json.dumps(BASELINE))
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack(StackName="kept", TemplateBody=UNKNOWN_TYPE)
    assert "Unrecognized resource types: [AWS::SNS::Topicc]" in excinfo.value.response["Error"]["Message"]
    (stack,) = cf.describe_stacks(StackName="kept")["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert {r["LogicalResourceId"] for r in cf.list_stack_resources(StackName="kept")["StackResourceSummaries"]} == set(
        TYPES
    )


def test_a_type_behind_a_condition_is_not_refused(cf: Any) -> None:
    template = {
        "Conditions": {"Never": {"Fn::Equals": ["a", "b"]}},
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Typo": {"Type": "AWS::SNS::Topicc", "Condition": "Never"},
        },
    }
    cf.create_stack(StackName="conditional", TemplateBody=json.dumps(template))
    assert cf.describe_stacks(StackName="conditional")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_instance_stacks_of_a_baseline_in_the_target_accounts(cf: Any) -> None:
    cf.create_stack_set(StackSetName="baseline", TemplateBody=json.dumps(BASELINE))
    op = cf.create_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION, "eu-west-1"]
    )
    assert (
        cf.describe_stack_set_operation(StackSetName="baseline", OperationId=op["OperationId"])["StackSetOperation"][
            "Status"
        ]
        == "SUCCEEDED"
    )
    for account in (ACCOUNT_A, ACCOUNT_B):
        for region in (REGION, "eu-west-1"):
            stack_id = cf.describe_stack_instance(
                StackSetName="baseline", StackInstanceAccount=account, StackInstanceRegion=region
            )["StackInstance"]["StackId"]
            there = client_in(account, region=region)
            (stack,) = there.describe_stacks(StackName=stack_id)["Stacks"]
            resources = there.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
            _check_baseline(stack, resources, account, region)
            described = there.describe_stack_resources(StackName=stack_id)["StackResources"]
            assert len(described) == len(TYPES)


def test_a_stack_set_with_an_unknown_type_fails_its_instances(cf: Any) -> None:
    cf.create_stack_set(StackSetName="typo", TemplateBody=UNKNOWN_TYPE)  # not known to be refused here
    op = cf.create_stack_instances(
        StackSetName="typo", Accounts=[ACCOUNT_A], Regions=[REGION], OperationPreferences={"FailureToleranceCount": 0}
    )["OperationId"]
    assert (
        cf.describe_stack_set_operation(StackSetName="typo", OperationId=op)["StackSetOperation"]["Status"] == "FAILED"
    )
    (result,) = cf.list_stack_set_operation_results(StackSetName="typo", OperationId=op)["Summaries"]
    assert result["StatusReason"] == "Template format error: Unrecognized resource types: [AWS::SNS::Topicc]"
    assert client_in(ACCOUNT_A).describe_stacks()["Stacks"] == []


def test_server_mode_instance_stacks_and_refusal(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    server_cf.create_stack_set(StackSetName="baseline", TemplateBody=json.dumps(BASELINE))
    server_cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    stack_id = server_cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )["StackInstance"]["StackId"]
    there = client_in(ACCOUNT_A, endpoint=server.endpoint)
    (stack,) = there.describe_stacks(StackName=stack_id)["Stacks"]
    _check_baseline(stack, there.list_stack_resources(StackName=stack_id)["StackResourceSummaries"], ACCOUNT_A, REGION)
    with pytest.raises(ClientError) as excinfo:
        server_cf.validate_template(TemplateBody=UNKNOWN_TYPE)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "Unrecognized resource types: [AWS::SNS::Topicc]" in excinfo.value.response["Error"]["Message"]
