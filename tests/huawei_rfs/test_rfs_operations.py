"""ListStackSetOperations (filter, sort, id, marker/limit) and ShowStackSetOperationMetadata (every field)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    DeleteStackInstanceRequest,
    DeleteStackInstanceRequestBody,
    DeploymentTargets,
    DeployStackSetRequest,
    DeployStackSetRequestBody,
    ListStackInstancesRequest,
    ListStackSetOperationsRequest,
    OperationPreferences,
    ShowStackSetOperationMetadataRequest,
)

from moto_stacksets_ext import control

from rfs_support import (
    ADMIN_AGENCY,
    DOMAIN_A,
    DOMAIN_B,
    DOMAIN_C,
    MANAGED_AGENCY,
    OTHER_REGION,
    REGION,
    create_instances,
    create_set,
    crid,
    error_of,
)

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def list_ops(client: Any, name: str = "hello_set", **kwargs: Any) -> Any:
    return client.list_stack_set_operations(
        ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name=name, **kwargs)
    )


def three_operations(client: Any) -> list[str]:
    """CREATE_STACK_INSTANCES, DEPLOY_STACK_SET, DELETE_STACK_INSTANCES, oldest first."""
    create_set(client)
    first = create_instances(client, "hello_set", [DOMAIN_A], [REGION])
    deploy = client.deploy_stack_set(
        DeployStackSetRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=DeployStackSetRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A]),
                template_body='{"resource": {}}',
            ),
        )
    ).stack_set_operation_id
    delete = client.delete_stack_instance(
        DeleteStackInstanceRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=DeleteStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A])
            ),
        )
    ).stack_set_operation_id
    return [first, deploy, delete]


def test_list_operations_newest_first_by_default_with_the_sdk_shape(rfs: Any) -> None:
    ids = three_operations(rfs)
    response = list_ops(rfs)
    assert response.status_code == 200
    assert [op.operation_id for op in response.stack_set_operations] == ids[::-1]
    assert [op.action for op in response.stack_set_operations] == [
        "DELETE_STACK_INSTANCES",
        "DEPLOY_STACK_SET",
        "CREATE_STACK_INSTANCES",
    ]
    item = response.stack_set_operations[0]
    assert item.status == "OPERATION_COMPLETE"
    assert item.stack_set_name == "hello_set"
    assert len(item.stack_set_id) == 36
    assert TIME.fullmatch(item.create_time) and TIME.fullmatch(item.update_time)
    assert item.status_message is None
    assert response.page_info.next_marker is None
    assert response.page_info.current_count == 3


def test_sort_asc_and_desc(rfs: Any) -> None:
    ids = three_operations(rfs)
    ascending = list_ops(rfs, sort_key=["create_time"], sort_dir=["asc"])
    assert [op.operation_id for op in ascending.stack_set_operations] == ids
    descending = list_ops(rfs, sort_key=["create_time"], sort_dir=["desc"])
    assert [op.operation_id for op in descending.stack_set_operations] == ids[::-1]


@pytest.mark.parametrize(
    ("sort_key", "sort_dir", "code"),
    [
        (["create_time"], None, "RF.10011028"),
        (None, ["asc"], "RF.10011028"),
        (["create_time"], ["asc", "desc"], "RF.10011028"),
        (["update_time"], ["asc"], "RF.10011027"),
        (["create_time"], ["up"], "RF.10011027"),
        (["create_time", "create_time"], ["asc", "desc"], "RF.10011197"),
    ],
)
def test_bad_sort_is_400(rfs: Any, sort_key: Any, sort_dir: Any, code: str) -> None:
    create_set(rfs)
    with pytest.raises(ClientRequestException) as excinfo:
        list_ops(rfs, sort_key=sort_key, sort_dir=sort_dir)
    assert error_of(excinfo) == (400, code)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("action==CREATE_STACK_INSTANCES", ["CREATE_STACK_INSTANCES"]),
        ("action==CREATE_STACK_INSTANCES|action==DEPLOY_STACK_SET", ["DEPLOY_STACK_SET", "CREATE_STACK_INSTANCES"]),
        ("status==OPERATION_COMPLETE,action==DELETE_STACK_INSTANCES", ["DELETE_STACK_INSTANCES"]),
        ("status==OPERATION_FAILED", []),
        ("status==OPERATION_FAILED|status==OPERATION_COMPLETE,action==DEPLOY_STACK_SET", ["DEPLOY_STACK_SET"]),
        ("", ["DELETE_STACK_INSTANCES", "DEPLOY_STACK_SET", "CREATE_STACK_INSTANCES"]),
    ],
)
def test_filter_grammar(rfs: Any, expression: str, expected: list[str]) -> None:
    three_operations(rfs)
    response = list_ops(rfs, filter=expression)
    assert [op.action for op in response.stack_set_operations] == expected


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("action==DEPLOY_STACK_SET;", "RF.10011088"),  # semicolons invalidate
        ("(action==DEPLOY_STACK_SET)", "RF.10011088"),  # no parentheses
        ("action=DEPLOY_STACK_SET", "RF.10011088"),  # only ==
        ("action!=DEPLOY_STACK_SET", "RF.10011088"),
        ("action==DEPLOY_STACK_SET|status==OPERATION_COMPLETE", "RF.10011088"),  # one field per OR group
        ("action==DEPLOY_STACK_SET|DEPLOY_STACK_INSTANCES", "RF.10011088"),  # short OR form
        ("action==DEPLOY_STACK_SET,", "RF.10011088"),  # empty AND term
        ("action==DEPLOY_STACK_SET,action==CREATE_STACK_INSTANCES", "RF.10011093"),  # field in two ANDs
        ("region==cn_north_4", "RF.10011087"),  # not a field of operations
        ("action==DEPLOY-STACK-SET", "RF.10011089"),  # letters, digits, _ only
        ("status==DONE", "RF.10011089"),  # not an RFS status
        ("action==", "RF.10011089"),
        ("a" * 513, "RF.10011005"),  # at most 512 characters
    ],
)
def test_bad_filters_are_400(rfs: Any, expression: str, code: str) -> None:
    create_set(rfs)
    with pytest.raises(ClientRequestException) as excinfo:
        list_ops(rfs, filter=expression)
    assert error_of(excinfo) == (400, code)


def test_stack_set_id_strong_match(rfs: Any) -> None:
    old_id = create_set(rfs)
    create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
    assert len(list_ops(rfs, stack_set_id=old_id).stack_set_operations) == 1
    with pytest.raises(ClientRequestException) as excinfo:
        list_ops(rfs, stack_set_id="00000000-0000-0000-0000-000000000000")
    assert error_of(excinfo) == (400, "RF.10011015")
    with pytest.raises(ClientRequestException) as excinfo:
        list_ops(rfs, stack_set_id="short")
    assert error_of(excinfo) == (400, "RF.10011006")
    with pytest.raises(ClientRequestException) as excinfo:
        list_ops(rfs, name="missing_set")
    assert error_of(excinfo) == (404, "RF.10013001")


def test_pagination_to_the_end_in_both_directions(rfs: Any) -> None:
    create_set(rfs)
    ids = [create_instances(rfs, "hello_set", [DOMAIN_A], [REGION]) for _ in range(23)]
    for direction, expected in (("desc", ids[::-1]), ("asc", ids)):
        seen: list[str] = []
        marker = None
        pages = 0
        while True:
            response = list_ops(rfs, sort_key=["create_time"], sort_dir=[direction], limit=10, marker=marker)
            pages += 1
            seen += [op.operation_id for op in response.stack_set_operations]
            assert response.page_info.current_count == len(response.stack_set_operations)
            marker = response.page_info.next_marker
            if marker is None:
                break
        assert seen == expected
        assert pages == 3


def test_marker_errors(rfs: Any) -> None:
    create_set(rfs)
    for _ in range(11):
        create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
    marker = list_ops(rfs, limit=10).page_info.next_marker
    assert marker
    for kwargs in (
        {"marker": "not-a-marker"},
        {"marker": marker, "filter": "action==DEPLOY_STACK_SET"},  # bound to its filter
        {"marker": marker, "sort_key": ["create_time"], "sort_dir": ["asc"]},  # and its direction
        {"limit": 9},
        {"limit": 1001},
    ):
        with pytest.raises(ClientRequestException) as excinfo:
            list_ops(rfs, **kwargs)
        assert error_of(excinfo) == (400, "RF.10011028")


def test_operation_metadata_has_every_field(rfs: Any) -> None:
    create_set(rfs)
    prefs = OperationPreferences(
        region_concurrency_type="SEQUENTIAL",
        region_order=[OTHER_REGION, REGION],
        failure_tolerance_count=1,
        max_concurrent_count=2,
        failure_tolerance_mode="SOFT_FAILURE_TOLERANCE",
    )
    op = create_instances(rfs, "hello_set", [DOMAIN_A, DOMAIN_B], [REGION, OTHER_REGION], prefs)
    meta = rfs.show_stack_set_operation_metadata(
        ShowStackSetOperationMetadataRequest(
            client_request_id=crid(), stack_set_name="hello_set", stack_set_operation_id=op
        )
    )
    assert meta.status_code == 200
    assert meta.stack_set_operation_id == op
    assert meta.stack_set_name == "hello_set" and len(meta.stack_set_id) == 36
    assert meta.status == "OPERATION_COMPLETE" and meta.status_message is None
    assert meta.action == "CREATE_STACK_INSTANCES"
    assert meta.administration_agency_name == ADMIN_AGENCY and meta.administration_agency_urn is None
    assert meta.managed_agency_name == MANAGED_AGENCY
    assert meta.deployment_targets.regions == [REGION, OTHER_REGION]
    assert meta.deployment_targets.domain_ids == [DOMAIN_A, DOMAIN_B]
    assert meta.deployment_targets.domain_ids_uri is None
    assert TIME.fullmatch(meta.create_time) and TIME.fullmatch(meta.update_time)
    assert meta.operation_preferences.to_dict() == {
        "region_concurrency_type": "SEQUENTIAL",
        "region_order": [OTHER_REGION, REGION],
        "failure_tolerance_count": 1,
        "failure_tolerance_percentage": None,
        "max_concurrent_count": 2,
        "max_concurrent_percentage": None,
        "failure_tolerance_mode": "SOFT_FAILURE_TOLERANCE",
    }


def test_operation_metadata_percentages_and_urn(rfs: Any) -> None:
    urn = "iam::0123456789abcdef0123456789abcdef:agency:rfs_admin"
    create_set(rfs, administration_agency_name=None, administration_agency_urn=urn)
    prefs = OperationPreferences(
        region_concurrency_type="PARALLEL", failure_tolerance_percentage=50, max_concurrent_percentage=100
    )
    op = create_instances(rfs, "hello_set", [DOMAIN_A], [REGION], prefs)
    meta = rfs.show_stack_set_operation_metadata(
        ShowStackSetOperationMetadataRequest(
            client_request_id=crid(), stack_set_name="hello_set", stack_set_operation_id=op
        )
    )
    assert meta.administration_agency_urn == urn and meta.administration_agency_name is None
    assert meta.operation_preferences.failure_tolerance_percentage == 50
    assert meta.operation_preferences.max_concurrent_percentage == 100
    assert meta.operation_preferences.region_concurrency_type == "PARALLEL"


def test_operation_metadata_errors(rfs: Any) -> None:
    create_set(rfs)
    op = create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])

    def show(**kwargs: Any) -> Any:
        fields = {"stack_set_name": "hello_set", "stack_set_operation_id": op, **kwargs}
        return rfs.show_stack_set_operation_metadata(
            ShowStackSetOperationMetadataRequest(client_request_id=crid(), **fields)
        )

    cases = [
        ({"stack_set_operation_id": "11111111-2222-3333-4444-555555555555"}, (404, "RF.10013001")),
        ({"stack_set_name": "other_set"}, (404, "RF.10013001")),
        ({"stack_set_id": "11111111-2222-3333-4444-555555555555"}, (400, "RF.10011015")),
        ({"stack_set_operation_id": "x"}, (400, "RF.10011006")),
        ({"client_request_id": None}, (400, "RF.10011001")),
        ({"client_request_id": "too-short"}, (400, "RF.10011006")),
    ]
    for kwargs, expected in cases:
        with pytest.raises(ClientRequestException) as excinfo:
            if "client_request_id" in kwargs:
                rfs.show_stack_set_operation_metadata(
                    ShowStackSetOperationMetadataRequest(
                        client_request_id=kwargs["client_request_id"],
                        stack_set_name="hello_set",
                        stack_set_operation_id=op,
                    )
                )
            else:
                show(**kwargs)
        assert error_of(excinfo) == expected, kwargs


def test_rollout_with_scripted_failures(rfs: Any) -> None:
    """A domain failing in a region: tolerance exceeded, later targets cancelled, seen through both lists."""
    create_set(rfs)
    control.fail(cloud="huawei", account=DOMAIN_B, region=REGION, reason="quota exceeded in member")
    prefs = OperationPreferences(region_order=[REGION, OTHER_REGION], failure_tolerance_count=0)
    op = create_instances(rfs, "hello_set", [DOMAIN_A, DOMAIN_B, DOMAIN_C], [REGION, OTHER_REGION], prefs)
    failed = list_ops(rfs, filter="status==OPERATION_FAILED").stack_set_operations
    assert [o.operation_id for o in failed] == [op]
    assert "failure tolerance exceeded" in failed[0].status_message
    instances = rfs.list_stack_instances(
        ListStackInstancesRequest(
            client_request_id=crid(), stack_set_name="hello_set", sort_key=["create_time"], sort_dir=["asc"]
        )
    ).stack_instances
    by_target = {(i.region, i.stack_domain_id): i for i in instances}
    assert by_target[(REGION, DOMAIN_A)].status == "OPERATION_COMPLETE"
    assert by_target[(REGION, DOMAIN_B)].status == "OPERATION_FAILED"
    assert by_target[(REGION, DOMAIN_B)].status_message == "quota exceeded in member"
    assert by_target[(REGION, DOMAIN_C)].status == "CANCEL_COMPLETE"
    assert {by_target[(OTHER_REGION, d)].status for d in (DOMAIN_A, DOMAIN_B, DOMAIN_C)} == {"CANCEL_COMPLETE"}
    assert all(i.latest_stack_set_operation_id == op for i in instances)
    # within tolerance the operation completes
    control.fail(cloud="huawei", account=DOMAIN_A, region=OTHER_REGION, times=1)
    again = rfs.deploy_stack_set(
        DeployStackSetRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=DeployStackSetRequestBody(
                deployment_targets=DeploymentTargets(regions=[OTHER_REGION], domain_ids=[DOMAIN_A, DOMAIN_C]),
                operation_preferences=OperationPreferences(failure_tolerance_count=1),
            ),
        )
    ).stack_set_operation_id
    newest = list_ops(rfs).stack_set_operations[0]
    assert newest.operation_id == again
    assert (newest.action, newest.status) == ("DEPLOY_STACK_INSTANCES", "OPERATION_COMPLETE")
