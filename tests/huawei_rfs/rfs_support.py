"""Constants and helpers of the RFS tests (import as ``from rfs_support import ...``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackInstanceRequest,
    CreateStackInstanceRequestBody,
    CreateStackSetRequest,
    CreateStackSetRequestBody,
    DeploymentTargets,
    RfsClient,
)
from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion  # type: ignore[import-untyped]

from moto_stacksets_ext.huawei_rfs import project_id_for

logging.getLogger("HuaweiCloud-SDK-RfsClient").addHandler(logging.NullHandler())

AK = "AK_TEST_RFS"
SK = "SK_TEST_RFS"
PROJECT = "0123456789abcdef0123456789abcdef"
REGION = "cn-north-4"
OTHER_REGION = "cn-south-1"
DOMAIN_A = "a" * 32
DOMAIN_B = "b" * 32
DOMAIN_C = "c" * 32
TEMPLATE = '{"terraform": {"required_providers": {"huaweicloud": {"source": "huawei.com/provider/huaweicloud"}}}}'
VARS = 'env = "dev"\nsize = 2\ntags = {\n  team = "core"\n}'
ADMIN_AGENCY = "rfs_admin_agency"
MANAGED_AGENCY = "rfs_managed_agency"


def crid() -> str:
    return str(uuid.uuid4())


def make_client(endpoint: str | None = None, ak: str = AK, sk: str = SK, project: str | None = None) -> Any:
    """An RFS client in REGION: its project id is the one the mock's IAM hands out for (ak, REGION)."""
    project = project or project_id_for(ak, REGION)
    builder = RfsClient.new_builder().with_credentials(BasicCredentials(ak, sk, project))
    builder = builder.with_region(RfsRegion.value_of(REGION)) if endpoint is None else builder.with_endpoint(endpoint)
    return builder.build()


def create_set(client: Any, name: str = "hello_set", **fields: Any) -> str:
    body = CreateStackSetRequestBody(
        stack_set_name=name,
        template_body=fields.pop("template_body", TEMPLATE),
        administration_agency_name=fields.pop("administration_agency_name", ADMIN_AGENCY),
        managed_agency_name=fields.pop("managed_agency_name", MANAGED_AGENCY),
        **fields,
    )
    response = client.create_stack_set(CreateStackSetRequest(client_request_id=crid(), body=body))
    return str(response.stack_set_id)


def create_instances(client: Any, name: str, domains: list[str], regions: list[str], preferences: Any = None) -> str:
    body = CreateStackInstanceRequestBody(
        deployment_targets=DeploymentTargets(regions=regions, domain_ids=domains),
        operation_preferences=preferences,
    )
    request = CreateStackInstanceRequest(client_request_id=crid(), stack_set_name=name, body=body)
    return str(client.create_stack_instance(request).stack_set_operation_id)


def error_of(excinfo: Any) -> tuple[int, str]:
    error = excinfo.value
    assert isinstance(error, ClientRequestException)
    assert error.request_id, "every error carries X-Request-Id"
    assert error.error_msg
    return int(error.status_code), str(error.error_code)
