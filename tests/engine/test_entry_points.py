"""One engine call per request: stack-set refs (name only, expected id, the caller's check), target resolvers,
changes made from the stack set, idempotency keys and the namespace's refusal of existing instances."""

from __future__ import annotations

import pytest

from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.errors import (
    IdempotencyMismatch,
    OperationInProgress,
    StackInstanceExists,
    StackInstanceNotFound,
    StackSetIdMismatch,
    StackSetNotFound,
)
from moto_stacksets_ext.engine.execution import Executor, RecordingDeployer
from moto_stacksets_ext.engine.model import (
    DeploymentTargets,
    ImportedStack,
    OperationAction,
    OperationStatus,
    PermissionModel,
    StackSet,
    StackSetStatus,
    Target,
)
from moto_stacksets_ext.engine.outcomes import OutcomeBook
from moto_stacksets_ext.engine.requests import (
    ListQuery,
    OperationRequest,
    ResolvedTargets,
    StackSetChanges,
    StackSetRef,
)
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, B, Naming, Transition, spec


class Refused(Exception):
    """A front-end's own error, raised from within an engine call."""


def _keyed(key: str, action: str = "Create") -> OperationRequest:
    return OperationRequest(provider_action=action, idempotency_key=key)


# -- StackSetRef ------------------------------------------------------------------------------------------
def test_a_ref_by_name_does_not_find_a_stack_set_by_its_id(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    assert ns.get_stack_set(made.stack_set_id) is made  # a plain selector finds it by id
    with pytest.raises(StackSetNotFound) as raised:
        ns.get_stack_set(StackSetRef(made.stack_set_id, by_name=True))
    assert raised.value.name_or_id == made.stack_set_id
    assert ns.get_stack_set(StackSetRef("base", by_name=True)) is made


def test_a_ref_with_the_wrong_expected_id_is_refused_by_mutations_and_reads(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    wrong = StackSetRef("base", by_name=True, expected_id="other:id")
    with pytest.raises(StackSetIdMismatch) as raised:
        ns.create_instances(wrong, [Target(A, REGION)], None, OperationRequest())
    assert (raised.value.name, raised.value.expected_id) == ("base", "other:id")
    assert not made.has_instances and ns.page_operations("base", "operations", ListQuery())[1].items == []
    with pytest.raises(StackSetIdMismatch):
        ns.page_instances(wrong, "instances", ListQuery())
    with pytest.raises(StackSetIdMismatch):
        ns.delete_stack_set(wrong)
    assert made.status is StackSetStatus.ACTIVE
    right = StackSetRef("base", by_name=True, expected_id=made.stack_set_id)
    operation = ns.create_instances(right, [Target(A, REGION)], None, OperationRequest())
    assert ns.read_operation(operation.operation_id, right) == (made, operation)
    assert ns.read_instance(right, A, REGION) == (made, made.instance(A, REGION))


def test_a_refs_check_runs_on_the_stack_set_found_before_anything_changes(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    seen: list[StackSet] = []

    def refuse(stack_set: StackSet) -> None:
        seen.append(stack_set)
        raise Refused(stack_set.stack_set_name)

    with pytest.raises(Refused):
        ns.create_instances(StackSetRef("base", check=refuse), [Target(A, REGION)], None, OperationRequest())
    with pytest.raises(Refused):
        ns.update_stack_set_properties(StackSetRef("base", check=refuse), StackSetChanges(description="new"))
    assert seen == [made, made]
    assert not made.has_instances and made.description is None
    # A missing stack set is StackSetNotFound before any check runs.
    with pytest.raises(StackSetNotFound):
        ns.get_stack_set(StackSetRef("missing", check=refuse))
    assert len(seen) == 2


def test_delete_stack_set_may_refuse_a_missing_stack_set(ns: StackSetNamespace) -> None:
    ns.delete_stack_set("missing")  # AWS: silently succeeds
    with pytest.raises(StackSetNotFound):
        ns.delete_stack_set("missing", missing_ok=False)


# -- resolvers and derived changes ----------------------------------------------------------------------------
def test_a_target_resolver_sees_the_stack_set_and_its_deployment_targets_are_recorded(
    ns: StackSetNamespace,
) -> None:
    made = ns.create_stack_set(spec())
    recorded = DeploymentTargets(organizational_unit_ids=["ou-1"])

    def resolve(stack_set: StackSet) -> ResolvedTargets:
        assert stack_set is made
        return ResolvedTargets([Target(A, REGION, "ou-1")], recorded)

    operation = ns.create_instances("base", resolve, None, OperationRequest())
    assert operation.deployment_targets == recorded
    assert made.instance(A, REGION) is not None
    # A resolver that refuses changes nothing.

    def refuse(stack_set: StackSet) -> ResolvedTargets:
        raise Refused("no")

    with pytest.raises(Refused):
        ns.update_instances("base", refuse, None, OperationRequest())
    with pytest.raises(Refused):
        ns.delete_instances("base", refuse, False, OperationRequest())
    assert [o.operation_id for o in made.operations] == [operation.operation_id]


def test_update_stack_set_makes_its_changes_from_the_stack_set_before_resolving_targets(
    ns: StackSetNamespace,
) -> None:
    made = ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    order: list[str] = []

    def changes(stack_set: StackSet) -> StackSetChanges:
        order.append("changes")
        return StackSetChanges(description=f"was {stack_set.description}")

    def resolve(stack_set: StackSet) -> ResolvedTargets:
        order.append("targets")
        return ResolvedTargets(
            [t for t in [Target(A, REGION), Target(B, REGION)] if stack_set.has_instance(t.account, t.region)]
        )

    operation = ns.update_stack_set("base", changes, resolve, OperationRequest())
    assert order == ["changes", "targets"]
    assert made.description == "was None"
    assert [(r.account, r.region) for r in operation.results] == [(A, REGION)]


# -- idempotency keys -----------------------------------------------------------------------------------------
def test_an_idempotency_key_replayed_returns_its_operation_and_changes_nothing(
    ns: StackSetNamespace, transition: Transition
) -> None:
    made = ns.create_stack_set(spec())
    transition.value = {"progression": "manual", "times": 5}
    first = ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1"))
    assert first.status is OperationStatus.RUNNING
    # Replayed while it runs (no OperationInProgress) and with other targets: the same operation.
    again = ns.create_instances("base", [Target(B, REGION)], None, _keyed("token-1"))
    assert again is first
    assert not made.has_instance(B, REGION) and len(list(made.operations)) == 1
    # The id is derived from the stack set and the key: the same on every replay.
    assert first.operation_id == ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1")).operation_id


def test_an_idempotency_key_used_for_another_call_is_a_mismatch(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1"))
    with pytest.raises(IdempotencyMismatch) as raised:
        ns.update_instances("base", [Target(A, REGION)], None, _keyed("token-1", action="Update"))
    assert raised.value.key == "token-1"
    with pytest.raises(IdempotencyMismatch):  # same engine action, another provider action
        ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1", action="Import"))
    with pytest.raises(IdempotencyMismatch):
        ns.detect_drift("base", _keyed("token-1", action="Drift"))
    assert len(list(made.operations)) == 1
    # A new key is a new operation; the same key on another stack set is another operation.
    second = ns.update_instances("base", [Target(A, REGION)], None, _keyed("token-2", action="Update"))
    assert second.action is OperationAction.UPDATE
    ns.create_stack_set(spec("other"))
    elsewhere = ns.create_instances("other", [Target(A, REGION)], None, _keyed("token-1"))
    assert elsewhere.operation_id != made.operations.last().operation_id  # type: ignore[union-attr]


def test_a_replayed_key_is_checked_after_the_resolver(ns: StackSetNamespace) -> None:
    """The caller's rules on the request still apply to a replay (as the provider validates it again)."""
    ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1"))

    def refuse(stack_set: StackSet) -> ResolvedTargets:
        raise Refused("bad targets")

    with pytest.raises(Refused):
        ns.create_instances("base", refuse, None, _keyed("token-1"))


# -- refuse_existing_instances ---------------------------------------------------------------------------------
def _refusing(clock: Clock, transition: Transition) -> StackSetNamespace:
    executor = Executor("test", RecordingDeployer(), clock, OutcomeBook())
    return StackSetNamespace(("test", A, REGION), Naming(), executor, clock, transition, refuse_existing_instances=True)


def test_a_namespace_may_refuse_to_create_existing_instances(clock: Clock, transition: Transition) -> None:
    ns = _refusing(clock, transition)
    made = ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1"))
    with pytest.raises(StackInstanceExists) as raised:
        ns.create_instances("base", [Target(B, REGION), Target(A, REGION)], None, OperationRequest())
    assert (raised.value.account, raised.value.region) == (A, REGION)
    assert not made.has_instance(B, REGION) and len(list(made.operations)) == 1
    # A replay of the call that created it is no conflict.
    assert ns.create_instances("base", [Target(A, REGION)], None, _keyed("token-1")).status is OperationStatus.SUCCEEDED
    # A busy stack set answers OperationInProgress first.
    transition.value = {"progression": "manual", "times": 5}
    ns.create_instances("base", [Target(B, REGION)], None, OperationRequest())
    with pytest.raises(OperationInProgress):
        ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())


def test_a_namespace_without_the_rule_redeploys_existing_instances(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    again = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    assert again.status is OperationStatus.SUCCEEDED and len(list(made.instance_order)) == 1


# -- accessors ---------------------------------------------------------------------------------------------------
def test_the_stack_set_accessors(ns: StackSetNamespace, transition: Transition) -> None:
    made = ns.create_stack_set(spec())
    first = ns.create_instances("base", [Target(A, REGION)], None, OperationRequest())
    transition.value = {"progression": "manual", "times": 5}
    second = ns.create_instances("base", [Target(B, REGION)], None, OperationRequest())
    assert made.operation(first.operation_id) is first and made.operation("nope") is None
    assert made.operation(None) is None
    assert made.busy and made.is_in_flight(second) and not made.is_in_flight(first)
    instance = made.instance(B, REGION)
    assert instance is not None and made.instance(B, "us-east-1") is None
    assert made.first_operation_on(instance) is second
    assert second.result(B, REGION) is not None and second.result(A, REGION) is None
    with pytest.raises(StackInstanceNotFound):
        ns.read_instance("base", B, "us-east-1")
    assert made.permission_model is PermissionModel.SELF_MANAGED


def test_import_stacks_may_find_its_stacks_for_the_stack_set(ns: StackSetNamespace) -> None:
    made = ns.create_stack_set(spec())
    seen: list[StackSet] = []

    def refuse(stack_set: StackSet) -> list[ImportedStack]:
        seen.append(stack_set)
        raise Refused("self-managed")

    with pytest.raises(StackSetNotFound):
        ns.import_stacks("missing", refuse, OperationRequest())
    with pytest.raises(Refused):
        ns.import_stacks("base", refuse, OperationRequest())
    assert seen == [made] and not made.has_instances and not made.busy

    def found(stack_set: StackSet) -> list[ImportedStack]:
        return [ImportedStack(A, REGION, "arn:stack/one", "one", "")]

    operation = ns.import_stacks("base", found, OperationRequest())
    assert [(r.account, r.region) for r in operation.results] == [(A, REGION)]
    instance = made.instance(A, REGION)
    assert instance is not None and instance.stack_name == "one"
