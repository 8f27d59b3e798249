"""``moto-stacksets-server`` / ``python -m moto_stacksets_ext``: moto's server with the plugin installed.

One server answers every cloud: AWS requests go to moto (CloudFormation stack-set actions to the
plugin), requests a registered cloud front-end claims (Huawei RFS, Alibaba ROS) go to that front-end.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._clouds import check_environments
from ._control import api as control_api
from ._control import live_view
from ._state import persistence
from ._transport.gateway import register, wsgi_middleware
from ._transport.http_handler import close_open_connections, request_handler
from ._transport.routing import AwsRouter
from .plugin import install


def create_app() -> Callable[..., Any]:
    """The server's WSGI application (installs the plugin and the HTTP control API)."""
    install()
    register(live_view.FRONT_END)  # before the control API, which claims the rest of /moto-api/stacksets/
    register(control_api.FRONT_END)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return wsgi_middleware(AwsRouter(DomainDispatcherApplication(create_backend_app)))


def _handler() -> Any:
    """The server's request handler: werkzeug's (moto's where moto has one) with HTTP/1.1 keep-alive, an
    answer in one send and werkzeug's access line skipped when its logger is above INFO
    (``_transport.http_handler``)."""
    return request_handler()


class ThreadedStackSetsServer:
    """The server in a background thread, for tests (``port=0`` picks a free port)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from werkzeug.serving import make_server

        check_environments()  # a malformed environment variable of a cloud stops the server at start

        self._server = make_server(self._host, self._port, create_app(), threaded=True, request_handler=_handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            close_open_connections(self._server)
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> ThreadedStackSetsServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moto-stacksets-server",
        description="Run moto's server with the moto-stacksets-ext plugin (stack sets on AWS, Huawei, Alibaba).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=5000, help="port to listen on (default: 5000)")
    parser.add_argument(
        "--state-file",
        type=Path,
        help="load stack sets from this file at start (if it exists) and save them to it on shutdown",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()} (moto {_moto_version()})")
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="INFO logs every request in one line: method, cloud, action, status, ms (default: INFO)",
    )
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _moto_version() -> str:
    from importlib.metadata import version

    return version("moto")


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    from werkzeug.serving import make_server

    try:
        check_environments()
    except ValueError as error:
        print(f"moto-stacksets-server: {error}", file=sys.stderr)
        print("moto-stacksets-server: refusing to start", file=sys.stderr)
        raise SystemExit(2) from None

    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # our request log replaces werkzeug's
    app = create_app()
    if args.state_file is not None:
        for stale in persistence.clean_temporary(args.state_file):
            print(f"moto-stacksets-ext: removed {stale}, left by an interrupted save", flush=True)
    if args.state_file is not None and args.state_file.exists():
        try:
            count = persistence.load_file(args.state_file)
        except Exception as error:  # StateFileError, or a defect: refuse cleanly either way, file untouched
            print(f"moto-stacksets-server: {args.state_file}: {error}", file=sys.stderr)
            print("moto-stacksets-server: refusing to start (the file was left untouched)", file=sys.stderr)
            raise SystemExit(2) from None
        print(f"moto-stacksets-ext: loaded {count} stack set(s) from {args.state_file}", flush=True)
    try:  # bind first: "listening on" is printed only once the port is ours
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        listener = socket.create_server((args.host, args.port), family=family)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"moto-stacksets-server: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        raise SystemExit(1) from None
    with listener:  # werkzeug serves a duplicate of the bound socket
        server = make_server(args.host, args.port, app, threaded=True, request_handler=_handler(), fd=listener.fileno())
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    port = server.socket.getsockname()[1]
    print(f"moto-stacksets-ext server listening on http://{args.host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        _stopping.set()  # from here on, SIGTERM and SIGINT no longer interrupt: the save must finish
        server.server_close()
        close_open_connections(server)  # idle keep-alive connections: no request after the stop
        if args.state_file is not None:
            persistence.save_file(args.state_file)
            print(f"moto-stacksets-ext: state saved to {args.state_file}", flush=True)


_stopping = threading.Event()


def _interrupt(signum: int, frame: Any) -> None:
    """SIGTERM stops the server like Ctrl-C does (so the state is saved); once stopping, later signals
    are ignored, so a second SIGTERM or Ctrl-C cannot interrupt the save."""
    if _stopping.is_set():
        return
    _stopping.set()
    raise KeyboardInterrupt


if __name__ == "__main__":  # pragma: no cover
    main()
