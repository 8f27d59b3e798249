"""What the AWS front-end understood of each CloudFormation request, handed to the record of calls.

RFS and ROS hand theirs over through the gateway; CloudFormation is served by moto's dispatcher (in-process
and in server mode), so its response class records each request here once it is answered.
"""

from __future__ import annotations

import re
from typing import Any

from .._control import calls
from .cloud import CLOUD

_XML_CODE = re.compile(r"<Code>([^<]{1,256})</Code>")


def record(responder: Any, status: int, body: Any) -> None:
    """Record one CloudFormation request the plugin's response class answered (never raises)."""
    try:
        parameters = getattr(responder, "params", None)
        if not isinstance(parameters, dict) or not parameters:
            parameters = {k: v[0] if len(v) == 1 else v for k, v in (responder.querystring or {}).items()}
            parameters.pop("Action", None)
            parameters.pop("Version", None)
        error_code = None
        if status >= 400:
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            found = _XML_CODE.search(text)
            error_code = found.group(1) if found else None
        calls.record(
            calls.Call(
                cloud=CLOUD,
                action=str(responder._get_action()),
                account=str(responder.current_account),
                region=str(responder.region),
                parameters=dict(parameters),
                status=int(status),
                error_code=error_code,
            )
        )
    except Exception:  # recording must never break the call it records
        return
