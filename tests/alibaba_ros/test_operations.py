"""GetStackGroupOperation (every field rule), ListStackGroupOperations, results, stop, scripted failures."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control
from moto_stacksets_ext.alibaba_ros import render, resource_directory
from moto_stacksets_ext.engine.model import (
    DriftStatus,
    Operation,
    OperationAction,
    OperationStatus,
    PermissionModel,
    Preferences,
    StackInstance,
    StackSet,
    TargetResult,
    TargetStatus,
)
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeKind, outcomes

from .ros_support import (
    A1,
    A2,
    A3,
    ACCESS_KEY,
    REGION,
    assert_error,
    create_group,
    create_instances,
    finish_in_flight,
    get_operation,
    operation_map,
    operations_stay_running,
    raises,
)

OPERATION_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")


def test_create_operation_echoes_every_field(client: Any) -> None:
    group_id = create_group(client)
    preferences = {"FailureToleranceCount": 1, "MaxConcurrentCount": 2, "RegionIdsOrder": ["cn-beijing", REGION]}
    operation_id = create_instances(client, operation_preferences=preferences, operation_description="first rollout")
    op = operation_map(client, operation_id)
    assert op["OperationId"] == operation_id
    assert op["StackGroupId"] == group_id
    assert op["StackGroupName"] == "MyStackGroup"
    assert op["Action"] == "CREATE"
    assert op["Status"] == "SUCCEEDED"
    assert op["OperationDescription"] == "first rollout"
    assert op["OperationPreferences"] == preferences
    assert op["AdministrationRoleName"] == "AliyunROSStackGroupAdministrationRole"
    assert op["ExecutionRoleName"] == "AliyunROSStackGroupExecutionRole"
    assert OPERATION_TIME.match(op["CreateTime"]) and OPERATION_TIME.match(op["EndTime"])
    assert op["CreateTime"] <= op["EndTime"]
    for absent in ("RetainStacks", "DeploymentTargets", "StackGroupDriftDetectionDetail"):
        assert absent not in op
    # the SDK model reads it back
    typed = get_operation(client, operation_id)
    assert typed.operation_preferences.region_ids_order == ["cn-beijing", REGION]
    assert typed.operation_preferences.max_concurrent_count == 2


def test_preferences_percentages_and_defaults(client: Any) -> None:
    create_group(client)
    defaults = create_instances(client, account_ids=[A1], region_ids=[REGION])
    op = operation_map(client, defaults)
    assert op["OperationPreferences"] == {"FailureToleranceCount": 0, "MaxConcurrentCount": 1}
    assert "OperationDescription" not in op
    percentages = {
        "FailureTolerancePercentage": 50,
        "MaxConcurrentPercentage": 100,
        "RegionConcurrencyType": "PARALLEL",
    }
    op_id = create_instances(client, account_ids=[A2], region_ids=[REGION], operation_preferences=percentages)
    assert operation_map(client, op_id)["OperationPreferences"] == {
        "FailureTolerancePercentage": 50,
        "MaxConcurrentPercentage": 100,
    }


def test_delete_operation_has_retain_stacks_and_custom_roles(client: Any) -> None:
    create_group(client, administration_role_name="Admin-Role", execution_role_name="Exec-Role")
    create_instances(client)
    response = client.delete_stack_instances(
        ros.DeleteStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1, A2],
            region_ids=[REGION, "cn-beijing"],
            retain_stacks=True,
        )
    )
    op = operation_map(client, response.body.operation_id)
    assert op["Action"] == "DELETE"
    assert op["RetainStacks"] is True
    assert op["AdministrationRoleName"] == "Admin-Role"
    assert op["ExecutionRoleName"] == "Exec-Role"
    update = client.update_stack_group(
        ros.UpdateStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup", description="d2")
    )
    op = operation_map(client, update.body.operation_id)
    assert op["Action"] == "UPDATE" and "RetainStacks" not in op


def test_service_managed_operation_deployment_targets(client: Any) -> None:
    directory = resource_directory.for_access_key(ACCESS_KEY)
    prod = directory.add_folder("Prod")
    directory.add_account(A1, prod.folder_id)
    directory.add_account(A2, prod.folder_id)
    directory.add_account(A3)
    client.enable_service_access()
    create_group(
        client,
        permission_model="SERVICE_MANAGED",
        auto_deployment=ros.CreateStackGroupRequestAutoDeployment(enabled=False),
    )
    by_folder = create_instances(
        client,
        account_ids=None,
        region_ids=[REGION],
        deployment_targets=ros.CreateStackInstancesRequestDeploymentTargets(rd_folder_ids=[prod.folder_id]),
    )
    op = operation_map(client, by_folder)
    assert op["DeploymentTargets"] == {"RdFolderIds": [prod.folder_id]}
    for absent in ("AdministrationRoleName", "ExecutionRoleName"):
        assert absent not in op
    by_account = client.update_stack_instances(
        ros.UpdateStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            region_ids=[REGION],
            deployment_targets=ros.UpdateStackInstancesRequestDeploymentTargets(account_ids=[A1]),
        )
    ).body.operation_id
    assert operation_map(client, by_account)["DeploymentTargets"] == {"AccountIds": [A1]}


def test_operation_not_found(client: Any) -> None:
    error = raises(lambda: get_operation(client, "6da106ca-1784-4a6f-a7e1-e723863d0000"))
    assert_error(
        error,
        "StackGroupOperationNotFound",
        404,
        "The StackGroupOperation (6da106ca-1784-4a6f-a7e1-e723863d0000) could not be found.",
    )
    assert error.data["HostId"] == "ros.aliyuncs.com"
    missing = raises(lambda: client.get_stack_group_operation(ros.GetStackGroupOperationRequest(region_id=REGION)))
    assert_error(
        missing,
        "MissingParameter",
        400,
        'The input parameter "OperationId" that is mandatory for processing this request is not supplied.',
    )


def test_operation_lives_in_its_region_and_account(client: Any) -> None:
    create_group(client)
    operation_id = create_instances(client)
    other_region = ros.GetStackGroupOperationRequest(region_id="cn-shanghai", operation_id=operation_id)
    assert raises(lambda: client.get_stack_group_operation(other_region)).code == "StackGroupOperationNotFound"


@pytest.mark.parametrize(
    ("preferences", "reason"),
    [
        ({"FailureToleranceCount": 21}, "FailureToleranceCount should be between 0 and 20"),
        ({"MaxConcurrentCount": 0}, "MaxConcurrentCount should be between 1 and 20"),
        ({"FailureTolerancePercentage": 101}, "FailureTolerancePercentage should be between 0 and 100"),
        ({"MaxConcurrentPercentage": 0}, "MaxConcurrentPercentage should be between 1 and 100"),
        (
            {"MaxConcurrentCount": 1, "MaxConcurrentPercentage": 10},
            "only one of MaxConcurrentCount and MaxConcurrentPercentage can be specified",
        ),
        ({"RegionConcurrencyType": "RANDOM"}, "RegionConcurrencyType should be SEQUENTIAL or PARALLEL"),
        ({"Bogus": 1}, "the key Bogus is not supported"),
    ],
)
def test_preferences_out_of_range(client: Any, preferences: dict[str, Any], reason: str) -> None:
    create_group(client)
    error = raises(lambda: create_instances(client, operation_preferences=preferences))
    assert_error(error, "InvalidParameter", 400, f"The specified parameter OperationPreferences is invalid, {reason}.")
    # a failed call changes nothing
    listed = client.list_stack_instances(
        ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="MyStackGroup")
    )
    assert listed.body.total_count == 0


def test_list_operations_newest_first_and_paged(client: Any) -> None:
    create_group(client)
    ids = [create_instances(client, account_ids=[f"10000000000000{i:02d}"], region_ids=[REGION]) for i in range(5)]
    request = ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="MyStackGroup", page_size=2)
    first = client.list_stack_group_operations(request).body
    assert (first.page_number, first.page_size, first.total_count) == (1, 2, 5)
    assert [o.operation_id for o in first.stack_group_operations] == ids[::-1][:2]
    request.page_number = 3
    last = client.list_stack_group_operations(request).body
    assert [o.operation_id for o in last.stack_group_operations] == [ids[0]]
    assert last.stack_group_operations[0].to_map().keys() == {
        "Action",
        "CreateTime",
        "EndTime",
        "OperationId",
        "StackGroupId",
        "StackGroupName",
        "Status",
    }
    request.page_number = 4
    assert client.list_stack_group_operations(request).body.stack_group_operations == []
    request.page_size = 51
    error = raises(lambda: client.list_stack_group_operations(request))
    assert_error(
        error,
        "InvalidParameter",
        400,
        "The specified parameter PageSize is invalid, the value should be between 1 and 50.",
    )
    missing = ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="Nope")
    assert_error(
        raises(lambda: client.list_stack_group_operations(missing)),
        "StackGroupNotFound",
        404,
        "The StackGroup (Nope) could not be found.",
    )


def test_rollout_with_scripted_failures(client: Any) -> None:
    """Failures within tolerance leave SUCCEEDED; beyond it the region fails and later regions are cancelled."""
    create_group(client)
    control.fail(cloud="alibaba", account=A2, region=REGION, reason="Quota exceeded")
    tolerated = create_instances(
        client,
        account_ids=[A1, A2, A3],
        region_ids=[REGION],
        operation_preferences={"FailureToleranceCount": 1, "MaxConcurrentCount": 1},
    )
    assert get_operation(client, tolerated).status == "SUCCEEDED"
    results = client.list_stack_group_operation_results(
        ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=tolerated)
    ).body
    assert {(r.account_id, r.status) for r in results.stack_group_operation_results} == {
        (A1, "SUCCEEDED"),
        (A2, "FAILED"),
        (A3, "SUCCEEDED"),
    }
    failed_row = next(r for r in results.stack_group_operation_results if r.account_id == A2)
    assert failed_row.status_reason == "Quota exceeded"
    instance = client.get_stack_instance(
        ros.GetStackInstanceRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            stack_instance_account_id=A2,
            stack_instance_region_id=REGION,
        )
    ).body.stack_instance
    assert (instance.status, instance.status_reason, instance.stack_id) == ("OUTDATED", "Quota exceeded", None)

    beyond = client.update_stack_instances(
        ros.UpdateStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1, A2],
            region_ids=[REGION],
            operation_preferences={"FailureToleranceCount": 0},
        )
    ).body.operation_id
    op = get_operation(client, beyond)
    assert (op.action, op.status) == ("UPDATE", "FAILED")
    rows = client.list_stack_group_operation_results(
        ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=beyond, page_size=1, page_number=2)
    ).body
    assert rows.total_count == 2 and len(rows.stack_group_operation_results) == 1


def test_sequential_regions_stop_after_a_failed_region(client: Any) -> None:
    create_group(client)
    control.fail(cloud="alibaba", account=A1, region="cn-beijing")
    operation_id = create_instances(
        client,
        account_ids=[A1],
        region_ids=["cn-beijing", REGION, "cn-shanghai"],
    )
    assert get_operation(client, operation_id).status == "FAILED"
    rows = client.list_stack_group_operation_results(
        ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=operation_id)
    ).body.stack_group_operation_results
    assert [(r.region_id, r.status) for r in rows] == [
        ("cn-beijing", "FAILED"),
        (REGION, "CANCELLED"),
        ("cn-shanghai", "CANCELLED"),
    ]


def test_stop_a_running_operation(client: Any) -> None:
    group_id = create_group(client)
    with operations_stay_running():
        operation_id = create_instances(client, account_ids=[A1, A2], region_ids=[REGION, "cn-beijing"])
        running = operation_map(client, operation_id)
        assert running["Status"] in ("QUEUED", "RUNNING") and "EndTime" not in running
        busy = raises(lambda: create_instances(client, account_ids=[A3], region_ids=[REGION]))
        assert_error(
            busy, "StackGroupOperationInProgress", 409, "Another Operation on StackGroup (MyStackGroup) is in progress."
        )
        stop = ros.StopStackGroupOperationRequest(region_id=REGION, operation_id=operation_id)
        client.stop_stack_group_operation(stop)
        if operation_map(client, operation_id)["Status"] == "STOPPING":  # until the targets in flight finish
            finish_in_flight(group_id, operation_id)
        stopped = operation_map(client, operation_id)
        assert stopped["Status"] == "STOPPED" and "EndTime" in stopped
        rows = client.list_stack_group_operation_results(
            ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=operation_id)
        ).body.stack_group_operation_results
        assert [r.status for r in rows].count("CANCELLED") >= 3
        again = raises(lambda: client.stop_stack_group_operation(stop))
        assert again.code == "InvalidParameter" and again.status_code == 400
    unknown = raises(
        lambda: client.stop_stack_group_operation(
            ros.StopStackGroupOperationRequest(region_id=REGION, operation_id="op-x")
        )
    )
    assert_error(unknown, "StackGroupOperationNotFound", 404, "The StackGroupOperation (op-x) could not be found.")


@pytest.mark.parametrize("progression", ["manual", "time"])
def test_stop_passes_through_stopping_while_running_targets_finish(client: Any, progression: str) -> None:
    create_group(client)
    control.freeze_clock()
    if progression == "manual":
        control.set_progression("manual", times=1000, cloud="alibaba")
    else:
        control.set_progression("time", seconds=60, cloud="alibaba")
    operation_id = create_instances(client, account_ids=[A1, A2], region_ids=[REGION])  # one target at a time
    assert operation_map(client, operation_id)["Status"] == "RUNNING"
    client.stop_stack_group_operation(ros.StopStackGroupOperationRequest(region_id=REGION, operation_id=operation_id))
    stopping = operation_map(client, operation_id)
    assert stopping["Status"] == "STOPPING" and "EndTime" not in stopping
    rows = client.list_stack_group_operation_results(
        ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=operation_id)
    ).body.stack_group_operation_results
    assert sorted(r.status for r in rows) == ["CANCELLED", "RUNNING"]  # the running target finishes first
    if progression == "manual":
        finish_in_flight(namespace_group_id(client), operation_id)
    else:
        control.advance(60)
    stopped = operation_map(client, operation_id)
    assert stopped["Status"] == "STOPPED" and "EndTime" in stopped


def namespace_group_id(client: Any) -> str:
    found = client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup"))
    return str(found.body.stack_group.stack_group_id)


# -- rendering rules the engine cannot reach through the SDK yet (every status, DETECT_DRIFT) -----------------
def _engine_operation(action: OperationAction, status: OperationStatus) -> tuple[StackSet, Operation]:
    stack_set = StackSet(1, "g", "gid", None, "{}", PermissionModel.SELF_MANAGED)
    now = datetime(2020, 2, 27, 7, 47, 47, 123000, tzinfo=timezone.utc)
    operation = Operation(2, "op", "gid", action, Preferences(), now, status=status)
    return stack_set, operation


@pytest.mark.parametrize("status", list(OperationStatus))
def test_every_engine_status_has_a_ros_word(status: OperationStatus) -> None:
    stack_set, operation = _engine_operation(OperationAction.CREATE, status)
    assert render.operation(stack_set, operation)["Status"] == status.value
    assert render.operation(stack_set, operation)["CreateTime"] == "2020-02-27T07:47:47.123000"


def test_drift_detection_detail_is_rendered_for_detect_drift_only() -> None:
    stack_set, operation = _engine_operation(OperationAction.DETECT_DRIFT, OperationStatus.SUCCEEDED)
    for seq, (account, status, drift) in enumerate(
        [
            (A1, TargetStatus.SUCCEEDED, DriftStatus.DRIFTED),
            (A2, TargetStatus.SUCCEEDED, DriftStatus.IN_SYNC),
            (A3, TargetStatus.FAILED, DriftStatus.NOT_CHECKED),
        ],
        start=1,
    ):
        operation.add_result(TargetResult(seq, account, REGION, "", status=status))
        instance = StackInstance(seq, "gid", account, REGION, "", "s")
        instance.drift_status = drift
        stack_set.add_instance(instance)
    detail = render.operation(stack_set, operation)["StackGroupDriftDetectionDetail"]
    assert detail == {
        "DriftDetectionTime": "2020-02-27T07:47:47",
        "DriftDetectionStatus": "PARTIAL_SUCCESS",
        "StackGroupDriftStatus": "DRIFTED",
        "TotalStackInstancesCount": 3,
        "FailedStackInstancesCount": 1,
        "CancelledStackInstancesCount": 0,
        "InProgressStackInstancesCount": 0,
        "DriftedStackInstancesCount": 1,
        "InSyncStackInstancesCount": 1,
    }
    operation.status = OperationStatus.RUNNING
    assert render.drift_detail(stack_set, operation)["DriftDetectionStatus"] == "IN_PROGRESS"
    operation.status = OperationStatus.STOPPED
    assert render.drift_detail(stack_set, operation)["DriftDetectionStatus"] == "STOPPED"
    _, create = _engine_operation(OperationAction.CREATE, OperationStatus.SUCCEEDED)
    assert "StackGroupDriftDetectionDetail" not in render.operation(stack_set, create)


def test_detect_stack_group_drift(client: Any) -> None:
    create_group(client)
    request = ros.DetectStackGroupDriftRequest(
        region_id=REGION, stack_group_name="MyStackGroup", operation_preferences={"RegionConcurrencyType": "PARALLEL"}
    )
    assert raises(lambda: client.detect_stack_group_drift(request)).code == "InvalidParameter"
    request.operation_preferences = None
    missing = ros.DetectStackGroupDriftRequest(region_id=REGION, stack_group_name="Nope")
    assert raises(lambda: client.detect_stack_group_drift(missing)).code == "StackGroupNotFound"
    create_instances(client, account_ids=[A1, A2], region_ids=[REGION])
    outcomes.add(Outcome(OutcomeKind.DRIFT, cloud="alibaba", account=A1))
    operation_id = client.detect_stack_group_drift(request).body.operation_id
    op = operation_map(client, operation_id)
    assert op["Action"] == "DETECT_DRIFT" and op["Status"] == "SUCCEEDED"
    detail = op["StackGroupDriftDetectionDetail"]
    assert detail["DriftDetectionStatus"] == "COMPLETED"
    assert detail["StackGroupDriftStatus"] == "DRIFTED"
    assert (detail["TotalStackInstancesCount"], detail["DriftedStackInstancesCount"]) == (2, 1)
    assert detail["InSyncStackInstancesCount"] == 1
    group = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.stack_groups[0]
    assert group.stack_group_drift_status == "DRIFTED" and group.drift_detection_time
