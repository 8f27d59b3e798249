"""The engine's account-gate seam, cloud-neutral: a gate asked before each target's first deployment."""

from __future__ import annotations

from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.execution import Executor, GateCheck, RecordingDeployer
from moto_stacksets_ext.engine.model import (
    AccountGateResult,
    DetailedStatus,
    GateStatus,
    InstanceStatus,
    OperationStatus,
    Preferences,
    Target,
    TargetStatus,
)
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeBook, OutcomeKind
from moto_stacksets_ext.engine.requests import OperationRequest
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, B, Naming, Transition, spec


class Gate:
    """Fails the accounts it is given; records what it was asked."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.asked: list[tuple[str, str, str]] = []

    def check(self, check: GateCheck) -> AccountGateResult:
        self.asked.append((check.account, check.region, check.operation.action.value))
        if check.account in self.failing:
            return AccountGateResult(GateStatus.FAILED, f"{check.account} has open alarms")
        return AccountGateResult(GateStatus.SUCCEEDED)


def namespace(clock: Clock, transition: Transition, outcomes: OutcomeBook, gate: Gate) -> StackSetNamespace:
    executor = Executor("test", RecordingDeployer(), clock, outcomes, account_gate=gate)
    return StackSetNamespace(("test", A, REGION), Naming(), executor, clock, transition)


def test_a_failed_gate_fails_its_target_before_scripted_outcomes(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    gate = Gate({B})
    ns = namespace(clock, transition, outcomes, gate)
    rule = outcomes.add(Outcome(OutcomeKind.SUCCEED, cloud="test", account=B))
    ns.create_stack_set(spec())
    operation = ns.create_instances(
        "base",
        [Target(A, REGION), Target(B, REGION)],
        None,
        OperationRequest(preferences=Preferences(failure_tolerance_count=1)),
    )
    assert operation.status is OperationStatus.SUCCEEDED
    by_account = {r.account: r for r in operation.results}
    assert by_account[A].status is TargetStatus.SUCCEEDED
    assert by_account[A].account_gate_result == AccountGateResult(GateStatus.SUCCEEDED)
    failed = by_account[B]
    assert (failed.status, failed.status_reason) == (TargetStatus.FAILED, f"{B} has open alarms")
    assert failed.account_gate_result == AccountGateResult(GateStatus.FAILED, f"{B} has open alarms")
    assert rule.consumed == 0  # the deployment never ran
    instance = ns.get_stack_set("base").instance(B, REGION)
    assert instance is not None
    assert (instance.status, instance.stack_instance_status.detailed_status) == (
        InstanceStatus.OUTDATED,
        DetailedStatus.FAILED,
    )
    assert operation.status_details is not None and operation.status_details.failed_stack_instances_count == 1
    assert gate.asked == [(A, REGION, "CREATE"), (B, REGION, "CREATE")]


def test_a_cloud_without_gates_reports_none(ns: StackSetNamespace) -> None:
    ns.create_stack_set(spec())
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    assert operation.results[0].account_gate_result is None
