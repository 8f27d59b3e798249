"""State files: what an offline developer's server keeps across restarts, and what it refuses to load."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext._state.persistence import StateFileError, export_state, import_state
from moto_stacksets_ext.control import DriftedResource, PropertyDifference
from moto_stacksets_ext.engine.model import DifferenceType

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, client_in, run_server_to_exit, start_server_process


def test_round_trip_in_process() -> None:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        stack_set_id = cf.create_stack_set(StackSetName="kept", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
        control.fail(account=ACCOUNT_B, reason="scripted")
        operation_id = cf.create_stack_instances(
            StackSetName="kept",
            Accounts=[ACCOUNT_A, ACCOUNT_B],
            Regions=[REGION],
            OperationPreferences={"FailureToleranceCount": 1},
        )["OperationId"]
        difference = PropertyDifference("/DisplayName", "dev", "ops", DifferenceType.NOT_EQUAL)
        control.drift(account=ACCOUNT_A, resources=[DriftedResource("Topic", property_differences=(difference,))])
        drift_id = cf.detect_stack_set_drift(StackSetName="kept")["OperationId"]
        drift_of_a = {
            "StackSetName": "kept",
            "OperationId": drift_id,
            "StackInstanceAccount": ACCOUNT_A,
            "StackInstanceRegion": REGION,
        }
        drifts_before = cf.list_stack_instance_resource_drifts(**drift_of_a)["Summaries"]
        assert drifts_before[0]["PropertyDifferences"][0]["ActualValue"] == "ops"
        cf.create_stack_set(StackSetName="gone", TemplateBody=TOPIC_TEMPLATE)
        cf.delete_stack_set(StackSetName="gone")
        saved = json.loads(json.dumps(export_state()))
        before = cf.describe_stack_set_operation(StackSetName="kept", OperationId=operation_id)["StackSetOperation"]

        control.reset()
        assert cf.list_stack_sets()["Summaries"] == []
        assert import_state(saved) == 2

        assert cf.describe_stack_set(StackSetName="kept")["StackSet"]["StackSetId"] == stack_set_id
        after = cf.describe_stack_set_operation(StackSetName="kept", OperationId=operation_id)["StackSetOperation"]
        assert after == before
        rows = cf.list_stack_set_operation_results(StackSetName="kept", OperationId=operation_id)["Summaries"]
        assert {r["Account"]: r["Status"] for r in rows} == {ACCOUNT_A: "SUCCEEDED", ACCOUNT_B: "FAILED"}
        assert (
            cf.describe_stack_set(StackSetName="kept")["StackSet"]["StackSetDriftDetectionDetails"][
                "DriftedStackInstancesCount"
            ]
            == 1
        )
        assert cf.list_stack_instance_resource_drifts(**drift_of_a)["Summaries"] == drifts_before
        assert [s["OperationId"] for s in cf.list_stack_set_operations(StackSetName="kept")["Summaries"]] == [
            drift_id,
            operation_id,
        ]
        statuses = {s["StackSetName"]: s["Status"] for s in cf.list_stack_sets()["Summaries"]}
        assert statuses == {"kept": "ACTIVE", "gone": "DELETED"}
        # The instance's stack exists again in its account; the failed instance still has none.
        instance = cf.describe_stack_instance(
            StackSetName="kept", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
        )["StackInstance"]
        assert client_in(ACCOUNT_A).describe_stacks(StackName=instance["StackId"])["Stacks"][0]["StackStatus"] == (
            "CREATE_COMPLETE"
        )
        failed = cf.describe_stack_instance(
            StackSetName="kept", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
        )["StackInstance"]
        assert "StackId" not in failed
        # New operations continue after the loaded ones.
        again = cf.create_stack_instances(StackSetName="kept", Accounts=[ACCOUNT_B], Regions=[REGION])["OperationId"]
        assert cf.list_stack_set_operations(StackSetName="kept")["Summaries"][0]["OperationId"] == again


def test_running_operations_are_finished_before_saving() -> None:
    with mock_stacksets():
        control.set_progression("manual", times=1000)
        try:
            cf = boto3.client("cloudformation", region_name=REGION)
            cf.create_stack_set(StackSetName="busy", TemplateBody=TOPIC_TEMPLATE)
            operation_id = cf.create_stack_instances(StackSetName="busy", Accounts=[ACCOUNT_A], Regions=[REGION])[
                "OperationId"
            ]
            saved = export_state()
        finally:
            control.reset_progression()
        control.reset()
        import_state(saved)
        operation = cf.describe_stack_set_operation(StackSetName="busy", OperationId=operation_id)
        assert operation["StackSetOperation"]["Status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "something-else"}, "not a moto-stacksets-ext state file"),
        ({"format": "moto-stacksets-ext/state", "version": 99, "namespaces": []}, "version"),
        (
            {
                "format": "moto-stacksets-ext/state",
                "version": 1,
                "namespaces": [
                    {
                        "identity": ["aws", "123456789012", "us-east-1"],
                        "stack_sets": [{"$type": "os:system", "fields": {}}],
                    }
                ],
            },
            "not a moto-stacksets-ext type",
        ),
        ({"format": "moto-stacksets-ext/state", "version": 1, "namespaces": [{"identity": ["aws"]}]}, "corrupt"),
    ],
)
def test_foreign_or_corrupt_documents_are_refused(document: dict[str, Any], message: str) -> None:
    with mock_stacksets(), pytest.raises(StateFileError, match=message):
        import_state(document)


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output


def test_the_server_keeps_stack_sets_across_restarts(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    process, endpoint = start_server_process(state_file)
    try:
        cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
        stack_set_id = cf.create_stack_set(StackSetName="offline", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
        operation_id = cf.create_stack_instances(StackSetName="offline", Accounts=[ACCOUNT_A], Regions=[REGION])[
            "OperationId"
        ]
    finally:
        output = _stop(process)
    assert "state saved" in output
    assert json.loads(state_file.read_text())["format"] == "moto-stacksets-ext/state"

    process, endpoint = start_server_process(state_file)
    try:
        cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
        assert cf.describe_stack_set(StackSetName="offline")["StackSet"]["StackSetId"] == stack_set_id
        operation = cf.describe_stack_set_operation(StackSetName="offline", OperationId=operation_id)
        assert operation["StackSetOperation"]["Status"] == "SUCCEEDED"
        assert len(client_in(ACCOUNT_A, endpoint=endpoint).describe_stacks()["Stacks"]) == 1
    finally:
        _stop(process)


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": "someone-elses", "data": [1, 2]})])
def test_a_corrupt_or_foreign_file_stops_the_server_and_is_left_untouched(tmp_path: Path, content: str) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(content)
    result = run_server_to_exit(state_file)
    assert result.returncode == 2
    assert "refusing to start" in result.stderr
    assert str(state_file) in result.stderr
    assert state_file.read_text() == content


def test_state_export_and_import_over_http(server_cf: Any, server: Any) -> None:
    url = f"{server.endpoint}/moto-api/stacksets/state"
    stack_set_id = server_cf.create_stack_set(StackSetName="exported", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    exported = requests.get(url, timeout=10).json()
    assert exported["format"] == "moto-stacksets-ext/state"

    refused = requests.post(
        url, json={"format": "moto-stacksets-ext/state", "version": 1, "namespaces": [1]}, timeout=10
    )
    assert refused.status_code == 400
    assert server_cf.describe_stack_set(StackSetName="exported")["StackSet"]["StackSetId"] == stack_set_id

    server_cf.create_stack_set(StackSetName="dropped-by-import", TemplateBody=TOPIC_TEMPLATE)
    loaded = requests.post(url, json=exported, timeout=10)
    assert loaded.json() == {"stack_sets": 1}
    assert [s["StackSetName"] for s in server_cf.list_stack_sets()["Summaries"]] == ["exported"]
