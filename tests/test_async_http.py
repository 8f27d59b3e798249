"""aiohttp under ``mock_stacksets()``: the cloud hosts the mock serves are answered in-process, the Huawei and
Alibaba hosts it does not serve are refused unsent, and every other request (a test's own) goes out untouched."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext._transport import async_http
from moto_stacksets_ext._transport.async_http import AiohttpContractError
from moto_stacksets_ext.plugin import UnservedEndpointError

ROS_LIST = {
    "Action": "ListStackGroups",
    "Version": "2019-09-10",
    "RegionId": "cn-hangzhou",
    "AccessKeyId": "LTAI5tTestAccessKey",
    "SignatureMethod": "HMAC-SHA1",
    "Signature": "unchecked",
}
IAM_HEADERS = {
    "X-Sdk-Date": "20260101T000000Z",
    "Authorization": "SDK-HMAC-SHA256 Access=AK_TEST_RFS, SignedHeaders=host;x-sdk-date, Signature=00",
}


class _Echo(BaseHTTPRequestHandler):
    """Answers every request with what it received: method, path, headers and body."""

    def _echo(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = json.dumps(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body.decode()}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _echo

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[str]:
    """A local HTTP server of the test's own."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_tests_own_aiohttp_requests_go_out_untouched(echo: str) -> None:
    async def scenario() -> Any:
        async with (
            aiohttp.ClientSession(base_url=echo) as session,
            session.post("/upload?x=1", data=b"payload", headers={"X-Mine": "yes"}) as response,
        ):
            assert response.status == 200
            assert str(response.url) == f"{echo}/upload?x=1"
            return await response.json()

    with mock_stacksets():
        received = asyncio.run(scenario())
        assert list(control.calls) == []
    assert (received["method"], received["path"], received["body"]) == ("POST", "/upload?x=1", "payload")
    assert received["headers"]["X-Mine"] == "yes"
    assert received["headers"]["Host"] == echo.removeprefix("http://")
    assert not any(name.lower().startswith("x-moto-stacksets") for name in received["headers"])


def test_raw_aiohttp_requests_to_served_hosts_are_answered_by_the_mock() -> None:
    async def scenario() -> tuple[Any, Any]:
        async with (
            aiohttp.ClientSession(base_url="https://ros.aliyuncs.com") as session,
            session.get("/", params=ROS_LIST) as response,
        ):
            assert response.status == 200 and response.headers["Content-Type"].startswith("application/json")
            groups = await response.json()
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                "https://iam.myhuaweicloud.com/v3/projects", params={"name": "cn-north-4"}, headers=IAM_HEADERS
            ) as response,
        ):
            projects = await response.json()
        return groups, projects

    with mock_stacksets():
        groups, projects = asyncio.run(scenario())
        assert (groups["TotalCount"], groups["StackGroups"]) == (0, [])
        assert [p["name"] for p in projects["projects"]] == ["cn-north-4"]
        # the front-end saw the request as the real host would have received it
        assert projects["links"]["self"] == "https://iam.myhuaweicloud.com/v3/projects?name=cn-north-4"
        assert [(c.cloud, c.action, c.status) for c in control.calls] == [
            ("alibaba", "ListStackGroups", 200),
            ("huawei", "KeystoneListProjects", 200),
        ]


def test_a_huawei_host_the_mock_does_not_serve_is_refused_unsent() -> None:
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(UnservedEndpointError, match=r"GET https://ecs\.cn-north-4\.myhuaweicloud\.com/v1/"):
                await session.get("https://ecs.cn-north-4.myhuaweicloud.com/v1/servers")

    with mock_stacksets():
        asyncio.run(scenario())


def test_nested_mocks_and_threads_share_the_interception() -> None:
    async def count_groups() -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.get("https://ros.aliyuncs.com/", params=ROS_LIST) as response,
        ):
            return int((await response.json())["TotalCount"])

    with mock_stacksets():
        with mock_stacksets():
            assert asyncio.run(count_groups()) == 0
        assert async_http.patched()  # the inner mock ending leaves the outer one's interception
        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(asyncio.run(count_groups()))) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [0, 0, 0]
        assert control.calls.count(action="ListStackGroups") == 4
    assert not async_http.patched()


def test_aiohttp_internals_are_checked() -> None:
    async_http.check_contract(aiohttp)  # the installed aiohttp has what the interception relies on

    class Moved:
        def _request(self, method: str, str_or_url: str) -> None: ...

    with pytest.raises(AiohttpContractError, match=r"aiohttp 9\.9: aiohttp\.ClientSession\._request"):
        async_http.check_contract(SimpleNamespace(__version__="9.9", ClientSession=Moved))

    class Renamed:
        async def _request(self, verb: str, url: str, **kwargs: Any) -> None: ...

    with pytest.raises(AiohttpContractError, match="no longer starts with the parameters"):
        async_http.check_contract(SimpleNamespace(__version__="9.9", ClientSession=Renamed))


def test_without_aiohttp_the_mock_patches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(async_http, "_aiohttp", lambda: None)  # as if aiohttp were not installed
    own = aiohttp.ClientSession._request
    with mock_stacksets():
        assert not async_http.patched()
        assert aiohttp.ClientSession._request is own
