"""How a namespace admits and starts a new operation: the rules every operation-starting call shares.

``Admission`` is a collaborator of ``stacksets.StackSetNamespace``: it finds the stack set a call changes
(its ``StackSetRef`` checked), resolves the call's targets, answers a replayed idempotency key, claims the
operation's id, admits it (nothing in flight, or room under the cloud's limit: ``AdmissionPolicy``), adds
or revives instances and plans and starts the operation. It has no door of its own: the namespace's door
entries call it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from .clock import Clock
from .errors import (
    IdempotencyMismatch,
    InvalidProgression,
    OperationIdExists,
    OperationInProgress,
    StackInstanceExists,
    StackInstanceNotFound,
    StaleRequest,
    TooManyOperations,
)
from .execution import Executor
from .lifecycle import Mode, Pace, Progression
from .model import (
    ImportedStack,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    StackInstance,
    StackSet,
    Target,
    TargetResult,
)
from .requests import Naming, OperationRequest, StackSetSelector, Targets, TransitionSource
from .scheduler import Scheduler
from .store import StackSetStore

#: Operation ids derived from idempotency keys: uuid5 of "<stack set id>/<key>" in this namespace, so the
#: same key on the same stack set always names the same operation (saved state included).
IDEMPOTENCY_NAMESPACE = uuid.UUID("5f0c3a52-7d1e-4c7e-9a55-3b1f2d7e0a11")


def keyed_operation_id(stack_set_id: str, key: str) -> str:
    """The id of the operation an idempotency key starts on a stack set."""
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{stack_set_id}/{key}"))


def arn(stack_set: StackSet) -> str:
    """How errors name a stack set: its ARN, or its id where the cloud gives it none."""
    return stack_set.stack_set_arn or stack_set.stack_set_id


@dataclass(frozen=True)
class AdmissionPolicy:
    """A cloud's own admission rules (the namespace's, not a request's)."""

    #: The most operations one stack set may have running or queued (None: no limit).
    max_in_flight: int | None = None
    #: With ManagedExecution, a new operation that conflicts with nothing running or queued starts within
    #: the call (RFS) instead of waiting QUEUED until something moves (AWS).
    start_free_at_once: bool = False
    #: A create that names an instance the stack set already has is ``StackInstanceExists`` (ROS) rather
    #: than a redeployment of it (AWS).
    refuse_existing_instances: bool = False


class Admission:
    """The shared rules of operation-starting calls, over one namespace's store."""

    def __init__(
        self,
        store: StackSetStore,
        scheduler: Scheduler,
        executor: Executor,
        naming: Naming,
        clock: Clock,
        transition: TransitionSource,
        policy: AdmissionPolicy,
    ) -> None:
        self._store = store
        self._scheduler = scheduler
        self._executor = executor
        self._naming = naming
        self._clock = clock
        self._transition = transition
        self._policy = policy

    def mutable(self, selector: StackSetSelector) -> StackSet:
        """A live stack set about to change (the door caught it up with the clock; the ref's check passed)."""
        return self._store.stack_set(selector)

    def progression(self, *, strict: bool) -> Progression:
        """The progression in force. ``strict``: ``InvalidProgression`` if the transition cannot be read
        (calls check it before they change anything); automatic operations, which no caller could be told
        of, run immediately instead."""
        try:
            return Progression.from_transition(self._transition())
        except InvalidProgression:
            if strict:
                raise
            return Progression()

    @staticmethod
    def resolve(
        stack_set: StackSet, targets: Targets, request: OperationRequest
    ) -> tuple[list[Target], OperationRequest]:
        """A call's targets: as given, or as its resolver finds them for ``stack_set`` (the resolver's
        deployment targets are what the operation records)."""
        if isinstance(targets, list):
            return targets, request
        resolved = targets(stack_set)
        return resolved.targets, replace(request, deployment_targets=resolved.deployment_targets)

    @staticmethod
    def replay(stack_set: StackSet, action: OperationAction, request: OperationRequest) -> Operation | None:
        """The operation an idempotency key already started for this very call (None: none yet).

        ``IdempotencyMismatch`` when the key started a different call (another action)."""
        key = request.idempotency_key
        if key is None:
            return None
        existing = stack_set.operation(keyed_operation_id(stack_set.stack_set_id, key))
        if existing is None:
            return None
        if existing.action is not action or existing.provider_action != request.provider_action:
            raise IdempotencyMismatch(key)
        return existing

    def admit(self, stack_set: StackSet) -> None:
        """Without ManagedExecution, a new operation needs the stack set idle; with it, room under the cloud's
        limit of operations running or queued (``max_in_flight``)."""
        if stack_set.in_flight and not stack_set.managed_execution.active:
            raise OperationInProgress(arn(stack_set))
        if self._policy.max_in_flight is not None and len(stack_set.in_flight) >= self._policy.max_in_flight:
            raise TooManyOperations(arn(stack_set), self._policy.max_in_flight)

    @staticmethod
    def claim_operation_id(stack_set: StackSet, request: OperationRequest) -> str:
        """The new operation's id: derived from the idempotency key (``replay`` found no operation with it),
        the caller's id (unused on this stack set), or a new UUID."""
        if request.idempotency_key is not None:
            return keyed_operation_id(stack_set.stack_set_id, request.idempotency_key)
        operation_id = request.operation_id
        if operation_id is None:
            return str(uuid.uuid4())
        existing = stack_set.operation(operation_id)
        if existing is None:
            return operation_id
        if stack_set.operations.last() is not existing:
            raise StaleRequest(operation_id)
        raise OperationIdExists(operation_id)

    def refuse_existing(self, stack_set: StackSet, keys: list[tuple[str, str]]) -> None:
        """Namespaces with ``refuse_existing_instances``: a create may not name an instance the stack set has."""
        if not self._policy.refuse_existing_instances:
            return
        for account, region in keys:
            if stack_set.has_instance(account, region):
                raise StackInstanceExists(stack_set.stack_set_name, account, region)

    def add_instance(self, stack_set: StackSet, target: Target) -> None:
        """A new instance, OUTDATED/PENDING until an operation deploys it."""
        stack_set.add_instance(
            StackInstance(
                seq=self._store.next_seq(),
                stack_set_id=stack_set.stack_set_id,
                account=target.account,
                region=target.region,
                organizational_unit_id=target.organizational_unit_id,
                stack_name=self._naming.stack_name(stack_set),
            )
        )

    def revive_instance(self, stack_set: StackSet, result: TargetResult) -> None:
        """A CREATE operation that waited in the queue while another deleted its target's instance creates
        the instance again when it starts (its target must not be lost)."""
        if not stack_set.has_instance(result.account, result.region):
            self.add_instance(stack_set, Target(result.account, result.region, result.organizational_unit_id))

    @staticmethod
    def require_instances(stack_set: StackSet, name_or_id: str, keys: list[tuple[str, str]]) -> None:
        for account, region in keys:
            if not stack_set.has_instance(account, region):
                raise StackInstanceNotFound(name_or_id, account, region)

    def start(
        self,
        stack_set: StackSet,
        action: OperationAction,
        operation_id: str,
        request: OperationRequest,
        keys: list[tuple[str, str]],
        *,
        parameter_overrides: list[Parameter] | None = None,
        retain_stacks: bool | None = None,
        imported_stacks: list[ImportedStack] | None = None,
        queued: bool = False,
        after: list[str] | None = None,
    ) -> Operation:
        now = self._clock.now()
        operation = Operation(
            seq=self._store.next_seq(),
            operation_id=operation_id,
            stack_set_id=stack_set.stack_set_id,
            action=action,
            operation_preferences=request.preferences,
            creation_timestamp=now,
            status=OperationStatus.QUEUED,
            retain_stacks=retain_stacks if action is OperationAction.DELETE else None,
            administration_role_arn=stack_set.administration_role_arn,
            execution_role_name=stack_set.execution_role_name,
            deployment_targets=request.deployment_targets,
            parameter_overrides=parameter_overrides,
            imported_stacks=imported_stacks,
            provider_action=request.provider_action,
            description=request.description,
            pace=Pace(self.progression(strict=not queued), since=now),
            after_operations=list(after) if after else None,
        )
        self._executor.plan(
            operation,
            keys,
            lambda key: stack_set.instances[key].organizational_unit_id if key in stack_set.instances else "",
            stack_set,
        )
        # Anything running or queued: a new operation is QUEUED (ManagedExecution) and starts when its turn
        # comes, at a later step or read (``start_free_at_once``: at once when it conflicts with none of them).
        # ``queued`` operations (automatic deployments) always queue first, unless operations finish within the
        # call (immediate progression).
        immediate = operation.pace is None or operation.pace.progression.mode is Mode.IMMEDIATE
        queue_behind = bool(stack_set.in_flight) or (queued and not immediate)
        if queue_behind and self._policy.start_free_at_once and not queued and stack_set.managed_execution.active:
            queue_behind = any(self._scheduler.conflict(operation, other) for other in stack_set.in_flight.values())
        self._store.add_operation(stack_set, operation)
        blocked = self._scheduler.dependencies(operation)
        if isinstance(blocked, str):  # an operation it depends on did not succeed
            self._executor.abandon(stack_set, operation, blocked)
        elif not queue_behind and blocked:
            self._scheduler.begin(stack_set, operation)
        return operation
