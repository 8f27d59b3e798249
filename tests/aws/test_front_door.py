"""Requests CloudFormation refuses before any action runs get AWS's XML errors, never moto's 500 pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from moto_stacksets_ext._transport.routing import signed_service
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import REGION, TOPIC_TEMPLATE, error_of

NS = "{http://cloudformation.amazonaws.com/doc/2010-05-15/}"


def signed_post(endpoint: str, body: str, region: str, headers: dict[str, str] | None = None) -> requests.Response:
    """A request signed by botocore for ``region`` (which may be empty or unknown), sent as is."""
    request = AWSRequest(
        method="POST",
        url=f"{endpoint}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", **(headers or {})},
    )
    SigV4Auth(Credentials("testing", "testing"), "cloudformation", region).add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=30)


def aws_error(response: requests.Response) -> tuple[int, str, str]:
    assert response.headers["Content-Type"].startswith("text/xml")
    error = ET.fromstring(response.content).find(f"{NS}Error")
    assert error is not None
    return response.status_code, error.findtext(f"{NS}Code") or "", error.findtext(f"{NS}Message") or ""


@pytest.fixture
def endpoint(server: ThreadedStackSetsServer) -> str:
    requests.post(f"{server.endpoint}/moto-api/reset", timeout=10)
    return server.endpoint


@pytest.mark.parametrize("action", ["NoSuchAction", "describestackset", "DESCRIBESTACKSET", "ListStackSets2"])
def test_an_unknown_or_wrong_case_action_is_invalid_action(endpoint: str, action: str) -> None:
    status, code, message = aws_error(signed_post(endpoint, f"Action={action}&Version=2010-05-15", REGION))
    assert (status, code) == (400, "InvalidAction")
    assert message == "The action or operation requested is invalid. Verify that the action is typed correctly."


def test_a_json_protocol_request_is_missing_its_action(endpoint: str) -> None:
    response = signed_post(
        endpoint,
        '{"StackSetName": "x"}',
        REGION,
        {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "CloudFormation.DescribeStackSet"},
    )
    assert aws_error(response)[:2] == (400, "MissingAction")


@pytest.mark.parametrize("region", ["", "maybe-1", "us-east-1x"])
def test_a_credential_scope_without_a_valid_region_is_refused(endpoint: str, region: str) -> None:
    response = signed_post(endpoint, "Action=ListStackSets&Version=2010-05-15", region)
    assert aws_error(response) == (
        403,
        "SignatureDoesNotMatch",
        f"Credential should be scoped to a valid region, not '{region}'. ",
    )


def test_nothing_is_created_by_a_refused_request_and_the_server_keeps_serving(endpoint: str) -> None:
    body = f"Action=CreateStackSet&Version=2010-05-15&StackSetName=refused&TemplateBody={TOPIC_TEMPLATE}"
    assert aws_error(signed_post(endpoint, body, "maybe-1"))[0] == 403
    cf = boto3.client("cloudformation", region_name=REGION, endpoint_url=endpoint)
    assert cf.list_stack_sets()["Summaries"] == []
    cf.create_stack_set(StackSetName="kept", TemplateBody=TOPIC_TEMPLATE)
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["kept"]


def test_moto_allow_nonexistent_region_lets_an_unknown_region_through(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    cf = boto3.client("cloudformation", region_name="maybe-1", endpoint_url=endpoint)
    cf.create_stack_set(StackSetName="anywhere", TemplateBody=TOPIC_TEMPLATE)
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["anywhere"]


def test_an_unknown_region_in_process_is_refused_like_in_server_mode(aws: None) -> None:
    cf = boto3.client("cloudformation", region_name="maybe-1")
    with pytest.raises(ClientError) as excinfo:
        cf.list_stack_sets()
    assert error_of(excinfo) == ("SignatureDoesNotMatch", 403)


def test_moto_services_other_than_cloudformation_still_answer(endpoint: str, server_cf: Any) -> None:
    sts = boto3.client("sts", region_name=REGION, endpoint_url=endpoint)
    assert sts.get_caller_identity()["Account"] == "123456789012"
    assert server_cf.list_stack_sets()["Summaries"] == []


@pytest.mark.parametrize(
    ("authorization", "service"),
    [
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudformation/aws4_request, SignedHeaders=host",
            "cloudformation",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20260101//CloudFormation/aws4_request, SignedHeaders=host",
            "cloudformation",
        ),
        ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host", "sts"),
        ("AWS4-HMAC-SHA256 Credential=AKID/20260101/cloudformation, SignedHeaders=host", None),
        (
            "AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AKID/20260101/us-east-1/cloudformation/aws4_request",
            "cloudformation",
        ),
        ("AWS4-HMAC-SHA256", None),
        ("AWS AKID:signature", None),
        ("", None),
    ],
)
def test_the_router_reads_the_service_of_the_credential_scope(authorization: str, service: str | None) -> None:
    assert signed_service({"HTTP_AUTHORIZATION": authorization}) == service


def test_a_browser_request_keeps_moto_s_cors_answer(endpoint: str) -> None:
    response = signed_post(
        endpoint, "Action=ListStackSets&Version=2010-05-15", REGION, {"Origin": "http://example.com"}
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "http://example.com")
    assert ET.fromstring(response.content).find(f"{NS}ListStackSetsResult") is not None


def test_a_defect_answers_an_aws_internal_failure_not_an_html_page(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto_stacksets_ext.cloudformation.responses import StackSetsResponse

    def broken(self: Any) -> Any:
        raise RuntimeError("a defect")

    monkeypatch.setattr(StackSetsResponse, "call_action", broken)
    response = signed_post(endpoint, "Action=ListStackSets&Version=2010-05-15", REGION)
    assert aws_error(response) == (500, "InternalFailure", "The request processing has failed.")
    assert "a defect" not in response.text


@pytest.mark.parametrize(
    "send",
    [
        lambda url: requests.post(url, data={"Action": "ListStackSets", "Version": "2010-05-15"}, timeout=10),
        lambda url: requests.post(url, data={"Action": "ListStackSets"}, timeout=10),
        lambda url: requests.get(url, params={"Action": "ListStackSets", "Version": "2010-05-15"}, timeout=10),
        lambda url: requests.post(
            f"{url}other/path", data={"Action": "CreateStackSet", "StackSetName": "x"}, timeout=10
        ),
    ],
    ids=["form", "form-without-version", "query-string", "another-path"],
)
def test_an_unsigned_cloudformation_request_is_missing_its_authentication_token(endpoint: str, send: Any) -> None:
    assert aws_error(send(f"{endpoint}/")) == (
        403,
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
    )


@pytest.mark.parametrize(
    ("authorization", "date", "message"),
    [
        (
            "Basic dXNlcjpwYXNz",
            False,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
            "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires "
            "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Basic dXNlcjpwYXNz",
        ),
        (
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc",
            True,
            "Authorization header requires 'Credential' parameter. "
            "Authorization=AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/cloudformation, SignedHeaders=host, Signature=abc",
            True,
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            "got 'AKID/20260101/cloudformation'",
        ),
    ],
)
def test_a_malformed_authorization_is_an_incomplete_signature(
    endpoint: str, authorization: str, date: bool, message: str
) -> None:
    headers = {"Authorization": authorization, **({"X-Amz-Date": "20260101T000000Z"} if date else {})}
    response = requests.post(
        endpoint, data={"Action": "ListStackSets", "Version": "2010-05-15"}, headers=headers, timeout=10
    )
    assert aws_error(response) == (400, "IncompleteSignature", message)


def test_an_unsigned_request_of_another_service_keeps_moto_s_answer(endpoint: str) -> None:
    form = {
        "Action": "AssumeRoleWithWebIdentity",
        "Version": "2011-06-15",
        "RoleArn": "arn:aws:iam::123456789012:role/web",
        "RoleSessionName": "web",
        "WebIdentityToken": "token",
    }
    response = requests.post(endpoint, data=form, timeout=10)
    assert response.status_code == 200
    assert "AssumeRoleWithWebIdentityResult" in response.text


def test_in_process_an_unsigned_client_is_served_as_moto_serves_it(aws: None) -> None:
    from botocore import UNSIGNED
    from botocore.config import Config

    cf = boto3.client("cloudformation", region_name=REGION, config=Config(signature_version=UNSIGNED))
    assert cf.list_stack_sets()["Summaries"] == []


def test_a_signed_cloudformation_request_to_another_path_is_served(endpoint: str) -> None:
    request = AWSRequest(
        method="POST",
        url=f"{endpoint}/some/path",
        data="Action=ListStackSets&Version=2010-05-15",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials("testing", "testing"), "cloudformation", REGION).add_auth(request)
    prepared = request.prepare()
    response = requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=30)
    assert response.status_code == 200
    assert ET.fromstring(response.content).find(f"{NS}ListStackSetsResult") is not None


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/xml", ""])
def test_a_form_body_under_another_content_type_is_read_as_a_form(endpoint: str, content_type: str) -> None:
    response = signed_post(endpoint, "Action=ListStackSets&Version=2010-05-15", REGION, {"Content-Type": content_type})
    assert response.status_code == 200
    assert ET.fromstring(response.content).find(f"{NS}ListStackSetsResult") is not None


def test_another_body_is_missing_its_action_and_one_that_is_not_utf8_is_refused(endpoint: str) -> None:
    multipart = signed_post(
        endpoint, "Action=ListStackSets&Version=2010-05-15", REGION, {"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert aws_error(multipart)[:2] == (400, "MissingAction")
    xml = signed_post(endpoint, "<ListStackSets/>", REGION, {"Content-Type": "application/xml"})
    assert aws_error(xml)[:2] == (400, "MissingAction")
    request = AWSRequest(
        method="POST", url=f"{endpoint}/", data=b"Action=ListStackSets&x=\xff", headers={"Content-Type": "text/plain"}
    )
    SigV4Auth(Credentials("testing", "testing"), "cloudformation", REGION).add_auth(request)
    prepared = request.prepare()
    response = requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=30)
    assert aws_error(response) == (400, "ValidationError", "The request body is not UTF-8 text")
