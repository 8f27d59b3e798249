"""The server's request handler (``server._handler``): an answer leaves in one send, an interim
``100 Continue`` still reaches a client that waits for it, and werkzeug's access line is skipped only when
the ``werkzeug`` logger is set above INFO."""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

import pytest

from moto_stacksets_ext.server import ThreadedStackSetsServer, _handler

from support import raw_connection, read_until_closed

BODY = b"Action=ListStackSets&Version=2010-05-15"
SIGNED = (
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/us-east-1/cloudformation/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)


def _head(extra: str = "Connection: close\r\n") -> bytes:
    """A signed ListStackSets request's head (``Connection: close`` unless ``extra`` says otherwise, so
    the answer ends where the connection does)."""
    return (
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(BODY)}\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: {SIGNED}\r\n{extra}\r\n"
    ).encode()


def test_a_client_expecting_100_continue_gets_it_before_sending_its_body(server: ThreadedStackSetsServer) -> None:
    with raw_connection(server.endpoint) as sock:
        sock.sendall(_head("Expect: 100-continue\r\nConnection: close\r\n"))
        interim = sock.recv(65536)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(BODY)
        answer = interim + read_until_closed(sock)
    while answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):  # http.server and werkzeug each send one
        answer = answer[len(b"HTTP/1.1 100 Continue\r\n\r\n") :]
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"<ListStackSetsResponse" in answer and answer.endswith(b"</ListStackSetsResponse>")


def test_the_status_line_headers_and_body_leave_in_one_send(
    server: ThreadedStackSetsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[bytes] = []
    client = threading.get_ident()

    def recording(name: str) -> Any:
        original = getattr(socket.socket, name)

        def recorded(self: socket.socket, data: Any, *args: Any) -> Any:
            if threading.get_ident() != client:  # the server's thread answering
                sent.append(bytes(data))
            return original(self, data, *args)

        return recorded

    for name in ("send", "sendall"):
        monkeypatch.setattr(socket.socket, name, recording(name))
    with raw_connection(server.endpoint) as sock:
        sock.sendall(_head() + BODY)
        answer = read_until_closed(sock)
    monkeypatch.undo()
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"</ListStackSetsResponse>")
    assert sent == [answer]


@pytest.mark.parametrize(("level", "logged"), [(logging.WARNING, False), (logging.INFO, True), (logging.NOTSET, True)])
def test_werkzeug_s_access_line_only_when_its_logger_takes_info(level: int, logged: bool) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    saved = werkzeug_log.level
    handler_class = _handler()
    calls: list[tuple[Any, ...]] = []
    base = handler_class.__mro__[1]
    original = base.log_request
    base.log_request = lambda self, *args: calls.append(args)  # type: ignore[method-assign]
    try:
        werkzeug_log.setLevel(level)
        handler = handler_class.__new__(handler_class)
        handler.log_request(200, 5)
    finally:
        base.log_request = original  # type: ignore[method-assign]
        werkzeug_log.setLevel(saved)
    assert calls == ([(200, 5)] if logged else [])
