"""What the CloudFormation endpoint answers before any action runs.

moto answers these requests with a Python exception (an HTML 500 page in server mode); AWS refuses them
with an XML error of its query protocol, and so does the plugin:

- no ``Action`` (for instance a JSON-protocol request that names its operation in ``X-Amz-Target`` only:
  CloudFormation speaks the query protocol alone): ``MissingAction``, 400;
- an ``Action`` CloudFormation does not have, including a known one in another case
  (``describestackset``): ``InvalidAction``, 400;
- a credential scope whose region is empty or not a region CloudFormation has (unless moto's
  ``MOTO_ALLOW_NONEXISTENT_REGION`` is set): ``SignatureDoesNotMatch``, 403, with the message AWS gives
  when the scope names the wrong region.

The messages are those of CloudFormation's common errors and of AWS's signature checks.
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


def refusal(action: str | None, region: str, regions: Any) -> TYPE_RESPONSE | None:
    """The answer to a request AWS refuses before running ``action`` (None: the action may run).

    ``regions`` is the container moto's backends are keyed by (``region in regions`` says whether the
    region exists).
    """
    if not action:
        return error(400, "MissingAction", "The request is missing an action or a required parameter.")
    if action not in operation_names():
        message = "The action or operation requested is invalid. Verify that the action is typed correctly."
        return error(400, "InvalidAction", message)
    if not region or (region not in regions and not settings.allow_unknown_region()):
        return error(403, "SignatureDoesNotMatch", f"Credential should be scoped to a valid region, not '{region}'. ")
    return None
