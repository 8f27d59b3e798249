"""Adding a cloud is a list of files and one registration (docs/architecture.md): a fourth cloud made of a
front-end of a few dozen lines (``fourth_cloud.py``) is served, recorded, controlled, saved and shown like the
built-in three, with nothing else of the plugin changed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext._control.checks import ControlArgumentError
from moto_stacksets_ext._control.live_view import snapshot
from moto_stacksets_ext._state.persistence import export_state, import_state
from moto_stacksets_ext.engine.requests import StackSetSpec
from moto_stacksets_ext.server import ThreadedStackSetsServer

import fourth_cloud

ACCOUNT = "tc-0001"
REGION = "north-1"
URL = f"https://stacksets.testcloud.example/v1/{ACCOUNT}/{REGION}/stack-sets"


@pytest.fixture
def registered() -> Iterator[None]:
    fourth_cloud.register()
    yield
    fourth_cloud.unregister()


def test_a_registered_cloud_is_served_recorded_and_controlled(registered: None) -> None:
    with mock_stacksets():
        fourth_cloud.namespace(ACCOUNT, REGION).create_stack_set(StackSetSpec("fleet", template_body="{}"))

        answer = requests.get(URL, timeout=10)

        assert answer.status_code == 200 and answer.json() == {"stack_sets": ["fleet"]}
        call = control.calls.last(cloud="testcloud")
        assert call is not None
        assert (call.action, call.account, call.region, call.status) == ("ListStackSets", ACCOUNT, REGION, 200)
        assert control.namespace("testcloud", ACCOUNT, REGION).get_stack_set("fleet").stack_set_name == "fleet"
        assert control.set_progression("manual", cloud="testcloud") == {"progression": "manual", "times": 1}
        control.fail(cloud="testcloud", account=ACCOUNT, region=REGION)
        with pytest.raises(ControlArgumentError, match="'tc-' and 4 digits"):
            control.fail(cloud="testcloud", account="111111111111")
        control.clear_outcomes()


def test_a_registered_cloud_is_saved_loaded_and_shown(registered: None) -> None:
    with mock_stacksets():
        fourth_cloud.namespace(ACCOUNT, REGION).create_stack_set(StackSetSpec("fleet", template_body="{}"))
        saved = json.loads(json.dumps(export_state()))
        assert [entry["identity"] for entry in saved["namespaces"]] == [["testcloud", ACCOUNT, REGION]]
        shown = snapshot()
        assert [(n["cloud"], n["account"], n["region"]) for n in shown["namespaces"]] == [
            ("testcloud", ACCOUNT, REGION)
        ]
        assert {"cloud": "testcloud", "model": fourth_cloud.OPERATION_MODEL} in [
            {"cloud": p["cloud"], "model": p["model"]} for p in shown["progressions"]
        ]

        control.reset()
        assert requests.get(URL, timeout=10).json() == {"stack_sets": []}
        assert import_state(saved) == 1
        assert requests.get(URL, timeout=10).json() == {"stack_sets": ["fleet"]}


def test_a_registered_cloud_is_served_by_the_server(registered: None) -> None:
    with ThreadedStackSetsServer() as server:
        fourth_cloud.namespace(ACCOUNT, REGION).create_stack_set(StackSetSpec("fleet", template_body="{}"))
        answer = requests.get(
            f"{server.endpoint}/v1/{ACCOUNT}/{REGION}/stack-sets",
            headers={"Host": "stacksets.testcloud.example"},
            timeout=10,
        )
        assert answer.json() == {"stack_sets": ["fleet"]}
        calls = requests.get(f"{server.endpoint}/moto-api/stacksets/calls?cloud=testcloud", timeout=10).json()
        assert [c["action"] for c in calls["calls"]] == ["ListStackSets"]
        control.reset()


def test_an_unregistered_cloud_is_gone(registered: None) -> None:
    fourth_cloud.unregister()
    with mock_stacksets(), pytest.raises(ControlArgumentError, match="cloud must be one of"):
        control.fail(cloud="testcloud")


def test_a_registered_cloud_is_named_where_an_unserved_endpoint_is_refused(registered: None) -> None:
    from moto_stacksets_ext.plugin import UnservedEndpointError

    with mock_stacksets(), pytest.raises(UnservedEndpointError, match="testcloud stack sets"):
        requests.get("https://ecs.cn-north-4.myhuaweicloud.com/v1/servers", timeout=5)
