"""CreateStackInstance, UpdateStackInstances, DeleteStackInstance (both forms), ListStackInstances,
ShowStackInstance; operation preferences; in-flight operations and the statuses they show."""

from __future__ import annotations

from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackInstanceRequest,
    CreateStackInstanceRequestBody,
    DeleteStackInstanceDeprecatedRequest,
    DeleteStackInstanceRequestBody,
    DeleteStackSetRequest,
    DeploymentTargets,
    ListStackInstancesRequest,
    ListStackSetOperationsRequest,
    ManagedOperation,
    OperationPreferences,
    ShowStackInstanceRequest,
    ShowStackSetMetadataRequest,
    UpdateStackInstancesRequest,
    UpdateStackInstancesRequestBody,
    UpdateStackSetRequest,
    UpdateStackSetRequestBody,
    VarOverridesPrimitiveTypeHolderVarOverrides,
)
from moto.moto_api import state_manager

from moto_stacksets_ext.huawei_rfs import domain_id_for
from moto_stacksets_ext.huawei_rfs.names import OPERATION_MODEL
from moto_stacksets_ext.huawei_rfs.naming import namespace_of

from rfs_support import (
    AK,
    DOMAIN_A,
    DOMAIN_B,
    DOMAIN_C,
    OTHER_REGION,
    REGION,
    VARS,
    create_instances,
    create_set,
    crid,
    error_of,
)


def list_instances(client: Any, **kwargs: Any) -> list[Any]:
    request = ListStackInstancesRequest(client_request_id=crid(), stack_set_name="hello_set", **kwargs)
    return list(client.list_stack_instances(request).stack_instances)


def show(client: Any, region: str, domain: str) -> Any:
    return client.show_stack_instance(
        ShowStackInstanceRequest(
            client_request_id=crid(), stack_set_name="hello_set", stack_instance_addr=f"{region}/{domain}"
        )
    )


def test_create_list_show_update_delete(rfs: Any) -> None:
    create_set(rfs, vars_body=VARS)
    created = create_instances(rfs, "hello_set", [DOMAIN_A, DOMAIN_B], [REGION, OTHER_REGION])
    assert len(list_instances(rfs)) == 4
    assert [i.stack_domain_id for i in list_instances(rfs, filter=f"stack_domain_id=={DOMAIN_A}")] == [
        DOMAIN_A,
        DOMAIN_A,
    ]
    in_region = list_instances(rfs, filter=f"region=={OTHER_REGION}", sort_key=["create_time"], sort_dir=["asc"])
    assert [(i.region, i.stack_domain_id) for i in in_region] == [(OTHER_REGION, DOMAIN_A), (OTHER_REGION, DOMAIN_B)]
    instance = show(rfs, REGION, DOMAIN_A)
    assert (instance.status, instance.stack_name, instance.latest_stack_set_operation_id) == (
        "OPERATION_COMPLETE",
        "hello_set",
        created,
    )
    assert len(instance.stack_id) == 36 and instance.var_overrides == {}
    body = UpdateStackInstancesRequestBody(
        deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A]),
        var_overrides=VarOverridesPrimitiveTypeHolderVarOverrides(vars_body='env = "prod"'),
    )
    updated = rfs.update_stack_instances(
        UpdateStackInstancesRequest(client_request_id=crid(), stack_set_name="hello_set", body=body)
    ).stack_set_operation_id
    instance = show(rfs, REGION, DOMAIN_A)
    assert instance.latest_stack_set_operation_id == updated
    assert instance.var_overrides == {"vars_body": 'env = "prod"'}
    deleted = rfs.delete_stack_instance_deprecated(
        DeleteStackInstanceDeprecatedRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=DeleteStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=[OTHER_REGION], domain_ids=[DOMAIN_A, DOMAIN_B])
            ),
        )
    )
    assert deleted.status_code == 202
    assert len(list_instances(rfs)) == 2
    actions = [
        op.action
        for op in rfs.list_stack_set_operations(
            ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="hello_set")
        ).stack_set_operations
    ]
    assert actions == ["DELETE_STACK_INSTANCES", "UPDATE_STACK_INSTANCES", "CREATE_STACK_INSTANCES"]
    with pytest.raises(ClientRequestException) as excinfo:
        show(rfs, OTHER_REGION, DOMAIN_A)
    assert error_of(excinfo) == (404, "RF.10013001")


def start(client: Any, body: Any, name: str = "hello_set") -> Any:
    return client.create_stack_instance(
        CreateStackInstanceRequest(client_request_id=crid(), stack_set_name=name, body=body)
    )


@pytest.mark.parametrize(
    ("targets", "prefs", "overrides", "expected"),
    [
        ({"regions": [], "domain_ids": [DOMAIN_A]}, None, None, (400, "RF.10011001")),
        ({"regions": [REGION]}, None, None, (400, "RF.10011001")),
        ({"regions": [REGION], "domain_ids": ["not-a-domain"]}, None, None, (400, "RF.10011028")),
        (
            {"regions": [REGION], "domain_ids": [DOMAIN_A], "domain_ids_uri": "https://obs/x.csv"},
            None,
            None,
            (400, "RF.10011028"),
        ),
        (
            {"regions": [REGION], "domain_ids": [DOMAIN_A], "organizational_unit_ids": ["ou-1"]},
            None,
            None,
            (400, "RF.10011028"),
        ),
        (None, {"failure_tolerance_count": 101}, None, (400, "RF.10011028")),
        (None, {"failure_tolerance_count": -1}, None, (400, "RF.10011028")),
        (None, {"max_concurrent_count": 6}, None, (400, "RF.10011028")),
        (None, {"max_concurrent_count": 0}, None, (400, "RF.10011028")),
        (None, {"max_concurrent_percentage": 101}, None, (400, "RF.10011028")),
        (None, {"failure_tolerance_count": 1, "failure_tolerance_percentage": 10}, None, (400, "RF.10011028")),
        (None, {"max_concurrent_count": 1, "max_concurrent_percentage": 10}, None, (400, "RF.10011028")),
        (None, {"region_concurrency_type": "PARALLEL", "region_order": [REGION]}, None, (400, "RF.10011028")),
        (None, {"region_order": [REGION, "cn-east-3"]}, None, (400, "RF.10011028")),
        (None, {"region_concurrency_type": "RANDOM"}, None, (400, "RF.10011027")),
        (None, {"failure_tolerance_mode": "LENIENT"}, None, (400, "RF.10011027")),
        (None, None, {"vars_body": 'unknown = "x"'}, (400, "RF.10011028")),
        (None, None, {"vars_body": "env ="}, (400, "RF.10011051")),
    ],
)
def test_create_instance_errors_change_nothing(
    rfs: Any, targets: Any, prefs: Any, overrides: Any, expected: tuple[int, str]
) -> None:
    create_set(rfs, vars_body=VARS)
    body = CreateStackInstanceRequestBody(
        deployment_targets=DeploymentTargets(**(targets or {"regions": [REGION], "domain_ids": [DOMAIN_A]})),
        operation_preferences=None if prefs is None else OperationPreferences(**prefs),
        var_overrides=None if overrides is None else VarOverridesPrimitiveTypeHolderVarOverrides(**overrides),
    )
    with pytest.raises(ClientRequestException) as excinfo:
        start(rfs, body)
    assert error_of(excinfo) == expected
    assert list_instances(rfs) == []


def test_the_stack_set_id_and_call_identity_are_checked_within_the_call_and_change_nothing(rfs: Any) -> None:
    create_set(rfs)
    wrong = "00000000-0000-0000-0000-000000000000"
    targets = DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A])
    for fields, expected in (
        ({"stack_set_id": wrong}, (400, "RF.10011015")),
        ({"call_identity": "DELEGATED_ADMIN"}, (400, "RF.10011028")),
    ):
        with pytest.raises(ClientRequestException) as excinfo:
            start(rfs, CreateStackInstanceRequestBody(deployment_targets=targets, **fields))
        assert error_of(excinfo) == expected
        with pytest.raises(ClientRequestException) as excinfo:
            list_instances(rfs, **fields)
        assert error_of(excinfo) == expected
        with pytest.raises(ClientRequestException) as excinfo:
            rfs.list_stack_set_operations(
                ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="hello_set", **fields)
            )
        assert error_of(excinfo) == expected
    assert list_instances(rfs) == []
    listed = rfs.list_stack_set_operations(
        ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="hello_set")
    )
    assert list(listed.stack_set_operations) == []


def test_agency_rules(rfs: Any) -> None:
    create_set(rfs, administration_agency_name=None)  # accepted, but cannot deploy
    with pytest.raises(ClientRequestException) as excinfo:
        create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
    assert error_of(excinfo) == (400, "RF.10011028")


def test_update_and_delete_need_existing_instances(rfs: Any) -> None:
    create_set(rfs)
    create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
    targets = DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_C])
    with pytest.raises(ClientRequestException) as excinfo:
        rfs.update_stack_instances(
            UpdateStackInstancesRequest(
                client_request_id=crid(),
                stack_set_name="hello_set",
                body=UpdateStackInstancesRequestBody(deployment_targets=targets),
            )
        )
    assert error_of(excinfo) == (400, "RF.10011028")
    with pytest.raises(ClientRequestException) as excinfo:
        rfs.delete_stack_instance_deprecated(
            DeleteStackInstanceDeprecatedRequest(
                client_request_id=crid(),
                stack_set_name="hello_set",
                body=DeleteStackInstanceRequestBody(deployment_targets=targets),
            )
        )
    assert error_of(excinfo) == (400, "RF.10011028")
    with pytest.raises(ClientRequestException) as excinfo:
        show(rfs, REGION, "bad")
    assert error_of(excinfo) == (400, "RF.10011028")


def manual_progression() -> None:
    state_manager.set_transition(OPERATION_MODEL, {"progression": "manual", "times": 1000})


def test_operation_in_flight(rfs: Any) -> None:
    """Under manual progression (moto's state manager) operations stay in flight: statuses and conflicts."""
    create_set(rfs, managed_operation=ManagedOperation(enable_parallel_operation=False))
    namespace = namespace_of(domain_id_for(AK), REGION)
    manual_progression()
    try:
        op = create_instances(rfs, "hello_set", [DOMAIN_A, DOMAIN_B], [REGION])
        meta = rfs.show_stack_set_metadata(
            ShowStackSetMetadataRequest(client_request_id=crid(), stack_set_name="hello_set")
        )
        assert meta.status == "OPERATION_IN_PROGRESS"
        listed = rfs.list_stack_set_operations(
            ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="hello_set")
        )
        assert listed.stack_set_operations[0].status == "OPERATION_IN_PROGRESS"
        assert {i.status for i in list_instances(rfs)} <= {"WAIT_IN_PROGRESS", "OPERATION_IN_PROGRESS"}
        with pytest.raises(ClientRequestException) as excinfo:
            create_instances(rfs, "hello_set", [DOMAIN_C], [REGION])
        assert error_of(excinfo) == (409, "RF.10013503")
        with pytest.raises(ClientRequestException) as excinfo:
            rfs.update_stack_set(
                UpdateStackSetRequest(
                    client_request_id=crid(),
                    stack_set_name="hello_set",
                    body=UpdateStackSetRequestBody(stack_set_description="x"),
                )
            )
        assert error_of(excinfo) == (403, "RF.10012508")
        with pytest.raises(ClientRequestException) as excinfo:
            rfs.delete_stack_set(DeleteStackSetRequest(client_request_id=crid(), stack_set_name="hello_set"))
        assert error_of(excinfo) == (403, "RF.10012508")
        namespace.stop_operation("hello_set", op)
        namespace.step("hello_set", op, steps=10)
        stopped = rfs.list_stack_set_operations(
            ListStackSetOperationsRequest(
                client_request_id=crid(), stack_set_name="hello_set", filter="status==STOP_COMPLETE"
            )
        ).stack_set_operations
        assert [o.operation_id for o in stopped] == [op]
        assert "CANCEL_COMPLETE" in {i.status for i in list_instances(rfs)}
    finally:
        state_manager.unset_transition(OPERATION_MODEL)


def test_parallel_operations_queue(rfs: Any) -> None:
    """With enable_parallel_operation, a second operation waits as QUEUE_IN_PROGRESS and then runs."""
    create_set(rfs, managed_operation=ManagedOperation(enable_parallel_operation=True))
    namespace = namespace_of(domain_id_for(AK), REGION)
    manual_progression()
    try:
        first = create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
        second = create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
        statuses = {
            o.operation_id: o.status
            for o in rfs.list_stack_set_operations(
                ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="hello_set")
            ).stack_set_operations
        }
        assert statuses == {first: "OPERATION_IN_PROGRESS", second: "QUEUE_IN_PROGRESS"}
        namespace.step("hello_set", first, steps=10)
        namespace.step("hello_set", second, steps=10)
        done = rfs.list_stack_set_operations(
            ListStackSetOperationsRequest(
                client_request_id=crid(), stack_set_name="hello_set", filter="status==OPERATION_COMPLETE"
            )
        ).stack_set_operations
        assert [o.operation_id for o in done] == [second, first]
    finally:
        state_manager.unset_transition(OPERATION_MODEL)
