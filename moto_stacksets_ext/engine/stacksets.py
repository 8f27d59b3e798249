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
from collections.abc import Callable

from . import door
from .automatic import AutomaticDeployments
from .clock import Clock
from .errors import (
    InvalidOperation,
    InvalidRequest,
    OperationInProgress,
    StackSetNameExists,
    StackSetNotEmpty,
    StackSetNotFound,
)
from .execution import Executor
from .model import (
    DetailedStatus,
    ImportedStack,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    StackSet,
    StackSetStatus,
    Target,
)
from .pagination import SequencedList, TokenCodec
from .parameters import resolve_parameters
from .regions import check_targets
from .requests import (
    Changes,
    InstanceFilter,
    Naming,
    OperationRequest,
    ResolvedTargets,
    StackSetChanges,
    StackSetRef,
    StackSetSelector,
    StackSetSpec,
    TargetResolver,
    Targets,
    TransitionSource,
    label,
)
from .scheduler import Scheduler


class StackSetNamespace(AutomaticDeployments):
    """All stack sets of one (cloud, account, region): its state (here), its reads (``reads``), its rules
    (here, with what every operation-starting call shares in ``admission`` and the automatic deployments
    in ``automatic``).

    Every call takes the stack set it addresses as a name or id, or as a ``StackSetRef`` (the provider's
    addressing rules and the caller's own checks, applied within the call); calls that start operations
    take their targets as a list or as a ``TargetResolver``, so a front-end makes one engine call per
    request even when its rules depend on the stack set's state.
    """

    def __init__(
        self,
        identity: tuple[str, str, str],
        naming: Naming,
        executor: Executor,
        clock: Clock,
        transition: TransitionSource | None = None,
        max_in_flight: int | None = None,
        start_free_at_once: bool = False,
        refuse_existing_instances: bool = False,
    ) -> None:
        self.identity = identity
        #: The most operations one stack set may have running or queued (None: no limit).
        self.max_in_flight = max_in_flight
        #: With ManagedExecution, a new operation that conflicts with nothing running or queued starts within
        #: the call (RFS) instead of waiting QUEUED until something moves (AWS).
        self.start_free_at_once = start_free_at_once
        #: A create that names an instance the stack set already has is ``StackInstanceExists`` (ROS) rather
        #: than a redeployment of it (AWS).
        self.refuse_existing_instances = refuse_existing_instances
        self.naming = naming
        self.executor = executor
        self.clock = clock
        self.transition: TransitionSource = transition or (lambda: {"progression": "immediate"})
        self.scheduler = Scheduler(executor, clock, self._revive_instance, lambda i: self._operations_by_id.get(i))
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
    def delete_stack_set(self, name_or_id: StackSetSelector, *, missing_ok: bool = True) -> None:
        """Delete an empty, idle stack set; deleting one that does not exist succeeds silently (AWS) unless
        ``missing_ok`` is False (``StackSetNotFound``)."""
        try:
            stack_set = self._stack_set(name_or_id)
        except StackSetNotFound:
            if missing_ok:
                return
            raise
        if stack_set.in_flight:
            raise OperationInProgress(self._arn(stack_set))
        if stack_set.instances:
            raise StackSetNotEmpty(label(name_or_id))
        stack_set.status = StackSetStatus.DELETED
        del self._live_by_name[stack_set.stack_set_name]

    @door.entry
    def update_stack_set(
        self,
        name_or_id: StackSetSelector,
        changes: Changes,
        targets: Targets | None,
        request: OperationRequest,
    ) -> Operation:
        """Change a stack set and deploy it (to ``targets``, else to every instance that can take it).

        ``changes`` made from the stack set are made first, then ``targets`` resolved; an idempotency key
        replayed returns its operation before anything changes."""
        stack_set = self._mutable(name_or_id)
        changes = changes(stack_set) if callable(changes) else changes
        chosen: list[Target] | None = None
        if targets is not None:
            chosen, request = self._resolve(stack_set, targets, request)
        replayed = self._replay(stack_set, OperationAction.UPDATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen or []))
        self._progression(strict=True)  # an unreadable transition is refused before anything changes
        if chosen is None:
            keys = [i.key for i in stack_set.instance_order if i.status is not InstanceStatus.INOPERABLE]
        else:
            keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
            self._require_instances(stack_set, label(name_or_id), keys)
        if (
            changes.managed_execution is not None
            and changes.managed_execution != stack_set.managed_execution
            and stack_set.in_flight
        ):
            raise InvalidOperation("ManagedExecution cannot be changed while operations are running or queued")
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        template_changed = self._apply(stack_set, changes)
        if template_changed:
            targeted = set(keys)
            for instance in stack_set.instance_order:
                if instance.key not in targeted and instance.status is not InstanceStatus.INOPERABLE:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
        return self._start(stack_set, OperationAction.UPDATE, operation_id, request, keys)

    @door.entry
    def update_stack_set_properties(self, name_or_id: StackSetSelector, changes: Changes) -> StackSet:
        """Change a stack set without starting an operation (providers whose update deploys nothing)."""
        stack_set = self._mutable(name_or_id)
        changes = changes(stack_set) if callable(changes) else changes
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
    def detect_drift(self, name_or_id: StackSetSelector, request: OperationRequest) -> Operation:
        """Start a DETECT_DRIFT operation over every instance (one at a time per stack set)."""
        stack_set = self._mutable(name_or_id)
        replayed = self._replay(stack_set, OperationAction.DETECT_DRIFT, request)
        if replayed is not None:
            return replayed
        if any(op.action is OperationAction.DETECT_DRIFT for op in stack_set.in_flight.values()):
            raise OperationInProgress(self._arn(stack_set))
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        keys = [i.key for i in stack_set.instance_order]
        return self._start(stack_set, OperationAction.DETECT_DRIFT, operation_id, request, keys)

    # -- instances --------------------------------------------------------------------------------------
    @door.entry
    def create_instances(
        self,
        name_or_id: StackSetSelector,
        targets: Targets,
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self._mutable(name_or_id)
        chosen, request = self._resolve(stack_set, targets, request)
        replayed = self._replay(stack_set, OperationAction.CREATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        self._progression(strict=True)  # an unreadable transition is refused before anything changes
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
        self._refuse_existing(stack_set, keys)
        for target in chosen:
            if not stack_set.has_instance(target.account, target.region):
                self._add_instance(stack_set, target)
        return self._start(
            stack_set, OperationAction.CREATE, operation_id, request, keys, parameter_overrides=parameter_overrides
        )

    @door.entry
    def update_instances(
        self,
        name_or_id: StackSetSelector,
        targets: Targets,
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self._mutable(name_or_id)
        chosen, request = self._resolve(stack_set, targets, request)
        replayed = self._replay(stack_set, OperationAction.UPDATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
        self._require_instances(stack_set, label(name_or_id), keys)
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        return self._start(
            stack_set, OperationAction.UPDATE, operation_id, request, keys, parameter_overrides=parameter_overrides
        )

    @door.entry
    def delete_instances(
        self, name_or_id: StackSetSelector, targets: Targets, retain_stacks: bool, request: OperationRequest
    ) -> Operation:
        """Delete the instances of ``targets`` (targets without an instance are left out)."""
        stack_set = self._mutable(name_or_id)
        chosen, request = self._resolve(stack_set, targets, request)
        replayed = self._replay(stack_set, OperationAction.DELETE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen if stack_set.has_instance(t.account, t.region)))
        return self._start(stack_set, OperationAction.DELETE, operation_id, request, keys, retain_stacks=retain_stacks)

    # -- operations -------------------------------------------------------------------------------------
    @door.entry
    def stop_operation(self, name_or_id: StackSetSelector | None, operation_id: str) -> Operation:
        """Stop a running or queued operation (found by id alone without ``name_or_id``)."""
        stack_set, operation = self._find_operation(name_or_id, operation_id)
        if operation.status not in (OperationStatus.RUNNING, OperationStatus.QUEUED):
            raise InvalidOperation(f"Operation {operation_id} is {operation.status.value} and cannot be stopped")
        self.executor.stop(stack_set, operation)
        self.scheduler.dispatch(stack_set)
        return operation

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
    def step(self, name_or_id: StackSetSelector, operation_id: str, steps: int = 1) -> Operation:
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
    def import_stacks(
        self,
        name_or_id: StackSetSelector,
        stacks: list[ImportedStack] | Callable[[StackSet], list[ImportedStack]],
        request: OperationRequest,
    ) -> Operation:
        """Adopt existing stacks as the instances of their accounts and regions: a CREATE operation whose
        targets take the stacks over (the deployer checks each one). A target that cannot adopt its stack
        fails, leaving its instance INOPERABLE/FAILED_IMPORT; importing it again retries.

        A stack for an account and region that already has an instance (other than a failed import), or two
        stacks for one account and region, are refused before anything changes. ``stacks`` may be found for
        the stack set within the call (like a ``TargetResolver``).
        """
        stack_set = self._mutable(name_or_id)
        stacks = stacks(stack_set) if callable(stacks) else stacks
        check_targets(self.identity, (s.region for s in stacks))
        self._progression(strict=True)
        keys: list[tuple[str, str]] = []
        for stack in stacks:
            key = (stack.account, stack.region)
            existing = stack_set.instance(*key)
            if key in keys or (existing is not None and existing.detailed_status is not DetailedStatus.FAILED_IMPORT):
                raise InvalidRequest(
                    f"StackSet {label(name_or_id)} already has a stack instance in account {stack.account} and region "
                    f"{stack.region}: stack {stack.stack_id} cannot be imported there"
                )
            keys.append(key)
        operation_id = self._claim_operation_id(stack_set, request)
        self._admit(stack_set)
        for stack in stacks:
            key = (stack.account, stack.region)
            instance = stack_set.instance(*key)
            if instance is None:
                self._add_instance(stack_set, Target(stack.account, stack.region, stack.organizational_unit_id))
                instance = stack_set.instances[key]
            instance.stack_name = stack.stack_name
        return self._start(stack_set, OperationAction.CREATE, operation_id, request, keys, imported_stacks=list(stacks))


__all__ = [
    "InstanceFilter",
    "Naming",
    "OperationRequest",
    "ResolvedTargets",
    "StackSetChanges",
    "StackSetNamespace",
    "StackSetRef",
    "StackSetSpec",
    "TargetResolver",
]
