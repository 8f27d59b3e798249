"""ListHookResults and GetHookResult over results seeded with the control API."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from moto_stacksets_ext import control

from support import ADMIN, REGION, error_of

HOOK = "MyCompany::Testing::MyTestHook"
HOOK_ARN = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
OTHER = "MyCompany::Testing::Other"
CHANGE_SET = f"arn:aws:cloudformation:{REGION}:{ADMIN}:changeSet/cs1/0d3a2b4c-1111-2222-3333-444455556666"
TOKEN = "6f1d6c1e-8a3b-4f6e-9d2a-0c1b2a3d4e5f"
UUID = re.compile(r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")


@pytest.fixture
def seeded(cf: Any) -> dict[str, str]:
    control.freeze_clock()
    ids = {}
    ids["cs_ok"] = control.record_hook_result(
        type_name=HOOK,
        target_type="CHANGE_SET",
        target_id=CHANGE_SET,
        hook_execution_target=f"arn:aws:cloudformation:{REGION}:{ADMIN}:stack/app/11111111-2222-3333-4444-555555555555",
    ).hook_result_id
    control.advance(1)
    ids["cs_failed"] = control.record_hook_result(
        type_name=OTHER,
        target_type="CHANGE_SET",
        target_id=CHANGE_SET,
        status="HOOK_COMPLETE_FAILED",
        reason="Bucket must be encrypted",
        failure_mode="WARN",
    ).hook_result_id
    control.advance(1)
    ids["cc"] = control.record_hook_result(
        type_name=HOOK,
        target_type="CLOUD_CONTROL",
        target_id=TOKEN,
        status="HOOK_COMPLETE_FAILED",
        reason="Hook completed with failed validations",
        resource_type="AWS::S3::Bucket",
        resource_id="my-s3-bucket",
        action="CREATE",
        annotations=[
            {
                "AnnotationName": "BucketEncryption",
                "Status": "FAILED",
                "StatusMessage": "Bucket is not encrypted",
                "RemediationMessage": "Enable SSE",
                "RemediationLink": "https://docs.aws.amazon.com/s3",
                "SeverityLevel": "HIGH",
            },
            {"AnnotationName": "BucketVersioning", "Status": "PASSED", "StatusMessage": "Versioning is on"},
        ],
    ).hook_result_id
    return ids


def test_no_parameters_lists_every_result_newest_first(cf: Any, seeded: dict[str, str]) -> None:
    response = cf.list_hook_results()
    results = response["HookResults"]
    assert [r["HookResultId"] for r in results] == [seeded["cc"], seeded["cs_failed"], seeded["cs_ok"]]
    assert "NextToken" not in response and "TargetType" not in response and "TargetId" not in response
    first = results[-1]
    assert UUID.match(first["HookResultId"])
    assert first["TypeArn"] == HOOK_ARN
    assert first["TypeName"] == HOOK
    assert first["TypeVersionId"] == "00000001"
    assert (first["InvocationPoint"], first["FailureMode"], first["Status"]) == (
        "PRE_PROVISION",
        "FAIL",
        "HOOK_COMPLETE_SUCCEEDED",
    )
    assert (first["TargetType"], first["TargetId"]) == ("CHANGE_SET", CHANGE_SET)
    assert first["HookExecutionTarget"].startswith(f"arn:aws:cloudformation:{REGION}:{ADMIN}:stack/app/")
    assert first["InvokedAt"] < results[0]["InvokedAt"]
    assert results[0]["HookExecutionTarget"] == TOKEN


def test_type_arn_alone_and_with_status(cf: Any, seeded: dict[str, str]) -> None:
    by_type = cf.list_hook_results(TypeArn=HOOK_ARN)["HookResults"]
    assert [r["HookResultId"] for r in by_type] == [seeded["cc"], seeded["cs_ok"]]
    assert all("InvokedAt" in r and "HookExecutionTarget" in r for r in by_type)
    failed = cf.list_hook_results(TypeArn=HOOK_ARN, Status="HOOK_COMPLETE_FAILED")["HookResults"]
    assert [r["HookResultId"] for r in failed] == [seeded["cc"]]
    assert cf.list_hook_results(TypeArn=HOOK_ARN, Status="HOOK_FAILED")["HookResults"] == []
    unknown = HOOK_ARN.replace("MyTestHook", "Nobody")
    assert cf.list_hook_results(TypeArn=unknown)["HookResults"] == []


def test_target_filters_echo_the_target_and_hide_invocation_details(cf: Any, seeded: dict[str, str]) -> None:
    response = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=CHANGE_SET)
    assert (response["TargetType"], response["TargetId"]) == ("CHANGE_SET", CHANGE_SET)
    assert [r["HookResultId"] for r in response["HookResults"]] == [seeded["cs_failed"], seeded["cs_ok"]]
    for result in response["HookResults"]:
        assert "InvokedAt" not in result and "HookExecutionTarget" not in result
    warned = response["HookResults"][0]
    assert (warned["Status"], warned["FailureMode"], warned["HookStatusReason"]) == (
        "HOOK_COMPLETE_FAILED",
        "WARN",
        "Bucket must be encrypted",
    )
    cloud = cf.list_hook_results(TargetType="CLOUD_CONTROL", TargetId=TOKEN)
    assert [r["HookResultId"] for r in cloud["HookResults"]] == [seeded["cc"]]


def test_a_target_without_invocations_is_hook_result_not_found(cf: Any, seeded: dict[str, str]) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.list_hook_results(TargetType="CHANGE_SET", TargetId=CHANGE_SET.replace("cs1", "cs2"))
    assert error_of(excinfo) == ("HookResultNotFound", 404)
    assert type(excinfo.value).__name__ == "HookResultNotFoundException"


def test_an_empty_account_lists_nothing(cf: Any) -> None:
    assert cf.list_hook_results()["HookResults"] == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"TargetType": "CHANGE_SET"}, "TargetId is required when TargetType is specified"),
        ({"TargetId": CHANGE_SET}, "TargetType is required when TargetId is specified"),
        ({"Status": "HOOK_FAILED"}, "Status can only be used in combination with TypeArn"),
        ({"TargetType": "STACK", "TargetId": "app"}, "TargetType STACK is not supported as a filter"),
        ({"TargetType": "RESOURCE", "TargetId": "Bucket"}, "TargetType RESOURCE is not supported as a filter"),
        ({"TargetType": "CHANGE_SET", "TargetId": CHANGE_SET, "TypeArn": HOOK_ARN}, "cannot be combined"),
        (
            {"TargetType": "CHANGE_SET", "TargetId": CHANGE_SET, "TypeArn": HOOK_ARN, "Status": "HOOK_FAILED"},
            "cannot be combined",
        ),
    ],
)
def test_combinations_outside_the_four_documented_ones(cf: Any, params: dict[str, str], words: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.list_hook_results(**params)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert words in excinfo.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"TargetType": "BOGUS", "TargetId": CHANGE_SET},
            "1 validation error detected: Value 'BOGUS' at 'targetType' failed to satisfy constraint: "
            "Member must satisfy enum value set: [CHANGE_SET, STACK, RESOURCE, CLOUD_CONTROL]",
        ),
        (
            {"TypeArn": HOOK_ARN, "Status": "DONE"},
            "1 validation error detected: Value 'DONE' at 'status' failed to satisfy constraint: Member must "
            "satisfy enum value set: [HOOK_IN_PROGRESS, HOOK_COMPLETE_SUCCEEDED, HOOK_COMPLETE_FAILED, HOOK_FAILED]",
        ),
        ({"TypeArn": "not-an-arn"}, "at 'typeArn' failed to satisfy constraint: Member must satisfy regular"),
        ({"TargetType": "CHANGE_SET", "TargetId": "1bad id"}, "at 'targetId' failed to satisfy constraint"),
    ],
)
def test_enum_and_pattern_violations(cf: Any, params: dict[str, str], expected: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.list_hook_results(**params)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert expected in excinfo.value.response["Error"]["Message"]


def test_pages_of_100_with_tokens_bound_to_the_filters(cf: Any) -> None:
    ids = [
        control.record_hook_result(type_name=HOOK, target_type="CHANGE_SET", target_id=CHANGE_SET).hook_result_id
        for _ in range(230)
    ]
    control.record_hook_result(type_name=OTHER, target_type="CLOUD_CONTROL", target_id=TOKEN)
    first = cf.list_hook_results(TypeArn=HOOK_ARN)
    assert len(first["HookResults"]) == 100
    seen = [r["HookResultId"] for r in first["HookResults"]]
    token = first["NextToken"]
    # A result arriving between pages is neither skipped nor repeated on the following pages.
    control.record_hook_result(type_name=HOOK, target_type="CHANGE_SET", target_id=CHANGE_SET)
    while token:
        page = cf.list_hook_results(TypeArn=HOOK_ARN, NextToken=token)
        seen += [r["HookResultId"] for r in page["HookResults"]]
        token = page.get("NextToken")
    assert seen == ids[::-1]
    # The token is bound to its filters, its account and region; tampering is detected.
    for call in (
        lambda: cf.list_hook_results(NextToken=first["NextToken"]),
        lambda: cf.list_hook_results(TargetType="CHANGE_SET", TargetId=CHANGE_SET, NextToken=first["NextToken"]),
        lambda: cf.list_hook_results(TypeArn=HOOK_ARN, NextToken=first["NextToken"][:-2] + "xx"),
        lambda: cf.list_hook_results(TypeArn=HOOK_ARN, NextToken="garbage"),
        lambda: boto3.client("cloudformation", region_name="eu-west-1").list_hook_results(
            TypeArn=HOOK_ARN, NextToken=first["NextToken"]
        ),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == ("ValidationError", 400)
        assert "pagination token is invalid" in excinfo.value.response["Error"]["Message"]


def test_target_listing_paginates(cf: Any) -> None:
    for _ in range(150):
        control.record_hook_result(type_name=HOOK, target_type="CLOUD_CONTROL", target_id=TOKEN)
    first = cf.list_hook_results(TargetType="CLOUD_CONTROL", TargetId=TOKEN)
    second = cf.list_hook_results(TargetType="CLOUD_CONTROL", TargetId=TOKEN, NextToken=first["NextToken"])
    assert (len(first["HookResults"]), len(second["HookResults"])) == (100, 50)
    assert "NextToken" not in second
    assert second["TargetId"] == TOKEN


def test_get_hook_result_full_shape(cf: Any, seeded: dict[str, str]) -> None:
    result = cf.get_hook_result(HookResultId=seeded["cc"])
    result.pop("ResponseMetadata")
    invoked_at = result.pop("InvokedAt")
    assert invoked_at.tzinfo is not None
    assert result == {
        "HookResultId": seeded["cc"],
        "InvocationPoint": "PRE_PROVISION",
        "FailureMode": "FAIL",
        "TypeName": HOOK,
        "TypeVersionId": "00000001",
        "TypeConfigurationVersionId": "00000001",
        "TypeArn": HOOK_ARN,
        "Status": "HOOK_COMPLETE_FAILED",
        "HookStatusReason": "Hook completed with failed validations",
        "Target": {
            "TargetType": "RESOURCE",
            "TargetTypeName": "AWS::S3::Bucket",
            "TargetId": "my-s3-bucket",
            "Action": "CREATE",
        },
        "Annotations": [
            {
                "AnnotationName": "BucketEncryption",
                "Status": "FAILED",
                "StatusMessage": "Bucket is not encrypted",
                "RemediationMessage": "Enable SSE",
                "RemediationLink": "https://docs.aws.amazon.com/s3",
                "SeverityLevel": "HIGH",
            },
            {"AnnotationName": "BucketVersioning", "Status": "PASSED", "StatusMessage": "Versioning is on"},
        ],
    }
    plain = cf.get_hook_result(HookResultId=seeded["cs_ok"])
    assert "Target" not in plain and plain.get("Annotations", []) == []


def test_get_hook_result_errors(cf: Any, seeded: dict[str, str]) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.get_hook_result(HookResultId="00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo) == ("HookResultNotFound", 404)
    with pytest.raises(ClientError) as excinfo:
        cf.get_hook_result(HookResultId="ZZZZZZZZ-0000-0000-0000-000000000000")
    assert error_of(excinfo) == ("ValidationError", 400)
    assert "at 'hookResultId' failed to satisfy constraint" in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        cf.get_hook_result()
    assert error_of(excinfo) == ("ValidationError", 400)
    with pytest.raises(ParamValidationError):
        cf.get_hook_result(HookResultId="short")


def test_results_are_per_account_and_region(cf: Any, seeded: dict[str, str]) -> None:
    elsewhere = boto3.client("cloudformation", region_name="eu-west-1")
    assert elsewhere.list_hook_results()["HookResults"] == []
    with pytest.raises(ClientError) as excinfo:
        elsewhere.get_hook_result(HookResultId=seeded["cc"])
    assert error_of(excinfo) == ("HookResultNotFound", 404)


def test_seeding_rejects_bad_input(cf: Any) -> None:
    with pytest.raises(ValueError, match="target_type"):
        control.record_hook_result(type_name=HOOK, target_type="BOGUS", target_id="x")
    with pytest.raises(ValueError, match="severity_level"):
        control.record_hook_result(
            type_name=HOOK, target_type="STACK", target_id="x", annotations=[{"SeverityLevel": "HUGE"}]
        )
    assert cf.list_hook_results()["HookResults"] == []
