"""Server mode: lifecycle through moto's state-manager API, outcomes/clock/settings over the HTTP control API."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE

MODEL = "cloudformation::stackset-operation"


def api(server: ThreadedStackSetsServer, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{server.endpoint}/moto-api/stacksets{path}", json=body, timeout=10)


def test_polling_loop_with_a_transition_set_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    response = requests.post(
        f"{server.endpoint}/moto-api/state-manager/set-transition",
        json={"model_name": MODEL, "transition": {"progression": "manual", "times": 2}},
        timeout=10,
    )
    assert response.status_code == 201
    try:
        server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
        operation_id = server_cf.create_stack_instances(
            StackSetName="served", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION]
        )["OperationId"]
        seen = []
        for _ in range(10):
            status = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=operation_id)[
                "StackSetOperation"
            ]["Status"]
            seen.append(status)
            if status == "SUCCEEDED":
                break
        assert seen == ["RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"]
    finally:
        requests.post(
            f"{server.endpoint}/moto-api/state-manager/unset-transition", json={"model_name": MODEL}, timeout=10
        )


def test_outcomes_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    created = api(server, "POST", "/outcomes", {"account": ACCOUNT_B, "reason": "scripted over HTTP", "times": 1})
    assert created.status_code == 201
    outcome = created.json()
    assert (outcome["kind"], outcome["consumed"], outcome["times"]) == ("FAIL", 0, 1)

    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(
        StackSetName="served",
        Accounts=[ACCOUNT_A, ACCOUNT_B],
        Regions=[REGION],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    rows = server_cf.list_stack_set_operation_results(
        StackSetName="served",
        OperationId=operation_id,
        Filters=[{"Name": "OPERATION_RESULT_STATUS", "Values": "FAILED"}],
    )["Summaries"]
    assert [(r["Account"], r["StatusReason"]) for r in rows] == [(ACCOUNT_B, "scripted over HTTP")]
    (listed,) = api(server, "GET", "/outcomes").json()["outcomes"]
    assert listed["consumed"] == 1

    assert api(server, "DELETE", f"/outcomes/{listed['outcome_id']}").status_code == 204
    assert api(server, "DELETE", f"/outcomes/{listed['outcome_id']}").status_code == 404
    assert api(server, "GET", "/outcomes").json() == {"outcomes": []}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/outcomes", {"kind": "EXPLODE"}, 400),
        ("POST", "/outcomes", {"times": 0}, 400),
        ("POST", "/outcomes", {"account": 111}, 400),
        ("POST", "/outcomes", {"colour": "red"}, 400),
        ("POST", "/outcomes", [1, 2], 400),
        ("POST", "/clock", {"advance": -5}, 400),
        ("POST", "/progression", {"progression": "warp"}, 400),
        ("POST", "/settings", {"strict_roles": "yes"}, 400),
        ("GET", "/nowhere", None, 404),
        ("PUT", "/clock", None, 405),
    ],
)
def test_control_api_rejects_bad_input(
    server: ThreadedStackSetsServer, method: str, path: str, body: Any, status: int
) -> None:
    response = api(server, method, path, body)
    assert response.status_code == status
    assert "error" in response.json()


def test_clock_and_time_progression_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    assert api(server, "POST", "/progression", {"progression": "time", "seconds": 60}).json() == {
        "progression": "time",
        "seconds": 60.0,
    }
    frozen = api(server, "POST", "/clock", {"freeze": True}).json()["now"]
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]

    def status() -> str:
        found: str = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=operation_id)[
            "StackSetOperation"
        ]["Status"]
        return found

    assert status() == "RUNNING"
    later = api(server, "POST", "/clock", {"advance": 60}).json()["now"]
    assert later > frozen
    assert status() == "SUCCEEDED"
    api(server, "POST", "/progression", {"progression": "immediate"})


def test_settings_and_reset_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    assert api(server, "POST", "/settings", {"strict_roles": True}).json() == {"strict_roles": True}
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION])[
        "OperationId"
    ]
    (row,) = server_cf.list_stack_set_operation_results(StackSetName="served", OperationId=operation_id)["Summaries"]
    assert row["Status"] == "FAILED"
    assert api(server, "POST", "/reset").status_code == 204
    assert api(server, "GET", "/settings").json() == {"strict_roles": False}
    assert server_cf.list_stack_sets()["Summaries"] == []
