"""Custom execution roles of SERVICE_MANAGED stack sets: the role provisioning stage of an operation.

CreateStackSet/UpdateStackSet take ``ExecutionRoleTemplateBody`` or ``ExecutionRoleTemplateUrl`` ("the
template that creates a custom execution role in target accounts", SERVICE_MANAGED only, one of the two)
and ``StackSetOutputBucket`` ("the S3 bucket that stores the execution role stack template body"); the
stack set reports ``StackSetOutputBucketPath``. An operation that deploys (CREATE, UPDATE) first provisions
the role in each target account: here a real moto stack, ``StackSet-<name>-ExecutionRole``, created (or
updated to the current role template) in the account, in the first region the operation deploys to there.
An account whose role stack fails (or a scripted ``control.fail_role``) has its instances SKIPPED.

Choices where AWS documents nothing (written down in docs/aws.md):

* a role template on a SELF_MANAGED stack set is refused (``ValidationError``) rather than ignored;
* ``StackSetOutputBucketPath`` is ``s3://<bucket>/StackSets/<stack set name>/execution-role-template``, and
  the role template is written there when the bucket exists in the administrator account's mock S3.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from moto.cloudformation.models import cloudformation_backends
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from ..engine.execution import DeployOutcome
from ..engine.model import Operation, PermissionModel, StackSet
from .exceptions import ValidationError
from .stacks import _reason

BOTH_TEMPLATES = "Specify either ExecutionRoleTemplateBody or ExecutionRoleTemplateUrl, but not both"
SELF_MANAGED_ROLE_TEMPLATE = (
    "ExecutionRoleTemplateBody and ExecutionRoleTemplateUrl apply only to SERVICE_MANAGED stack sets"
)
NO_UPDATES = "No updates are to be performed."


@dataclass(frozen=True)
class RoleTemplate:
    """What a CreateStackSet/UpdateStackSet request says of the execution role template and its bucket."""

    body: str | None = None
    url: str | None = None
    bucket: str | None = None

    @property
    def given(self) -> bool:
        return self.body is not None or self.url is not None or self.bucket is not None


@dataclass(frozen=True)
class AwsStackSetProperties:
    """What CloudFormation knows of a stack set beyond the engine's neutral fields."""

    execution_role_template_body: str | None = None
    stack_set_output_bucket: str | None = None
    stack_set_output_bucket_path: str | None = None


def properties_of(stack_set: StackSet) -> AwsStackSetProperties:
    found = stack_set.provider_properties
    return found if isinstance(found, AwsStackSetProperties) else AwsStackSetProperties()


def output_path(bucket: str, stack_set_name: str) -> str:
    return f"s3://{bucket}/StackSets/{stack_set_name}/execution-role-template"


def with_role_template(
    current: AwsStackSetProperties,
    permission_model: PermissionModel,
    stack_set_name: str,
    body: str | None,
    bucket: str | None,
) -> AwsStackSetProperties:
    """The properties after a call gave a role template body (already fetched) and/or an output bucket."""
    if body is not None and permission_model is not PermissionModel.SERVICE_MANAGED:
        raise ValidationError(SELF_MANAGED_ROLE_TEMPLATE)
    updated = current
    if body is not None:
        updated = replace(updated, execution_role_template_body=body)
    if bucket is not None:
        updated = replace(updated, stack_set_output_bucket=bucket)
    if updated.stack_set_output_bucket is not None and updated.execution_role_template_body is not None:
        updated = replace(
            updated, stack_set_output_bucket_path=output_path(updated.stack_set_output_bucket, stack_set_name)
        )
    return updated


def store_role_template(properties: AwsStackSetProperties, account: str, region: str) -> None:
    """Write the role template at ``StackSetOutputBucketPath`` when the bucket exists in the mock's S3."""
    path = properties.stack_set_output_bucket_path
    if path is None or properties.execution_role_template_body is None:
        return
    bucket, _, key = path.removeprefix("s3://").partition("/")
    backend = s3_backends[account][get_partition(region)]
    if bucket not in backend.buckets:
        return
    backend.put_object(bucket, key, properties.execution_role_template_body.encode("utf-8"))


class ExecutionRoles:
    """The AWS front-end's role provisioner: one moto stack per target account holds the custom role."""

    def applies(self, stack_set: StackSet, operation: Operation) -> bool:
        return (
            stack_set.permission_model is PermissionModel.SERVICE_MANAGED
            and properties_of(stack_set).execution_role_template_body is not None
        )

    def provision(self, stack_set: StackSet, operation: Operation, account: str, region: str) -> DeployOutcome:
        body = properties_of(stack_set).execution_role_template_body or ""
        backend = cloudformation_backends[account][region]
        name = role_stack_name(stack_set)
        existing = next((s for s in backend.stacks.values() if s.name == name and s.status != "DELETE_COMPLETE"), None)
        try:
            if existing is None:
                stack = backend.create_stack(name=name, template=body, parameters={}, tags={})
            else:
                stack = existing
                if existing.template != body:
                    stack = backend.update_stack(name=name, template=body, role_arn=None, parameters=[], tags={})
        except Exception as error:
            if existing is None:
                for stack_id, stack in list(backend.stacks.items()):
                    if stack.name == name:
                        backend.stacks.pop(stack_id, None)
            return DeployOutcome(succeeded=False, reason=_reason(error))
        if str(stack.status).endswith("FAILED"):
            return DeployOutcome(succeeded=False, reason=f"Execution role stack {name} is {stack.status}")
        return DeployOutcome(succeeded=True, stack_id=stack.stack_id)


def role_stack_name(stack_set: StackSet) -> str:
    return f"StackSet-{stack_set.stack_set_name}-ExecutionRole"
