"""The older official client, ``aliyun-python-sdk-ros`` on ``aliyun-python-sdk-core`` (RPC, signature V1 in the
query, GET or POST form), in-process and in server mode: the stack-group lifecycle, errors, ``Format=XML``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.alibaba_ros import require_signatures
from moto_stacksets_ext.server import ThreadedStackSetsServer

from .core_support import (
    CoreClient,
    CreateStackGroupRequest,
    CreateStackInstancesRequest,
    DeleteStackGroupRequest,
    DeleteStackInstancesRequest,
    GetStackGroupOperationRequest,
    GetStackGroupRequest,
    GetStackInstanceRequest,
    ListStackGroupOperationResultsRequest,
    ListStackGroupOperationsRequest,
    ListStackGroupsRequest,
    ListStackInstancesRequest,
    ServerException,
    StopStackGroupOperationRequest,
    UpdateStackGroupRequest,
    UpdateStackInstancesRequest,
    request,
)
from .ros_support import A1, A2, ACCESS_KEY, REGION, SECRET, TEMPLATE

MANDATORY = 'The input parameter "{}" that is mandatory for processing this request is not supplied.'


@pytest.fixture(params=["in-process", "server"])
def endpoint(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``None`` in-process (the real endpoint, intercepted), else the plugin server's address."""
    if request.param == "in-process":
        with mock_stacksets():
            yield None
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield server.endpoint
    control.reset()


def server_error(call: Any) -> Any:
    with pytest.raises(ServerException) as caught:
        call()
    return caught.value


def test_stack_group_lifecycle(endpoint: str | None) -> None:
    c = CoreClient(endpoint)
    created = c.call(request(CreateStackGroupRequest, StackGroupName="core", TemplateBody=TEMPLATE))
    group_id = created["StackGroupId"]
    assert created["RequestId"]
    got = c.call(request(GetStackGroupRequest, method="GET", StackGroupName="core"))["StackGroup"]
    assert (got["StackGroupId"], got["Status"], json.loads(got["TemplateBody"])) == (
        group_id,
        "ACTIVE",
        json.loads(TEMPLATE),
    )
    listed = c.call(request(ListStackGroupsRequest, method="GET", PageSize=10))
    assert [g["StackGroupName"] for g in listed["StackGroups"]] == ["core"]

    operation_id = c.call(
        request(
            CreateStackInstancesRequest,
            StackGroupName="core",
            AccountIds=json.dumps([A1, A2]),
            RegionIds=json.dumps([REGION]),
            OperationPreferences=json.dumps({"MaxConcurrentCount": 2}),
        )
    )["OperationId"]
    operation = c.call(request(GetStackGroupOperationRequest, OperationId=operation_id))["StackGroupOperation"]
    assert (operation["Action"], operation["Status"], operation["StackGroupId"]) == ("CREATE", "SUCCEEDED", group_id)
    results = c.call(request(ListStackGroupOperationResultsRequest, method="GET", OperationId=operation_id))
    assert sorted((r["AccountId"], r["Status"]) for r in results["StackGroupOperationResults"]) == [
        (A1, "SUCCEEDED"),
        (A2, "SUCCEEDED"),
    ]
    instance = c.call(
        request(GetStackInstanceRequest, StackGroupName="core", StackInstanceAccountId=A1, StackInstanceRegionId=REGION)
    )["StackInstance"]
    assert (instance["Status"], instance["RegionId"]) == ("CURRENT", REGION)

    c.call(request(UpdateStackGroupRequest, StackGroupName="core", Description="changed"))
    c.call(
        request(
            UpdateStackInstancesRequest,
            StackGroupName="core",
            AccountIds=json.dumps([A1]),
            RegionIds=json.dumps([REGION]),
        )
    )
    actions = c.call(request(ListStackGroupOperationsRequest, StackGroupName="core"))["StackGroupOperations"]
    assert [o["Action"] for o in actions] == ["UPDATE", "UPDATE", "CREATE"]
    c.call(
        request(
            DeleteStackInstancesRequest,
            StackGroupName="core",
            AccountIds=json.dumps([A1, A2]),
            RegionIds=json.dumps([REGION]),
            RetainStacks=False,
        )
    )
    assert c.call(request(ListStackInstancesRequest, StackGroupName="core"))["TotalCount"] == 0
    c.call(request(DeleteStackGroupRequest, StackGroupName="core"))
    gone = server_error(lambda: c.call(request(GetStackGroupRequest, StackGroupName="core")))
    assert (gone.get_http_status(), gone.get_error_code()) == (404, "StackGroupNotFound")
    assert gone.get_error_msg() == "The StackGroup (core) could not be found."
    assert gone.get_request_id()


def test_errors(endpoint: str | None) -> None:
    c = CoreClient(endpoint)
    missing = server_error(lambda: c.call(request(CreateStackGroupRequest, TemplateBody=TEMPLATE)))
    assert (missing.get_http_status(), missing.get_error_code()) == (400, "MissingParameter")
    assert missing.get_error_msg() == MANDATORY.format("StackGroupName")
    c.call(request(CreateStackGroupRequest, StackGroupName="core", TemplateBody=TEMPLATE))
    exists = server_error(
        lambda: c.call(request(CreateStackGroupRequest, StackGroupName="core", TemplateBody=TEMPLATE))
    )
    assert (exists.get_http_status(), exists.get_error_code()) == (409, "StackGroupExists")
    unknown = server_error(lambda: c.call(request(GetStackGroupOperationRequest, OperationId="op-x")))
    assert (unknown.get_http_status(), unknown.get_error_code()) == (404, "StackGroupOperationNotFound")
    bad = server_error(
        lambda: c.call(request(CreateStackInstancesRequest, StackGroupName="core", AccountIds="[", RegionIds="[]"))
    )
    assert (bad.get_http_status(), bad.get_error_code()) == (400, "InvalidParameter")

    control.set_progression("manual", times=1000, cloud="alibaba")
    running = c.call(
        request(
            CreateStackInstancesRequest,
            StackGroupName="core",
            AccountIds=json.dumps([A1, A2]),
            RegionIds=json.dumps([REGION]),
        )
    )["OperationId"]
    busy = server_error(
        lambda: c.call(
            request(
                UpdateStackInstancesRequest,
                StackGroupName="core",
                AccountIds=json.dumps([A1]),
                RegionIds=json.dumps([REGION]),
            )
        )
    )
    assert (busy.get_http_status(), busy.get_error_code()) == (409, "StackGroupOperationInProgress")
    c.call(request(StopStackGroupOperationRequest, OperationId=running))
    stopping = c.call(request(GetStackGroupOperationRequest, OperationId=running))["StackGroupOperation"]
    assert stopping["Status"] == "STOPPING"


def test_unknown_region_is_refused_as_the_gateway_refuses_it(endpoint: str | None) -> None:
    c = CoreClient(endpoint, region="nowhere-1")
    lookup = request(GetStackGroupOperationRequest, OperationId="op-x")
    if endpoint is None:
        lookup.set_endpoint("ros.aliyuncs.com")  # the SDK knows no endpoint for a region that does not exist
    refused = server_error(lambda: c.call(lookup))
    assert (refused.get_http_status(), refused.get_error_code()) == (404, "InvalidRegionId")
    assert refused.get_error_msg() == "The specified region does not exist."


def test_a_region_newer_than_the_table_can_be_added(endpoint: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_STACKSETS_ALIBABA_REGIONS", "cn-newtown, cn-elsewhere")
    c = CoreClient(endpoint, region="cn-newtown")
    create = request(CreateStackGroupRequest, StackGroupName="new", TemplateBody=TEMPLATE)
    if endpoint is None:
        create.set_endpoint("ros.aliyuncs.com")
    assert c.call(create)["StackGroupId"]


@pytest.mark.filterwarnings("ignore:implementation_of_do_action:DeprecationWarning")
def test_format_xml_answers_and_errors(endpoint: str | None) -> None:
    c = CoreClient(endpoint)
    c.call(request(CreateStackGroupRequest, StackGroupName="core", TemplateBody=TEMPLATE))
    operation_id = c.call(
        request(
            CreateStackInstancesRequest,
            StackGroupName="core",
            AccountIds=json.dumps([A1]),
            RegionIds=json.dumps([REGION, "cn-beijing"]),
            OperationPreferences=json.dumps({"RegionIdsOrder": ["cn-beijing", REGION]}),
        )
    )["OperationId"]

    get = request(GetStackGroupOperationRequest, OperationId=operation_id)
    get.set_accept_format("XML")
    status, headers, body = c.raw(get)
    assert status == 200 and headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(body)
    assert root.tag == "GetStackGroupOperationResponse"
    assert root.findtext("RequestId") == headers["x-acs-request-id"]
    operation = root.find("StackGroupOperation")
    assert operation is not None
    assert (operation.findtext("OperationId"), operation.findtext("Status")) == (operation_id, "SUCCEEDED")
    order = [e.text for e in operation.findall("OperationPreferences/RegionIdsOrder")]
    assert order == ["cn-beijing", REGION]  # a list: the member's name repeated

    listing = request(ListStackGroupOperationResultsRequest, method="GET", OperationId=operation_id)
    listing.set_accept_format("XML")
    status, _, body = c.raw(listing)
    rows = ElementTree.fromstring(body).findall("StackGroupOperationResults")
    assert status == 200 and [r.findtext("RegionId") for r in rows] == ["cn-beijing", REGION]

    missing = request(GetStackGroupRequest, StackGroupName="nope")
    missing.set_accept_format("XML")
    status, headers, body = c.raw(missing)
    error = ElementTree.fromstring(body)
    assert status == 404 and headers["content-type"].startswith("application/xml")
    assert error.tag == "Error"
    assert error.findtext("Code") == "StackGroupNotFound"
    assert error.findtext("Message") == "The StackGroup (nope) could not be found."
    assert error.findtext("RequestId") == headers["x-acs-request-id"]
    assert error.findtext("HostId")

    as_json = request(GetStackGroupRequest, StackGroupName="nope")
    as_json.set_accept_format("JSON")
    status, headers, body = c.raw(as_json)
    assert status == 404 and json.loads(body)["Code"] == "StackGroupNotFound"


def test_strict_mode_verifies_v1_signatures_get_and_post(endpoint: str | None) -> None:
    require_signatures({ACCESS_KEY: SECRET})
    good = CoreClient(endpoint)
    good.call(request(CreateStackGroupRequest, StackGroupName="signed", TemplateBody=TEMPLATE))  # form body signed
    assert good.call(request(ListStackGroupsRequest, method="GET"))["TotalCount"] == 1
    wrong = CoreClient(endpoint, secret="not-the-secret")
    for method in ("GET", "POST"):
        refused = server_error(lambda m=method: wrong.call(request(ListStackGroupsRequest, method=m)))
        # The SDK recognises our string to sign as its own, so it names the cause: the secret.
        assert (refused.get_http_status(), refused.get_error_code()) == (400, "InvalidAccessKeySecret")
    stranger = CoreClient(endpoint, access_key="LTAI5tSomeoneElse")
    unknown = server_error(lambda: stranger.call(request(ListStackGroupsRequest)))
    assert (unknown.get_http_status(), unknown.get_error_code()) == (404, "InvalidAccessKeyId.NotFound")


@pytest.mark.filterwarnings("ignore:implementation_of_do_action:DeprecationWarning")
def test_every_action_answers_xml_when_asked(endpoint: str | None) -> None:
    from aliyunsdkros.request.v20190910 import (  # type: ignore[import-untyped]
        DetectStackGroupDriftRequest,
        EnableServiceAccessRequest,
        GetServiceAccessRequest,
        ImportStacksToStackGroupRequest,
    )

    c = CoreClient(endpoint)
    targets = {"AccountIds": json.dumps([A1]), "RegionIds": json.dumps([REGION])}
    calls: list[tuple[Any, dict[str, Any]]] = [
        (CreateStackGroupRequest, {"StackGroupName": "x", "TemplateBody": TEMPLATE}),
        (GetStackGroupRequest, {"StackGroupName": "x"}),
        (ListStackGroupsRequest, {}),
        (UpdateStackGroupRequest, {"StackGroupName": "x", "Description": "d"}),
        (CreateStackInstancesRequest, {"StackGroupName": "x", **targets}),
        (UpdateStackInstancesRequest, {"StackGroupName": "x", **targets}),
        (
            GetStackInstanceRequest,
            {"StackGroupName": "x", "StackInstanceAccountId": A1, "StackInstanceRegionId": REGION},
        ),
        (ListStackInstancesRequest, {"StackGroupName": "x"}),
        (ListStackGroupOperationsRequest, {"StackGroupName": "x"}),
        (DetectStackGroupDriftRequest, {"StackGroupName": "x"}),
        (
            ImportStacksToStackGroupRequest,
            {"StackGroupName": "x", "StackArns": json.dumps(["acs:ros:cn-hangzhou:1:stack/s"])},
        ),
        (GetServiceAccessRequest, {}),
        (EnableServiceAccessRequest, {}),
        (DeleteStackInstancesRequest, {"StackGroupName": "x", **targets, "RetainStacks": True}),
        (GetStackGroupOperationRequest, {"OperationId": "op-x"}),
        (ListStackGroupOperationResultsRequest, {"OperationId": "op-x"}),
        (StopStackGroupOperationRequest, {"OperationId": "op-x"}),
        (DeleteStackGroupRequest, {"StackGroupName": "x"}),
    ]
    for cls, params in calls:
        made = request(cls, **params)
        made.set_accept_format("XML")
        status, headers, body = c.raw(made)
        root = ElementTree.fromstring(body)
        action = made.get_action_name()
        assert headers["content-type"].startswith("application/xml"), action
        assert root.findtext("RequestId") == headers["x-acs-request-id"], action
        if status == 200:
            assert root.tag == f"{action}Response", action
        else:
            assert (root.tag, root.findtext("HostId") is not None) == ("Error", True), action
            assert root.findtext("Code") and root.findtext("Message"), action
    codes = {}
    for cls, params in calls[-4:-1]:
        made = request(cls, **params)
        made.set_accept_format("XML")
        codes[made.get_action_name()] = ElementTree.fromstring(c.raw(made)[2]).findtext("Code")
    assert set(codes.values()) == {"StackGroupOperationNotFound"}
