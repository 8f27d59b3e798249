"""The server's HTTP request handler: werkzeug's (moto's where moto has one), with HTTP/1.1 keep-alive.

werkzeug's development server answers every request with ``Connection: close``, so every client call pays
for a new TCP connection (and a new handler thread). This handler keeps the connection open when both ends
can tell where each message ends, and closes it as werkzeug does otherwise:

* kept open: an ``HTTP/1.1`` request without ``Connection: close`` whose body has a ``Content-Length`` or
  is ``Transfer-Encoding: chunked`` (or has neither: no body), read to its end (what the application left
  unread is read and dropped, up to 10 MB as werkzeug does), answered with a ``Content-Length`` or a
  chunked body;
* closed (``Connection: close``, as before): an ``HTTP/1.0`` request, ``Connection: close``, a
  ``Content-Length`` that is not a number, a body that could not be read to its end, an answer to ``HEAD``
  or with status 1xx, 204 or 304 (no body framing for a stray body), and after any error in the
  application; the connection is also closed when an answer's body turns out longer or shorter than its
  ``Content-Length`` said.

Unchanged from werkzeug: the status line, headers and body bytes (but the ``Connection`` header of a kept
connection), chunked answers when an application gives no length, the interim ``100 Continue``, werkzeug's
``500`` for an application that raises, dropped connections ignored. Also:

* the status line, headers and body of an answer up to 64 KiB leave in one send, not two (the answer is
  written to a buffered stream, flushed where werkzeug flushes: after each piece of the body, so a streamed
  answer still goes out piece by piece; an interim ``100 Continue`` is flushed before the body is read),
  and sockets set ``TCP_NODELAY`` (on a kept connection a last segment would otherwise wait for the
  client's delayed acknowledgement);
* werkzeug's access line is not formatted when the ``werkzeug`` logger is set above INFO (the server does
  that: its own request log replaces werkzeug's); with no level set, werkzeug logs as before;
* a server's open connections are tracked, so stopping the server can close the idle ones
  (``close_open_connections``) instead of leaving their threads serving a stopped server.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import threading
from typing import Any

#: The most of a request body left unread by the application that is read (and dropped) to keep a
#: connection open; a longer rest closes the connection (werkzeug's own limit for its drain).
DRAIN_LIMIT = 10_000_000

_NO_BODY_STATUSES = frozenset({204, 304})


class LengthBody(io.RawIOBase):
    """A request body of known length: reads stop at its end, and it tells what is left unread."""

    def __init__(self, stream: Any, length: int) -> None:
        super().__init__()
        self._stream = stream
        self.left = length

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = self.left if size is None or size < 0 else min(size, self.left)
        data = bytes(self._stream.read(want)) if want > 0 else b""
        self.left -= len(data)
        if len(data) < want:
            self.left = -1  # the client stopped sending: the body is broken, not just unread
        return data

    def readall(self) -> bytes:
        return self.read(-1)

    def readline(self, size: int | None = -1) -> bytes:
        want = self.left if size is None or size < 0 else min(size, self.left)
        data = bytes(self._stream.readline(want)) if want > 0 else b""
        self.left -= len(data)
        if not data and want > 0:
            self.left = -1
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def drained(body: Any) -> bool:
    """Whether a request body was read to its end, reading (and dropping) what the application left."""
    if body is None:
        return True
    total = 0
    try:
        while data := body.read(65536):
            total += len(data)
            if total > DRAIN_LIMIT:
                return False
    except (OSError, ValueError):
        return False
    return not isinstance(body, LengthBody) or body.left == 0


def request_handler() -> Any:
    """The server's request handler class (see the module's docstring)."""
    from moto.moto_server import werkzeug_app
    from werkzeug.serving import WSGIRequestHandler

    base: Any = getattr(werkzeug_app, "MotoRequestHandler", WSGIRequestHandler)
    werkzeug_log = logging.getLogger("werkzeug")

    class StackSetsRequestHandler(base):  # type: ignore[misc]
        wbufsize = 1 << 16  # an answer up to 64 KiB leaves in one send
        protocol_version = "HTTP/1.1"
        close_connection: bool

        def setup(self) -> None:
            super().setup()
            _open_connections(self.server).add(self.connection)
            with contextlib.suppress(OSError):  # not TCP (a Unix socket): nothing to set
                # an answer's last segment leaves at once, not after the client's delayed ACK
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def finish(self) -> None:
            _open_connections(self.server).discard(self.connection)
            super().finish()

        def make_environ(self) -> Any:
            self.wfile.flush()  # werkzeug wrote "100 Continue" just before, when the client expects it
            return super().make_environ()

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if werkzeug_log.level != logging.NOTSET and not werkzeug_log.isEnabledFor(logging.INFO):
                return
            super().log_request(code, size)

        def run_wsgi(self) -> None:
            if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.environ = environ = self.make_environ()
            body, framed = _request_body(environ)
            keep = framed and self.request_version == "HTTP/1.1" and not self.close_connection
            self.close_connection = True  # until an answer that can be followed by another is sent whole
            answer = _Answer(self, environ, body, keep)
            try:
                answer.execute(self.server.app)
                if answer.keep and answer.complete():
                    self.close_connection = False
            except _connection_dropped_errors() as error:
                self.connection_dropped(error, environ)
            except Exception as error:
                if self.server.passthrough_errors:
                    raise
                answer.keep = False
                try:
                    answer.restart()
                    from werkzeug.exceptions import InternalServerError

                    answer.execute(InternalServerError())
                except Exception:
                    pass
                from werkzeug.debug.tbtools import DebugTraceback

                self.server.log("error", f"Error on request:\n{DebugTraceback(error).render_traceback_text()}")

    return StackSetsRequestHandler


def close_open_connections(server: Any) -> None:
    """Shut down the connections a stopped server still holds open (idle keep-alive connections), so
    their threads end instead of serving requests after the server stopped."""
    for connection in list(_open_connections(server)):
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)


_registry_lock = threading.Lock()


def _open_connections(server: Any) -> set[Any]:
    connections: set[Any] | None = getattr(server, "_stacksets_open_connections", None)
    if connections is None:
        with _registry_lock:
            connections = getattr(server, "_stacksets_open_connections", None)
            if connections is None:
                connections = set()
                server._stacksets_open_connections = connections
    return connections


def _connection_dropped_errors() -> tuple[type[BaseException], ...]:
    return (ConnectionError, socket.timeout)


def _request_body(environ: dict[str, Any]) -> tuple[Any, bool]:
    """The request's body stream (None when it has none) and whether its end can be found."""
    if environ.get("wsgi.input_terminated"):  # werkzeug decodes a chunked body and ends it at its end
        return environ["wsgi.input"], True
    length = environ.get("CONTENT_LENGTH")
    if length is None or length == "":
        return None, True  # an HTTP/1.1 request with neither header has no body
    text = str(length).strip()
    if not text.isdigit():
        return None, False
    body = LengthBody(environ["wsgi.input"], int(text))
    environ["wsgi.input"] = body
    return body, True


class _Answer:
    """One answer written the way werkzeug writes it, keeping track of whether the connection can carry
    another request afterwards."""

    def __init__(self, handler: Any, environ: dict[str, Any], body: Any, keep: bool) -> None:
        self.handler = handler
        self.environ = environ
        self.body = body
        self.keep = keep
        self.status_set: str | None = None
        self.headers_set: list[tuple[str, str]] | None = None
        self.status_sent: str | None = None
        self.headers_sent: list[tuple[str, str]] | None = None
        self.chunked = False
        self.declared: int | None = None
        self.written = 0

    def restart(self) -> None:
        """After an application error: if nothing was sent yet, the error answer may set its own headers."""
        if self.status_sent is not None and self.chunked:
            self.handler.close_connection = True
        if self.status_sent is None:
            self.status_set = None
            self.headers_set = None

    def complete(self) -> bool:
        """Whether the answer was sent framed as it said (its whole ``Content-Length``, or chunked)."""
        return self.status_sent is not None and (self.chunked or self.declared == self.written)

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.headers_set:
            raise AssertionError("Headers already set")
        self.status_set = status
        self.headers_set = headers
        return self.write

    def _send_headers(self) -> None:
        assert self.status_set is not None, "write() before start_response"
        assert self.headers_set is not None, "write() before start_response"
        handler = self.handler
        self.status_sent = self.status_set
        self.headers_sent = self.headers_set
        try:
            code_str, msg = self.status_sent.split(None, 1)
        except ValueError:
            code_str, msg = self.status_sent, ""
        code = int(code_str)
        handler.send_response(code, msg)
        header_keys = set()
        for key, value in self.headers_sent:
            handler.send_header(key, value)
            lower = key.lower()
            header_keys.add(lower)
            if lower == "content-length":
                self.declared = int(value) if str(value).strip().isdigit() else -1
        no_body = self.environ["REQUEST_METHOD"] == "HEAD" or 100 <= code < 200 or code in _NO_BODY_STATUSES
        if not (no_body or "content-length" in header_keys) and handler.protocol_version >= "HTTP/1.1":
            self.chunked = True
            handler.send_header("Transfer-Encoding", "chunked")
        if no_body or (self.declared is not None and self.declared < 0):
            self.keep = False
        if self.keep:
            self.keep = drained(self.body)  # the application has read what it wanted before answering
        if not self.keep:
            handler.send_header("Connection", "close")
        handler.end_headers()

    def write(self, data: bytes) -> None:
        if self.status_sent is None:
            self._send_headers()
        assert isinstance(data, bytes), "applications must write bytes"
        wfile = self.handler.wfile
        if data:
            self.written += len(data)
            if self.chunked:
                wfile.write(hex(len(data))[2:].encode())
                wfile.write(b"\r\n")
            wfile.write(data)
            if self.chunked:
                wfile.write(b"\r\n")
        wfile.flush()

    def execute(self, app: Any) -> None:
        application_iter = app(self.environ, self.start_response)
        try:
            for data in application_iter:
                self.write(data)
            if not self.headers_sent:
                self.write(b"")
            if self.chunked:
                self.handler.wfile.write(b"0\r\n\r\n")
        finally:
            if not self.keep:
                _discard_unread(self.handler)
            if hasattr(application_iter, "close"):
                application_iter.close()


def _discard_unread(handler: Any) -> None:
    """werkzeug's drain before it closes a connection: what the client still sends is read and dropped,
    so it sees the answer (a 413, say) rather than a connection reset."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(handler.connection, selectors.EVENT_READ)
    total_size = 0
    total_reads = 0
    while selector.select(timeout=0.01):
        data = handler.rfile.read(10_000_000)
        total_size += len(data)
        total_reads += 1
        if not data or total_size >= 10_000_000_000 or total_reads > 1000:
            break
    selector.close()
