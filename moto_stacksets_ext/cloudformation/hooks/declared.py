"""Hooks declared in templates: the six registry resource types, each doing what its registry calls do.

- ``AWS::CloudFormation::LambdaHook`` / ``GuardHook``: ``ActivateType`` of ``AWS::Hooks::LambdaHook`` /
  ``AWS::Hooks::GuardHook`` (publisher ``aws-hooks``) under ``Alias`` with ``ExecutionRole``, then
  ``SetTypeConfiguration`` of a configuration built from ``HookStatus``, ``TargetOperations``,
  ``FailureMode``, ``TargetFilters``, ``StackFilters`` and the Hook's properties (``LambdaFunction``;
  ``RuleLocation``, ``LogBucket``, ``Options``). Update configures again (a new ``Alias`` or
  ``ExecutionRole`` replaces the activation); delete is ``DeactivateType``. ``Ref``/``HookArn``: the
  activated type's ARN.
- ``AWS::CloudFormation::HookVersion``: ``RegisterType`` of a Hook (``TypeName``, ``SchemaHandlerPackage``,
  ``ExecutionRoleArn``, ``LoggingConfig``); the stack waits for the registration (it completes whatever
  moto's state-manager progression is). ``Ref``/``Arn``: the version ARN; ``TypeArn``, ``VersionId``,
  ``IsDefaultVersion``, ``Visibility`` (``PRIVATE``). Delete deregisters the version (the type when it is its
  last version).
- ``AWS::CloudFormation::HookDefaultVersion``: ``SetTypeDefaultVersion`` (``TypeVersionArn``, or
  ``TypeName`` + ``VersionId``). ``Ref``/``Arn``: the version ARN. Delete changes nothing (**choice**).
- ``AWS::CloudFormation::HookTypeConfig``: ``SetTypeConfiguration`` (``TypeArn`` or ``TypeName``,
  ``Configuration``, ``ConfigurationAlias``). ``Ref``/``ConfigurationArn``. Delete removes that configuration,
  so the Hook no longer runs (**choice**: no API call does this).
- ``AWS::CloudFormation::TypeActivation``: ``ActivateType``. ``Ref``/``Arn``. Delete is ``DeactivateType``.

The registry's own errors (``TypeNotFoundException``, ``CFNRegistryException``...) fail the resource, as on
AWS: the stack call succeeds, the resource ends ``CREATE_FAILED``/``UPDATE_FAILED`` with the handler's message
and the stack rolls back (``template_stacks``, the same work and rollback as the StackSet resource's). In a
stack-set instance's stack the error fails the stack call instead (the deployer fails the target with its
message, and the create is undone: ``undo_create``).
Attributes follow the resource schemas cfn-lint ships (``readOnlyProperties``, ``primaryIdentifier``).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from moto.utilities.utils import get_partition

from .. import template_types
from ..exceptions import CloudFormationStackSetError
from ..stackset_runs import ResourceWork
from . import pacing
from .catalog import PUBLISHER
from .exceptions import CFNRegistryException
from .registry import TypeRef, TypeRegistry

#: Set on a registry error raised while moto creates a declared resource of a stack-set instance's stack (its
#: logical id): the stack call that failed is undone (``undo_create``).
FAILED_RESOURCE = "_moto_stacksets_declared_resource"


def undo_create(backend: Any, name: str) -> None:
    """Undo a ``CreateStack`` that failed on a declared resource: the resources made so far are deleted and
    the stack is dropped, so the call's error changes nothing."""
    stack = next((s for s in backend.stacks.values() if s.name == name and s.status == "CREATE_IN_PROGRESS"), None)
    if stack is None:
        return
    backend.stacks.pop(stack.stack_id, None)
    with contextlib.suppress(Exception):  # a resource moto cannot delete again: the stack is gone either way
        stack.resource_map.delete()


def _registry(account_id: str, region_name: str) -> TypeRegistry:
    from ..models import stacksets_backends

    registry: TypeRegistry = stacksets_backends[account_id][region_name].hooks.registry
    return registry


def _properties(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    found = cloudformation_json.get("Properties") or {}
    return found if isinstance(found, dict) else {}


class _Declared(template_types.PluginModel):
    """A registry resource declared in a template (one account and region)."""

    #: Fn::GetAtt attribute name -> instance attribute.
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {}
    #: The attribute Ref answers.
    REF = "arn"

    def __init__(self, account_id: str, region_name: str, properties: dict[str, Any]) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.properties = properties
        self.arn = ""
        #: The parent stack and the resource's logical id (its events, if a registry call fails).
        self.stack_id = ""
        self.logical_id = ""
        #: False when the create failed: nothing was registered, so deleting it calls nothing.
        self.made = True

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @property
    def physical_resource_id(self) -> str:
        return str(getattr(self, self.REF))

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name not in self.ATTRIBUTES:
            raise UnformattedGetAttTemplateException()
        return getattr(self, self.ATTRIBUTES[attribute_name])

    def is_created(self) -> bool:
        return True

    @property
    def registry(self) -> TypeRegistry:
        return _registry(self.account_id, self.region_name)

    def apply(self) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError

    def delete(self, account_id: str, region_name: str) -> None:
        if self.made:
            self.remove()

    def deactivate(self) -> None:
        """DeactivateType of the activated type this resource made (unless something removed it already)."""
        if any(t.type_arn == self.arn for t in self.registry.types()):
            self.registry.deactivate(TypeRef(arn=self.arn))

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Declared:
        resource = cls(account_id, region_name, _properties(cloudformation_json))
        resource.stack_id, resource.logical_id = str(kwargs.get("StackId", "")), str(kwargs.get("LogicalId", ""))
        try:
            resource.apply()
        except CloudFormationStackSetError as error:
            if pacing.current() is not None:  # a stack-set instance's stack: the deployer fails the target
                setattr(error, FAILED_RESOURCE, kwargs.get("LogicalId", ""))
                raise
            resource.made = False
            _fail(resource, "CREATE", error)
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: _Declared,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> _Declared:
        resource = cls(account_id, region_name, _properties(cloudformation_json))
        resource.stack_id, resource.logical_id = original_resource.stack_id, original_resource.logical_id
        try:
            resource.replace(original_resource)
        except CloudFormationStackSetError as error:
            if pacing.current() is not None:
                raise
            _fail(resource, "UPDATE", error)
            return original_resource  # the failed update changed nothing of it
        return resource

    def replace(self, original: _Declared) -> None:
        """Update in place of ``original`` (default: apply the new properties)."""
        self.apply()

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        """Only reached for a resource moto could not build; nothing was registered for it."""


def _fail(resource: _Declared, action: str, error: CloudFormationStackSetError) -> None:
    """The registry's error fails the resource (not the stack call): a work that failed before any call, run
    by ``template_stacks`` with its parent's rollback, as a StackSet resource's is."""
    from .. import template_stacks

    work = ResourceWork(
        stack_id=resource.stack_id,
        logical_id=resource.logical_id,
        resource_type=resource.cloudformation_type(),
        action=action,
        physical_id=resource.physical_resource_id,
        failure=template_stacks.handler_reason(error),
        resource=resource,
    )
    template_stacks.start(resource.account_id, resource.region_name, work)


def _hook_configuration(properties: dict[str, Any], hook_properties: dict[str, Any], status: str) -> str:
    configuration: dict[str, Any] = {
        "HookInvocationStatus": properties.get("HookStatus", status),
        "TargetOperations": properties.get("TargetOperations"),
        "FailureMode": properties.get("FailureMode", "WARN"),
        "Properties": hook_properties,
    }
    for key in ("TargetFilters", "StackFilters"):
        if properties.get(key) is not None:
            configuration[key] = properties[key]
    return json.dumps({"CloudFormationConfiguration": {"HookConfiguration": configuration}})


class _ManagedHook(_Declared):
    """An AWS managed Hook activated under an alias and configured (LambdaHook, GuardHook)."""

    PUBLIC_TYPE = ""
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {"HookArn": "arn"}
    #: HookStatus when the template leaves it out (the resource schemas' defaults).
    DEFAULT_STATUS = "ENABLED"

    def hook_properties(self) -> dict[str, Any]:
        raise NotImplementedError

    def _activate(self) -> None:
        activated = self.registry.activate(
            kind="HOOK",
            public_type_arn=None,
            type_name=self.PUBLIC_TYPE,
            publisher_id=PUBLISHER,
            alias=self.properties.get("Alias"),
            execution_role_arn=self.properties.get("ExecutionRole"),
            logging_config=self.properties.get("LoggingConfig"),
            auto_update=self.properties.get("AutoUpdate"),
            major_version=None,
        )
        self.arn = activated.type_arn

    def _configure(self) -> None:
        configuration = _hook_configuration(self.properties, self.hook_properties(), self.DEFAULT_STATUS)
        try:
            self.registry.set_configuration(TypeRef(arn=self.arn), configuration, None)
        except Exception:
            self.registry.deactivate(TypeRef(arn=self.arn))  # nothing stays of a failed create
            raise

    def apply(self) -> None:
        self._activate()
        self._configure()

    def replace(self, original: _Declared) -> None:
        same = all(original.properties.get(k) == self.properties.get(k) for k in ("Alias", "ExecutionRole"))
        if same:
            self.arn = original.arn
            self.registry.set_configuration(
                TypeRef(arn=self.arn),
                _hook_configuration(self.properties, self.hook_properties(), self.DEFAULT_STATUS),
                None,
            )
            return
        self.apply()
        original.remove()

    def remove(self) -> None:
        self.deactivate()


class LambdaHook(_ManagedHook):
    PUBLIC_TYPE = "AWS::Hooks::LambdaHook"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::LambdaHook"

    def hook_properties(self) -> dict[str, Any]:
        function = self.properties.get("LambdaFunction")
        if isinstance(function, str) and not function.startswith("arn:"):
            # a name or a partial ARN ([account:]function:name[:qualifier]) of a function in the stack's
            # account and region
            name = function.split("function:", 1)[-1]
            partition = get_partition(self.region_name)
            function = f"arn:{partition}:lambda:{self.region_name}:{self.account_id}:function:{name}"
        return {"LambdaFunction": function}


class GuardHook(_ManagedHook):
    PUBLIC_TYPE = "AWS::Hooks::GuardHook"
    DEFAULT_STATUS = "DISABLED"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::GuardHook"

    def hook_properties(self) -> dict[str, Any]:
        return {k: self.properties[k] for k in ("RuleLocation", "LogBucket", "Options") if k in self.properties}


class TypeActivation(_Declared):
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {"Arn": "arn"}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::TypeActivation"

    def apply(self) -> None:
        major = self.properties.get("MajorVersion")
        activated = self.registry.activate(
            kind=self.properties.get("Type"),
            public_type_arn=self.properties.get("PublicTypeArn"),
            type_name=self.properties.get("TypeName"),
            publisher_id=self.properties.get("PublisherId"),
            alias=self.properties.get("TypeNameAlias"),
            execution_role_arn=self.properties.get("ExecutionRoleArn"),
            logging_config=self.properties.get("LoggingConfig"),
            auto_update=self.properties.get("AutoUpdate"),
            major_version=int(major) if major is not None else None,
        )
        self.arn = activated.type_arn

    def replace(self, original: _Declared) -> None:
        self.apply()
        if self.arn != original.arn:
            original.remove()

    def remove(self) -> None:
        self.deactivate()


class HookVersion(_Declared):
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {
        "Arn": "arn",
        "TypeArn": "type_arn",
        "VersionId": "version_id",
        "IsDefaultVersion": "is_default_version",
        "Visibility": "visibility",
    }
    visibility = "PRIVATE"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::HookVersion"

    def __init__(self, account_id: str, region_name: str, properties: dict[str, Any]) -> None:
        super().__init__(account_id, region_name, properties)
        self.type_arn = ""
        self.version_id = ""

    @property
    def is_default_version(self) -> bool:
        for registered in self.registry.types():
            if registered.type_arn == self.type_arn:
                return registered.default_version_id == self.version_id
        return False

    def apply(self) -> None:
        registry = self.registry
        registration = registry.register(
            kind="HOOK",
            type_name=str(self.properties.get("TypeName")),
            schema_handler_package=str(self.properties.get("SchemaHandlerPackage")),
            execution_role_arn=self.properties.get("ExecutionRoleArn"),
            logging_config=self.properties.get("LoggingConfig"),
        )
        # CloudFormation waits for the registration to end: a stack call is synchronous here.
        registration.finish()  # the registry installs the version at its next call (its door)
        if registration.progress == "FAILED":
            raise CFNRegistryException(registration.failure or "Registration failed")
        self.arn = registration.version_arn
        self.type_arn = registration.type_arn
        self.version_id = registration.version_id

    def replace(self, original: _Declared) -> None:
        # Every property of a HookVersion is create-only: an update registers a new version, which takes
        # over as default when the old one was (choice: the old default could not be deregistered otherwise).
        assert isinstance(original, HookVersion)
        was_default = original.is_default_version
        self.apply()
        if was_default and self.type_arn == original.type_arn:
            self.registry.set_default_version(TypeRef(arn=self.type_arn), self.version_id)
        original.remove()

    def remove(self) -> None:
        registry = self.registry
        for registered in registry.types():
            if registered.type_arn != self.type_arn or self.version_id not in registered.versions:
                continue
            if len(registered.versions) == 1:
                registry.deregister(TypeRef(arn=self.type_arn), None)
            elif registered.default_version_id != self.version_id:
                registry.deregister(TypeRef(arn=self.type_arn), self.version_id)
            else:  # the default of several: AWS refuses; moto tries again once the others are gone
                raise CFNRegistryException(
                    f"Version '{self.version_id}' is the default version and cannot be deregistered. "
                    f"Deregister the resource type '{registered.type_name}' instead."
                )
            return


class HookDefaultVersion(_Declared):
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {"Arn": "arn"}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::HookDefaultVersion"

    def apply(self) -> None:
        version_arn = self.properties.get("TypeVersionArn")
        registry = self.registry
        if version_arn is not None:
            ref = TypeRef(arn=str(version_arn))
            version_id = None
        else:
            ref = TypeRef(type="HOOK", type_name=self.properties.get("TypeName"))
            version_id = self.properties.get("VersionId")
        registry.set_default_version(ref, version_id)
        found, arn_version = registry.find(ref)
        self.arn = found.version_arn(version_id or arn_version)

    def remove(self) -> None:
        """The default version stays what it is (no registry call undoes a default)."""


class HookTypeConfig(_Declared):
    ATTRIBUTES: ClassVar[Mapping[str, str]] = {"ConfigurationArn": "arn"}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::HookTypeConfig"

    def _ref(self) -> TypeRef:
        if self.properties.get("TypeArn") is not None:
            return TypeRef(arn=str(self.properties["TypeArn"]))
        return TypeRef(type="HOOK", type_name=self.properties.get("TypeName"))

    def apply(self) -> None:
        configuration = self.properties.get("Configuration")
        if not isinstance(configuration, str):
            configuration = json.dumps(configuration)
        self.arn = self.registry.set_configuration(
            self._ref(), configuration, self.properties.get("ConfigurationAlias")
        )

    def remove(self) -> None:
        self.registry.remove_configuration(self._ref(), self.properties.get("ConfigurationAlias"))


MODELS: tuple[type[_Declared], ...] = (
    LambdaHook,
    GuardHook,
    TypeActivation,
    HookVersion,
    HookDefaultVersion,
    HookTypeConfig,
)


def register_all() -> None:
    """Register the six types with the plugin's template parser seam (idempotent)."""
    for model in MODELS:
        template_types.register(model)
