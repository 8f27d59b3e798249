"""ROS reads through the engine door: listings count as reads, reads by id and lists are never stale."""

from __future__ import annotations

from typing import Any

from alibabacloud_ros20190910 import models as ros  # type: ignore[import-untyped]

from moto_stacksets_ext import control

from .ros_support import A1, A2, REGION, create_group, create_instances


def _listed_status(client: Any) -> str:
    request = ros.ListStackGroupOperationsRequest(region_id=REGION, stack_group_name="MyStackGroup")
    return str(client.list_stack_group_operations(request).body.stack_group_operations[0].status)


def test_listing_operations_counts_as_a_read_as_on_aws(client: Any) -> None:
    create_group(client)
    control.set_progression("manual", times=1, cloud="alibaba")
    create_instances(client, account_ids=[A1, A2], region_ids=[REGION])
    # Two targets one at a time: the first listing finishes the first, the second listing the operation.
    assert [_listed_status(client), _listed_status(client)] == ["RUNNING", "SUCCEEDED"]


def test_get_by_id_and_list_see_drift_the_clock_finished(client: Any) -> None:
    group_id = create_group(client)
    create_instances(client, account_ids=[A1, A2], region_ids=[REGION])
    control.set_progression("time", seconds=10, cloud="alibaba")
    control.drift(cloud="alibaba", account=A1)
    client.detect_stack_group_drift(ros.DetectStackGroupDriftRequest(region_id=REGION, stack_group_name="MyStackGroup"))
    control.advance(60)

    by_id = client.get_stack_group(ros.GetStackGroupRequest(region_id=REGION, stack_group_id=group_id))
    detail = by_id.body.stack_group.stack_group_drift_detection_detail
    assert (detail.drift_detection_status, detail.stack_group_drift_status) == ("COMPLETED", "DRIFTED")
    listed = client.list_stack_groups(ros.ListStackGroupsRequest(region_id=REGION)).body.stack_groups
    assert [g.stack_group_drift_status for g in listed] == ["DRIFTED"]
