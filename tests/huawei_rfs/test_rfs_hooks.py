"""RFS private hooks through the official SDK (in-process and server mode) and one raw signed request: the
hook and version API, Rego syntax checks, and the policies evaluated before the hook-checked stack calls."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    ConfigurationPrimitiveTypeHolderConfiguration,
    ContinueDeployStackRequest,
    ContinueDeployStackRequestBody,
    CreateExecutionPlanRequest,
    CreateExecutionPlanRequestBody,
    CreatePrivateHookRequest,
    CreatePrivateHookRequestBody,
    CreatePrivateHookVersionRequest,
    CreatePrivateHookVersionRequestBody,
    CreateStackRequest,
    CreateStackRequestBody,
    DeletePrivateHookRequest,
    DeletePrivateHookVersionRequest,
    DeleteStackRequest,
    GetExecutionPlanMetadataRequest,
    GetStackMetadataRequest,
    ListPrivateHooksRequest,
    ListPrivateHookVersionsRequest,
    ListStackEventsRequest,
    ListStackResourcesRequest,
    ShowPrivateHookMetadataRequest,
    ShowPrivateHookVersionMetadataRequest,
    ShowPrivateHookVersionPolicyRequest,
    UpdatePrivateHookMetadataRequest,
    UpdatePrivateHookMetadataRequestBody,
)
from test_rfs_wire import signed

from moto_stacksets_ext import control, huawei_rfs, mock_stacksets
from moto_stacksets_ext.huawei_rfs.private_hooks import DEFAULT_FAILURE_MESSAGE
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import AK, REGION, SK, crid, error_of, make_client

#: Huawei's documented policy shape: package policy, hook_result {is_passed, err_msg}; input is the change.
NO_PUBLIC_BUCKETS = """package policy

import rego.v1

public_buckets := [rc.address |
  some rc in input.resource_changes
  rc.type == "huaweicloud_obs_bucket"
  rc.change.after.acl == "public-read"
]

hook_result := {
  "is_passed": count(public_buckets) == 0,
  "err_msg": sprintf("public buckets are not allowed: %v", [public_buckets]),
}
"""
NO_DELETIONS = """package policy

hook_result := {"is_passed": count([rc | some rc in input.resource_changes; rc.change.actions[0] == "delete"]) == 0}
"""
NO_DECISION = """package policy

other := {"is_passed": false}
"""
PUBLIC = """
resource "huaweicloud_obs_bucket" "site" {
  bucket = "site"
  acl    = "public-read"
}
"""
PRIVATE = PUBLIC.replace("public-read", "private")


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


def hook(
    client: Any, name: str, policy: str, target: str | None = "ALL", mode: str | None = "FAIL", version: str = "1.0.0"
) -> str:
    config = (
        None
        if target is None
        else ConfigurationPrimitiveTypeHolderConfiguration(target_stacks=target, failure_mode=mode)
    )
    body = CreatePrivateHookRequestBody(
        hook_name=name, hook_version=version, policy_body=policy, configuration=config, hook_description="d"
    )
    return str(client.create_private_hook(CreatePrivateHookRequest(client_request_id=crid(), body=body)).hook_id)


def configure(client: Any, name: str, **config: Any) -> None:
    body = UpdatePrivateHookMetadataRequestBody(configuration=ConfigurationPrimitiveTypeHolderConfiguration(**config))
    client.update_private_hook_metadata(
        UpdatePrivateHookMetadataRequest(client_request_id=crid(), hook_name=name, body=body)
    )


def create_stack(client: Any, name: str, template: str) -> Any:
    body = CreateStackRequestBody(stack_name=name, template_body=template)
    return client.create_stack(CreateStackRequest(client_request_id=crid(), body=body))


def status(client: Any, name: str) -> tuple[str, str | None]:
    meta = client.get_stack_metadata(GetStackMetadataRequest(client_request_id=crid(), stack_name=name))
    return meta.status, meta.status_message


def event_messages(client: Any, name: str, event_type: str) -> list[str]:
    found = client.list_stack_events(
        ListStackEventsRequest(client_request_id=crid(), stack_name=name, filter=f"event_type=={event_type}")
    )
    return [e.event_message for e in found.stack_events]


def test_hooks_and_versions(client: Any) -> None:
    hook_id = hook(client, "guard-stack-hook", NO_PUBLIC_BUCKETS, target=None)
    body = CreatePrivateHookVersionRequestBody(hook_version="1.1.0-rc.1", policy_body=NO_DELETIONS, hook_id=hook_id)
    client.create_private_hook_version(
        CreatePrivateHookVersionRequest(client_request_id=crid(), hook_name="guard-stack-hook", body=body)
    )
    with pytest.raises(ClientRequestException) as twice:
        client.create_private_hook_version(
            CreatePrivateHookVersionRequest(client_request_id=crid(), hook_name="guard-stack-hook", body=body)
        )
    assert error_of(twice) == (409, "RF.10013502")
    versions = client.list_private_hook_versions(
        ListPrivateHookVersionsRequest(
            client_request_id=crid(), hook_name="guard-stack-hook", sort_key=["create_time"], sort_dir=["asc"]
        )
    ).versions
    assert [v.hook_version for v in versions] == ["1.0.0", "1.1.0-rc.1"]
    shown = client.show_private_hook_metadata(
        ShowPrivateHookMetadataRequest(client_request_id=crid(), hook_name="guard-stack-hook", hook_id=hook_id)
    )
    assert (shown.default_version, shown.configuration, shown.hook_description) == ("1.0.0", None, "d")
    client.update_private_hook_metadata(
        UpdatePrivateHookMetadataRequest(
            client_request_id=crid(),
            hook_name="guard-stack-hook",
            body=UpdatePrivateHookMetadataRequestBody(default_version="1.1.0-rc.1"),
        )
    )
    with pytest.raises(ClientRequestException) as default:
        client.delete_private_hook_version(
            DeletePrivateHookVersionRequest(
                client_request_id=crid(), hook_name="guard-stack-hook", hook_version="1.1.0-rc.1"
            )
        )
    assert error_of(default)[0] == 403
    client.delete_private_hook_version(
        DeletePrivateHookVersionRequest(client_request_id=crid(), hook_name="guard-stack-hook", hook_version="1.0.0")
    )
    with pytest.raises(ClientRequestException) as gone:
        client.show_private_hook_version_metadata(
            ShowPrivateHookVersionMetadataRequest(
                client_request_id=crid(), hook_name="guard-stack-hook", hook_version="1.0.0"
            )
        )
    assert error_of(gone) == (404, "RF.10013001")
    location = client.show_private_hook_version_policy(
        ShowPrivateHookVersionPolicyRequest(
            client_request_id=crid(), hook_name="guard-stack-hook", hook_version="1.1.0-rc.1"
        )
    ).location
    assert requests.get(location, timeout=10).text == NO_DELETIONS
    client.delete_private_hook(DeletePrivateHookRequest(client_request_id=crid(), hook_name="guard-stack-hook"))
    assert client.list_private_hooks(ListPrivateHooksRequest(client_request_id=crid())).hooks == []


def test_invalid_hooks_are_refused_and_change_nothing(client: Any) -> None:
    hook(client, "taken", NO_DELETIONS)
    cases = [
        (
            dict(hook_name="bad", hook_version="1.0.0", policy_body="package policy\nhook_result := {"),
            (400, "RF.10011028"),
        ),
        (dict(hook_name="bad", hook_version="1.0", policy_body=NO_DELETIONS), (400, "RF.10011028")),
        (dict(hook_name="bad", hook_version="1.0.0"), (400, "RF.10011001")),
        (
            dict(hook_name="bad", hook_version="1.0.0", policy_uri="https://b.obs.cn-north-4.myhuaweicloud.com/p.rego"),
            (400, "RF.10011028"),
        ),
        (dict(hook_name="taken", hook_version="1.0.0", policy_body=NO_DELETIONS), (409, "RF.10013502")),
        (dict(hook_name="9bad", hook_version="1.0.0", policy_body=NO_DELETIONS), (400, "RF.10011010")),
    ]
    for fields, expected in cases:
        with pytest.raises(ClientRequestException) as refused:
            client.create_private_hook(
                CreatePrivateHookRequest(client_request_id=crid(), body=CreatePrivateHookRequestBody(**fields))
            )
        assert error_of(refused) == expected, fields
    assert [
        h.hook_name for h in client.list_private_hooks(ListPrivateHooksRequest(client_request_id=crid())).hooks
    ] == ["taken"]


def test_a_failing_fail_hook_stops_the_deployment_until_it_is_fixed(client: Any) -> None:
    hook(client, "buckets", NO_PUBLIC_BUCKETS)
    created = create_stack(client, "site", PUBLIC)
    message = 'public buckets are not allowed: ["huaweicloud_obs_bucket.site"]'
    assert status(client, "site") == ("DEPLOYMENT_FAILED", message)
    assert event_messages(client, "site", "ERROR") == [message]
    assert (
        client.list_stack_resources(
            ListStackResourcesRequest(client_request_id=crid(), stack_name="site")
        ).stack_resources
        == []
    )
    configure(client, "buckets", target_stacks="NONE", failure_mode="FAIL")  # the hook no longer applies
    client.continue_deploy_stack(
        ContinueDeployStackRequest(
            client_request_id=crid(), stack_name="site", body=ContinueDeployStackRequestBody(stack_id=created.stack_id)
        )
    )
    assert status(client, "site") == ("DEPLOYMENT_COMPLETE", None)


def test_warn_deploys_and_records_and_no_decision_has_no_effect(client: Any) -> None:
    hook(client, "buckets", NO_PUBLIC_BUCKETS, mode="WARN")
    hook(client, "undecided", NO_DECISION)
    create_stack(client, "site", PUBLIC)
    assert status(client, "site") == ("DEPLOYMENT_COMPLETE", None)
    assert (
        event_messages(client, "site", "LOG")[-1] == 'public buckets are not allowed: ["huaweicloud_obs_bucket.site"]'
    )
    create_stack(client, "private", PRIVATE)
    assert event_messages(client, "private", "LOG") == ["Deployment started."]


def test_deletion_and_plans_are_hook_checked_with_the_default_message(client: Any) -> None:
    create_stack(client, "site", PRIVATE)
    hook(client, "no-deletions", NO_DELETIONS)
    client.delete_stack(DeleteStackRequest(client_request_id=crid(), stack_name="site"))
    assert status(client, "site") == ("DELETION_FAILED", DEFAULT_FAILURE_MESSAGE)
    client.create_execution_plan(
        CreateExecutionPlanRequest(
            client_request_id=crid(),
            stack_name="site",
            body=CreateExecutionPlanRequestBody(execution_plan_name="empty", template_body='variable "x" {}'),
        )
    )
    plan = client.get_execution_plan_metadata(
        GetExecutionPlanMetadataRequest(client_request_id=crid(), stack_name="site", execution_plan_name="empty")
    )
    assert (plan.status, plan.status_message) == ("CREATION_FAILED", DEFAULT_FAILURE_MESSAGE)


def test_a_raw_signed_request_creates_a_hook(server: ThreadedStackSetsServer) -> None:
    control.reset()
    try:
        huawei_rfs.require_signatures({AK: SK})
        body = {"hook_name": "raw-hook", "hook_version": "0.1.0", "policy_body": NO_DELETIONS,
                "configuration": {"target_stacks": "ALL", "failure_mode": "FAIL"}}  # fmt: skip
        created = signed(server.endpoint, "POST", "/v1/private-hooks", json.dumps(body).encode())
        assert created.status_code == 201, created.text
        listed = signed(server.endpoint, "GET", "/v1/private-hooks")
        assert [h["hook_id"] for h in listed.json()["hooks"]] == [created.json()["hook_id"]]
        project = huawei_rfs.project_id_for(AK, REGION)
        stack = signed(server.endpoint, "POST", f"/v1/{project}/stacks", json.dumps({"stack_name": "s"}).encode())
        assert stack.status_code == 200, stack.text
    finally:
        huawei_rfs.accept_any_signature()
        control.reset()


def test_without_regopy_hooks_are_stored_and_warned_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto_stacksets_ext.huawei_rfs import rego

    monkeypatch.setattr(rego, "_engine", lambda: None)
    monkeypatch.setattr(rego, "_warned", False)
    with mock_stacksets():
        client = make_client()
        with pytest.warns(RuntimeWarning, match="regopy is not installed"):
            hook(client, "unchecked", "package policy\nhook_result := {")  # not checked: no engine
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # warned once only
            create_stack(client, "site", PUBLIC)
        assert status(client, "site") == ("DEPLOYMENT_COMPLETE", None)


def test_a_hook_without_configuration_or_targeting_none_has_no_effect(client: Any) -> None:
    hook(client, "unconfigured", NO_PUBLIC_BUCKETS, target=None)
    hook(client, "targets-none", NO_PUBLIC_BUCKETS, target="NONE")
    create_stack(client, "site", PUBLIC)
    assert status(client, "site") == ("DEPLOYMENT_COMPLETE", None)
    assert event_messages(client, "site", "ERROR") == []
