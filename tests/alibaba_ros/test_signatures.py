"""Strict signature mode: ACS3-HMAC-SHA256 (V3) and V2 (HMAC-SHA1) verified against configured key pairs."""

from __future__ import annotations

import asyncio
from typing import Any

import requests
from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.alibaba_ros import accept_any_signature, require_signatures, signatures
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .ros_support import ACCESS_KEY, REGION, SECRET, TEMPLATE, assert_error, make_client, raises

OTHER_KEY = "LTAI5tOtherAccessKey"


def _create(c: Any, name: str) -> None:
    c.create_stack_group(ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=name, template_body=TEMPLATE))


def _list(c: Any) -> int:
    return int(c.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.total_count)


def _check_strict(endpoint: str | None) -> None:
    for v2 in (False, True):
        good = make_client(endpoint, v2=v2)
        _create(good, f"signed-{'v2' if v2 else 'v3'}")  # a form body (TemplateBody) is signed too
        assert _list(good) >= 1
        wrong = make_client(endpoint, v2=v2, secret="wrong-secret")
        error = raises(lambda c=wrong: _list(c))
        assert error.code == "SignatureDoesNotMatch" and error.status_code == 400
        if v2:
            assert error.data["Message"].startswith("Specified signature is not matched with our calculation.")
        else:
            assert error.data["Message"].startswith("Specified signature does not match our calculation.")
        unknown = make_client(endpoint, v2=v2, access_key=OTHER_KEY)
        assert_error(
            raises(lambda c=unknown: _list(c)), "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."
        )


def test_strict_mode_in_process() -> None:
    with mock_stacksets():
        require_signatures({ACCESS_KEY: SECRET})
        _check_strict(None)
        accept_any_signature()
        assert _list(make_client(access_key=OTHER_KEY)) == 0  # any key again


def test_strict_mode_in_server_mode(server: ThreadedStackSetsServer, server_client: Any) -> None:
    require_signatures({ACCESS_KEY: SECRET})
    _check_strict(server.endpoint)
    # a request without any signature
    bare = requests.post(f"{server.endpoint}/?Action=ListStackGroups&Version=2019-09-10&RegionId={REGION}", timeout=10)
    assert (bare.status_code, bare.json()["Code"]) == (400, "MissingAccessKeyId")
    unsigned = requests.post(
        f"{server.endpoint}/?Action=ListStackGroups&Version=2019-09-10&RegionId={REGION}&AccessKeyId={ACCESS_KEY}",
        timeout=10,
    )
    assert (unsigned.status_code, unsigned.json()["Code"]) == (400, "IncompleteSignature")


def test_off_by_default_and_reset_by_moto() -> None:
    with mock_stacksets():
        assert signatures.configured_credentials() == {}
        require_signatures({ACCESS_KEY: SECRET})
        assert _list(make_client()) == 0
        control.reset()
        assert signatures.configured_credentials() == {}
        assert _list(make_client(access_key=OTHER_KEY)) == 0


def test_strict_mode_with_async_clients(server: ThreadedStackSetsServer, server_client: Any) -> None:
    require_signatures({ACCESS_KEY: SECRET})

    async def scenario() -> None:
        for v2 in (False, True):
            good = make_client(server.endpoint, v2=v2)
            await good.create_stack_group_async(
                ros.CreateStackGroupRequest(region_id=REGION, stack_group_name=f"async-{v2}", template_body=TEMPLATE)
            )
            wrong = make_client(server.endpoint, v2=v2, secret="wrong-secret")
            try:
                await wrong.list_stack_groups_async(ros.ListStackGroupsRequest(region_id=REGION))
            except Exception as error:
                assert getattr(error, "code", None) == "SignatureDoesNotMatch"
            else:
                raise AssertionError("expected SignatureDoesNotMatch")

    asyncio.run(scenario())
    assert _list(server_client) == 2
