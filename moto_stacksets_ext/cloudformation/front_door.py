"""What the CloudFormation endpoint answers before any action runs.

moto answers these requests with a Python exception (an HTML 500 page in server mode); AWS refuses them
with an XML error of its query protocol, and so does the plugin:

- no ``Action`` (for instance a JSON-protocol request that names its operation in ``X-Amz-Target`` only:
  CloudFormation speaks the query protocol alone; in server mode a body under another content type is read
  as a form when it is one, see ``routing``): ``MissingAction``, 400;
- an ``Action`` CloudFormation does not have, including a known one in another case
  (``describestackset``): ``InvalidAction``, 400;
- a credential scope whose region is empty or not a region CloudFormation has (unless moto's
  ``MOTO_ALLOW_NONEXISTENT_REGION`` is set): ``SignatureDoesNotMatch``, 403, with the message AWS gives
  when the scope names the wrong region.

In server mode a request carries no host that names CloudFormation, so the plugin recognises one by its
query-protocol parameters (an ``Action`` that is one of CloudFormation's operations, with
``Version=2010-05-15`` or no ``Version``, in the form body or, on ``/``, the query string) when no SigV4
credential scope names a service. Such a request has no usable signature, and AWS refuses it before any action runs:

- no ``Authorization`` header (and no pre-signed ``X-Amz-Credential``): ``MissingAuthenticationToken``,
  403, "Request is missing Authentication Token";
- an ``Authorization`` header that is not a complete SigV4 one: ``IncompleteSignature``, 400, whose message
  names what is missing ("Authorization header requires 'Credential' parameter. ...
  Authorization=<header>") or, for a credential that is not a scope, "Credential must have exactly 5
  slash-delimited elements, e.g. keyid/date/region/service/term, got '<credential>'".

The messages are those of CloudFormation's common errors and of AWS's signature checks: the codes and
statuses from the CloudFormation API Reference, "Common Errors"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html); the texts as AWS
returns them, recorded by ``dacut/scratchstack-aws-signature`` (``src/error.rs``, sample messages of
``MissingAuthenticationToken`` and ``IncompleteSignature``).

In-process, moto's mock hands CloudFormation every request sent to CloudFormation's host, signed or not,
as it does for every service (botocore always signs; only a client built with ``UNSIGNED`` sends none):
the plugin keeps that behaviour, so these two refusals are answered in server mode only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from moto import settings
from moto.core.common_types import TYPE_RESPONSE
from moto.core.utils import get_service_model

_NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"


@lru_cache(maxsize=1)
def operation_names() -> frozenset[str]:
    """CloudFormation's operations, as its model spells them (actions are case-sensitive)."""
    return frozenset(get_service_model("cloudformation").operation_names)


def error(status: int, code: str, message: str, sender: bool = True) -> TYPE_RESPONSE:
    """An error in the query protocol's XML form, as moto's serializer writes it."""
    fault = "Sender" if sender else "Receiver"
    body = (
        f'<ErrorResponse xmlns="{_NAMESPACE}"><Error><Type>{fault}</Type><Code>{code}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>request-id</RequestId></ErrorResponse>"
    )
    return status, {"Content-Type": "text/xml"}, body


def query_action(querystring: Any) -> str | None:
    """The query protocol's ``Action`` parameter (moto would also take the operation from X-Amz-Target)."""
    action = querystring.get("Action")
    if isinstance(action, list):
        action = action[0] if action else None
    return str(action) if action else None


_SIGV4_PARTS = ("Credential", "Signature", "SignedHeaders")


def sigv4_parameters(authorization: str) -> dict[str, str]:
    """The named parameters of a SigV4 ``Authorization`` header, in any order (empty if it is not SigV4)."""
    fields = authorization.split(None, 1)
    parameters: dict[str, str] = {}
    if len(fields) == 2 and fields[0].startswith("AWS4-"):
        for part in fields[1].split(","):
            name, _, value = part.strip().partition("=")
            if value:
                parameters[name] = value
    return parameters


def unauthenticated(authorization: str, has_date: bool) -> TYPE_RESPONSE:
    """AWS's answer to a CloudFormation request without a usable SigV4 signature.

    ``authorization`` is the request's ``Authorization`` header ("" when there is none) and ``has_date``
    whether it has an ``X-Amz-Date`` or ``Date`` header.
    """
    if not authorization.strip():
        return error(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
    parameters = sigv4_parameters(authorization)
    missing = [f"Authorization header requires '{name}' parameter." for name in _SIGV4_PARTS if name not in parameters]
    if not has_date:
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if missing:
        return error(400, "IncompleteSignature", " ".join([*missing, f"Authorization={authorization}"]))
    credential = parameters["Credential"]
    message = (
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
        f"got '{credential}'"
    )
    return error(400, "IncompleteSignature", message)


#: CloudFormation's common error ``MissingAction``.
MISSING_ACTION = "The request is missing an action or a required parameter."


def refusal(action: str | None, region: str, regions: Any) -> TYPE_RESPONSE | None:
    """The answer to a request AWS refuses before running ``action`` (None: the action may run).

    ``regions`` is the container moto's backends are keyed by (``region in regions`` says whether the
    region exists).
    """
    if not action:
        return error(400, "MissingAction", MISSING_ACTION)
    if action not in operation_names():
        message = "The action or operation requested is invalid. Verify that the action is typed correctly."
        return error(400, "InvalidAction", message)
    if not region or (region not in regions and not settings.allow_unknown_region()):
        return error(403, "SignatureDoesNotMatch", f"Credential should be scoped to a valid region, not '{region}'. ")
    return None
