"""Parent stacks of ``AWS::CloudFormation::StackSet`` resources: their status follows the resources' calls.

moto provisions a template synchronously and marks the stack ``*_COMPLETE`` when its call returns. A
stack-set resource's operations may be paced (manual or time progression), and may end FAILED; so:

* while a request runs, each resource's work is started (``start``: its calls made until one waits for a
  paced operation) and left unclaimed;
* when a CreateStack, UpdateStack, DeleteStack or ExecuteChangeSet request ends (``after_action``), the
  works of each parent stack form its ``ParentRun``: when one is still waiting or failed, moto's premature
  ``*_COMPLETE`` is taken back (the stack stays ``*_IN_PROGRESS``, a deleting stack stays listed);
* each stack read (DescribeStacks, ListStacks, DescribeStackEvents, DescribeStackResource(s),
  ListStackResources, GetTemplate...) first reads the operations the runs of its account and region wait for
  (``before_action``: a read of each, as CloudFormation polls them, which is what advances a manual
  progression), starts the next call of a work whose operation ended, and ends the runs whose works all
  ended: ``*_COMPLETE``, or the failure and its rollback.

A failed resource's ``ResourceStatusReason`` is the one CloudFormation's StackSet handler gives (its source,
aws-cloudformation-resource-providers-cloudformation, ``buildErrorMessageForFailedOperation`` wrapped as a
``CfnNotStabilizedException``; recorded in AWS's answer quoted in awslabs/aws-well-architected-labs#973):
``Resource handler returned message: "Resource of type 'Stack set operation [<operation id>] was unexpectedly
stopped or failed. status reason(s): [<reason>]' with identifier '<stack set id>' did not stabilize."
(RequestToken: <uuid>, HandlerErrorCode: NotStabilized)``; the reasons are the operation's StatusReason, or
else each failed target's. An error of the call itself (a name taken, a bad template) is the handler's
``Resource handler returned message: "<message> (Service: CloudFormation, Status Code: <status>, Request ID:
<uuid>)" (RequestToken: <uuid>, HandlerErrorCode: <code>)``.

Rollbacks: a failed create deletes what the stack made (moto's resource map; a stack set: its instances,
then itself) and ends ``ROLLBACK_COMPLETE``; a failed update runs each updated stack-set resource's calls
back to its previous configuration and restores the previous template (``UPDATE_ROLLBACK_COMPLETE``, or
``UPDATE_ROLLBACK_FAILED`` when a call back fails); a failed delete ends ``DELETE_FAILED``.
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.cloudformation.models import CloudFormationBackend, Stack, cloudformation_backends

from .. import moto_internals
from ..engine.errors import EngineError
from ..engine.model import OperationStatus, TargetStatus
from .exceptions import CloudFormationStackSetError, ValidationError, from_engine
from .hooks.events import STACK_TYPE, resource_event
from .stackset_runs import ParentRun, ResourceWork, StackAction, TemplateRuns

#: Requests that may start stack-set resources' work.
WRITES = frozenset({"CreateStack", "UpdateStack", "DeleteStack", "ExecuteChangeSet"})
#: Requests that read stacks: the runs of the account and region are polled first.
READS = frozenset(
    {
        "DescribeStacks",
        "ListStacks",
        "DescribeStackEvents",
        "DescribeStackResource",
        "DescribeStackResources",
        "ListStackResources",
        "GetTemplate",
        "GetTemplateSummary",
        "UpdateStack",
        "DeleteStack",
        "CreateChangeSet",
        "ExecuteChangeSet",
    }
)
#: CloudFormation's limit on a handler's message (longer ones are cut, with this hint).
MESSAGE_LIMIT = 1024
MORE = "... Use list-stack-set-operation-results for more information."
_HANDLER_CODES = {
    "NameAlreadyExistsException": "AlreadyExists",
    "StackSetNotFoundException": "NotFound",
    "StackInstanceNotFoundException": "NotFound",
    "ValidationError": "InvalidRequest",
    "LimitExceededException": "ServiceLimitExceeded",
    "OperationInProgressException": "ResourceConflict",
    "StackSetNotEmptyException": "ResourceConflict",
}


def _runs(account_id: str, region_name: str) -> TemplateRuns:
    from .models import stacksets_backends

    runs: TemplateRuns = stacksets_backends[account_id][region_name].template_runs
    return runs


def _existing_runs(account_id: str, region_name: str) -> TemplateRuns | None:
    from .models import stacksets_backends

    backend = moto_internals.existing_backend(stacksets_backends, account_id, region_name)
    return None if backend is None else backend.template_runs


def _cf(account_id: str, region_name: str) -> CloudFormationBackend:
    backend: CloudFormationBackend = cloudformation_backends[account_id][region_name]
    return backend


def _stack(account_id: str, region_name: str, stack_id: str) -> Stack | None:
    backend = _cf(account_id, region_name)
    found: Stack | None = backend.stacks.get(stack_id) or backend.deleted_stacks.get(stack_id)
    if found is None:  # moto takes a stack out of its lists while deleting its resources
        runs = _existing_runs(account_id, region_name)
        found = None if runs is None else runs.stacks.get(stack_id)
    return found


# -- reasons --------------------------------------------------------------------------------------------
def _http_status(code: str) -> int:
    from .validation import service_model

    try:
        shape = service_model().shape_for(code)
    except Exception:
        return 400
    status = shape.metadata.get("error", {}).get("httpStatusCode", 400)
    return int(status)


def handler_reason(error: CloudFormationStackSetError) -> str:
    """A call's error as CloudFormation's resource handler reports it."""
    code = str(error.code)
    return (
        f'Resource handler returned message: "{error.message} (Service: CloudFormation, Status Code: '
        f'{_http_status(code)}, Request ID: {uuid.uuid4()})" (RequestToken: {uuid.uuid4()}, '
        f"HandlerErrorCode: {_HANDLER_CODES.get(code, 'GeneralServiceException')})"
    )


def operation_reason(operation: Any, stack_set_id: str) -> str:
    """An operation that ended without succeeding, as CloudFormation's StackSet handler reports it."""
    message = f"Stack set operation [{operation.operation_id}] was unexpectedly stopped or failed. status reason(s):"
    if operation.status_reason:
        message += f" [{operation.status_reason}]"
    else:
        reasons = dict.fromkeys(r.status_reason or "" for r in operation.results if r.status in (TargetStatus.FAILED,))
        message += "".join(f" [{reason}]" for reason in reasons)
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + MORE
    return (
        f"Resource handler returned message: \"Resource of type '{message}' with identifier '{stack_set_id}' "
        f'did not stabilize." (RequestToken: {uuid.uuid4()}, HandlerErrorCode: NotStabilized)'
    )


# -- starting and driving works -------------------------------------------------------------------------
def _event(account_id: str, region_name: str, work: ResourceWork, status: str, reason: str | None) -> None:
    stack = _stack(account_id, region_name, work.stack_id)
    if stack is None:
        return
    event = resource_event(stack, work.logical_id, work.resource_type, status, reason)
    event.physical_resource_id = work.physical_id
    stack.events.append(event)


def start(account_id: str, region_name: str, work: ResourceWork) -> None:
    """A resource's work for the request in progress: its first events, its calls made until one waits."""
    _event(account_id, region_name, work, f"{work.action}_IN_PROGRESS", None)
    if work.failure is not None:  # refused before any call
        _event(account_id, region_name, work, f"{work.action}_FAILED", work.failure)
    elif work.action == "CREATE":
        _event(account_id, region_name, work, "CREATE_IN_PROGRESS", "Resource creation Initiated")
    advance(account_id, region_name, work, read=False)
    _runs(account_id, region_name).unclaimed.append(work)


def advance(account_id: str, region_name: str, work: ResourceWork, *, read: bool) -> None:
    """Make the work's calls until one waits for an operation that has not ended (``read``: read the
    operation it waits for once, as CloudFormation's handler polls it: a read of a manual progression)."""
    from .models import stacksets_backends

    backend = stacksets_backends[account_id][region_name]
    while not work.ended:
        if work.current is not None:
            _call, name, operation_id, call_as = work.current
            try:
                operation: Any
                if read:
                    operation = backend.describe_stack_set_operation(name, operation_id, call_as)
                    read = False
                else:
                    operation = backend.namespace.get_stack_set(name, include_deleted=True).operation(operation_id)
            except (CloudFormationStackSetError, EngineError) as error:
                _fail(account_id, region_name, work, handler_reason(_as_cloudformation(error)))
                return
            if operation is None:
                _fail(account_id, region_name, work, f"Stack set operation [{operation_id}] was not found")
                return
            if not operation.status.ended:
                return
            work.current = None
            if operation.status is not OperationStatus.SUCCEEDED:
                _fail(account_id, region_name, work, operation_reason(operation, operation.stack_set_id))
                return
            continue
        if not work.steps:
            work.done = True
            if work.on_success is not None:
                work.on_success()
            _event(account_id, region_name, work, f"{work.action}_COMPLETE", None)
            return
        step = work.steps.popleft()
        try:
            started = step.start()
        except CloudFormationStackSetError as error:
            _fail(account_id, region_name, work, handler_reason(error))
            return
        if started is not None:
            work.current = (step.call, step.stack_set, started, work.call_as)


def _as_cloudformation(error: Exception) -> CloudFormationStackSetError:
    if isinstance(error, CloudFormationStackSetError):
        return error
    assert isinstance(error, EngineError)
    return from_engine(error)


def _fail(account_id: str, region_name: str, work: ResourceWork, reason: str) -> None:
    work.failure = reason
    work.steps.clear()
    _event(account_id, region_name, work, f"{work.action}_FAILED", reason)


# -- the requests ---------------------------------------------------------------------------------------
def before_action(account_id: str, region_name: str, action: str | None) -> None:
    """Before a stack read: poll the runs of the account and region."""
    if action in READS:
        poll(account_id, region_name)


def after_action(account_id: str, region_name: str, action: str | None) -> None:
    """After a request: the works it started form their parents' runs."""
    runs = _existing_runs(account_id, region_name)
    if runs is None:
        return
    try:
        _claim_all(account_id, region_name, runs)
    finally:
        # what before_write remembered is needed while the request runs, and by the runs it started
        for stack_id in list(runs.stacks):
            if stack_id not in runs.runs:
                runs.stacks.pop(stack_id, None)
                runs.previous_templates.pop(stack_id, None)


def _claim_all(account_id: str, region_name: str, runs: TemplateRuns) -> None:
    for stack_id in dict.fromkeys(w.stack_id for w in runs.unclaimed):
        works = runs.claim(stack_id)
        stack = _stack(account_id, region_name, stack_id)
        if stack is None:
            continue
        made = moto_internals.parsed_resources(stack.resource_map)
        for work in works:
            if work.action == "DELETE" and work.resource is not None:
                # moto forgot the deleted resource: a later read of the stack would make it again
                made.setdefault(work.logical_id, work.resource)
        running = runs.runs.get(stack_id)
        if running is not None:  # a rollback's works (made while ending a run)
            running.works += works
            continue
        run = ParentRun(stack_id, _action_of(stack), works, runs.previous_templates.get(stack_id))
        if run.ended and not run.failed:
            continue  # moto's own status is right
        _take_back_completion(account_id, region_name, stack, run)
        runs.runs[stack_id] = run
        _settle(account_id, region_name, run, read=False)


def before_write(
    account_id: str, region_name: str, action: str | None, stack_name: str | None, change_set: str | None
) -> ValidationError | None:
    """Before a write: remember the stack it changes (moto takes a deleting stack out of its lists) and its
    template (a failed update's rollback restores it). An update of a stack whose stack-set resources are still
    at work is refused (the error to answer), in the words moto uses for a stack that cannot be updated."""
    if action not in WRITES:
        return None
    backend = _cf(account_id, region_name)
    stack = None
    if action == "ExecuteChangeSet" and change_set:
        found = backend.change_sets.get(change_set) or next(
            (c for c in backend.change_sets.values() if c.change_set_name == change_set), None
        )
        stack = None if found is None else backend.stacks.get(found.stack_id)
    elif stack_name:
        stack = backend.stacks.get(stack_name) or next(
            (s for s in backend.stacks.values() if s.name == stack_name), None
        )
    if stack is None:
        return None
    runs = _runs(account_id, region_name)
    if stack.stack_id in runs.runs and action in ("UpdateStack", "ExecuteChangeSet"):
        return ValidationError(f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
    if stack.stack_id not in runs.runs:
        runs.stacks[stack.stack_id] = stack
        runs.previous_templates[stack.stack_id] = stack.template
    return None


def poll(account_id: str, region_name: str) -> None:
    runs = _existing_runs(account_id, region_name)
    if runs is None:
        return
    for run in list(runs.runs.values()):
        _settle(account_id, region_name, run, read=True)


def _action_of(stack: Stack) -> StackAction:
    status = str(stack.status)
    for action in (StackAction.DELETE, StackAction.UPDATE):
        if status.startswith(action.value):
            return action
    return StackAction.CREATE


def _take_back_completion(account_id: str, region_name: str, stack: Stack, run: ParentRun) -> None:
    """moto marked the parent complete when its call returned: it is still in progress."""
    verb = run.action.value
    last = stack.events[-1] if stack.events else None
    if last is not None and last.resource_type == STACK_TYPE and last.resource_status == f"{verb}_COMPLETE":
        stack.events.pop()
    stack.status = f"{verb}_IN_PROGRESS"
    if run.action is StackAction.DELETE:
        backend = _cf(account_id, region_name)
        backend.deleted_stacks.pop(stack.stack_id, None)
        backend.stacks[stack.stack_id] = stack


def _settle(account_id: str, region_name: str, run: ParentRun, *, read: bool) -> None:
    for work in run.works:
        if not work.ended:
            advance(account_id, region_name, work, read=read)
    if run.ended:
        _end(account_id, region_name, run)


def _end(account_id: str, region_name: str, run: ParentRun) -> None:
    """Every work of the run ended: the parent's next status (or its rollback's works)."""
    stack = _stack(account_id, region_name, run.stack_id)
    runs = _runs(account_id, region_name)
    if stack is None:
        runs.runs.pop(run.stack_id, None)
        return
    failed = run.failed
    names = ", ".join(dict.fromkeys(w.logical_id for w in failed))
    if run.action is StackAction.CREATE:
        if not failed:
            runs.runs.pop(run.stack_id, None)
            stack.verify_readiness()
            return
        moto_internals.add_stack_event(
            stack,
            "ROLLBACK_IN_PROGRESS",
            f"The following resource(s) failed to create: [{names}]. Rollback requested by user.",
        )
        stack.status = "ROLLBACK_IN_PROGRESS"
        _rollback(account_id, region_name, run, StackAction.ROLLBACK, lambda: _delete_resources(stack))
        return
    if run.action is StackAction.ROLLBACK:
        runs.runs.pop(run.stack_id, None)
        moto_internals.add_stack_event(stack, "ROLLBACK_COMPLETE" if not failed else "ROLLBACK_FAILED")
        stack.status = "ROLLBACK_COMPLETE" if not failed else "ROLLBACK_FAILED"
        return
    if run.action is StackAction.UPDATE:
        if not failed:
            runs.runs.pop(run.stack_id, None)
            moto_internals.add_stack_event(stack, "UPDATE_COMPLETE")
            stack.status = "UPDATE_COMPLETE"
            return
        moto_internals.add_stack_event(
            stack, "UPDATE_ROLLBACK_IN_PROGRESS", f"The following resource(s) failed to update: [{names}]."
        )
        stack.status = "UPDATE_ROLLBACK_IN_PROGRESS"
        if isinstance(run.previous_template, str):
            stack.template = run.previous_template
            stack.template_dict = moto_internals.parse_template(run.previous_template)
            moto_internals.restore_template(stack.resource_map, stack.template_dict)

        def undo() -> None:
            for work in run.works:
                back = work.undo() if work.undo is not None else None
                if back is not None:
                    start(account_id, region_name, back)

        _rollback(account_id, region_name, run, StackAction.UPDATE_ROLLBACK, undo)
        return
    if run.action is StackAction.UPDATE_ROLLBACK:
        runs.runs.pop(run.stack_id, None)
        if failed:
            moto_internals.add_stack_event(stack, "UPDATE_ROLLBACK_FAILED")
            stack.status = "UPDATE_ROLLBACK_FAILED"
            return
        moto_internals.add_stack_event(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
        moto_internals.add_stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")
        stack.status = "UPDATE_ROLLBACK_COMPLETE"
        return
    # DELETE
    runs.runs.pop(run.stack_id, None)
    if failed:
        reason = f"The following resource(s) failed to delete: [{names}]. "
        moto_internals.add_stack_event(stack, "DELETE_FAILED", reason)
        stack.status = "DELETE_FAILED"
        return
    moto_internals.add_stack_event(stack, "DELETE_COMPLETE")
    stack.status = "DELETE_COMPLETE"
    backend = _cf(account_id, region_name)
    backend.stacks.pop(stack.stack_id, None)
    backend.deleted_stacks[stack.stack_id] = stack


def _delete_resources(stack: Stack) -> None:
    """Delete what a failed create made (moto's resource map). The deleted resources stay listed (as
    CloudFormation lists them after a rollback): moto would otherwise make them again on the next read."""
    made = moto_internals.parsed_resources(stack.resource_map)
    before = dict(made)
    stack.resource_map.delete()
    made.update(before)


def _rollback(account_id: str, region_name: str, run: ParentRun, action: StackAction, undo: Any) -> None:
    """Run ``undo`` (which starts the rollback's works), then drive them as the parent's next run."""
    runs = _runs(account_id, region_name)
    rollback = ParentRun(run.stack_id, action)
    runs.runs[run.stack_id] = rollback
    undo()
    rollback.works += runs.claim(run.stack_id)
    _settle(account_id, region_name, rollback, read=False)
