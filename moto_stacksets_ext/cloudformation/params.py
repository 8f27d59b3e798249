"""Reading CloudFormation request parameters into engine types, with the rules AWS applies to them.

Model constraints (max, pattern, enum) are checked by ``validation``; this module adds the rules
that live in the API's documentation rather than in the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..engine.model import (
    AccountFilterType,
    AutoDeployment,
    ConcurrencyMode,
    DeploymentTargets,
    ManagedExecution,
    Parameter,
    PermissionModel,
    Preferences,
    RegionConcurrency,
    Tag,
)
from ..engine.requests import StackSetSpec
from .exceptions import ValidationError

STACK_SET_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]*")


def stack_set_name(name: str) -> str:
    """A new stack set's name: letters, digits and hyphens, starting with a letter, at most 128."""
    problems = []
    if not STACK_SET_NAME.fullmatch(name):
        problems.append("Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")
    if len(name) > 128:
        problems.append("Member must have length less than or equal to 128")
    if problems:
        noun = "error" if len(problems) == 1 else "errors"
        raise ValidationError(
            f"{len(problems)} validation {noun} detected: "
            + "; ".join(f"Value '{name}' at 'stackSetName' failed to satisfy constraint: {p}" for p in problems)
        )
    return name


def parameters(raw: list[Mapping[str, Any]] | None) -> list[Parameter]:
    """Parameters as sent; ``UsePreviousValue`` with a value is refused (the API reference: "You can't
    specify both a value and set UsePreviousValue to true"), in the words CloudFormation uses for stacks."""
    for item in raw or []:
        if item.get("UsePreviousValue") and item.get("ParameterValue"):
            raise ValidationError(
                f"Invalid input for parameter key {item.get('ParameterKey')}. Cannot specify usePreviousValue as true "
                "and non empty value for a parameter"
            )
    return [
        Parameter(
            parameter_key=item.get("ParameterKey", ""),
            parameter_value=item.get("ParameterValue"),
            use_previous_value=item.get("UsePreviousValue"),
        )
        for item in raw or []
    ]


def tags(raw: list[Mapping[str, Any]] | None) -> list[Tag]:
    return [Tag(key=item["Key"], value=item["Value"]) for item in raw or []]


def preferences(raw: Mapping[str, Any] | None) -> Preferences:
    """OperationPreferences as sent, after AWS's pairwise rules."""
    raw = raw or {}
    numbers = Preferences(
        failure_tolerance_count=raw.get("FailureToleranceCount"),
        failure_tolerance_percentage=raw.get("FailureTolerancePercentage"),
        max_concurrent_count=raw.get("MaxConcurrentCount"),
        max_concurrent_percentage=raw.get("MaxConcurrentPercentage"),
    )
    both = numbers.both_given()
    if both is not None:
        percentage, count = _EXCLUSIVE[both]
        raise ValidationError(
            f"Exactly one of {percentage} and {count} must be specified since both parameters are present"
        )
    region_type = raw.get("RegionConcurrencyType")
    mode = raw.get("ConcurrencyMode")
    numbers.region_concurrency_type = RegionConcurrency(region_type) if region_type else None
    numbers.region_order = list(raw.get("RegionOrder") or [])
    numbers.concurrency_mode = ConcurrencyMode(mode) if mode else None
    return numbers


#: The engine's exclusive preferences in AWS's names (percentage, count), as its message names them.
_EXCLUSIVE = {
    "failure_tolerance": ("FailureTolerancePercentage", "FailureToleranceCount"),
    "max_concurrent": ("MaxConcurrentPercentage", "MaxConcurrentCount"),
}


def deployment_targets(raw: Mapping[str, Any] | None) -> DeploymentTargets | None:
    if raw is None:
        return None
    filter_type = raw.get("AccountFilterType")
    return DeploymentTargets(
        accounts=list(raw["Accounts"]) if "Accounts" in raw else None,
        accounts_url=raw.get("AccountsUrl"),
        organizational_unit_ids=list(raw["OrganizationalUnitIds"]) if "OrganizationalUnitIds" in raw else None,
        account_filter_type=AccountFilterType(filter_type) if filter_type else None,
    )


def auto_deployment(raw: Mapping[str, Any] | None) -> AutoDeployment | None:
    if raw is None:
        return None
    return AutoDeployment(
        enabled=raw.get("Enabled"),
        retain_stacks_on_account_removal=raw.get("RetainStacksOnAccountRemoval"),
        depends_on=list(raw["DependsOn"]) if "DependsOn" in raw else None,
    )


def managed_execution(raw: Mapping[str, Any] | None) -> ManagedExecution | None:
    if raw is None:
        return None
    return ManagedExecution(active=bool(raw.get("Active", False)))


def regions(raw: list[str] | None) -> list[str]:
    """The regions, each once; an empty list is accepted (AWS is not known to reject it): no targets."""
    return list(dict.fromkeys(raw or []))


def stack_set_spec(values: Mapping[str, Any]) -> StackSetSpec:
    """CreateStackSet's request (or an ``AWS::CloudFormation::StackSet`` resource's properties) as the engine
    takes it."""
    spec = StackSetSpec(
        stack_set_name=stack_set_name(values["StackSetName"]),
        permission_model=PermissionModel(values.get("PermissionModel") or "SELF_MANAGED"),
        description=values.get("Description"),
        template_body=values.get("TemplateBody"),
        template_url=values.get("TemplateURL"),
        parameters=parameters(values.get("Parameters")),
        capabilities=list(values.get("Capabilities") or []),
        tags=tags(values.get("Tags")),
        administration_role_arn=values.get("AdministrationRoleARN"),
        execution_role_name=values.get("ExecutionRoleName"),
        auto_deployment=auto_deployment(values.get("AutoDeployment")),
    )
    managed = managed_execution(values.get("ManagedExecution"))
    if managed is not None:
        spec.managed_execution = managed
    return spec
