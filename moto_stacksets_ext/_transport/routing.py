"""Server mode: CloudFormation requests go straight to moto's CloudFormation app.

moto's ``DomainDispatcherApplication`` finds the service of every request under one global lock, and on
the way lists moto's package directory (``backends.list_of_moto_modules``: about 180 ``stat`` calls per
request) before it matches the host against every service's URL patterns. A SigV4-signed request names
its service in the credential scope, so a request signed for ``cloudformation`` (the plugin's service)
to the query endpoint ``/`` is handed to moto's CloudFormation app directly; the app is created once per
process (and shared with moto's dispatcher). Everything else still goes through moto's dispatcher.
The Huawei RFS and Alibaba ROS front-ends never reach moto: ``gateway.wsgi_middleware`` serves them first.

A request signed for CloudFormation to another path than ``/`` is served the same way when its form body
names a CloudFormation action (moto's CloudFormation app serves ``/`` alone and would answer an HTML 404):
the query protocol names its operation in ``Action``, not in the path, and AWS is not known to refuse
another path, so the plugin serves it.

A request no credential scope names a service for (no ``Authorization`` header, or one that is not a
complete SigV4 header) is still CloudFormation's when it says so in the query protocol's own terms:
an ``Action`` that is one of CloudFormation's operations, with ``Version=2010-05-15`` or no version, in
its form body or, on ``/``, its query string. moto's dispatcher would guess a service for it (moto 5.2.6
hands an unsigned ``Action=ListStackSets`` to S3, which answers with an HTML 500 page); AWS refuses it for
its missing or incomplete signature, and so does the router (``front_door.unauthenticated``). A request
that is no provider's keeps moto's behaviour.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

logger = logging.getLogger(__name__)

#: Services whose signed requests skip moto's per-request service lookup.
ROUTED = frozenset({"cloudformation"})


#: The API version every CloudFormation query-protocol request names.
CLOUDFORMATION_VERSION = "2010-05-15"


def signed_service(environ: dict[str, Any]) -> str | None:
    """The service of a SigV4 credential scope: the ``Authorization`` header's ``Credential`` parameter
    (in any position), else a pre-signed URL's ``X-Amz-Credential`` (None if there is none)."""
    from ..cloudformation.front_door import sigv4_parameters

    credential = sigv4_parameters(str(environ.get("HTTP_AUTHORIZATION") or "")).get("Credential")
    if credential is None and not environ.get("HTTP_AUTHORIZATION"):
        credential = _first(parse_qs(str(environ.get("QUERY_STRING") or "")), "X-Amz-Credential")
    if not credential:
        return None
    scope = credential.split("/")
    if len(scope) != 5 or not scope[3]:
        return None
    return scope[3].lower()


def _first(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name)
    return found[0] if found else None


def _form(environ: dict[str, Any]) -> dict[str, list[str]]:
    """The request's body read as a form (any content type but multipart: a client may label a form
    wrongly); the stream is given back to whoever reads it next."""
    if "multipart/" in str(environ.get("CONTENT_TYPE") or "").lower():
        return {}
    from .gateway import RAW_BODY, read_body

    body = environ.get(RAW_BODY)
    if not isinstance(body, bytes):
        body = read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
    if b"Action=" not in body:
        return {}
    return parse_qs(body.decode("utf-8", "replace"))


def cloudformation_action(environ: dict[str, Any]) -> str | None:
    """The CloudFormation operation a query-protocol request names (one of CloudFormation's actions, in the
    form body or, on ``/``, the query string, with ``Version=2010-05-15`` or no version), else None.

    A request without a version is taken too: moto can only guess a service for an unsigned request from
    its version (it hands one without a version to S3), so an action only CloudFormation's model spells
    that way is CloudFormation's best answer; a request naming another service's version stays moto's.
    """
    from ..cloudformation.front_door import operation_names

    sources = [_form(environ)]
    if environ.get("PATH_INFO", "") == "/":
        sources.append(parse_qs(str(environ.get("QUERY_STRING") or "")))
    for values in sources:
        action = _first(values, "Action")
        if action in operation_names() and _first(values, "Version") in (CLOUDFORMATION_VERSION, None):
            return action
    return None


class AwsRouter:
    """A WSGI app in front of moto's dispatcher that routes the plugin's service without a lookup."""

    def __init__(self, dispatcher: Any) -> None:
        self._dispatcher = dispatcher
        self._apps: dict[str, Callable[..., Iterable[bytes]]] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        service = signed_service(environ)
        if service in ROUTED and (environ.get("PATH_INFO", "") == "/" or cloudformation_action(environ)):
            refused = _query_protocol(environ)
            if refused is not None:
                return _answer(start_response, *refused)
            if _DIRECT is not None and "HTTP_ORIGIN" not in environ:
                return _DIRECT(environ, start_response)
            try:
                return self._app(service)(environ, start_response)
            except Exception:  # moto's debug-mode Flask app lets a defect through: answer in AWS's form
                logger.exception("CloudFormation request failed")
                return _internal_failure(start_response)
        if service is None and cloudformation_action(environ) is not None:
            return _unauthenticated(environ, start_response)
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


def _query_protocol(environ: dict[str, Any]) -> tuple[int, str, str] | None:
    """CloudFormation speaks the query protocol only: its parameters are a form body and the query string.
    Whatever moto version runs, a body sent under another content type that reads as a form naming an
    ``Action`` is served as a form (AWS is not known to refuse it; moto 5.2.5 served some such requests and
    failed on others, moto 5.2.6 reads none), and so is a request without a body (its query string carries the
    parameters); any other body is ``MissingAction`` (a JSON-protocol request included), one that is not
    UTF-8 a ``ValidationError``. Returns the refusal, or None after relabelling the request a form."""
    from ..cloudformation.front_door import MISSING_ACTION
    from ..cloudformation.wire import is_text
    from .gateway import RAW_BODY

    if "form-urlencoded" in str(environ.get("CONTENT_TYPE") or "").lower():
        return None  # moto reads it; a body that is not UTF-8 is refused after parsing (``StackSetsResponse``)
    body = environ.get(RAW_BODY, b"")
    if isinstance(body, bytes) and not is_text(body):
        return 400, "ValidationError", "The request body is not UTF-8 text"
    if not body.strip() or _first(_form(environ), "Action") is not None:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded; charset=utf-8"
        return None
    return 400, "MissingAction", MISSING_ACTION


def _answer(start_response: Callable[..., Any], status: int, code: str, message: str) -> Iterable[bytes]:
    from ..cloudformation.front_door import error
    from .gateway import reason

    _, headers, body = error(status, code, message)
    encoded = str(body).encode()
    start_response(f"{status} {reason(status)}", [*headers.items(), ("Content-Length", str(len(encoded)))])
    return [encoded]


def _unauthenticated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    from ..cloudformation.front_door import unauthenticated

    has_date = bool(environ.get("HTTP_X_AMZ_DATE") or environ.get("HTTP_DATE"))
    status, headers, body = unauthenticated(str(environ.get("HTTP_AUTHORIZATION") or ""), has_date)
    encoded = str(body).encode()
    reason = "Forbidden" if status == 403 else "Bad Request"
    start_response(f"{status} {reason}", [*headers.items(), ("Content-Length", str(len(encoded)))])
    return [encoded]


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
