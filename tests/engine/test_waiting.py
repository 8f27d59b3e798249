"""Targets whose deployer has not finished them yet: kept in flight, resumed by the operation's progression."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.execution import Deployment, DeployOutcome, Executor
from moto_stacksets_ext.engine.model import (
    DetailedStatus,
    OperationStatus,
    Preferences,
    RegionConcurrency,
    Target,
    TargetStatus,
)
from moto_stacksets_ext.engine.outcomes import Outcome, OutcomeBook, OutcomeKind
from moto_stacksets_ext.engine.requests import OperationRequest
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, B, Naming, Transition, spec

OTHER_REGION = "eu-central-1"


class SlowDeployer:
    """Answers "not finished" ``rounds[account]`` times (asking to wait ``wait`` seconds), then ends the
    deployment (failing it with ``fail[account]`` if given). Every call is recorded with the continuation
    it was handed back."""

    def __init__(self, rounds: dict[str, int], wait: float = 0.0, fail: dict[str, str] | None = None) -> None:
        self.rounds = rounds
        self.wait = wait
        self.fail = fail or {}
        self.calls: list[tuple[str, object]] = []

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        account = deployment.instance.account
        self.calls.append((account, deployment.resume))
        done = 0 if deployment.resume is None else int(str(deployment.resume))
        if done < self.rounds.get(account, 0):
            return DeployOutcome.not_finished(done + 1, self.wait, reason=f"round {done + 1}")
        if account in self.fail:
            return DeployOutcome(succeeded=False, reason=self.fail[account])
        return DeployOutcome(succeeded=True, stack_id=f"stack-{account}")


def namespace(deployer: SlowDeployer, clock: Clock, transition: Transition, outcomes: OutcomeBook) -> StackSetNamespace:
    executor = Executor("test", deployer, clock, outcomes)
    made = StackSetNamespace(("test", A, REGION), Naming(), executor, clock, transition)
    made.create_stack_set(spec())
    return made


def statuses(ns: StackSetNamespace, operation_id: str) -> list[TargetStatus]:
    return [r.status for r in ns.get_operation("base", operation_id).results]


def test_manual_progression_resumes_a_waiting_target_once_per_step(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 2}, wait=3600)
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "manual", "times": 1}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    assert deployer.calls == []  # the first batch is in flight; the first step deploys it
    for expected_calls in (1, 2):
        read = ns.get_operation("base", operation.operation_id)  # one step: the wait does not matter
        assert read.status is OperationStatus.RUNNING
        assert [r.status for r in read.results] == [TargetStatus.RUNNING]
        assert ns.get_instance("base", A, REGION).detailed_status is DetailedStatus.RUNNING
        assert len(deployer.calls) == expected_calls
    ended = ns.get_operation("base", operation.operation_id)
    assert ended.status is OperationStatus.SUCCEEDED
    assert deployer.calls == [(A, None), (A, 1), (A, 2)]
    instance = ns.get_instance("base", A, REGION)
    assert (instance.detailed_status, instance.stack_id) == (DetailedStatus.SUCCEEDED, f"stack-{A}")


def test_the_region_next_batch_waits_for_a_waiting_target_other_regions_do_not(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 1})
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "manual", "times": 1}
    preferences = Preferences(region_concurrency_type=RegionConcurrency.PARALLEL)
    operation = ns.create_instances(
        "base",
        [Target(A, REGION), Target(B, REGION), Target(A, OTHER_REGION), Target(B, OTHER_REGION)],
        None,
        OperationRequest(preferences=preferences),
    )
    order = [(r.account, r.region) for r in operation.results]
    assert order == [(A, REGION), (B, REGION), (A, OTHER_REGION), (B, OTHER_REGION)]
    # Step 1: A waits in REGION (B not started); A in OTHER_REGION waits too, as its deployer answers per account.
    assert statuses(ns, operation.operation_id) == [TargetStatus.RUNNING, TargetStatus.PENDING] * 2
    # Step 2: both A finish; the B batches start.
    assert statuses(ns, operation.operation_id) == [TargetStatus.SUCCEEDED, TargetStatus.RUNNING] * 2
    assert statuses(ns, operation.operation_id) == [TargetStatus.SUCCEEDED] * 4


def test_time_progression_resumes_once_the_wait_has_passed(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 1}, wait=25)
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "time", "seconds": 10}
    start = clock.now()
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    clock.advance(30)  # steps at 10 (deployed: wait until 35), 20 and 30 (still waiting)
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.RUNNING
    assert deployer.calls == [(A, None)]
    waiting = ns.get_operation("base", operation.operation_id).execution
    assert waiting is not None
    assert waiting.waiting[(A, REGION)].not_before == start + timedelta(seconds=35)
    assert waiting.waiting[(A, REGION)].reason == "round 1"
    clock.advance(10)  # the step at 40 resumes it
    ended = ns.get_operation("base", operation.operation_id)
    assert ended.status is OperationStatus.SUCCEEDED
    assert deployer.calls == [(A, None), (A, 1)]
    (result,) = ended.results
    assert result.ended_at == start + timedelta(seconds=40)


def test_immediate_progression_resumes_at_once_whatever_the_wait(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 3}, wait=float("inf"), fail={A: "no"})
    ns = namespace(deployer, clock, transition, outcomes)
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    assert operation.status is OperationStatus.FAILED
    assert deployer.calls == [(A, None), (A, 1), (A, 2), (A, 3)]
    (result,) = operation.results
    assert (result.status, result.status_reason) == (TargetStatus.FAILED, "no")
    assert ns.get_instance("base", A, REGION).detailed_status is DetailedStatus.FAILED


@pytest.mark.parametrize("wait", [-5.0, float("nan")])
def test_a_wait_that_is_not_a_positive_number_waits_for_nothing(
    clock: Clock, transition: Transition, outcomes: OutcomeBook, wait: float
) -> None:
    deployer = SlowDeployer({A: 1}, wait=wait)
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "time", "seconds": 10}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    clock.advance(20)
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.SUCCEEDED
    assert deployer.calls == [(A, None), (A, 1)]


def test_scripted_outcomes_are_consulted_on_the_first_deployment_only(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 1})
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "manual", "times": 1}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    ns.get_operation("base", operation.operation_id)  # deployed, not finished
    rule = outcomes.add(Outcome(OutcomeKind.FAIL, reason="scripted", cloud="test", account=A))
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.SUCCEEDED
    assert rule in outcomes.unconsumed()


def test_a_stop_lets_a_waiting_target_finish(clock: Clock, transition: Transition, outcomes: OutcomeBook) -> None:
    deployer = SlowDeployer({A: 2})
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "manual", "times": 1}
    operation = ns.create_instances("base", [Target(A, REGION), Target(B, REGION)], None, OperationRequest())
    ns.get_operation("base", operation.operation_id)  # A deployed, waiting
    assert ns.stop_operation("base", operation.operation_id).status is OperationStatus.STOPPING
    assert statuses(ns, operation.operation_id) == [TargetStatus.RUNNING, TargetStatus.CANCELLED]  # A resumed once
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.STOPPED
    assert deployer.calls == [(A, None), (A, 1), (A, 2)]
    assert ns.get_operation("base", operation.operation_id).results[0].status is TargetStatus.SUCCEEDED


def test_settling_before_a_save_resumes_waiting_targets_at_once(
    clock: Clock, transition: Transition, outcomes: OutcomeBook
) -> None:
    deployer = SlowDeployer({A: 2}, wait=600)
    ns = namespace(deployer, clock, transition, outcomes)
    transition.value = {"progression": "time", "seconds": 10}
    operation = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    clock.advance(10)
    ns.settle()
    assert ns.get_operation("base", operation.operation_id).status is OperationStatus.SUCCEEDED
    assert deployer.calls == [(A, None), (A, 1), (A, 2)]
