"""The Huawei RFS SDK's async client under ``mock_stacksets()``. It does not use aiohttp: its ``*_async``
methods run the synchronous ``requests`` call in a thread pool and return a future, so the mock's
``responses`` interception answers them as it answers the synchronous client."""

from __future__ import annotations

from typing import Any

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # type: ignore[import-untyped]
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # type: ignore[import-untyped]
from huaweicloudsdkrfs.v1 import (  # type: ignore[import-untyped]
    CreateStackSetRequest,
    CreateStackSetRequestBody,
    ListStackSetsRequest,
    RfsAsyncClient,
    ShowStackSetMetadataRequest,
)
from huaweicloudsdkrfs.v1.region.rfs_region import RfsRegion  # type: ignore[import-untyped]

from moto_stacksets_ext import control, mock_stacksets

from rfs_support import ADMIN_AGENCY, AK, MANAGED_AGENCY, REGION, SK, TEMPLATE, crid


def _async_client() -> Any:
    # no project id: the SDK asks IAM for the region's project first (intercepted too)
    return (
        RfsAsyncClient.new_builder()
        .with_credentials(BasicCredentials(AK, SK))
        .with_region(RfsRegion.value_of(REGION))
        .build()
    )


def test_the_async_client_is_answered_in_process() -> None:
    with mock_stacksets():
        rfs = _async_client()
        body = CreateStackSetRequestBody(
            stack_set_name="async_set",
            template_body=TEMPLATE,
            administration_agency_name=ADMIN_AGENCY,
            managed_agency_name=MANAGED_AGENCY,
        )
        created = rfs.create_stack_set_async(CreateStackSetRequest(client_request_id=crid(), body=body)).result()
        listed = rfs.list_stack_sets_async(ListStackSetsRequest(client_request_id=crid())).result()
        assert [s.stack_set_id for s in listed.stack_sets] == [created.stack_set_id]
        missing = rfs.show_stack_set_metadata_async(
            ShowStackSetMetadataRequest(client_request_id=crid(), stack_set_name="no_such_set")
        )
        with pytest.raises(ClientRequestException) as caught:
            missing.result()
        assert caught.value.status_code == 404
        assert [c.action for c in control.calls.filter(cloud="huawei")] == [
            "KeystoneListProjects",
            "CreateStackSet",
            "ListStackSets",
            "ShowStackSetMetadata",
        ]
