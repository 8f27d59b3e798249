"""Every request to a cloud the mock serves is answered in that provider's form, in-process and in server
mode: an RFS or IAM path the mock does not serve gets Huawei's API-gateway 404, a ROS request without an
action gets Alibaba's MissingParameter; nothing sent to a host the mock serves leaves the process."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import ListPrivateModulesRequest, RfsClient  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion  # type: ignore[import-untyped]

from moto_stacksets_ext import mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_NOT_FOUND = (
    404,
    "APIGW.0101",
    "The API does not exist or has not been published in the environment",
)
ROS_MISSING_ACTION = (
    400,
    "MissingParameter",
    'The input parameter "Action" that is mandatory for processing this request is not supplied.',
)
ACS3_HEADERS = {
    "x-acs-version": "2019-09-10",
    "x-acs-date": "2026-01-01T00:00:00Z",
    "x-acs-signature-nonce": "nonce",
    "Authorization": "ACS3-HMAC-SHA256 Credential=LTAI-test,SignedHeaders=host;x-acs-date,Signature=00",
}


def huawei_error(response: requests.Response) -> tuple[int, str, str]:
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Request-Id"]
    body = response.json()
    return response.status_code, body["error_code"], body["error_msg"]


def ros_error(response: requests.Response) -> tuple[int, str, str]:
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["RequestId"]
    return response.status_code, body["Code"], body["Message"]


@pytest.fixture
def endpoint(server: ThreadedStackSetsServer) -> str:
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    return server.endpoint


def rfs_client(endpoint: str | None = None) -> Any:
    builder = RfsClient.new_builder().with_credentials(BasicCredentials("AK", "SK", PROJECT))
    if endpoint is None:
        return builder.with_region(RfsRegion.value_of("cn-north-4")).build()
    return builder.with_endpoint(endpoint).build()


def test_in_process_an_rfs_api_the_mock_does_not_serve_gets_huawei_s_404_from_the_mock() -> None:
    with mock_stacksets(), pytest.raises(ClientRequestException) as excinfo:
        rfs_client().list_private_modules(ListPrivateModulesRequest(client_request_id=str(uuid.uuid4())))
    error = excinfo.value
    assert (error.status_code, error.error_code, error.error_msg) == HUAWEI_NOT_FOUND
    assert error.request_id


def test_in_process_any_path_of_an_rfs_or_iam_host_is_answered_by_the_mock() -> None:
    with mock_stacksets():
        for url in (
            "https://rfs.cn-north-4.myhuaweicloud.com/v1/private-modules",
            "https://rfs.cn-north-4.myhuaweicloud.com/",
            "https://rfs.eu-west-101.myhuaweicloud.eu/v2/anything?x=1",
            "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens",
            "https://iam.myhuaweicloud.com/v3.0/OS-CREDENTIAL/credentials",
        ):
            assert huawei_error(requests.post(url, data=b"{}", timeout=5)) == HUAWEI_NOT_FOUND, url


def test_in_process_another_huawei_host_is_refused_without_being_sent() -> None:
    from moto_stacksets_ext.plugin import UnservedEndpointError

    with mock_stacksets(), pytest.raises(UnservedEndpointError) as refused:
        requests.get("https://ecs.cn-north-4.myhuaweicloud.eu/v1/servers", timeout=5)
    # The error says what the mock does serve, from the registered clouds' front-ends.
    assert "the mock serves: Huawei RFS" in str(refused.value) and "Alibaba ROS" in str(refused.value)


def test_in_server_mode_an_rfs_api_the_mock_does_not_serve_gets_huawei_s_404(endpoint: str) -> None:
    with pytest.raises(ClientRequestException) as excinfo:
        rfs_client(endpoint).list_private_modules(ListPrivateModulesRequest(client_request_id=str(uuid.uuid4())))
    assert (excinfo.value.status_code, excinfo.value.error_code) == HUAWEI_NOT_FOUND[:2]
    signed = {"Authorization": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=00"}
    for path, headers in (
        ("/v1/private-modules", signed),
        ("/v3/auth/tokens", {"X-Sdk-Date": "20260101T000000Z"}),
        ("/anything", {"X-Project-Id": PROJECT}),
        ("/v1/modules", {"Host": "rfs.cn-north-4.myhuaweicloud.com"}),
    ):
        assert huawei_error(requests.get(f"{endpoint}{path}", headers=headers, timeout=5)) == HUAWEI_NOT_FOUND


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", ACS3_HEADERS),  # the V3 SDK's request without x-acs-action
        ("?Version=2019-09-10&SignatureNonce=n&AccessKeyId=LTAI-test&Format=JSON", {}),  # V2 without Action
        ("", {"Host": "ros.aliyuncs.com"}),  # the ROS host, nothing else
    ],
    ids=["acs3", "rpc", "host"],
)
def test_a_ros_request_without_an_action_gets_alibaba_s_missing_parameter(
    endpoint: str, query: str, headers: dict[str, str]
) -> None:
    assert ros_error(requests.post(f"{endpoint}/{query}", headers=headers, timeout=5)) == ROS_MISSING_ACTION


def test_in_process_a_ros_request_without_an_action_gets_alibaba_s_missing_parameter() -> None:
    with mock_stacksets():
        answer = requests.post("https://ros.aliyuncs.com/", headers=ACS3_HEADERS, timeout=5)
    assert ros_error(answer) == ROS_MISSING_ACTION


def test_a_request_of_no_provider_keeps_moto_s_answer(endpoint: str) -> None:
    answer = requests.get(f"{endpoint}/moto-api/data.json", timeout=5)
    assert answer.status_code == 200 and isinstance(json.loads(answer.text), dict)
