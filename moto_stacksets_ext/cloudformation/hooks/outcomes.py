"""Scripted Hook outcomes: what a Hook decides when it is invoked (a test's stand-in for its Lambda/Guard code).

Without a matching rule a Hook succeeds (``HOOK_COMPLETE_SUCCEEDED``). A rule matches by Hook type name
(the alias or the original public name), target type, target name (a resource type or logical id, a stack
name, or a change-set name), account and region; ``None`` matches anything. A rule with ``times`` is used
that many times, then stops matching; without, it stays until removed. The book's reset is registered with
the store of namespaces (``hooks.state``), so moto's reset clears it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...engine.outcomes import RuleBook
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
    def status_reason(self) -> str:
        return self.reason or DEFAULT_REASONS[self.status]

    def matches(self, invocation: Invocation) -> bool:
        return (
            (self.type_name is None or self.type_name in invocation.type_names)
            and (self.target_type is None or self.target_type is invocation.target_type)
            and (self.target_name is None or self.target_name in invocation.target_names)
            and (self.account is None or self.account == invocation.account)
            and (self.region is None or self.region == invocation.region)
        )


@dataclass(frozen=True)
class Invocation:
    """What a Hook is invoked on: the facts outcome rules match against."""

    type_names: Sequence[str]
    target_type: TargetType
    target_names: Sequence[str]
    account: str
    region: str


class HookOutcomeBook(RuleBook[HookOutcome]):
    """The scripted Hook outcomes in force."""

    def decide(self, invocation: Invocation) -> HookOutcome | None:
        """The first rule matching ``invocation`` (now counted as used), or None: the Hook succeeds."""
        return self.first(lambda rule: rule.matches(invocation))
