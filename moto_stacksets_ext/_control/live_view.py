"""The live view of the development server: ``/moto-api/stacksets/`` (HTML+JS, no CDN, works offline).

It shows the stack sets of every cloud, account and region, each operation as a grid of target accounts x
regions coloured by result status (refreshed every second while operations run), its preferences under AWS's
names (``FailureToleranceCount``...), status reason, the failed targets' reasons grouped when repeated, and
for a running operation its pace (the progression it runs under, reads so far, the next step's time, the
targets waiting for a Hook that answered IN_PROGRESS); above
them the engine clock, the progression of each cloud's state-manager model and the scripted outcomes still
waiting to be used (the answers to "why is it still RUNNING?"); and the newest Hook results with their
annotations. The page reads ``/moto-api/stacksets/view/state`` (JSON, linked from the page), which
``snapshot`` builds; reading it is not a read of any operation, so watching never moves a manual progression.
The page does not redraw while text on it is selected (so a selection can be copied).
"""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import resources
from typing import Any

from .. import _clouds
from .._transport.gateway import GatewayRequest, GatewayResponse
from ..engine.clock import clock
from ..engine.lifecycle import Mode
from ..engine.model import Operation, StackSet, TargetResult
from ..engine.outcomes import outcomes
from ..engine.stacksets import StackSetNamespace
from . import codec

PAGE_PATHS = ("/moto-api/stacksets", "/moto-api/stacksets/", "/moto-api/stacksets/view")
STATE_PATH = "/moto-api/stacksets/view/state"
OPERATIONS_SHOWN = 10
HOOK_RESULTS_SHOWN = 20


def _pace(operation: Operation) -> dict[str, Any] | None:
    """How a running operation advances: what the test author needs to move it along."""
    pace = operation.pace
    if pace is None or operation.status.value not in ("QUEUED", "RUNNING", "STOPPING"):
        return None
    progression = pace.progression
    found: dict[str, Any] = {"progression": progression.mode.value}
    if progression.mode is Mode.MANUAL:
        found.update(times=progression.times, reads=pace.reads)
    elif progression.mode is Mode.TIME:
        found.update(
            seconds=progression.seconds,
            next_step_at=codec.timestamp_json(pace.since + timedelta(seconds=progression.seconds)),
        )
    execution = operation.execution
    if execution is not None and execution.waiting:  # targets whose deployment is not finished (a Hook's call-back)
        found["waiting"] = [
            {
                "account": key[0],
                "region": key[1],
                "not_before": codec.timestamp_json(waiting.not_before),
                "reason": waiting.reason,
            }
            for key, waiting in execution.waiting.items()
        ]
    return found


def _reasons(results: list[TargetResult]) -> list[dict[str, Any]]:
    """Each distinct reason once, with how many targets gave it and which (newest reasons as they came)."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for result in results:
        if result.status_reason:
            grouped.setdefault(result.status_reason, []).append(
                {"account": result.account, "region": result.region, "status": result.status.value}
            )
    return [{"reason": reason, "count": len(targets), "targets": targets} for reason, targets in grouped.items()]


def _operation(operation: Operation) -> dict[str, Any]:
    preferences = operation.operation_preferences
    results = list(operation.results)
    return {
        "operation_id": operation.operation_id,
        "action": operation.provider_action or operation.action.value,
        "status": operation.status.value,
        "status_reason": operation.status_reason,
        "created": codec.timestamp_json(operation.creation_timestamp),
        "ended": codec.timestamp_json(operation.end_timestamp),
        "preferences": {  # AWS's member names (OperationPreferences), whichever cloud
            "RegionConcurrencyType": preferences.region_concurrency_type and preferences.region_concurrency_type.value,
            "RegionOrder": preferences.region_order,
            "FailureToleranceCount": preferences.failure_tolerance_count,
            "FailureTolerancePercentage": preferences.failure_tolerance_percentage,
            "MaxConcurrentCount": preferences.max_concurrent_count,
            "MaxConcurrentPercentage": preferences.max_concurrent_percentage,
            "ConcurrencyMode": preferences.concurrency_mode and preferences.concurrency_mode.value,
        },
        "pace": _pace(operation),
        "reasons": _reasons(results),
        "accounts": list(dict.fromkeys(r.account for r in results)),
        "regions": list(dict.fromkeys(r.region for r in results)),
        "cells": [
            {"account": r.account, "region": r.region, "status": r.status.value, "reason": r.status_reason}
            for r in results
        ],
    }


def _stack_set(stack_set: StackSet) -> dict[str, Any]:
    return {
        "name": stack_set.stack_set_name,
        "id": stack_set.stack_set_id,
        "status": stack_set.status.value,
        "permission_model": stack_set.permission_model.value,
        "instances": stack_set.instance_count,
        "operations": [_operation(op) for op in stack_set.newest_operations(OPERATIONS_SHOWN)],
    }


def _namespace(namespace: StackSetNamespace, stack_sets: list[StackSet]) -> dict[str, Any]:
    cloud, account, region = namespace.identity
    return {
        "cloud": cloud,
        "account": account,
        "region": region,
        "stack_sets": [_stack_set(stack_set) for stack_set in stack_sets],
    }


def _hook_results(backend: Any) -> list[dict[str, Any]]:
    return [
        {
            "account": backend.account_id,
            "region": backend.region_name,
            "hook_result_id": result.hook_result_id,
            "type_name": result.type_name,
            "status": result.status.value,
            "reason": result.hook_status_reason,
            "failure_mode": result.failure_mode,
            "target_type": result.target_type.value,
            "target_id": result.target_id,
            "invoked_at": codec.timestamp_json(result.invoked_at),
            "annotations": [
                {
                    "name": a.annotation_name,
                    "status": a.status,
                    "message": a.status_message,
                    "severity": a.severity_level,
                }
                for a in result.annotations
            ],
        }
        for result in backend.hooks.results.recent(HOOK_RESULTS_SHOWN)
    ]


def snapshot() -> dict[str, Any]:
    """Everything the live view shows, as JSON-ready data (namespaces with no stack set are left out)."""
    from ..cloudformation.models import stacksets_backends

    spaces: list[StackSetNamespace] = _clouds.every_namespace()
    hook_results: list[dict[str, Any]] = []
    for _, regions in list(stacksets_backends.items()):
        for _, backend in list(regions.items()):
            hook_results += _hook_results(backend)
    hook_results.sort(key=lambda r: r["invoked_at"] or "", reverse=True)
    return {
        "clock": {"now": codec.timestamp_json(clock.now())},
        "progressions": _progressions(),
        "outcomes_waiting": _outcomes_waiting(),
        "namespaces": [_namespace(ns, found) for ns in spaces if (found := ns.all_stack_sets())],
        "hook_results": hook_results[:HOOK_RESULTS_SHOWN],
    }


def _progressions() -> list[dict[str, Any]]:
    from moto.moto_api import state_manager

    return [
        {"cloud": cloud, "model": model, "transition": dict(state_manager.get_transition(model))}
        for cloud, model in _clouds.OPERATION_MODELS.items()
    ]


def _outcomes_waiting() -> dict[str, list[dict[str, Any]]]:
    """Scripted outcomes with uses left (deployment outcomes, then Hook outcomes)."""
    from ..cloudformation.hooks import control as hook_control

    def left(rule: Any) -> bool:
        return rule.times is None or rule.consumed < rule.times

    return {
        "deployments": [codec.outcome_json(o) for o in outcomes.all() if left(o)],
        "hooks": [codec.hook_outcome_json(o) for o in hook_control.outcome_book().all() if left(o)],
    }


class LiveViewFrontEnd:
    """Serves the page and its data (server mode)."""

    def __init__(self) -> None:
        self.name = "live-view"
        self.serves = "the live view"
        self.host_patterns: list[re.Pattern[str]] = []

    def claims(self, request: GatewayRequest) -> bool:
        return request.method == "GET" and request.path in (*PAGE_PATHS, STATE_PATH)

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        if request.path == STATE_PATH:
            return GatewayResponse.json(200, snapshot(), {"Cache-Control": "no-store"})
        page = resources.files("moto_stacksets_ext").joinpath("static/live_view.html").read_bytes()
        return GatewayResponse(200, {"Content-Type": "text/html; charset=utf-8"}, page)


FRONT_END = LiveViewFrontEnd()
