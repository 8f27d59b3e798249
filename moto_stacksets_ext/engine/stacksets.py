"""The engine's rules for one namespace (cloud, account, region): stack sets, instances, operations.

This module holds the namespace's state and every call that changes it; its reads (lookups and listings)
are in ``reads``. Every public method enters through the engine's door (``door.entry``).

Every mutating call checks everything first and changes nothing when it raises. Deploying targets is
delegated to the ``execution.Executor`` (and through it to the front-end's deployer); how far an
operation runs within the call is the lifecycle's decision (``progress``).
"""

from __future__ import annotations

import itertools
import os
import uuid

from . import door
from .clock import Clock
from .errors import (
    InvalidOperation,
    InvalidProgression,
    InvalidRequest,
    OperationIdExists,
    OperationInProgress,
    StackInstanceNotFound,
    StackSetNameExists,
    StackSetNotEmpty,
    StackSetNotFound,
    StaleRequest,
    TooManyOperations,
)
from .execution import Executor
from .lifecycle import Mode, Pace, Progression
from .model import (
    DeploymentTargets,
    DetailedStatus,
    ImportedStack,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    StackInstance,
    StackSet,
    StackSetStatus,
    Target,
    TargetResult,
)
from .pagination import SequencedList, TokenCodec
from .parameters import resolve_parameters
from .reads import NamespaceReads
from .regions import check_targets
from .requests import (
    InstanceFilter,
    Naming,
    OperationRequest,
    StackSetChanges,
    StackSetSpec,
    TransitionSource,
)
from .scheduler import Scheduler


class StackSetNamespace(NamespaceReads):
    """All stack sets of one (cloud, account, region): its state (here), its reads (``reads``), its rules."""

    def __init__(
        self,
        identity: tuple[str, str, str],
        naming: Naming,
        executor: Executor,
        clock: Clock,
        transition: TransitionSource | None = None,
        max_in_flight: int | None = None,
        start_free_at_once: bool = False,
    ) -> None:
        self.identity = identity
        #: The most operations one stack set may have running or queued (None: no limit).
        self.max_in_flight = max_in_flight
        #: With ManagedExecution, a new operation that conflicts with nothing running or queued starts within
        #: the call (RFS) instead of waiting QUEUED until something moves (AWS).
        self.start_free_at_once = start_free_at_once
        self.naming = naming
        self.executor = executor
        self.clock = clock
        self.transition: TransitionSource = transition or (lambda: {"progression": "immediate"})
        self.scheduler = Scheduler(executor, clock, self._revive_instance)
        # The indexes are the engine's own: front-ends read through the public methods (the door).
        self._stack_sets: dict[str, StackSet] = {}
        self._order: SequencedList[StackSet] = SequencedList()
        self._live_by_name: dict[str, StackSet] = {}
        #: Every operation of the namespace by id (ids are unique per namespace when generated; a caller's
        #: id reused on another stack set shadows the older entry here, not in its stack set).
        self._operations_by_id: dict[str, Operation] = {}
        #: Stack sets with operations running or queued: the ones ``catch_up`` looks at.
        self._active: dict[str, StackSet] = {}
        self._seq = itertools.count(1)
        # Tokens of an earlier life of this namespace (before a reset) are foreign to this one.
        self._nonce = os.urandom(8).hex()
        self._tokens = TokenCodec()
        door.register(self)

    # -- stack sets -------------------------------------------------------------------------------------
    @door.entry
    def create_stack_set(self, spec: StackSetSpec) -> StackSet:
        if spec.stack_set_name in self._live_by_name:
            raise StackSetNameExists(spec.stack_set_name)
        stack_set_id = self.naming.stack_set_id(spec.stack_set_name)
        stack_set = StackSet(
            seq=next(self._seq),
            stack_set_name=spec.stack_set_name,
            stack_set_id=stack_set_id,
            stack_set_arn=self.naming.stack_set_arn(stack_set_id),
            template_body=spec.template_body,
            template_url=spec.template_url,
            permission_model=spec.permission_model,
            description=spec.description,
            parameters=list(spec.parameters),
            capabilities=list(spec.capabilities),
            tags=list(spec.tags),
            administration_role_arn=spec.administration_role_arn,
            execution_role_name=spec.execution_role_name,
            auto_deployment=spec.auto_deployment,
            managed_execution=spec.managed_execution,
            created_at=self.clock.now(),
            provider_properties=spec.provider_properties,
        )
        stack_set.updated_at = stack_set.created_at
        self._stack_sets[stack_set_id] = stack_set
        self._order.append(stack_set)
        self._live_by_name[stack_set.stack_set_name] = stack_set
        return stack_set

    @door.entry
    def delete_stack_set(self, name_or_id: str) -> None:
        """Delete an empty, idle stack set; deleting one that does not exist succeeds silently."""
        try:
            stack_set = self._stack_set(name_or_id)
        except StackSetNotFound:
            return
        if stack_set.in_flight:
            raise OperationInProgress(self._arn(stack_set))
        if stack_set.instances:
            raise StackSetNotEmpty(name_or_id)
        stack_set.status = StackSetStatus.DELETED
        del self._live_by_name[stack_set.stack_set_name]

    @door.entry
    def update_stack_set(
        self,
        name_or_id: str,
        changes: StackSetChanges,
        targets: list[Target] | None,
        request: OperationRequest,
    ) -> Operation:
        check_targets(self.identity, (t.region for t in targets or []))
        self._progression(strict=True)  # an unreadable transition is refused before anything changes
        stack_set = self._mutable(name_or_id)
        if targets is None:
            keys = [i.key for i in stack_set.instance_order if i.status is not InstanceStatus.INOPERABLE]
        else:
            keys = list(dict.fromkeys((t.account, t.region) for t in targets))
            self._require_instances(stack_set, name_or_id, keys)
        if (
            changes.managed_execution is not None
            and changes.managed_execution != stack_set.managed_execution
            and stack_set.in_flight
        ):
            raise InvalidOperation("ManagedExecution cannot be changed while operations are running or queued")
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        template_changed = self._apply(stack_set, changes)
        if template_changed:
            targeted = set(keys)
            for instance in stack_set.instance_order:
                if instance.key not in targeted and instance.status is not InstanceStatus.INOPERABLE:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
        return self._start(stack_set, OperationAction.UPDATE, operation_id, request, keys)

    @door.entry
    def update_stack_set_properties(self, name_or_id: str, changes: StackSetChanges) -> StackSet:
        """Change a stack set without starting an operation (providers whose update deploys nothing)."""
        stack_set = self._mutable(name_or_id)
        if stack_set.in_flight:
            raise OperationInProgress(self._arn(stack_set))
        self._apply(stack_set, changes)
        return stack_set

    def _apply(self, stack_set: StackSet, changes: StackSetChanges) -> bool:
        """Write ``changes`` onto the stack set; whether its template or parameters changed."""
        if changes.parameters is not None:
            changes.parameters = resolve_parameters(stack_set.parameters, changes.parameters)
        template_changed = (
            (changes.template_body is not None and changes.template_body != stack_set.template_body)
            or (changes.template_url is not None and changes.template_url != stack_set.template_url)
            or (changes.parameters is not None and changes.parameters != stack_set.parameters)
        )
        for name in StackSetChanges.FIELDS:
            value = getattr(changes, name)
            if value is not None:
                setattr(stack_set, name, value)
        if changes.template_body is not None:
            stack_set.template_url = changes.template_url
        stack_set.updated_at = self.clock.now()
        return template_changed

    @door.entry
    def detect_drift(self, name_or_id: str, request: OperationRequest) -> Operation:
        """Start a DETECT_DRIFT operation over every instance (one at a time per stack set)."""
        stack_set = self._mutable(name_or_id)
        if any(op.action is OperationAction.DETECT_DRIFT for op in stack_set.in_flight.values()):
            raise OperationInProgress(self._arn(stack_set))
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        keys = [i.key for i in stack_set.instance_order]
        return self._start(stack_set, OperationAction.DETECT_DRIFT, operation_id, request, keys)

    # -- instances --------------------------------------------------------------------------------------
    @door.entry
    def create_instances(
        self,
        name_or_id: str,
        targets: list[Target],
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        check_targets(self.identity, (t.region for t in targets))
        self._progression(strict=True)  # an unreadable transition is refused before anything changes
        stack_set = self._mutable(name_or_id)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        keys: list[tuple[str, str]] = []
        for target in targets:
            key = (target.account, target.region)
            if key in keys:
                continue
            keys.append(key)
            if key not in stack_set.instances:
                self._add_instance(stack_set, target)
        return self._start(
            stack_set, OperationAction.CREATE, operation_id, request, keys, parameter_overrides=parameter_overrides
        )

    @door.entry
    def update_instances(
        self,
        name_or_id: str,
        targets: list[Target],
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        check_targets(self.identity, (t.region for t in targets))
        stack_set = self._mutable(name_or_id)
        keys = list(dict.fromkeys((t.account, t.region) for t in targets))
        self._require_instances(stack_set, name_or_id, keys)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        return self._start(
            stack_set, OperationAction.UPDATE, operation_id, request, keys, parameter_overrides=parameter_overrides
        )

    @door.entry
    def delete_instances(
        self, name_or_id: str, targets: list[Target], retain_stacks: bool, request: OperationRequest
    ) -> Operation:
        check_targets(self.identity, (t.region for t in targets))
        stack_set = self._mutable(name_or_id)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        keys = list(
            dict.fromkeys((t.account, t.region) for t in targets if (t.account, t.region) in stack_set.instances)
        )
        return self._start(stack_set, OperationAction.DELETE, operation_id, request, keys, retain_stacks=retain_stacks)

    # -- operations -------------------------------------------------------------------------------------
    @door.entry
    def stop_operation(self, name_or_id: str | None, operation_id: str) -> Operation:
        """Stop a running or queued operation (found by id alone without ``name_or_id``)."""
        stack_set, operation = self._find_operation(name_or_id, operation_id)
        if operation.status not in (OperationStatus.RUNNING, OperationStatus.QUEUED):
            raise InvalidOperation(f"Operation {operation_id} is {operation.status.value} and cannot be stopped")
        self.executor.stop(stack_set, operation)
        self.scheduler.dispatch(stack_set)
        return operation

    # -- automatic deployments --------------------------------------------------------------------------
    @door.entry
    def auto_deploy(self, stack_set_id: str, targets: list[Target]) -> Operation | None:
        """Deploy a stack set to accounts that joined its target OUs (QUEUED first; preferences don't apply)."""
        stack_set = self._stack_sets.get(stack_set_id)
        if stack_set is None or stack_set.status is StackSetStatus.DELETED:
            return None
        fresh = [t for t in targets if (t.account, t.region) not in stack_set.instances]
        if not fresh:
            return None
        for target in fresh:
            self._add_instance(stack_set, target)
        units = sorted({t.organizational_unit_id for t in fresh if t.organizational_unit_id})
        request = OperationRequest(deployment_targets=DeploymentTargets(organizational_unit_ids=units))
        keys = [(t.account, t.region) for t in fresh]
        return self._start(stack_set, OperationAction.CREATE, str(uuid.uuid4()), request, keys, queued=True)

    @door.entry
    def auto_remove(self, stack_set_id: str, account: str, retain_stacks: bool) -> Operation | None:
        """Remove a stack set's instances from an account that left its target OUs."""
        stack_set = self._stack_sets.get(stack_set_id)
        if stack_set is None or stack_set.status is StackSetStatus.DELETED:
            return None
        keys = [i.key for i in stack_set.instance_order if i.account == account]
        if not keys:
            return None
        return self._start(
            stack_set,
            OperationAction.DELETE,
            str(uuid.uuid4()),
            OperationRequest(),
            keys,
            retain_stacks=retain_stacks,
            queued=True,
        )

    # -- persistence ------------------------------------------------------------------------------------
    @door.entry
    def settle(self) -> None:
        """Run every running or queued operation to its end (before saving state)."""
        for stack_set in list(self._active.values()):
            self.scheduler.settle(stack_set)
        self._active.clear()

    @door.entry
    def restore(self, stack_sets: list[StackSet]) -> None:
        """Take over stack sets saved earlier (ended operations only), rebuilding every index."""
        highest = 0
        for stack_set in stack_sets:
            self._stack_sets[stack_set.stack_set_id] = stack_set
            self._order.append(stack_set)
            if stack_set.status is StackSetStatus.ACTIVE:
                self._live_by_name[stack_set.stack_set_name] = stack_set
            for operation in stack_set.operations:
                self._operations_by_id[operation.operation_id] = operation
            highest = max(
                [highest, stack_set.seq]
                + [i.seq for i in stack_set.instance_order]
                + [o.seq for o in stack_set.operations]
            )
        self._seq = itertools.count(highest + 1)

    # -- progress ---------------------------------------------------------------------------------------
    @door.entry
    def step(self, name_or_id: str, operation_id: str, steps: int = 1) -> Operation:
        """Advance one operation by ``steps`` steps, whatever its progression (test control)."""
        stack_set, operation = self._find_operation(name_or_id, operation_id)
        for _ in range(steps):
            if operation.execution is None:
                break
            self.executor.step(stack_set, operation)
        self.scheduler.dispatch(stack_set)
        return operation

    # -- the rest of the stack-set API: import, per-resource drift, auto-deployment targets ---------------
    @door.entry
    def import_stacks(self, name_or_id: str, stacks: list[ImportedStack], request: OperationRequest) -> Operation:
        """Adopt existing stacks as the instances of their accounts and regions: a CREATE operation whose
        targets take the stacks over (the deployer checks each one). A target that cannot adopt its stack
        fails, leaving its instance INOPERABLE/FAILED_IMPORT; importing it again retries.

        A stack for an account and region that already has an instance (other than a failed import), or two
        stacks for one account and region, are refused before anything changes.
        """
        check_targets(self.identity, (s.region for s in stacks))
        self._progression(strict=True)
        stack_set = self._mutable(name_or_id)
        keys: list[tuple[str, str]] = []
        for stack in stacks:
            key = (stack.account, stack.region)
            existing = stack_set.instances.get(key)
            if key in keys or (existing is not None and existing.detailed_status is not DetailedStatus.FAILED_IMPORT):
                raise InvalidRequest(
                    f"StackSet {name_or_id} already has a stack instance in account {stack.account} and region "
                    f"{stack.region}: stack {stack.stack_id} cannot be imported there"
                )
            keys.append(key)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        self._admit(stack_set)
        for stack in stacks:
            key = (stack.account, stack.region)
            if key not in stack_set.instances:
                self._add_instance(stack_set, Target(stack.account, stack.region, stack.organizational_unit_id))
            stack_set.instances[key].stack_name = stack.stack_name
        return self._start(stack_set, OperationAction.CREATE, operation_id, request, keys, imported_stacks=list(stacks))

    # -- internals --------------------------------------------------------------------------------------
    @staticmethod
    def _arn(stack_set: StackSet) -> str:
        return stack_set.stack_set_arn or stack_set.stack_set_id

    def _mutable(self, name_or_id: str) -> StackSet:
        """A live stack set about to take a new operation (the door caught it up with the clock)."""
        return self._stack_set(name_or_id)

    def _progression(self, *, strict: bool) -> Progression:
        """The progression in force. ``strict``: ``InvalidProgression`` if the transition cannot be read
        (calls check it before they change anything); automatic operations, which no caller could be told
        of, run immediately instead."""
        try:
            return Progression.from_transition(self.transition())
        except InvalidProgression:
            if strict:
                raise
            return Progression()

    def _admit(self, stack_set: StackSet) -> None:
        """Without ManagedExecution, a new operation needs the stack set idle; with it, room under the cloud's
        limit of operations running or queued (``max_in_flight``)."""
        if stack_set.in_flight and not stack_set.managed_execution.active:
            raise OperationInProgress(self._arn(stack_set))
        if self.max_in_flight is not None and len(stack_set.in_flight) >= self.max_in_flight:
            raise TooManyOperations(self._arn(stack_set), self.max_in_flight)

    def _claim_operation_id(self, stack_set: StackSet, operation_id: str | None) -> str:
        if operation_id is None:
            return str(uuid.uuid4())
        existing = stack_set.operations_by_id.get(operation_id)
        if existing is None:
            return operation_id
        if stack_set.operations.last() is not existing:
            raise StaleRequest(operation_id)
        raise OperationIdExists(operation_id)

    def _add_instance(self, stack_set: StackSet, target: Target) -> None:
        """A new instance, OUTDATED/PENDING until an operation deploys it."""
        stack_set.add_instance(
            StackInstance(
                seq=next(self._seq),
                stack_set_id=stack_set.stack_set_id,
                account=target.account,
                region=target.region,
                organizational_unit_id=target.organizational_unit_id,
                stack_name=self.naming.stack_name(stack_set),
            )
        )

    def _revive_instance(self, stack_set: StackSet, result: TargetResult) -> None:
        """A CREATE operation that waited in the queue while another deleted its target's instance creates
        the instance again when it starts (its target must not be lost)."""
        if (result.account, result.region) not in stack_set.instances:
            self._add_instance(stack_set, Target(result.account, result.region, result.organizational_unit_id))

    @staticmethod
    def _require_instances(stack_set: StackSet, name_or_id: str, keys: list[tuple[str, str]]) -> None:
        for account, region in keys:
            if (account, region) not in stack_set.instances:
                raise StackInstanceNotFound(name_or_id, account, region)

    def _start(
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
    ) -> Operation:
        now = self.clock.now()
        operation = Operation(
            seq=next(self._seq),
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
            pace=Pace(self._progression(strict=not queued), since=now),
        )
        self.executor.plan(
            operation,
            keys,
            lambda key: stack_set.instances[key].organizational_unit_id if key in stack_set.instances else "",
        )
        # Anything running or queued: a new operation is QUEUED (ManagedExecution) and starts when its turn
        # comes, at a later step or read (``start_free_at_once``: at once when it conflicts with none of them).
        # ``queued`` operations (automatic deployments) always queue first, unless operations finish within the
        # call (immediate progression).
        immediate = operation.pace is None or operation.pace.progression.mode is Mode.IMMEDIATE
        queue_behind = bool(stack_set.in_flight) or (queued and not immediate)
        if queue_behind and self.start_free_at_once and not queued and stack_set.managed_execution.active:
            queue_behind = any(self.scheduler.conflict(operation, other) for other in stack_set.in_flight.values())
        stack_set.add_operation(operation)
        self._operations_by_id[operation.operation_id] = operation
        self._active[stack_set.stack_set_id] = stack_set
        if not queue_behind:
            self.scheduler.begin(stack_set, operation)
        return operation


__all__ = [
    "InstanceFilter",
    "Naming",
    "OperationRequest",
    "StackSetChanges",
    "StackSetNamespace",
    "StackSetSpec",
]
