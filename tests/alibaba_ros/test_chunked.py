"""Form bodies sent with ``Transfer-Encoding: chunked`` and no ``Content-Length`` (as the Alibaba JavaScript SDK
sends ``TemplateBody``), signed the way the official SDKs sign: read whole, in-process and in server mode."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from alibabacloud_tea_openapi.utils import Utils  # type: ignore[import-untyped]
from aliyunsdkcore.auth.composer import rpc_signature_composer  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext._transport.gateway import read_body
from moto_stacksets_ext.alibaba_ros import require_signatures
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .ros_support import ACCESS_KEY, REGION, SECRET, TEMPLATE

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(params=["in-process", "server"])
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "in-process":
        with mock_stacksets():
            yield "https://ros.aliyuncs.com"
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield server.endpoint
    control.reset()


def chunks(body: bytes, size: int = 7) -> Iterator[bytes]:
    """A body as a generator: ``requests`` sends it chunked, without Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def v1_signed_create(base_url: str, name: str, secret: str = SECRET) -> requests.Response:
    """CreateStackGroup signed as the core SDK signs it (V1: query and form parameters), body chunked."""
    form = {"TemplateBody": TEMPLATE}
    params = {"Action": "CreateStackGroup", "Version": "2019-09-10", "RegionId": REGION, "StackGroupName": name}
    path, _ = rpc_signature_composer.get_signed_url(params, ACCESS_KEY, secret, "JSON", "POST", form)
    return requests.post(
        base_url + path, data=chunks(urlencode(form).encode()), headers={"Content-Type": FORM}, timeout=10
    )


def v3_signed_create(base_url: str, name: str, secret: str = SECRET) -> requests.Response:
    """CreateStackGroup signed as the V3 SDKs sign it (ACS3-HMAC-SHA256 over the body's hash), body chunked."""
    body = urlencode({"TemplateBody": TEMPLATE}).encode()
    query = {"RegionId": REGION, "StackGroupName": name}
    headers = {
        "host": urlsplit(base_url).netloc,
        "x-acs-action": "CreateStackGroup",
        "x-acs-version": "2019-09-10",
        "x-acs-date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x-acs-signature-nonce": uuid.uuid4().hex,
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        "content-type": FORM,
        "accept": "application/json",
    }
    signing = SimpleNamespace(pathname="/", method="POST", query=query, headers=headers)
    headers["Authorization"] = Utils.get_authorization(
        signing, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], ACCESS_KEY, secret
    )
    return requests.post(f"{base_url}/?{urlencode(query)}", data=chunks(body), headers=headers, timeout=10)


def test_chunked_form_bodies_are_read_whole(base_url: str) -> None:
    for name, send in (("chunked-v1", v1_signed_create), ("chunked-v3", v3_signed_create)):
        created = send(base_url, name)
        assert created.status_code == 200, created.text
        assert created.request.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in created.request.headers
        assert created.json()["StackGroupId"]


def test_strict_mode_hashes_the_real_chunked_body(base_url: str) -> None:
    require_signatures({ACCESS_KEY: SECRET})
    for name, send in (("strict-v1", v1_signed_create), ("strict-v3", v3_signed_create)):
        assert send(base_url, name).status_code == 200
        refused = send(base_url, f"{name}-wrong", secret="wrong")
        assert (refused.status_code, refused.json()["Code"]) == (400, "SignatureDoesNotMatch")
    get = requests.post(
        f"{base_url}/?{urlencode({'Action': 'GetStackGroup', 'Version': '2019-09-10', 'RegionId': REGION})}",
        timeout=10,
    )
    assert get.status_code == 400  # unsigned: refused in strict mode


def test_a_chunked_body_the_server_did_not_decode_is_decoded() -> None:
    form = urlencode({"TemplateBody": TEMPLATE}).encode()
    raw = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in chunks(form, 11)) + b"0\r\n\r\n"
    environ = {"wsgi.input": io.BytesIO(raw + b"GET /next HTTP/1.1\r\n"), "HTTP_TRANSFER_ENCODING": "chunked"}
    assert read_body(environ) == form
    decoded = {"wsgi.input": io.BytesIO(form), "wsgi.input_terminated": True}
    assert read_body(decoded) == form
    sized = {"wsgi.input": io.BytesIO(form + b"extra"), "CONTENT_LENGTH": str(len(form))}
    assert read_body(sized) == form
