"""The older official ROS client: ``aliyun-python-sdk-ros`` on ``aliyun-python-sdk-core`` (RPC, signature
V1 HMAC-SHA1 in the query, GET or POST form), as its users call it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from aliyunsdkcore.acs_exception.exceptions import ServerException  # type: ignore[import-untyped]
from aliyunsdkcore.client import AcsClient  # type: ignore[import-untyped]
from aliyunsdkros.request.v20190910 import (  # type: ignore[import-untyped]
    CreateStackGroupRequest,
    CreateStackInstancesRequest,
    DeleteStackGroupRequest,
    DeleteStackInstancesRequest,
    GetStackGroupOperationRequest,
    GetStackGroupRequest,
    GetStackInstanceRequest,
    ListStackGroupOperationResultsRequest,
    ListStackGroupOperationsRequest,
    ListStackGroupsRequest,
    ListStackInstancesRequest,
    StopStackGroupOperationRequest,
    UpdateStackGroupRequest,
    UpdateStackInstancesRequest,
)

from .ros_support import ACCESS_KEY, REGION, SECRET

__all__ = [
    "CreateStackGroupRequest",
    "CreateStackInstancesRequest",
    "DeleteStackGroupRequest",
    "DeleteStackInstancesRequest",
    "GetStackGroupOperationRequest",
    "GetStackGroupRequest",
    "GetStackInstanceRequest",
    "ListStackGroupOperationResultsRequest",
    "ListStackGroupOperationsRequest",
    "ListStackGroupsRequest",
    "ListStackInstancesRequest",
    "ServerException",
    "StopStackGroupOperationRequest",
    "UpdateStackGroupRequest",
    "UpdateStackInstancesRequest",
]


class CoreClient:
    """An ``AcsClient`` aimed at the real endpoint (in-process) or at a local server."""

    def __init__(
        self, endpoint: str | None = None, *, access_key: str = ACCESS_KEY, secret: str = SECRET, region: str = REGION
    ) -> None:
        self.host: str | None = None
        port = 80
        if endpoint is not None:
            parts = urlsplit(endpoint)
            self.host, port = parts.hostname, int(parts.port or 80)
        self.acs = AcsClient(access_key, secret, region, auto_retry=False, port=port)

    def _prepare(self, request: Any) -> Any:
        if self.host is not None:
            request.set_endpoint(self.host)
            request.set_protocol_type("http")  # the local server speaks plain HTTP (some requests default to https)
        return request

    def call(self, request: Any) -> dict[str, Any]:
        """``do_action_with_exception``: JSON, a ``ServerException`` on an error answer."""
        body = self.acs.do_action_with_exception(self._prepare(request))
        decoded: dict[str, Any] = json.loads(body)
        return decoded

    def raw(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        """``get_response``: status, headers and body as answered (in the format the request asked for)."""
        status, headers, body = self.acs.get_response(self._prepare(request))
        return int(status), {str(k).lower(): str(v) for k, v in headers.items()}, bytes(body)


def request(cls: Any, *, method: str = "POST", **params: Any) -> Any:
    """A request of the SDK's class ``cls`` (a module), with ``set_<Name>(value)`` for each parameter."""
    made = getattr(cls, cls.__name__.rsplit(".", 1)[-1])()
    made.set_method(method)
    for name, value in params.items():
        getattr(made, f"set_{name}")(value)
    return made
