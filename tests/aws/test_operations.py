"""Operations: ids, shapes, ordering, results, stop, and the errors around them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, error_of

EU = "eu-west-1"


@pytest.fixture
def baseline(cf: Any) -> str:
    return str(cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"])


def _describe(cf: Any, operation_id: str) -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)[
        "StackSetOperation"
    ]
    return found


def test_the_callers_operation_id_is_used_by_every_mutating_call(cf: Any, baseline: str) -> None:
    assert (
        cf.create_stack_instances(
            StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationId="op-create"
        )["OperationId"]
        == "op-create"
    )
    assert (
        cf.update_stack_instances(
            StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationId="op-update"
        )["OperationId"]
        == "op-update"
    )
    assert (
        cf.update_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE, OperationId="op-set")["OperationId"]
        == "op-set"
    )
    assert (
        cf.delete_stack_instances(
            StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=False, OperationId="op-delete"
        )["OperationId"]
        == "op-delete"
    )
    actions = [
        (s["OperationId"], s["Action"]) for s in cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    ]
    assert actions == [("op-delete", "DELETE"), ("op-set", "UPDATE"), ("op-update", "UPDATE"), ("op-create", "CREATE")]


def test_generated_operation_ids_are_lowercase_uuids(cf: Any, baseline: str) -> None:
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    assert str(uuid.UUID(operation_id)) == operation_id


def test_describe_operation_shape(cf: Any, baseline: str) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION, EU],
        OperationPreferences={"RegionOrder": [EU, REGION], "FailureToleranceCount": 1, "MaxConcurrentCount": 2},
    )["OperationId"]
    operation = _describe(cf, operation_id)
    assert operation["OperationId"] == operation_id
    assert operation["StackSetId"] == baseline
    assert operation["Action"] == "CREATE"
    assert operation["Status"] == "SUCCEEDED"
    assert operation["OperationPreferences"] == {
        "RegionOrder": [EU, REGION],
        "FailureToleranceCount": 1,
        "MaxConcurrentCount": 2,
    }
    assert operation["StatusDetails"]["FailedStackInstancesCount"] == 0
    assert operation["AdministrationRoleARN"].endswith(":role/AWSCloudFormationStackSetAdministrationRole")
    assert operation["ExecutionRoleName"] == "AWSCloudFormationStackSetExecutionRole"
    assert "RetainStacks" not in operation
    assert "StatusReason" not in operation
    assert before <= operation["CreationTimestamp"] <= operation["EndTimestamp"]
    assert operation["EndTimestamp"] <= datetime.now(timezone.utc)


def test_preferences_echo_region_order_when_none_given(cf: Any, baseline: str) -> None:
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    assert _describe(cf, operation_id)["OperationPreferences"] == {"RegionOrder": []}
    (summary,) = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    assert summary["OperationPreferences"] == {"RegionOrder": []}


def test_percentages_and_modes_are_echoed_as_sent(cf: Any, baseline: str) -> None:
    preferences = {
        "RegionConcurrencyType": "PARALLEL",
        "FailureTolerancePercentage": 50,
        "MaxConcurrentPercentage": 100,
        "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE",
    }
    operation_id = cf.create_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationPreferences=preferences
    )["OperationId"]
    assert _describe(cf, operation_id)["OperationPreferences"] == {"RegionOrder": [], **preferences}


def test_list_operations_is_newest_first_with_summary_fields(cf: Any, baseline: str) -> None:
    ids = [
        cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
        for _ in range(3)
    ]
    summaries = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    assert [s["OperationId"] for s in summaries] == ids[::-1]
    for summary in summaries:
        assert set(summary) == {
            "OperationId",
            "Action",
            "Status",
            "CreationTimestamp",
            "EndTimestamp",
            "StatusDetails",
            "OperationPreferences",
        }


def test_failed_operation_has_a_status_reason(cf: Any, baseline: str) -> None:
    control.fail(account=ACCOUNT_B, region=REGION, reason="quota exceeded in B")
    operation_id = cf.create_stack_instances(
        StackSetName="baseline", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION]
    )["OperationId"]
    operation = _describe(cf, operation_id)
    assert operation["Status"] == "FAILED"
    assert operation["StatusReason"]
    (summary,) = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    assert summary["StatusReason"] == operation["StatusReason"]
    assert summary["StatusDetails"]["FailedStackInstancesCount"] == 1


def test_unknown_operation(cf: Any, baseline: str) -> None:
    for call in (
        lambda: cf.describe_stack_set_operation(StackSetName="baseline", OperationId="nope"),
        lambda: cf.list_stack_set_operation_results(StackSetName="baseline", OperationId="nope"),
        lambda: cf.stop_stack_set_operation(StackSetName="baseline", OperationId="nope"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == ("OperationNotFoundException", 404)


def test_operation_of_another_stack_set_is_not_found(cf: Any, baseline: str) -> None:
    cf.create_stack_set(StackSetName="other", TemplateBody=TOPIC_TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="other", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    with pytest.raises(ClientError) as excinfo:
        _describe(cf, operation_id)
    assert error_of(excinfo) == ("OperationNotFoundException", 404)


def test_reusing_the_id_of_a_finished_operation(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationId="once")
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_B], Regions=[REGION], OperationId="once")
    assert error_of(excinfo) == ("OperationIdAlreadyExistsException", 409)
    assert [i["Account"] for i in cf.list_stack_instances(StackSetName="baseline")["Summaries"]] == [ACCOUNT_A]
    assert len(cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]) == 1


def test_reusing_an_id_after_a_later_operation_is_stale(cf: Any, baseline: str) -> None:
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationId="first")
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_B], Regions=[REGION], OperationId="second")
    with pytest.raises(ClientError) as excinfo:
        cf.update_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE, OperationId="first")
    assert error_of(excinfo) == ("StaleRequestException", 409)


def test_stopping_a_finished_operation_is_invalid_and_changes_nothing(cf: Any, baseline: str) -> None:
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    with pytest.raises(ClientError) as excinfo:
        cf.stop_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
    assert error_of(excinfo) == ("InvalidOperationException", 400)
    assert _describe(cf, operation_id)["Status"] == "SUCCEEDED"


def test_results_rows_and_status_filter(cf: Any, baseline: str) -> None:
    control.fail(account=ACCOUNT_B, region=EU, reason="no capacity")
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION, EU],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    rows = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id)["Summaries"]
    assert {(r["Account"], r["Region"], r["Status"]) for r in rows} == {
        (ACCOUNT_A, REGION, "SUCCEEDED"),
        (ACCOUNT_B, REGION, "SUCCEEDED"),
        (ACCOUNT_A, EU, "SUCCEEDED"),
        (ACCOUNT_B, EU, "FAILED"),
    }
    for row in rows:
        assert row["OrganizationalUnitId"] == ""
        assert row["AccountGateResult"]["Status"] == "SKIPPED"
        assert row["AccountGateResult"]["StatusReason"] == (
            f"Function not found: arn:aws:lambda:{row['Region']}:{row['Account']}:function:"
            "AWSCloudFormationStackSetAccountGate"
        )
    (failed,) = cf.list_stack_set_operation_results(
        StackSetName="baseline",
        OperationId=operation_id,
        Filters=[{"Name": "OPERATION_RESULT_STATUS", "Values": "FAILED"}],
    )["Summaries"]
    assert (failed["Account"], failed["Region"], failed["StatusReason"]) == (ACCOUNT_B, EU, "no capacity")
    operation = _describe(cf, operation_id)
    assert operation["Status"] == "SUCCEEDED"
    assert operation["StatusDetails"]["FailedStackInstancesCount"] == 1


@pytest.mark.parametrize(
    ("filters", "fragment"),
    [
        ([{"Name": "OPERATION_RESULT_STATUS", "Values": "SUCCEEDED1"}], "length less than or equal to 9"),
        ([{"Name": "STATUS", "Values": "FAILED"}], "enum value set"),
    ],
)
def test_result_filters_are_validated(cf: Any, baseline: str, filters: list[dict[str, str]], fragment: str) -> None:
    operation_id = cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=operation_id, Filters=filters)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert fragment in excinfo.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("preferences", "message"),
    [
        (
            {"FailureToleranceCount": 1, "FailureTolerancePercentage": 10},
            "Exactly one of FailureTolerancePercentage and FailureToleranceCount must be specified since both "
            "parameters are present",
        ),
        (
            {"MaxConcurrentCount": 1, "MaxConcurrentPercentage": 10},
            "Exactly one of MaxConcurrentPercentage and MaxConcurrentCount must be specified since both "
            "parameters are present",
        ),
        (
            {"FailureTolerancePercentage": 101},
            "1 validation error detected: Value '101' at 'operationPreferences.failureTolerancePercentage' "
            "failed to satisfy constraint: Member must have value less than or equal to 100",
        ),
        ({"RegionConcurrencyType": "RANDOM"}, "enum value set: [SEQUENTIAL, PARALLEL]"),
    ],
)
def test_preferences_are_validated_and_change_nothing(
    cf: Any, baseline: str, preferences: dict[str, Any], message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.create_stack_instances(
            StackSetName="baseline", Accounts=[ACCOUNT_A], Regions=[REGION], OperationPreferences=preferences
        )
    assert error_of(excinfo) == ("ValidationError", 400)
    assert message in excinfo.value.response["Error"]["Message"]
    assert cf.list_stack_set_operations(StackSetName="baseline")["Summaries"] == []
    assert cf.list_stack_instances(StackSetName="baseline")["Summaries"] == []


def test_region_order_naming_regions_outside_the_call_is_accepted(cf: Any, baseline: str) -> None:
    """AWS is not known to reject it (Ansible's cloudformation_stack_set sends all its regions as RegionOrder)."""
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=[ACCOUNT_A],
        Regions=[REGION],
        OperationPreferences={"RegionOrder": [EU, REGION]},
    )["OperationId"]
    operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "SUCCEEDED"
    assert operation["OperationPreferences"]["RegionOrder"] == [EU, REGION]
