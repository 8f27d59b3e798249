"""Constants and helpers shared by the tests (import as ``from support import ...``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests

REGION = "us-east-1"
ADMIN = "123456789012"
ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
ACCOUNT_C = "333333333333"

TOPIC_TEMPLATE = json.dumps(
    {
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Env"}}}},
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
    }
)


def client_in(account: str, service: str = "cloudformation", region: str = REGION, endpoint: str | None = None) -> Any:
    """A client acting in ``account`` through an assumed role, as a user would reach another account."""
    sts = boto3.client("sts", region_name=region, endpoint_url=endpoint)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/Inspector", RoleSessionName="test")["Credentials"]
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def error_of(excinfo: Any) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@contextmanager
def raw_connection(endpoint: str) -> Iterator[socket.socket]:
    """A plain TCP connection to a server's endpoint, for requests written byte by byte."""
    address = urlsplit(endpoint)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        yield sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything a server sends on a connection until it closes it."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def free_port() -> int:
    """A loopback port nothing listens on (for servers a test starts as processes)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_server_to_exit(state_file: Path) -> subprocess.CompletedProcess[str]:
    """``python -m moto_stacksets_ext --state-file`` run to its end (a server that refuses to start)."""
    return subprocess.run(
        [sys.executable, "-m", "moto_stacksets_ext", "--port", str(free_port()), "--state-file", str(state_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def start_server_process(
    state_file: Path | None = None, environment: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """``python -m moto_stacksets_ext`` (with ``--state-file`` if given, and ``environment`` added to this
    process's) on a free port, once it answers; its endpoint."""
    port = free_port()
    state = ["--state-file", str(state_file)] if state_file is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_stacksets_ext", "--port", str(port), *state],
        env={**os.environ, **(environment or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{endpoint}/moto-api/stacksets/clock", timeout=5)
            return process, endpoint
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or too busy starting
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
