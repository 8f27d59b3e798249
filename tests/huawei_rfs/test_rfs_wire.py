"""RFS on the wire: raw requests signed with the SDK's own ``Signer`` for what the SDK client cannot send (another
content type, a chunked body), the project→region table, ``call_identity`` rules and parallel operations."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkcore.sdk_request import SdkRequest  # type: ignore[import-untyped]
from huaweicloudsdkcore.signer.signer import Signer  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackInstanceRequest,
    CreateStackInstanceRequestBody,
    DeploymentTargets,
    ListStackSetOperationsRequest,
    ListStackSetsRequest,
    ManagedOperation,
    ShowStackSetMetadataRequest,
    UpdateStackInstancesRequest,
    UpdateStackInstancesRequestBody,
)
from moto.moto_api import state_manager

from moto_stacksets_ext import control, huawei_rfs, mock_stacksets
from moto_stacksets_ext.huawei_rfs.names import OPERATION_MODEL
from moto_stacksets_ext.huawei_rfs.naming import MAX_PARALLEL_OPERATIONS, namespace_of
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import (
    ADMIN_AGENCY,
    AK,
    DOMAIN_A,
    DOMAIN_B,
    DOMAIN_C,
    MANAGED_AGENCY,
    REGION,
    SK,
    TEMPLATE,
    create_instances,
    create_set,
    crid,
    error_of,
    make_client,
)

SOUTH = "cn-south-1"


@pytest.fixture(params=["in-process", "server"])
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The RFS endpoint: the real one (intercepted in-process) or the plugin server."""
    if request.param == "in-process":
        with mock_stacksets():
            yield f"https://rfs.{REGION}.myhuaweicloud.com"
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield server.endpoint
    control.reset()


@pytest.fixture(params=["in-process", "server"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The SDK's RfsClient, in-process or against the plugin server."""
    if request.param == "in-process":
        with mock_stacksets():
            yield make_client()
        return
    server: ThreadedStackSetsServer = request.getfixturevalue("server")
    control.reset()
    yield make_client(server.endpoint)
    control.reset()


def chunks(body: bytes, size: int = 9) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def signed(
    base_url: str,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    content_type: str = "application/json",
    project: str | None = None,
    chunked: bool = False,
) -> requests.Response:
    """A request signed by the SDK's ``Signer`` (SDK-HMAC-SHA256), as the SDK would sign it, sent raw."""
    host = urlsplit(base_url).netloc
    headers = {
        "Content-Type": content_type,
        "Client-Request-Id": crid(),
        "X-Project-Id": project or huawei_rfs.project_id_for(AK, REGION),
        "Host": host,
    }
    request = SdkRequest(
        method=method, host=host, resource_path=path, query_params=[], header_params=headers, body=body or None
    )
    Signer(BasicCredentials(AK, SK)).sign(request)
    data: Any = chunks(body) if chunked else body
    return requests.request(method, base_url + request.uri, headers=request.header_params, data=data, timeout=10)


def create_body(name: str) -> bytes:
    return json.dumps(
        {
            "stack_set_name": name,
            "template_body": TEMPLATE,
            "administration_agency_name": ADMIN_AGENCY,
            "managed_agency_name": MANAGED_AGENCY,
        }
    ).encode()


def test_chunked_json_body_is_read_whole_and_hashed(base_url: str) -> None:
    huawei_rfs.require_signatures({AK: SK})
    created = signed(base_url, "POST", "/v1/stack-sets", create_body("chunked_set"), chunked=True)
    assert created.request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in created.request.headers
    assert created.status_code == 201, created.text
    assert len(created.json()["stack_set_id"]) == 36
    listed = signed(base_url, "GET", "/v1/stack-sets")
    assert [s["stack_set_name"] for s in listed.json()["stack_sets"]] == ["chunked_set"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_json_typed_is_refused(base_url: str, content_type: str) -> None:
    huawei_rfs.require_signatures({AK: SK})  # the SDK's signer leaves such a payload unsigned: still verified
    refused = signed(base_url, "POST", "/v1/stack-sets", create_body("typed_set"), content_type=content_type)
    assert (refused.status_code, refused.json()["error_code"]) == (400, "RF.10011033")
    assert content_type in refused.json()["error_msg"]
    assert refused.headers["X-Request-Id"]
    patch = signed(
        base_url,
        "PATCH",
        "/v1/stack-sets/typed_set",
        json.dumps({"stack_set_description": "x"}).encode(),
        content_type=content_type,
    )
    assert (patch.status_code, patch.json()["error_code"]) == (400, "RF.10011033")
    assert signed(base_url, "GET", "/v1/stack-sets").json()["stack_sets"] == []  # nothing was created
    with_charset = signed(
        base_url, "POST", "/v1/stack-sets", create_body("typed_set"), content_type="application/json;charset=UTF-8"
    )
    assert with_charset.status_code == 201


def test_any_well_formed_project_id_works_by_default_and_strict_mode_refuses_unknown_ones(
    server: ThreadedStackSetsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    control.reset()
    try:
        own = uuid.uuid4().hex  # the user's own project id, unknown to the mock
        stranger = make_client(server.endpoint, project=own)
        create_set(stranger, "own_set")  # by default it names cn-north-4 (REGION)
        listed = make_client(server.endpoint).list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
        assert [s.stack_set_name for s in listed.stack_sets] == ["own_set"]  # IAM's project of cn-north-4 sees it

        monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_REGION", SOUTH)  # the region of every unknown project
        assert stranger.list_stack_sets(ListStackSetsRequest(client_request_id=crid())).stack_sets == []
        monkeypatch.delenv("MOTO_STACKSETS_HUAWEI_REGION")

        huawei_rfs.map_projects({own: SOUTH})  # the project table, in-process
        create_set(stranger, "south_set")
        south = make_client(server.endpoint, project=huawei_rfs.project_id_for(AK, SOUTH))  # IAM's id for cn-south-1
        listed = south.list_stack_sets(ListStackSetsRequest(client_request_id=crid())).stack_sets
        assert [s.stack_set_name for s in listed] == ["south_set"]

        control.reset()  # the table resets with moto; the environment variable is process configuration
        monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_CREDENTIALS", f"{AK}:{SK}")  # strict mode refuses unknown projects
        with pytest.raises(ClientRequestException) as excinfo:
            stranger.list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
        assert error_of(excinfo) == (401, "RF.10012001")
        assert own in excinfo.value.error_msg and "strict mode" in excinfo.value.error_msg
        monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_PROJECTS", f"{own}:{SOUTH}, {'e' * 32}:cn-east-3")
        assert stranger.list_stack_sets(ListStackSetsRequest(client_request_id=crid())).stack_sets == []
        assert make_client(server.endpoint).list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
    finally:
        control.reset()


@pytest.mark.parametrize("project", ["abc", "g" * 32, "0" * 31, "0" * 33])
def test_a_malformed_project_id_is_refused(server: ThreadedStackSetsServer, project: str) -> None:
    with pytest.raises(ClientRequestException) as excinfo:
        make_client(server.endpoint, project=project).list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
    assert error_of(excinfo) == (401, "RF.10012001")
    assert "32 hexadecimal characters" in excinfo.value.error_msg


@pytest.mark.parametrize("table", ["0123456789abcdef0123456789abcdef", "abc:cn-north-4", f"{'a' * 32}:", "x:y:z"])
def test_a_malformed_project_table_stops_the_server_at_start(monkeypatch: pytest.MonkeyPatch, table: str) -> None:
    from moto_stacksets_ext.huawei_rfs.identity import ProjectTableError
    from moto_stacksets_ext.server import main

    monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_PROJECTS", table)
    with pytest.raises(
        ProjectTableError, match=r"the format is MOTO_STACKSETS_HUAWEI_PROJECTS=\"<project id>:<region>"
    ):
        ThreadedStackSetsServer(port=0).start()
    with pytest.raises(SystemExit) as exited:
        main(["--port", "0"])
    assert exited.value.code == 2


def test_delegated_admin_is_refused_on_self_managed_stack_sets(client: Any) -> None:
    rfs = client
    create_set(rfs, "self_set")
    for call in (
        lambda: rfs.show_stack_set_metadata(
            ShowStackSetMetadataRequest(
                client_request_id=crid(), stack_set_name="self_set", call_identity="DELEGATED_ADMIN"
            )
        ),
        lambda: rfs.list_stack_set_operations(
            ListStackSetOperationsRequest(
                client_request_id=crid(), stack_set_name="self_set", call_identity="DELEGATED_ADMIN"
            )
        ),
        lambda: rfs.create_stack_instance(
            CreateStackInstanceRequest(
                client_request_id=crid(),
                stack_set_name="self_set",
                body=CreateStackInstanceRequestBody(
                    deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A]),
                    call_identity="DELEGATED_ADMIN",
                ),
            )
        ),
    ):
        with pytest.raises(ClientRequestException) as excinfo:
            call()
        assert error_of(excinfo) == (400, "RF.10011028")
        assert "DELEGATED_ADMIN" in excinfo.value.error_msg
    listed = rfs.list_stack_set_operations(
        ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="self_set")
    )
    assert listed.stack_set_operations == []  # the refused deployment started nothing
    create_set(
        rfs, "org_set", permission_model="SERVICE_MANAGED", administration_agency_name=None, managed_agency_name=None
    )
    meta = rfs.show_stack_set_metadata(
        ShowStackSetMetadataRequest(client_request_id=crid(), stack_set_name="org_set", call_identity="DELEGATED_ADMIN")
    )
    assert meta.permission_model == "SERVICE_MANAGED"


def _statuses(rfs: Any) -> dict[str, str]:
    listed = rfs.list_stack_set_operations(
        ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name="parallel_set")
    ).stack_set_operations
    return {o.operation_id: o.status for o in listed}


@pytest.fixture
def parallel(client: Any) -> Iterator[Any]:
    rfs = client
    create_set(rfs, "parallel_set", managed_operation=ManagedOperation(enable_parallel_operation=True))
    state_manager.set_transition(OPERATION_MODEL, {"progression": "manual", "times": 1000})
    try:
        yield rfs
    finally:
        state_manager.unset_transition(OPERATION_MODEL)


def test_an_operation_that_conflicts_with_nothing_does_not_wait_behind_a_queued_conflicting_one(parallel: Any) -> None:
    rfs = parallel
    first = create_instances(rfs, "parallel_set", [DOMAIN_A, DOMAIN_C], [REGION])  # one domain at a time
    conflicting = str(
        rfs.update_stack_instances(
            UpdateStackInstancesRequest(
                client_request_id=crid(),
                stack_set_name="parallel_set",
                body=UpdateStackInstancesRequestBody(
                    deployment_targets=DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A])
                ),
            )
        ).stack_set_operation_id
    )
    free = create_instances(rfs, "parallel_set", [DOMAIN_B], [REGION])  # conflicts with nothing: runs at once
    assert _statuses(rfs) == {
        first: "OPERATION_IN_PROGRESS",
        conflicting: "QUEUE_IN_PROGRESS",
        free: "OPERATION_IN_PROGRESS",
    }
    behind = create_instances(rfs, "parallel_set", [DOMAIN_A], [REGION])  # conflicts: queued after `conflicting`
    namespace = namespace_of(huawei_rfs.domain_id_for(AK), REGION)
    namespace.step("parallel_set", first, steps=5)  # the first ends: the conflicting ones start in request order
    statuses = _statuses(rfs)
    assert (statuses[first], statuses[conflicting], statuses[behind]) == (
        "OPERATION_COMPLETE",
        "OPERATION_IN_PROGRESS",
        "QUEUE_IN_PROGRESS",
    )
    namespace.step("parallel_set", conflicting, steps=5)
    assert _statuses(rfs)[behind] == "OPERATION_IN_PROGRESS"


def test_a_queued_operation_that_conflicts_with_nothing_left_starts_when_something_moves(parallel: Any) -> None:
    rfs = parallel
    first = create_instances(rfs, "parallel_set", [DOMAIN_A, DOMAIN_C], [REGION])
    blocked = create_instances(rfs, "parallel_set", [DOMAIN_C, DOMAIN_B], [REGION])  # shares DOMAIN_C: queued
    free_later = create_instances(rfs, "parallel_set", [DOMAIN_B], [REGION])  # conflicts with `blocked` only
    assert (_statuses(rfs)[blocked], _statuses(rfs)[free_later]) == ("QUEUE_IN_PROGRESS", "QUEUE_IN_PROGRESS")
    namespace = namespace_of(huawei_rfs.domain_id_for(AK), REGION)
    namespace.step("parallel_set", first, steps=5)
    statuses = _statuses(rfs)
    assert (statuses[first], statuses[blocked], statuses[free_later]) == (
        "OPERATION_COMPLETE",
        "OPERATION_IN_PROGRESS",
        "QUEUE_IN_PROGRESS",
    )


def test_at_most_ten_operations_queued_or_in_progress(parallel: Any) -> None:
    rfs = parallel
    domains = [f"{n:032x}" for n in range(1, MAX_PARALLEL_OPERATIONS + 1)]
    started = [create_instances(rfs, "parallel_set", [domain], [REGION]) for domain in domains]
    assert len(set(started)) == MAX_PARALLEL_OPERATIONS
    with pytest.raises(ClientRequestException) as excinfo:
        create_instances(rfs, "parallel_set", [DOMAIN_C], [REGION])
    assert error_of(excinfo) == (409, "RF.10013503")
    assert str(MAX_PARALLEL_OPERATIONS) in excinfo.value.error_msg
    assert len(_statuses(rfs)) == MAX_PARALLEL_OPERATIONS  # the eleventh changed nothing
    namespace = namespace_of(huawei_rfs.domain_id_for(AK), REGION)
    namespace.step("parallel_set", started[0], steps=5)
    assert create_instances(rfs, "parallel_set", [DOMAIN_C], [REGION])  # room again


def test_request_id_header_on_every_answer(base_url: str) -> None:
    answer = signed(base_url, "GET", "/v1/stack-sets")
    assert answer.status_code == 200 and answer.headers["X-Request-Id"]
    assert uuid.UUID(hex=answer.headers["X-Request-Id"])
