"""What the ROS SDK sends, decoded: the action, the caller's AccessKeyId and typed request parameters.

The SDK (``alibabacloud_tea_openapi`` 0.4.x) sends every stack-group call as ``POST /`` with the
parameters in the query string (the template body in a form body). Its encodings, decoded here:

* "shrink" parameters (``AccountIds``, ``RegionIds``, ``OperationPreferences``, ``DeploymentTargets``,
  ``AutoDeployment``) hold compact JSON in one value;
* other lists are flattened: ``Capabilities.1``, ``Parameters.1.ParameterKey``, ``Tags.1.Key``;
* booleans are ``True``/``False`` and numbers are decimal strings.

Malformed values raise ROS's ``InvalidParameter``; a missing parameter the API declares required gets the
OpenAPI gateway's ``MissingParameter`` (``The input parameter "X" that is mandatory for processing this request
is not supplied.``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from .. import _jsonsafe as jsonsafe
from .._transport.gateway import GatewayRequest
from .errors import invalid_parameter, mandatory_parameter_missing

API_VERSION = "2019-09-10"

#: Query parameters of the V2 signature (common parameters, not API parameters).
COMMON_PARAMETERS = frozenset(
    {
        "Action",
        "Version",
        "Format",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureType",
        "AccessKeyId",
        "Signature",
        "SecurityToken",
    }
)

_CREDENTIAL = re.compile(r"Credential=([^,\s]+)")
_FORM = "application/x-www-form-urlencoded"


def _form(request: GatewayRequest) -> list[tuple[str, str]]:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != _FORM or not request.body:
        return []
    # Lenient here (recognising a request must never fail); ``check_form_text`` refuses such a body.
    return parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)


def check_form_text(request: GatewayRequest) -> None:
    """A form body must be UTF-8 text (InvalidParameter otherwise, before anything reads it)."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != _FORM or not request.body:
        return
    try:
        request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_parameter("body", "the form body is not UTF-8 text") from None


def _query(request: GatewayRequest) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(request.url).query, keep_blank_values=True)


def action_and_version(request: GatewayRequest) -> tuple[str | None, str | None]:
    """The API action and version: the ACS3 headers, else ``Action``/``Version`` in the query or form."""
    action = request.headers.get("x-acs-action")
    version = request.headers.get("x-acs-version")
    if action:
        return action, version
    query = dict(_query(request))
    pairs = query if "Action" in query else dict(_form(request))
    return pairs.get("Action"), pairs.get("Version") or query.get("Version")


def rpc_parameters(request: GatewayRequest) -> set[str]:
    """The names of the parameters in the query string and the form body."""
    return {name for name, _ in (*_query(request), *_form(request))}


def response_format(request: GatewayRequest) -> str:
    """``XML`` when the caller asks for it (the common parameter ``Format``, in the query or the form),
    else ``JSON``. Without ``Format`` the answer is JSON: the V3 SDK sends none and reads JSON."""
    pairs = dict(_query(request))
    value = pairs.get("Format") or dict(_form(request)).get("Format") or "JSON"
    return "XML" if value.strip().upper() == "XML" else "JSON"


def access_key_id(request: GatewayRequest) -> str | None:
    """The caller's AccessKeyId: from the ACS3 ``Authorization`` header, else the V2 ``AccessKeyId``."""
    authorization = request.headers.get("authorization") or ""
    found = _CREDENTIAL.search(authorization)
    if found:
        return found.group(1)
    pairs = dict(_query(request))
    return pairs.get("AccessKeyId") or dict(_form(request)).get("AccessKeyId") or None


def _decoded(value: str) -> object:
    if value[:1] in ("[", "{"):
        try:
            return jsonsafe.loads(value)
        except ValueError:  # not JSON, or nested too deep: recorded as sent
            return value
    return value


@dataclass(frozen=True)
class ParameterRecord:
    """One flattened record, e.g. ``Parameters.1.ParameterKey`` / ``Parameters.1.ParameterValue``."""

    fields: Mapping[str, str]

    def get(self, key: str) -> str | None:
        return self.fields.get(key)


class Params:
    """The API parameters of one request (query and form merged, common parameters dropped)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    @classmethod
    def from_request(cls, request: GatewayRequest) -> Params:
        values: dict[str, str] = {}
        for key, value in [*_query(request), *_form(request)]:
            if key not in COMMON_PARAMETERS:
                values.setdefault(key, value)
        return cls(values)

    def has(self, name: str) -> bool:
        return name in self._values

    def recorded(self) -> dict[str, object]:
        """The parameters as the record of calls shows them: JSON-encoded ("shrink") values decoded."""
        return {name: _decoded(value) for name, value in self._values.items()}

    # -- scalars ----------------------------------------------------------------------------------------
    def string(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise mandatory_parameter_missing(name)
            return None
        if max_length is not None and len(value) > max_length:
            raise invalid_parameter(name, f"the length should be between 1 and {max_length}")
        return value

    def required(self, name: str, *, max_length: int | None = None) -> str:
        value = self.string(name, required=True, max_length=max_length)
        assert value is not None
        return value

    def choice(self, name: str, allowed: tuple[str, ...], *, default: str | None = None) -> str | None:
        value = self.string(name)
        if value is None:
            return default
        if value not in allowed:
            raise invalid_parameter(name, f"it should be one of {', '.join(allowed)}")
        return value

    def integer(self, name: str, *, minimum: int, maximum: int | None = None, default: int | None = None) -> int | None:
        value = self.string(name)
        if value is None:
            return default
        number = parse_int(name, value)
        if number < minimum or (maximum is not None and number > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            raise invalid_parameter(name, f"the value should be {bound}")
        return number

    def boolean(self, name: str, *, required: bool = False) -> bool | None:
        value = self.string(name, required=required)
        if value is None:
            return None
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise invalid_parameter(name, "it should be a boolean (true or false)")
        return lowered == "true"

    # -- JSON-in-a-string -------------------------------------------------------------------------------
    def json_value(self, name: str) -> object | None:
        raw = self.string(name)
        if raw is None:
            return None
        try:
            decoded: object = jsonsafe.loads(raw)
            return decoded
        except ValueError:
            raise invalid_parameter(name, "it is not valid JSON") from None

    def json_strings(self, name: str, *, max_items: int, required: bool = False) -> list[str] | None:
        """A JSON list of non-empty strings (``["a","b"]``), duplicates dropped in order."""
        value = self.json_value(name)
        if value is None:
            if required:
                raise mandatory_parameter_missing(name)
            return None
        return string_list(name, value, max_items=max_items)

    def json_object(self, name: str) -> dict[str, object] | None:
        value = self.json_value(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise invalid_parameter(name, "it should be a JSON object")
        return value

    # -- flattened lists --------------------------------------------------------------------------------
    def flat_list(self, name: str, *, max_items: int) -> list[str] | None:
        """``Name.1``, ``Name.2``… in index order (None when none was sent)."""
        indexed = self._indexed(name)
        if not indexed:
            return None
        values = [value for _, fields in sorted(indexed.items()) for key, value in fields.items() if key == ""]
        if len(values) > max_items:
            raise invalid_parameter(name, f"the number of items should not exceed {max_items}")
        return values

    def flat_records(self, name: str, *, max_items: int) -> list[ParameterRecord] | None:
        """``Name.N.Key`` records in index order (None when none was sent)."""
        indexed = self._indexed(name)
        if not indexed:
            return None
        if len(indexed) > max_items:
            raise invalid_parameter(name, f"the number of items should not exceed {max_items}")
        return [ParameterRecord(fields) for _, fields in sorted(indexed.items())]

    def _indexed(self, name: str) -> dict[int, dict[str, str]]:
        pattern = re.compile(rf"^{re.escape(name)}\.(\d{{1,9}})(?:\.(\w+))?$")
        indexed: dict[int, dict[str, str]] = {}
        for key, value in self._values.items():
            match = pattern.match(key)
            if match:
                indexed.setdefault(int(match.group(1)), {})[match.group(2) or ""] = value
        return indexed


def parse_int(name: str, value: object) -> int:
    """An integer sent as a number or a decimal string (never a boolean)."""
    if isinstance(value, bool):
        raise invalid_parameter(name, "it should be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        if len(value.strip().lstrip("-").lstrip("0")) > 18:  # beyond any bound (and what int() converts)
            raise invalid_parameter(name, "the value is out of range")
        return int(value)
    raise invalid_parameter(name, "it should be an integer")


def string_list(name: str, value: object, *, max_items: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise invalid_parameter(name, "it should be a JSON array of non-empty strings")
    if not value:
        raise invalid_parameter(name, "it should not be empty")
    if len(value) > max_items:
        raise invalid_parameter(name, f"the number of items should not exceed {max_items}")
    return list(dict.fromkeys(value))
