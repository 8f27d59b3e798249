"""The engine's rules for one namespace (cloud, account, region): stack sets, instances, operations.

Every mutating call checks everything first and changes nothing when it raises. Deploying targets is
delegated to the :class:`~.execution.Executor` (and through it to the front-end's deployer); how far an
operation runs within the call is the lifecycle's decision (``progress``).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .clock import Clock
from .errors import (
    InvalidOperation,
    OperationIdExists,
    OperationInProgress,
    OperationNotFound,
    StackInstanceNotFound,
    StackSetNameExists,
    StackSetNotEmpty,
    StackSetNotFound,
    StaleRequest,
)
from .execution import DeployKind, Executor
from .model import (
    AutoDeployment,
    DeploymentTargets,
    DetailedStatus,
    DriftStatus,
    InstanceStatus,
    ManagedExecution,
    Operation,
    OperationAction,
    OperationStatus,
    Parameter,
    PermissionModel,
    Preferences,
    StackInstance,
    StackSet,
    StackSetStatus,
    Tag,
    Target,
    TargetResult,
    TargetStatus,
)
from .pagination import Page, SequencedList, TokenCodec, paginate


class Naming(Protocol):
    """How a provider names things the engine creates."""

    def stack_set_id(self, name: str) -> str: ...

    def stack_set_arn(self, stack_set_id: str) -> str | None: ...

    def stack_name(self, stack_set: StackSet) -> str: ...


@dataclass
class StackSetSpec:
    stack_set_name: str
    permission_model: PermissionModel = PermissionModel.SELF_MANAGED
    description: str | None = None
    template_body: str | None = None
    template_url: str | None = None
    parameters: list[Parameter] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    auto_deployment: AutoDeployment | None = None
    managed_execution: ManagedExecution = field(default_factory=ManagedExecution)


@dataclass
class StackSetChanges:
    """What an update changes; ``None`` keeps the current value."""

    description: str | None = None
    template_body: str | None = None
    template_url: str | None = None
    parameters: list[Parameter] | None = None
    capabilities: list[str] | None = None
    tags: list[Tag] | None = None
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    auto_deployment: AutoDeployment | None = None
    managed_execution: ManagedExecution | None = None


@dataclass(frozen=True)
class OperationRequest:
    """What every operation-starting call shares.

    ``provider_action`` is the front-end's own name for the call (e.g. Huawei's DEPLOY_STACK_SET), kept
    on the operation so the front-end can render it; ``description`` is a caller's free text about it.
    """

    operation_id: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    deployment_targets: DeploymentTargets | None = None
    provider_action: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class InstanceFilter:
    detailed_status: str | None = None
    last_operation_id: str | None = None
    drift_status: str | None = None
    account: str | None = None
    region: str | None = None

    def matches(self, instance: StackInstance) -> bool:
        return (
            (self.detailed_status is None or instance.detailed_status.value == self.detailed_status)
            and (self.last_operation_id is None or instance.last_operation_id == self.last_operation_id)
            and (self.drift_status is None or instance.drift_status.value == self.drift_status)
            and (self.account is None or instance.account == self.account)
            and (self.region is None or instance.region == self.region)
        )


#: Decides how far a new operation runs inside the call that started it (the lifecycle's seam).
Progress = Callable[[StackSet, Operation], None]


class StackSetNamespace:
    """All stack sets of one (cloud, account, region)."""

    def __init__(
        self,
        identity: tuple[str, str, str],
        naming: Naming,
        executor: Executor,
        clock: Clock,
        progress: Progress | None = None,
    ) -> None:
        self.identity = identity
        self.naming = naming
        self.executor = executor
        self.clock = clock
        self.progress: Progress = progress or executor.run
        self.stack_sets: dict[str, StackSet] = {}
        self.order: SequencedList[StackSet] = SequencedList()
        self.live_by_name: dict[str, StackSet] = {}
        self._seq = itertools.count(1)
        # Tokens of an earlier life of this namespace (before a reset) are foreign to this one.
        self._nonce = os.urandom(8).hex()
        self.tokens = TokenCodec()

    # -- lookups ----------------------------------------------------------------------------------------
    def get_stack_set(self, name_or_id: str, *, include_deleted: bool = False) -> StackSet:
        """A live stack set by name or id; with ``include_deleted``, a deleted one by its id too."""
        stack_set = self.live_by_name.get(name_or_id)
        if stack_set is None:
            stack_set = self.stack_sets.get(name_or_id)
            if stack_set is not None and stack_set.status is StackSetStatus.DELETED and not include_deleted:
                stack_set = None
        if stack_set is None:
            raise StackSetNotFound(name_or_id)
        return stack_set

    def get_operation(self, name_or_id: str, operation_id: str) -> Operation:
        stack_set = self.get_stack_set(name_or_id, include_deleted=True)
        operation = stack_set.operations_by_id.get(operation_id)
        if operation is None:
            raise OperationNotFound(operation_id)
        return operation

    def get_instance(self, name_or_id: str, account: str, region: str) -> StackInstance:
        stack_set = self.get_stack_set(name_or_id, include_deleted=True)
        instance = stack_set.instances.get((account, region))
        if instance is None:
            raise StackInstanceNotFound(name_or_id, account, region)
        return instance

    # -- stack sets -------------------------------------------------------------------------------------
    def create_stack_set(self, spec: StackSetSpec) -> StackSet:
        if spec.stack_set_name in self.live_by_name:
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
        )
        self.stack_sets[stack_set_id] = stack_set
        self.order.append(stack_set)
        self.live_by_name[stack_set.stack_set_name] = stack_set
        return stack_set

    def delete_stack_set(self, name_or_id: str) -> None:
        """Delete an empty stack set; deleting one that does not exist succeeds silently."""
        try:
            stack_set = self.get_stack_set(name_or_id)
        except StackSetNotFound:
            return
        self._ensure_idle(stack_set)
        if stack_set.instances:
            raise StackSetNotEmpty(name_or_id)
        stack_set.status = StackSetStatus.DELETED
        del self.live_by_name[stack_set.stack_set_name]

    def list_stack_sets(self, status: str | None, token: str | None, limit: int | None) -> Page[StackSet]:
        return paginate(
            self.order,
            codec=self.tokens,
            binding=self._binding("stack-sets", status=status),
            token=token,
            limit=limit,
            predicate=None if status is None else (lambda s: s.status.value == status),
        )

    def update_stack_set(
        self,
        name_or_id: str,
        changes: StackSetChanges,
        targets: list[Target] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self.get_stack_set(name_or_id)
        self._ensure_idle(stack_set)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        if targets is None:
            keys = [i.key for i in stack_set.instance_order if i.status is not InstanceStatus.INOPERABLE]
        else:
            keys = list(dict.fromkeys((t.account, t.region) for t in targets))
            self._require_instances(stack_set, name_or_id, keys)
        template_changed = (
            (changes.template_body is not None and changes.template_body != stack_set.template_body)
            or (changes.template_url is not None and changes.template_url != stack_set.template_url)
            or (changes.parameters is not None and changes.parameters != stack_set.parameters)
        )
        # Validated; from here on nothing raises.
        for name in (
            "description",
            "template_body",
            "template_url",
            "parameters",
            "capabilities",
            "tags",
            "administration_role_arn",
            "execution_role_name",
            "auto_deployment",
            "managed_execution",
        ):
            value = getattr(changes, name)
            if value is not None:
                setattr(stack_set, name, value)
        if changes.template_body is not None:
            stack_set.template_url = changes.template_url
        if template_changed:
            targeted = set(keys)
            for instance in stack_set.instance_order:
                if instance.key not in targeted and instance.status is not InstanceStatus.INOPERABLE:
                    instance.set_status(InstanceStatus.OUTDATED, DetailedStatus.PENDING)
        kinds = {key: self._deploy_kind(stack_set.instances[key], update=True) for key in keys}
        return self._start(stack_set, OperationAction.UPDATE, operation_id, request, kinds)

    # -- instances --------------------------------------------------------------------------------------
    def create_instances(
        self,
        name_or_id: str,
        targets: list[Target],
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self.get_stack_set(name_or_id)
        self._ensure_idle(stack_set)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        kinds: dict[tuple[str, str], DeployKind] = {}
        for target in targets:
            key = (target.account, target.region)
            if key in kinds:
                continue
            instance = stack_set.instances.get(key)
            if instance is None:
                instance = StackInstance(
                    seq=next(self._seq),
                    stack_set_id=stack_set.stack_set_id,
                    account=target.account,
                    region=target.region,
                    organizational_unit_id=target.organizational_unit_id,
                    stack_name=self.naming.stack_name(stack_set),
                )
                stack_set.add_instance(instance)
            kinds[key] = self._deploy_kind(instance, parameter_overrides)
        return self._start(
            stack_set, OperationAction.CREATE, operation_id, request, kinds, parameter_overrides=parameter_overrides
        )

    def update_instances(
        self,
        name_or_id: str,
        targets: list[Target],
        parameter_overrides: list[Parameter] | None,
        request: OperationRequest,
    ) -> Operation:
        stack_set = self.get_stack_set(name_or_id)
        self._ensure_idle(stack_set)
        keys = list(dict.fromkeys((t.account, t.region) for t in targets))
        self._require_instances(stack_set, name_or_id, keys)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        kinds = {key: self._deploy_kind(stack_set.instances[key], parameter_overrides, update=True) for key in keys}
        return self._start(
            stack_set, OperationAction.UPDATE, operation_id, request, kinds, parameter_overrides=parameter_overrides
        )

    def delete_instances(
        self, name_or_id: str, targets: list[Target], retain_stacks: bool, request: OperationRequest
    ) -> Operation:
        stack_set = self.get_stack_set(name_or_id)
        self._ensure_idle(stack_set)
        operation_id = self._claim_operation_id(stack_set, request.operation_id)
        kinds = {
            (t.account, t.region): DeployKind.DELETE for t in targets if (t.account, t.region) in stack_set.instances
        }
        return self._start(stack_set, OperationAction.DELETE, operation_id, request, kinds, retain_stacks=retain_stacks)

    def list_instances(
        self, name_or_id: str, filters: InstanceFilter, token: str | None, limit: int | None
    ) -> Page[StackInstance]:
        stack_set = self.get_stack_set(name_or_id, include_deleted=True)
        return paginate(
            stack_set.instance_order,
            codec=self.tokens,
            binding=self._binding("instances", parent=stack_set.stack_set_id, filters=filters.__dict__),
            token=token,
            limit=limit,
            predicate=filters.matches,
        )

    # -- operations -------------------------------------------------------------------------------------
    def list_operations(self, name_or_id: str, token: str | None, limit: int | None) -> Page[Operation]:
        stack_set = self.get_stack_set(name_or_id, include_deleted=True)
        return paginate(
            stack_set.operations,
            codec=self.tokens,
            binding=self._binding("operations", parent=stack_set.stack_set_id),
            token=token,
            limit=limit,
            newest_first=True,
        )

    def list_operation_results(
        self, name_or_id: str, operation_id: str, status: str | None, token: str | None, limit: int | None
    ) -> Page[TargetResult]:
        operation = self.get_operation(name_or_id, operation_id)
        return paginate(
            operation.results,
            codec=self.tokens,
            binding=self._binding(
                "operation-results", parent=operation.stack_set_id, operation=operation_id, status=status
            ),
            token=token,
            limit=limit,
            predicate=None if status is None else (lambda r: r.status.value == status),
        )

    def stop_operation(self, name_or_id: str, operation_id: str) -> Operation:
        operation = self.get_operation(name_or_id, operation_id)
        if operation.status not in (OperationStatus.RUNNING, OperationStatus.QUEUED):
            raise InvalidOperation(f"Operation {operation_id} is {operation.status.value} and cannot be stopped")
        stack_set = self.stack_sets[operation.stack_set_id]
        self.executor.stop(stack_set, operation)
        return operation

    # -- internals --------------------------------------------------------------------------------------
    def _binding(self, listing: str, **arguments: object) -> dict[str, object]:
        return {"ns": list(self.identity), "nonce": self._nonce, "list": listing, **arguments}

    def _ensure_idle(self, stack_set: StackSet) -> None:
        if stack_set.in_flight:
            raise OperationInProgress(stack_set.stack_set_arn or stack_set.stack_set_id)

    def _claim_operation_id(self, stack_set: StackSet, operation_id: str | None) -> str:
        if operation_id is None:
            return str(uuid.uuid4())
        existing = stack_set.operations_by_id.get(operation_id)
        if existing is None:
            return operation_id
        if stack_set.operations.last() is not existing:
            raise StaleRequest(operation_id)
        raise OperationIdExists(operation_id)

    @staticmethod
    def _require_instances(stack_set: StackSet, name_or_id: str, keys: list[tuple[str, str]]) -> None:
        for account, region in keys:
            if (account, region) not in stack_set.instances:
                raise StackInstanceNotFound(name_or_id, account, region)

    @staticmethod
    def _deploy_kind(
        instance: StackInstance, parameter_overrides: list[Parameter] | None = None, update: bool = False
    ) -> DeployKind:
        if instance.stack_id is None:
            return DeployKind.CREATE
        unchanged = parameter_overrides is None or parameter_overrides == instance.parameter_overrides
        if not update and unchanged and instance.status is InstanceStatus.CURRENT:
            return DeployKind.NOOP
        return DeployKind.UPDATE

    def _start(
        self,
        stack_set: StackSet,
        action: OperationAction,
        operation_id: str,
        request: OperationRequest,
        kinds: dict[tuple[str, str], DeployKind],
        *,
        parameter_overrides: list[Parameter] | None = None,
        retain_stacks: bool | None = None,
    ) -> Operation:
        operation = Operation(
            seq=next(self._seq),
            operation_id=operation_id,
            stack_set_id=stack_set.stack_set_id,
            action=action,
            operation_preferences=request.preferences,
            creation_timestamp=self.clock.now(),
            retain_stacks=retain_stacks if action is OperationAction.DELETE else None,
            administration_role_arn=stack_set.administration_role_arn,
            execution_role_name=stack_set.execution_role_name,
            deployment_targets=request.deployment_targets,
            parameter_overrides=parameter_overrides,
            provider_action=request.provider_action,
            description=request.description,
        )
        stack_set.add_operation(operation)
        self.executor.plan(stack_set, operation, kinds)
        self.progress(stack_set, operation)
        return operation


__all__ = [
    "DriftStatus",
    "InstanceFilter",
    "Naming",
    "OperationRequest",
    "StackSetChanges",
    "StackSetNamespace",
    "StackSetSpec",
    "TargetStatus",
]
