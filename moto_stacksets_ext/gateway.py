"""The door for the non-AWS clouds: one request/response shape, reached in-process and in server mode.

A cloud front-end (Huawei RFS, Alibaba ROS) implements :class:`CloudFrontEnd` and is registered with
:func:`register`. In-process, :class:`~moto_stacksets_ext.plugin.StackSetsMock` adds each front-end's
``host_patterns`` to moto's own ``responses`` mock (so the real endpoints are intercepted and nothing
reaches the network); in server mode, :func:`wsgi_middleware` hands every request a front-end
``claims`` to it and the rest to moto.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)


class Headers(dict[str, str]):
    """Request headers with case-insensitive lookups (keys are stored lower-case)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


@dataclass(frozen=True)
class GatewayRequest:
    method: str
    url: str
    headers: Headers
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: object, headers: Mapping[str, str] | None = None) -> GatewayResponse:
        merged = {"Content-Type": "application/json", **(headers or {})}
        return cls(status, merged, json.dumps(payload).encode())


class CloudFrontEnd(Protocol):
    name: str

    #: Real endpoints intercepted in-process (matched against the full URL).
    host_patterns: list[re.Pattern[str]]

    def claims(self, request: GatewayRequest) -> bool:
        """Whether this front-end serves ``request`` in server mode (any host, e.g. 127.0.0.1)."""
        ...

    def handle(self, request: GatewayRequest) -> GatewayResponse: ...


_lock = threading.Lock()
_front_ends: list[CloudFrontEnd] = []


def register(front_end: CloudFrontEnd) -> None:
    with _lock:
        if all(existing.name != front_end.name for existing in _front_ends):
            _front_ends.append(front_end)


def front_ends() -> list[CloudFrontEnd]:
    with _lock:
        return list(_front_ends)


def serve(front_end: CloudFrontEnd, request: GatewayRequest) -> GatewayResponse:
    """Let ``front_end`` answer; an unexpected error becomes a JSON 500, never a traceback."""
    try:
        return front_end.handle(request)
    except Exception:  # a defect: keep the server alive and say so
        logger.exception("%s front-end failed on %s %s", front_end.name, request.method, request.url)
        return GatewayResponse.json(500, {"error": f"internal error in the {front_end.name} mock"})


# -- in-process (moto's responses mock) ---------------------------------------------------------------
def responses_callback(front_end: CloudFrontEnd) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
    def callback(prepared: Any) -> tuple[int, dict[str, str], bytes]:
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):  # a generator or file-like body
            body = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)
        request = GatewayRequest(prepared.method, prepared.url, Headers(prepared.headers.items()), body)
        response = serve(front_end, request)
        return response.status, dict(response.headers), response.body

    return callback


# -- server mode (WSGI) -------------------------------------------------------------------------------
def _request_from_environ(environ: Mapping[str, Any]) -> GatewayRequest:
    headers = Headers((key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_"))
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    length = environ.get("CONTENT_LENGTH") or "0"
    body = environ["wsgi.input"].read(int(length)) if length.isdigit() and int(length) > 0 else b""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    query = environ.get("QUERY_STRING", "")
    url = f"{scheme}://{host}{environ.get('PATH_INFO', '')}" + (f"?{query}" if query else "")
    return GatewayRequest(environ.get("REQUEST_METHOD", "GET"), url, headers, body)


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
}


def wsgi_middleware(inner: Callable[..., Any]) -> Callable[..., Any]:
    """A WSGI app that serves the registered clouds and passes everything else to ``inner`` (moto)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request: GatewayRequest | None = None
        for front_end in front_ends():
            if request is None:
                request = _request_from_environ(environ)
                # The body was consumed: give moto a fresh stream if nobody claims the request.
                import io

                environ["wsgi.input"] = io.BytesIO(request.body)
            if front_end.claims(request):
                response = serve(front_end, request)
                reason = _REASONS.get(response.status, "")
                start_response(f"{response.status} {reason}".strip(), list(response.headers.items()))
                return [response.body]
        return inner(environ, start_response)

    return app


def compile_patterns(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]
