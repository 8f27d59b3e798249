"""What RFS stack calls do to the stack state: deployments, deletions and execution plans, paced like operations.

A deployment, deletion or plan creation starts in the call and finishes after one step of its pace: moto's
state-manager model of RFS operations, ``huawei-rfs::stackset-operation`` (immediate by default: within the
call; ``manual``: after ``times`` reads of the stack; ``time``: after ``seconds`` of the engine clock).
Private hooks are checked when such a call starts (``private_hooks.check``), as RFS checks them before it
deploys anything.

A deployment fails when a scripted outcome says so (``control.fail(cloud="huawei", stack=...)``, matched by the
domain, region, stack name and action CREATE for a stack's first deployment, UPDATE for later ones): it fails
before any resource changes, with an ``ERROR`` event carrying the reason. Without ``enable_auto_rollback`` the
stack is DEPLOYMENT_FAILED. With it, the stack rolls back to its last successful deployment, as Huawei
documents (CreateStack's ``enable_auto_rollback``; ContinueRollbackStack): ROLLBACK_IN_PROGRESS, then, one step
of the pace later, ROLLBACK_COMPLETE, or ROLLBACK_FAILED when a rule with action ROLLBACK fails the rollback.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from .._state import namespaces
from ..engine.clock import clock
from ..engine.lifecycle import Pace, Progression
from ..engine.outcomes import outcomes
from . import private_hooks
from .errors import INVALID_VALUE, INVALID_VARS, RfsError
from .names import OPERATION_MODEL
from .stack_state import (
    ExecutionPlanState,
    Pending,
    PendingKind,
    PlanItem,
    PlanStatus,
    RfsStack,
    StackEvent,
    StackInput,
    StackResourceState,
    StackStatus,
    StackStore,
)
from .terraform import Scope, TemplateError, TfResource, TfTemplate, parse_template, parse_vars, resolved

#: Stacks progress as RFS's stack-set operations do: the same state-manager model
#: (``control.set_progression(..., cloud="huawei")``).
_transition = namespaces.operation_model(OPERATION_MODEL)


# -- reading what a deployment deploys ---------------------------------------------------------------------
def variables_of(stack_input: StackInput) -> dict[str, object]:
    """The vars a deployment's input gives (``vars_body`` then ``vars_structure``), 400 when unreadable."""
    found: dict[str, object] = {}
    if stack_input.vars_body is not None:
        try:
            found.update(parse_vars(stack_input.vars_body))
        except TemplateError as error:
            raise RfsError(INVALID_VARS, str(error)) from error
    for entry in stack_input.vars_structure:
        if entry.var_key in found:
            raise RfsError(INVALID_VALUE, f"The var {entry.var_key} is given in both vars_body and vars_structure.")
        found[entry.var_key] = entry.var_value
    return found


def template_of(stack_input: StackInput, variables: Mapping[str, object]) -> TfTemplate | None:
    """The template a deployment deploys (None for a template the mock cannot read: ``template_uri``)."""
    if stack_input.template_body is None:
        return None
    return parse_template(stack_input.template_body, variables)


def _pace() -> Pace:
    return Pace(Progression.from_transition(_transition()), since=clock.now())


def immediate_pace() -> Pace:
    """The pace of a deployment that finishes at once (a stack instance's, inside its operation's step)."""
    return Pace(Progression(), since=clock.now())


def _event(
    stack: RfsStack,
    deployment_id: str | None,
    event_type: str,
    message: str,
    resource: StackResourceState | None = None,
) -> None:
    res = None if resource is None else resource.resource
    stack.events.append(
        StackEvent(
            clock.now(),
            event_type,
            message,
            deployment_id,
            resource_type=None if res is None else res.type,
            resource_name=None if res is None else res.name,
            resource_id_key=None if resource is None else "id",
            resource_id_value=None if resource is None else resource.physical_id,
            resource_key=None if res is None else res.index,
        )
    )


def _resource_event(stack: RfsStack, deployment_id: str, state: StackResourceState, event_type: str) -> None:
    message = f"{state.resource.address}: {event_type.replace('_', ' ').lower()}"
    _event(stack, deployment_id, event_type, message, state)


# -- private hooks --------------------------------------------------------------------------------------------
def hook_input(
    template: TfTemplate | None, variables: Mapping[str, object], stack: RfsStack | None, deleting: bool
) -> dict[str, object]:
    """The policy input: Terraform's JSON plan representation of the change (``resource_changes`` with
    ``change.actions``/``before``/``after``/``after_unknown``, and ``variables``)."""
    current = {state.resource.address: state for state in stack.resources} if stack is not None else {}
    declared = {} if template is None else {k: v for k, v in template.variables.items() if v is not None}
    variables = {**declared, **variables}
    scope = Scope(variables, {a: (s.resource, s.physical_id) for a, s in current.items()})
    changes: list[dict[str, object]] = []
    targets = [] if deleting or template is None else list(template.resources)
    for resource in targets:
        after: dict[str, object] = {}
        unknown: dict[str, object] = {}
        for name, value in resource.config.items():
            ok, found = resolved(scope, value)
            if ok:
                after[name] = found
            else:
                unknown[name] = True
        before = current.get(resource.address)
        changes.append(_change(resource, ["update"] if before is not None else ["create"], before, after, unknown))
    kept = {r.address for r in targets}
    for address, state in current.items():
        if address not in kept:
            changes.append(_change(state.resource, ["delete"], state, None, {}))
    return {
        "format_version": "1.2",
        "variables": {name: {"value": value} for name, value in variables.items()},
        "resource_changes": changes,
    }


def _change(
    resource: TfResource,
    actions: list[str],
    before: StackResourceState | None,
    after: dict[str, object] | None,
    unknown: dict[str, object],
) -> dict[str, object]:
    return {
        "address": resource.address,
        "mode": "managed" if resource.mode == "RESOURCE" else "data",
        "type": resource.type,
        "name": resource.name,
        "index": resource.index,
        "change": {
            "actions": actions,
            "before": None if before is None else {"id": before.physical_id},
            "after": after,
            "after_unknown": unknown,
        },
    }


def _hooks(store: StackStore, stack: RfsStack, deployment_id: str | None, document: dict[str, object]) -> str | None:
    """Record the findings of the hooks; the message that stops the call (FAIL), if any."""
    stop: str | None = None
    for finding in private_hooks.check(store.domain_id, store.region, document):
        # the event's message is the policy's err_msg (or Huawei's default message), as RFS records it
        _event(stack, deployment_id, "ERROR" if finding.stops else "LOG", finding.message)
        if finding.stops and stop is None:
            stop = finding.message
    return stop


# -- deployments -----------------------------------------------------------------------------------------------
def start_deployment(
    store: StackStore,
    stack: RfsStack,
    stack_input: StackInput,
    template: TfTemplate | None,
    variables: dict[str, object],
) -> str:
    """Begin deploying ``stack_input`` (hooks first); the deployment id."""
    deployment_id = str(uuid.uuid4())
    now = clock.now()
    stack.generation += 1
    stack.stack_input = stack_input
    stack.updated_at = now
    stop = _hooks(store, stack, deployment_id, hook_input(template, variables, stack, deleting=False))
    if stop is not None:
        stack.status = StackStatus.DEPLOYMENT_FAILED
        stack.status_message = stop
        return deployment_id
    stack.status = StackStatus.DEPLOYMENT_IN_PROGRESS
    stack.status_message = None
    _event(stack, deployment_id, "LOG", "Deployment started.")
    stack.pending = Pending(PendingKind.DEPLOY, _pace(), deployment_id, stack_input)
    _step_if_immediate(store, stack)
    return deployment_id


def finish_deployment(stack: RfsStack, pending: Pending) -> None:
    assert pending.stack_input is not None and pending.deployment_id is not None
    variables = variables_of(pending.stack_input)
    template = template_of(pending.stack_input, variables)
    deployment_id = pending.deployment_id
    old = {state.resource.address: state for state in stack.resources}
    scope = Scope(variables if template is None else {**template.variables, **variables}, {})
    kept: list[StackResourceState] = []
    added = changed = 0
    for resource in [] if template is None else template.resources:
        previous = old.pop(resource.address, None)
        ok, name = resolved(scope, resource.config.get("name"))
        physical_name = name if ok and isinstance(name, str) else None
        if previous is None:
            state = StackResourceState(resource, str(uuid.uuid4()), physical_name)
            _resource_event(stack, deployment_id, state, "CREATION_IN_PROGRESS")
            _resource_event(stack, deployment_id, state, "CREATION_COMPLETE")
            added += 1
        else:
            state = StackResourceState(resource, previous.physical_id, physical_name, previous.status)
            if previous.resource.config != resource.config:
                state.status = "UPDATE_COMPLETE"
                _resource_event(stack, deployment_id, state, "UPDATE_IN_PROGRESS")
                _resource_event(stack, deployment_id, state, "UPDATE_COMPLETE")
                changed += 1
        kept.append(state)
    for state in old.values():
        _resource_event(stack, deployment_id, state, "DELETION_IN_PROGRESS")
        _resource_event(stack, deployment_id, state, "DELETION_COMPLETE")
    stack.resources = kept
    stack.deployed = pending.stack_input
    stack.variables = {**(template.variables if template else {}), **variables}
    stack.status = StackStatus.DEPLOYMENT_COMPLETE
    stack.status_message = None
    stack.updated_at = clock.now()
    summary = f"Apply complete! Resources: {added} added, {changed} changed, {len(old)} destroyed."
    _event(stack, deployment_id, "SUMMARY", summary)
    for plan in stack.plans.values():
        if plan.status is PlanStatus.APPLY_IN_PROGRESS:
            plan.status = PlanStatus.APPLIED


def _scripted_failure(store: StackStore, stack: RfsStack, action: str) -> str | None:
    """The reason of the scripted outcome that fails this stack's ``action`` (stack API stacks only)."""
    if stack.stack_set_name is not None:
        return None
    rule = outcomes.take_stack("huawei", store.domain_id, store.region, stack.stack_name, action)
    return None if rule is None else rule.reason


def fail_deployment(store: StackStore, stack: RfsStack, pending: Pending, reason: str) -> None:
    """A deployment failed before changing any resource: DEPLOYMENT_FAILED, or an automatic rollback."""
    stack.updated_at = clock.now()
    stack.status_message = reason
    _event(stack, pending.deployment_id, "ERROR", reason)
    for plan in stack.plans.values():
        if plan.status is PlanStatus.APPLY_IN_PROGRESS:
            plan.status = PlanStatus.APPLIED
    if not stack.enable_auto_rollback:
        stack.status = StackStatus.DEPLOYMENT_FAILED
        return
    stack.status = StackStatus.ROLLBACK_IN_PROGRESS
    _event(stack, pending.deployment_id, "LOG", "Rollback to the last successful deployment started.")
    stack.pending = Pending(PendingKind.ROLLBACK, _pace(), pending.deployment_id)


def finish_rollback(store: StackStore, stack: RfsStack, pending: Pending) -> None:
    """Back to the last successful deployment (its input; no resource changed), unless scripted to fail."""
    stack.updated_at = clock.now()
    reason = _scripted_failure(store, stack, "ROLLBACK")
    if reason is not None:
        stack.status = StackStatus.ROLLBACK_FAILED
        stack.status_message = reason
        _event(stack, pending.deployment_id, "ERROR", reason)
        return
    stack.stack_input = stack.deployed if stack.deployed is not None else StackInput()
    stack.status = StackStatus.ROLLBACK_COMPLETE
    kept = len(stack.resources)
    _event(stack, pending.deployment_id, "SUMMARY", f"Rollback complete! Resources: {kept} kept as last deployed.")


# -- deletion --------------------------------------------------------------------------------------------------
def start_deletion(store: StackStore, stack: RfsStack, retain_resources: bool) -> None:
    stop = _hooks(store, stack, None, hook_input(None, stack.variables, stack, deleting=True))
    stack.updated_at = clock.now()
    if stop is not None:
        stack.status = StackStatus.DELETION_FAILED
        stack.status_message = stop
        return
    stack.status = StackStatus.DELETION_IN_PROGRESS
    stack.status_message = None
    stack.pending = Pending(PendingKind.DELETE, _pace(), retain_resources=retain_resources)
    _step_if_immediate(store, stack)


# -- execution plans -------------------------------------------------------------------------------------------
def plan_items(stack: RfsStack, template: TfTemplate | None, variables: Mapping[str, object]) -> list[PlanItem]:
    current = {state.resource.address: state for state in stack.resources}
    scope = Scope({**(template.variables if template else {}), **variables}, {})
    items: list[PlanItem] = []
    for resource in [] if template is None else template.resources:
        previous = current.pop(resource.address, None)
        if previous is None:
            items.append(PlanItem(resource, "ADD", None, _attributes(scope, None, resource)))
        elif previous.resource.config != resource.config:
            items.append(PlanItem(resource, "UPDATE", previous.physical_id, _attributes(scope, previous, resource)))
    for state in current.values():
        items.append(PlanItem(state.resource, "DELETE", state.physical_id))
    return items


def _attributes(
    scope: Scope, previous: StackResourceState | None, resource: TfResource
) -> tuple[tuple[str, str | None, str | None], ...]:
    def shown(config: Mapping[str, object] | None, name: str) -> str | None:
        if config is None or name not in config:
            return None
        ok, value = resolved(scope, config[name])
        return str(value) if ok else "(known after apply)"

    before = None if previous is None else previous.resource.config
    names = sorted(set(resource.config) | set(before or {}))
    return tuple(
        (name, shown(before, name), shown(resource.config, name))
        for name in names
        if shown(before, name) != shown(resource.config, name)
    )


def create_plan(
    store: StackStore,
    stack: RfsStack,
    plan: ExecutionPlanState,
    template: TfTemplate | None,
    variables: dict[str, object],
) -> None:
    plan.generation = stack.generation
    stack.plans[plan.name] = plan
    stop = _hooks(store, stack, None, hook_input(template, variables, stack, deleting=False))
    if stop is not None:
        plan.status = PlanStatus.CREATION_FAILED
        plan.status_message = stop
        return
    plan.items = plan_items(stack, template, variables)
    stack.pending = Pending(PendingKind.PLAN, _pace(), plan_id=plan.execution_plan_id)
    _step_if_immediate(store, stack)


def apply_plan(store: StackStore, stack: RfsStack, plan: ExecutionPlanState) -> str:
    variables = variables_of(plan.stack_input)
    template = template_of(plan.stack_input, variables)
    plan.status = PlanStatus.APPLY_IN_PROGRESS
    plan.applied_at = clock.now()
    deployment_id = start_deployment(store, stack, plan.stack_input, template, variables)
    if stack.status is StackStatus.DEPLOYMENT_FAILED:
        plan.status = PlanStatus.APPLIED
    return deployment_id


# -- pace ---------------------------------------------------------------------------------------------------------
def _finish(store: StackStore, stack: RfsStack) -> None:
    pending = stack.pending
    stack.pending = None
    if pending is None:
        return
    if pending.kind is PendingKind.DEPLOY:
        reason = _scripted_failure(store, stack, "CREATE" if stack.deployed is None else "UPDATE")
        if reason is None:
            finish_deployment(stack, pending)
        else:
            fail_deployment(store, stack, pending, reason)
            _step_if_immediate(store, stack)
    elif pending.kind is PendingKind.ROLLBACK:
        finish_rollback(store, stack, pending)
    elif pending.kind is PendingKind.DELETE:
        store.stacks.pop(stack.stack_name, None)
    else:
        plan = next((p for p in stack.plans.values() if p.execution_plan_id == pending.plan_id), None)
        if plan is not None and plan.status is PlanStatus.CREATION_IN_PROGRESS:
            plan.status = PlanStatus.AVAILABLE


def _step_if_immediate(store: StackStore, stack: RfsStack) -> None:
    if stack.pending is not None and stack.pending.pace.progression.mode.value == "immediate":
        _finish(store, stack)


def catch_up(store: StackStore, read: RfsStack | None = None) -> None:
    """Take the steps the clock has made due in every stack of the store, and one read of ``read``."""
    now = clock.now()
    for stack in list(store.stacks.values()):
        if stack.pending is None:
            continue
        steps = len(stack.pending.pace.due(now))
        if stack is read:
            steps += stack.pending.pace.on_read()
        if steps:
            _finish(store, stack)
