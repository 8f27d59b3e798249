"""Stack instances: self-managed cross products, service-managed folders, get/list, errors."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext.alibaba_ros import resource_directory

from .ros_support import (
    A1,
    A2,
    A3,
    ACCESS_KEY,
    REGION,
    assert_error,
    create_group,
    create_instances,
    get_operation,
    operations_stay_running,
    raises,
)


def _list(client: Any, **filters: Any) -> Any:
    request = ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="MyStackGroup", **filters)
    return client.list_stack_instances(request).body


def _get(client: Any, account: str, region: str = REGION, **extra: Any) -> Any:
    request = ros.GetStackInstanceRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        stack_instance_account_id=account,
        stack_instance_region_id=region,
        **extra,
    )
    return client.get_stack_instance(request).body.stack_instance


def test_accounts_times_regions(client: Any) -> None:
    group_id = create_group(client)
    operation_id = create_instances(client, account_ids=[A1, A2], region_ids=[REGION, "cn-beijing"])
    assert get_operation(client, operation_id).status == "SUCCEEDED"
    listed = _list(client)
    assert listed.total_count == 4
    assert {(i.account_id, i.region_id) for i in listed.stack_instances} == {
        (A1, REGION),
        (A2, REGION),
        (A1, "cn-beijing"),
        (A2, "cn-beijing"),
    }
    instance = _get(client, A1, "cn-beijing", output_option="Enabled")
    assert (instance.status, instance.stack_group_id, instance.stack_group_name) == (
        "CURRENT",
        group_id,
        "MyStackGroup",
    )
    assert instance.stack_id and instance.parameter_overrides == [] and instance.outputs == []
    assert instance.stack_drift_status == "NOT_CHECKED" and instance.rd_folder_id is None
    assert _get(client, A1).outputs is None
    assert _list(client, stack_instance_account_id=A2).total_count == 2
    assert _list(client, stack_instance_region_id="cn-beijing", stack_instance_account_id=A2).total_count == 1
    page = _list(client, page_size=3, page_number=2)
    assert (page.total_count, len(page.stack_instances)) == (4, 1)


def test_instance_errors(client: Any) -> None:
    create_group(client)
    create_instances(client, account_ids=[A1], region_ids=[REGION])
    assert_error(
        raises(lambda: _get(client, A2)), "StackInstanceNotFound", 404, "The StackInstance could not be found."
    )
    exists = raises(lambda: create_instances(client, account_ids=[A1], region_ids=[REGION]))
    assert (exists.code, exists.status_code) == ("StackInstanceExists", 409)
    update = ros.UpdateStackInstancesRequest(
        region_id=REGION, stack_group_name="MyStackGroup", account_ids=[A2], region_ids=[REGION]
    )
    assert raises(lambda: client.update_stack_instances(update)).code == "StackInstanceNotFound"
    missing_group = raises(lambda: create_instances(client, "Nope"))
    assert_error(missing_group, "StackGroupNotFound", 404, "The StackGroup (Nope) could not be found.")
    no_regions = ros.CreateStackInstancesRequest(region_id=REGION, stack_group_name="MyStackGroup", account_ids=[A2])
    assert_error(
        raises(lambda: client.create_stack_instances(no_regions)),
        "MissingParameter",
        400,
        'The input parameter "RegionIds" that is mandatory for processing this request is not supplied.',
    )
    no_accounts = ros.CreateStackInstancesRequest(
        region_id=REGION, stack_group_name="MyStackGroup", region_ids=[REGION]
    )
    assert raises(lambda: client.create_stack_instances(no_accounts)).code == "MissingParameter"
    bad_account = raises(lambda: create_instances(client, account_ids=["not-an-account"], region_ids=[REGION]))
    assert bad_account.code == "InvalidParameter"
    too_many = raises(
        lambda: create_instances(client, account_ids=[f"{i:016d}" for i in range(51)], region_ids=[REGION])
    )
    assert (
        too_many.data["Message"]
        == "The specified parameter AccountIds is invalid, the number of items should not exceed 50."
    )
    no_retain = ros.DeleteStackInstancesRequest(
        region_id=REGION, stack_group_name="MyStackGroup", account_ids=[A1], region_ids=[REGION]
    )
    assert_error(
        raises(lambda: client.delete_stack_instances(no_retain)),
        "MissingParameter",
        400,
        'The input parameter "RetainStacks" that is mandatory for processing this request is not supplied.',
    )
    assert _list(client).total_count == 1


def test_parameter_overrides(client: Any) -> None:
    create_group(client)
    create_instances(client, account_ids=[A1], region_ids=[REGION])
    client.update_stack_instances(
        ros.UpdateStackInstancesRequest(
            region_id=REGION,
            stack_group_name="MyStackGroup",
            account_ids=[A1],
            region_ids=[REGION],
            parameter_overrides=[
                ros.UpdateStackInstancesRequestParameterOverrides(parameter_key="Env", parameter_value="prod")
            ],
        )
    )
    overrides = _get(client, A1).parameter_overrides
    assert [(p.parameter_key, p.parameter_value) for p in overrides] == [("Env", "prod")]
    unknown = ros.UpdateStackInstancesRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        account_ids=[A1],
        region_ids=[REGION],
        parameter_overrides=[
            ros.UpdateStackInstancesRequestParameterOverrides(parameter_key="Nope", parameter_value="1")
        ],
    )
    assert raises(lambda: client.update_stack_instances(unknown)).code == "UnknownUserParameter"


def test_client_token_replays_the_same_operation(client: Any) -> None:
    create_group(client)
    first = create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1")
    again = create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1")
    assert first == again
    delete = ros.DeleteStackInstancesRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        account_ids=[A1],
        region_ids=[REGION],
        retain_stacks=False,
        client_token="token-1",
    )
    assert_error(
        raises(lambda: client.delete_stack_instances(delete)),
        "InvalidIdempotenceParameter",
        400,
        "The specified parameters are different from before.",
    )


def test_client_token_replays_every_operation_call_and_is_per_group(client: Any) -> None:
    create_group(client)
    first = create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1")
    # The instance exists now: a new create is refused, the replay is not.
    assert create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1") == first
    assert raises(lambda: create_instances(client, account_ids=[A1], region_ids=[REGION])).code == "StackInstanceExists"

    def update(token: str) -> str:
        request = ros.UpdateStackGroupRequest(
            region_id=REGION, stack_group_name="MyStackGroup", description="d", client_token=token
        )
        return str(client.update_stack_group(request).body.operation_id)

    def drift(token: str) -> str:
        request = ros.DetectStackGroupDriftRequest(
            region_id=REGION, stack_group_name="MyStackGroup", client_token=token
        )
        return str(client.detect_stack_group_drift(request).body.operation_id)

    updated = update("token-2")
    assert update("token-2") == updated and updated != first
    drifted = drift("token-3")
    assert drift("token-3") == drifted
    assert raises(lambda: drift("token-2")).code == "InvalidIdempotenceParameter"
    assert raises(lambda: update("token-1")).code == "InvalidIdempotenceParameter"
    listed = client.list_stack_group_operations(
        ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body
    assert listed.total_count == 3
    # The same token on another group starts that group's own operation.
    create_group(client, "Other")
    elsewhere = create_instances(client, "Other", account_ids=[A1], region_ids=[REGION], client_token="token-1")
    assert elsewhere != first


def test_client_token_replay_while_the_operation_runs(client: Any) -> None:
    create_group(client)
    with operations_stay_running():
        first = create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1")
        # Not StackGroupOperationInProgress: the replay answers with the running operation.
        assert create_instances(client, account_ids=[A1], region_ids=[REGION], client_token="token-1") == first
        assert get_operation(client, first).status == "RUNNING"
        busy = raises(lambda: create_instances(client, account_ids=[A2], region_ids=[REGION]))
        assert busy.code == "StackGroupOperationInProgress"


@pytest.fixture
def directory(client: Any) -> resource_directory.ResourceDirectory:
    rd = resource_directory.for_access_key(ACCESS_KEY)
    return rd


def test_service_managed_folders(client: Any, directory: resource_directory.ResourceDirectory) -> None:
    prod = directory.add_folder("Prod")
    team = directory.add_folder("Team", prod.folder_id)
    directory.add_account(A1, prod.folder_id)
    directory.add_account(A2, team.folder_id)
    directory.add_account(A3)
    request = ros.CreateStackGroupRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        template_body="ROSTemplateFormatVersion: '2015-09-01'",
        permission_model="SERVICE_MANAGED",
        auto_deployment=ros.CreateStackGroupRequestAutoDeployment(enabled=True, retain_stacks_on_account_removal=True),
    )
    assert client.get_service_access().body.service_access_info.status == "Disabled"
    assert raises(lambda: client.create_stack_group(request)).code == "InvalidParameter"
    assert client.enable_service_access().body.service_access_info.status == "Enabled"
    client.create_stack_group(request)
    targets = ros.CreateStackInstancesRequestDeploymentTargets(rd_folder_ids=[prod.folder_id])
    create_instances(client, account_ids=None, region_ids=[REGION], deployment_targets=targets)
    instances = _list(client).stack_instances
    assert {(i.account_id, i.rd_folder_id) for i in instances} == {(A1, prod.folder_id), (A2, prod.folder_id)}
    root = ros.CreateStackInstancesRequestDeploymentTargets(rd_folder_ids=[directory.root_folder_id])
    operation_id = create_instances(client, account_ids=None, region_ids=["cn-beijing"], deployment_targets=root)
    rows = client.list_stack_group_operation_results(
        ros.ListStackGroupOperationResultsRequest(region_id=REGION, operation_id=operation_id)
    ).body.stack_group_operation_results
    assert {(r.account_id, r.rd_folder_id) for r in rows} == {(a, directory.root_folder_id) for a in (A1, A2, A3)}
    group = client.get_stack_group(
        ros.GetStackGroupRequest(region_id=REGION, stack_group_name="MyStackGroup")
    ).body.stack_group
    assert sorted(group.rd_folder_ids) == sorted([prod.folder_id, directory.root_folder_id])
    assert group.auto_deployment.enabled is True and group.auto_deployment.retain_stacks_on_account_removal is True
    assert group.administration_role_name is None
    unknown = ros.CreateStackInstancesRequestDeploymentTargets(rd_folder_ids=["fd-unknown"])
    error = raises(lambda: create_instances(client, account_ids=None, region_ids=[REGION], deployment_targets=unknown))
    assert error.data["Message"] == (
        "The specified parameter DeploymentTargets is invalid, "
        "the folder (fd-unknown) does not exist in the resource directory."
    )
    both = raises(lambda: create_instances(client, account_ids=[A1], region_ids=[REGION], deployment_targets=targets))
    assert both.code == "MultipleParameter"
    delete = ros.DeleteStackInstancesRequest(
        region_id=REGION,
        stack_group_name="MyStackGroup",
        region_ids=[REGION, "cn-beijing"],
        retain_stacks=False,
        deployment_targets=ros.DeleteStackInstancesRequestDeploymentTargets(rd_folder_ids=[directory.root_folder_id]),
    )
    client.delete_stack_instances(delete)
    assert _list(client).total_count == 0


def test_service_managed_needs_auto_deployment(client: Any, directory: resource_directory.ResourceDirectory) -> None:
    client.enable_service_access()
    request = ros.CreateStackGroupRequest(
        region_id=REGION,
        stack_group_name="g",
        template_body="ROSTemplateFormatVersion: '2015-09-01'",
        permission_model="SERVICE_MANAGED",
    )
    assert_error(
        raises(lambda: client.create_stack_group(request)),
        "MissingParameter",
        400,
        "The input parameter AutoDeployment should be specified.",
    )
    request.auto_deployment = ros.CreateStackGroupRequestAutoDeployment(enabled=True)
    assert raises(lambda: client.create_stack_group(request)).data["Message"] == (
        "The input parameter AutoDeployment.RetainStacksOnAccountRemoval should be specified."
    )


def test_reset_clears_the_resource_directory(directory: resource_directory.ResourceDirectory) -> None:
    directory.add_folder("Prod")
    from moto_stacksets_ext import control

    control.reset()
    assert list(resource_directory.for_access_key(ACCESS_KEY).folders) == [directory.root_folder_id]
