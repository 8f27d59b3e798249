"""Hook and type-registry handlers, mixed into ``StackSetsResponse``.

Each handler reads its parameters, checks them against botocore's model, calls the Hook state of its
account and region once and returns what it gave. The stack handlers also catch ``HookBlocked``:
on AWS a stack operation that a Hook blocks is accepted and fails afterwards (the stack's status and
events say why), so the API call itself succeeds.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult, EmptyResult

from ..exceptions import ValidationError
from ..validation import raise_for, unreadable, violations
from . import catalog, describe, publishing
from .changesets import describe_change_set_hooks
from .exceptions import HookBlocked
from .model import HookResult
from .registry import TypeRef
from .results import result_filter
from .state import HookState

#: The actions served here (added to ``StackSetsResponse.SERVED``).
HOOK_ACTIONS = frozenset(
    {
        "ListHookResults",
        "GetHookResult",
        "DescribeChangeSetHooks",
        "ActivateType",
        "RegisterType",
        "DescribeTypeRegistration",
        "SetTypeConfiguration",
        "DescribeType",
        "ListTypes",
        "BatchDescribeTypeConfigurations",
        "DeactivateType",
        "DeregisterType",
        "ListTypeRegistrations",
        "ListTypeVersions",
        "SetTypeDefaultVersion",
        "RegisterPublisher",
        "DescribePublisher",
        "TestType",
        "PublishType",
        "RecordHandlerProgress",
    }
)
#: Constraints AWS itself does not enforce: ``aws-hooks`` breaks PublisherId's pattern (and so the public
#: type ARNs that carry it), yet AWS accepts it.
_LENIENT = ("at 'publisherId'", "at 'filters.publisherId'")


def _enforced(problem: str) -> bool:
    if any(mark in problem for mark in _LENIENT):
        return False
    return not ("at 'publicTypeArn'" in problem and f"::type/hook/{catalog.PUBLISHER}/" in problem)


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None


def summary(result: HookResult, by_target: bool) -> dict[str, Any]:
    """A ``HookResultSummary``: InvokedAt and HookExecutionTarget only when not listed by target."""
    rendered: dict[str, Any] = {
        "HookResultId": result.hook_result_id,
        "InvocationPoint": result.invocation_point,
        "FailureMode": result.failure_mode,
        "TypeName": result.type_name,
        "TypeVersionId": result.type_version_id,
        "TypeConfigurationVersionId": result.type_configuration_version_id,
        "Status": result.status.value,
        "HookStatusReason": _clip(result.hook_status_reason, 1024),
        "TargetType": result.target_type.value,
        "TargetId": result.target_id,
        "TypeArn": result.type_arn,
        "HookCategory": result.hook_category.value,
    }
    if not by_target:
        rendered["InvokedAt"] = result.invoked_at
        rendered["HookExecutionTarget"] = result.hook_execution_target
    return rendered


def detail(result: HookResult) -> dict[str, Any]:
    """GetHookResult's output: the summary fields, OriginalTypeName, Target (a resource) and Annotations."""
    omitted = ("TargetType", "TargetId", "HookCategory")  # not members of GetHookResult's output
    rendered = {k: v for k, v in summary(result, by_target=False).items() if k not in omitted}
    rendered.pop("HookExecutionTarget")
    rendered["OriginalTypeName"] = result.original_type_name
    if result.resource_type and result.resource_id and result.action:
        rendered["Target"] = {
            "TargetType": "RESOURCE",
            "TargetTypeName": result.resource_type,
            "TargetId": result.resource_id,
            "Action": result.action,
        }
    rendered["Annotations"] = [
        {
            "AnnotationName": a.annotation_name,
            "Status": a.status,
            "StatusMessage": _clip(a.status_message, 16384),
            "RemediationMessage": _clip(a.remediation_message, 16384),
            "RemediationLink": a.remediation_link,
            "SeverityLevel": a.severity_level,
        }
        for a in result.annotations
    ]
    return rendered


class HookResponses(CloudFormationResponse):
    _parse_error: Exception | None = None

    @property
    def hooks(self) -> HookState:
        from ..models import stacksets_backends

        state: HookState = stacksets_backends[self.current_account][self.region].hooks
        return state

    def _hook_input(self) -> dict[str, Any]:
        action = self._get_action()
        if self._parse_error is not None:
            raise unreadable(action, self._parse_error)
        values: dict[str, Any] = dict(self.params)
        raise_for([p for p in violations(action, values) if _enforced(p)])
        return values

    # -- Hook results -----------------------------------------------------------------------------------
    def list_hook_results(self) -> ActionResult:
        values = self._hook_input()
        query = result_filter(
            values.get("TargetType"),
            values.get("TargetId"),
            values.get("TypeArn"),
            values.get("Status"),
            values.get("HookCategory"),
        )
        page = self.hooks.results.page(query, values.get("NextToken"))
        output: dict[str, Any] = {
            "HookResults": [summary(r, query.by_target) for r in page.items],
            "NextToken": page.next_token,
        }
        if query.by_target:
            output["TargetType"] = values["TargetType"]
            output["TargetId"] = values["TargetId"]
        return ActionResult(output)

    def get_hook_result(self) -> ActionResult:
        values = self._hook_input()
        if values.get("HookResultId") is None:
            raise ValidationError(
                "1 validation error detected: Value null at 'hookResultId' failed to satisfy constraint: "
                "Member must not be null"
            )
        return ActionResult(detail(self.hooks.results.get(values["HookResultId"])))

    def describe_change_set_hooks(self) -> ActionResult:
        values = self._hook_input()
        return ActionResult(
            describe_change_set_hooks(
                self.cloudformation_backend,
                self.hooks,
                values["ChangeSetName"],
                values.get("StackName"),
                values.get("LogicalResourceId"),
                values.get("NextToken"),
            )
        )

    # -- type registry ----------------------------------------------------------------------------------
    def activate_type(self) -> ActionResult:
        values = self._hook_input()
        activated = self.hooks.registry.activate(
            kind=values.get("Type"),
            public_type_arn=values.get("PublicTypeArn"),
            type_name=values.get("TypeName"),
            publisher_id=values.get("PublisherId"),
            alias=values.get("TypeNameAlias"),
            execution_role_arn=values.get("ExecutionRoleArn"),
            logging_config=values.get("LoggingConfig"),
            auto_update=values.get("AutoUpdate"),
            major_version=values.get("MajorVersion"),
        )
        return ActionResult({"Arn": activated.type_arn})

    def register_type(self) -> ActionResult:
        values = self._hook_input()
        registration = self.hooks.registry.register(
            kind=values.get("Type") or "RESOURCE",
            type_name=values["TypeName"],
            schema_handler_package=values["SchemaHandlerPackage"],
            execution_role_arn=values.get("ExecutionRoleArn"),
            logging_config=values.get("LoggingConfig"),
        )
        return ActionResult({"RegistrationToken": registration.token})

    def describe_type_registration(self) -> ActionResult:
        values = self._hook_input()
        registration = self.hooks.registry.registration(values["RegistrationToken"], advance=True)
        return ActionResult(
            {
                "ProgressStatus": registration.progress,
                "Description": registration.description,
                "TypeArn": registration.type_arn,
                "TypeVersionArn": registration.version_arn,
            }
        )

    def list_type_registrations(self) -> ActionResult:
        values = self._hook_input()
        tokens, token = self.hooks.registry.list_registrations(
            TypeRef(values.get("TypeArn"), values.get("Type"), values.get("TypeName")),
            values.get("RegistrationStatusFilter"),
            values.get("NextToken"),
            values.get("MaxResults"),
        )
        return ActionResult({"RegistrationTokenList": tokens, "NextToken": token})

    def list_type_versions(self) -> ActionResult:
        values = self._hook_input()
        summaries, token = describe.list_type_versions(
            self.hooks.registry,
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")),
            values.get("DeprecatedStatus"),
            values.get("NextToken"),
            values.get("MaxResults"),
        )
        return ActionResult({"TypeVersionSummaries": summaries, "NextToken": token})

    def set_type_default_version(self) -> ActionResult:
        values = self._hook_input()
        self.hooks.registry.set_default_version(
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")), values.get("VersionId")
        )
        return EmptyResult()

    # -- publishing -------------------------------------------------------------------------------------
    def register_publisher(self) -> ActionResult:
        values = self._hook_input()
        return ActionResult(
            {"PublisherId": publishing.register_publisher(self.hooks.registry, values.get("ConnectionArn"))}
        )

    def describe_publisher(self) -> ActionResult:
        values = self._hook_input()
        return ActionResult(publishing.describe_publisher(self.hooks.registry, values.get("PublisherId")))

    def test_type(self) -> ActionResult:
        values = self._hook_input()
        arn = publishing.test_type(
            self.hooks.registry,
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")),
            values.get("VersionId"),
        )
        return ActionResult({"TypeVersionArn": arn})

    def publish_type(self) -> ActionResult:
        values = self._hook_input()
        arn = publishing.publish_type(
            self.hooks.registry,
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")),
            values.get("PublicVersionNumber"),
        )
        return ActionResult({"PublicTypeArn": arn})

    def record_handler_progress(self) -> ActionResult:
        """Reserved for the CloudFormation CLI's handlers; no handler operation runs here, so nothing changes."""
        self._hook_input()
        return EmptyResult()

    def set_type_configuration(self) -> ActionResult:
        values = self._hook_input()
        arn = self.hooks.registry.set_configuration(
            TypeRef(values.get("TypeArn"), values.get("Type"), values.get("TypeName")),
            values["Configuration"],
            values.get("ConfigurationAlias"),
        )
        return ActionResult({"ConfigurationArn": arn})

    def describe_type(self) -> ActionResult:
        values = self._hook_input()
        if values.get("PublicVersionNumber") is not None and values.get("PublisherId") is None:
            raise ValidationError("PublicVersionNumber can only be specified together with PublisherId")
        described = describe.describe_type(
            self.hooks.registry,
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")),
            values.get("VersionId"),
            values.get("PublisherId"),
        )
        return ActionResult(described)

    def list_types(self) -> ActionResult:
        values = self._hook_input()
        query = {k: values.get(k) for k in ("Visibility", "ProvisioningType", "DeprecatedStatus", "Type", "Filters")}
        summaries, token = describe.list_types(
            self.hooks.registry, query, values.get("NextToken"), values.get("MaxResults")
        )
        return ActionResult({"TypeSummaries": summaries, "NextToken": token})

    def batch_describe_type_configurations(self) -> ActionResult:
        values = self._hook_input()
        identifiers = values.get("TypeConfigurationIdentifiers") or []
        if not identifiers or any(not i for i in identifiers):
            raise ValidationError(
                "1 validation error detected: Value null at 'typeConfigurationIdentifiers' failed to satisfy "
                "constraint: Member must not be null"
            )
        details = self.hooks.registry.describe_configurations(identifiers)
        return ActionResult({"Errors": [], "UnprocessedTypeConfigurations": [], "TypeConfigurations": details})

    def deactivate_type(self) -> ActionResult:
        values = self._hook_input()
        self.hooks.registry.deactivate(TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")))
        return EmptyResult()

    def deregister_type(self) -> ActionResult:
        values = self._hook_input()
        self.hooks.registry.deregister(
            TypeRef(values.get("Arn"), values.get("Type"), values.get("TypeName")), values.get("VersionId")
        )
        return EmptyResult()

    # -- stack operations a Hook may block --------------------------------------------------------------
    def create_stack(self) -> ActionResult:
        try:
            return super().create_stack()
        except HookBlocked as blocked:
            return ActionResult({"StackId": blocked.stack_id})

    def update_stack(self) -> ActionResult:
        try:
            return super().update_stack()
        except HookBlocked as blocked:
            return ActionResult({"StackId": blocked.stack_id})

    def delete_stack(self) -> ActionResult:
        try:
            return super().delete_stack()
        except HookBlocked:
            return EmptyResult()
