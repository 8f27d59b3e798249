"""CreateStackSet, UpdateStackSet, DeleteStackSet, ListStackSets, ShowStackSetMetadata, ShowStackSetTemplate,
DeployStackSet."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    DeleteStackInstanceRequest,
    DeleteStackInstanceRequestBody,
    DeleteStackSetRequest,
    DeploymentTargets,
    DeployStackSetRequest,
    DeployStackSetRequestBody,
    ListStackSetsRequest,
    ManagedOperation,
    ShowStackSetMetadataRequest,
    ShowStackSetTemplateRequest,
    UpdateStackSetRequest,
    UpdateStackSetRequestBody,
)

from moto_stacksets_ext import control

from rfs_support import DOMAIN_A, DOMAIN_B, REGION, TEMPLATE, VARS, create_instances, create_set, crid, error_of


def metadata(client: Any, name: str = "hello_set", **kwargs: Any) -> Any:
    return client.show_stack_set_metadata(
        ShowStackSetMetadataRequest(client_request_id=crid(), stack_set_name=name, **kwargs)
    )


def delete_set(client: Any, name: str = "hello_set", **kwargs: Any) -> Any:
    return client.delete_stack_set(DeleteStackSetRequest(client_request_id=crid(), stack_set_name=name, **kwargs))


def test_create_show_and_list(rfs: Any) -> None:
    stack_set_id = create_set(
        rfs,
        stack_set_description="shared network",
        initial_stack_description="per-member network",
        vars_body=VARS,
        managed_operation=ManagedOperation(enable_parallel_operation=True),
    )
    meta = metadata(rfs)
    assert meta.status_code == 200
    assert (meta.stack_set_id, meta.stack_set_name, meta.status) == (stack_set_id, "hello_set", "IDLE")
    assert meta.stack_set_description == "shared network"
    assert meta.initial_stack_description == "per-member network"
    assert meta.permission_model == "SELF_MANAGED"
    assert meta.vars_body == VARS
    assert meta.managed_operation.enable_parallel_operation is True
    assert meta.create_time == meta.update_time
    create_set(
        rfs, "second_set", permission_model="SERVICE_MANAGED", administration_agency_name=None, managed_agency_name=None
    )
    listed = rfs.list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
    assert [s.stack_set_name for s in listed.stack_sets] == ["second_set", "hello_set"]
    assert listed.page_info.next_marker is None
    only = rfs.list_stack_sets(
        ListStackSetsRequest(client_request_id=crid(), filter="permission_model==SERVICE_MANAGED")
    )
    assert [s.stack_set_name for s in only.stack_sets] == ["second_set"]
    ascending = rfs.list_stack_sets(
        ListStackSetsRequest(client_request_id=crid(), sort_key=["create_time"], sort_dir=["asc"])
    )
    assert [s.stack_set_name for s in ascending.stack_sets] == ["hello_set", "second_set"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"stack_set_name": "1starts_with_digit"}, (400, "RF.10011010")),
        ({"stack_set_name": "has space"}, (400, "RF.10011010")),
        ({"stack_set_name": "n" * 129}, (400, "RF.10011005")),
        ({"template_uri": "https://obs.example/t.zip"}, (400, "RF.10011003")),
        ({"template_body": None}, (400, "RF.10011056")),
        ({"permission_model": "OWNER"}, (400, "RF.10011027")),
        ({"permission_model": "SERVICE_MANAGED"}, (400, "RF.10011028")),  # agencies given
        ({"administration_agency_urn": "iam::x:agency:y"}, (400, "RF.10011028")),  # name and urn
        ({"vars_body": "not a tfvars line"}, (400, "RF.10011051")),
        ({"call_identity": "DELEGATED_ADMIN"}, (400, "RF.10011028")),
    ],
)
def test_create_errors(rfs: Any, fields: dict[str, Any], expected: tuple[int, str]) -> None:
    name = fields.pop("stack_set_name", "hello_set")
    with pytest.raises(ClientRequestException) as excinfo:
        create_set(rfs, name, **fields)
    assert error_of(excinfo) == expected
    assert rfs.list_stack_sets(ListStackSetsRequest(client_request_id=crid())).stack_sets == []


def test_duplicate_name_409_and_reuse_after_delete(rfs: Any) -> None:
    first = create_set(rfs)
    with pytest.raises(ClientRequestException) as excinfo:
        create_set(rfs)
    assert error_of(excinfo) == (409, "RF.10013502")
    assert delete_set(rfs, stack_set_id=first).status_code == 204
    second = create_set(rfs)
    assert second != first
    with pytest.raises(ClientRequestException) as excinfo:
        metadata(rfs, stack_set_id=first)
    assert error_of(excinfo) == (400, "RF.10011015")
    assert metadata(rfs, stack_set_id=second).stack_set_id == second


def test_delete_errors(rfs: Any) -> None:
    with pytest.raises(ClientRequestException) as excinfo:
        delete_set(rfs)
    assert error_of(excinfo) == (404, "RF.10013001")
    create_set(rfs)
    create_instances(rfs, "hello_set", [DOMAIN_A], [REGION])
    with pytest.raises(ClientRequestException) as excinfo:
        delete_set(rfs)
    assert error_of(excinfo) == (403, "RF.10012509")
    rfs.delete_stack_instance(
        DeleteStackInstanceRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=DeleteStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A])
            ),
        )
    )
    assert delete_set(rfs).status_code == 204


def test_update_stack_set(rfs: Any) -> None:
    create_set(rfs)
    before = metadata(rfs)
    control.advance(5)
    response = rfs.update_stack_set(
        UpdateStackSetRequest(
            client_request_id=crid(),
            stack_set_name="hello_set",
            body=UpdateStackSetRequestBody(
                stack_set_description="v2",
                administration_agency_urn="iam::d:agency:admin2",
                managed_agency_name="managed2",
                managed_operation=ManagedOperation(enable_parallel_operation=True),
            ),
        )
    )
    assert response.status_code == 204
    after = metadata(rfs)
    assert after.stack_set_description == "v2"
    assert (after.administration_agency_name, after.administration_agency_urn) == (None, "iam::d:agency:admin2")
    assert after.managed_agency_name == "managed2"
    assert after.update_time > before.update_time and after.create_time == before.create_time
    for body, expected in (
        (UpdateStackSetRequestBody(), (400, "RF.10011084")),
        (
            UpdateStackSetRequestBody(stack_set_id="00000000-0000-0000-0000-000000000000", stack_set_description="x"),
            (400, "RF.10011015"),
        ),
    ):
        with pytest.raises(ClientRequestException) as excinfo:
            rfs.update_stack_set(UpdateStackSetRequest(client_request_id=crid(), stack_set_name="hello_set", body=body))
        assert error_of(excinfo) == expected
    create_set(
        rfs, "svc", permission_model="SERVICE_MANAGED", administration_agency_name=None, managed_agency_name=None
    )
    with pytest.raises(ClientRequestException) as excinfo:
        rfs.update_stack_set(
            UpdateStackSetRequest(
                client_request_id=crid(), stack_set_name="svc", body=UpdateStackSetRequestBody(managed_agency_name="m")
            )
        )
    assert error_of(excinfo) == (400, "RF.10011028")


def test_template_redirect_and_download(rfs: Any) -> None:
    create_set(rfs)
    response = rfs.show_stack_set_template(
        ShowStackSetTemplateRequest(client_request_id=crid(), stack_set_name="hello_set")
    )
    assert response.status_code == 307
    assert requests.get(response.location, timeout=5).text == TEMPLATE
    create_set(rfs, "from_uri", template_body=None, template_uri="https://bucket.obs.example.com/t.tf.json")
    response = rfs.show_stack_set_template(
        ShowStackSetTemplateRequest(client_request_id=crid(), stack_set_name="from_uri")
    )
    assert response.location == "https://bucket.obs.example.com/t.tf.json"


def test_deploy_stack_set_replaces_template_and_vars(rfs: Any) -> None:
    create_set(rfs, vars_body=VARS)
    create_instances(rfs, "hello_set", [DOMAIN_A, DOMAIN_B], [REGION])

    def deploy(**fields: Any) -> str:
        body = DeployStackSetRequestBody(
            deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A]), **fields
        )
        request = DeployStackSetRequest(client_request_id=crid(), stack_set_name="hello_set", body=body)
        return str(rfs.deploy_stack_set(request).stack_set_operation_id)

    deploy(template_body='{"resource": {}}', vars_body='env = "prod"')
    assert metadata(rfs).vars_body == 'env = "prod"'
    template = rfs.show_stack_set_template(
        ShowStackSetTemplateRequest(client_request_id=crid(), stack_set_name="hello_set")
    )
    assert requests.get(template.location, timeout=5).text == '{"resource": {}}'
    for fields, expected in (
        ({"template_body": "{}", "template_uri": "https://obs/x"}, (400, "RF.10011003")),
        ({"stack_set_id": "00000000-0000-0000-0000-000000000000"}, (400, "RF.10011015")),
    ):
        with pytest.raises(ClientRequestException) as excinfo:
            deploy(**fields)
        assert error_of(excinfo) == expected
    with pytest.raises(ClientRequestException) as excinfo:
        rfs.deploy_stack_set(
            DeployStackSetRequest(
                client_request_id=crid(),
                stack_set_name="hello_set",
                body=DeployStackSetRequestBody(
                    deployment_targets=DeploymentTargets(regions=["cn-east-3"], domain_ids=[DOMAIN_A]),
                    template_body="{}",
                ),
            )
        )
    assert error_of(excinfo) == (400, "RF.10011028")  # a target the stack set does not manage
    assert metadata(rfs).vars_body == 'env = "prod"'  # a failed call changes nothing
