"""The HTTP control API's endpoints that ``control`` uses under TEST_SERVER_MODE, called as an HTTP client
would: one operation as the engine holds it, resetting a progression, removing one Hook outcome, and the
clock following the wall clock again; DRIFT outcomes naming resources."""

from __future__ import annotations

import json
from typing import Any

import requests
from moto.moto_api import state_manager

from moto_stacksets_ext._state.codec import decode
from moto_stacksets_ext.engine.model import Operation, OperationStatus
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, REGION, TOPIC_TEMPLATE


def api(server: ThreadedStackSetsServer, path: str) -> str:
    return f"{server.endpoint}/moto-api/stacksets{path}"


def test_one_operation_as_the_engine_holds_it(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="s", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="s", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    found = requests.get(api(server, f"/operations/{operation_id}"), params={"stack_set": "s"}, timeout=10)
    assert found.status_code == 200
    operation = decode(found.json()["operation"])
    assert isinstance(operation, Operation)
    assert (operation.operation_id, operation.status) == (operation_id, OperationStatus.SUCCEEDED)
    assert [(r.account, r.region) for r in operation.results] == [(ACCOUNT_A, REGION)]

    missing = requests.get(api(server, "/operations/nope"), params={"stack_set": "s"}, timeout=10)
    assert missing.status_code == 404 and "nope" in missing.json()["error"]
    elsewhere = {"stack_set": "s", "cloud": "huawei", "account": "a" * 32, "region": "cn-north-4"}
    assert requests.get(api(server, f"/operations/{operation_id}"), params=elsewhere, timeout=10).status_code == 404
    for bad in ({}, {"stack_set": "s", "cloud": "gcp"}, {"stack_set": "s", "colour": "red"}):
        refused = requests.get(api(server, f"/operations/{operation_id}"), params=bad, timeout=10)
        assert refused.status_code == 400, bad


def test_a_progression_goes_back_to_immediate(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    for cloud in ("aws", "huawei"):
        set_ = requests.post(api(server, "/progression"), json={"progression": "manual", "cloud": cloud}, timeout=10)
        assert set_.status_code == 200
    assert requests.delete(api(server, "/progression"), params={"cloud": "aws"}, timeout=10).status_code == 204
    assert state_manager.get_transition("cloudformation::stackset-operation") == {"progression": "immediate"}
    assert state_manager.get_transition("huawei-rfs::stackset-operation")["progression"] == "manual"
    assert requests.delete(api(server, "/progression"), timeout=10).status_code == 204
    assert state_manager.get_transition("huawei-rfs::stackset-operation") == {"progression": "immediate"}
    assert requests.delete(api(server, "/progression"), params={"cloud": "gcp"}, timeout=10).status_code == 400


def test_one_hook_outcome_is_removed(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    first = requests.post(api(server, "/hook-outcomes"), json={"reason": "first"}, timeout=10).json()
    requests.post(api(server, "/hook-outcomes"), json={"reason": "second"}, timeout=10)
    assert requests.delete(api(server, f"/hook-outcomes/{first['outcome_id']}"), timeout=10).status_code == 204
    assert requests.delete(api(server, f"/hook-outcomes/{first['outcome_id']}"), timeout=10).status_code == 404
    left = requests.get(api(server, "/hook-outcomes"), timeout=10).json()["hook_outcomes"]
    assert [o["reason"] for o in left] == ["second"]


def test_the_clock_follows_the_wall_clock_again(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    frozen = requests.post(api(server, "/clock"), json={"freeze": True, "advance": 3600}, timeout=10).json()["now"]
    assert requests.get(api(server, "/clock"), timeout=10).json()["now"] == frozen  # stopped
    thawed = requests.post(api(server, "/clock"), json={"freeze": False}, timeout=10).json()["now"]
    assert thawed >= frozen  # the hour advanced is kept
    from moto_stacksets_ext.engine.clock import clock

    assert not clock.frozen  # follows the wall clock (no timed assertion: read the switch)


def test_a_recorded_hook_result_is_answered_in_full(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    body = {
        "type_name": "MyCompany::Testing::MyHook",
        "target_type": "CLOUD_CONTROL",
        "target_id": "token-1",
        "reason": "checked",
        "annotations": [{"AnnotationName": "a", "Status": "PASSED"}],
    }
    answer = requests.post(api(server, "/hook-results"), json=body, timeout=10).json()
    got = server_cf.get_hook_result(HookResultId=answer["HookResultId"])
    assert (answer["HookStatusReason"], answer["TypeVersionId"], answer["FailureMode"]) == (
        got["HookStatusReason"],
        got["TypeVersionId"],
        got["FailureMode"],
    )
    assert answer["Annotations"] == [{"AnnotationName": "a", "Status": "PASSED"}]


def test_drift_outcomes_name_resources(server: ThreadedStackSetsServer, server_cf: Any) -> None:
    template = json.dumps({"Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}, "Jobs": {"Type": "AWS::SQS::Queue"}}})
    server_cf.create_stack_set(StackSetName="watched", TemplateBody=template)
    server_cf.create_stack_instances(StackSetName="watched", Accounts=[ACCOUNT_A], Regions=[REGION])
    difference = {
        "property_path": "/DelaySeconds",
        "expected_value": "0",
        "actual_value": "5",
        "difference_type": "NOT_EQUAL",
    }
    resources = {"Jobs": {"status": "MODIFIED", "property_differences": [difference]}}
    added = requests.post(api(server, "/outcomes"), json={"kind": "DRIFT", "resources": resources}, timeout=10)
    assert added.status_code == 201 and added.json()["resources"] == resources
    listed = requests.get(api(server, "/outcomes"), timeout=10).json()["outcomes"]
    assert [o["resources"] for o in listed] == [resources]
    for refused in [
        {"kind": "FAIL", "resources": {"Jobs": {}}},
        {"kind": "DRIFT", "resources": {"Jobs": {"status": "CHANGED"}}},
        {"kind": "DRIFT", "resources": {"Jobs": {"status": "DELETED", "property_differences": [difference]}}},
        {"kind": "DRIFT", "resources": ["Jobs"]},
    ]:
        answer = requests.post(api(server, "/outcomes"), json=refused, timeout=10)
        assert (answer.status_code, set(answer.json())) == (400, {"error"}), refused
    assert len(requests.get(api(server, "/outcomes"), timeout=10).json()["outcomes"]) == 1

    operation_id = server_cf.detect_stack_set_drift(StackSetName="watched")["OperationId"]
    drifts = server_cf.list_stack_instance_resource_drifts(
        StackSetName="watched",
        OperationId=operation_id,
        StackInstanceAccount=ACCOUNT_A,
        StackInstanceRegion=REGION,
        StackInstanceResourceDriftStatuses=["MODIFIED"],
    )["Summaries"]
    assert [(d["LogicalResourceId"], d["PropertyDifferences"]) for d in drifts] == [
        (
            "Jobs",
            [
                {
                    "PropertyPath": "/DelaySeconds",
                    "ExpectedValue": "0",
                    "ActualValue": "5",
                    "DifferenceType": "NOT_EQUAL",
                }
            ],
        )
    ]
