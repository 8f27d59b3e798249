"""aiohttp under ``mock_stacksets``: the Alibaba Tea SDK's ``*_async`` methods never reach the network.

The Tea SDK's ``*_async`` methods send through ``aiohttp.ClientSession`` (``TeaCore.async_do_action``), which
moto's ``responses`` mock never sees. While a ``mock_stacksets`` is active, every ``ClientSession`` request
goes through ``_request`` here first:

* to a host a registered cloud front-end serves (its ``host_patterns``, as the ``responses`` callbacks
  match them: ROS, RFS, Huawei IAM): answered by the mock's ``gateway.Answer``, the same as a synchronous
  request (in-process ``gateway.serve``: one engine call, the same errors and signature checks, one entry in
  ``control.calls``; under ``TEST_SERVER_MODE`` ``forwarding``, which sends it to the server keeping the
  signed ``Host``);
* to a Huawei or Alibaba host the mock does not serve: refused at once with
  ``gateway.UnservedEndpointError`` naming the URL; nothing is sent;
* anything else (a test's own aiohttp use, a local server): aiohttp's own ``_request``, untouched.

How an intercepted request is answered: aiohttp sends it, unchanged but for its address, to a loopback
server of this process (``127.0.0.1``, an ephemeral port, started at the first such request and stopped when
the outermost mock ends), which hands it to the gateway. The request's ``Host`` header stays the one the
caller sent (or the real host's), its origin travels in ``x-moto-stacksets-origin``, so the gateway sees the
request as the real host would (path, query, headers and body as aiohttp encoded them). The answer is a
genuine ``aiohttp.ClientResponse`` built by aiohttp itself from the bytes on the loopback connection
(``response.url`` names the loopback address). An exception of the ``Answer`` (a TEST_SERVER_MODE server that
does not answer: ``forwarding.ServerUnreachableError``) is raised to the caller as it was raised. The hop
never follows a redirect (no front-end answers one) and never uses the request's ``proxy``. One limit: a
session created with ``trust_env=True`` (the Tea SDK's is not) takes its proxy from ``HTTP_PROXY`` for the hop
too, unless ``NO_PROXY`` lists ``127.0.0.1``.

Why not a library or a hand-built response: ``aioresponses`` can express "these hosts, everything else passes
through" (``passthrough_unmatched``), but it builds ``ClientResponse`` objects itself from aiohttp's private
constructor and attributes, and its latest release (0.7.9) fails on the aiohttp 3.14 the Tea SDK installs
(``ClientResponse`` gained a required ``stream_writer``); it also sorts the query string before matching and
records a deep copy of every request, passed-through ones included. Building the response here would depend
on the same private constructor. Letting aiohttp send to a loopback server relies on one aiohttp internal
only, the method every ``ClientSession`` request goes through (``get``, ``post``, ``request``, ...), checked
by ``check_contract`` (``AiohttpContractError`` names the aiohttp version when it moves).

aiohttp is optional (the ``alibaba`` extra installs it with the Tea SDK): without it nothing is patched.
"""

from __future__ import annotations

import importlib
import inspect
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..moto_internals import PluginInstallError
from . import gateway
from .forwarding import HOP_BY_HOP

#: The loopback request header carrying the intercepted request's ``scheme://host[:port]``.
ORIGIN_HEADER = "x-moto-stacksets-origin"
#: The loopback request header pairing a request with an exception its ``Answer`` raised.
TOKEN_HEADER = "x-moto-stacksets-request"
#: aiohttp's method every ``ClientSession`` request goes through, and the parameters relied on.
SESSION_REQUEST = "aiohttp.ClientSession._request"
SESSION_REQUEST_PARAMETERS = ("self", "method", "str_or_url")
SESSION_REQUEST_KEYWORDS = ("headers", "proxy", "allow_redirects")
#: ``ClientSession._build_url`` joins a relative URL with the session's ``base_url`` (aiohttp 3.8+).
SESSION_BUILD_URL = "aiohttp.ClientSession._build_url"
LOOPBACK_HOST = "127.0.0.1"


class AiohttpContractError(PluginInstallError):
    """Something taken from aiohttp's internals moved or changed its signature."""


def _aiohttp() -> Any | None:
    try:
        return importlib.import_module("aiohttp")
    except ImportError:
        return None


def _fail(aiohttp: Any, what: str, problem: str) -> AiohttpContractError:
    return AiohttpContractError(
        f"aiohttp {getattr(aiohttp, '__version__', '?')}: {what} {problem}; moto-stacksets-ext cannot intercept "
        "aiohttp requests (the Alibaba Tea SDK's *_async methods) with this aiohttp"
    )


def check_contract(aiohttp: Any) -> None:
    """Check the aiohttp internals used here; ``AiohttpContractError`` names what moved."""
    session = aiohttp.ClientSession
    request = getattr(session, "_request", None)
    if request is None or not inspect.iscoroutinefunction(request):
        raise _fail(aiohttp, SESSION_REQUEST, "is not a coroutine function")
    parameters = inspect.signature(request).parameters
    if tuple(parameters)[: len(SESSION_REQUEST_PARAMETERS)] != SESSION_REQUEST_PARAMETERS:
        raise _fail(aiohttp, SESSION_REQUEST, f"no longer starts with the parameters {SESSION_REQUEST_PARAMETERS}")
    missing = [name for name in SESSION_REQUEST_KEYWORDS if name not in parameters]
    if missing:
        raise _fail(aiohttp, SESSION_REQUEST, f"has no keyword {', '.join(missing)}")
    takes_base_url = "base_url" in inspect.signature(session.__init__).parameters
    if takes_base_url and not callable(getattr(session, "_build_url", None)):
        raise _fail(aiohttp, SESSION_BUILD_URL, "does not exist")


@dataclass(frozen=True)
class _Route:
    """What the running mock does with a request: refuse these unserved hosts, answer the served ones so."""

    refused: tuple[re.Pattern[str], ...]
    answer: gateway.Answer

    def refuses(self, url: str) -> bool:
        return any(pattern.match(url) for pattern in self.refused)


_lock = threading.Lock()
_depth = 0
_original: Any = None
_route: _Route | None = None
_loopback: _Loopback | None = None
#: Exceptions an ``Answer`` raised, by the request token, for the coroutine waiting on that request.
_failures: dict[str, BaseException] = {}


def patch(refused: Sequence[re.Pattern[str]] = (), answer: gateway.Answer | None = None) -> None:
    """Intercept aiohttp requests while a mock runs: ``answer`` (by default ``gateway.serve``, this process)
    answers the hosts the front-ends serve, ``refused`` hosts raise ``UnservedEndpointError``. Nested calls
    count: the outermost configuration stays until the matching ``unpatch``."""
    global _depth, _original, _route
    with _lock:
        _depth += 1
        if _depth > 1:
            return
        aiohttp = _aiohttp()
        if aiohttp is None:
            return
        check_contract(aiohttp)
        _route = _Route(tuple(refused), answer or gateway.serve)
        _original = aiohttp.ClientSession._request
        aiohttp.ClientSession._request = _wrapped_request(_original)


def unpatch() -> None:
    """Undo the matching ``patch``; the last one gives aiohttp its own ``_request`` back and stops the
    loopback server."""
    global _depth, _original, _route, _loopback
    with _lock:
        _depth = max(0, _depth - 1)
        if _depth > 0:
            return
        if _original is not None:
            aiohttp = _aiohttp()
            if aiohttp is not None:
                aiohttp.ClientSession._request = _original
            _original = None
        _route = None
        _failures.clear()
        loopback, _loopback = _loopback, None
    if loopback is not None:
        loopback.close()


def patched() -> bool:
    """Whether aiohttp requests are intercepted now."""
    return _route is not None


def _loopback_for(route: _Route) -> _Loopback:
    global _loopback
    with _lock:
        if _loopback is None or _loopback.route is not route:
            _loopback = _Loopback(route)
        return _loopback


def _absolute_url(session: Any, str_or_url: Any) -> Any:
    """The URL aiohttp will request (a relative one joined with the session's ``base_url``)."""
    build = getattr(session, "_build_url", None)
    return build(str_or_url) if callable(build) else importlib.import_module("yarl").URL(str_or_url)


def _authority(url: Any) -> str:
    """``host[:port]`` of a yarl URL, as a ``Host`` header names it (no user info)."""
    host = str(url.raw_host or "")
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return host if url.is_default_port() else f"{host}:{url.port}"


def _wrapped_request(original: Callable[..., Any]) -> Callable[..., Any]:
    async def _request(self: Any, method: str, str_or_url: Any, *args: Any, **kwargs: Any) -> Any:
        route = _route
        if route is None:
            return await original(self, method, str_or_url, *args, **kwargs)
        url = _absolute_url(self, str_or_url)
        text = str(url)
        if gateway.front_end_for(text) is None:
            if route.refuses(text):
                raise gateway.unserved_endpoint(method.upper(), text)
            return await original(self, method, str_or_url, *args, **kwargs)
        loopback = _loopback_for(route)
        token = uuid.uuid4().hex
        headers = importlib.import_module("multidict").CIMultiDict(kwargs.get("headers") or {})
        if "host" not in headers:
            headers["Host"] = _authority(url)
        headers[ORIGIN_HEADER] = f"{url.scheme}://{_authority(url)}"
        headers[TOKEN_HEADER] = token
        kwargs.update(headers=headers, proxy=None, allow_redirects=False)
        target = url.with_user(None).with_scheme("http").with_host(LOOPBACK_HOST).with_port(loopback.port)
        try:
            response = await original(self, method, target, *args, **kwargs)
        except BaseException:
            failure = _failures.pop(token, None)
            if failure is not None:
                raise failure from None
            raise
        failure = _failures.pop(token, None)
        if failure is not None:
            response.release()
            raise failure
        return response

    _request.__wrapped__ = original  # type: ignore[attr-defined]
    return _request


class _Loopback:
    """A loopback HTTP server of this process handing each intercepted request to the mock's ``Answer``."""

    def __init__(self, route: _Route) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                """``control.calls`` records the requests; werkzeug's access log would repeat them."""

        self.route = route
        self._server = make_server(LOOPBACK_HOST, 0, self._app, threaded=True, request_handler=Quiet)
        self.port = int(self._server.server_port)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},  # how long the mock's end waits for the server to stop, at most
            name="moto-stacksets-aiohttp-loopback",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=30)

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        received = gateway.request_from_environ(environ)
        origin = str(received.headers.get(ORIGIN_HEADER) or "")
        token = str(received.headers.get(TOKEN_HEADER) or "")
        headers = gateway.Headers(
            (name, value) for name, value in received.headers.items() if name not in (ORIGIN_HEADER, TOKEN_HEADER)
        )
        raw_target = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
        if not raw_target.startswith("/"):
            parts = received.url.split("/", 3)
            raw_target = "/" + (parts[3] if len(parts) > 3 else "")
        url = origin + raw_target
        front_end = gateway.front_end_for(url) if origin else None
        if front_end is None:
            response = gateway.GatewayResponse.json(
                404, {"error": "moto-stacksets-ext: not a request intercepted from aiohttp"}
            )
        else:
            request = gateway.GatewayRequest(received.method, url, headers, received.body)
            try:
                response = self.route.answer(front_end, request)
            except Exception as error:  # raised to the waiting coroutine (e.g. ServerUnreachableError)
                if token:
                    _failures[token] = error
                response = gateway.GatewayResponse.json(502, {"error": str(error)})
        kept = [(name, value) for name, value in response.headers.items() if name.lower() not in HOP_BY_HOP]
        kept.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {gateway.reason(response.status)}".strip(), kept)
        return [response.body]
