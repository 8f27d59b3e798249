"""RFS stacks through the official SDK, in-process and in server mode: Terraform templates (HCL and .tf.json),
resources, outputs, events, templates, execution plans, pacing and the published errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    ApplyExecutionPlanRequest,
    ApplyExecutionPlanRequestBody,
    ContinueDeployStackRequest,
    ContinueDeployStackRequestBody,
    CreateExecutionPlanRequest,
    CreateExecutionPlanRequestBody,
    CreateStackRequest,
    CreateStackRequestBody,
    DeleteExecutionPlanRequest,
    DeleteStackEnhancedRequest,
    DeleteStackEnhancedRequestBody,
    DeleteStackRequest,
    DeployStackRequest,
    DeployStackRequestBody,
    GetExecutionPlanMetadataRequest,
    GetExecutionPlanRequest,
    GetStackMetadataRequest,
    GetStackTemplateRequest,
    ListExecutionPlansRequest,
    ListStackEventsRequest,
    ListStackOutputsRequest,
    ListStackResourcesRequest,
    ListStacksRequest,
    UpdateStackRequest,
    UpdateStackRequestBody,
    VarsStructure,
)

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import crid, error_of, make_client

HCL = """
variable "vpc_name" {
  type    = string
  default = "default-vpc"
}

resource "huaweicloud_vpc" "vpc" {
  name = var.vpc_name
  cidr = "192.168.0.0/16"
}

resource "huaweicloud_vpc_subnet" "subnet" {
  count      = 2
  name       = "subnet-${count.index}"
  vpc_id     = huaweicloud_vpc.vpc.id
  cidr       = "192.168.1.0/24"
  gateway_ip = "192.168.1.1"
}

output "vpc_id" {
  description = "The VPC"
  value       = huaweicloud_vpc.vpc.id
}

output "vpc_name" {
  value = "${var.vpc_name}-out"
}

output "first_subnet" {
  value = huaweicloud_vpc_subnet.subnet[0].id
}

output "computed" {
  value = upper(var.vpc_name)
}

output "secret" {
  value     = var.vpc_name
  sensitive = true
}
"""

TF_JSON = json.dumps(
    {
        "resource": {
            "huaweicloud_vpc": {"vpc": {"name": "json-vpc", "cidr": "10.0.0.0/16"}},
            "huaweicloud_obs_bucket": {"logs": {"for_each": {"a": 1, "b": 2}, "bucket": "logs-${each.key}"}},
        },
        "output": {"vpc": {"value": "${huaweicloud_vpc.vpc.id}"}},
    }
)


@pytest.fixture(params=["in-process", "server"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "in-process":
        with mock_stacksets():
            yield make_client()
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield make_client(server.endpoint)
    control.reset()


def create(client: Any, name: str, template: str | None = HCL, **fields: Any) -> Any:
    body = CreateStackRequestBody(stack_name=name, template_body=template, **fields)
    return client.create_stack(CreateStackRequest(client_request_id=crid(), body=body))


def metadata(client: Any, name: str) -> Any:
    return client.get_stack_metadata(GetStackMetadataRequest(client_request_id=crid(), stack_name=name))


def resources(client: Any, name: str) -> list[Any]:
    found = client.list_stack_resources(ListStackResourcesRequest(client_request_id=crid(), stack_name=name))
    return list(found.stack_resources)


def outputs(client: Any, name: str) -> dict[str, Any]:
    found = client.list_stack_outputs(ListStackOutputsRequest(client_request_id=crid(), stack_name=name))
    return {o.name: o for o in found.outputs}


def events(client: Any, name: str, **query: Any) -> list[Any]:
    found = client.list_stack_events(ListStackEventsRequest(client_request_id=crid(), stack_name=name, **query))
    return list(found.stack_events)


def test_an_hcl_stack_lists_its_resources_and_resolves_its_outputs(client: Any) -> None:
    created = create(client, "net", vars_body='vpc_name = "prod-vpc"')
    assert len(created.stack_id) == 36 and len(created.deployment_id) == 36
    meta = metadata(client, "net")
    assert (meta.status, meta.stack_id, meta.vars_body) == (
        "DEPLOYMENT_COMPLETE",
        created.stack_id,
        'vpc_name = "prod-vpc"',
    )
    found = {(r.logical_resource_type, r.logical_resource_name, r.index_key): r for r in resources(client, "net")}
    assert set(found) == {
        ("huaweicloud_vpc", "vpc", None),
        ("huaweicloud_vpc_subnet", "subnet", "0"),
        ("huaweicloud_vpc_subnet", "subnet", "1"),
    }
    vpc = found[("huaweicloud_vpc", "vpc", None)]
    assert vpc.resource_status == "CREATION_COMPLETE" and len(vpc.physical_resource_id) == 36
    assert vpc.physical_resource_name == "prod-vpc"
    subnet = found[("huaweicloud_vpc_subnet", "subnet", "0")]
    assert {a.key: a.value for a in subnet.resource_attributes}["vpc_id"] == vpc.physical_resource_id
    shown = outputs(client, "net")
    assert (shown["vpc_id"].value, shown["vpc_id"].type, shown["vpc_id"].description) == (
        vpc.physical_resource_id,
        "string",
        "The VPC",
    )
    assert shown["vpc_name"].value == "prod-vpc-out"
    assert shown["first_subnet"].value == subnet.physical_resource_id
    assert shown["computed"].value is None  # a function call is not resolved
    assert (shown["secret"].value, shown["secret"].sensitive) == ("<sensitive>", True)
    summary = events(client, "net", filter="event_type==SUMMARY")
    assert [e.event_message for e in summary] == ["Apply complete! Resources: 3 added, 0 changed, 0 destroyed."]
    listed = client.list_stacks(ListStacksRequest(client_request_id=crid())).stacks
    assert [(s.stack_name, s.status) for s in listed] == [("net", "DEPLOYMENT_COMPLETE")]


def test_deploy_stack_keeps_ids_of_kept_resources_and_deletes_removed_ones(client: Any) -> None:
    create(client, "store", TF_JSON)
    before = {(r.logical_resource_type, r.index_key): r.physical_resource_id for r in resources(client, "store")}
    assert set(before) == {("huaweicloud_vpc", None), ("huaweicloud_obs_bucket", "a"), ("huaweicloud_obs_bucket", "b")}
    smaller = json.dumps({"resource": {"huaweicloud_vpc": {"vpc": {"name": "json-vpc", "cidr": "10.1.0.0/16"}}}})
    deployed = client.deploy_stack(
        DeployStackRequest(
            client_request_id=crid(), stack_name="store", body=DeployStackRequestBody(template_body=smaller)
        )
    )
    after = resources(client, "store")
    assert [(r.logical_resource_type, r.physical_resource_id, r.resource_status) for r in after] == [
        ("huaweicloud_vpc", before[("huaweicloud_vpc", None)], "UPDATE_COMPLETE")
    ]
    deleted = events(client, "store", deployment_id=deployed.deployment_id, filter="event_type==DELETION_COMPLETE")
    assert sorted(e.resource_key for e in deleted) == ["a", "b"]
    only_types = events(client, "store", deployment_id=deployed.deployment_id, field="event_type")
    assert {tuple(sorted(k for k, v in e.to_dict().items() if v is not None)) for e in only_types} == {("event_type",)}
    assert outputs(client, "store") == {}  # the new template has no outputs


def test_vars_structure_and_var_defaults(client: Any) -> None:
    create(client, "vars", vars_structure=[VarsStructure(var_key="vpc_name", var_value="from-structure")])
    assert outputs(client, "vars")["vpc_name"].value == "from-structure-out"
    create(client, "defaults")
    assert outputs(client, "defaults")["vpc_name"].value == "default-vpc-out"


def test_an_empty_stack_then_a_deployment_and_its_template(client: Any) -> None:
    created = create(client, "empty", None, description="nothing yet")
    assert created.deployment_id is None
    meta = metadata(client, "empty")
    assert (meta.status, meta.description) == ("CREATION_COMPLETE", "nothing yet")
    with pytest.raises(ClientRequestException) as missing:
        client.get_stack_template(GetStackTemplateRequest(client_request_id=crid(), stack_name="empty"))
    assert error_of(missing) == (404, "RF.10013023")
    client.deploy_stack(
        DeployStackRequest(client_request_id=crid(), stack_name="empty", body=DeployStackRequestBody(template_body=HCL))
    )
    location = client.get_stack_template(GetStackTemplateRequest(client_request_id=crid(), stack_name="empty")).location
    assert requests.get(location, timeout=10).text == HCL


def test_errors_change_nothing(client: Any) -> None:
    created = create(client, "taken")
    with pytest.raises(ClientRequestException) as conflict:
        create(client, "taken", TF_JSON)
    assert error_of(conflict) == (409, "RF.10013502")
    with pytest.raises(ClientRequestException) as invalid:
        create(client, "broken", 'resource "x" {')
    assert error_of(invalid) == (400, "RF.10011073")
    with pytest.raises(ClientRequestException) as bad_vars:
        create(client, "broken", vars_body="= nope")
    assert error_of(bad_vars) == (400, "RF.10011051")
    with pytest.raises(ClientRequestException) as uri:
        create(client, "broken", None, template_uri="https://bucket.obs.cn-north-4.myhuaweicloud.com/t.tf")
    assert error_of(uri)[0] == 400
    names = [s.stack_name for s in client.list_stacks(ListStacksRequest(client_request_id=crid())).stacks]
    assert names == ["taken"]
    with pytest.raises(ClientRequestException) as missing:
        metadata(client, "nope")
    assert error_of(missing) == (404, "RF.10013001")
    with pytest.raises(ClientRequestException) as mismatch:
        client.get_stack_metadata(
            GetStackMetadataRequest(
                client_request_id=crid(), stack_name="taken", stack_id="0" * 8 + "-0000-0000-0000-" + "0" * 12
            )
        )
    assert error_of(mismatch) == (400, "RF.10011015")
    with pytest.raises(ClientRequestException) as not_failed:
        client.continue_deploy_stack(
            ContinueDeployStackRequest(
                client_request_id=crid(),
                stack_name="taken",
                body=ContinueDeployStackRequestBody(stack_id=created.stack_id),
            )
        )
    assert error_of(not_failed) == (403, "RF.10012547")
    assert metadata(client, "taken").status == "DEPLOYMENT_COMPLETE"


def test_deletion_protection_then_delete(client: Any) -> None:
    create(client, "kept", enable_deletion_protection=True)
    with pytest.raises(ClientRequestException) as protected:
        client.delete_stack(DeleteStackRequest(client_request_id=crid(), stack_name="kept"))
    assert error_of(protected) == (403, "RF.10012544")
    with pytest.raises(ClientRequestException) as nothing:
        client.update_stack(
            UpdateStackRequest(client_request_id=crid(), stack_name="kept", body=UpdateStackRequestBody())
        )
    assert error_of(nothing) == (400, "RF.10011084")
    client.update_stack(
        UpdateStackRequest(
            client_request_id=crid(),
            stack_name="kept",
            body=UpdateStackRequestBody(enable_deletion_protection=False, description="now deletable"),
        )
    )
    meta = metadata(client, "kept")
    assert (meta.enable_deletion_protection, meta.description) == (False, "now deletable")
    client.delete_stack_enhanced(
        DeleteStackEnhancedRequest(
            client_request_id=crid(), stack_name="kept", body=DeleteStackEnhancedRequestBody(retain_all_resources=True)
        )
    )
    with pytest.raises(ClientRequestException) as gone:
        metadata(client, "kept")
    assert error_of(gone) == (404, "RF.10013001")


def test_execution_plans(client: Any) -> None:
    create(client, "planned", TF_JSON)
    plan_body = CreateExecutionPlanRequestBody(execution_plan_name="grow", template_body=HCL, description="to HCL")
    plan_id = client.create_execution_plan(
        CreateExecutionPlanRequest(client_request_id=crid(), stack_name="planned", body=plan_body)
    ).execution_plan_id
    stale_body = CreateExecutionPlanRequestBody(execution_plan_name="stale", template_body=TF_JSON)
    client.create_execution_plan(
        CreateExecutionPlanRequest(client_request_id=crid(), stack_name="planned", body=stale_body)
    )
    with pytest.raises(ClientRequestException) as conflict:
        client.create_execution_plan(
            CreateExecutionPlanRequest(client_request_id=crid(), stack_name="planned", body=plan_body)
        )
    assert error_of(conflict) == (409, "RF.10013501")
    meta = client.get_execution_plan_metadata(
        GetExecutionPlanMetadataRequest(client_request_id=crid(), stack_name="planned", execution_plan_name="grow")
    )
    assert (meta.status, meta.execution_plan_id, meta.description) == ("AVAILABLE", plan_id, "to HCL")
    assert (meta.summary.resource_add, meta.summary.resource_update, meta.summary.resource_delete) == (2, 1, 2)
    items = client.get_execution_plan(
        GetExecutionPlanRequest(client_request_id=crid(), stack_name="planned", execution_plan_name="grow")
    ).execution_plan_items
    assert sorted((i.resource_type, i.index, i.action) for i in items) == [
        ("huaweicloud_obs_bucket", "a", "DELETE"),
        ("huaweicloud_obs_bucket", "b", "DELETE"),
        ("huaweicloud_vpc", None, "UPDATE"),
        ("huaweicloud_vpc_subnet", "0", "ADD"),
        ("huaweicloud_vpc_subnet", "1", "ADD"),
    ]
    assert len(resources(client, "planned")) == 3  # a plan changes nothing
    client.apply_execution_plan(
        ApplyExecutionPlanRequest(
            client_request_id=crid(),
            stack_name="planned",
            execution_plan_name="grow",
            body=ApplyExecutionPlanRequestBody(execution_plan_id=plan_id),
        )
    )
    assert len(resources(client, "planned")) == 3 and "vpc_id" in outputs(client, "planned")
    listed = client.list_execution_plans(ListExecutionPlansRequest(client_request_id=crid(), stack_name="planned"))
    assert {(p.execution_plan_name, p.status) for p in listed.execution_plans} == {
        ("grow", "APPLIED"),
        ("stale", "AVAILABLE"),
    }
    with pytest.raises(ClientRequestException) as expired:
        client.apply_execution_plan(
            ApplyExecutionPlanRequest(
                client_request_id=crid(),
                stack_name="planned",
                execution_plan_name="stale",
                body=ApplyExecutionPlanRequestBody(),
            )
        )
    assert error_of(expired) == (403, "RF.10012545")
    client.delete_execution_plan(
        DeleteExecutionPlanRequest(client_request_id=crid(), stack_name="planned", execution_plan_name="stale")
    )
    with pytest.raises(ClientRequestException) as missing:
        client.get_execution_plan(
            GetExecutionPlanRequest(client_request_id=crid(), stack_name="planned", execution_plan_name="stale")
        )
    assert error_of(missing) == (404, "RF.10013002")


def test_stacks_progress_as_rfs_operations_do(client: Any) -> None:
    control.set_progression("manual", times=2, cloud="huawei")
    create(client, "slow", TF_JSON)
    assert metadata(client, "slow").status == "DEPLOYMENT_IN_PROGRESS"  # one read of two
    with pytest.raises(ClientRequestException) as busy:
        client.deploy_stack(
            DeployStackRequest(
                client_request_id=crid(), stack_name="slow", body=DeployStackRequestBody(template_body=HCL)
            )
        )
    assert error_of(busy) == (409, "RF.10013503")
    assert metadata(client, "slow").status == "DEPLOYMENT_COMPLETE"  # the second read: one step
    control.set_progression("time", seconds=30, cloud="huawei")
    client.delete_stack(DeleteStackRequest(client_request_id=crid(), stack_name="slow"))
    assert metadata(client, "slow").status == "DELETION_IN_PROGRESS"
    control.advance(31)
    with pytest.raises(ClientRequestException) as gone:
        metadata(client, "slow")
    assert error_of(gone) == (404, "RF.10013001")


def test_list_stacks_pages_with_a_marker(client: Any) -> None:
    for name in ("one", "two", "three"):
        create(client, name, None)
    first = client.list_stacks(ListStacksRequest(client_request_id=crid(), limit=2))
    assert first.page_info.current_count == 2 and first.page_info.next_marker
    second = client.list_stacks(
        ListStacksRequest(client_request_id=crid(), limit=2, marker=first.page_info.next_marker)
    )
    names = [s.stack_name for s in [*first.stacks, *second.stacks]]
    assert sorted(names) == ["one", "three", "two"] and second.page_info.next_marker is None


def test_a_deletion_paced_by_reads_ends_on_the_read_that_steps_it(client: Any) -> None:
    create(client, "going", TF_JSON)
    control.set_progression("manual", times=1, cloud="huawei")
    client.delete_stack(DeleteStackRequest(client_request_id=crid(), stack_name="going"))
    with pytest.raises(ClientRequestException) as gone:
        metadata(client, "going")  # this read is the step that deletes it
    assert error_of(gone) == (404, "RF.10013001")
    assert client.list_stacks(ListStacksRequest(client_request_id=crid())).stacks == []
