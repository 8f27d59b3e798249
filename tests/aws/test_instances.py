"""Stack instances: real moto stacks in the target accounts, describe/list shapes, filters, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from support import ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, REGION, TOPIC_TEMPLATE, client_in, error_of

OTHER_REGION = "eu-west-1"


@pytest.fixture
def baseline(cf: Any) -> str:
    return str(cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"])


def _instance(cf: Any, account: str, region: str = REGION) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=account, StackInstanceRegion=region
    )["StackInstance"]
    return found


def test_self_managed_instances_create_real_stacks_in_target_accounts(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])

    instance = _instance(cf, ACCOUNT_B)
    stack_id = instance["StackId"]
    assert stack_id.startswith(f"arn:aws:cloudformation:{REGION}:{ACCOUNT_B}:stack/StackSet-baseline-")
    stack_name = stack_id.split("/")[1]

    in_b = client_in(ACCOUNT_B)
    (stack,) = in_b.describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackName"] == stack_name
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    topic_arn = stack["Outputs"][0]["OutputValue"]
    assert topic_arn.startswith(f"arn:aws:sns:{REGION}:{ACCOUNT_B}:{stack_name}-Topic-")
    topics = client_in(ACCOUNT_B, "sns").list_topics()["Topics"]
    assert {"TopicArn": topic_arn} in topics
    # Account A has its own stack, account C none.
    assert _instance(cf, ACCOUNT_A)["StackId"] != stack_id
    assert client_in(ACCOUNT_C).describe_stacks()["Stacks"] == []


def test_stack_id_is_stable_across_reads(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    first = _instance(cf, ACCOUNT_A)["StackId"]
    assert _instance(cf, ACCOUNT_A)["StackId"] == first
    assert cf.list_stack_instances(StackSetName="baseline")["Summaries"][0]["StackId"] == first


def test_describe_stack_instance_shape(cf: Any, baseline: str) -> None:
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A],
        Regions=[REGION],
        ParameterOverrides=[{"ParameterKey": "Env", "ParameterValue": "prod"}],
    )["OperationId"]
    instance = _instance(cf, ACCOUNT_A)
    assert instance["StackSetId"] == baseline
    assert (instance["Account"], instance["Region"]) == (ACCOUNT_A, REGION)
    assert instance["Status"] == "CURRENT"
    assert instance["StackInstanceStatus"] == {"DetailedStatus": "SUCCEEDED"}
    assert instance["OrganizationalUnitId"] == ""
    assert instance["DriftStatus"] == "NOT_CHECKED"
    assert instance["LastOperationId"] == operation_id
    assert instance["ParameterOverrides"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}]
    stack = client_in(ACCOUNT_A).describe_stacks(StackName=instance["StackId"])["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}]


def test_describe_without_overrides_has_an_empty_list(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    assert _instance(cf, ACCOUNT_A)["ParameterOverrides"] == []


def test_unknown_instance(cf: Any, baseline: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        _instance(cf, ACCOUNT_C)
    assert error_of(excinfo) == ("StackInstanceNotFoundException", 404)


def test_recreating_an_existing_instance_is_a_no_op(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    stack_id = _instance(cf, ACCOUNT_A)["StackId"]
    again = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
    instance = _instance(cf, ACCOUNT_A)
    assert instance["StackId"] == stack_id
    assert instance["LastOperationId"] == again
    assert instance["StatusReason"] == "No updates are to be performed."
    assert len(client_in(ACCOUNT_A).describe_stacks()["Stacks"]) == 1


def test_update_instances_applies_overrides_to_the_stack(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    cf.update_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A],
        Regions=[REGION],
        ParameterOverrides=[{"ParameterKey": "Env", "ParameterValue": "staging"}],
    )
    instance = _instance(cf, ACCOUNT_A)
    assert instance["ParameterOverrides"] == [{"ParameterKey": "Env", "ParameterValue": "staging"}]
    stack = client_in(ACCOUNT_A).describe_stacks(StackName=instance["StackId"])["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "staging"}]


def test_update_of_a_missing_instance_changes_nothing(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    assert error_of(excinfo) == ("StackInstanceNotFoundException", 404)
    assert len(cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]) == 1


def test_delete_instances_deletes_stacks(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION, OTHER_REGION])
    stack_id = _instance(cf, ACCOUNT_A)["StackId"]
    operation_id = cf.delete_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    assert operation["StackSetOperation"]["RetainStacks"] is False
    assert [(i["Account"], i["Region"]) for i in cf.list_stack_instances(StackSetName="baseline")["Summaries"]] == [
        (ACCOUNT_A, OTHER_REGION)
    ]
    (stack,) = client_in(ACCOUNT_A).describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackStatus"] == "DELETE_COMPLETE"


def test_delete_instances_with_retain_stacks_keeps_them(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    stack_id = _instance(cf, ACCOUNT_A)["StackId"]
    operation_id = cf.delete_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=True
    )["OperationId"]
    assert cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"][
        "RetainStacks"
    ]
    assert cf.list_stack_instances(StackSetName="baseline")["Summaries"] == []
    (stack,) = client_in(ACCOUNT_A).describe_stacks(StackName=stack_id)["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    cf.delete_stack_set(StackSetName="baseline")


def test_delete_of_absent_instances_succeeds_with_no_results(cf: Any, baseline: str) -> None:
    operation_id = cf.delete_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_C], Regions=[REGION], RetainStacks=False
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "SUCCEEDED"
    assert cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"] == []


def test_a_template_moto_rejects_fails_the_instance_with_motos_reason(cf: Any) -> None:
    broken = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Name": {"Ref": "Nope"}}}}})
    cf.create_stack_set(StackSetName="baseline", TemplateBody=broken)
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    instance = _instance(cf, ACCOUNT_A)
    assert instance["Status"] == "OUTDATED"
    assert instance["StackInstanceStatus"] == {"DetailedStatus": "FAILED"}
    assert "StackId" not in instance
    assert instance["StatusReason"]
    (result,) = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    assert result["Status"] == "FAILED"
    assert result["StatusReason"] == instance["StatusReason"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "FAILED"
    assert operation["StatusDetails"]["FailedStackInstancesCount"] == 1
    assert client_in(ACCOUNT_A).describe_stacks()["Stacks"] == []


def test_list_instances_filters(cf: Any, baseline: str) -> None:
    first = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])[
        "OperationId"
    ]
    second = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_C], Regions=[OTHER_REGION])[
        "OperationId"
    ]

    def listed(**kwargs: Any) -> list[tuple[str, str]]:
        return [
            (s["Account"], s["Region"]) for s in cf.list_stack_instances(StackSetName="baseline", **kwargs)["Summaries"]
        ]

    assert listed() == [(ACCOUNT_A, REGION), (ACCOUNT_B, REGION), (ACCOUNT_C, OTHER_REGION)]
    assert listed(StackInstanceAccount=ACCOUNT_B) == [(ACCOUNT_B, REGION)]
    assert listed(StackInstanceRegion=OTHER_REGION) == [(ACCOUNT_C, OTHER_REGION)]
    assert listed(Filters=[{"Name": "LAST_OPERATION_ID", "Values": first}]) == [
        (ACCOUNT_A, REGION),
        (ACCOUNT_B, REGION),
    ]
    assert listed(Filters=[{"Name": "LAST_OPERATION_ID", "Values": second}]) == [(ACCOUNT_C, OTHER_REGION)]
    assert listed(Filters=[{"Name": "DETAILED_STATUS", "Values": "FAILED"}]) == []
    assert len(listed(Filters=[{"Name": "DRIFT_STATUS", "Values": "NOT_CHECKED"}])) == 3
    assert listed(
        Filters=[{"Name": "DETAILED_STATUS", "Values": "SUCCEEDED"}, {"Name": "LAST_OPERATION_ID", "Values": first}],
        StackInstanceAccount=ACCOUNT_A,
    ) == [(ACCOUNT_A, REGION)]


def test_list_instances_summary_has_no_parameter_overrides(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])
    (summary,) = cf.list_stack_instances(StackSetName="baseline")["Summaries"]
    assert "ParameterOverrides" not in summary
    assert summary["OrganizationalUnitId"] == ""


def test_instance_arguments_are_validated(cf: Any, baseline: str) -> None:
    for kwargs, code in [
        ({"Accounts": ["12345"], "Regions": [REGION]}, "ValidationError"),
        ({"Regions": [REGION]}, "ValidationError"),
        (
            {"Accounts": [ACCOUNT_A], "Regions": [REGION], "DeploymentTargets": {"Accounts": [ACCOUNT_A]}},
            "ValidationError",
        ),
        (
            {"DeploymentTargets": {"OrganizationalUnitIds": ["ou-abcd-12345678"]}, "Regions": [REGION]},
            "ValidationError",
        ),
    ]:
        with pytest.raises(ClientError) as excinfo:
            cf.create_stack_instances(StackSetName="baseline", **kwargs)
        assert error_of(excinfo) == (code, 400), kwargs
    assert cf.list_stack_instances(StackSetName="baseline")["Summaries"] == []
    assert cf.list_stack_set_operations(StackSetName="baseline")["Summaries"] == []


def test_empty_regions_are_accepted_and_deploy_nothing(cf: Any, baseline: str) -> None:
    """AWS is not known to reject an empty Regions list: the operation has no targets."""
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[])["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "SUCCEEDED"
    assert cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"] == []
    assert cf.list_stack_instances(StackSetName="baseline")["Summaries"] == []


def test_deployment_targets_accounts_for_self_managed(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", DeploymentTargets={"Accounts": [ACCOUNT_B]}, Regions=[REGION])
    assert _instance(cf, ACCOUNT_B)["Status"] == "CURRENT"


def test_regions_of_the_stack_set(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION, OTHER_REGION])
    assert sorted(cf.describe_stack_set(StackSetName="baseline")["StackSet"]["Regions"]) == [OTHER_REGION, REGION]
