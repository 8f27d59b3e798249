"""The engine's door to one namespace (cloud, account, region): stack sets, instances, operations.

``StackSetNamespace`` composes the namespace's parts (``store``, ``reads``, ``admission``, ``automatic``)
and holds every call that changes stack sets, instances and operations. Every public method enters
through the engine's door (``door.entry``); the parts have no door of their own and nothing outside the
engine reaches them.

Every mutating call checks everything first and changes nothing when it raises. Deploying targets is
delegated to the ``execution.Executor`` (and through it to the front-end's deployer); how far an
operation runs within the call is the lifecycle's decision (``progress``).
"""

from __future__ import annotations

from collections.abc import Callable

from . import door
from .admission import Admission, AdmissionPolicy, arn
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
    AutoDeploymentTarget,
    DetailedStatus,
    ImportedStack,
    InstanceStatus,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    ResourceDrift,
    StackInstance,
    StackSet,
    Target,
    TargetResult,
)
from .pagination import Page
from .parameters import resolve_parameters
from .reads import Reads
from .regions import check_targets
from .requests import (
    Changes,
    InstanceFilter,
    ListQuery,
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
from .store import StackSetStore


class StackSetNamespace:
    """All stack sets of one (cloud, account, region), and the one door to them: every public method is a
    door entry (``door.entry``).

    The namespace composes its parts, none of which is reachable around it: the state and its indexes
    (``store.StackSetStore``), the lookups and listings (``reads.Reads``), the rules every
    operation-starting call shares (``admission.Admission``, with the cloud's ``AdmissionPolicy``) and
    the automatic deployments (``automatic.AutomaticDeployments``); the calls that change stack sets,
    instances and operations are written here.

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
        """``max_in_flight``, ``start_free_at_once`` and ``refuse_existing_instances``: the cloud's
        ``AdmissionPolicy`` (see there)."""
        self.identity = identity
        self._naming = naming
        self._executor = executor
        self._clock = clock
        self._store = StackSetStore()
        self._scheduler = Scheduler(executor, clock, find=self._store.operation_by_id)
        self._reads = Reads(identity, self._store, self._scheduler)
        self._admission = Admission(
            self._store,
            self._scheduler,
            executor,
            naming,
            clock,
            transition or (lambda: {"progression": "immediate"}),
            AdmissionPolicy(max_in_flight, start_free_at_once, refuse_existing_instances),
        )
        self._scheduler.revive = self._admission.revive_instance  # a queued CREATE's lost instance
        self._automatic = AutomaticDeployments(self._store, self._admission)
        door.register(self)

    def catch_up(self) -> None:
        """Take every step the clock has made due (time progression), in every active stack set.

        Every public method runs it first (``door.entry``), under the engine lock.
        """
        with door.LOCK:
            for stack_set in self._store.active():
                self._scheduler.advance(stack_set)
                if not stack_set.in_flight:
                    self._store.deactivate(stack_set)

    # -- reads ------------------------------------------------------------------------------------------
    @door.entry
    def get_stack_set(self, name_or_id: StackSetSelector, *, include_deleted: bool = False) -> StackSet:
        """A live stack set by name or id; with ``include_deleted``, a deleted one by its id too."""
        return self._reads.get_stack_set(name_or_id, include_deleted=include_deleted)

    @door.entry
    def get_operation(self, name_or_id: StackSetSelector, operation_id: str) -> Operation:
        """An operation, read: a read advances operations with manual progression."""
        return self._reads.read_operation(operation_id, name_or_id)[1]

    @door.entry
    def read_operation(
        self, operation_id: str, name_or_id: StackSetSelector | None = None
    ) -> tuple[StackSet, Operation]:
        """An operation and its stack set, read (a read advances manual progressions).

        Without ``name_or_id`` the operation is found by its id alone (providers that address it so).
        """
        return self._reads.read_operation(operation_id, name_or_id)

    @door.entry
    def find_operation(self, operation_id: str) -> tuple[StackSet, Operation]:
        """An operation by id alone, across the namespace's stack sets, without counting as a read."""
        return self._reads.find_operation(operation_id)

    @door.entry
    def get_instance(self, name_or_id: StackSetSelector, account: str, region: str) -> StackInstance:
        return self._reads.read_instance(name_or_id, account, region)[1]

    @door.entry
    def read_instance(
        self, name_or_id: StackSetSelector, account: str, region: str, *, include_deleted: bool = True
    ) -> tuple[StackSet, StackInstance]:
        """A stack instance and its stack set (``include_deleted``: a deleted stack set's id finds it too)."""
        return self._reads.read_instance(name_or_id, account, region, include_deleted=include_deleted)

    @door.entry
    def page_stack_sets(self, listing: str, query: ListQuery[StackSet]) -> Page[StackSet]:
        """A page of the namespace's stack sets (deleted ones too, unless ``query`` filters them out)."""
        return self._reads.page_stack_sets(listing, query)

    @door.entry
    def page_instances(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[StackInstance]
    ) -> tuple[StackSet, Page[StackInstance]]:
        """A stack set and a page of its instances, in creation order."""
        return self._reads.page_instances(name_or_id, listing, query)

    @door.entry
    def page_operations(
        self, name_or_id: StackSetSelector, listing: str, query: ListQuery[Operation]
    ) -> tuple[StackSet, Page[Operation]]:
        """A stack set and a page of its operations; a read of each operation listed."""
        return self._reads.page_operations(name_or_id, listing, query)

    @door.entry
    def page_results(
        self,
        operation_id: str,
        listing: str,
        query: ListQuery[TargetResult],
        name_or_id: StackSetSelector | None = None,
    ) -> tuple[StackSet, Operation, Page[TargetResult]]:
        """An operation, its stack set and a page of its per-target results; a read of the operation.

        Without ``name_or_id`` the operation is found by its id alone.
        """
        return self._reads.page_results(operation_id, listing, query, name_or_id)

    @door.entry
    def page_resource_drifts(
        self,
        name_or_id: StackSetSelector,
        operation_id: str,
        account: str,
        region: str,
        query: ListQuery[ResourceDrift],
    ) -> Page[ResourceDrift]:
        """A page of what a drift operation found for each resource of one instance's stack."""
        return self._reads.page_resource_drifts(name_or_id, operation_id, account, region, query)

    @door.entry
    def page_auto_deployment_targets(
        self, name_or_id: StackSetSelector, query: ListQuery[AutoDeploymentTarget]
    ) -> Page[AutoDeploymentTarget]:
        """A page of the OUs a stack set deploys to, each with its regions (in the order they first appeared)."""
        return self._reads.page_auto_deployment_targets(name_or_id, query)

    @door.entry
    def all_stack_sets(self) -> list[StackSet]:
        """Every stack set of the namespace, deleted ones too, in creation order (views and persistence)."""
        return self._reads.all_stack_sets()

    # -- stack sets -------------------------------------------------------------------------------------
    @door.entry
    def create_stack_set(self, spec: StackSetSpec) -> StackSet:
        if self._store.has_live_name(spec.stack_set_name):
            raise StackSetNameExists(spec.stack_set_name)
        stack_set_id = self._naming.stack_set_id(spec.stack_set_name)
        stack_set = StackSet(
            seq=self._store.next_seq(),
            stack_set_name=spec.stack_set_name,
            stack_set_id=stack_set_id,
            stack_set_arn=self._naming.stack_set_arn(stack_set_id),
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
            created_at=self._clock.now(),
            provider_properties=spec.provider_properties,
        )
        stack_set.updated_at = stack_set.created_at
        self._store.add(stack_set)
        return stack_set

    @door.entry
    def delete_stack_set(self, name_or_id: StackSetSelector, *, missing_ok: bool = True) -> None:
        """Delete an empty, idle stack set; deleting one that does not exist succeeds silently (AWS) unless
        ``missing_ok`` is False (``StackSetNotFound``)."""
        try:
            stack_set = self._store.stack_set(name_or_id)
        except StackSetNotFound:
            if missing_ok:
                return
            raise
        if stack_set.in_flight:
            raise OperationInProgress(arn(stack_set))
        if stack_set.instances:
            raise StackSetNotEmpty(label(name_or_id))
        self._store.mark_deleted(stack_set)

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
        stack_set = self._admission.mutable(name_or_id)
        changes = changes(stack_set) if callable(changes) else changes
        chosen: list[Target] | None = None
        if targets is not None:
            chosen, request = self._admission.resolve(stack_set, targets, request)
        replayed = self._admission.replay(stack_set, OperationAction.UPDATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen or []))
        self._admission.progression(strict=True)  # an unreadable transition is refused before anything changes
        if chosen is None:
            keys = [i.key for i in stack_set.instance_order if i.status is not InstanceStatus.INOPERABLE]
        else:
            keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
            self._admission.require_instances(stack_set, label(name_or_id), keys)
        if (
            changes.managed_execution is not None
            and changes.managed_execution != stack_set.managed_execution
            and stack_set.in_flight
        ):
            raise InvalidOperation("ManagedExecution cannot be changed while operations are running or queued")
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        template_changed = self._apply(stack_set, changes)
        if template_changed:
            targeted = set(keys)
            for instance in stack_set.instance_order:
                if instance.key not in targeted and instance.status is not InstanceStatus.INOPERABLE:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
        return self._admission.start(stack_set, OperationAction.UPDATE, operation_id, request, keys)

    @door.entry
    def update_stack_set_properties(self, name_or_id: StackSetSelector, changes: Changes) -> StackSet:
        """Change a stack set without starting an operation (providers whose update deploys nothing)."""
        stack_set = self._admission.mutable(name_or_id)
        changes = changes(stack_set) if callable(changes) else changes
        if stack_set.in_flight:
            raise OperationInProgress(arn(stack_set))
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
        stack_set.updated_at = self._clock.now()
        return template_changed

    @door.entry
    def detect_drift(self, name_or_id: StackSetSelector, request: OperationRequest) -> Operation:
        """Start a DETECT_DRIFT operation over every instance (one at a time per stack set)."""
        stack_set = self._admission.mutable(name_or_id)
        replayed = self._admission.replay(stack_set, OperationAction.DETECT_DRIFT, request)
        if replayed is not None:
            return replayed
        if any(op.action is OperationAction.DETECT_DRIFT for op in stack_set.in_flight.values()):
            raise OperationInProgress(arn(stack_set))
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        keys = [i.key for i in stack_set.instance_order]
        return self._admission.start(stack_set, OperationAction.DETECT_DRIFT, operation_id, request, keys)

    # -- instances --------------------------------------------------------------------------------------
    @door.entry
    def create_instances(
        self,
        name_or_id: StackSetSelector,
        targets: Targets,
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self._admission.mutable(name_or_id)
        chosen, request = self._admission.resolve(stack_set, targets, request)
        replayed = self._admission.replay(stack_set, OperationAction.CREATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        self._admission.progression(strict=True)  # an unreadable transition is refused before anything changes
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
        self._admission.refuse_existing(stack_set, keys)
        for target in chosen:
            if not stack_set.has_instance(target.account, target.region):
                self._admission.add_instance(stack_set, target)
        return self._admission.start(
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
        stack_set = self._admission.mutable(name_or_id)
        chosen, request = self._admission.resolve(stack_set, targets, request)
        replayed = self._admission.replay(stack_set, OperationAction.UPDATE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen))
        self._admission.require_instances(stack_set, label(name_or_id), keys)
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        return self._admission.start(
            stack_set, OperationAction.UPDATE, operation_id, request, keys, parameter_overrides=parameter_overrides
        )

    @door.entry
    def delete_instances(
        self, name_or_id: StackSetSelector, targets: Targets, retain_stacks: bool, request: OperationRequest
    ) -> Operation:
        """Delete the instances of ``targets`` (targets without an instance are left out)."""
        stack_set = self._admission.mutable(name_or_id)
        chosen, request = self._admission.resolve(stack_set, targets, request)
        replayed = self._admission.replay(stack_set, OperationAction.DELETE, request)
        if replayed is not None:
            return replayed
        check_targets(self.identity, (t.region for t in chosen))
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        keys = list(dict.fromkeys((t.account, t.region) for t in chosen if stack_set.has_instance(t.account, t.region)))
        return self._admission.start(
            stack_set, OperationAction.DELETE, operation_id, request, keys, retain_stacks=retain_stacks
        )

    # -- operations -------------------------------------------------------------------------------------
    @door.entry
    def stop_operation(self, name_or_id: StackSetSelector | None, operation_id: str) -> Operation:
        """Stop a running or queued operation (found by id alone without ``name_or_id``)."""
        stack_set, operation = self._store.operation(name_or_id, operation_id)
        if operation.status not in (OperationStatus.RUNNING, OperationStatus.QUEUED):
            raise InvalidOperation(f"Operation {operation_id} is {operation.status.value} and cannot be stopped")
        self._executor.stop(stack_set, operation)
        self._scheduler.dispatch(stack_set)
        return operation

    # -- persistence ------------------------------------------------------------------------------------
    @door.entry
    def settle(self) -> None:
        """Run every running or queued operation to its end (before saving state)."""
        for stack_set in self._store.active():
            self._scheduler.settle(stack_set)
        self._store.deactivate_all()

    @door.entry
    def restore(self, stack_sets: list[StackSet]) -> None:
        """Take over stack sets saved earlier (ended operations only), rebuilding every index."""
        self._store.restore(stack_sets)

    # -- progress ---------------------------------------------------------------------------------------
    @door.entry
    def step(self, name_or_id: StackSetSelector, operation_id: str, steps: int = 1) -> Operation:
        """Advance one operation by ``steps`` steps, whatever its progression (test control)."""
        stack_set, operation = self._store.operation(name_or_id, operation_id)
        for _ in range(steps):
            if operation.execution is None:
                break
            self._executor.step(stack_set, operation)
        self._scheduler.dispatch(stack_set)
        return operation

    # -- automatic deployments --------------------------------------------------------------------------
    @door.entry
    def auto_deploy(self, stack_set_id: str, targets: list[Target], after: list[str] | None = None) -> Operation | None:
        """Deploy a stack set to accounts that joined its target OUs (QUEUED first; preferences don't apply).
        ``after``: operations of the namespace that must succeed first (the operation fails if one does not)."""
        return self._automatic.deploy(stack_set_id, targets, after)

    @door.entry
    def auto_remove(self, stack_set_id: str, account: str, retain_stacks: bool) -> Operation | None:
        """Remove a stack set's instances from an account that left its target OUs."""
        return self._automatic.remove(stack_set_id, account, retain_stacks)

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
        stack_set = self._admission.mutable(name_or_id)
        stacks = stacks(stack_set) if callable(stacks) else stacks
        check_targets(self.identity, (s.region for s in stacks))
        self._admission.progression(strict=True)
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
        operation_id = self._admission.claim_operation_id(stack_set, request)
        self._admission.admit(stack_set)
        for stack in stacks:
            key = (stack.account, stack.region)
            instance = stack_set.instance(*key)
            if instance is None:
                self._admission.add_instance(
                    stack_set, Target(stack.account, stack.region, stack.organizational_unit_id)
                )
                instance = stack_set.instances[key]
            instance.stack_name = stack.stack_name
        return self._admission.start(
            stack_set, OperationAction.CREATE, operation_id, request, keys, imported_stacks=list(stacks)
        )


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
