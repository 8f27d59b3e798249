"""The door for the non-AWS clouds: one request/response shape, reached in-process and in server mode.

A cloud front-end (Huawei RFS, Alibaba ROS) implements ``CloudFrontEnd`` and is named by its cloud's
record (``_clouds``); other front-ends (live view, control API) are registered with ``register``.
In-process, ``moto_stacksets_ext.plugin.StackSetsMock`` adds each front-end's ``host_patterns`` to moto's
own ``responses`` mock and ``async_http`` intercepts aiohttp's requests to the same hosts (so the real
endpoints are intercepted and nothing reaches the network); in server mode, ``wsgi_middleware`` hands
every request a front-end ``claims`` to it and the rest to moto.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from .._control import calls
from ..engine import door

logger = logging.getLogger(__name__)
#: One line per request in server mode: ``METHOD cloud Action status 12.3ms``.
request_log = logging.getLogger("moto_stacksets_ext.requests")


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
class Understood:
    """What a cloud front-end understood of a request it answered: the gateway records it (``control.calls``)."""

    #: The cloud's name (its ``Cloud`` record's).
    cloud: str
    #: The provider's action name (``DeployStackSet``, ``CreateStackGroup``), else ``METHOD path``.
    action: str
    #: The calling account, if it could be told.
    account: str | None
    region: str | None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    #: The provider's error code when the answer is an error.
    error_code: str | None = None


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: What a cloud front-end understood of the request (None: nothing to record, e.g. the control API).
    understood: Understood | None = field(default=None, compare=False)

    @classmethod
    def json(cls, status: int, payload: object, headers: Mapping[str, str] | None = None) -> GatewayResponse:
        merged = {"Content-Type": "application/json", **(headers or {})}
        return cls(status, merged, json.dumps(payload).encode())

    def with_understood(self, understood: Understood) -> GatewayResponse:
        return GatewayResponse(self.status, self.headers, self.body, understood)


class CloudFrontEnd(Protocol):
    name: str
    #: What it serves, as the error refusing an unserved endpoint lists it (e.g. "Alibaba ROS").
    serves: str

    #: Real endpoints intercepted in-process (matched against the full URL).
    host_patterns: list[re.Pattern[str]]

    def claims(self, request: GatewayRequest) -> bool:
        """Whether this front-end serves ``request`` in server mode (any host, e.g. 127.0.0.1)."""
        ...

    def handle(self, request: GatewayRequest) -> GatewayResponse: ...


class CloudError(Exception):
    """An error a cloud front-end answers in its provider's shape: the provider's code, the HTTP status and
    the message (each front-end's errors are of this one kind: RFS's ``RfsError``, ROS's ``RosError``)."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message


class UnservedEndpointError(ConnectionError):
    """A request under the mock went to a cloud endpoint the mock does not serve."""


def unserved_endpoint(method: str, url: str) -> UnservedEndpointError:
    """The error refusing ``method url``, a host of a gateway cloud that no front-end serves (never sent)."""
    from .. import _clouds

    served = "; ".join(front_end.serves for front_end in _clouds.front_ends())
    return UnservedEndpointError(
        f"moto-stacksets-ext: {method} {url} is a cloud endpoint this mock does not serve; "
        f"the request was not sent (besides AWS through moto, the mock serves: {served})"
    )


_lock = threading.Lock()
_front_ends: list[CloudFrontEnd] = []
_serving = threading.local()


def serving_here() -> bool:
    """Whether this thread is answering a request now (in a server, or a mock in-process): the state it
    acts on is this process's, so test control never forwards from here (see ``plugin.server_mode``)."""
    return bool(getattr(_serving, "depth", 0))


def register(front_end: CloudFrontEnd) -> None:
    """Serve a front-end that is no cloud's (the live view, the HTTP control API); clouds' front-ends come
    from their ``Cloud`` records."""
    with _lock:
        if all(existing.name != front_end.name for existing in _front_ends):
            _front_ends.append(front_end)


def front_ends() -> list[CloudFrontEnd]:
    """The registered clouds' front-ends, then the others (in the order they were registered)."""
    from .. import _clouds

    with _lock:
        return [*_clouds.front_ends(), *_front_ends]


def front_end_for(url: str) -> CloudFrontEnd | None:
    """The registered front-end whose ``host_patterns`` match ``url`` (as the ``responses`` mock matches)."""
    for front_end in front_ends():
        if any(pattern.match(url) for pattern in front_end.host_patterns):
            return front_end
    return None


def serve(front_end: CloudFrontEnd, request: GatewayRequest) -> GatewayResponse:
    """Let ``front_end`` answer (and record the call, ``control.calls``); an unexpected error becomes a JSON
    500, never a traceback."""
    _serving.depth = getattr(_serving, "depth", 0) + 1
    try:
        with door.held():  # one request at a time through the engine's door
            response = front_end.handle(request)
    except Exception:  # a defect: keep the server alive and say so
        logger.exception("%s front-end failed on %s %s", front_end.name, request.method, request.url)
        response = GatewayResponse.json(500, {"error": f"internal error in the {front_end.name} mock"})
    finally:
        _serving.depth -= 1
    understood = response.understood
    if understood is not None:
        calls.record(
            calls.Call(
                understood.cloud,
                understood.action,
                understood.account,
                understood.region,
                understood.parameters,
                response.status,
                understood.error_code,
            )
        )
    return response


# -- in-process (moto's responses mock) ---------------------------------------------------------------
def request_from_prepared(prepared: Any) -> GatewayRequest:
    """The gateway's request from what ``responses`` hands a callback (its body read whole)."""
    # moto before 5.2 hands callbacks a werkzeug Request, later versions the prepared request.
    body = prepared.get_data() if hasattr(prepared, "get_data") else prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    elif hasattr(body, "read"):  # a file-like body
        data = body.read()
        body = data if isinstance(data, bytes) else str(data).encode()
    elif not isinstance(body, bytes):  # a generator: sent with Transfer-Encoding: chunked
        body = b"".join(chunk if isinstance(chunk, bytes) else str(chunk).encode() for chunk in body)
    return GatewayRequest(prepared.method, prepared.url, Headers(prepared.headers.items()), body)


#: Who answers a request a front-end intercepted: ``serve`` in-process, a forwarder under TEST_SERVER_MODE.
Answer = Callable[[CloudFrontEnd, GatewayRequest], GatewayResponse]


def responses_callback(
    front_end: CloudFrontEnd, answer: Answer | None = None
) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
    """A ``responses`` callback handing the request to ``answer`` (by default ``serve``: this process)."""
    respond = answer or serve

    def callback(prepared: Any) -> tuple[int, dict[str, str], bytes]:
        response = respond(front_end, request_from_prepared(prepared))
        return response.status, dict(response.headers), response.body

    return callback


# -- server mode (WSGI) -------------------------------------------------------------------------------
def request_from_environ(environ: Mapping[str, Any]) -> GatewayRequest:
    headers = Headers((key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_"))
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    body = read_body(environ)
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    query = environ.get("QUERY_STRING", "")
    url = f"{scheme}://{host}{environ.get('PATH_INFO', '')}" + (f"?{query}" if query else "")
    return GatewayRequest(environ.get("REQUEST_METHOD", "GET"), url, headers, body)


def read_body(environ: Mapping[str, Any]) -> bytes:
    """The whole request body, however it was sent: ``Content-Length``, or ``Transfer-Encoding: chunked``
    (no length; the server may have decoded the chunks already, saying so with ``wsgi.input_terminated``)."""
    stream = environ["wsgi.input"]
    chunked = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if chunked or environ.get("wsgi.input_terminated"):
        if environ.get("wsgi.input_terminated"):
            return bytes(stream.read())  # the server ends the stream where the body ends
        return _dechunk(stream)
    length = str(environ.get("CONTENT_LENGTH") or "0").strip()
    return bytes(stream.read(int(length))) if length.isdigit() and int(length) > 0 else b""


def _dechunk(stream: Any) -> bytes:
    """Decode a ``Transfer-Encoding: chunked`` body a server handed over raw (RFC 9112 section 7.1)."""
    parts: list[bytes] = []
    while True:
        line = stream.readline(65537)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            break  # malformed or truncated: keep what arrived
        if size <= 0:
            while stream.readline(65537).strip():  # trailer fields, up to the empty line
                pass
            break
        parts.append(stream.read(size))
        stream.readline(3)  # the CRLF after the chunk data
    return b"".join(parts)


#: The WSGI environ key of the request body as received (server mode), for checks moto's parsing hides.
RAW_BODY = "moto_stacksets_ext.raw_body"

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
    411: "Length Required",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


def reason(status: int) -> str:
    """The reason phrase of an HTTP status (empty when the gateway has none for it)."""
    return _REASONS.get(status, "")


def action_of(request: GatewayRequest) -> str:
    """The action a request names, for the request log (provider conventions, else method and path)."""
    target = request.headers.get("x-acs-action") or request.headers.get("x-amz-target")
    if target:
        return str(target).rsplit(".", 1)[-1]
    action = request.query.get("Action")
    if action:
        return action[0]
    if request.body and "form-urlencoded" in str(request.headers.get("content-type", "")):
        form = parse_qs(request.body.decode("utf-8", "replace"))
        if form.get("Action"):
            return form["Action"][0]
    return f"{request.method} {request.path}"


def wsgi_middleware(inner: Callable[..., Any]) -> Callable[..., Any]:
    """A WSGI app that serves the registered clouds, passes everything else to ``inner`` (moto), and logs
    every request in one line: method, cloud, action, status, milliseconds."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        request = request_from_environ(environ)
        environ["wsgi.input"] = io.BytesIO(request.body)  # the body was read: give moto a fresh stream
        if environ.get("wsgi.input_terminated") or "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
            environ["wsgi.input_terminated"] = True  # the fresh stream ends where the body ends
            environ["CONTENT_LENGTH"] = str(len(request.body))
        environ[RAW_BODY] = request.body  # werkzeug's form parsing may consume the stream and drop bad bytes
        for front_end in front_ends():
            if front_end.claims(request):
                response = serve(front_end, request)
                start_response(f"{response.status} {reason(response.status)}".strip(), list(response.headers.items()))
                _log(request, front_end.name, response.status, started)
                return [response.body]
        seen: dict[str, int] = {}

        def recording_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = inner(environ, recording_start_response)
        _log(request, "aws", seen.get("status", 0), started)
        return result

    return app


def _log(request: GatewayRequest, cloud: str, status: int, started: float) -> None:
    if request_log.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - started) * 1000
        request_log.info("%s %s %s %d %.1fms", request.method, cloud, action_of(request), status, elapsed)


def compile_patterns(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]
