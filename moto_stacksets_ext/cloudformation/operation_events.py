"""DescribeEvents: a stack's events grouped by the operations that produced them.

moto keeps each stack's events (``Stack.events``, oldest first; the Hook events ``hooks.events`` adds carry
HookType, HookStatus...). An *operation* is read off them, as the model documents it ("stack lifecycle actions
(Create, Update, Delete, Rollback), change set creation ... and automatic rollbacks triggered by failures"):

- a stack-level ``CREATE_IN_PROGRESS`` / ``UPDATE_IN_PROGRESS`` / ``DELETE_IN_PROGRESS`` event that is not a
  Hook's starts a CREATE_STACK / UPDATE_STACK / DELETE_STACK operation; ``ROLLBACK_IN_PROGRESS`` and
  ``UPDATE_ROLLBACK_IN_PROGRESS`` end the running one FAILED and start a ROLLBACK operation;
- the stack-level ``*_COMPLETE`` event ends it SUCCEEDED (a rollback that completed succeeded), ``*_FAILED``
  FAILED; until then it is IN_PROGRESS;
- each change set of the stack is a CREATE_CHANGESET operation (SUCCEEDED once CREATE_COMPLETE, FAILED when
  FAILED) whose events are its Hook invocations (a change set a Hook blocked has no stack events on AWS);
- ``REVIEW_IN_PROGRESS`` (the model's ResourceStatus has no such value) belongs to no operation.

Operation ids are derived from the stack and the event that started the operation (the change set's ARN), so
they are stable across reads. Events are listed newest first, 100 per page, with the project's tokens.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Event, Stack

from ..engine.errors import InvalidPageToken
from ..engine.pagination import SequencedList, TokenCodec, paginate
from .exceptions import ValidationError
from .hooks.changesets import find_change_set
from .hooks.events import hook_reason
from .hooks.model import HookResult, HookStatus, TargetType
from .hooks.state import HookState

PAGE_SIZE = 100
STACK_TYPE = "AWS::CloudFormation::Stack"
_STARTS = {
    "CREATE_IN_PROGRESS": "CREATE_STACK",
    "UPDATE_IN_PROGRESS": "UPDATE_STACK",
    "DELETE_IN_PROGRESS": "DELETE_STACK",
    "ROLLBACK_IN_PROGRESS": "ROLLBACK",
    "UPDATE_ROLLBACK_IN_PROGRESS": "ROLLBACK",
}
_FAILED_HOOKS = (HookStatus.HOOK_COMPLETE_FAILED.value, HookStatus.HOOK_FAILED.value)
_HOOK_FIELDS = {
    "HookType": "hook_type",
    "HookStatus": "hook_status",
    "HookStatusReason": "hook_status_reason",
    "HookInvocationPoint": "hook_invocation_point",
    "HookFailureMode": "hook_failure_mode",
}
_codec = TokenCodec()


@dataclass
class Operation:
    operation_id: str
    operation_type: str
    stack_id: str
    start: datetime
    status: str = "IN_PROGRESS"
    end: datetime | None = None


@dataclass(frozen=True)
class Row:
    """One OperationEvent; ``seq`` orders a stack's events oldest first."""

    seq: int
    operation: Operation
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        status = str(self.fields.get("ResourceStatus") or "")
        return status.endswith("_FAILED") or self.fields.get("HookStatus") in _FAILED_HOOKS

    def render(self) -> dict[str, Any]:
        operation = self.operation
        return {
            "OperationId": operation.operation_id,
            "OperationType": operation.operation_type,
            "OperationStatus": operation.status,
            **self.fields,
        }


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _operation_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def _stack_level(stack: Stack, event: Event) -> bool:
    return bool(event.resource_type == STACK_TYPE and event.logical_resource_id == stack.name)


def _event_type(stack: Stack, event: Event) -> str:
    hook_status = getattr(event, "hook_status", None)
    if hook_status is not None:
        return "HOOK_INVOCATION_ERROR" if hook_status in _FAILED_HOOKS else "PROGRESS_EVENT"
    if _stack_level(stack, event):
        return "STACK_EVENT"
    return "PROVISIONING_ERROR" if str(event.resource_status).endswith("_FAILED") else "PROGRESS_EVENT"


def _fields(stack: Stack, event: Event) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "EventId": str(event.event_id),
        "StackId": stack.stack_id,
        "EventType": _event_type(stack, event),
        "LogicalResourceId": event.logical_resource_id,
        "PhysicalResourceId": event.physical_resource_id or None,
        "ResourceType": event.resource_type or None,
        "Timestamp": _aware(event.timestamp),
        "ResourceStatus": event.resource_status,
        "ResourceStatusReason": event.resource_status_reason,
        "ResourceProperties": event.resource_properties,
        "ClientRequestToken": getattr(event, "client_request_token", None),
    }
    for member, attribute in _HOOK_FIELDS.items():
        fields[member] = getattr(event, attribute, None)
    return fields


def stack_rows(stack: Stack) -> list[Row]:
    """The stack's events with their operations, oldest first."""
    rows: list[Row] = []
    current: Operation | None = None
    for event in stack.events:
        status = str(event.resource_status)
        hook = getattr(event, "hook_status", None) is not None
        stack_level = _stack_level(stack, event) and not hook
        if stack_level and status == "REVIEW_IN_PROGRESS":
            continue
        fields = _fields(stack, event)
        if stack_level and status in _STARTS:
            if current is not None and current.status == "IN_PROGRESS":
                current.status, current.end = "FAILED", _aware(event.timestamp)
            current = Operation(
                _operation_id(stack.stack_id, str(event.event_id)),
                _STARTS[status],
                stack.stack_id,
                _aware(event.timestamp),
            )
            fields["StartTime"] = current.start
        if current is None:
            continue
        if stack_level and current.status == "IN_PROGRESS" and status not in _STARTS:
            if status.endswith("_COMPLETE"):
                current.status, current.end = "SUCCEEDED", _aware(event.timestamp)
            elif status.endswith("_FAILED"):
                current.status, current.end = "FAILED", _aware(event.timestamp)
            if current.end is not None:
                fields["StartTime"], fields["EndTime"] = current.start, current.end
        rows.append(Row(len(rows) + 1, current, fields))
    return rows


def _hook_fields(change_set: ChangeSet, result: HookResult) -> dict[str, Any]:
    return {
        "EventId": _operation_id(change_set.change_set_id, result.hook_result_id),
        "StackId": change_set.stack_id,
        "EventType": "HOOK_INVOCATION_ERROR" if result.status.value in _FAILED_HOOKS else "PROGRESS_EVENT",
        "LogicalResourceId": change_set.stack_name,
        "PhysicalResourceId": change_set.change_set_id,
        "Timestamp": _aware(result.invoked_at),
        "HookType": result.type_name,
        "HookStatus": result.status.value,
        "HookStatusReason": hook_reason(result)[:1024],
        "HookInvocationPoint": result.invocation_point,
        "HookFailureMode": result.failure_mode,
    }


def change_set_rows(change_set: ChangeSet, hooks: HookState | None) -> list[Row]:
    """The CREATE_CHANGESET operation of a change set: its Hook invocations."""
    status = {"CREATE_COMPLETE": "SUCCEEDED", "FAILED": "FAILED"}.get(change_set.status or "", "IN_PROGRESS")
    operation = Operation(
        _operation_id(change_set.change_set_id),
        "CREATE_CHANGESET",
        change_set.stack_id,
        _aware(change_set.creation_time),
    )
    operation.status = status
    results = hooks.results.for_target(TargetType.CHANGE_SET, change_set.change_set_id) if hooks is not None else []
    rows = [Row(n, operation, _hook_fields(change_set, r)) for n, r in enumerate(results, start=1)]
    if rows and status != "IN_PROGRESS":
        operation.end = rows[-1].fields["Timestamp"]
    return rows


def _merged(backend: CloudFormationBackend, hooks: HookState | None, stack: Stack) -> SequencedList[Row]:
    """Every operation's events of a stack (its change sets' too), oldest first, numbered."""
    rows = stack_rows(stack)
    for change_set in backend.change_sets.values():
        if change_set.stack_id == stack.stack_id:
            rows += change_set_rows(change_set, hooks)
    ordered = sorted(rows, key=lambda row: row.fields["Timestamp"])  # stable: a stack's own order is kept
    numbered: SequencedList[Row] = SequencedList()
    for n, row in enumerate(ordered, start=1):
        numbered.append(replace(row, seq=n))
    return numbered


def _stacks(backend: CloudFormationBackend) -> Iterator[Stack]:
    yield from backend.stacks.values()
    yield from backend.deleted_stacks.values()


def _find_stack(backend: CloudFormationBackend, name: str) -> Stack:
    found = backend.stacks.get(name) or backend.deleted_stacks.get(name)
    if found is None:
        found = next((s for s in backend.stacks.values() if s.name == name), None)
    if found is None:
        raise ValidationError(f"Stack [{name}] does not exist")
    return found


@dataclass(frozen=True)
class EventQuery:
    stack_name: str | None
    change_set_name: str | None
    operation_id: str | None
    failed_only: bool
    token: str | None


def describe_events(backend: CloudFormationBackend, hooks: HookState | None, query: EventQuery) -> dict[str, Any]:
    """DescribeEvents' output for ``query`` in ``backend``'s account and region."""
    if query.stack_name is None and query.change_set_name is None and query.operation_id is None:
        raise ValidationError("One of ChangeSetName, OperationId or StackName must be specified")
    if query.change_set_name is not None:
        change_set = find_change_set(backend, query.change_set_name, query.stack_name)
        source: SequencedList[Row] = SequencedList()
        for n, row in enumerate(change_set_rows(change_set, hooks), start=1):
            source.append(replace(row, seq=n))
        scope = change_set.change_set_id
    elif query.stack_name is not None:
        stack = _find_stack(backend, query.stack_name)
        source, scope = _merged(backend, hooks, stack), stack.stack_id
    else:
        source, scope = SequencedList(), ""
        for stack in _stacks(backend):
            rows = _merged(backend, hooks, stack)
            if any(row.operation.operation_id == query.operation_id for row in rows):
                source, scope = rows, stack.stack_id
                break

    def wanted(row: Row) -> bool:
        if query.operation_id is not None and row.operation.operation_id != query.operation_id:
            return False
        return row.failed or not query.failed_only

    binding = {
        "listing": "DescribeEvents",
        "namespace": [backend.account_id, backend.region_name],
        "scope": scope,
        "operation_id": query.operation_id,
        "failed_only": query.failed_only,
    }
    try:
        page = paginate(
            source,
            codec=_codec,
            binding=binding,
            token=query.token,
            limit=PAGE_SIZE,
            newest_first=True,
            predicate=wanted,
        )
    except InvalidPageToken as error:
        raise ValidationError(error.message) from error
    return {"OperationEvents": [row.render() for row in page.items], "NextToken": page.next_token}
