"""HTTP/1.1 keep-alive in the server (``_transport.http_handler``): a connection carries request after request
when both ends can tell where each message ends, and is closed as werkzeug closes it otherwise."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from moto_stacksets_ext._transport.http_handler import DRAIN_LIMIT, LengthBody, drained
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import REGION, raw_connection, read_until_closed

FORM = b"Action=ListStackSets&Version=2010-05-15"
SIGNED = (
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/us-east-1/cloudformation/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)
HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Amz-Date": "20240101T000000Z",
    "Authorization": SIGNED,
}


@contextmanager
def connection(server: ThreadedStackSetsServer) -> Iterator[http.client.HTTPConnection]:
    address = urlsplit(server.endpoint)
    conn = http.client.HTTPConnection(str(address.hostname), address.port, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def exchange(conn: http.client.HTTPConnection, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.data = response.read()  # type: ignore[attr-defined]
    return response


def socket_of(conn: http.client.HTTPConnection) -> Any:
    assert conn.sock is not None
    return conn.sock


def test_signed_requests_share_one_connection(server: ThreadedStackSetsServer) -> None:
    with connection(server) as conn:
        first = exchange(conn, "POST", "/", FORM, HEADERS)
        kept = socket_of(conn)
        answers = [exchange(conn, "POST", "/", FORM, HEADERS) for _ in range(5)]
        assert socket_of(conn) is kept
    for answer in [first, *answers]:
        assert answer.status == 200 and answer.getheader("Connection") is None and not answer.will_close
        assert answer.data.endswith(b"</ListStackSetsResponse>")
        assert int(answer.getheader("Content-Length")) == len(answer.data)


def test_a_chunked_request_body_then_another_request_on_the_same_connection(server: ThreadedStackSetsServer) -> None:
    with connection(server) as conn:
        chunked = exchange(conn, "POST", "/", iter([FORM[:10], FORM[10:]]), HEADERS)
        assert chunked.status == 200 and not chunked.will_close
        following = exchange(conn, "POST", "/", FORM, HEADERS)
    assert following.status == 200 and following.data.endswith(b"</ListStackSetsResponse>")


def test_an_error_answer_keeps_the_connection_and_the_next_request_is_answered(
    server: ThreadedStackSetsServer,
) -> None:
    with connection(server) as conn:
        refused = exchange(conn, "POST", "/", b"Action=DescribeStackSet&StackSetName=absent", HEADERS)
        assert refused.status == 404 and b"StackSetNotFoundException" in refused.data and not refused.will_close
        following = exchange(conn, "POST", "/", FORM, HEADERS)
    assert following.status == 200


def test_the_control_api_and_the_other_clouds_keep_the_connection(server: ThreadedStackSetsServer) -> None:
    with connection(server) as conn:
        control = exchange(conn, "GET", "/moto-api/stacksets/clock", None, {})
        huawei = exchange(conn, "GET", "/v1/absent-project/stacks", None, {"Host": "rfs.cn-north-4.myhuaweicloud.com"})
        after = exchange(conn, "POST", "/", FORM, HEADERS)
    assert control.status == 200 and not control.will_close and control.data.startswith(b"{")
    assert huawei.status >= 400 and not huawei.will_close
    assert after.status == 200


def test_the_connection_is_closed_when_the_client_asks_or_speaks_http_1_0(server: ThreadedStackSetsServer) -> None:
    with connection(server) as conn:
        asked = exchange(conn, "POST", "/", FORM, {**HEADERS, "Connection": "close"})
    assert asked.status == 200 and asked.getheader("Connection") == "close" and asked.will_close
    with raw_connection(server.endpoint) as sock:
        head = f"POST / HTTP/1.0\r\nContent-Length: {len(FORM)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
        sock.sendall(head.encode() + b"\r\n" + FORM)
        answer = read_until_closed(sock)  # the server closes: this returns
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\nConnection: close\r\n" in answer
    assert answer.endswith(b"</ListStackSetsResponse>")


def test_a_head_request_is_answered_and_the_connection_closed(server: ThreadedStackSetsServer) -> None:
    with raw_connection(server.endpoint) as sock:
        sock.sendall(b"HEAD /moto-api/stacksets/clock HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 ") and b"\r\nConnection: close\r\n" in answer


def test_a_content_length_that_is_no_number_closes_the_connection(server: ThreadedStackSetsServer) -> None:
    with raw_connection(server.endpoint) as sock:
        head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
        sock.sendall(head.encode() + b"\r\n" + FORM)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 ") and b"\r\nConnection: close\r\n" in answer
    assert b"Traceback" not in answer


def test_two_pipelined_requests_are_both_answered_in_order(server: ThreadedStackSetsServer) -> None:
    def request(name: str, close: bool) -> bytes:
        form = f"Action=DescribeStackSet&Version=2010-05-15&StackSetName={name}".encode()
        head = f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(form)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items()) + ("Connection: close\r\n" if close else "")
        return head.encode() + b"\r\n" + form

    with raw_connection(server.endpoint) as sock:
        sock.sendall(request("first-absent", False) + request("second-absent", True))
        answer = read_until_closed(sock)
    assert answer.count(b"HTTP/1.1 404 ") == 2 and answer.count(b"</ErrorResponse>") == 2
    assert answer.index(b"first-absent") < answer.index(b"second-absent")


def test_boto3_reuses_its_connection(server: ThreadedStackSetsServer) -> None:
    cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=server.endpoint)
    opened: list[Any] = []
    from urllib3.connectionpool import HTTPConnectionPool

    original = HTTPConnectionPool._new_conn

    def counting(pool: Any) -> Any:
        made = original(pool)
        opened.append(made)
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTTPConnectionPool, "_new_conn", counting)
        for _ in range(5):
            cf.list_stack_sets()
    assert len(opened) == 1


def test_stopping_the_server_closes_its_idle_connections() -> None:
    server = ThreadedStackSetsServer()
    server.start()
    try:
        with connection(server) as conn:
            assert exchange(conn, "GET", "/moto-api/stacksets/clock", None, {}).status == 200
            sock = socket_of(conn)
            server.stop()
            sock.settimeout(10)
            assert sock.recv(1) == b""  # the server shut the idle connection down
    finally:
        server.stop()


class _Stream:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int) -> bytes:
        taken, self.data = self.data[:size], self.data[size:]
        return taken

    def readline(self, size: int) -> bytes:
        end = self.data.find(b"\n", 0, size)
        return self.read(size if end < 0 else end + 1)


def test_a_length_body_reads_up_to_its_length_and_knows_what_is_left() -> None:
    body = LengthBody(_Stream(b"line one\nline two|next request"), len(b"line one\nline two"))
    assert body.readline() == b"line one\n"
    assert body.left == len(b"line two")
    buffer = bytearray(4)
    assert body.readinto(buffer) == 4 and bytes(buffer) == b"line"
    assert body.read() == b" two" and body.read() == b"" and body.left == 0
    assert drained(body)


def test_a_length_body_the_client_cut_short_is_not_drained() -> None:
    body = LengthBody(_Stream(b"abc"), 10)
    assert body.read() == b"abc" and body.left < 0
    assert not drained(body)


def test_draining_reads_what_the_application_left_up_to_the_limit() -> None:
    unread = LengthBody(_Stream(b"x" * 100 + b"next"), 100)
    assert drained(unread) and unread.left == 0
    assert drained(None)
    too_long = LengthBody(_Stream(b"x" * (DRAIN_LIMIT + 2)), DRAIN_LIMIT + 2)
    assert not drained(too_long)


def _comparable(answer: bytes) -> tuple[list[bytes], bytes]:
    """An answer's status line, headers and body, without what differs from one request to the next (the
    date, the request id) and the ``Connection`` header."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"date:", b"x-amzn-requestid:", b"x-amz-request-id:", b"connection:"))
    ]
    return lines, body.split(b"<RequestId>")[0]


def test_a_kept_connection_s_answer_is_the_closing_answer_but_its_connection_header(
    server: ThreadedStackSetsServer,
) -> None:
    form = f"Action=ListStackSets&Version=2010-05-15&Padding={'x' * 40}".encode()
    head = f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(form)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
    with raw_connection(server.endpoint) as sock:
        sock.sendall(head.encode() + b"\r\n" + form + (head + "Connection: close\r\n").encode() + b"\r\n" + form)
        both = read_until_closed(sock)
    second_at = both.index(b"HTTP/1.1 200 OK", 1)
    kept, closed = both[:second_at], both[second_at:]
    assert b"\r\nConnection:" not in kept.partition(b"\r\n\r\n")[0]
    assert b"\r\nConnection: close\r\n" in closed
    assert _comparable(kept) == _comparable(closed)
    assert kept.endswith(b"</ListStackSetsResponse>") and closed.endswith(b"</ListStackSetsResponse>")
