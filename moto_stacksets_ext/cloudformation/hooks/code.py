"""Deciding a Hook invocation by running the Hook's code (see ``handlers``): which code, and its request.

Custom Hooks run the handler registered for their type name; ``AWS::Hooks::LambdaHook`` runs the
function its configuration names in ``Properties.LambdaFunction`` (a Python callable registered for the
ARN, else the moto Lambda function's own code); ``AWS::Hooks::GuardHook`` evaluates its rules with cfn-guard
(``guard``, when the engine is installed). No code → ``None``: scripted outcomes and the default
(success) decide, as before.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import guard, lambdas
from .handlers import Callback, HookHandlerBook, LambdaContext, Runner, run
from .model import RegistryType, TargetType, TypeConfiguration
from .outcomes import HookOutcome

if TYPE_CHECKING:
    from .invocation import Target
    from .registry import TypeRegistry

LAMBDA_HOOK = "AWS::Hooks::LambdaHook"


def hook_properties(configuration: TypeConfiguration) -> dict[str, Any]:
    """The configuration's ``HookConfiguration.Properties`` (the request's ``hookModel``)."""
    try:
        document = json.loads(configuration.configuration)
        found = document["CloudFormationConfiguration"]["HookConfiguration"].get("Properties") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def _runner(
    handlers: HookHandlerBook, hook: RegistryType, properties: dict[str, Any]
) -> tuple[Runner, Any, bool] | None:
    """(runner, context, whether it gets caller credentials) of the Hook's code, or None."""
    for name in (hook.type_name, hook.original_type_name):
        if name and name in handlers.by_type:
            arn = f"arn:aws:lambda:us-east-1:000000000000:function:{name.replace('::', '-')}"
            return handlers.by_type[name], LambdaContext(arn), True
    if hook.original_type_name == LAMBDA_HOOK:
        function_arn = properties.get("LambdaFunction")
        if not isinstance(function_arn, str):
            return None
        registered = handlers.by_function.get(function_arn)
        if registered is not None:
            return registered, LambdaContext(function_arn), False
        from_moto = lambdas.moto_function(function_arn)
        if from_moto is not None:
            return from_moto, LambdaContext(function_arn), False
    return None


def _credentials(account_id: str, region: str, role_arn: str | None) -> str:
    """Credentials of an assumed role in ``account_id`` (moto maps them to that account), as JSON."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(region)
    role = role_arn or f"arn:{partition}:iam::{account_id}:role/CloudFormationHookInvocation"
    assumed = sts_backends[account_id][partition].assume_role(
        region_name=region,
        role_session_name="CloudFormationHooks",
        role_arn=role,
        policy="",
        duration=3600,
        external_id="",
    )
    return json.dumps(
        {
            "accessKeyId": assumed.access_key_id,
            "secretAccessKey": assumed.secret_access_key,
            "sessionToken": assumed.session_token,
        }
    )


def _target_model(target: Target) -> dict[str, Any]:
    if target.target_type is TargetType.RESOURCE:
        model: dict[str, Any] = {"resourceProperties": target.properties or {}}
        if target.action == "UPDATE":
            model["previousResourceProperties"] = target.previous_properties or {}
        return model
    model = {"template": target.template}
    if target.target_type is TargetType.STACK and target.previous_template is not None:
        model["previousTemplate"] = target.previous_template
    if target.target_type is TargetType.CHANGE_SET:
        model["changedResources"] = changed_resources(target.template)
    return model


def changed_resources(template: str | None) -> list[dict[str, Any]]:
    """A create change set's changed resources, as the change-set target model lists them."""
    try:
        parsed = json.loads(template or "{}")
    except ValueError:
        return []
    resources = parsed.get("Resources") if isinstance(parsed, dict) else None
    if not isinstance(resources, dict):
        return []
    return [
        {
            "logicalResourceId": logical_id,
            "resourceType": body.get("Type"),
            "action": "CREATE",
            "beforeContext": None,
            "afterContext": json.dumps({"Properties": body.get("Properties") or {}}),
        }
        for logical_id, body in resources.items()
        if isinstance(body, dict)
    ]


def request(
    registry: TypeRegistry, hook: RegistryType, properties: dict[str, Any], target: Target, credentials: bool
) -> dict[str, Any]:
    """The invocation request the service sends the Hook's code."""
    if target.target_type is TargetType.RESOURCE:
        name = kind = target.resource_type or ""
        logical_id = target.logical_id or target.target_id
    else:
        name = kind = target.target_type.value
        logical_id = (
            target.change_set_name or target.target_id
            if target.target_type is TargetType.CHANGE_SET
            else target.stack_name or target.target_id
        )
    request_data: dict[str, Any] = {
        "targetName": name,
        "targetType": kind,
        "targetLogicalId": logical_id,
        "targetModel": _target_model(target),
    }
    if credentials:
        role = hook.default_version.execution_role_arn
        request_data["callerCredentials"] = _credentials(registry.account_id, registry.region_name, role)
    return {
        "clientRequestToken": str(uuid.uuid4()),
        "awsAccountId": registry.account_id,
        "stackId": target.stack_id or "",
        "changeSetId": target.change_set_id,
        "hookTypeName": hook.type_name,
        "hookTypeVersion": hook.default_version_id,
        "hookModel": dict(properties),
        "actionInvocationPoint": f"{target.action}_PRE_PROVISION",
        "requestData": request_data,
        "requestContext": {"invocation": 1, "callbackContext": None},
    }


@contextmanager
def _served_by_the_mock() -> Iterator[None]:
    """Make the code's own boto3 calls reach the mock's backends in this process (also in server mode)."""
    from moto import mock_aws
    from moto.core.models import botocore_stubber

    if botocore_stubber.enabled:  # in-process: the test's own mock already serves them
        yield
        return
    mock = mock_aws()
    mock.start(reset=False)
    try:
        yield
    finally:
        mock.stop(remove_data=False)


def decide_by_code(
    registry: TypeRegistry,
    handlers: HookHandlerBook,
    hook: RegistryType,
    configuration: TypeConfiguration,
    target: Target,
    resume: Callback | None = None,
    paced: bool = False,
) -> HookOutcome | Callback | None:
    """The Hook's code's decision (None: it has no code). ``paced``: an IN_PROGRESS answer comes back as a
    ``Callback`` (see ``handlers.run``), which a later call hands back as ``resume``."""
    properties = hook_properties(configuration)
    found = _runner(handlers, hook, properties)
    if found is None and hook.original_type_name == guard.GUARD_HOOK:
        stack_name = target.stack_name if target.target_type is not TargetType.RESOURCE else None
        guard_runner = guard.runner(registry.account_id, registry.partition, stack_name)
        if guard_runner is not None:
            found = guard_runner, LambdaContext(hook.type_arn), False
    if found is None:
        return None
    runner, context, credentials = found
    event = request(registry, hook, properties, target, credentials)
    with _served_by_the_mock():
        verdict = run(runner, event, context, resume, paced)
    if isinstance(verdict, Callback):
        return verdict
    return HookOutcome(status=verdict.status, reason=verdict.reason, annotations=verdict.annotations)
