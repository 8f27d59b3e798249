"""The stacks behind RFS stack instances: stacks of the member domain, read with the member's own credentials."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackInstanceRequest,
    CreateStackInstanceRequestBody,
    CreateStackRequest,
    CreateStackRequestBody,
    DeleteStackInstanceRequest,
    DeleteStackInstanceRequestBody,
    DeploymentTargets,
    GetStackMetadataRequest,
    ListStackOutputsRequest,
    ListStackResourcesRequest,
    ListStacksRequest,
    ShowStackInstanceRequest,
    UpdateStackInstancesRequest,
    UpdateStackInstancesRequestBody,
    VarOverridesPrimitiveTypeHolderVarOverrides,
)

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.huawei_rfs import domain_id_for
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import OTHER_REGION, REGION, create_set, crid, make_client

MEMBER_AK = "AK_MEMBER_RFS"
MEMBER = domain_id_for(MEMBER_AK)
TEMPLATE = """
variable "env" {
  default = "dev"
}

resource "huaweicloud_vpc" "vpc" {
  name = "vpc-${var.env}"
  cidr = "10.0.0.0/16"
}

output "vpc_id" {
  value = huaweicloud_vpc.vpc.id
}

output "env" {
  value = var.env
}
"""


@pytest.fixture(params=["in-process", "server"])
def endpoint(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "in-process":
        with mock_stacksets():
            yield None
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield server.endpoint
    control.reset()


def instance(admin: Any, region: str = REGION) -> Any:
    return admin.show_stack_instance(
        ShowStackInstanceRequest(
            client_request_id=crid(), stack_set_name="net", stack_instance_addr=f"{region}/{MEMBER}"
        )
    )


def deploy(admin: Any, regions: list[str] | None = None) -> None:
    """Stack instances of the ``net`` stack set in the member domain (``REGION`` unless told)."""
    admin.create_stack_instance(
        CreateStackInstanceRequest(
            client_request_id=crid(),
            stack_set_name="net",
            body=CreateStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=regions or [REGION], domain_ids=[MEMBER])
            ),
        )
    )


def test_an_instance_stack_is_read_by_the_member_domain(endpoint: str | None) -> None:
    admin = make_client(endpoint)
    member = make_client(endpoint, ak=MEMBER_AK)
    create_set(admin, "net", template_body=TEMPLATE, vars_body='env = "prod"')
    deploy(admin)
    shown = instance(admin)
    assert shown.status == "OPERATION_COMPLETE" and shown.stack_name == "net" and len(shown.stack_id) == 36
    stacks = member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks
    assert [(s.stack_name, s.stack_id, s.status) for s in stacks] == [("net", shown.stack_id, "DEPLOYMENT_COMPLETE")]
    assert admin.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []  # not the admin's stack
    resources = member.list_stack_resources(ListStackResourcesRequest(client_request_id=crid(), stack_name="net"))
    [vpc] = resources.stack_resources
    assert (vpc.logical_resource_type, vpc.physical_resource_name) == ("huaweicloud_vpc", "vpc-prod")
    outputs = member.list_stack_outputs(ListStackOutputsRequest(client_request_id=crid(), stack_name="net")).outputs
    assert {o.name: o.value for o in outputs} == {"vpc_id": vpc.physical_resource_id, "env": "prod"}

    overrides = VarOverridesPrimitiveTypeHolderVarOverrides(vars_body='env = "staging"')
    admin.update_stack_instances(
        UpdateStackInstancesRequest(
            client_request_id=crid(),
            stack_set_name="net",
            body=UpdateStackInstancesRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[MEMBER]), var_overrides=overrides
            ),
        )
    )
    outputs = member.list_stack_outputs(ListStackOutputsRequest(client_request_id=crid(), stack_name="net")).outputs
    assert {o.name: o.value for o in outputs} == {"vpc_id": vpc.physical_resource_id, "env": "staging"}

    admin.delete_stack_instance(
        DeleteStackInstanceRequest(
            client_request_id=crid(),
            stack_set_name="net",
            body=DeleteStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[MEMBER])
            ),
        )
    )
    assert member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []


def test_a_member_stack_of_the_same_name_fails_the_instance(endpoint: str | None) -> None:
    admin = make_client(endpoint)
    member = make_client(endpoint, ak=MEMBER_AK)
    own = member.create_stack(
        CreateStackRequest(client_request_id=crid(), body=CreateStackRequestBody(stack_name="net"))
    ).stack_id
    create_set(admin, "net", template_body=TEMPLATE)
    deploy(admin, [REGION, OTHER_REGION])
    failed = instance(admin)
    assert failed.status == "OPERATION_FAILED" and "already exists" in failed.status_message
    meta = member.get_stack_metadata(GetStackMetadataRequest(client_request_id=crid(), stack_name="net"))
    assert (meta.stack_id, meta.status) == (own, "CREATION_COMPLETE")  # the member's own stack is untouched


def test_an_unreadable_template_fails_the_instance_with_the_parsers_message(endpoint: str | None) -> None:
    admin = make_client(endpoint)
    member = make_client(endpoint, ak=MEMBER_AK)
    create_set(admin, "net", template_body='resource "huaweicloud_vpc" {')
    deploy(admin)
    failed = instance(admin)
    assert failed.status == "OPERATION_FAILED" and "cannot be deployed" in failed.status_message
    assert member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []


def saved_state(endpoint: str | None) -> Any:
    """The plugin's state as a state file holds it (in-process, or from the server's HTTP control API)."""
    if endpoint is None:
        from moto_stacksets_ext._state.persistence import export_state

        return json.loads(json.dumps(export_state()))
    return requests.get(f"{endpoint}/moto-api/stacksets/state", timeout=10).json()


def load_state(endpoint: str | None, saved: Any) -> None:
    if endpoint is None:
        from moto_stacksets_ext._state.persistence import import_state

        import_state(saved)
        return
    assert requests.post(f"{endpoint}/moto-api/stacksets/state", json=saved, timeout=10).status_code == 200


def test_a_saved_state_brings_the_instance_stacks_back(endpoint: str | None) -> None:
    admin = make_client(endpoint)
    member = make_client(endpoint, ak=MEMBER_AK)
    create_set(admin, "net", template_body=TEMPLATE, vars_body='env = "prod"')
    deploy(admin)
    stack_id = instance(admin).stack_id
    saved = saved_state(endpoint)
    control.reset()
    assert member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []

    load_state(endpoint, saved)
    [stack] = member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks
    assert (stack.stack_name, stack.stack_id, stack.status) == ("net", stack_id, "DEPLOYMENT_COMPLETE")
    outputs = member.list_stack_outputs(ListStackOutputsRequest(client_request_id=crid(), stack_name="net"))
    assert {o.name: o.value for o in outputs.outputs}["env"] == "prod"


def test_a_member_stack_in_the_way_on_load_is_left_and_the_instance_has_no_stack() -> None:
    # In-process only: the HTTP control API's POST replaces the whole state, member stacks included.
    with mock_stacksets():
        admin = make_client(None)
        member = make_client(None, ak=MEMBER_AK)
        create_set(admin, "net", template_body=TEMPLATE)
        deploy(admin)
        saved = saved_state(None)
        control.reset()
        own = member.create_stack(
            CreateStackRequest(client_request_id=crid(), body=CreateStackRequestBody(stack_name="net"))
        ).stack_id

        load_state(None, saved)
        [stack] = member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks
        assert stack.stack_id == own
        assert instance(admin).stack_id is None  # the member's own stack is not the instance's


def test_a_stack_set_given_by_template_uri_deploys_no_empty_stacks(endpoint: str | None) -> None:
    # The mock has no OBS to read the template from: each instance fails and says why, never an empty stack.
    admin = make_client(endpoint)
    member = make_client(endpoint, ak=MEMBER_AK)
    create_set(admin, "net", template_body=None, template_uri="https://bucket.obs.cn-north-4.myhuaweicloud.com/t.tf")
    deploy(admin)
    failed = instance(admin)
    assert (failed.status, failed.stack_id) == ("OPERATION_FAILED", None)
    assert "template_uri" in failed.status_message and "template_body" in failed.status_message
    assert member.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []
