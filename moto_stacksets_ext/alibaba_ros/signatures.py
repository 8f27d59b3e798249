"""Optional strict mode: verify the signature of every ROS request, as Alibaba Cloud's API gateway does.

Off by default (any AccessKeyId is accepted and nothing is checked). Switch it on in-process with
``require_signatures`` (``{access_key_id: access_key_secret}``), or for a server in another process with
``MOTO_STACKSETS_ALIBABA_CREDENTIALS="AK:SECRET[,AK2:SECRET2]"``; ``accept_any_signature`` switches it
off again. What ``require_signatures`` configures lives in the plugin's settings
(``moto_stacksets_ext._state.credentials``), so moto's reset switches strict mode off too (the environment
variable is process configuration and stays).

Both signature styles of the official SDK are verified:

* **ACS3-HMAC-SHA256** (V3, the SDK's default): ``Authorization: ACS3-HMAC-SHA256 Credential=<AK>,
  SignedHeaders=<h1;h2…>,Signature=<hex>``; the canonical request is the method, the path, the sorted query
  (values ``quote(…, safe="~")``), the signed headers (``name:value`` lines), their names and the hex SHA-256
  of the body as received; the string to sign is ``ACS3-HMAC-SHA256\\n`` + hex SHA-256 of it, signed with
  HMAC-SHA256 keyed by the secret.
* **V2** (``signature_algorithm="v2"``): ``Signature`` = base64 HMAC-SHA1 keyed by ``secret + "&"`` over
  ``<METHOD>&%2F&`` + the percent-encoded sorted query and form parameters (``Signature`` left out).

Failures get the gateway's answers (see docs/alibaba-ros.md): ``MissingAccessKeyId`` 400,
``InvalidAccessKeyId.NotFound`` 404, ``IncompleteSignature`` 400, ``SignatureDoesNotMatch`` 400.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from .._state import credentials as credentials_module
from .._transport.gateway import GatewayRequest
from .errors import RosError

CREDENTIALS_ENV = "MOTO_STACKSETS_ALIBABA_CREDENTIALS"
CLOUD = "alibaba"
V3_ALGORITHM = "ACS3-HMAC-SHA256"

_AUTHORIZATION = re.compile(
    r"^(?P<algorithm>\S+)\s+Credential=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<headers>[^,\s]*),\s*Signature=(?P<signature>\S*)$"
)
_FORM = "application/x-www-form-urlencoded"


def require_signatures(credentials: dict[str, str]) -> None:
    """Strict mode: only these ``{access_key_id: access_key_secret}`` pairs may call, with valid signatures."""
    credentials_module.require_signatures(CLOUD, credentials)


def accept_any_signature() -> None:
    """Leave strict mode (the default: any AccessKeyId is accepted, signatures are not checked)."""
    credentials_module.accept_any_signature(CLOUD)


def configured_credentials() -> dict[str, str]:
    """The access key pairs strict mode checks against (empty: strict mode is off)."""
    return credentials_module.configured_credentials(CLOUD, CREDENTIALS_ENV)


# -- errors (the API gateway's codes) ---------------------------------------------------------------------
def missing_access_key_id() -> RosError:
    return RosError("MissingAccessKeyId", 400, "AccessKeyId is mandatory for this action.")


def access_key_not_found() -> RosError:
    return RosError("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.")


def incomplete_signature() -> RosError:
    return RosError("IncompleteSignature", 400, "The request signature does not conform to Aliyun standards.")


def signature_does_not_match(string_to_sign: str, *, v3: bool) -> RosError:
    if v3:
        message = f"Specified signature does not match our calculation. server StringToSign is [{string_to_sign}]"
    else:
        message = f"Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
    return RosError("SignatureDoesNotMatch", 400, message)


# -- verification -----------------------------------------------------------------------------------------
def verify(request: GatewayRequest) -> None:
    """In strict mode, the request's signature must be valid for a configured access key (else a RosError)."""
    known = configured_credentials()
    if not known:
        return
    authorization = (request.headers.get("authorization") or "").strip()
    if authorization:
        _verify_v3(request, authorization, known)
    else:
        _verify_v2(request, known)


def _secret(known: dict[str, str], access_key_id: str | None) -> str:
    if not access_key_id:
        raise missing_access_key_id()
    secret = known.get(access_key_id)
    if secret is None:
        raise access_key_not_found()
    return secret


def _query(request: GatewayRequest) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(request.url).query, keep_blank_values=True)


def _form(request: GatewayRequest) -> list[tuple[str, str]]:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != _FORM or not request.body:
        return []
    return parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)


def _verify_v3(request: GatewayRequest, authorization: str, known: dict[str, str]) -> None:
    match = _AUTHORIZATION.match(authorization)
    if match is None:
        if "Credential=" not in authorization:
            raise missing_access_key_id()
        raise incomplete_signature()
    secret = _secret(known, match["ak"])
    signature = match["signature"].lower()
    signed = match["headers"].split(";") if match["headers"] else []
    if match["algorithm"] != V3_ALGORITHM or not signature or not signed:
        raise incomplete_signature()
    string_to_sign = v3_string_to_sign(request, signed)
    expected = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise signature_does_not_match(string_to_sign, v3=True)


def v3_string_to_sign(request: GatewayRequest, signed_headers: list[str]) -> str:
    """ACS3-HMAC-SHA256's string to sign of ``request`` over ``signed_headers`` (lower-case names)."""
    parts = urlsplit(request.url)
    query = "&".join(f"{key}={quote(value, safe='~')}" for key, value in sorted(_query(request)))
    headers = "".join(f"{name}:{(request.headers.get(name) or '').strip()}\n" for name in signed_headers)
    canonical = "\n".join(
        [
            request.method.upper(),
            parts.path or "/",
            query,
            headers,
            ";".join(signed_headers),
            hashlib.sha256(request.body or b"").hexdigest(),
        ]
    )
    return f"{V3_ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def _verify_v2(request: GatewayRequest, known: dict[str, str]) -> None:
    pairs = [*_query(request), *_form(request)]
    values = dict(pairs)
    secret = _secret(known, values.get("AccessKeyId"))
    signature = values.get("Signature")
    if not signature or values.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1":
        raise incomplete_signature()
    string_to_sign = v2_string_to_sign(request.method, [(k, v) for k, v in pairs if k != "Signature"])
    expected = base64.b64encode(
        hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    ).decode()
    if not hmac.compare_digest(expected, signature):
        raise signature_does_not_match(string_to_sign, v3=False)


def v2_string_to_sign(method: str, parameters: list[tuple[str, str]]) -> str:
    """The V2 (HMAC-SHA1) string to sign of the query and form ``parameters`` (without ``Signature``)."""
    canonical = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(dict(parameters).items()))
    return f"{method.upper()}&%2F&{quote_plus(canonical, safe='~')}"
