"""Which Hooks a target invokes, and what they decide.

A Hook runs on a target when its ``default`` configuration enables it, lists the target's operation in
``TargetOperations``, and its ``TargetFilters`` and ``StackFilters`` match. Its decision comes from the
scripted outcomes (``outcomes``); without one it succeeds. Every invocation becomes a
``model.HookResult``; a failed FAIL-mode Hook blocks the operation.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...engine.clock import clock
from .code import decide_by_code
from .handlers import Callback, HookHandlerBook
from .model import HookConfiguration, HookResult, HookStatus, RegistryType, TargetType
from .outcomes import HookOutcomeBook, Invocation
from .pacing import HookRun, paced
from .registry import TypeRegistry
from .results import HookResultStore

#: The Hook action of a change-set change (``ResourceChange.Action``).
CHANGE_ACTIONS = {"Add": "CREATE", "Modify": "UPDATE", "Remove": "DELETE", "Import": "IMPORT"}


@dataclass
class Target:
    """What a Hook may be invoked on."""

    target_type: TargetType
    target_id: str
    action: str  # CREATE | UPDATE | DELETE
    stack_name: str | None = None
    stack_id: str | None = None
    role_arn: str | None = None
    resource_type: str | None = None
    logical_id: str | None = None
    names: list[str] = field(default_factory=list)
    #: What the Hook's code is shown (``requestData.targetModel``): the resource's properties (and the
    #: previous ones on update), or the stack's template (and the previous one), and the change set.
    properties: dict[str, Any] | None = None
    previous_properties: dict[str, Any] | None = None
    template: str | None = None
    previous_template: str | None = None
    change_set_id: str | None = None
    change_set_name: str | None = None


def _target_filters_match(config: HookConfiguration, target: Target) -> bool:
    if not config.target_rules:
        return True
    for rule in config.target_rules:
        if rule.action is not None and rule.action != target.action:
            continue
        if rule.invocation_point is not None and rule.invocation_point != "PRE_PROVISION":
            continue
        if (
            rule.target_name is not None
            and target.target_type in (TargetType.RESOURCE, TargetType.CLOUD_CONTROL)
            and not fnmatch.fnmatchcase(target.resource_type or "", rule.target_name)
        ):
            continue
        return True
    return False


def _criterion(value: str | None, include: list[str], exclude: list[str]) -> bool | None:
    """None when the criterion is not configured; else whether ``value`` passes it."""
    if not include and not exclude:
        return None
    if include and value not in include:
        return False
    return value not in exclude


def _stack_filters_match(config: HookConfiguration, target: Target) -> bool:
    if config.stack_criteria is None or target.target_type is TargetType.CLOUD_CONTROL:
        return True
    checks = [
        c
        for c in (
            _criterion(target.stack_name, config.stack_names_include, config.stack_names_exclude),
            _criterion(target.role_arn, config.stack_roles_include, config.stack_roles_exclude),
        )
        if c is not None
    ]
    if not checks:
        return True
    return all(checks) if config.stack_criteria == "ALL" else any(checks)


def matches(hook: RegistryType, target: Target) -> bool:
    configuration = hook.hook_configuration
    if configuration is None or not configuration.parsed.enabled:
        return False
    config = configuration.parsed
    if target.target_type.value not in config.target_operations:
        return False
    if target.target_type is TargetType.CHANGE_SET and target.action != "CREATE":
        return False
    return _target_filters_match(config, target) and _stack_filters_match(config, target)


def matching_hooks(registry: TypeRegistry, target: Target) -> list[RegistryType]:
    return [hook for hook in registry.hooks() if matches(hook, target)]


@dataclass
class Decision:
    """The results of invoking every matching Hook on one target (not stored yet)."""

    target: Target
    results: list[HookResult]
    #: Hooks that answered IN_PROGRESS in a paced run (their call-backs are in the run): no decision yet.
    waiting: list[str] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)

    @property
    def blocking(self) -> list[str]:
        """Type names of the FAIL-mode Hooks that failed."""
        return list(dict.fromkeys(r.type_name for r in self.results if r.failure_mode == "FAIL" and r.status.failed))


def invoke(
    registry: TypeRegistry,
    store: HookResultStore,
    book: HookOutcomeBook,
    handlers: HookHandlerBook,
    target: Target,
    run: HookRun | None = None,
) -> Decision:
    """Invoke every Hook matching ``target``; the results are returned, to be stored with ``commit``.

    A scripted outcome decides first; else the Hook's code (a registered handler, a Lambda Hook's function);
    else the Hook succeeds. Within a paced ``run`` (see ``pacing``) a Hook that answered earlier in the run
    is not invoked again, one that answered IN_PROGRESS is called back, and an IN_PROGRESS answer leaves
    the Hook in the decision's ``waiting``."""
    results: list[HookResult] = []
    decision = Decision(target, results)
    for hook in matching_hooks(registry, target):
        configuration = hook.hook_configuration
        assert configuration is not None
        key = (target.target_type.value, target.target_id, hook.type_arn)
        if run is not None and key in run.decided:
            results.append(run.decided[key])
            continue
        resume = run.waiting.pop(key, None) if run is not None else None
        outcome = None
        if resume is None:  # a Hook called back was decided by its code
            names = [n for n in (hook.type_name, hook.original_type_name) if n]
            outcome = book.decide(
                Invocation(names, target.target_type, target.names, registry.account_id, registry.region_name)
            )
        if outcome is None:
            with paced(None):  # the code's own stack calls (if any) are not part of this run
                decided = decide_by_code(registry, handlers, hook, configuration, target, resume, run is not None)
            if isinstance(decided, Callback):
                assert run is not None
                run.waiting[key] = decided
                decision.waiting.append(hook.type_name)
                decision.callbacks.append(decided)
                continue
            outcome = decided
        status = outcome.status if outcome is not None else HookStatus.HOOK_COMPLETE_SUCCEEDED
        results.append(
            HookResult(
                seq=0,
                hook_result_id=store.new_id(),
                type_name=hook.type_name,
                type_arn=hook.type_arn,
                type_version_id=hook.default_version_id,
                type_configuration_version_id=configuration.version_id,
                original_type_name=hook.original_type_name,
                failure_mode=configuration.parsed.failure_mode,
                status=status,
                hook_status_reason=outcome.status_reason if outcome is not None else "Hook completed successfully",
                invoked_at=clock.now(),
                target_type=target.target_type,
                target_id=target.target_id,
                hook_execution_target=target.stack_id,
                resource_type=target.resource_type,
                resource_id=target.logical_id,
                action=target.action,
                annotations=list(outcome.annotations) if outcome is not None else [],
            )
        )
        if run is not None:
            run.decided[key] = results[-1]
    return decision


def commit(store: HookResultStore, decisions: Iterable[Decision], stack_id: str | None = None) -> None:
    """Store the results of ``decisions`` (filling in the stack they ran for, once it is known)."""
    for decision in decisions:
        for result in decision.results:
            if stack_id is not None and result.hook_execution_target is None:
                result.hook_execution_target = stack_id
            if result.target_type is TargetType.STACK and stack_id is not None and not result.target_id:
                result.target_id = stack_id
            result.seq = store.next_seq()
            store.add(result)
