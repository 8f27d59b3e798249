"""Scripted RFS stack deployment failures through the official SDK: DEPLOYMENT_FAILED, and the automatic
rollback of ``enable_auto_rollback`` (ROLLBACK_IN_PROGRESS, ROLLBACK_COMPLETE, ROLLBACK_FAILED), with events."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    ContinueDeployStackRequest,
    ContinueDeployStackRequestBody,
    DeployStackRequest,
    DeployStackRequestBody,
)
from test_rfs_stacks import HCL, TF_JSON, client, create, events, metadata, resources

from moto_stacksets_ext import control
from moto_stacksets_ext._control.checks import ControlArgumentError
from moto_stacksets_ext._control.remote import RemoteControl
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeKind
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import crid, error_of, make_client

__all__ = ["client"]  # the fixture, in-process and in server mode


def deploy(client: Any, name: str, template: str) -> Any:
    body = DeployStackRequestBody(template_body=template)
    return client.deploy_stack(DeployStackRequest(client_request_id=crid(), stack_name=name, body=body))


def addresses(client: Any, name: str) -> set[tuple[str, str]]:
    return {(r.logical_resource_type, r.physical_resource_id) for r in resources(client, name)}


def test_a_scripted_failure_fails_the_deployment_without_rollback(client: Any) -> None:
    rule = control.fail(cloud="huawei", stack="net", reason="quota exceeded", times=1)
    created = create(client, "net")
    meta = metadata(client, "net")
    assert (meta.status, meta.status_message) == ("DEPLOYMENT_FAILED", "quota exceeded")
    assert resources(client, "net") == []  # it failed before any resource changed
    errors = events(client, "net", filter="event_type==ERROR", deployment_id=created.deployment_id)
    assert [e.event_message for e in errors] == ["quota exceeded"]
    assert rule.consumed == 1
    other = create(client, "other")  # a rule naming a stack fails that stack only
    assert metadata(client, "other").status == "DEPLOYMENT_COMPLETE" and other.deployment_id
    # ContinueDeployStack deploys the failed input again; the rule is used up, so it completes
    client.continue_deploy_stack(
        ContinueDeployStackRequest(client_request_id=crid(), stack_name="net", body=ContinueDeployStackRequestBody())
    )
    assert metadata(client, "net").status == "DEPLOYMENT_COMPLETE" and len(resources(client, "net")) == 3


def test_auto_rollback_returns_to_the_last_successful_deployment(client: Any) -> None:
    create(client, "net", enable_auto_rollback=True)
    before = addresses(client, "net")
    control.fail(cloud="huawei", stack="net", action="UPDATE", reason="subnet conflict", times=1)
    control.set_progression("manual", times=1, cloud="huawei")
    failed = deploy(client, "net", TF_JSON)
    meta = metadata(client, "net")  # this read steps the deployment: it fails and the rollback starts
    assert (meta.status, meta.status_message) == ("ROLLBACK_IN_PROGRESS", "subnet conflict")
    with pytest.raises(ClientRequestException) as busy:
        deploy(client, "net", HCL)
    assert error_of(busy) == (409, "RF.10013503")
    assert metadata(client, "net").status == "ROLLBACK_COMPLETE"  # one more step
    assert addresses(client, "net") == before  # the resources of the last successful deployment
    mine = events(client, "net", deployment_id=failed.deployment_id)
    assert [e.event_type for e in mine] == ["SUMMARY", "LOG", "ERROR", "LOG"]  # newest first
    assert mine[2].event_message == "subnet conflict" and mine[0].event_message.startswith("Rollback complete")
    deploy(client, "net", TF_JSON)  # a rolled-back stack deploys again
    assert metadata(client, "net").status == "DEPLOYMENT_COMPLETE"


def test_a_first_deployment_rolls_back_to_no_resources(client: Any) -> None:
    control.fail(cloud="huawei", stack="fresh", action="CREATE", times=1)
    create(client, "fresh", TF_JSON, enable_auto_rollback=True)
    meta = metadata(client, "fresh")
    assert meta.status == "ROLLBACK_COMPLETE" and meta.status_message == "Scripted failure (moto-stacksets-ext)"
    assert resources(client, "fresh") == []


def test_a_scripted_rollback_failure_leaves_the_stack_rollback_failed(client: Any) -> None:
    create(client, "net", enable_auto_rollback=True)
    control.fail(cloud="huawei", stack="net", reason="broken", times=1)
    control.fail(cloud="huawei", stack="net", action="ROLLBACK", reason="cannot restore", times=1)
    deploy(client, "net", TF_JSON)
    meta = metadata(client, "net")
    assert (meta.status, meta.status_message) == ("ROLLBACK_FAILED", "cannot restore")
    errors = events(client, "net", filter="event_type==ERROR")
    assert [e.event_message for e in errors] == ["cannot restore", "broken"]  # newest first


def test_stack_set_rules_do_not_fail_stacks_and_stack_rules_check_their_arguments(client: Any) -> None:
    control.fail(cloud="huawei", stack_set="some-set")
    create(client, "net")
    assert metadata(client, "net").status == "DEPLOYMENT_COMPLETE"
    with pytest.raises(ControlArgumentError, match="stack or stack_set"):
        control.fail(cloud="huawei", stack="net", stack_set="some-set")
    with pytest.raises(ControlArgumentError, match="stack"):
        control.fail(cloud="huawei", stack=3)  # type: ignore[arg-type]


def test_a_stack_rule_travels_through_the_control_api(server: ThreadedStackSetsServer) -> None:
    """What ``control.fail(stack=...)`` sends under TEST_SERVER_MODE: the HTTP control API keeps ``stack``."""
    control.reset()
    remote = RemoteControl(server.endpoint)
    added = remote.add_outcome(Outcome(OutcomeKind.FAIL, "remote failure", "huawei", stack="net", times=1))
    assert [(o.stack, o.reason) for o in remote.outcomes()] == [("net", "remote failure")]
    client = make_client(server.endpoint)
    create(client, "net", enable_auto_rollback=False)
    assert metadata(client, "net").status_message == "remote failure"
    assert [o.consumed for o in remote.outcomes() if o.outcome_id == added.outcome_id] == [1]
    both = requests.post(
        f"{server.endpoint}/moto-api/stacksets/outcomes", json={"stack": "net", "stack_set": "s"}, timeout=10
    )
    assert (both.status_code, set(both.json())) == (400, {"error"})
    control.reset()
