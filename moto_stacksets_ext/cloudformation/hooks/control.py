"""The Hook part of the test-control API: scripted Hook outcomes and seeded Hook results.

``StackSetsControl`` (``moto_stacksets_ext.control``) exposes these in-process; ``control_api`` serves
them over HTTP (``/moto-api/stacksets/hook-outcomes`` and ``/moto-api/stacksets/hook-results``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from . import packages, projects
from .model import Annotation, HookCategory, HookResult, HookStatus, TargetType
from .outcomes import HookOutcome
from .state import HookState, handler_book, outcome_book

#: AWS member name -> field of ``Annotation``.
ANNOTATION_KEYS = {
    "AnnotationName": "annotation_name",
    "Status": "status",
    "StatusMessage": "status_message",
    "RemediationMessage": "remediation_message",
    "RemediationLink": "remediation_link",
    "SeverityLevel": "severity_level",
}
_ANNOTATION_ENUMS = {
    "status": ("PASSED", "FAILED", "SKIPPED"),
    "severity_level": ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"),
}


def annotation(value: Annotation | Mapping[str, Any]) -> Annotation:
    """An annotation from an ``Annotation`` or a dict with AWS (``StatusMessage``) or snake_case keys."""
    if isinstance(value, Annotation):
        made = value
    else:
        fields: dict[str, Any] = {}
        for key, item in value.items():
            name = ANNOTATION_KEYS.get(key, key)
            if name not in ANNOTATION_KEYS.values():
                raise ValueError(f"unknown annotation field {key!r}")
            if item is not None and not isinstance(item, str):
                raise ValueError(f"annotation field {key!r} must be a string")
            fields[name] = item
        made = Annotation(**fields)
    for name, allowed in _ANNOTATION_ENUMS.items():
        if getattr(made, name) is not None and getattr(made, name) not in allowed:
            raise ValueError(f"annotation {name} must be one of {list(allowed)}")
    return made


def _enum(kind: type[HookStatus] | type[TargetType] | type[HookCategory], value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError as error:
        raise ValueError(f"{what} must be one of {[m.value for m in kind]}") from error


def hook_outcome(
    *,
    type_name: str | None = None,
    status: str | HookStatus = HookStatus.HOOK_COMPLETE_FAILED,
    reason: str | None = None,
    annotations: Sequence[Annotation | Mapping[str, Any]] = (),
    target_type: str | TargetType | None = None,
    target_name: str | None = None,
    account: str | None = None,
    region: str | None = None,
    times: int | None = None,
) -> HookOutcome:
    """Script what matching Hook invocations decide (see ``outcomes`` for matching)."""
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise ValueError("times must be a positive integer (or None for a persistent outcome)")
    outcome = HookOutcome(
        status=_enum(HookStatus, status, "status"),
        reason=reason,
        annotations=[annotation(a) for a in annotations],
        type_name=type_name,
        target_type=_enum(TargetType, target_type, "target_type") if target_type is not None else None,
        target_name=target_name,
        account=account,
        region=region,
        times=times,
    )
    return outcome_book().add(outcome)


def hook_state(account: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1") -> HookState:
    from ..models import stacksets_backends

    if not re.fullmatch(r"[0-9]{12}", account):
        raise ValueError(f"account must be 12 digits, not {account!r}")
    try:
        backend = stacksets_backends[account][region]
    except KeyError as error:
        raise ValueError(f"{region!r} is not a region moto knows") from error
    state: HookState = backend.hooks
    return state


def record_hook_result(
    *,
    type_name: str,
    target_type: str | TargetType,
    target_id: str,
    status: str | HookStatus = HookStatus.HOOK_COMPLETE_SUCCEEDED,
    reason: str | None = None,
    failure_mode: str = "FAIL",
    annotations: Sequence[Annotation | Mapping[str, Any]] = (),
    resource_type: str | None = None,
    resource_id: str | None = None,
    action: str | None = None,
    hook_execution_target: str | None = None,
    original_type_name: str | None = None,
    type_version_id: str = "00000001",
    type_configuration_version_id: str | None = "00000001",
    hook_category: str | HookCategory = HookCategory.CUSTOM,
    account: str = DEFAULT_ACCOUNT_ID,
    region: str = "us-east-1",
) -> HookResult:
    """Store a Hook result directly, as if ``type_name`` had been invoked on the target."""
    return hook_state(account, region).record(
        type_name=type_name,
        target_type=_enum(TargetType, target_type, "target_type"),
        target_id=target_id,
        status=_enum(HookStatus, status, "status"),
        reason=reason,
        failure_mode=failure_mode,
        type_version_id=type_version_id,
        type_configuration_version_id=type_configuration_version_id,
        original_type_name=original_type_name,
        hook_execution_target=hook_execution_target,
        resource_type=resource_type,
        resource_id=resource_id,
        action=action,
        annotations=[annotation(a) for a in annotations],
        hook_category=_enum(HookCategory, hook_category, "hook_category"),
    )


__all__ = [
    "ANNOTATION_KEYS",
    "HookOutcome",
    "HookResult",
    "HooksControl",
    "annotation",
    "hook_outcome",
    "hook_state",
    "outcome_book",
    "record_hook_result",
]


class HooksControl:
    """Hook code run in-process (``control.hooks``): custom Hook handlers and Lambda Hook functions.

    A registered Hook type whose name has a handler, or a Lambda Hook whose ``LambdaFunction`` has a
    function, is decided by that code when it is invoked (a scripted ``hook_outcome`` still wins). Reset with
    moto's reset.
    """

    def handler(self, type_name: str, hook: Any) -> None:
        """Run ``hook`` (a ``cloudformation_cli_python_lib.Hook``, or any ``hook(event, context)`` callable
        answering a Hook progress event) for Hooks named ``type_name`` (the registered name, the alias or the
        public name)."""
        if not isinstance(type_name, str) or not 10 <= len(type_name) <= 204:
            raise ValueError("type_name must be a Hook type name such as 'MyCompany::Testing::MyHook'")
        if not callable(hook):
            raise TypeError("hook must be callable as hook(event, context) (a cloudformation_cli_python_lib Hook)")
        handler_book().by_type[type_name] = hook

    def lambda_function(self, function_arn: str, function: Any) -> None:
        """Run ``function(event, context)`` whenever a Lambda Hook's ``LambdaFunction`` is ``function_arn``
        (instead of the moto Lambda function of that ARN)."""
        if not isinstance(function_arn, str) or not function_arn.startswith("arn:") or ":function:" not in function_arn:
            raise ValueError(
                "function_arn must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)"
            )
        if not callable(function):
            raise TypeError("function must be callable as function(event, context)")
        handler_book().by_function[function_arn] = function

    def load_project(
        self, directory: str | Path, *, account: str = DEFAULT_ACCOUNT_ID, region: str = "us-east-1"
    ) -> str:
        """Load a CloudFormation CLI Hook project (``.rpdk-config``, schema, ``src/`` handlers): register its
        handler and register the type with its schema in ``account`` and ``region`` (as ``cfn submit``).
        Returns the type ARN. The registration is complete when this returns (``cfn submit`` waits for it)."""
        found = projects.read(directory)
        registry = hook_state(account, region).registry
        registration = registry.register(
            kind="HOOK",
            type_name=found.type_name,
            schema_handler_package=f"s3://cloudformation-cli/{found.type_name.replace('::', '-').lower()}.zip",
            execution_role_arn=None,
            logging_config=None,
            document=packages.document("HOOK", found.type_name, found.schema),
        )
        registration.finish()  # ``cfn submit`` waits for it; the registry installs the version at its next call
        handler_book().by_type[found.type_name] = found.hook
        return registry.type_arn("HOOK", found.type_name)

    def registered(self) -> dict[str, list[str]]:
        """Names with a handler and function ARNs with a function."""
        book = handler_book()
        return {"handlers": sorted(book.by_type), "lambda_functions": sorted(book.by_function)}

    def clear(self) -> None:
        """Forget every registered handler and function."""
        handler_book().clear()
