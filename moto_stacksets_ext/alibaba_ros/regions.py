"""The regions ROS answers in: a ``RegionId`` outside them is refused as Alibaba Cloud's gateway refuses it.

The table is the ROS SDK's endpoint map (``alibabacloud_ros20190910`` 3.7.0, ``Client._endpoint_map``),
i.e. the regions ROS is offered in. ``MOTO_STACKSETS_ALIBABA_REGIONS`` (comma-separated) adds regions to
it, for a region newer than the table.

An unknown region gets the gateway's answer for a region that does not exist: HTTP 404, code
``InvalidRegionId``, message ``The specified region does not exist.`` (seen from Alibaba Cloud's API gateway
for other products; ROS documents no answer of its own, see docs/alibaba-ros.md).
"""

from __future__ import annotations

import os

from .errors import RosError

REGIONS_ENV = "MOTO_STACKSETS_ALIBABA_REGIONS"

KNOWN_REGIONS = frozenset(
    {
        "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-southeast-8", "cn-beijing", "cn-chengdu",
        "cn-fuzhou", "cn-guangzhou", "cn-hangzhou", "cn-hangzhou-finance", "cn-heyuan", "cn-heyuan-acdr-1",
        "cn-hongkong", "cn-huhehaote", "cn-nanjing", "cn-qingdao", "cn-shanghai", "cn-shanghai-finance-1",
        "cn-shenzhen", "cn-shenzhen-finance-1", "cn-wuhan-lr", "cn-wulanchabu", "cn-wulanchabu-gic-1",
        "cn-zhangjiakou", "cn-zhengzhou-jva", "cn-zhongwei", "eu-central-1", "eu-west-1", "eu-west-2",
        "me-central-1", "me-east-1", "na-south-1", "sa-east-1", "us-east-1", "us-southeast-1", "us-west-1",
    }
)  # fmt: skip


def known_regions() -> frozenset[str]:
    """The table plus the regions ``MOTO_STACKSETS_ALIBABA_REGIONS`` adds."""
    extra = {name.strip() for name in (os.environ.get(REGIONS_ENV) or "").split(",") if name.strip()}
    return KNOWN_REGIONS | extra


def invalid_region() -> RosError:
    return RosError("InvalidRegionId", 404, "The specified region does not exist.")


def check(region: str) -> str:
    """``region`` if ROS answers in it, else the gateway's ``InvalidRegionId``."""
    if region not in known_regions():
        raise invalid_region()
    return region
