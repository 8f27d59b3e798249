"""Under moto's ``TEST_SERVER_MODE``: Huawei RFS and Alibaba ROS SDK requests go to the server.

moto's ``ServerModeMockAWS`` sends boto3 clients to ``TEST_SERVER_MODE_ENDPOINT``; the plugin's
``ServerModeStackSetsMock`` does the same for the official Huawei and Alibaba SDKs, which keep calling
their real hosts (``rfs.cn-north-4.myhuaweicloud.com``, ``ros.aliyuncs.com``): each request a cloud
front-end would intercept in-process is sent, as it is, to the server, which recognises it by its path and
signature headers (``gateway.wsgi_middleware``). The ``Host`` header stays the one the SDK signed, so
signatures (which cover the host) verify in the server exactly as in-process, and the answer goes back to
the SDK unchanged.

Plain ``http.client``: the forwarded request does not pass through ``requests`` (which the mock intercepts).
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from urllib.parse import urlsplit

from .gateway import CloudFrontEnd, GatewayRequest, GatewayResponse, Headers

#: Seconds to wait for the server's answer (an operation with immediate progression runs within the call).
TIMEOUT = 120.0
#: Headers that describe one connection, not the message: never forwarded (either way).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",  # the body is sent whole: http.client sets its length
        "accept-encoding",  # the answer is passed on as received: ask for it unencoded
    }
)


class ServerUnreachableError(ConnectionError):
    """The TEST_SERVER_MODE server did not answer a forwarded request."""


def _connection(endpoint: str) -> http.client.HTTPConnection:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServerUnreachableError(
            f"moto-stacksets-ext: TEST_SERVER_MODE_ENDPOINT must be an http(s) URL such as "
            f"http://127.0.0.1:5000, not {endpoint!r}"
        )
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return kind(parts.hostname, parts.port, timeout=TIMEOUT)


def forward(endpoint: str, request: GatewayRequest) -> GatewayResponse:
    """Send ``request`` to the server at ``endpoint`` (keeping its path, query, headers, signed ``Host`` and
    body) and return the server's answer."""
    target = urlsplit(request.url)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    headers = {name: value for name, value in request.headers.items() if name not in HOP_BY_HOP}
    headers.setdefault("host", target.netloc)
    connection = _connection(endpoint)
    try:
        connection.request(request.method, path, body=request.body, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        kept = Headers((name, value) for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP)
        return GatewayResponse(answer.status, dict(kept), body)
    except OSError as error:
        raise ServerUnreachableError(
            f"moto-stacksets-ext: {request.method} {request.url} was forwarded to the TEST_SERVER_MODE server at "
            f"{endpoint}, which did not answer ({error}); is moto-stacksets-server running there?"
        ) from error
    finally:
        connection.close()


def forwarder(endpoint: str) -> Callable[[CloudFrontEnd, GatewayRequest], GatewayResponse]:
    """A ``gateway.Answer`` that forwards every request to ``endpoint`` (the server picks the front-end)."""

    def answer(front_end: CloudFrontEnd, request: GatewayRequest) -> GatewayResponse:
        return forward(endpoint, request)

    return answer
