"""``moto-stacksets-server`` / ``python -m moto_stacksets_ext``: moto's server with the plugin installed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .plugin import install


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moto-stacksets-server",
        description="Run moto's server with the moto-stacksets-ext plugin (CloudFormation StackSets).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=5000, help="port to listen on (default: 5000)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    install()
    from moto.server import main as moto_main

    moto_main(["--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":  # pragma: no cover
    main()
