"""Server mode: CloudFormation requests go straight to moto's CloudFormation app.

moto's ``DomainDispatcherApplication`` finds the service of every request under one global lock, and on
the way lists moto's package directory (``backends.list_of_moto_modules``: about 180 ``stat`` calls per
request) before it matches the host against every service's URL patterns. A SigV4-signed request names
its service in the credential scope, so a request signed for ``cloudformation`` (the plugin's service)
to the query endpoint ``/`` is handed to moto's CloudFormation app directly; the app is created once per
process (and shared with moto's dispatcher). Everything else still goes through moto's dispatcher.
The Huawei RFS and Alibaba ROS front-ends never reach moto: ``gateway.wsgi_middleware`` serves them first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

#: Services whose signed requests skip moto's per-request service lookup.
ROUTED = frozenset({"cloudformation"})


def signed_service(environ: dict[str, Any]) -> str | None:
    """The service of a SigV4 ``Authorization`` header's credential scope (None if there is none)."""
    authorization = str(environ.get("HTTP_AUTHORIZATION") or "")
    if not authorization or not authorization.startswith("AWS4-"):
        return None
    try:
        credential = authorization.split(",", 1)[0].split()[1]
        _, _, _, service, _ = credential.split("/")
    except (IndexError, ValueError):
        return None
    return service.lower()


class AwsRouter:
    """A WSGI app in front of moto's dispatcher that routes the plugin's service without a lookup."""

    def __init__(self, dispatcher: Any) -> None:
        self._dispatcher = dispatcher
        self._apps: dict[str, Callable[..., Iterable[bytes]]] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "") == "/":
            service = signed_service(environ)
            if service in ROUTED:
                if _DIRECT is not None and "HTTP_ORIGIN" not in environ:
                    return _DIRECT(environ, start_response)
                try:
                    return self._app(service)(environ, start_response)
                except Exception:  # moto's debug-mode Flask app lets a defect through: answer in AWS's form
                    logger.exception("CloudFormation request failed")
                    return _internal_failure(start_response)
        result: Iterable[bytes] = self._dispatcher(environ, start_response)
        return result

    def _app(self, service: str) -> Callable[..., Iterable[bytes]]:
        app = self._apps.get(service)
        if app is None:
            with self._lock, self._dispatcher.lock:
                app = self._dispatcher.app_instances.get(service)
                if app is None:
                    app = self._dispatcher.create_app(service)
                    self._dispatcher.app_instances[service] = app
                self._apps[service] = app
        return app


def _internal_failure(start_response: Callable[..., Any]) -> Iterable[bytes]:
    from ..cloudformation.front_door import error

    _, headers, body = error(500, "InternalFailure", "The request processing has failed.", sender=False)
    encoded = str(body).encode()
    start_response("500 Internal Server Error", [*headers.items(), ("Content-Length", str(len(encoded)))])
    return [encoded]


def _direct_handler() -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]] | None:
    """CloudFormation's handler called the way moto's Flask view calls it, without Flask (moto 5.2+, whose
    handlers take moto's normalised ``Request``; None on older moto, which then keeps the Flask app).

    Requests with an ``Origin`` header keep the Flask app too: its CORS extension answers browsers.
    """
    try:
        from moto.core.request import Request
        from moto.moto_api import recorder
        from moto.moto_server.werkzeug_app import BackendRequest
        from werkzeug.wrappers import Response
    except ImportError:  # pragma: no cover - depends on the installed moto
        return None
    if not issubclass(BackendRequest, Request) or not hasattr(Request, "raw_url"):  # pragma: no cover - moto < 5.2
        return None

    from ..cloudformation.responses import StackSetsResponse

    class ServerRequest(Request):
        from_wsgi_server = True  # as moto's Flask request class says: werkzeug's server adds the Date header

    record = getattr(recorder, "_record_request", None)

    def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = ServerRequest(environ)
        try:
            if record is not None:
                record(request)
            status, headers, body = StackSetsResponse.dispatch(request, request.raw_url, dict(request.headers))
        except Exception:  # a defect: answer in AWS's form, never with an HTML page
            logger.exception("CloudFormation request failed")
            return _internal_failure(start_response)
        response = Response(response=body, status=status, headers=headers)
        if request.method == "HEAD" and "content-length" in headers:
            response.headers["Content-Length"] = headers["content-length"]
        result: Iterable[bytes] = response(environ, start_response)
        return result

    return handle


_DIRECT = _direct_handler()
