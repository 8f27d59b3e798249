"""Scripted Hook outcomes: what a Hook decides when it is invoked (a test's stand-in for its Lambda/Guard code).

Without a matching rule a Hook succeeds (``HOOK_COMPLETE_SUCCEEDED``). A rule matches by Hook type name
(the alias or the original public name), target type, target name (a resource type or logical id, a stack
name, or a change-set name), account and region; ``None`` matches anything. A rule with ``times`` is used
that many times, then stops matching; without, it stays until removed. The book lives in the plugin's
namespaces holder, so moto's reset clears it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import DEFAULT_REASONS, Annotation, HookStatus, TargetType

_ids = itertools.count(1)


@dataclass
class HookOutcome:
    status: HookStatus = HookStatus.HOOK_COMPLETE_FAILED
    reason: str | None = None
    annotations: list[Annotation] = field(default_factory=list)
    type_name: str | None = None
    target_type: TargetType | None = None
    target_name: str | None = None
    account: str | None = None
    region: str | None = None
    times: int | None = None
    consumed: int = 0
    outcome_id: str = field(default_factory=lambda: f"hook-outcome-{next(_ids)}")

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.consumed >= self.times

    @property
    def status_reason(self) -> str:
        return self.reason or DEFAULT_REASONS[self.status]


@dataclass(frozen=True)
class Invocation:
    """What a Hook is invoked on: the facts outcome rules match against."""

    type_names: Sequence[str]
    target_type: TargetType
    target_names: Sequence[str]
    account: str
    region: str


class HookOutcomeBook:
    def __init__(self) -> None:
        self._rules: list[HookOutcome] = []
        self._lock = threading.Lock()

    def add(self, outcome: HookOutcome) -> HookOutcome:
        if outcome.times is not None and outcome.times < 1:
            raise ValueError("times must be a positive integer (or None for a persistent outcome)")
        with self._lock:
            self._rules.append(outcome)
        return outcome

    def remove(self, outcome_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.outcome_id != outcome_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def all(self) -> list[HookOutcome]:
        with self._lock:
            return list(self._rules)

    @staticmethod
    def _matches(rule: HookOutcome, invocation: Invocation) -> bool:
        return (
            not rule.exhausted
            and (rule.type_name is None or rule.type_name in invocation.type_names)
            and (rule.target_type is None or rule.target_type is invocation.target_type)
            and (rule.target_name is None or rule.target_name in invocation.target_names)
            and (rule.account is None or rule.account == invocation.account)
            and (rule.region is None or rule.region == invocation.region)
        )

    def decide(self, invocation: Invocation) -> HookOutcome | None:
        """The first rule matching ``invocation`` (now counted as used), or None: the Hook succeeds."""
        with self._lock:
            for rule in self._rules:
                if self._matches(rule, invocation):
                    rule.consumed += 1
                    return rule
        return None
