"""The control surface's JSON codec (``_control.codec``): every type it writes reads back as what was written,
through real JSON text, and what its encoder never writes is refused with the API's one-line message."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from moto_stacksets_ext._control import codec
from moto_stacksets_ext._control.calls import Call
from moto_stacksets_ext._control.checks import ControlArgumentError
from moto_stacksets_ext.alibaba_ros.resource_directory import Folder, MemberAccount, ResourceDirectory
from moto_stacksets_ext.cloudformation.hooks.model import Annotation, HookCategory, HookResult, HookStatus, TargetType
from moto_stacksets_ext.cloudformation.hooks.outcomes import HookOutcome
from moto_stacksets_ext.engine.model import (
    DifferenceType,
    Operation,
    OperationAction,
    OperationStatus,
    Preferences,
    PropertyDifference,
    ResourceDriftStatus,
)
from moto_stacksets_ext.engine.outcomes import DriftedResource, Outcome, OutcomeKind

MOMENT = datetime(2026, 3, 4, 5, 6, 7, 891000, tzinfo=timezone.utc)


def through_json(value: Any) -> Any:
    """What the other side of the HTTP API reads: the value as JSON text, parsed by the codec's reader."""
    return codec.loads(json.dumps(value))


DRIFTED = (
    DriftedResource("Bucket"),
    DriftedResource("Queue", ResourceDriftStatus.DELETED),
    DriftedResource(
        "Topic",
        ResourceDriftStatus.MODIFIED,
        (PropertyDifference("TopicName", '"a"', '"b"', DifferenceType.NOT_EQUAL),),
    ),
)


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome(),
        Outcome(OutcomeKind.FAIL, "no quota", "huawei", "0" * 32, "cn-north-4", "set", "CREATE", 2, consumed=1),
        Outcome(OutcomeKind.SUCCEED, cloud="alibaba", stack="a-stack", action="ROLLBACK"),
        Outcome(OutcomeKind.DRIFT, cloud="aws", account="123456789012", resources=DRIFTED),
        Outcome(OutcomeKind.DRIFT, resources=None, times=None),
    ],
)
def test_an_outcome_reads_back_as_written(outcome: Outcome) -> None:
    assert codec.outcome_from_json(through_json(codec.outcome_json(outcome))) == outcome


def test_an_outcome_request_reads_back_as_a_new_outcome_of_the_same_rule() -> None:
    outcome = Outcome(OutcomeKind.DRIFT, "drifted", "aws", region="eu-west-1", times=3, resources=DRIFTED)
    request = through_json(codec.outcome_request_json(outcome))
    assert set(request) == set(codec.OUTCOME_REQUEST_FIELDS)
    made = codec.outcome_from_json(request)
    assert made.outcome_id != outcome.outcome_id
    assert codec.outcome_request_json(made) == codec.outcome_request_json(outcome)


@pytest.mark.parametrize("resources", [None, (), DRIFTED])
def test_drifted_resources_read_back_as_written(resources: tuple[DriftedResource, ...] | None) -> None:
    assert codec.resources_from_json("test", through_json(codec.resources_json(resources))) == resources


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"kind": "EXPLODE"}, "kind must be one of FAIL, SUCCEED, DRIFT, FAIL_ROLE"),
        ({"account": 123456789012}, "account must be a string"),
        ({"times": 0}, "times must be a positive integer (or null for a persistent outcome)"),
        ({"cloud": "azure"}, "cloud must be one of ['alibaba', 'aws', 'huawei'], not 'azure'"),
        ({"consumed": -1}, "consumed must be a count of uses"),
    ],
)
def test_an_outcome_the_encoder_never_writes_is_refused(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        codec.outcome_from_json(value)
    assert str(raised.value) == message


def test_resources_of_an_unknown_status_are_refused_naming_the_call() -> None:
    with pytest.raises(ControlArgumentError, match=r"^POST /outcomes: resources: a drift status must be one of"):
        codec.outcome_from_json({"kind": "DRIFT", "resources": {"Bucket": {"status": "MELTED"}}})


def test_the_clock_reads_back_to_the_millisecond() -> None:
    written = through_json(codec.clock_json(MOMENT))
    assert written == {"now": "2026-03-04T05:06:07.891Z"}
    assert codec.clock_from_json(written) == MOMENT


@pytest.mark.parametrize(
    "change", [codec.ClockChange(), codec.ClockChange(30.5), codec.ClockChange(0, True), codec.ClockChange(1, False)]
)
def test_a_clock_change_reads_back_as_written(change: codec.ClockChange) -> None:
    assert codec.clock_change_from_json(through_json(codec.clock_change_json(change))) == change


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"advance": -1}, f"advance must be a number of seconds from 0 to {codec.MAX_ADVANCE}"),
        ({"advance": True}, f"advance must be a number of seconds from 0 to {codec.MAX_ADVANCE}"),
        ({"freeze": None}, "freeze must be true or false"),
    ],
)
def test_a_clock_change_the_encoder_never_writes_is_refused(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        codec.clock_change_from_json(value)


def test_a_moment_reads_back_as_written() -> None:
    assert codec.timestamp_from_json(through_json(codec.timestamp_json(MOMENT))) == MOMENT
    assert codec.timestamp_json(None) is None


@pytest.mark.parametrize(
    "change",
    [
        codec.ProgressionChange(),
        codec.ProgressionChange("manual", 3, 1.0, "huawei"),
        codec.ProgressionChange("time", 1, 2.5, "alibaba"),
    ],
)
def test_a_progression_reads_back_as_written(change: codec.ProgressionChange) -> None:
    assert codec.progression_from_json(through_json(codec.progression_json(change))) == change


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"cloud": "gcp"}, "cloud must be one of"),
        ({"times": 0}, "times must be a positive integer"),
        ({"seconds": 0}, "seconds must be a positive number"),
    ],
)
def test_a_progression_the_encoder_never_writes_is_refused(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        codec.progression_from_json(value)


@pytest.mark.parametrize("strict", [True, False])
def test_the_settings_read_back_as_written(strict: bool) -> None:
    assert codec.settings_from_json(through_json(codec.settings_json(strict))) is strict


def test_settings_naming_no_switch_set_none_and_a_non_boolean_is_refused() -> None:
    assert codec.settings_from_json({}) is None
    with pytest.raises(ValueError, match=r"^strict_roles must be true or false$"):
        codec.settings_from_json({"strict_roles": "yes"})


@pytest.mark.parametrize(
    "call",
    [
        Call("aws", "CreateStackSet", "123456789012", "us-east-1", {"StackSetName": "s"}, at=MOMENT),
        Call("huawei", "DeployStackSet", None, None, {"stack_set_name": "s", "vars": [1, 2]}, 400, "RF.1", MOMENT),
        Call("alibaba", "CreateStackGroup", "1" * 16, "cn-hangzhou", {}, 500, "InternalError", MOMENT),
    ],
)
def test_a_call_reads_back_as_recorded(call: Call) -> None:
    written = through_json(codec.call_json(call))
    assert written["ok"] is call.ok
    assert codec.call_from_json(written) == call


def test_a_call_without_its_cloud_is_refused() -> None:
    written = codec.call_json(Call("aws", "ListStackSets", None, None, at=MOMENT))
    with pytest.raises(ValueError, match="a call needs a cloud, an action and a time"):
        codec.call_from_json({**written, "cloud": ""})


ANNOTATIONS = [
    Annotation("Encryption", "FAILED", "not encrypted", "encrypt it", "https://example.com", "HIGH"),
    Annotation("Tags", "PASSED"),
]


@pytest.mark.parametrize(
    "outcome",
    [
        HookOutcome(),
        HookOutcome(HookStatus.HOOK_COMPLETE_SUCCEEDED, "fine", ANNOTATIONS, "My::Hook::Type", TargetType.STACK),
        HookOutcome(target_name="AWS::S3::Bucket", account="123456789012", region="eu-west-1", times=2, consumed=1),
    ],
)
def test_a_hook_outcome_reads_back_as_written(outcome: HookOutcome) -> None:
    assert codec.hook_outcome_from_json(through_json(codec.hook_outcome_json(outcome))) == outcome


@pytest.mark.parametrize(
    "result",
    [
        HookResult(
            1, "hr-1", "My::Hook::Type", "arn:aws:cloudformation:us-east-1:123456789012:type/hook/My-Hook-Type",
            "00000001", None, None, "FAIL", HookStatus.HOOK_COMPLETE_FAILED, "denied", MOMENT, TargetType.RESOURCE,
            "Bucket", None,
        ),
        HookResult(
            7, "hr-7", "Other::Hook::Type", "arn:aws:cloudformation:eu-west-1:123456789012:type/hook/Other",
            "00000002", "00000003", "AWS::Original::Hook", "WARN", HookStatus.HOOK_COMPLETE_SUCCEEDED, "ok",
            MOMENT, TargetType.CHANGE_SET, "arn:change-set", "arn:stack", "AWS::S3::Bucket", "my-bucket", "CREATE",
            ANNOTATIONS, "PRE_PROVISION", HookCategory.MANAGED,
        ),
    ],
)  # fmt: skip
def test_a_hook_result_reads_back_as_written(result: HookResult) -> None:
    assert codec.hook_result_from_json(through_json(codec.hook_result_json(result))) == result


def test_annotations_read_back_as_written_from_objects_or_either_key_style() -> None:
    given: list[Annotation | dict[str, Any]] = [ANNOTATIONS[0], {"annotation_name": "Tags", "Status": "PASSED"}]
    assert codec.annotations_from_json(through_json(codec.annotations_json(given))) == ANNOTATIONS


def test_a_resource_directory_reads_back_as_written() -> None:
    directory = ResourceDirectory(
        "1234567890123456",
        "r-root",
        folders={"fd-a": Folder("fd-a", "Apps", "r-root"), "fd-b": Folder("fd-b", "Prod", "fd-a")},
        accounts={"2222222222222222": MemberAccount("2222222222222222", "fd-b", "prod")},
        service_access_enabled=True,
    )
    read = codec.directory_from_json(through_json(codec.directory_json(directory)))
    assert (read.management_account, read.root_folder_id) == ("1234567890123456", "r-root")
    assert (read.folders, read.accounts, read.service_access_enabled) == (
        directory.folders,
        directory.accounts,
        True,
    )


def test_an_operation_reads_back_as_the_engine_held_it() -> None:
    operation = Operation(
        seq=3,
        operation_id="op-1",
        stack_set_id="set:1",
        action=OperationAction.CREATE,
        operation_preferences=Preferences(failure_tolerance_count=1, max_concurrent_percentage=50),
        creation_timestamp=MOMENT,
        status=OperationStatus.FAILED,
        end_timestamp=MOMENT,
        status_reason="a target failed",
        description="first",
    )
    written = through_json(codec.operation_json(operation))
    read = codec.operation_from_json(written)
    assert (read.operation_id, read.seq, read.action, read.status, read.operation_preferences) == (
        "op-1",
        3,
        OperationAction.CREATE,
        OperationStatus.FAILED,
        operation.operation_preferences,
    )
    assert (read.creation_timestamp, read.end_timestamp, read.status_reason) == (MOMENT, MOMENT, "a target failed")
    assert through_json(codec.operation_json(read)) == written


def test_a_document_that_is_not_an_operation_is_refused() -> None:
    with pytest.raises(ValueError):
        codec.operation_from_json(codec.operation_json(Preferences()))  # type: ignore[arg-type]
