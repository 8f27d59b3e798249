"""RFS stack, execution-plan and private-hook paths → handlers (``/v1/{project_id}/stacks…``, ``/v1/private-hooks…``)
and the mock's download URLs standing in for OBS (stack templates, hook policies)."""

from __future__ import annotations

from .._transport.gateway import GatewayResponse
from . import api_hooks, api_plans, api_stacks
from .call import Handler
from .routes import Match

STACKS = "stacks"
HOOKS = ("v1", "private-hooks")
DOWNLOADS = {("v1", "stack-templates"), ("v1", "private-hook-policies")}

#: (method, path after /v1/{project_id}/stacks) → (RFS API action, handler); "{stack}"/"{plan}" are path parameters.
_STACK_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, Handler]] = {
    ("POST", ()): ("CreateStack", api_stacks.create_stack),
    ("GET", ()): ("ListStacks", api_stacks.list_stacks),
    ("PATCH", ("{stack}",)): ("UpdateStack", api_stacks.update_stack),
    ("DELETE", ("{stack}",)): ("DeleteStack", api_stacks.delete_stack),
    ("POST", ("{stack}", "deletion")): ("DeleteStackEnhanced", api_stacks.delete_stack_enhanced),
    ("POST", ("{stack}", "deployments")): ("DeployStack", api_stacks.deploy_stack),
    ("POST", ("{stack}", "continuations")): ("ContinueDeployStack", api_stacks.continue_deploy_stack),
    ("GET", ("{stack}", "metadata")): ("GetStackMetadata", api_stacks.get_stack_metadata),
    ("GET", ("{stack}", "templates")): ("GetStackTemplate", api_stacks.get_stack_template),
    ("GET", ("{stack}", "resources")): ("ListStackResources", api_stacks.list_stack_resources),
    ("GET", ("{stack}", "outputs")): ("ListStackOutputs", api_stacks.list_stack_outputs),
    ("GET", ("{stack}", "events")): ("ListStackEvents", api_stacks.list_stack_events),
    ("POST", ("{stack}", "execution-plans")): ("CreateExecutionPlan", api_plans.create_execution_plan),
    ("GET", ("{stack}", "execution-plans")): ("ListExecutionPlans", api_plans.list_execution_plans),
    ("POST", ("{stack}", "execution-plans", "{plan}")): ("ApplyExecutionPlan", api_plans.apply_execution_plan),
    ("GET", ("{stack}", "execution-plans", "{plan}")): ("GetExecutionPlan", api_plans.get_execution_plan),
    ("DELETE", ("{stack}", "execution-plans", "{plan}")): ("DeleteExecutionPlan", api_plans.delete_execution_plan),
    ("GET", ("{stack}", "execution-plans", "{plan}", "metadata")): (
        "GetExecutionPlanMetadata",
        api_plans.get_execution_plan_metadata,
    ),
}
#: (method, path after /v1/private-hooks) → (RFS API action, handler); "{hook}"/"{version}" are path parameters.
_HOOK_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, Handler]] = {
    ("POST", ()): ("CreatePrivateHook", api_hooks.create_private_hook),
    ("GET", ()): ("ListPrivateHooks", api_hooks.list_private_hooks),
    ("DELETE", ("{hook}",)): ("DeletePrivateHook", api_hooks.delete_private_hook),
    ("GET", ("{hook}", "metadata")): ("ShowPrivateHookMetadata", api_hooks.show_private_hook_metadata),
    ("PATCH", ("{hook}", "metadata")): ("UpdatePrivateHookMetadata", api_hooks.update_private_hook_metadata),
    ("POST", ("{hook}", "versions")): ("CreatePrivateHookVersion", api_hooks.create_private_hook_version),
    ("GET", ("{hook}", "versions")): ("ListPrivateHookVersions", api_hooks.list_private_hook_versions),
    ("DELETE", ("{hook}", "versions", "{version}")): (
        "DeletePrivateHookVersion",
        api_hooks.delete_private_hook_version,
    ),
    ("GET", ("{hook}", "versions", "{version}", "metadata")): (
        "ShowPrivateHookVersionMetadata",
        api_hooks.show_private_hook_version_metadata,
    ),
    ("GET", ("{hook}", "versions", "{version}", "policies")): (
        "ShowPrivateHookVersionPolicy",
        api_hooks.show_private_hook_version_policy,
    ),
}
_NAMES = {
    "{stack}": "stack_name",
    "{plan}": "execution_plan_name",
    "{hook}": "hook_name",
    "{version}": "hook_version",
}


def is_stack_path(parts: list[str]) -> bool:
    return len(parts) >= 3 and parts[0] == "v1" and parts[2] == STACKS and parts[1] not in ("stack-sets",)


def is_hook_path(parts: list[str]) -> bool:
    return tuple(parts[:2]) == HOOKS


def is_download_path(parts: list[str]) -> bool:
    return tuple(parts[:2]) in DOWNLOADS


def claims(parts: list[str]) -> bool:
    return is_stack_path(parts) or is_hook_path(parts) or is_download_path(parts)


def match(method: str, parts: list[str]) -> Match | None:
    if is_stack_path(parts):
        table, rest, path = _STACK_TABLE, parts[3:], {"project_id": parts[1]}
    elif is_hook_path(parts):
        table, rest, path = _HOOK_TABLE, parts[2:], {}
    else:
        return None
    for (verb, shape), (action, handler) in table.items():
        if verb != method or len(shape) != len(rest):
            continue
        found = dict(path)
        for expected, actual in zip(shape, rest, strict=True):
            if expected in _NAMES:
                found[_NAMES[expected]] = actual
            elif expected != actual:
                break
        else:
            return Match(action, handler, found)
    return None


def download(parts: list[str]) -> GatewayResponse:
    """The download behind a mock OBS URL."""
    if tuple(parts[:2]) == ("v1", "stack-templates"):
        return api_stacks.template_download(parts[2:])
    return api_hooks.policy_download(parts[2:])
