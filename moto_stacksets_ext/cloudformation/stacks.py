"""Deploying a stack instance = creating, updating or deleting a real moto CloudFormation stack.

The stack lives in the target account and region (``StackSet-<name>-<uuid>``), so a test that assumes a
role into that account sees the stack and its resources. A template moto rejects fails the target with
moto's own message as the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from moto.cloudformation.models import cloudformation_backends
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

from .._state import namespaces
from ..engine.execution import DeployKind, Deployment, DeployOutcome
from ..engine.model import Parameter, StackInstance, StackResource, StackSet
from ..engine.parameters import resolve_parameters
from .hooks.pacing import HookPending, HookRun, paced

logger = logging.getLogger(__name__)

#: CloudFormation's StatusReason for a failure inside the service (the cause is logged, not shown).
INTERNAL_FAILURE = "Internal Failure"

#: Stack statuses an import can adopt (a stack at rest).
IMPORTABLE_STATUSES = frozenset(
    {"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"}
)


def effective_parameters(stack_set: StackSet, overrides: list[Parameter]) -> dict[str, str]:
    """The stack set's parameter values with the instance's overrides applied."""
    values = {p.parameter_key: p.parameter_value for p in stack_set.parameters if p.parameter_value is not None}
    for override in overrides:
        if override.parameter_value is not None:
            values[override.parameter_key] = override.parameter_value
    return values


def _reason(error: Exception) -> str:
    """A StatusReason for a failed deployment: moto's own AWS-worded message, never a Python exception's text."""
    # moto's service errors (its ServiceException and RESTError families) carry an error code and AWS's words.
    message = getattr(error, "message", None)
    if message and (getattr(error, "code", None) or getattr(error, "error_type", None)):
        return str(message)
    logger.info("Deploying a stack instance failed inside moto", exc_info=error)
    return INTERNAL_FAILURE


def missing_role(stack_set: StackSet, account: str) -> str | None:
    """Strict mode: why a SELF_MANAGED deployment to ``account`` may not run (None: the roles are there).

    The administration role must exist in the administrator's account, and the execution role in the
    target account with a trust policy naming the administrator (its account or its role).
    """
    if stack_set.administration_role_arn is None or stack_set.execution_role_name is None:
        return None  # SERVICE_MANAGED: Organizations' service-linked roles
    admin_arn = stack_set.administration_role_arn
    admin_account, admin_role = admin_arn.split(":")[4], admin_arn.rsplit("/", 1)[-1]
    partition = admin_arn.split(":")[1]
    try:
        iam_backends[admin_account][partition].get_role(admin_role)
    except Exception:
        return f"Could not assume role {admin_arn}: it does not exist in account {admin_account}."
    expected = (
        f"Account {account} should have '{stack_set.execution_role_name}' role with trust relationship "
        f"to Role '{admin_role}'."
    )
    try:
        role = iam_backends[account][partition].get_role(stack_set.execution_role_name)
    except Exception:
        return expected
    trust = str(role.assume_role_policy_document)
    return None if admin_account in trust else expected


@dataclass
class RoleChecks:
    """Whether SELF_MANAGED deployments check moto IAM for the administration and execution roles
    (``control.strict_roles``): the AWS front-end's own switch, kept in the store of namespaces
    (``namespaces.extension``) so that moto's reset turns it off."""

    strict: bool = False


def role_checks() -> RoleChecks:
    found = namespaces.extension("aws-role-checks", RoleChecks)
    assert isinstance(found, RoleChecks)
    return found


class MotoStackDeployer:
    """The AWS front-end's deployer: one real moto stack per stack instance.

    The stack call runs its Hooks paced (``hooks.pacing``): when a Hook answers IN_PROGRESS, nothing is
    provisioned and the deployment is not finished (``DeployOutcome.not_finished``, waiting the Hook's
    ``callbackDelaySeconds``); the engine hands the Hooks' run back on a later step and the call runs again.
    """

    def deploy(self, deployment: Deployment) -> DeployOutcome:
        run = deployment.resume if isinstance(deployment.resume, HookRun) else HookRun()
        try:
            with paced(run):
                return self._deploy(deployment, resumed=deployment.resume is not None)
        except HookPending as pending:
            return DeployOutcome.not_finished(pending.run, pending.wait_seconds, pending.reason)

    def _deploy(self, deployment: Deployment, resumed: bool) -> DeployOutcome:
        instance = deployment.instance
        stack_set = deployment.stack_set
        backend = cloudformation_backends[instance.account][instance.region]
        if role_checks().strict and deployment.kind is not DeployKind.NOOP and not resumed:
            problem = missing_role(stack_set, instance.account)
            if problem is not None:
                return DeployOutcome(succeeded=False, reason=problem)
        if deployment.kind is DeployKind.NOOP:
            return DeployOutcome(succeeded=True, stack_id=instance.stack_id)
        if deployment.kind is DeployKind.IMPORT:
            return self._adopt(deployment)
        if deployment.kind is DeployKind.DELETE:
            if instance.stack_id is not None and not deployment.retain_stack:
                try:
                    backend.delete_stack(instance.stack_id)
                except HookPending:
                    raise
                except Exception as error:
                    return DeployOutcome(succeeded=False, reason=_reason(error))
            return DeployOutcome(succeeded=True)
        overrides = (
            resolve_parameters(instance.parameter_overrides, deployment.operation.parameter_overrides)
            if deployment.operation.parameter_overrides is not None
            else instance.parameter_overrides
        )
        parameters = effective_parameters(stack_set, overrides)
        tags = {tag.key: tag.value for tag in stack_set.tags}
        role_arn = self._execution_role_arn(stack_set, instance)
        if deployment.kind is DeployKind.CREATE:
            try:
                stack = backend.create_stack(
                    name=instance.stack_name,
                    template=stack_set.template_body or "",
                    parameters=parameters,
                    tags=tags,
                    role_arn=role_arn,
                )
            except HookPending:
                raise  # nothing was created
            except Exception as error:
                self._roll_back(backend, instance.stack_name)
                return DeployOutcome(succeeded=False, reason=_reason(error))
            return DeployOutcome(succeeded=True, stack_id=stack.stack_id)
        if instance.stack_id is None:  # UPDATE is only planned for instances that have a stack
            return DeployOutcome(succeeded=False, reason="The stack instance has no stack to update")
        try:
            stack = backend.update_stack(
                name=instance.stack_id,
                template=stack_set.template_body or "",
                role_arn=role_arn,
                parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
                tags=tags,
            )
        except HookPending:
            raise
        except Exception as error:
            return DeployOutcome(succeeded=False, reason=_reason(error))
        return DeployOutcome(succeeded=True, stack_id=stack.stack_id)

    @staticmethod
    def _adopt(deployment: Deployment) -> DeployOutcome:
        """Import: the instance takes over the existing stack, if it is still there in a stable state."""
        instance = deployment.instance
        imported = next(
            s
            for s in deployment.operation.imported_stacks or []
            if (s.account, s.region) == (instance.account, instance.region)
        )
        stack = cloudformation_backends[instance.account][instance.region].stacks.get(imported.stack_id)
        if stack is None or stack.status.startswith("DELETE"):
            return DeployOutcome(succeeded=False, reason=f"Stack with id {imported.stack_id} does not exist")
        if stack.status not in IMPORTABLE_STATUSES:
            return DeployOutcome(
                succeeded=False, reason=f"Stack {imported.stack_id} is in {stack.status} state and can not be imported"
            )
        return DeployOutcome(succeeded=True, stack_id=stack.stack_id)

    @staticmethod
    def _execution_role_arn(stack_set: StackSet, instance: StackInstance) -> str | None:
        if stack_set.execution_role_name is None:
            return None
        partition = get_partition(instance.region)
        return f"arn:{partition}:iam::{instance.account}:role/{stack_set.execution_role_name}"

    @staticmethod
    def _roll_back(backend: object, stack_name: str) -> None:
        """Remove what a failed create left behind, so the instance has no stack (as on AWS)."""
        stacks = getattr(backend, "stacks", {})
        for stack_id, stack in list(stacks.items()):
            if stack.name == stack_name:
                try:
                    backend.delete_stack(stack_id)  # type: ignore[attr-defined]
                except Exception:
                    stacks.pop(stack_id, None)


def stack_resources(stack_set: StackSet, instance: StackInstance) -> list[StackResource]:
    """The resources of an instance's moto stack (for per-resource drift)."""
    backend = cloudformation_backends[instance.account][instance.region]
    stack = backend.stacks.get(instance.stack_id or "")
    if stack is None:
        return []
    found = []
    for resource in stack.stack_resources:
        physical = getattr(resource, "physical_resource_id", None)
        found.append(
            StackResource(
                logical_resource_id=str(getattr(resource, "logical_resource_id", "")),
                physical_resource_id=str(physical) if physical else None,
                resource_type=str(getattr(resource, "cf_resource_type", "")),
            )
        )
    return found


def restore_stacks(stack_sets: list[StackSet]) -> None:
    """Create again the moto stacks of loaded instances (their ``StackId`` changes to the new stack's)."""
    for stack_set in stack_sets:
        for instance in stack_set.instance_order:
            if instance.stack_id is None:
                continue
            backend = cloudformation_backends[instance.account][instance.region]
            try:
                stack = backend.create_stack(
                    name=instance.stack_name,
                    template=stack_set.template_body or "",
                    parameters=effective_parameters(stack_set, instance.parameter_overrides),
                    tags={tag.key: tag.value for tag in stack_set.tags},
                )
            except Exception as error:
                MotoStackDeployer._roll_back(backend, instance.stack_name)
                instance.stack_id = None
                instance.status_reason = f"Could not recreate the stack on load: {_reason(error)}"
                continue
            instance.stack_id = stack.stack_id
