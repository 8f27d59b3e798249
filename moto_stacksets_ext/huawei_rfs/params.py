"""Reading RFS request parameters (query, JSON body, headers) with RFS's checks.

Every reader either returns a typed value or raises ``errors.RfsError``; nothing here touches the
engine, so a request that fails parsing changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .. import _jsonsafe as jsonsafe
from .._transport.gateway import Headers
from .errors import (
    DUPLICATE_QUERY_VALUES,
    INVALID_ENUM,
    INVALID_JSON,
    INVALID_NAME,
    INVALID_VALUE,
    MISSING_PARAMETER,
    NO_BODY,
    NOT_INTEGER,
    TOO_LONG,
    TOO_SHORT,
    UNRECOGNIZED_PARAMETER,
    RfsError,
)

JsonObject = dict[str, object]

STACK_SET_NAME = re.compile(r"[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\-\u4e00-\u9fa5]*")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DOMAIN_ID = re.compile(r"[0-9a-f]{32}")
REGION = re.compile(r"[a-z]{2,}(-[a-z0-9]+)+")


def check_length(name: str, value: str, low: int, high: int) -> str:
    if len(value) < low:
        raise RfsError(TOO_SHORT, f"{name} must have at least {low} characters.")
    if len(value) > high:
        raise RfsError(TOO_LONG, f"{name} must have at most {high} characters.")
    return value


def enum(name: str, value: str, allowed: Collection[str]) -> str:
    if value not in allowed:
        raise RfsError(INVALID_ENUM, f"{name} must be one of {', '.join(allowed)}, not {value!r}.")
    return value


# -- headers ----------------------------------------------------------------------------------------------
def client_request_id(headers: Headers) -> str:
    value = headers.get("Client-Request-Id")
    if value is None:
        raise RfsError(MISSING_PARAMETER, "The Client-Request-Id header is required.")
    return check_length("Client-Request-Id", str(value), 36, 128)


def project_id(headers: Headers) -> str:
    value = headers.get("X-Project-Id")
    if not value:
        raise RfsError(MISSING_PARAMETER, "The X-Project-Id header is required.")
    return str(value)


def json_content_type(method: str, headers: Headers, body: bytes) -> None:
    """A POST or PATCH (or a DELETE with a body) must send its body as JSON: ``Content-Type: application/json``
    (parameters such as ``;charset=UTF-8`` allowed), the type RFS's API reference requires and the SDK sends."""
    if method.upper() not in ("POST", "PATCH") and not (method.upper() == "DELETE" and body.strip()):
        return
    content_type = str(headers.get("Content-Type") or "")
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        shown = content_type or "none"
        raise RfsError(INVALID_JSON, f"The request body must be sent as application/json (Content-Type: {shown}).")


# -- path ---------------------------------------------------------------------------------------------
def stack_set_name(name: str) -> str:
    check_length("stack_set_name", name, 1, 128)
    if not STACK_SET_NAME.fullmatch(name):
        raise RfsError(INVALID_NAME, f"stack_set_name {name!r} is invalid.")
    return name


def stack_set_id(value: str | None) -> str | None:
    if value is not None:
        check_length("stack_set_id", value, 36, 36)
    return value


# -- query ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    values: Mapping[str, list[str]]

    def check_names(self, allowed: Collection[str]) -> None:
        unknown = sorted(set(self.values) - set(allowed))
        if unknown:
            raise RfsError(UNRECOGNIZED_PARAMETER, f"Unknown query parameter(s): {', '.join(unknown)}.")

    def single(self, name: str) -> str | None:
        found = self.values.get(name)
        if not found:
            return None
        if len(found) > 1:
            raise RfsError(DUPLICATE_QUERY_VALUES, f"{name} may be given once.")
        return found[0]

    def many(self, name: str) -> list[str]:
        found = list(self.values.get(name, []))
        if len(set(found)) != len(found):
            raise RfsError(DUPLICATE_QUERY_VALUES, f"{name} has duplicate values.")
        return found

    def integer(self, name: str, low: int, high: int) -> int | None:
        raw = self.single(name)
        if raw is None:
            return None
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise RfsError(NOT_INTEGER, f"{name} must be an integer.")
        if len(raw.lstrip("-").lstrip("0")) > 18:  # beyond any bound (and beyond what int() converts)
            raise RfsError(INVALID_VALUE, f"{name} must be between {low} and {high}.")
        return in_range(name, int(raw), low, high)


def in_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise RfsError(INVALID_VALUE, f"{name} must be between {low} and {high}, not {value}.")
    return value


# -- body -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Body:
    fields: JsonObject

    @classmethod
    def parse(cls, raw: bytes, allowed: Collection[str]) -> Body:
        if not raw.strip():
            raise RfsError(NO_BODY)
        try:
            decoded = jsonsafe.loads(raw)
        except ValueError as error:
            raise RfsError(INVALID_JSON) from error
        if not isinstance(decoded, dict):
            raise RfsError(INVALID_JSON, "The body must be a JSON object.")
        body = cls(decoded)
        body.check_names("request body", allowed)
        return body

    def check_names(self, where: str, allowed: Collection[str]) -> None:
        unknown = sorted(set(self.fields) - set(allowed))
        if unknown:
            raise RfsError(UNRECOGNIZED_PARAMETER, f"Unknown field(s) in {where}: {', '.join(unknown)}.")

    def has(self, name: str) -> bool:
        return self.fields.get(name) is not None

    def string(self, name: str, low: int = 0, high: int = 1 << 20) -> str | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise RfsError(INVALID_VALUE, f"{name} must be a string.")
        return check_length(name, value, low, high)

    def required_string(self, name: str, low: int = 1, high: int = 1 << 20) -> str:
        value = self.string(name, low, high)
        if value is None:
            raise RfsError(MISSING_PARAMETER, f"{name} is required.")
        return value

    def integer(self, name: str, low: int, high: int) -> int | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise RfsError(NOT_INTEGER, f"{name} must be an integer.")
        return in_range(name, value, low, high)

    def boolean(self, name: str) -> bool | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise RfsError(INVALID_VALUE, f"{name} must be a boolean.")
        return value

    def strings(self, name: str) -> list[str] | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise RfsError(INVALID_VALUE, f"{name} must be an array of strings.")
        return [str(item) for item in value]

    def child(self, name: str, allowed: Collection[str]) -> Body | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise RfsError(INVALID_VALUE, f"{name} must be an object.")
        child = Body(value)
        child.check_names(name, allowed)
        return child

    def required_child(self, name: str, allowed: Collection[str]) -> Body:
        child = self.child(name, allowed)
        if child is None:
            raise RfsError(MISSING_PARAMETER, f"{name} is required.")
        return child


CALL_IDENTITIES = ("SELF", "DELEGATED_ADMIN")


def call_identity(value: str | None) -> str:
    return "SELF" if value is None else enum("call_identity", value, CALL_IDENTITIES)
