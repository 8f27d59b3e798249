"""In-process interception for clients that ship their own copy of ``requests``.

The older official Alibaba Cloud core SDK (``aliyun-python-sdk-core``, used by ``aliyun-python-sdk-ros``)
sends through ``aliyunsdkcore.vendored.requests``, a private copy of ``requests`` that moto's ``responses``
mock never sees. While ``mock_stacksets`` is active, that copy's ``HTTPAdapter.send`` is wrapped: a
request to a URL a registered cloud front-end intercepts is answered by the gateway (under moto's
``TEST_SERVER_MODE``, forwarded to the server), a request to a
cloud host the mock does not serve is refused (as under ``responses``), anything else (e.g. a local
server) goes out unchanged.
"""

from __future__ import annotations

import importlib
import io
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from . import gateway

#: ``(module, attribute)`` of every vendored ``HTTPAdapter`` class patched (when the package is installed).
VENDORED_ADAPTERS = (("aliyunsdkcore.vendored.requests.adapters", "HTTPAdapter"),)

_lock = threading.Lock()
_originals: dict[tuple[str, str], Any] = {}


def _adapter_class(module_name: str, attribute: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attribute, None)


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        data = body.read()
        return data if isinstance(data, bytes) else str(data).encode()
    return b"".join(chunk if isinstance(chunk, bytes) else str(chunk).encode() for chunk in body)


def _respond(adapter: Any, prepared: Any, response: gateway.GatewayResponse) -> Any:
    urllib3_response = importlib.import_module(
        type(adapter).__module__.rsplit(".", 1)[0] + ".packages.urllib3.response"
    )
    raw = urllib3_response.HTTPResponse(
        body=io.BytesIO(response.body),
        headers=dict(response.headers),
        status=response.status,
        reason=gateway.reason(response.status),
        preload_content=False,
        decode_content=False,
    )
    return adapter.build_response(prepared, raw)


def _wrapped_send(
    original: Callable[..., Any], refused: Sequence[re.Pattern[str]], answer: gateway.Answer
) -> Callable[..., Any]:
    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        url = str(request.url)
        for front_end in gateway.front_ends():
            if any(pattern.match(url) for pattern in front_end.host_patterns):
                body = _body_bytes(request.body)
                headers = gateway.Headers((str(k), str(v)) for k, v in request.headers.items())
                answered = answer(front_end, gateway.GatewayRequest(str(request.method), url, headers, body))
                return _respond(self, request, answered)
        if any(pattern.match(url) for pattern in refused):
            raise ConnectionError(
                f"moto-stacksets-ext: {request.method} {url} is a cloud endpoint this mock does not serve; "
                "the request was not sent"
            )
        return original(self, request, *args, **kwargs)

    send.__wrapped__ = original  # type: ignore[attr-defined]
    return send


def patch(refused: Sequence[re.Pattern[str]] = (), answer: gateway.Answer | None = None) -> None:
    """Route the vendored copies' requests through the gateway (idempotent): ``answer`` answers them
    (by default ``gateway.serve``, this process; under TEST_SERVER_MODE a forwarder to the server)."""
    with _lock:
        for key in VENDORED_ADAPTERS:
            if key in _originals:
                continue
            adapter = _adapter_class(*key)
            if adapter is None:
                continue
            _originals[key] = adapter.send
            adapter.send = _wrapped_send(adapter.send, refused, answer or gateway.serve)


def unpatch() -> None:
    """Give the vendored copies their own ``send`` back (idempotent)."""
    with _lock:
        for key, original in list(_originals.items()):
            adapter = _adapter_class(*key)
            if adapter is not None:
                adapter.send = original
            del _originals[key]
