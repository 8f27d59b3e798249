"""The AWS front-end's backend: one per account and region, in a moto ``BackendDict``.

It holds the engine namespace of its account and region and applies the AWS-only rules around it:
``CallAs``, permission models and their targets (Organizations for SERVICE_MANAGED), default roles,
template URLs. Engine errors leave here as CloudFormation errors.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from moto.cloudformation.models import cloudformation_backends
from moto.core.base_backend import BackendDict, BaseBackend
from moto.utilities.utils import get_partition

from .. import namespaces
from ..engine import door
from ..engine import errors as engine_errors
from ..engine.clock import clock
from ..engine.execution import Executor
from ..engine.model import (
    AccountFilterType,
    AutoDeploymentTarget,
    DeploymentTargets,
    ImportedStack,
    Operation,
    Parameter,
    PermissionModel,
    ResourceDrift,
    StackInstance,
    StackSet,
    Target,
    TargetResult,
)
from ..engine.outcomes import outcomes
from ..engine.pagination import Page
from ..engine.requests import ListQuery, ResolvedTargets, TargetResolver
from ..engine.stacksets import (
    InstanceFilter,
    OperationRequest,
    StackSetChanges,
    StackSetNamespace,
    StackSetSpec,
)
from . import organizations, templates
from . import regions as _regions  # noqa: F401 - registers the partitions' regions with the engine
from .exceptions import (
    InvalidOperationException,
    LimitExceededException,
    StackNotFoundException,
    ValidationError,
    from_engine,
)
from .execution_roles import (
    BOTH_TEMPLATES,
    AwsStackSetProperties,
    ExecutionRoles,
    RoleTemplate,
    properties_of,
    store_role_template,
    with_role_template,
)
from .gates import GateFunction, LambdaAccountGate
from .hooks.state import HookState
from .stacks import MotoStackDeployer, stack_resources
from .stackset_runs import TemplateRuns

#: The model name of stack-set operations in moto's state manager.
OPERATION_MODEL = "cloudformation::stackset-operation"
_transition = namespaces.operation_model(OPERATION_MODEL)

ADMINISTRATION_ROLE = "AWSCloudFormationStackSetAdministrationRole"
EXECUTION_ROLE = "AWSCloudFormationStackSetExecutionRole"
#: "You import up to 10 stacks per StackSet at a time" (ImportStacksToStackSet, botocore's model).
IMPORT_LIMIT = 10

P = ParamSpec("P")
R = TypeVar("R")


def aws_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Run ``method`` inside the engine's door (its checks and engine calls under one lock) and turn the
    engine errors it raises into CloudFormation errors."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with door.held():
                return method(*args, **kwargs)
        except engine_errors.EngineError as error:
            raise from_engine(error) from error

    return wrapper


@dataclass(frozen=True)
class InstancesCall:
    """What Create/Update/DeleteStackInstances share."""

    name: str
    accounts: list[str] | None
    regions: list[str]
    request: OperationRequest
    call_as: str | None
    overrides: list[Parameter] | None = None


class AwsNaming:
    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.partition = get_partition(region_name)

    def stack_set_id(self, name: str) -> str:
        return f"{name}:{uuid.uuid4()}"

    def stack_set_arn(self, stack_set_id: str) -> str:
        return f"arn:{self.partition}:cloudformation:{self.region_name}:{self.account_id}:stackset/{stack_set_id}"

    def stack_name(self, stack_set: StackSet) -> str:
        return f"StackSet-{stack_set.stack_set_name}-{uuid.uuid4()}"


class StackSetsBackend(BaseBackend):
    """CloudFormation StackSets of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        naming = AwsNaming(account_id, region_name)
        self.namespace = StackSetNamespace(
            identity=("aws", account_id, region_name),
            naming=naming,
            executor=Executor(
                "aws",
                MotoStackDeployer(),
                clock,
                outcomes,
                account_gate=LambdaAccountGate(stacksets_backends),
                stack_resources=stack_resources,
                roles=ExecutionRoles(),
            ),
            clock=clock,
            transition=_transition,
        )
        #: CloudFormation Hooks of this account and region: type registry and Hook results.
        self.hooks = HookState(account_id, region_name)
        #: What the stack-set resources of this account and region's stacks are doing (``template_stacks``).
        self.template_runs = TemplateRuns()
        #: The account gate registered for this account and region (``control.account_gate``); without one the
        #: moto Lambda function ``AWSCloudFormationStackSetAccountGate`` is the gate (``gates``).
        self.account_gate_function: GateFunction | None = None

    # -- AWS-only rules ---------------------------------------------------------------------------------
    def check_call_as(self, call_as: str | None) -> None:
        if call_as == "DELEGATED_ADMIN" and not organizations.is_delegated_admin(self.account_id, self.partition):
            raise ValidationError("Account used is not a delegated administrator")

    def _targets(
        self,
        stack_set: StackSet,
        accounts: list[str] | None,
        targets: DeploymentTargets | None,
        regions: list[str],
    ) -> list[Target]:
        if accounts and targets is not None:
            raise ValidationError("Exactly one of Accounts or DeploymentTargets must be specified")
        if stack_set.permission_model is PermissionModel.SERVICE_MANAGED:
            if accounts or targets is None:
                raise ValidationError(
                    "StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as target"
                )
            if not targets.organizational_unit_ids:
                raise ValidationError("OrganizationalUnitIds are required")
            reached = organizations.accounts_in_units(self.account_id, self.partition, targets.organizational_unit_ids)
            picked = set(targets.accounts or [])
            kind = targets.account_filter_type or AccountFilterType.NONE
            # An AccountFilterType without Accounts is accepted (AWS is not known to reject it): INTERSECTION
            # then reaches no account, DIFFERENCE and UNION every account of the OUs.
            if kind is AccountFilterType.INTERSECTION:
                reached = [(a, ou) for a, ou in reached if a in picked]
            elif kind is AccountFilterType.DIFFERENCE:
                reached = [(a, ou) for a, ou in reached if a not in picked]
            elif kind is AccountFilterType.UNION:
                in_units = {a for a, _ in reached}
                reached += [(a, "") for a in targets.accounts or [] if a not in in_units]
            return [Target(a, r, ou) for r in regions for a, ou in reached]
        if targets is not None:
            if targets.organizational_unit_ids:
                raise ValidationError("StackSets with SELF_MANAGED permission model can only have accounts as target")
            accounts = targets.accounts
        if not accounts:
            raise ValidationError("Exactly one of Accounts or DeploymentTargets must be specified")
        return [Target(a, r) for r in regions for a in dict.fromkeys(accounts)]

    # -- stack sets -------------------------------------------------------------------------------------
    @aws_errors
    def create_stack_set(self, spec: StackSetSpec, call_as: str | None, roles: RoleTemplate | None = None) -> StackSet:
        self.check_call_as(call_as)
        roles = roles or RoleTemplate()
        if (spec.template_body is None) == (spec.template_url is None):
            raise ValidationError("Exactly one of TemplateBody or TemplateUrl must be specified")
        if spec.permission_model is PermissionModel.SERVICE_MANAGED:
            organizations.require_organization(self.account_id, self.partition)
            if spec.administration_role_arn or spec.execution_role_name:
                raise ValidationError(
                    "AdministrationRoleARN and ExecutionRoleName are not supported for SERVICE_MANAGED stack sets"
                )
        else:
            spec.administration_role_arn = (
                spec.administration_role_arn
                or f"arn:{self.partition}:iam::{self.account_id}:role/{ADMINISTRATION_ROLE}"
            )
            spec.execution_role_name = spec.execution_role_name or EXECUTION_ROLE
        if spec.template_url is not None:
            spec.template_body = self._template_from_url(spec.template_url)
        templates.parse(spec.template_body or "")
        spec.provider_properties = with_role_template(
            AwsStackSetProperties(), spec.permission_model, spec.stack_set_name, self._role_body(roles), roles.bucket
        )
        stack_set = self.namespace.create_stack_set(spec)
        store_role_template(properties_of(stack_set), self.account_id, self.region_name)
        return stack_set

    def _role_body(self, roles: RoleTemplate) -> str | None:
        if roles.body is not None and roles.url is not None:
            raise ValidationError(BOTH_TEMPLATES)
        body = self._template_from_url(roles.url, "ExecutionRoleTemplateUrl") if roles.url is not None else roles.body
        if body is not None:
            templates.parse(body)
        return body

    @aws_errors
    def describe_stack_set(self, name: str, call_as: str | None) -> StackSet:
        self.check_call_as(call_as)
        return self.namespace.get_stack_set(name, include_deleted=True)

    @aws_errors
    def list_stack_sets(
        self, status: str | None, token: str | None, limit: int | None, call_as: str | None
    ) -> Page[StackSet]:
        self.check_call_as(call_as)
        return self.namespace.list_stack_sets(status, token, limit)

    @aws_errors
    def update_stack_set(
        self,
        name: str,
        changes: StackSetChanges,
        accounts: list[str] | None,
        regions: list[str] | None,
        request: OperationRequest,
        call_as: str | None,
        roles: RoleTemplate | None = None,
    ) -> Operation:
        self.check_call_as(call_as)
        role_template = roles or RoleTemplate()

        def checked(stack_set: StackSet) -> StackSetChanges:
            if changes.template_body is not None and changes.template_url is not None:
                raise ValidationError("Exactly one of TemplateBody or TemplateUrl must be specified")
            if changes.template_url is not None:
                changes.template_body = self._template_from_url(changes.template_url)
            if changes.template_body is not None:
                templates.parse(changes.template_body)
            body = self._role_body(role_template)
            if body is not None or role_template.bucket is not None:
                changes.provider_properties = with_role_template(
                    properties_of(stack_set),
                    changes.permission_model or stack_set.permission_model,
                    stack_set.stack_set_name,
                    body,
                    role_template.bucket,
                )
            return changes

        resolver: TargetResolver | None = None
        if accounts or regions or request.deployment_targets is not None:

            def resolver(stack_set: StackSet) -> ResolvedTargets:
                if not regions:
                    raise ValidationError("Regions should not be empty when targets are specified")
                targets = self._targets(stack_set, accounts, request.deployment_targets, regions)
                return ResolvedTargets(targets, request.deployment_targets)

        operation = self.namespace.update_stack_set(name, checked, resolver, request)
        if role_template.given:
            stack_set = self.namespace.get_stack_set(name)
            store_role_template(properties_of(stack_set), self.account_id, self.region_name)
        return operation

    @aws_errors
    def stack_set_template(self, name: str, call_as: str | None) -> str:
        """The template of a stack set (GetTemplateSummary with StackSetName)."""
        self.check_call_as(call_as)
        return self.namespace.get_stack_set(name, include_deleted=True).template_body or ""

    @aws_errors
    def delete_stack_set(self, name: str, call_as: str | None) -> None:
        self.check_call_as(call_as)
        self.namespace.delete_stack_set(name)

    # -- instances --------------------------------------------------------------------------------------
    def _resolver(self, call: InstancesCall, *, existing_only: bool = False) -> TargetResolver:
        """The call's targets for the stack set the engine found (``existing_only``: of a SERVICE_MANAGED
        stack set, only the targets it has an instance in)."""

        def resolve(stack_set: StackSet) -> ResolvedTargets:
            targets = self._targets(stack_set, call.accounts, call.request.deployment_targets, call.regions)
            if existing_only and stack_set.permission_model is PermissionModel.SERVICE_MANAGED:
                targets = [t for t in targets if stack_set.has_instance(t.account, t.region)]
            return ResolvedTargets(targets, call.request.deployment_targets)

        return resolve

    @aws_errors
    def create_stack_instances(self, call: InstancesCall) -> Operation:
        self.check_call_as(call.call_as)
        return self.namespace.create_instances(call.name, self._resolver(call), call.overrides, call.request)

    @aws_errors
    def update_stack_instances(self, call: InstancesCall) -> Operation:
        self.check_call_as(call.call_as)
        resolver = self._resolver(call, existing_only=True)
        return self.namespace.update_instances(call.name, resolver, call.overrides, call.request)

    @aws_errors
    def delete_stack_instances(self, call: InstancesCall, retain_stacks: bool) -> Operation:
        self.check_call_as(call.call_as)
        return self.namespace.delete_instances(call.name, self._resolver(call), retain_stacks, call.request)

    @aws_errors
    def list_stack_instances(
        self, name: str, filters: InstanceFilter, token: str | None, limit: int | None, call_as: str | None
    ) -> Page[StackInstance]:
        self.check_call_as(call_as)
        return self.namespace.list_instances(name, filters, token, limit)

    @aws_errors
    def describe_stack_instance(self, name: str, account: str, region: str, call_as: str | None) -> StackInstance:
        self.check_call_as(call_as)
        return self.namespace.get_instance(name, account, region)

    # -- operations -------------------------------------------------------------------------------------
    @aws_errors
    def describe_stack_set_operation(self, name: str, operation_id: str, call_as: str | None) -> Operation:
        self.check_call_as(call_as)
        return self.namespace.get_operation(name, operation_id)

    @aws_errors
    def list_stack_set_operations(
        self, name: str, token: str | None, limit: int | None, call_as: str | None
    ) -> Page[Operation]:
        self.check_call_as(call_as)
        return self.namespace.list_operations(name, token, limit)

    @aws_errors
    def list_stack_set_operation_results(
        self,
        name: str,
        operation_id: str,
        status: str | None,
        token: str | None,
        limit: int | None,
        call_as: str | None,
    ) -> Page[TargetResult]:
        self.check_call_as(call_as)
        return self.namespace.list_operation_results(name, operation_id, status, token, limit)

    @aws_errors
    def detect_stack_set_drift(self, name: str, request: OperationRequest, call_as: str | None) -> Operation:
        self.check_call_as(call_as)
        return self.namespace.detect_drift(name, request)

    @aws_errors
    def stop_stack_set_operation(self, name: str, operation_id: str, call_as: str | None) -> None:
        self.check_call_as(call_as)
        self.namespace.stop_operation(name, operation_id)

    # -- import, per-resource drift, auto-deployment targets --------------------------------------------
    @aws_errors
    def import_stacks_to_stack_set(
        self, name: str, stack_ids: list[str], units: list[str] | None, request: OperationRequest, call_as: str | None
    ) -> Operation:
        self.check_call_as(call_as)

        def stacks(stack_set: StackSet) -> list[ImportedStack]:
            if units and stack_set.permission_model is PermissionModel.SELF_MANAGED:
                raise ValidationError("StackSets with SELF_MANAGED permission model can only have accounts as target")
            if len(stack_ids) > IMPORT_LIMIT:
                raise LimitExceededException(f"You can import up to {IMPORT_LIMIT} stacks per StackSet at a time")
            reached = dict(organizations.accounts_in_units(self.account_id, self.partition, units)) if units else {}
            return [self._imported(s, reached) for s in stack_ids]

        return self.namespace.import_stacks(name, stacks, request)

    def _imported(self, stack_id: str, units_of: dict[str, str]) -> ImportedStack:
        """An existing moto stack named by its ARN (any account and region) or by name (this account and region)."""
        if stack_id.startswith("arn:"):
            parts = stack_id.split(":")
            account, region = (parts[4], parts[3]) if len(parts) > 5 else ("", "")
        else:
            account, region = self.account_id, self.region_name
        stack = None
        if account and region:
            stacks = cloudformation_backends[account][region].stacks
            stack = stacks.get(stack_id) or next(
                (s for s in stacks.values() if s.name == stack_id and not s.status.startswith("DELETE")), None
            )
        if stack is None or stack.status == "DELETE_COMPLETE":
            raise StackNotFoundException(f"Stack with id {stack_id} does not exist")
        return ImportedStack(account, region, stack.stack_id, stack.name, units_of.get(account, ""))

    @aws_errors
    def list_stack_instance_resource_drifts(
        self,
        name: str,
        operation_id: str,
        account: str,
        region: str,
        statuses: list[str] | None,
        token: str | None,
        limit: int | None,
        call_as: str | None,
    ) -> Page[ResourceDrift]:
        self.check_call_as(call_as)
        query: ListQuery[ResourceDrift] = ListQuery(
            token=token,
            limit=limit,
            bound={"statuses": statuses},
            predicate=None if not statuses else (lambda d: d.stack_resource_drift_status in statuses),
        )
        return self.namespace.page_resource_drifts(name, operation_id, account, region, query)

    @aws_errors
    def list_stack_set_auto_deployment_targets(
        self, name: str, token: str | None, limit: int | None, call_as: str | None
    ) -> Page[AutoDeploymentTarget]:
        self.check_call_as(call_as)
        return self.namespace.page_auto_deployment_targets(name, ListQuery(token=token, limit=limit))

    # -- trusted access with Organizations --------------------------------------------------------------
    NO_ORGANIZATION = "The account is not a member of an organization in AWS Organizations"

    @aws_errors
    def set_organizations_access(self, enabled: bool) -> None:
        if not organizations.set_trusted_access(self.account_id, self.partition, enabled):
            raise InvalidOperationException(self.NO_ORGANIZATION)

    @aws_errors
    def organizations_access(self, call_as: str | None) -> str:
        self.check_call_as(call_as)
        enabled = organizations.trusted_access(self.account_id, self.partition)
        if enabled is None:
            raise InvalidOperationException(self.NO_ORGANIZATION)
        return "ENABLED" if enabled else "DISABLED"

    # -- helpers ----------------------------------------------------------------------------------------
    def _template_from_url(self, url: str, member: str = "TemplateURL") -> str:
        from moto.cloudformation.utils import get_stack_from_s3_url

        try:
            body: Any = get_stack_from_s3_url(url, account_id=self.account_id, partition=self.partition)
        except Exception as error:
            raise ValidationError(
                f"{member} must reference a valid S3 object to which you have access: {url}"
            ) from error
        return str(body)

    def stack_ids_from_url(self, url: str) -> list[str]:
        """The stack ids an S3 object lists (ImportStacksToStackSet ``StackIdsUrl``): a JSON array of ids, or
        ids separated by commas, spaces or new lines (AWS does not document the format)."""
        text = self._template_from_url(url, "StackIdsUrl")
        try:
            listed = json.loads(text)
        except ValueError:
            listed = None
        if isinstance(listed, list) and all(isinstance(item, str) for item in listed):
            return list(listed)
        return [part for part in text.replace(",", " ").split() if part]


stacksets_backends = BackendDict(StackSetsBackend, "cloudformation")
