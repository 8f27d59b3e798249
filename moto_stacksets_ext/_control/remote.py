"""``control`` under moto's ``TEST_SERVER_MODE``: every call acts on the server, through its HTTP control API.

Under ``TEST_SERVER_MODE=true`` the state a test scripts (outcomes, progressions, the clock, Hook outcomes,
the record of calls) lives in the ``moto-stacksets-server`` at ``TEST_SERVER_MODE_ENDPOINT``, not in the
test's process. While a ``mock_stacksets`` runs there, ``StackSetsControl`` hands each call to
``RemoteControl``, which sends it to ``/moto-api/stacksets/...`` (plain ``http.client``) and turns the
answer back (through the control codec, ``_control.codec``, as the server wrote it) into the objects the
in-process call returns (``Outcome``, ``HookOutcome``, ``HookResult``,
``Operation``, ``Call``, ``datetime``...). A refusal of the server (400) is the ``ControlArgumentError``
the in-process call raises; a server that does not answer is ``RemoteControlError``.

What cannot cross a process fails loudly with ``ServerModeError``, naming the alternative: Python Hook
handlers and Lambda functions (``control.hooks``), the engine's live namespace (``control.namespace``) and
``ResourceDirectory.remove_account``.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from ..alibaba_ros.resource_directory import Folder, MemberAccount, ResourceDirectory
from ..cloudformation.hooks import control as hook_control
from ..cloudformation.hooks.model import Annotation, HookCategory, HookResult, HookStatus, TargetType
from ..engine.model import Operation
from ..engine.outcomes import Outcome
from . import codec
from .calls import Call, CallLog
from .checks import ControlArgumentError, clouds

_T = TypeVar("_T")

#: Seconds to wait for the server (advancing the clock runs every operation that became due).
TIMEOUT = 120.0


class RemoteControlError(RuntimeError):
    """The TEST_SERVER_MODE server did not answer a control call, or answered with an unexpected error."""


class ServerModeError(RuntimeError):
    """A control call that cannot act on a server in another process (e.g. registering a Python callable)."""


def refuse(call: str, alternative: str) -> NoReturn:
    raise ServerModeError(
        f"control.{call} cannot act under TEST_SERVER_MODE: the mock's state lives in the server process, and "
        f"{alternative}"
    )


class ControlClient:
    """JSON over HTTP to one server's ``/moto-api/stacksets/`` API."""

    PREFIX = "/moto-api/stacksets"

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")

    def call(self, method: str, path: str, body: object = None, query: Mapping[str, str] | None = None) -> Any:
        """The decoded answer (``None`` when empty). 400 is ``ControlArgumentError``; any other error
        (404 too) is ``RemoteControlError``."""
        found, answer = self.exchange(method, path, body, query)
        if not found:
            raise RemoteControlError(f"moto-stacksets-ext: {method} {self.endpoint}{self.PREFIX}{path} answered 404")
        return answer

    def exchange(
        self, method: str, path: str, body: object = None, query: Mapping[str, str] | None = None
    ) -> tuple[bool, Any]:
        """Whether the server found what ``path`` names (False: 404) and its decoded answer (``None`` when
        empty). 400 is ``ControlArgumentError``; any other error is ``RemoteControlError``."""
        parts = urlsplit(self.endpoint)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        target = self.PREFIX + path + (f"?{urlencode(query)}" if query else "")
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        connection = kind(parts.hostname or "localhost", parts.port, timeout=TIMEOUT)
        try:
            connection.request(method, target, body=payload, headers=headers)
            answer = connection.getresponse()
            status, raw = answer.status, answer.read()
        except OSError as error:
            raise RemoteControlError(
                f"moto-stacksets-ext: the TEST_SERVER_MODE server at {self.endpoint} did not answer {method} "
                f"{target} ({error}); is moto-stacksets-server running there?"
            ) from error
        finally:
            connection.close()
        decoded = _decode(raw)
        if status < 400:
            return True, decoded
        message = decoded.get("error") if isinstance(decoded, dict) else None
        if status == 400:
            raise ControlArgumentError(str(message or raw[:500].decode("utf-8", "replace")))
        if status == 404 and isinstance(message, str) and not message.startswith("no control endpoint"):
            return False, decoded  # the item the path names does not exist
        raise RemoteControlError(
            f"moto-stacksets-ext: {method} {self.endpoint}{target} answered {status}: "
            f"{message or raw[:500].decode('utf-8', 'replace')} (is that a moto-stacksets-server?)"
        )


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return codec.loads(raw)
    except ValueError:
        return None


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RemoteControlError(f"moto-stacksets-ext: the server answered {value!r} where an object was expected")
    return value


def _decoded(decoder: Callable[[Any], _T], value: Any) -> _T:
    """``value`` through one of the codec's decoders; what it refuses is the server's fault."""
    try:
        return decoder(value)
    except (ValueError, KeyError, TypeError) as error:
        raise RemoteControlError(
            f"moto-stacksets-ext: the server answered {value!r}, which is not what was expected ({error})"
        ) from error


def outcome_from(value: Any) -> Outcome:
    return _decoded(lambda v: codec.outcome_from_json(_object(v), "the server's outcome"), value)


def hook_outcome_from(value: Any) -> hook_control.HookOutcome:
    return _decoded(codec.hook_outcome_from_json, value)


def hook_result_from(value: Any) -> HookResult:
    return _decoded(codec.hook_result_from_json, value)


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, (HookStatus, TargetType, HookCategory)) else value


# -- the record of calls, read from the server ------------------------------------------------------------
class RemoteCallLog(CallLog):
    """``control.calls`` under TEST_SERVER_MODE: the server's record (``GET /moto-api/stacksets/calls``),
    read afresh on every use; ``clear()`` forgets it there."""

    def __init__(self, client: ControlClient) -> None:
        super().__init__()
        self._client = client

    def _fetch(self, query: Mapping[str, str] | None = None) -> list[Call]:
        answer = _object(self._client.call("GET", "/calls", query=query))
        return [_decoded(codec.call_from_json, _object(c)) for c in answer.get("calls", [])]

    def record(self, call: Call) -> None:
        refuse("calls.record()", "the server records the calls it serves itself")

    def clear(self) -> None:
        self._client.call("DELETE", "/calls")

    def all(self) -> list[Call]:
        return self._fetch()

    def __len__(self) -> int:
        return len(self._fetch())

    def filter(
        self,
        *,
        cloud: str | None = None,
        action: str | None = None,
        account: str | None = None,
        region: str | None = None,
        status: int | None = None,
        error_code: str | None = None,
        ok: bool | None = None,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """As ``CallLog.filter``: the server narrows by what its query takes, then every criterion is
        applied here too (so a value the server would refuse, e.g. an unknown cloud, matches nothing)."""
        query: dict[str, str] = {}
        for name, text in (("cloud", cloud), ("action", action), ("account", account), ("region", region)):
            if text:
                query[name] = text
        if error_code:
            query["error_code"] = error_code
        if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
            query["status"] = str(status)
        if isinstance(ok, bool):
            query["ok"] = "true" if ok else "false"
        if cloud is not None and cloud not in clouds():
            return []
        local = CallLog()
        for found in self._fetch(query):
            local.record(found)
        return local.filter(
            cloud=cloud,
            action=action,
            account=account,
            region=region,
            status=status,
            error_code=error_code,
            ok=ok,
            where=where,
        )

    def __repr__(self) -> str:
        return f"<RemoteCallLog of {self._client.endpoint}: {len(self)} call(s)>"


# -- an Alibaba resource directory, kept in the server --------------------------------------------------------
class RemoteResourceDirectory(ResourceDirectory):
    """``control.resource_directory(...)`` under TEST_SERVER_MODE: the server's directory. ``add_folder``,
    ``add_account`` and ``enable_service_access`` act there (``POST /moto-api/stacksets/resource-directory``);
    the fields are what the server answered last."""

    def __init__(self, client: ControlClient, answer: Any) -> None:
        found = _decoded(codec.directory_from_json, answer)
        super().__init__(found.management_account, found.root_folder_id)
        self._client = client
        self._refresh(answer)

    def _refresh(self, answer: Any) -> None:
        found = _decoded(codec.directory_from_json, answer)
        self.service_access_enabled = found.service_access_enabled
        self.folders = found.folders
        self.accounts = found.accounts

    def _change(self, **change: Any) -> None:
        self._refresh(self._client.call("POST", "/resource-directory", {"account": self.management_account, **change}))

    def add_folder(self, name: str, parent_folder_id: str | None = None, *, folder_id: str | None = None) -> Folder:
        before = set(self.folders)
        folder = {"name": name, "parent_folder_id": parent_folder_id, "folder_id": folder_id}
        self._change(folders=[{k: v for k, v in folder.items() if v is not None}])
        (added,) = [f for f in self.folders.values() if f.folder_id not in before] or [self.folders[str(folder_id)]]
        return added

    def add_account(
        self, account_id: str, folder_id: str | None = None, *, display_name: str | None = None
    ) -> MemberAccount:
        member = {"account_id": account_id, "folder_id": folder_id, "display_name": display_name}
        self._change(accounts=[{k: v for k, v in member.items() if v is not None}])
        return self.accounts[account_id]

    def remove_account(self, account_id: str) -> None:
        refuse("resource_directory(...).remove_account()", "the HTTP control API has no removal: reset instead")

    def enable_service_access(self) -> None:
        self._change(service_access=True)


# -- Hook code: Python callables stay in this process -----------------------------------------------------
_HOOKS_ALTERNATIVE = (
    "a Python callable cannot be sent to it. Script what Hooks decide with control.hook_outcome(...) (POST "
    "/moto-api/stacksets/hook-outcomes), or register the handler in the server's process (start it from Python "
    "with moto_stacksets_ext.server.ThreadedStackSetsServer and call control.hooks there, outside the mock)"
)


class ServerModeHooks(hook_control.HooksControl):
    """``control.hooks`` under TEST_SERVER_MODE: every call raises ``ServerModeError`` (Hook code runs where
    requests are served, and that is the server)."""

    def handler(self, type_name: str, hook: Any) -> None:
        refuse("hooks.handler()", _HOOKS_ALTERNATIVE)

    def lambda_function(self, function_arn: str, function: Any) -> None:
        refuse("hooks.lambda_function()", _HOOKS_ALTERNATIVE)

    def load_project(self, directory: str | Path, *, account: str = "", region: str = "") -> str:
        refuse("hooks.load_project()", _HOOKS_ALTERNATIVE)

    def registered(self) -> dict[str, list[str]]:
        refuse("hooks.registered()", "the Hook code registered in this process is not the server's")

    def clear(self) -> None:
        refuse("hooks.clear()", "the Hook code registered in this process is not the server's")


SERVER_MODE_HOOKS = ServerModeHooks()


class RemoteControl:
    """``StackSetsControl``'s calls against one server (see the module's documentation)."""

    def __init__(self, endpoint: str) -> None:
        self.client = ControlClient(endpoint)
        self.calls = RemoteCallLog(self.client)

    # -- scripted outcomes
    def add_outcome(self, outcome: Outcome) -> Outcome:
        return outcome_from(self.client.call("POST", "/outcomes", codec.outcome_request_json(outcome)))

    def outcomes(self) -> list[Outcome]:
        return [outcome_from(o) for o in _object(self.client.call("GET", "/outcomes")).get("outcomes", [])]

    def remove_outcome(self, outcome_id: str) -> bool:
        return self.client.exchange("DELETE", f"/outcomes/{quote(outcome_id, safe='')}")[0]

    def clear_outcomes(self) -> None:
        self.client.call("DELETE", "/outcomes")

    # -- progression
    def set_progression(self, progression: str, times: int, seconds: float, cloud: str) -> dict[str, Any]:
        body = codec.progression_json(codec.ProgressionChange(progression, times, seconds, cloud))
        return _object(self.client.call("POST", "/progression", body))

    def reset_progression(self, cloud: str | None) -> None:
        self.client.call("DELETE", "/progression", query={"cloud": cloud} if cloud else None)

    # -- the engine's operations
    def operation(self, stack_set: str, operation_id: str, cloud: str, account: str, region: str) -> Operation:
        query = {"stack_set": stack_set, "cloud": cloud, "account": account, "region": region}
        found, answer = self.client.exchange("GET", f"/operations/{quote(operation_id, safe='')}", query=query)
        if not found:
            raise KeyError(f"no {cloud} operation {operation_id} of stack set {stack_set!r} in {account}/{region}")
        return _decoded(codec.operation_from_json, _object(answer)["operation"])

    # -- clock
    def now(self) -> datetime:
        return _decoded(codec.clock_from_json, self.client.call("GET", "/clock"))

    def clock(self, **change: Any) -> datetime:
        body = codec.clock_change_json(codec.ClockChange(**change))
        return _decoded(codec.clock_from_json, self.client.call("POST", "/clock", body))

    # -- switches
    @property
    def strict_roles(self) -> bool:
        return bool(_decoded(codec.settings_from_json, _object(self.client.call("GET", "/settings"))))

    @strict_roles.setter
    def strict_roles(self, value: bool) -> None:
        self.client.call("POST", "/settings", codec.settings_json(bool(value)))

    # -- Hooks
    def hook_outcome(
        self,
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
    ) -> hook_control.HookOutcome:
        body = {
            "type_name": type_name,
            "status": _enum_value(status),
            "reason": reason,
            "annotations": codec.annotations_json(annotations),
            "target_type": _enum_value(target_type),
            "target_name": target_name,
            "account": account,
            "region": region,
            "times": times,
        }
        return hook_outcome_from(self.client.call("POST", "/hook-outcomes", body))

    def record_hook_result(
        self,
        *,
        type_name: str,
        target_type: str | TargetType,
        target_id: str,
        annotations: Sequence[Annotation | Mapping[str, Any]] = (),
        **optional: Any,
    ) -> HookResult:
        body = {
            "type_name": type_name,
            "target_type": _enum_value(target_type),
            "target_id": target_id,
            "annotations": codec.annotations_json(annotations),
            **{name: _enum_value(value) for name, value in optional.items()},
        }
        return hook_result_from(self.client.call("POST", "/hook-results", body))

    def hook_outcomes(self) -> list[hook_control.HookOutcome]:
        answer = _object(self.client.call("GET", "/hook-outcomes"))
        return [hook_outcome_from(o) for o in answer.get("hook_outcomes", [])]

    def remove_hook_outcome(self, outcome_id: str) -> bool:
        return self.client.exchange("DELETE", f"/hook-outcomes/{quote(outcome_id, safe='')}")[0]

    def clear_hook_outcomes(self) -> None:
        self.client.call("DELETE", "/hook-outcomes")

    # -- Alibaba resource directory
    def resource_directory(self, account: str) -> ResourceDirectory:
        answer = self.client.call("GET", "/resource-directory", query={"account": account})
        return RemoteResourceDirectory(self.client, answer)

    # -- reset
    def reset(self) -> None:
        self.client.call("POST", "/reset")
