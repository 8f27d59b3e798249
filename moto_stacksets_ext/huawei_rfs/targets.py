"""Deployment targets and operation preferences of RFS's operation calls, with RFS's limits."""

from __future__ import annotations

from collections.abc import Callable

from ..engine.model import (
    ConcurrencyMode,
    DeploymentTargets,
    PermissionModel,
    Preferences,
    RegionConcurrency,
    StackSet,
    Target,
    by_region,
)
from ..engine.requests import ResolvedTargets, TargetResolver
from .errors import INVALID_VALUE, MISSING_PARAMETER, RfsError
from .params import DOMAIN_ID, REGION, Body, enum

TARGET_FIELDS = ("regions", "domain_ids", "domain_ids_uri", "organizational_unit_ids", "domain_id_filter_type")
PREFERENCE_FIELDS = (
    "region_concurrency_type",
    "region_order",
    "failure_tolerance_count",
    "failure_tolerance_percentage",
    "max_concurrent_count",
    "max_concurrent_percentage",
    "failure_tolerance_mode",
)
FILTER_TYPES = ("INTERSECTION", "DIFFERENCE", "UNION", "NONE")


def requested_regions(body: Body) -> list[str] | None:
    """``deployment_targets.regions`` as sent (what ``region_order`` must list), checked later with the rest."""
    raw = body.child("deployment_targets", TARGET_FIELDS)
    return None if raw is None else raw.strings("regions")


def resolver(body: Body, *checks: Callable[[StackSet, ResolvedTargets], None]) -> TargetResolver:
    """The call's deployment targets, read within the engine call for the stack set it found (whose
    permission model decides what they may hold); ``checks`` then run on the stack set and the targets."""

    def resolve(stack_set: StackSet) -> ResolvedTargets:
        deployment = deployment_targets(body, stack_set)
        resolved = ResolvedTargets(engine_targets(deployment), deployment)
        for check in checks:
            check(stack_set, resolved)
        return resolved

    return resolve


def deployment_targets(body: Body, stack_set: StackSet) -> DeploymentTargets:
    raw = body.required_child("deployment_targets", TARGET_FIELDS)
    regions = raw.strings("regions")
    if not regions:
        raise RfsError(MISSING_PARAMETER, "deployment_targets.regions is required.")
    for region in regions:
        if not REGION.fullmatch(region):
            raise RfsError(INVALID_VALUE, f"{region!r} is not a region id.")
    domain_ids = raw.strings("domain_ids")
    uri = raw.string("domain_ids_uri", 0, 2048)
    ous = raw.strings("organizational_unit_ids")
    filter_type = raw.string("domain_id_filter_type")
    if domain_ids is not None and uri is not None:
        raise RfsError(INVALID_VALUE, "Give either domain_ids or domain_ids_uri, not both.")
    if stack_set.permission_model is PermissionModel.SELF_MANAGED and (ous or filter_type):
        raise RfsError(
            INVALID_VALUE, "organizational_unit_ids and domain_id_filter_type apply to SERVICE_MANAGED only."
        )
    if filter_type is not None:
        enum("domain_id_filter_type", filter_type, FILTER_TYPES)
    if ous:
        raise RfsError(
            INVALID_VALUE,
            "organizational_unit_ids cannot be resolved by the mock (no Huawei Organizations); give domain_ids.",
        )
    if uri is not None:
        raise RfsError(INVALID_VALUE, "domain_ids_uri cannot be read by the mock (no OBS); give domain_ids.")
    if not domain_ids:
        raise RfsError(MISSING_PARAMETER, "deployment_targets.domain_ids is required.")
    if len(domain_ids) > 64:
        raise RfsError(INVALID_VALUE, "domain_ids may hold at most 64 domain ids.")
    for domain_id in domain_ids:
        if not DOMAIN_ID.fullmatch(domain_id):
            raise RfsError(INVALID_VALUE, f"{domain_id!r} is not a domain id (32 lower-case hex characters).")
    return DeploymentTargets(
        accounts=list(domain_ids),
        regions=list(regions),
        organizational_unit_ids=None,
    )


def engine_targets(targets: DeploymentTargets) -> list[Target]:
    """The Cartesian product regions x domain_ids, region by region, without repeats."""
    return by_region(dict.fromkeys(targets.regions or []), dict.fromkeys(targets.accounts or []))


def preferences(body: Body, regions: list[str] | None) -> Preferences:
    raw = body.child("operation_preferences", PREFERENCE_FIELDS)
    if raw is None:
        return Preferences()
    concurrency = raw.string("region_concurrency_type")
    mode = raw.string("failure_tolerance_mode")
    order = raw.strings("region_order")
    prefs = Preferences(
        region_concurrency_type=None
        if concurrency is None
        else RegionConcurrency(enum("region_concurrency_type", concurrency, ("SEQUENTIAL", "PARALLEL"))),
        region_order=list(order or []),
        failure_tolerance_count=raw.integer("failure_tolerance_count", 0, 100),
        failure_tolerance_percentage=raw.integer("failure_tolerance_percentage", 0, 100),
        max_concurrent_count=raw.integer("max_concurrent_count", 1, 5),
        max_concurrent_percentage=raw.integer("max_concurrent_percentage", 1, 100),
        concurrency_mode=None
        if mode is None
        else ConcurrencyMode(
            enum("failure_tolerance_mode", mode, ("STRICT_FAILURE_TOLERANCE", "SOFT_FAILURE_TOLERANCE"))
        ),
    )
    both = prefs.both_given()
    if both is not None:
        raise RfsError(INVALID_VALUE, f"Give {both}_count or {both}_percentage, not both.")
    if order is not None:
        if prefs.region_concurrency_type is RegionConcurrency.PARALLEL:
            raise RfsError(INVALID_VALUE, "region_order can be given only with SEQUENTIAL.")
        unique = list(dict.fromkeys(regions or []))
        if len(order) != len(set(order)) or set(order) != set(unique):
            raise RfsError(
                INVALID_VALUE, f"region_order must list exactly the regions of the deployment target: {unique}."
            )
    return prefs
