"""The control API over HTTP, for server mode: ``/moto-api/stacksets/...``, JSON in and out.

===========================================  ==============================================================
``GET    /moto-api/stacksets/outcomes``      ``{"outcomes": [Outcome, ...]}``
``POST   /moto-api/stacksets/outcomes``      body: ``{"kind": "FAIL"|"SUCCEED"|"DRIFT", "account", "region",
                                             "cloud", "stack_set", "stack", "action", "reason",
                                             "times", "resources"}`` (all
                                             optional, kind defaults to FAIL) → 201 ``Outcome``
``DELETE /moto-api/stacksets/outcomes``      remove every outcome → 204
``DELETE /moto-api/stacksets/outcomes/{id}`` remove one → 204, or 404
``GET    /moto-api/stacksets/clock``         ``{"now": "2026-01-01T00:00:00.000Z"}``
``POST   /moto-api/stacksets/clock``         body: ``{"advance": seconds}`` and/or ``{"freeze": true}`` (``false``
                                             follows the wall clock again) → ``{"now"}``
``POST   /moto-api/stacksets/progression``   body: ``{"progression": "immediate"|"manual"|"time", "times",
                                             "seconds", "cloud"}`` → the transition set
``DELETE /moto-api/stacksets/progression``   ``?cloud=…`` (or every cloud) back to immediate → 204
``GET    /moto-api/stacksets/calls``         ``?cloud=&action=&account=&region=&status=&error_code=&ok=``
                                             → ``{"calls": [Call, ...]}`` (``control.calls.filter``)
``DELETE /moto-api/stacksets/calls``         forget every recorded call → 204
``GET    /moto-api/stacksets/operations/{id}``  ``?stack_set=&cloud=&account=&region=`` → ``{"operation":
                                             …}`` (the engine's operation, in the state file's encoding), or 404
``GET    /moto-api/stacksets/settings``      ``{"strict_roles": false}``
``POST   /moto-api/stacksets/settings``      body: ``{"strict_roles": true}`` → the settings
``POST   /moto-api/stacksets/reset``         reset everything (as ``/moto-api/reset``) → 204
``GET    /moto-api/stacksets/openapi.json``  this API as an OpenAPI 3.0 document
``GET    /moto-api/stacksets/state``         every cloud's stack sets, as ``--state-file`` saves them
``POST   /moto-api/stacksets/state``         body: such a document → replaces the plugin's state, 200
                                             ``{"stack_sets": n}``; a document that cannot be loaded → 400,
                                             nothing changed
``GET    /moto-api/stacksets/resource-directory?account=…``  an Alibaba resource directory (folders, accounts)
``POST   /moto-api/stacksets/resource-directory``  body: ``{"account", "folders": [{"name", "parent_folder_id",
                                             "folder_id"}], "accounts": [{"account_id", "folder_id",
                                             "display_name"}], "service_access": true}`` → the directory
===========================================  ==============================================================

``Outcome`` is ``{"outcome_id", "kind", "account", "region", "cloud", "stack_set", "stack", "action",
"reason", "times", "consumed", "resources"}`` (``stack``: a stack API's stack, as ``control.fail(stack=...)``);
``resources`` (DRIFT only, ``null``: every resource MODIFIED) is an object of logical resource id to
``{"status", "property_differences": [{"property_path", "expected_value", "actual_value",
"difference_type"}]}`` (``status`` defaults to MODIFIED), as ``control.drift(resources=...)``. Every object
is written and read by ``codec``. Bad input → 400 ``{"error": "..."}``; an unknown path → 404.

CloudFormation Hooks (see ``docs/hooks.md``):

==============================================  ===========================================================
``GET    /moto-api/stacksets/hook-outcomes``    ``{"hook_outcomes": [HookOutcome, ...]}``
``POST   /moto-api/stacksets/hook-outcomes``    body: ``{"type_name", "status", "reason", "annotations",
                                                "target_type", "target_name", "account", "region", "times"}``
                                                (all optional, status defaults to HOOK_COMPLETE_FAILED)
                                                → 201 ``HookOutcome``
``DELETE /moto-api/stacksets/hook-outcomes``    remove every Hook outcome → 204
``DELETE /moto-api/stacksets/hook-outcomes/{id}``  remove one → 204, or 404
``POST   /moto-api/stacksets/hook-results``     body: ``{"type_name", "target_type", "target_id"}`` (required)
                                                and optionally ``"status", "reason", "failure_mode",
                                                "annotations", "resource_type", "resource_id", "action",
                                                "hook_execution_target", "account", "region"...``
                                                → 201 ``{"HookResultId", "TypeName", "TypeArn", "Status",
                                                "TargetType", "TargetId", ...}`` (every field of the result)
==============================================  ===========================================================

``HookOutcome`` is ``{"outcome_id", "type_name", "status", "reason", "annotations", "target_type",
"target_name", "account", "region", "times", "consumed"}``; annotations use AWS's member names
(``AnnotationName``, ``Status``, ``StatusMessage``, ``RemediationMessage``, ``RemediationLink``,
``SeverityLevel``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .._transport.gateway import GatewayRequest, GatewayResponse
from ..cloudformation.hooks import control as hook_control
from ..control import OPERATION_MODELS, control
from ..engine.outcomes import Outcome
from . import codec
from .calls import FILTERS
from .suggest import did_you_mean_all

PREFIX = "/moto-api/stacksets"
MAX_ADVANCE = codec.MAX_ADVANCE  # seconds per call


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _body(request: GatewayRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        decoded = codec.loads(request.body)
    except ValueError as error:
        raise ControlError(400, f"the body is not JSON: {error}") from error
    if not isinstance(decoded, dict):
        raise ControlError(400, "the body must be a JSON object")
    return decoded


def _only(body: dict[str, Any], *allowed: str) -> dict[str, Any]:
    """The body, if it names no field but ``allowed`` (400 otherwise)."""
    unknown = set(body) - set(allowed)
    if unknown:
        raise ControlError(400, f"unknown fields: {sorted(unknown)}{did_you_mean_all(sorted(unknown), allowed)}")
    return body


def _outcome_from(body: dict[str, Any]) -> Outcome:
    return codec.outcome_from_json(_only(body, *codec.OUTCOME_REQUEST_FIELDS))


def _outcomes(request: GatewayRequest) -> GatewayResponse:
    if request.method == "GET":
        return GatewayResponse.json(200, {"outcomes": [codec.outcome_json(o) for o in control.outcomes]})
    if request.method == "POST":
        try:
            added = control._checked_outcome(_outcome_from(_body(request)), per_cloud=False)
        except ValueError as error:  # a malformed field, or an account, region or action that could never match
            raise ControlError(400, str(error)) from error
        return GatewayResponse.json(201, codec.outcome_json(added))
    if request.method == "DELETE":
        control.clear_outcomes()
        return GatewayResponse(204)
    raise AssertionError("the dispatcher admits documented methods only")


def _clock(request: GatewayRequest) -> GatewayResponse:
    if request.method == "POST":
        try:
            change = codec.clock_change_from_json(_only(_body(request), "advance", "freeze"))
        except ValueError as error:
            raise ControlError(400, str(error)) from error
        if change.freeze is True:
            control.freeze_clock()
        elif change.freeze is False:
            control.unfreeze_clock()
        try:
            control.advance(change.advance)
        except ValueError as error:
            raise ControlError(400, str(error)) from error
    return GatewayResponse.json(200, codec.clock_json(control.now()))


def _progression(request: GatewayRequest) -> GatewayResponse:
    if request.method == "DELETE":
        given = _query(request)
        if set(given) - {"cloud"} or given.get("cloud", "aws") not in OPERATION_MODELS:
            raise ControlError(400, f"the only query parameter is cloud, one of {sorted(OPERATION_MODELS)}")
        control.reset_progression(given.get("cloud"))
        return GatewayResponse(204)
    try:
        change = codec.progression_from_json(_only(_body(request), "progression", "times", "seconds", "cloud"))
        transition = control.set_progression(
            change.progression, times=change.times, seconds=change.seconds, cloud=change.cloud
        )
    except ValueError as error:
        raise ControlError(400, str(error)) from error
    return GatewayResponse.json(200, transition)


def _settings(request: GatewayRequest) -> GatewayResponse:
    if request.method == "POST":
        try:
            strict_roles = codec.settings_from_json(_only(_body(request), "strict_roles"))
        except ValueError as error:
            raise ControlError(400, str(error)) from error
        if strict_roles is not None:
            control.strict_roles = strict_roles
    return GatewayResponse.json(200, codec.settings_json(control.strict_roles))


def _query(request: GatewayRequest) -> dict[str, str]:
    """The query's parameters, each given once and not empty (400 otherwise)."""
    given: dict[str, str] = {}
    for name, values in request.query.items():
        if len(values) != 1 or not values[0]:
            raise ControlError(400, f"{name} must be given once, not empty")
        given[name] = values[0]
    return given


def _calls(request: GatewayRequest) -> GatewayResponse:
    """GET the record of calls (filtered by the query, as ``control.calls.filter``); DELETE forgets it."""
    if request.method == "DELETE":
        control.calls.clear()
        return GatewayResponse(204)
    unknown = set(request.query) - set(FILTERS)
    if unknown:
        raise ControlError(
            400,
            f"unknown query parameters {sorted(unknown)}; the filters are {list(FILTERS)}"
            f"{did_you_mean_all(sorted(unknown), FILTERS)}",
        )
    given = _query(request)
    if given.get("cloud", "aws") not in OPERATION_MODELS:
        raise ControlError(400, codec.cloud_error(given.get("cloud")))
    status: int | None = None
    if "status" in given:
        if not re.fullmatch(r"[1-5][0-9]{2}", given["status"]):
            raise ControlError(400, "status must be an HTTP status (100 to 599)")
        status = int(given["status"])
    ok: bool | None = None
    if "ok" in given:
        if given["ok"] not in ("true", "false"):
            raise ControlError(400, "ok must be true or false")
        ok = given["ok"] == "true"
    found = control.calls.filter(
        cloud=given.get("cloud"),
        action=given.get("action"),
        account=given.get("account"),
        region=given.get("region"),
        status=status,
        error_code=given.get("error_code"),
        ok=ok,
    )
    return GatewayResponse.json(200, {"calls": [codec.call_json(c) for c in found]})


def _operation(request: GatewayRequest, operation_id: str) -> GatewayResponse:
    """GET one operation as the engine holds it (``control.operation``), in the state file's encoding."""
    from ..engine.errors import EngineError

    unknown = set(request.query) - {"stack_set", "cloud", "account", "region"}
    if unknown:
        raise ControlError(400, f"unknown query parameters {sorted(unknown)}")
    given = _query(request)
    cloud = given.get("cloud", "aws")
    if cloud not in OPERATION_MODELS:
        raise ControlError(400, codec.cloud_error(cloud))
    if not given.get("stack_set"):
        raise ControlError(400, "stack_set (a stack set's name or id) is required: ?stack_set=...")
    where: dict[str, str] = {k: given[k] for k in ("account", "region") if k in given}
    try:
        found = control.operation(given["stack_set"], operation_id, cloud=cloud, **where)
    except (KeyError, EngineError) as error:
        raise ControlError(404, f"no operation {operation_id} of stack set {given['stack_set']!r} there") from error
    return GatewayResponse.json(200, {"operation": codec.operation_json(found)})


def _one_outcome(request: GatewayRequest, outcome_id: str) -> GatewayResponse:
    if not control.remove_outcome(outcome_id):
        raise ControlError(404, f"no outcome {outcome_id}")
    return GatewayResponse(204)


def _one_hook_outcome(request: GatewayRequest, outcome_id: str) -> GatewayResponse:
    if not control.remove_hook_outcome(outcome_id):
        raise ControlError(404, f"no Hook outcome {outcome_id}")
    return GatewayResponse(204)


def _reset(request: GatewayRequest) -> GatewayResponse:
    control.reset()
    return GatewayResponse(204)


def _hook_outcomes(request: GatewayRequest) -> GatewayResponse:
    if request.method == "GET":
        rendered = [codec.hook_outcome_json(o) for o in control.hook_outcomes]
        return GatewayResponse.json(200, {"hook_outcomes": rendered})
    if request.method == "POST":
        try:
            outcome = hook_control.hook_outcome(**codec.hook_outcome_request_from_json(_body(request)))
        except (ValueError, TypeError) as error:
            raise ControlError(400, str(error)) from error
        return GatewayResponse.json(201, codec.hook_outcome_json(outcome))
    if request.method == "DELETE":
        control.clear_hook_outcomes()
        return GatewayResponse(204)
    raise AssertionError("the dispatcher admits documented methods only")


def _hook_results(request: GatewayRequest) -> GatewayResponse:
    try:
        result = hook_control.record_hook_result(**codec.hook_result_request_from_json(_body(request)))
    except (ValueError, TypeError) as error:
        raise ControlError(400, str(error)) from error
    return GatewayResponse.json(201, codec.hook_result_json(result))


def _string(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ControlError(400, f"{name} must be a non-empty string")
    return value


def _resource_directory(request: GatewayRequest) -> GatewayResponse:
    """GET ?account=... the directory; POST adds folders and accounts and/or enables service access."""
    if request.method == "GET":
        queried = (request.query.get("account") or [""])[0]
        if not re.fullmatch(r"[0-9]{1,32}", queried):
            raise ControlError(400, "account must be given as 1 to 32 digits: ?account=1234567890123456")
        return GatewayResponse.json(200, codec.directory_json(control.resource_directory(account=queried)))
    body = _only(_body(request), "account", "folders", "accounts", "service_access")
    account = _string(body, "account", required=True) or ""
    if not re.fullmatch(r"[0-9]{1,32}", account):
        raise ControlError(400, "account must be 1 to 32 digits")
    folders, accounts = body.get("folders", []), body.get("accounts", [])
    if not isinstance(folders, list) or not all(isinstance(f, dict) for f in folders):
        raise ControlError(400, "folders must be a list of objects")
    if not isinstance(accounts, list) or not all(isinstance(a, dict) for a in accounts):
        raise ControlError(400, "accounts must be a list of objects")
    if not isinstance(body.get("service_access", False), bool):
        raise ControlError(400, "service_access must be true or false")
    directory = control.resource_directory(account=account)
    try:
        for folder in folders:
            _only(folder, "name", "parent_folder_id", "folder_id")
            directory.add_folder(
                _string(folder, "name", required=True) or "",
                _string(folder, "parent_folder_id"),
                folder_id=_string(folder, "folder_id"),
            )
        for member in accounts:
            _only(member, "account_id", "folder_id", "display_name")
            directory.add_account(
                _string(member, "account_id", required=True) or "",
                _string(member, "folder_id"),
                display_name=_string(member, "display_name"),
            )
    except ValueError as error:
        raise ControlError(400, str(error)) from error
    if body.get("service_access"):
        directory.enable_service_access()
    return GatewayResponse.json(200, codec.directory_json(directory))


def _state(request: GatewayRequest) -> GatewayResponse:
    """GET exports every cloud's stack sets; POST replaces the plugin's state with an exported one."""
    from .._state import persistence

    if request.method == "GET":
        return GatewayResponse.json(200, persistence.export_state())
    try:
        parsed = persistence.parse_state(_body(request))  # refuse before anything is reset
    except persistence.StateFileError as error:
        raise ControlError(400, str(error)) from error
    control.reset()
    try:
        count = persistence.install_state(parsed)
    except persistence.StateFileError as error:  # e.g. an AWS region moto does not know
        control.reset()
        raise ControlError(400, str(error)) from error
    return GatewayResponse.json(200, {"stack_sets": count})


def _openapi(request: GatewayRequest) -> GatewayResponse:
    from .openapi import document

    return GatewayResponse.json(200, document())


_ROUTES: dict[str, Callable[[GatewayRequest], GatewayResponse]] = {
    "/openapi.json": _openapi,
    "/resource-directory": _resource_directory,
    "/state": _state,
    "/hook-outcomes": _hook_outcomes,
    "/hook-results": _hook_results,
    "/outcomes": _outcomes,
    "/clock": _clock,
    "/progression": _progression,
    "/settings": _settings,
    "/reset": _reset,
    "/calls": _calls,
}
#: Routes with an id in the path: (pattern, route as the OpenAPI document names it, handler).
_ROUTES_WITH_ID: tuple[tuple[re.Pattern[str], str, Callable[[GatewayRequest, str], GatewayResponse]], ...] = (
    (re.compile(r"^/outcomes/(?P<id>[^/]+)$"), "/outcomes/{outcome_id}", _one_outcome),
    (re.compile(r"^/hook-outcomes/(?P<id>[^/]+)$"), "/hook-outcomes/{outcome_id}", _one_hook_outcome),
    (re.compile(r"^/operations/(?P<id>[^/]+)$"), "/operations/{operation_id}", _operation),
)


class ControlFrontEnd:
    """The HTTP control API as a gateway front-end (server mode only: no real endpoint to intercept)."""

    def __init__(self) -> None:
        self.name = "control"
        self.serves = "the HTTP control API"
        self.host_patterns: list[re.Pattern[str]] = []

    def claims(self, request: GatewayRequest) -> bool:
        return request.path == PREFIX or request.path.startswith(PREFIX + "/")

    def handle(self, request: GatewayRequest) -> GatewayResponse:
        path = request.path[len(PREFIX) :].rstrip("/")
        route, with_id, path_id = path, None, ""
        for pattern, template, handler in _ROUTES_WITH_ID:
            match = pattern.match(path)
            if match:
                route, with_id, path_id = template, handler, unquote(match["id"])
                break
        allowed = _allowed_methods().get(route)
        if allowed is None:
            return GatewayResponse.json(404, {"error": f"no control endpoint {request.path}"})
        if request.method not in allowed:
            return GatewayResponse.json(
                405, {"error": f"{request.method} is not allowed here"}, {"Allow": ", ".join(sorted(allowed))}
            )
        try:
            if with_id is not None:
                return with_id(request, path_id)
            return _ROUTES[route](request)
        except ControlError as error:
            return GatewayResponse.json(error.status, {"error": str(error)})


@functools.lru_cache(maxsize=1)
def _allowed_methods() -> dict[str, frozenset[str]]:
    """Each route's methods, as the OpenAPI document declares them (one source of truth)."""
    from .openapi import document

    return {
        path.removeprefix(PREFIX): frozenset(method.upper() for method in operations)
        for path, operations in document()["paths"].items()
    }


FRONT_END = ControlFrontEnd()
