"""Private-hook calls: CreatePrivateHook, ListPrivateHooks, ShowPrivateHookMetadata, UpdatePrivateHookMetadata,
DeletePrivateHook, CreatePrivateHookVersion, ListPrivateHookVersions, ShowPrivateHookVersionMetadata,
DeletePrivateHookVersion, ShowPrivateHookVersionPolicy (307 to the policy's download URL)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from ..engine.clock import clock
from ..gateway import GatewayResponse
from .api_stacks import compact, page, time
from .context import Call
from .errors import INVALID_NAME, INVALID_VALUE, MISSING_PARAMETER, NOT_FOUND, NOTHING_TO_UPDATE, RfsError
from .params import STACK_SET_NAME, Body, check_length, enum
from .private_hooks import (
    SEMVER,
    FailureMode,
    HookConfiguration,
    HookVersion,
    PrivateHook,
    TargetStacks,
    hooks_of,
    new_hook_id,
)
from .rego import PolicySyntaxError, check_syntax
from .stack_errors import (
    DEFAULT_VERSION,
    HOOK_ID_MISMATCH,
    HOOK_NAME_CONFLICT,
    HOOK_NOT_FOUND,
    HOOK_VERSION_CONFLICT,
    INVALID_POLICY,
)
from .stack_params import optional_id

POLICY_DOWNLOAD = "/v1/private-hook-policies"
MAX_POLICY = 1024 * 1024


def hook_name(value: str) -> str:
    check_length("hook_name", value, 1, 128)
    if not STACK_SET_NAME.fullmatch(value):
        raise RfsError(INVALID_NAME, f"hook_name {value!r} is invalid.")
    return value


def hook_version(value: str) -> str:
    check_length("hook_version", value, 1, 128)
    if not SEMVER.fullmatch(value):
        raise RfsError(INVALID_VALUE, f"hook_version {value!r} is not a semantic version (MAJOR.MINOR.PATCH).")
    return value


def configuration(body: Body) -> HookConfiguration | None:
    child = body.child("configuration", ("target_stacks", "failure_mode"))
    if child is None:
        return None
    target = child.string("target_stacks")
    mode = child.string("failure_mode")
    return HookConfiguration(
        TargetStacks(enum("target_stacks", target, [t.value for t in TargetStacks])) if target else TargetStacks.NONE,
        FailureMode(enum("failure_mode", mode, [m.value for m in FailureMode])) if mode else FailureMode.WARN,
    )


def policy(body: Body) -> str:
    """The policy of a version: ``policy_body`` checked by the Rego engine (``policy_uri`` needs OBS)."""
    text = body.string("policy_body", 1, MAX_POLICY)
    uri = body.string("policy_uri", 1, 2048)
    if (text is None) == (uri is None):
        raise RfsError(
            MISSING_PARAMETER if text is None else INVALID_VALUE, "Give exactly one of policy_body and policy_uri."
        )
    if text is None:
        raise RfsError(
            INVALID_VALUE, "policy_uri names an OBS object; the mock has no OBS: give the policy as policy_body."
        )
    try:
        check_syntax(text)
    except PolicySyntaxError as error:
        raise RfsError(INVALID_POLICY, str(error)) from error
    return text


def _find(call: Call, hook_id: str | None) -> PrivateHook:
    name = hook_name(call.path["hook_name"])
    optional_id(hook_id, "hook_id")
    found = hooks_of(call.domain_id, call.region).hooks.get(name)
    if found is None:
        raise RfsError(HOOK_NOT_FOUND, f"Private hook {name} does not exist.")
    if hook_id is not None and hook_id != found.hook_id:
        raise RfsError(HOOK_ID_MISMATCH, f"{hook_id} is not the id of private hook {name}.")
    return found


def _version(call: Call, hook: PrivateHook) -> HookVersion:
    version = hook_version(call.path["hook_version"])
    found = hook.versions.get(version)
    if found is None:
        raise RfsError(HOOK_NOT_FOUND, f"Version {version} of private hook {hook.hook_name} does not exist.")
    return found


def _configuration(config: HookConfiguration | None) -> dict[str, object] | None:
    if config is None:
        return None
    return {"target_stacks": config.target_stacks.value, "failure_mode": config.failure_mode.value}


def _hook(hook: PrivateHook) -> dict[str, object]:
    return compact(
        {
            "hook_name": hook.hook_name,
            "hook_id": hook.hook_id,
            "hook_description": hook.description,
            "default_version": hook.default_version,
            "configuration": _configuration(hook.configuration),
            "create_time": time(hook.created_at),
            "update_time": time(hook.updated_at),
        }
    )


def _version_view(hook: PrivateHook, version: HookVersion) -> dict[str, object]:
    return compact(
        {
            "hook_name": hook.hook_name,
            "hook_id": hook.hook_id,
            "hook_version": version.version,
            "hook_version_description": version.description,
            "create_time": time(version.created_at),
        }
    )


def _sorted_desc(call: Call) -> bool:
    """``sort_key=create_time`` with ``sort_dir`` asc/desc (default newest first), as the stack-set lists."""
    keys = call.query.many("sort_key")
    dirs = call.query.many("sort_dir")
    for key in keys:
        enum("sort_key", key, ("create_time",))
    for direction in dirs:
        enum("sort_dir", direction, ("asc", "desc"))
    if len(keys) != len(dirs):
        raise RfsError(INVALID_VALUE, "sort_key and sort_dir must be given the same number of times.")
    return dirs[0] == "desc" if dirs else True


# -- calls ---------------------------------------------------------------------------------------------------
def create_private_hook(call: Call) -> GatewayResponse:
    body = call.body(
        (
            "hook_name",
            "hook_version",
            "hook_description",
            "hook_version_description",
            "configuration",
            "policy_uri",
            "policy_body",
        )
    )
    name = hook_name(body.required_string("hook_name", 1, 128))
    version = hook_version(body.required_string("hook_version", 1, 128))
    description = body.string("hook_description", 0, 1024)
    version_description = body.string("hook_version_description", 0, 1024)
    config = configuration(body)
    text = policy(body)
    store = hooks_of(call.domain_id, call.region)
    if name in store.hooks:
        raise RfsError(HOOK_NAME_CONFLICT, f"Private hook {name} already exists.")
    now = clock.now()
    hook = PrivateHook(new_hook_id(), name, description, version, now, now, config)
    hook.versions[version] = HookVersion(version, version_description, text, now)
    store.hooks[name] = hook
    return GatewayResponse.json(201, {"hook_id": hook.hook_id})


def list_private_hooks(call: Call) -> GatewayResponse:
    call.query.check_names(("sort_key", "sort_dir", "marker", "limit"))
    newest_first = _sorted_desc(call)
    hooks = sorted(
        hooks_of(call.domain_id, call.region).hooks.values(), key=lambda h: h.created_at, reverse=newest_first
    )
    chosen, info = page(hooks, lambda h: h.hook_id, call)
    return GatewayResponse.json(200, {"hooks": [_hook(h) for h in chosen], "page_info": info})


def show_private_hook_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id",))
    return GatewayResponse.json(200, _hook(_find(call, call.query.single("hook_id"))))


def update_private_hook_metadata(call: Call) -> GatewayResponse:
    body = call.body(("hook_description", "hook_id", "default_version", "configuration"))
    description = body.string("hook_description", 0, 1024)
    default = body.string("default_version")
    if default is not None:
        hook_version(default)
    config = configuration(body)
    if description is None and default is None and config is None:
        raise RfsError(NOTHING_TO_UPDATE)
    hook = _find(call, body.string("hook_id"))
    if default is not None and default not in hook.versions:
        raise RfsError(HOOK_NOT_FOUND, f"Version {default} of private hook {hook.hook_name} does not exist.")
    hook.description = hook.description if description is None else description
    hook.default_version = hook.default_version if default is None else default
    hook.configuration = hook.configuration if config is None else config
    hook.updated_at = clock.now()
    return GatewayResponse.json(200, {})


def delete_private_hook(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id",))
    hook = _find(call, call.query.single("hook_id"))
    del hooks_of(call.domain_id, call.region).hooks[hook.hook_name]
    return GatewayResponse(204, {}, b"")


def create_private_hook_version(call: Call) -> GatewayResponse:
    body = call.body(("hook_id", "hook_version", "hook_version_description", "policy_uri", "policy_body"))
    version = hook_version(body.required_string("hook_version", 1, 128))
    description = body.string("hook_version_description", 0, 1024)
    text = policy(body)
    hook = _find(call, body.string("hook_id"))
    if version in hook.versions:
        raise RfsError(HOOK_VERSION_CONFLICT, f"Version {version} of private hook {hook.hook_name} already exists.")
    hook.versions[version] = HookVersion(version, description, text, clock.now())
    return GatewayResponse.json(201, {})


def list_private_hook_versions(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id", "sort_key", "sort_dir", "marker", "limit"))
    newest_first = _sorted_desc(call)
    hook = _find(call, call.query.single("hook_id"))
    versions = sorted(hook.versions.values(), key=lambda v: v.created_at, reverse=newest_first)
    chosen, info = page(versions, lambda v: v.version, call)
    return GatewayResponse.json(200, {"versions": [_version_view(hook, v) for v in chosen], "page_info": info})


def show_private_hook_version_metadata(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id",))
    hook = _find(call, call.query.single("hook_id"))
    return GatewayResponse.json(200, _version_view(hook, _version(call, hook)))


def delete_private_hook_version(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id",))
    hook = _find(call, call.query.single("hook_id"))
    version = _version(call, hook)
    if version.version == hook.default_version:
        raise RfsError(
            DEFAULT_VERSION,
            f"{version.version} is the default version of private hook {hook.hook_name}: set another default or "
            "delete the hook.",
        )
    del hook.versions[version.version]
    return GatewayResponse(204, {}, b"")


def show_private_hook_version_policy(call: Call) -> GatewayResponse:
    call.query.check_names(("hook_id",))
    hook = _find(call, call.query.single("hook_id"))
    version = _version(call, hook)
    origin = urlsplit(call.request.url)
    location = (
        f"{origin.scheme}://{origin.netloc}{POLICY_DOWNLOAD}/{call.domain_id}/{quote(call.region)}/"
        f"{hook.hook_id}/{quote(version.version)}"
    )
    return GatewayResponse(307, {"Location": location})


def policy_download(parts: list[str]) -> GatewayResponse:
    """The mock's stand-in for the pre-signed OBS URL of a hook version's policy file."""
    if len(parts) != 4:
        raise RfsError(NOT_FOUND, "No such policy.")
    domain_id, region, hook_id, version = parts
    hook = next((h for h in hooks_of(domain_id, region).hooks.values() if h.hook_id == hook_id), None)
    found = None if hook is None else hook.versions.get(version)
    if found is None:
        raise RfsError(NOT_FOUND, "No such policy.")
    return GatewayResponse(200, {"Content-Type": "text/plain"}, found.policy_body.encode())
