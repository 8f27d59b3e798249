"""Typed Hook state: registered and activated types, their configuration, and Hook results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class HookStatus(str, Enum):
    HOOK_IN_PROGRESS = "HOOK_IN_PROGRESS"
    HOOK_COMPLETE_SUCCEEDED = "HOOK_COMPLETE_SUCCEEDED"
    HOOK_COMPLETE_FAILED = "HOOK_COMPLETE_FAILED"
    HOOK_FAILED = "HOOK_FAILED"

    @property
    def failed(self) -> bool:
        return self in (HookStatus.HOOK_COMPLETE_FAILED, HookStatus.HOOK_FAILED)


class TargetType(str, Enum):
    CHANGE_SET = "CHANGE_SET"
    STACK = "STACK"
    RESOURCE = "RESOURCE"
    CLOUD_CONTROL = "CLOUD_CONTROL"


class HookCategory(str, Enum):
    """ListHookResults' HookCategory: MANAGED (Hooks AWS manages), CUSTOM (every other Hook, including AWS
    published Hooks a test activates)."""

    MANAGED = "MANAGED"
    CUSTOM = "CUSTOM"


#: Default HookStatusReason of each status when a scripted outcome gives none.
DEFAULT_REASONS = {
    HookStatus.HOOK_IN_PROGRESS: "Hook invocation is in progress",
    HookStatus.HOOK_COMPLETE_SUCCEEDED: "Hook completed successfully",
    HookStatus.HOOK_COMPLETE_FAILED: "Hook completed with failed validations",
    HookStatus.HOOK_FAILED: "Hook failed to complete",
}


@dataclass(frozen=True)
class Annotation:
    annotation_name: str | None = None
    status: str | None = None  # PASSED | FAILED | SKIPPED
    status_message: str | None = None
    remediation_message: str | None = None
    remediation_link: str | None = None
    severity_level: str | None = None  # INFORMATIONAL | LOW | MEDIUM | HIGH | CRITICAL


@dataclass
class HookResult:
    """One Hook invocation, as ListHookResults and GetHookResult report it."""

    seq: int
    hook_result_id: str
    type_name: str
    type_arn: str
    type_version_id: str
    type_configuration_version_id: str | None
    original_type_name: str | None
    failure_mode: str
    status: HookStatus
    hook_status_reason: str
    invoked_at: datetime
    target_type: TargetType
    target_id: str
    hook_execution_target: str | None
    #: GetHookResult's ``Target`` (a resource): its type, identifier and action, when known.
    resource_type: str | None = None
    resource_id: str | None = None
    action: str | None = None
    annotations: list[Annotation] = field(default_factory=list)
    invocation_point: str = "PRE_PROVISION"
    hook_category: HookCategory = HookCategory.CUSTOM


@dataclass
class TargetFilterRule:
    """One ``TargetFilters`` entry: a target name (wildcards allowed), an action, an invocation point."""

    target_name: str | None = None
    action: str | None = None
    invocation_point: str | None = None


@dataclass
class HookConfiguration:
    """``CloudFormationConfiguration.HookConfiguration`` of a Hook, parsed."""

    enabled: bool = False
    target_operations: list[str] = field(default_factory=list)
    failure_mode: str = "WARN"
    #: TargetFilters as rules; an empty list matches every target.
    target_rules: list[TargetFilterRule] = field(default_factory=list)
    stack_criteria: str | None = None  # ALL | ANY; None: no StackFilters
    stack_names_include: list[str] = field(default_factory=list)
    stack_names_exclude: list[str] = field(default_factory=list)
    stack_roles_include: list[str] = field(default_factory=list)
    stack_roles_exclude: list[str] = field(default_factory=list)


@dataclass
class TypeConfiguration:
    alias: str
    configuration: str
    parsed: HookConfiguration
    version_id: str
    last_updated: datetime


@dataclass
class TypeDocument:
    """What a type's package (or its activation) says about it: schema, configuration schema, URLs."""

    schema: str | None = None
    configuration_schema: str | None = None
    description: str | None = None
    source_url: str | None = None
    documentation_url: str | None = None


@dataclass
class TypeVersion:
    version_id: str
    time_created: datetime
    deprecated: bool = False
    document: TypeDocument = field(default_factory=TypeDocument)
    execution_role_arn: str | None = None
    logging_config: dict[str, str] | None = None
    tests_status: str = "NOT_TESTED"  # NOT_TESTED | IN_PROGRESS | PASSED | FAILED
    public_type_arn: str | None = None


@dataclass
class RegistryType:
    """A type in one account and region's registry: registered (private) or activated (public)."""

    seq: int
    type: str  # RESOURCE | MODULE | HOOK
    type_name: str  # the alias for an activated type
    type_arn: str
    time_created: datetime
    last_updated: datetime
    activated: bool = False
    original_type_name: str | None = None
    original_type_arn: str | None = None
    publisher_id: str | None = None
    public_version_number: str | None = None
    auto_update: bool | None = None
    versions: dict[str, TypeVersion] = field(default_factory=dict)
    default_version_id: str = "00000001"
    configurations: dict[str, TypeConfiguration] = field(default_factory=dict)
    configuration_count: int = 0

    def version_arn(self, version_id: str | None = None) -> str:
        return f"{self.type_arn}/{version_id or self.default_version_id}"

    @property
    def hook_configuration(self) -> TypeConfiguration | None:
        return self.configurations.get("default")

    @property
    def default_version(self) -> TypeVersion:
        return self.versions[self.default_version_id]

    @property
    def document(self) -> TypeDocument:
        """The default version's schema, configuration schema and URLs."""
        return self.default_version.document
