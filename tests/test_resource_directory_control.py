"""The Alibaba resource directory through the public control object and over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from alibabacloud_ros20190910 import models as ros
from alibabacloud_ros20190910.client import Client
from alibabacloud_tea_openapi.models import Config

from moto_stacksets_ext import control, mock_stacksets
from moto_stacksets_ext.server import ThreadedStackSetsServer

MANAGEMENT = "1111111111111111"
MEMBER = "2222222222222222"
REGION = "cn-hangzhou"


def _deploy_to_folder(client: Any, folder_id: str) -> set[tuple[str, str]]:
    client.enable_service_access()
    client.create_stack_group(
        ros.CreateStackGroupRequest(
            region_id=REGION,
            stack_group_name="org",
            template_body="ROSTemplateFormatVersion: '2015-09-01'",
            permission_model="SERVICE_MANAGED",
            auto_deployment=ros.CreateStackGroupRequestAutoDeployment(
                enabled=True, retain_stacks_on_account_removal=False
            ),
        )
    )
    client.create_stack_instances(
        ros.CreateStackInstancesRequest(
            region_id=REGION,
            stack_group_name="org",
            region_ids=[REGION],
            deployment_targets=ros.CreateStackInstancesRequestDeploymentTargets(rd_folder_ids=[folder_id]),
        )
    )
    instances = client.list_stack_instances(
        ros.ListStackInstancesRequest(region_id=REGION, stack_group_name="org")
    ).body.stack_instances
    return {(i.account_id, i.rd_folder_id) for i in instances}


def test_control_object_sets_up_the_directory() -> None:
    with mock_stacksets():
        directory = control.resource_directory(account=MANAGEMENT)
        folder = directory.add_folder("Prod")
        directory.add_account(MEMBER, folder.folder_id)
        client = Client(Config(access_key_id=MANAGEMENT, access_key_secret="s", region_id=REGION))
        assert _deploy_to_folder(client, folder.folder_id) == {(MEMBER, folder.folder_id)}
        with pytest.raises(ValueError, match="exactly one"):
            control.resource_directory()


def test_http_control_sets_up_the_directory(server: ThreadedStackSetsServer) -> None:
    url = f"{server.endpoint}/moto-api/stacksets/resource-directory"
    created = requests.post(
        url, json={"account": MANAGEMENT, "folders": [{"name": "Prod", "folder_id": "fd-prod1"}]}, timeout=10
    ).json()
    assert {"folder_id": "fd-prod1", "name": "Prod", "parent_folder_id": created["root_folder_id"]} in created[
        "folders"
    ]
    filled = requests.post(
        url, json={"account": MANAGEMENT, "accounts": [{"account_id": MEMBER, "folder_id": "fd-prod1"}]}, timeout=10
    )
    assert filled.status_code == 200
    assert requests.get(url, params={"account": MANAGEMENT}, timeout=10).json()["accounts"] == [
        {"account_id": MEMBER, "folder_id": "fd-prod1", "display_name": MEMBER}
    ]
    bad = requests.post(
        url, json={"account": MANAGEMENT, "folders": [{"name": "X", "parent_folder_id": "fd-no"}]}, timeout=10
    )
    assert bad.status_code == 400
    host = server.endpoint.split("://", 1)[1]
    client = Client(
        Config(access_key_id=MANAGEMENT, access_key_secret="s", region_id=REGION, endpoint=host, protocol="http")
    )
    try:
        assert _deploy_to_folder(client, "fd-prod1") == {(MEMBER, "fd-prod1")}
    finally:
        requests.post(f"{server.endpoint}/moto-api/stacksets/reset", timeout=10)
