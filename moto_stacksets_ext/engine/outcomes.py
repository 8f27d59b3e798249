"""Scripted outcomes: what a test says deployments do ("account A in eu-west-1 fails with reason X").

Rules are matched per target (cloud, account, region) and optionally per stack set (name or id) and
operation action, in the order they were added. A rule with ``times`` is consumed after that many
deployments; without it, it holds until removed or reset. The executor asks the book before it calls
the front-end's deployer; a FAIL outcome fails the target with the rule's reason, a SUCCEED outcome
makes it succeed without deploying anything. DRIFT outcomes are read by drift detection only: without
``resources`` the instance is DRIFTED and every resource of its stack MODIFIED; with them, the named
resources have the status given (``DriftedResource``), the stack's others are IN_SYNC, and the instance
is DRIFTED when one of its resources is MODIFIED or DELETED (else IN_SYNC). A named logical id the
stack does not have is ignored.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, Protocol, TypeVar

from .model import PropertyDifference
from .vocabulary import ResourceDriftStatus

DEFAULT_FAILURE_REASON = "Scripted failure (moto-stacksets-ext)"


class OutcomeKind(str, Enum):
    FAIL = "FAIL"
    SUCCEED = "SUCCEED"
    #: The instance's stack has drifted: drift detection reports it DRIFTED.
    DRIFT = "DRIFT"
    #: Provisioning the execution role in the account fails: its instances are SKIPPED (where the front-end
    #: provisions roles; matched by the account and the region its role is provisioned in).
    FAIL_ROLE = "FAIL_ROLE"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class DriftedResource:
    """One resource a DRIFT outcome names: its logical id, what drift detection finds, and for a MODIFIED
    resource optionally how its properties differ (``PropertyDifferences`` of the listing)."""

    logical_resource_id: str
    status: ResourceDriftStatus = ResourceDriftStatus.MODIFIED
    property_differences: tuple[PropertyDifference, ...] = ()


@dataclass
class Outcome:
    """One scripted rule. ``None`` in a matcher field matches anything."""

    kind: OutcomeKind = OutcomeKind.FAIL
    reason: str | None = None
    cloud: str | None = None
    account: str | None = None
    region: str | None = None
    stack_set: str | None = None
    action: str | None = None
    times: int | None = None
    consumed: int = 0
    outcome_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    #: DRIFT only: the resources that drifted, and how (``None``: every resource of the stack MODIFIED).
    resources: tuple[DriftedResource, ...] | None = None

    def matches(self, cloud: str, account: str, region: str, stack_set_names: tuple[str, ...], action: str) -> bool:
        return (
            (self.cloud is None or self.cloud == cloud)
            and (self.account is None or self.account == account)
            and (self.region is None or self.region == region)
            and (self.stack_set is None or self.stack_set in stack_set_names)
            and (self.action is None or self.action == action)
        )


class ScriptedRule(Protocol):
    """What a rule book needs of its rules: an id and a use count, with an optional limit."""

    outcome_id: str
    times: int | None
    consumed: int


R = TypeVar("R", bound=ScriptedRule)


class RuleBook(Generic[R]):
    """Scripted rules in the order they were added; the first live match is used (and counted)."""

    def __init__(self) -> None:
        self._rules: list[R] = []
        self._lock = threading.Lock()

    def add(self, rule: R) -> R:
        if rule.times is not None and rule.times < 1:
            raise ValueError("times must be at least 1 (or None for a persistent outcome)")
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, outcome_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.outcome_id != outcome_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def all(self) -> list[R]:
        with self._lock:
            return list(self._rules)

    def unconsumed(self) -> list[R]:
        """Rules nothing has used yet (a stale script, for self-checks)."""
        with self._lock:
            return [r for r in self._rules if r.consumed == 0]

    def first(self, predicate: Callable[[R], bool]) -> R | None:
        """The first rule with uses left that ``predicate`` accepts, counted as used once."""
        with self._lock:
            for rule in self._rules:
                if (rule.times is None or rule.consumed < rule.times) and predicate(rule):
                    rule.consumed += 1
                    return rule
        return None


class OutcomeBook(RuleBook[Outcome]):
    """The scripted deployment outcomes in force."""

    def add(self, rule: Outcome) -> Outcome:
        if rule.kind in (OutcomeKind.FAIL, OutcomeKind.FAIL_ROLE) and rule.reason is None:
            rule.reason = DEFAULT_FAILURE_REASON
        return super().add(rule)

    def take(
        self,
        cloud: str,
        account: str,
        region: str,
        stack_set_names: tuple[str, ...],
        action: str,
        kinds: frozenset[OutcomeKind] = frozenset({OutcomeKind.FAIL, OutcomeKind.SUCCEED}),
    ) -> Outcome | None:
        """The first live rule of one of ``kinds`` matching this deployment, counted as used once."""
        return self.first(
            lambda rule: rule.kind in kinds and rule.matches(cloud, account, region, stack_set_names, action)
        )


#: The process-wide outcome book (reset with moto's reset).
outcomes = OutcomeBook()
