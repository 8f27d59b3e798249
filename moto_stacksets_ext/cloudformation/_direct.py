"""In-process, the plugin's CloudFormation requests go from moto's stubber straight to the plugin.

botocore hands every request to moto's ``BotocoreStubber`` (its ``before-send`` handler). For each one
moto matches the URL against every service's pattern, makes the service's URL table of the default
account's backend and compiles each entry to find the handler, then builds a werkzeug request with
werkzeug's ``EnvironBuilder``: together about a third of what moto adds to a small call. For a URL whose
handler is the plugin's (``StackSetsResponse.dispatch``) this module remembers that, per URL, and builds
the same request directly (``moto_internals.request_from_primitives``: the environ ``EnvironBuilder``
writes). Everything moto's hooks see stays as it is:

* the stubber's ``before-send`` path and its ``enabled`` switch (this wraps ``process_request``, which
  only the enabled stubber calls);
* passthrough URLs and services and ``mock_aws(config=...)``'s whitelist, checked on every request
  (``moto_internals.stubber_declines``: moto's own path answers then);
* moto's recorder, handed the request before the handler runs, as moto's stubber hands it;
* the handler, called with moto's ``Request``, raw URL and headers, an ``HTTPException`` answered as moto
  answers it; so the response (status, headers, ``x-amzn-RequestId``, body) is the handler's own.

Any other request, or one whose shape the direct builder does not take, goes through moto's stubber as
before. ``tests/conftest.py`` checks on every request of the suite that moto's search finds the same
handler and moto's builder the same environ.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .. import moto_internals

_lock = threading.Lock()
_installed: list[tuple[Any, str, Any]] = []
#: Clean URL -> (service, handler) found by moto's search, for URLs whose handler is the plugin's.
_handlers: dict[str, tuple[str, Callable[..., Any]] | None] = {}


def _ours() -> Callable[..., Any]:
    from .responses import StackSetsResponse

    return StackSetsResponse.dispatch


def handler_for(url: str) -> tuple[str, str, Callable[..., Any]] | None:
    """(clean URL, service, handler) when moto's stubber would call the plugin's handler for ``url`` (its
    passthrough and whitelist settings aside), else None."""
    clean = moto_internals.clean_url(url)
    if clean in _handlers:
        found = _handlers[clean]
    else:
        found = moto_internals.stubbed_handler(clean)
        if found is not None and found[1] != _ours():
            found = None
        if len(_handlers) < 64:
            _handlers[clean] = found
    if found is None or moto_internals.cloudformation_routes()[moto_internals.CLOUDFORMATION_ROUTE] != found[1]:
        return None
    return clean, found[0], found[1]


def build_request(request: Any) -> Any | None:
    """moto's ``Request`` for a botocore ``AWSPreparedRequest``, built directly (None: moto builds it)."""
    return moto_internals.request_from_primitives(request.method, request.url, request.headers, request.body)


def answer(request: Any) -> tuple[int, Any, Any] | None:
    """The plugin's answer to botocore's ``request``, as moto's stubber would give it; None when moto's
    stubber should answer (not the plugin's, or a shape the direct path does not take)."""
    found = handler_for(str(request.url))
    if found is None:
        return None
    clean, service, handler = found
    if moto_internals.stubber_declines(clean, service):
        return None
    normalized = build_request(request)
    if normalized is None:
        return None
    try:
        moto_internals.record_request(normalized)
        status, headers, body = handler(normalized, normalized.raw_url, normalized.headers)
    except moto_internals.http_exception() as error:
        status, headers, body = error.code, error.get_headers(), error.get_body()  # type: ignore[attr-defined]
    return status, headers, body


def _process_request(original: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def process_request(self: Any, request: Any) -> Any:
        answered = answer(request)
        return original(self, request) if answered is None else answered

    return process_request


def patch() -> None:
    """Take the plugin's requests directly. Idempotent; ``MotoContractError`` if moto moved what it wraps."""
    with _lock:
        if _installed:
            return
        _handlers.clear()
        _installed.append(moto_internals.wrap_method(moto_internals.STUBBER_PROCESS_REQUEST, _process_request))


def unpatch() -> None:
    """Give moto's stubber its own ``process_request`` back. Idempotent."""
    with _lock:
        while _installed:
            moto_internals.unwrap(_installed.pop())
        _handlers.clear()
