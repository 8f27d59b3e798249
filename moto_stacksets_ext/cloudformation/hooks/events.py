"""Stack events carrying Hook fields (HookType, HookStatus, HookStatusReason, HookInvocationId...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from moto.cloudformation.models import Event, Stack

from ... import moto_internals
from .model import HookResult, HookStatus, TargetType

if TYPE_CHECKING:
    from .invocation import Decision

STACK_TYPE = "AWS::CloudFormation::Stack"
#: CloudFormation's reason once a resource's Hooks passed (two spaces, as AWS writes it).
HOOKS_COMPLETE = "Hook invocations complete.  Resource creation initiated"


def _event(
    stack: Stack, logical_id: str, physical_id: str, resource_type: str, status: str, reason: str | None
) -> Event:
    event: Event = moto_internals.new_event(
        stack_id=stack.stack_id,
        stack_name=stack.name,
        logical_resource_id=logical_id,
        physical_resource_id=physical_id,
        resource_type=resource_type,
        resource_status=status,
        resource_status_reason=reason,
        resource_properties=None,
    )
    return event


def stack_event(stack: Stack, status: str, reason: str | None) -> Event:
    return _event(stack, stack.name, stack.stack_id, STACK_TYPE, status, reason)


def resource_event(stack: Stack, logical_id: str, resource_type: str, status: str, reason: str | None) -> Event:
    return _event(stack, logical_id, "", resource_type, status, reason)


#: CloudFormation's ending of the reason of a failed Hook whose FailureMode is WARN.
WARN_IGNORED = ". Failure was ignored under WARN mode."


def hook_reason(result: HookResult) -> str:
    """A Hook event's HookStatusReason, as CloudFormation words it."""
    if result.status is HookStatus.HOOK_COMPLETE_SUCCEEDED:
        return f"Hook succeeded with message: {result.hook_status_reason}"
    reason = f"Hook failed with message: {result.hook_status_reason}"
    return reason.rstrip(".") + WARN_IGNORED if result.failure_mode == "WARN" else reason


def hook_event(stack: Stack, result: HookResult) -> Event:
    """The event of one Hook invocation (its ``HookInvocationId`` is the result's ``HookResultId``)."""
    status = f"{result.action or 'CREATE'}_IN_PROGRESS"
    if result.target_type is TargetType.RESOURCE:
        event = resource_event(stack, result.resource_id or result.target_id, result.resource_type or "", status, None)
    else:
        event = stack_event(stack, status, None)
    event.hook_type = result.type_name  # type: ignore[attr-defined]
    event.hook_status = result.status.value  # type: ignore[attr-defined]
    event.hook_status_reason = hook_reason(result)  # type: ignore[attr-defined]
    event.hook_invocation_point = result.invocation_point  # type: ignore[attr-defined]
    event.hook_invocation_id = result.hook_result_id  # type: ignore[attr-defined]
    event.hook_failure_mode = result.failure_mode  # type: ignore[attr-defined]
    return event


def hook_events(stack: Stack, decisions: Sequence[Decision]) -> list[Event]:
    """Every Hook invocation's event; a resource whose Hooks all let it through gets the 'initiated' event."""
    events: list[Event] = []
    for decision in decisions:
        events += [hook_event(stack, result) for result in decision.results]
        target = decision.target
        if (
            decision.results
            and not decision.blocking
            and target.target_type is TargetType.RESOURCE
            and target.logical_id is not None
        ):
            events.append(
                resource_event(
                    stack,
                    target.logical_id,
                    target.resource_type or "",
                    f"{target.action}_IN_PROGRESS",
                    HOOKS_COMPLETE if target.action == "CREATE" else "Hook invocations complete.",
                )
            )
    return events


def add_events(stack: Stack, events: Sequence[Event]) -> None:
    stack.events.extend(events)


def insert_events(stack: Stack, position: int, events: Sequence[Event]) -> None:
    stack.events[position:position] = list(events)
