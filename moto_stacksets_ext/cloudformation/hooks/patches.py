"""Running Hooks at PRE_PROVISION inside moto's CloudFormation backend.

``patch`` wraps ``CloudFormationBackend.create_change_set``, ``execute_change_set``, ``create_stack``,
``update_stack`` and ``delete_stack`` (at ``plugin.install()``); ``unpatch`` restores them. With no
enabled Hook in the account and region the wrappers call moto straight through.

A failed FAIL-mode Hook blocks the operation before anything is provisioned: the change set ends
``FAILED``; a stack create ends ``ROLLBACK_COMPLETE``, an update ``UPDATE_ROLLBACK_COMPLETE``, a delete
``DELETE_FAILED``, each with ``The following hook(s) failed: [<TypeName>]`` on the failed resource's event.
The stack methods then raise ``exceptions.HookBlocked`` (the stack-set deployer reports its message;
the CloudFormation handlers answer as AWS does, with the call itself succeeding).

Inside a stack-set instance's deployment (``pacing.paced``) a Hook answering IN_PROGRESS makes the stack
methods raise ``pacing.HookPending`` before anything is provisioned; elsewhere it is called back at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.cloudformation.models import CloudFormationBackend, Event, Stack

from ... import moto_internals
from . import declared, pacing
from .events import add_events, hook_events, insert_events, resource_event, stack_event
from .exceptions import HookBlocked, failed_reason
from .invocation import CHANGE_ACTIONS, Decision, Target
from .model import TargetType
from .state import HookState

BLOCKED = "_moto_stacksets_hook_blocked"


def _state(backend: CloudFormationBackend) -> HookState | None:
    """The Hook state of the stack's account and region, if a Hook is registered there (an account the
    plugin has never served has none: its backend is not made just to find that out)."""
    from ..models import stacksets_backends

    found = moto_internals.existing_backend(stacksets_backends, backend.account_id, backend.region_name)
    if found is None:
        return None
    state: HookState = found.hooks
    return state if state.registry.hooks() else None


def _resources(template: Any) -> dict[str, dict[str, Any]]:
    try:
        parsed = template if isinstance(template, dict) else moto_internals.parse_template(template)
    except Exception:
        return {}
    resources = parsed.get("Resources") if isinstance(parsed, dict) else None
    return {k: v for k, v in resources.items() if isinstance(v, dict)} if isinstance(resources, dict) else {}


@dataclass(frozen=True)
class Change:
    """A resource an operation provisions: logical id, type, action, properties (and the previous ones)."""

    logical_id: str
    resource_type: str
    action: str
    properties: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None


def _run(
    state: HookState,
    action: str,
    stack_name: str,
    stack_id: str | None,
    role_arn: str | None,
    resources: list[Change],
    templates: tuple[str | None, str | None] = (None, None),
    change_set_id: str | None = None,
) -> tuple[list[Decision], Decision | None]:
    """Invoke the STACK Hooks, then each resource's; stop at the first block.

    In a paced run (``pacing``: a stack-set instance's deployment) a target whose Hooks answered IN_PROGRESS
    raises ``HookPending`` before anything is provisioned; a later step runs the stack call again."""
    template, previous_template = templates
    run = pacing.current()
    stack = state.invoke(
        Target(
            TargetType.STACK,
            stack_id or "",
            action,
            stack_name,
            stack_id,
            role_arn,
            names=[stack_name],
            template=template,
            previous_template=previous_template,
            change_set_id=change_set_id,
        ),
        run,
    )
    _check_waiting(run, stack)
    decisions = [stack]
    if stack.blocking:
        return decisions, stack
    for change in resources:
        decision = state.invoke(
            Target(
                TargetType.RESOURCE,
                change.logical_id,
                change.action,
                stack_name,
                stack_id,
                role_arn,
                resource_type=change.resource_type,
                logical_id=change.logical_id,
                names=[change.resource_type, change.logical_id, stack_name],
                properties=change.properties,
                previous_properties=change.previous,
                change_set_id=change_set_id,
            ),
            run,
        )
        _check_waiting(run, decision)
        decisions.append(decision)
        if decision.blocking:
            return decisions, decision
    return decisions, None


def _check_waiting(run: pacing.HookRun | None, decision: Decision) -> None:
    if run is not None and decision.waiting:
        raise pacing.HookPending(run, decision.waiting, decision.callbacks)


def _properties(body: dict[str, Any]) -> dict[str, Any]:
    found = body.get("Properties")
    return dict(found) if isinstance(found, dict) else {}


def _text(template: Any) -> str | None:
    if template is None:
        return None
    return template if isinstance(template, str) else json.dumps(template)


def _fail(stack: Stack, blocked: Decision, verb: str) -> list[Event]:
    """The failure event of the blocked target (a resource, or the stack itself)."""
    reason = failed_reason(blocked.blocking)
    target = blocked.target
    if target.target_type is TargetType.RESOURCE and target.logical_id is not None:
        status = {"CREATE": "CREATE_FAILED", "UPDATE": "UPDATE_FAILED", "DELETE": "DELETE_FAILED"}[target.action]
        return [resource_event(stack, target.logical_id, target.resource_type or "", status, reason)]
    return [stack_event(stack, f"{verb}_FAILED", reason)]


def _failed_names(blocked: Decision) -> str:
    target = blocked.target
    return target.logical_id if target.logical_id is not None else target.stack_name or ""


def create_stack(original: Callable[..., Stack], self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Stack:
    try:
        return _create_stack(original, self, *args, **kwargs)
    except Exception as error:
        name = kwargs.get("name", args[0] if args else None)
        if hasattr(error, declared.FAILED_RESOURCE) and isinstance(name, str):
            declared.undo_create(self, name)
        raise


def _create_stack(original: Callable[..., Stack], self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Stack:
    state = _state(self)
    name = kwargs.get("name", args[0] if args else None)
    template = kwargs.get("template", args[1] if len(args) > 1 else None)
    if state is None or not isinstance(name, str) or any(s.name == name for s in self.stacks.values()):
        return original(self, *args, **kwargs)
    role_arn = kwargs.get("role_arn")
    resources = [Change(k, str(v.get("Type", "")), "CREATE", _properties(v)) for k, v in _resources(template).items()]
    decisions, blocked = _run(state, "CREATE", name, None, role_arn, resources, (_text(template), None))
    if blocked is None:
        stack = original(self, *args, **kwargs)
        state.commit(decisions, stack.stack_id)
        insert_events(stack, 1, hook_events(stack, decisions))
        return stack
    parameters = kwargs.get("parameters", args[2] if len(args) > 2 else {})
    stack_id = moto_internals.generate_stack_id(name, self.region_name, self.account_id)
    # moto's Stack, built as moto's create_stack does but without provisioning
    stack = moto_internals.new_stack(
        stack_id=stack_id,
        name=name,
        template=template or "{}",
        parameters=parameters or {},
        account_id=self.account_id,
        region_name=self.region_name,
        notification_arns=kwargs.get("notification_arns"),
        tags=kwargs.get("tags"),
        role_arn=role_arn,
        cross_stack_resources=self.exports,
        timeout_in_mins=kwargs.get("timeout_in_mins"),
        stack_policy_body=kwargs.get("stack_policy_body"),
    )
    self.stacks[stack_id] = stack
    state.commit(decisions, stack_id)
    moto_internals.add_stack_event(stack, "CREATE_IN_PROGRESS", "User Initiated")
    add_events(stack, hook_events(stack, decisions) + _fail(stack, blocked, "CREATE"))
    moto_internals.add_stack_event(
        stack,
        "ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to create: [{_failed_names(blocked)}]. Rollback requested by user.",
    )
    moto_internals.add_stack_event(stack, "ROLLBACK_COMPLETE")
    stack.status = "ROLLBACK_COMPLETE"
    setattr(stack, BLOCKED, True)
    raise HookBlocked(blocked.blocking, stack_id)


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a resource is unchanged (moto adds an empty ``Properties`` to the templates it parsed)."""
    return {"Properties": {}, **old} == {"Properties": {}, **new}


def _changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    changed = [Change(k, str(v.get("Type", "")), "CREATE", _properties(v)) for k, v in new.items() if k not in old]
    changed += [
        Change(k, str(v.get("Type", "")), "UPDATE", _properties(v), _properties(old[k]))
        for k, v in new.items()
        if k in old and not _same(old[k], v)
    ]
    changed += [Change(k, str(v.get("Type", "")), "DELETE", _properties(v)) for k, v in old.items() if k not in new]
    return changed


def update_stack(original: Callable[..., Stack], self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Stack:
    state = _state(self)
    name = kwargs.get("name", args[0] if args else None)
    if state is None or not isinstance(name, str):
        return original(self, *args, **kwargs)
    stack = self.get_stack(name)
    template = kwargs.get("template", args[1] if len(args) > 1 else None)
    changes = _changes(_resources(stack.template_dict), _resources(template))
    templates = (_text(template), _text(stack.template))
    decisions, blocked = _run(state, "UPDATE", stack.name, stack.stack_id, kwargs.get("role_arn"), changes, templates)
    if blocked is None:
        position = len(stack.events)
        updated = original(self, *args, **kwargs)
        state.commit(decisions, stack.stack_id)
        insert_events(stack, position + 1, hook_events(stack, decisions))
        return updated
    state.commit(decisions, stack.stack_id)
    moto_internals.add_stack_event(stack, "UPDATE_IN_PROGRESS", "User Initiated")
    add_events(stack, hook_events(stack, decisions) + _fail(stack, blocked, "UPDATE"))
    moto_internals.add_stack_event(
        stack,
        "UPDATE_ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to update: [{_failed_names(blocked)}].",
    )
    moto_internals.add_stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    raise HookBlocked(blocked.blocking, stack.stack_id)


def _find(backend: CloudFormationBackend, name_or_id: str) -> Stack | None:
    found = backend.stacks.get(name_or_id)
    if found is None:
        found = next((s for s in backend.stacks.values() if s.name == name_or_id), None)
    return found


def delete_stack(original: Callable[..., None], self: CloudFormationBackend, *args: Any, **kwargs: Any) -> None:
    name = kwargs.get("name_or_stack_id", args[0] if args else None)
    stack = _find(self, name) if isinstance(name, str) else None
    if stack is not None and getattr(stack, BLOCKED, False):
        # A create that Hooks blocked provisioned nothing: deleting it touches no resource.
        self.stacks.pop(stack.stack_id, None)
        moto_internals.add_stack_event(stack, "DELETE_IN_PROGRESS", "User Initiated")
        moto_internals.add_stack_event(stack, "DELETE_COMPLETE")
        stack.status = "DELETE_COMPLETE"
        self.deleted_stacks[stack.stack_id] = stack
        return None
    state = _state(self)
    if state is None or stack is None:
        return original(self, *args, **kwargs)
    resources = [
        Change(k, str(v.get("Type", "")), "DELETE", _properties(v)) for k, v in _resources(stack.template_dict).items()
    ]
    templates = (None, _text(stack.template))
    decisions, blocked = _run(state, "DELETE", stack.name, stack.stack_id, stack.role_arn, resources, templates)
    if blocked is None:
        position = len(stack.events)
        original(self, *args, **kwargs)
        state.commit(decisions, stack.stack_id)
        insert_events(stack, position + 1, hook_events(stack, decisions))
        return None
    state.commit(decisions, stack.stack_id)
    moto_internals.add_stack_event(stack, "DELETE_IN_PROGRESS", "User Initiated")
    add_events(stack, hook_events(stack, decisions) + _fail(stack, blocked, "DELETE"))
    moto_internals.add_stack_event(
        stack,
        "DELETE_FAILED",
        f"The following resource(s) failed to delete: [{_failed_names(blocked)}]. ",
    )
    stack.status = "DELETE_FAILED"
    raise HookBlocked(blocked.blocking, stack.stack_id)


def create_change_set(
    original: Callable[..., tuple[str, str]], self: CloudFormationBackend, *args: Any, **kwargs: Any
) -> tuple[str, str]:
    change_set_id, stack_id = original(self, *args, **kwargs)
    state = _state(self)
    change_set = self.change_sets.get(change_set_id)
    if state is None or change_set is None or change_set.status == "FAILED":
        return change_set_id, stack_id
    decision = state.invoke(
        Target(
            TargetType.CHANGE_SET,
            change_set_id,
            "CREATE",
            change_set.stack_name,
            stack_id,
            change_set.role_arn,
            names=[change_set.change_set_name, change_set.stack_name],
            template=_text(change_set.template),
            change_set_id=change_set_id,
            change_set_name=change_set.change_set_name,
        )
    )
    state.commit([decision], stack_id)
    if decision.blocking:
        change_set.status = "FAILED"
        change_set.execution_status = "UNAVAILABLE"
        change_set.status_reason = f"Change set creation failed. {failed_reason(decision.blocking)}"
    return change_set_id, stack_id


def execute_change_set(original: Callable[..., None], self: CloudFormationBackend, *args: Any, **kwargs: Any) -> None:
    state = _state(self)
    name = kwargs.get("change_set_name", args[0] if args else None)
    change_set = None
    if isinstance(name, str):
        change_set = self.change_sets.get(name) or next(
            (c for c in self.change_sets.values() if c.change_set_name == name), None
        )
    if state is None or change_set is None:
        return original(self, *args, **kwargs)
    stack = self.stacks[change_set.stack_id]
    kind = "CREATE" if change_set.change_set_type == "CREATE" else "UPDATE"
    new, old = _resources(change_set.template), _resources(stack.template_dict) if kind == "UPDATE" else {}
    changes = [
        Change(
            c.logical_resource_id,
            c.resource_type,
            CHANGE_ACTIONS.get(c.action, "UPDATE"),
            _properties(new.get(c.logical_resource_id) or old.get(c.logical_resource_id) or {}),
            _properties(old[c.logical_resource_id]) if c.logical_resource_id in old else None,
        )
        for c in change_set.changes
    ]
    templates = (_text(change_set.template), _text(stack.template) if kind == "UPDATE" else None)
    decisions, blocked = _run(
        state, kind, stack.name, stack.stack_id, change_set.role_arn, changes, templates, change_set.change_set_id
    )
    if blocked is None:
        position = len(stack.events)
        original(self, *args, **kwargs)
        state.commit(decisions, stack.stack_id)
        insert_events(stack, position + 1, hook_events(stack, decisions))
        return None
    state.commit(decisions, stack.stack_id)
    moto_internals.add_stack_event(stack, f"{kind}_IN_PROGRESS", "User Initiated")
    add_events(stack, hook_events(stack, decisions) + _fail(stack, blocked, kind))
    if kind == "CREATE":
        moto_internals.add_stack_event(
            stack,
            "ROLLBACK_IN_PROGRESS",
            f"The following resource(s) failed to create: [{_failed_names(blocked)}]. Rollback requested by user.",
        )
        moto_internals.add_stack_event(stack, "ROLLBACK_COMPLETE")
        stack.status = "ROLLBACK_COMPLETE"
        setattr(stack, BLOCKED, True)
    else:
        moto_internals.add_stack_event(
            stack,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            f"The following resource(s) failed to update: [{_failed_names(blocked)}].",
        )
        moto_internals.add_stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")
        stack.status = "UPDATE_ROLLBACK_COMPLETE"
    change_set.execution_status = "EXECUTE_FAILED"
    return None


_WRAPPERS: dict[str, Callable[..., Any]] = {
    "create_stack": create_stack,
    "update_stack": update_stack,
    "delete_stack": delete_stack,
    "create_change_set": create_change_set,
    "execute_change_set": execute_change_set,
}


def _wrap(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    wrapper = _WRAPPERS[name]

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def patched(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
            return wrapper(original, self, *args, **kwargs)

        return patched

    return make


_wrapped: list[tuple[type, str, Callable[..., Any]]] = []


def patch() -> None:
    """Run Hooks in moto's CloudFormation backend. Idempotent; ``MotoContractError`` if a method moved."""
    if _wrapped:
        return
    declared.register_all()
    for name in _WRAPPERS:
        _wrapped.append(moto_internals.wrap_method(moto_internals.CLOUDFORMATION_BACKEND_METHODS[name], _wrap(name)))


def unpatch() -> None:
    """Give moto its own methods back. Idempotent."""
    while _wrapped:
        moto_internals.unwrap(_wrapped.pop())
