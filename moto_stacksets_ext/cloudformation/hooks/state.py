"""Hook state of one account and region (an attribute of ``StackSetsBackend``), and the scripted outcomes."""

from __future__ import annotations

from collections.abc import Sequence

from moto.core.models import DEFAULT_ACCOUNT_ID

from ...engine.clock import clock
from .handlers import HookHandlerBook
from .invocation import Decision, Target, commit, invoke
from .model import DEFAULT_REASONS, Annotation, HookCategory, HookResult, HookStatus, TargetType
from .outcomes import HookOutcomeBook
from .pacing import HookRun
from .registry import TypeRegistry
from .results import HookResultStore


def handler_book() -> HookHandlerBook:
    """The Hook code registered in-process (handlers by type name, Lambda functions by ARN), reset with moto."""
    from ... import namespaces

    namespaces.touch()
    holder = namespaces.cloud_namespaces_backends[DEFAULT_ACCOUNT_ID]["aws"]
    book: HookHandlerBook = holder.hook_handlers
    return book


def outcome_book() -> HookOutcomeBook:
    """The scripted Hook outcomes, held in the plugin's namespaces holder (reset with moto's reset)."""
    from ... import namespaces

    namespaces.touch()
    holder = namespaces.cloud_namespaces_backends[DEFAULT_ACCOUNT_ID]["aws"]
    book: HookOutcomeBook = holder.hook_outcomes
    return book


class HookState:
    """Type registry and Hook results of one account and region."""

    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.registry = TypeRegistry(account_id, region_name)
        self.results = HookResultStore((account_id, region_name))

    def invoke(self, target: Target, run: HookRun | None = None) -> Decision:
        return invoke(self.registry, self.results, outcome_book(), handler_book(), target, run)

    def commit(self, decisions: Sequence[Decision], stack_id: str | None = None) -> None:
        commit(self.results, decisions, stack_id)

    def record(
        self,
        *,
        type_name: str,
        target_type: TargetType,
        target_id: str,
        status: HookStatus = HookStatus.HOOK_COMPLETE_SUCCEEDED,
        reason: str | None = None,
        failure_mode: str = "FAIL",
        type_version_id: str = "00000001",
        type_configuration_version_id: str | None = "00000001",
        original_type_name: str | None = None,
        hook_execution_target: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        action: str | None = None,
        annotations: Sequence[Annotation] = (),
        hook_category: HookCategory = HookCategory.CUSTOM,
    ) -> HookResult:
        """Store a Hook result directly (for code that only reads results)."""
        if failure_mode not in ("FAIL", "WARN"):
            raise ValueError("failure_mode must be FAIL or WARN")
        if not 10 <= len(type_name) <= 196:
            raise ValueError("type_name must have 10 to 196 characters")
        if action is not None and action not in ("CREATE", "UPDATE", "DELETE", "IMPORT"):
            raise ValueError("action must be CREATE, UPDATE, DELETE or IMPORT")
        if not target_id:
            raise ValueError("target_id must not be empty")
        known = self.registry.hooks_by_name(type_name)
        type_arn = known.type_arn if known is not None else self.registry.type_arn("HOOK", type_name)
        result = HookResult(
            seq=self.results.next_seq(),
            hook_result_id=self.results.new_id(),
            type_name=type_name,
            type_arn=type_arn,
            type_version_id=type_version_id,
            type_configuration_version_id=type_configuration_version_id,
            original_type_name=original_type_name or (known.original_type_name if known is not None else None),
            failure_mode=failure_mode,
            status=status,
            hook_status_reason=reason or DEFAULT_REASONS[status],
            invoked_at=clock.now(),
            target_type=target_type,
            target_id=target_id,
            hook_execution_target=hook_execution_target
            or (target_id if target_type in (TargetType.STACK, TargetType.CLOUD_CONTROL) else None),
            resource_type=resource_type,
            resource_id=resource_id,
            action=action,
            annotations=list(annotations),
            hook_category=hook_category,
        )
        return self.results.add(result)
