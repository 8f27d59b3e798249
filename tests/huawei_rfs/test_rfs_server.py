"""Server mode: every family once against a ThreadedStackSetsServer, IAM's project lookup, strict signatures,
and the gateway's precision (AWS requests are never claimed)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    DeleteStackInstanceRequest,
    DeleteStackInstanceRequestBody,
    DeleteStackSetRequest,
    DeploymentTargets,
    DeployStackSetRequest,
    DeployStackSetRequestBody,
    ListStackInstancesRequest,
    ListStackSetOperationsRequest,
    ListStackSetsRequest,
    ShowStackInstanceRequest,
    ShowStackSetMetadataRequest,
    ShowStackSetOperationMetadataRequest,
    ShowStackSetTemplateRequest,
    UpdateStackInstancesRequest,
    UpdateStackInstancesRequestBody,
    UpdateStackSetRequest,
    UpdateStackSetRequestBody,
)

from moto_stacksets_ext import huawei_rfs
from moto_stacksets_ext.server import ThreadedStackSetsServer

from rfs_support import (
    AK,
    DOMAIN_A,
    DOMAIN_B,
    OTHER_REGION,
    REGION,
    SK,
    TEMPLATE,
    create_instances,
    create_set,
    crid,
    error_of,
)


def test_every_family_in_server_mode(server_rfs: Any, server: ThreadedStackSetsServer) -> None:
    client = server_rfs
    name = "服务器_set"  # a Chinese name goes UTF-8 percent-encoded through WSGI
    stack_set_id = create_set(client, name)
    op = create_instances(client, name, [DOMAIN_A, DOMAIN_B], [REGION, OTHER_REGION])
    targets = DeploymentTargets(regions=[REGION], domain_ids=[DOMAIN_A])
    client.update_stack_instances(
        UpdateStackInstancesRequest(
            client_request_id=crid(),
            stack_set_name=name,
            body=UpdateStackInstancesRequestBody(deployment_targets=targets),
        )
    )
    client.deploy_stack_set(
        DeployStackSetRequest(
            client_request_id=crid(),
            stack_set_name=name,
            body=DeployStackSetRequestBody(deployment_targets=targets, template_body=TEMPLATE),
        )
    )
    operations = client.list_stack_set_operations(
        ListStackSetOperationsRequest(
            client_request_id=crid(),
            stack_set_name=name,
            filter="action==CREATE_STACK_INSTANCES|action==DEPLOY_STACK_SET",
        )
    ).stack_set_operations
    assert [o.action for o in operations] == ["DEPLOY_STACK_SET", "CREATE_STACK_INSTANCES"]
    meta = client.show_stack_set_operation_metadata(
        ShowStackSetOperationMetadataRequest(
            client_request_id=crid(), stack_set_name=name, stack_set_operation_id=op, stack_set_id=stack_set_id
        )
    )
    assert (meta.stack_set_operation_id, meta.status) == (op, "OPERATION_COMPLETE")
    instances = client.list_stack_instances(
        ListStackInstancesRequest(client_request_id=crid(), stack_set_name=name, filter=f"region=={REGION}")
    )
    assert len(instances.stack_instances) == 2
    instance = client.show_stack_instance(
        ShowStackInstanceRequest(
            client_request_id=crid(), stack_set_name=name, stack_instance_addr=f"{OTHER_REGION}/{DOMAIN_B}"
        )
    )
    assert (instance.region, instance.stack_domain_id) == (OTHER_REGION, DOMAIN_B)
    client.update_stack_set(
        UpdateStackSetRequest(
            client_request_id=crid(), stack_set_name=name, body=UpdateStackSetRequestBody(stack_set_description="d")
        )
    )
    assert (
        client.show_stack_set_metadata(
            ShowStackSetMetadataRequest(client_request_id=crid(), stack_set_name=name)
        ).stack_set_description
        == "d"
    )
    location = client.show_stack_set_template(
        ShowStackSetTemplateRequest(client_request_id=crid(), stack_set_name=name)
    ).location
    assert location.startswith(server.endpoint)
    assert requests.get(location, timeout=5).text == TEMPLATE
    client.delete_stack_instance(
        DeleteStackInstanceRequest(
            client_request_id=crid(),
            stack_set_name=name,
            body=DeleteStackInstanceRequestBody(
                deployment_targets=DeploymentTargets(regions=[REGION, OTHER_REGION], domain_ids=[DOMAIN_A, DOMAIN_B])
            ),
        )
    )
    assert (
        client.delete_stack_set(DeleteStackSetRequest(client_request_id=crid(), stack_set_name=name)).status_code == 204
    )
    with pytest.raises(ClientRequestException) as excinfo:
        client.list_stack_set_operations(ListStackSetOperationsRequest(client_request_id=crid(), stack_set_name=name))
    assert error_of(excinfo) == (404, "RF.10013001")
    with pytest.raises(ClientRequestException) as excinfo:
        client.list_stack_sets(ListStackSetsRequest(client_request_id=crid(), filter="permission_model==X;"))
    assert error_of(excinfo) == (400, "RF.10011088")


def test_same_server_serves_aws_and_iam_lookup(server_rfs: Any, server: ThreadedStackSetsServer) -> None:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
    from huaweicloudsdkrfs.v1 import RfsClient  # type: ignore[import-untyped]

    cf = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    cf.create_stack_set(StackSetName="aws-set", TemplateBody='{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}')
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["aws-set"]
    # A client without project id resolves it through IAM; the project names its region.
    credentials = BasicCredentials(AK, SK).with_iam_endpoint(server.endpoint)
    by_iam = RfsClient.new_builder().with_credentials(credentials).with_endpoint(server.endpoint).build()
    by_iam.get_credentials().process_auth_params(by_iam.get_http_client(), OTHER_REGION)
    assert credentials.project_id == huawei_rfs.project_id_for(AK, OTHER_REGION)
    create_set(by_iam, "south_set")

    def names(client: Any) -> list[str]:
        listed = client.list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
        return [s.stack_set_name for s in listed.stack_sets]

    assert names(by_iam) == ["south_set"]
    assert names(server_rfs) == []  # the project of cn-north-4


def test_strict_signatures(server_rfs: Any, server: ThreadedStackSetsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from rfs_support import make_client

    monkeypatch.setenv("MOTO_STACKSETS_HUAWEI_CREDENTIALS", f"{AK}:{SK}")
    create_set(server_rfs, "signed_set")  # a correct signature passes (with a body, a query and a port)
    server_rfs.list_stack_sets(
        ListStackSetsRequest(client_request_id=crid(), filter="permission_model==SELF_MANAGED", limit=10)
    )
    for client in (make_client(server.endpoint, sk="WRONG"), make_client(server.endpoint, ak="OTHER")):
        with pytest.raises(ClientRequestException) as excinfo:
            client.list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
        assert error_of(excinfo) == (401, "RF.10012001")


def test_strict_signatures_in_process(rfs: Any) -> None:
    from rfs_support import make_client

    huawei_rfs.require_signatures({AK: SK})
    try:
        create_set(rfs)
        with pytest.raises(ClientRequestException) as excinfo:
            make_client(sk="WRONG").list_stack_sets(ListStackSetsRequest(client_request_id=crid()))
        assert error_of(excinfo) == (401, "RF.10012001")
    finally:
        huawei_rfs.accept_any_signature()


def test_in_process_iam_lookup_by_region(rfs: Any) -> None:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
    from huaweicloudsdkrfs.v1 import RfsClient  # type: ignore[import-untyped]
    from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion  # type: ignore[import-untyped]

    credentials = BasicCredentials("AK_REGION_ONLY", SK)
    client = RfsClient.new_builder().with_credentials(credentials).with_region(RfsRegion.value_of(OTHER_REGION)).build()
    create_set(client, "by_region")
    assert credentials.project_id == huawei_rfs.project_id_for("AK_REGION_ONLY", OTHER_REGION)
    assert [
        s.stack_set_name for s in client.list_stack_sets(ListStackSetsRequest(client_request_id=crid())).stack_sets
    ] == ["by_region"]


def test_raw_http_errors(server_rfs: Any, server: ThreadedStackSetsServer) -> None:
    url = f"{server.endpoint}/v1/stack-sets"
    unsigned = requests.get(url, timeout=5)
    assert unsigned.status_code == 401 and unsigned.json()["error_code"] == "RF.10012001"
    assert unsigned.headers["X-Request-Id"]
    auth = {
        "Authorization": "SDK-HMAC-SHA256 Access=AK_RAW, SignedHeaders=host, Signature=00",
        "X-Project-Id": huawei_rfs.project_id_for("AK_RAW", "cn-north-4"),
    }
    missing = requests.get(url, headers=auth, timeout=5)
    assert (missing.status_code, missing.json()["error_code"]) == (400, "RF.10011001")
    headers = {**auth, "Client-Request-Id": crid(), "Content-Type": "application/json"}
    for body, code in (
        (b"", "RF.10011032"),
        (b"{not json", "RF.10011033"),
        (b'{"stack_set_name": "x", "bogus": 1}', "RF.10011002"),
    ):
        answer = requests.post(url, headers=headers, data=body, timeout=5)
        assert (answer.status_code, answer.json()["error_code"]) == (400, code)
    without_project = {k: v for k, v in headers.items() if k != "X-Project-Id"}
    answer = requests.get(url, headers=without_project, timeout=5)
    assert (answer.status_code, answer.json()["error_code"]) == (400, "RF.10011001")
