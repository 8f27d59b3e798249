"""Scripted drift that names resources: the statuses drift detection reports, per resource and per instance."""

from __future__ import annotations

import pytest

from moto_stacksets_ext.engine.clock import Clock
from moto_stacksets_ext.engine.execution import Executor, RecordingDeployer
from moto_stacksets_ext.engine.model import (
    DifferenceType,
    DriftStatus,
    PropertyDifference,
    ResourceDriftStatus,
    StackInstance,
    StackResource,
    StackSet,
    Target,
)
from moto_stacksets_ext.engine.outcomes import DriftedResource, Outcome, OutcomeBook, OutcomeKind
from moto_stacksets_ext.engine.requests import ListQuery, OperationRequest
from moto_stacksets_ext.engine.stacksets import StackSetNamespace

from .engine_support import REGION, A, B, Naming, Transition, spec

RESOURCES = [
    StackResource("Bucket", "bucket-1", "AWS::S3::Bucket"),
    StackResource("Topic", "topic-1", "AWS::SNS::Topic"),
]


def _resources(stack_set: StackSet, instance: StackInstance) -> list[StackResource]:
    return list(RESOURCES)


@pytest.fixture
def listing_ns(clock: Clock, transition: Transition, outcomes: OutcomeBook) -> StackSetNamespace:
    """A namespace whose deployer's stacks have two resources (as the AWS front-end lists moto's)."""
    executor = Executor("test", RecordingDeployer(), clock, outcomes, stack_resources=_resources)
    return StackSetNamespace(("test", A, REGION), Naming(), executor, clock, transition)


def _detect(ns: StackSetNamespace, account: str = A) -> tuple[DriftStatus | None, list[tuple[str, str, object]]]:
    operation = ns.detect_drift("base", OperationRequest())
    (result,) = [r for r in operation.results if r.account == account]
    page = ns.page_resource_drifts("base", operation.operation_id, account, REGION, ListQuery(limit=100))
    return result.drift_status, [
        (d.logical_resource_id, d.stack_resource_drift_status, d.property_differences) for d in page.items
    ]


def _deployed(ns: StackSetNamespace, *accounts: str) -> None:
    ns.create_stack_set(spec())
    ns.create_instances("base", [Target(a, REGION) for a in accounts], None, OperationRequest())


def test_named_resources_drift_and_the_others_are_in_sync(listing_ns: StackSetNamespace, outcomes: OutcomeBook) -> None:
    _deployed(listing_ns, A, B)
    difference = PropertyDifference("/Tags/0/Value", "prod", "dev", DifferenceType.NOT_EQUAL)
    named = (DriftedResource("Topic", ResourceDriftStatus.MODIFIED, (difference,)),)
    outcomes.add(Outcome(OutcomeKind.DRIFT, cloud="test", account=A, resources=named))
    assert _detect(listing_ns) == (
        DriftStatus.DRIFTED,
        [("Bucket", "IN_SYNC", None), ("Topic", "MODIFIED", [difference])],
    )
    assert listing_ns.get_instance("base", A, REGION).drift_status is DriftStatus.DRIFTED
    assert listing_ns.get_instance("base", B, REGION).drift_status is DriftStatus.IN_SYNC


def test_a_deleted_resource_drifts_the_instance_but_not_checked_does_not(
    listing_ns: StackSetNamespace, outcomes: OutcomeBook
) -> None:
    _deployed(listing_ns, A)
    outcomes.add(
        Outcome(OutcomeKind.DRIFT, resources=(DriftedResource("Bucket", ResourceDriftStatus.DELETED),), times=1)
    )
    assert _detect(listing_ns) == (DriftStatus.DRIFTED, [("Bucket", "DELETED", None), ("Topic", "IN_SYNC", None)])
    outcomes.add(
        Outcome(OutcomeKind.DRIFT, resources=(DriftedResource("Topic", ResourceDriftStatus.NOT_CHECKED),), times=1)
    )
    assert _detect(listing_ns) == (DriftStatus.IN_SYNC, [("Bucket", "IN_SYNC", None), ("Topic", "NOT_CHECKED", None)])


def test_a_logical_id_the_stack_does_not_have_is_ignored(listing_ns: StackSetNamespace, outcomes: OutcomeBook) -> None:
    _deployed(listing_ns, A)
    outcomes.add(Outcome(OutcomeKind.DRIFT, resources=(DriftedResource("Elsewhere"),)))
    assert _detect(listing_ns) == (DriftStatus.IN_SYNC, [("Bucket", "IN_SYNC", None), ("Topic", "IN_SYNC", None)])


def test_drift_naming_no_resource_modifies_every_resource(listing_ns: StackSetNamespace, outcomes: OutcomeBook) -> None:
    _deployed(listing_ns, A)
    outcomes.add(Outcome(OutcomeKind.DRIFT))
    assert _detect(listing_ns) == (DriftStatus.DRIFTED, [("Bucket", "MODIFIED", None), ("Topic", "MODIFIED", None)])


def test_without_a_resource_listing_the_named_resources_decide(ns: StackSetNamespace, outcomes: OutcomeBook) -> None:
    _deployed(ns, A, B)
    outcomes.add(Outcome(OutcomeKind.DRIFT, account=A, resources=(DriftedResource("Bucket"),)))
    outcomes.add(
        Outcome(OutcomeKind.DRIFT, account=B, resources=(DriftedResource("Bucket", ResourceDriftStatus.IN_SYNC),))
    )
    operation = ns.detect_drift("base", OperationRequest())
    assert [(r.account, r.drift_status) for r in operation.results] == [
        (A, DriftStatus.DRIFTED),
        (B, DriftStatus.IN_SYNC),
    ]
