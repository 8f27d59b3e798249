"""State documents are checked whole before anything is replaced; tags, not module paths; safe shutdown (issue 11)."""

from __future__ import annotations

import copy
import dataclasses
import enum
import json
import signal
import sys
import typing
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from moto_stacksets_ext import mock_stacksets, state_codec
from moto_stacksets_ext.engine.model import StackSet
from moto_stacksets_ext.persistence import StateFileError, export_state, import_state

from support import ACCOUNT_A, REGION, TOPIC_TEMPLATE, run_server_to_exit, start_server_process


def _exported_with_one_stack_set() -> dict[str, Any]:
    with mock_stacksets():
        cf = boto3.client("cloudformation", region_name=REGION)
        cf.create_stack_set(StackSetName="saved", TemplateBody=TOPIC_TEMPLATE)
        cf.create_stack_instances(StackSetName="saved", Accounts=[ACCOUNT_A], Regions=[REGION])
        return export_state()


def _broken_documents(good: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    twice = copy.deepcopy(good)
    twice["namespaces"][0]["stack_sets"].append(twice["namespaces"][0]["stack_sets"][0])
    namespace_twice = copy.deepcopy(good)
    namespace_twice["namespaces"].append(namespace_twice["namespaces"][0])
    unknown_region = copy.deepcopy(good)
    unknown_region["namespaces"][0]["identity"][2] = "us-nowhere-1"
    wrong_type = copy.deepcopy(good)
    wrong_type["namespaces"][0]["stack_sets"][0]["fields"]["seq"] = "abc"
    unknown_tag = copy.deepcopy(good)
    unknown_tag["namespaces"][0]["stack_sets"][0]["$type"] = "Spaceship"
    return {
        "stack set listed twice": (twice, "listed twice"),
        "namespace listed twice": (namespace_twice, "listed twice"),
        "unknown region": (unknown_region, "unknown AWS region"),
        "wrong field type": (wrong_type, "StackSet.seq cannot be"),
        "unknown type tag": (unknown_tag, "not a moto-stacksets-ext type"),
    }


def test_every_saved_type_has_a_tag_and_files_name_no_modules() -> None:
    reachable: set[type] = set()

    def walk(hint: Any) -> None:
        for arg in typing.get_args(hint):
            walk(arg)
        if isinstance(hint, type) and hint not in reachable:
            if dataclasses.is_dataclass(hint):
                reachable.add(hint)
                hints = typing.get_type_hints(hint, vars(sys.modules[hint.__module__]))
                skip = state_codec.DERIVED.get(hint, set())
                for field in dataclasses.fields(hint):
                    if field.name not in skip:
                        walk(hints[field.name])
            elif issubclass(hint, enum.Enum):
                reachable.add(hint)

    walk(StackSet)
    assert reachable <= set(state_codec.TYPES.values())
    exported = json.dumps(_exported_with_one_stack_set())
    assert "moto_stacksets_ext" not in exported
    assert '"$type": "StackSet"' in exported


def test_version_1_files_still_load_whatever_module_their_classes_named() -> None:
    document = _exported_with_one_stack_set()

    def as_version_1(value: Any) -> Any:
        if isinstance(value, list):
            return [as_version_1(v) for v in value]
        if not isinstance(value, dict):
            return value
        renamed = {k: as_version_1(v) for k, v in value.items()}
        for key in ("$type", "$enum"):
            if key in renamed:  # a class that has since moved: only its name matters
                renamed[key] = f"moto_stacksets_ext.somewhere_old:{renamed[key]}"
        return renamed

    old = {**as_version_1(document), "version": 1}
    with mock_stacksets():
        assert import_state(old) == 1
        cf = boto3.client("cloudformation", region_name=REGION)
        assert [i["Account"] for i in cf.list_stack_instances(StackSetName="saved")["Summaries"]] == [ACCOUNT_A]


def test_broken_documents_are_refused_in_process() -> None:
    good = _exported_with_one_stack_set()
    for name, (document, message) in _broken_documents(good).items():
        with mock_stacksets(), pytest.raises(StateFileError, match=message):
            import_state(document)
        assert name


def test_broken_documents_over_http_change_nothing(server_cf: Any, server: Any) -> None:
    url = f"{server.endpoint}/moto-api/stacksets/state"
    good = _exported_with_one_stack_set()
    server_cf.create_stack_set(StackSetName="present", TemplateBody=TOPIC_TEMPLATE)
    before = requests.get(url, timeout=10).json()
    for name, (document, message) in _broken_documents(good).items():
        answer = requests.post(url, json=document, timeout=10)
        assert answer.status_code == 400, name
        assert message in answer.json()["error"], name
        assert requests.get(url, timeout=10).json() == before, name
    running = copy.deepcopy(good)
    operation = running["namespaces"][0]["stack_sets"][0]["fields"]["operations"]["$seq"][0]["fields"]
    operation["status"]["value"] = "RUNNING"
    answer = requests.post(url, json=running, timeout=10)
    assert answer.status_code == 400 and "has not ended" in answer.json()["error"]
    assert [s["StackSetName"] for s in server_cf.list_stack_sets()["Summaries"]] == ["present"]


# -- the server's --state-file ----------------------------------------------------------------------------
def test_a_broken_state_file_is_a_clean_refusal(tmp_path: Path) -> None:
    good = _exported_with_one_stack_set()
    document, _ = _broken_documents(good)["stack set listed twice"]
    state_file = tmp_path / "state.json"
    content = json.dumps(document)
    state_file.write_text(content)
    result = run_server_to_exit(state_file)
    assert result.returncode == 2
    assert "listed twice" in result.stderr and "refusing to start" in result.stderr
    assert "Traceback" not in result.stderr
    assert state_file.read_text() == content


def test_stale_temporary_files_go_and_a_second_sigterm_cannot_stop_the_save(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    stale = tmp_path / ".state.json.tmp-k1lled.json"  # what a KILL during a save leaves
    stale.write_text("{")
    unrelated = tmp_path / ".other.json.tmp-keep.json"
    unrelated.write_text("{")
    process, endpoint = start_server_process(state_file)
    try:
        assert not stale.exists() and unrelated.exists()
        cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
        for number in range(20):
            cf.create_stack_set(StackSetName=f"kept-{number}", TemplateBody=TOPIC_TEMPLATE)
    finally:
        process.send_signal(signal.SIGTERM)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert "state saved" in output and "Traceback" not in output
    saved = json.loads(state_file.read_text())
    assert len(saved["namespaces"][0]["stack_sets"]) == 20
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == [unrelated.name]


def test_account_gate_results_saved_before_gate_status_still_load() -> None:
    from moto_stacksets_ext.engine.model import AccountGateResult, GateStatus

    earlier = {"$type": "AccountGateResult", "fields": {"status": "SKIPPED", "status_reason": "Function not found"}}
    assert state_codec.decode(earlier) == AccountGateResult(GateStatus.SKIPPED, "Function not found")
    with pytest.raises(StateFileError, match=r"AccountGateResult\.status"):
        state_codec.decode({"$type": "AccountGateResult", "fields": {"status": "MAYBE"}})
