"""The regions ROS answers in: a ``RegionId`` outside them is refused as Alibaba Cloud's gateway refuses it.

The table is ``naming.REGIONS``, the ROS SDK's endpoint map (``alibabacloud_ros20190910`` 3.7.0), i.e. the
regions ROS is offered in; ``MOTO_STACKSETS_ALIBABA_REGIONS`` (comma-separated) adds regions to it.

An unknown region gets the gateway's answer for a region that does not exist: HTTP 404, code
``InvalidRegionId``, message ``The specified region does not exist.`` (seen from Alibaba Cloud's API gateway
for other products; ROS documents no answer of its own, see docs/alibaba-ros.md).
"""

from __future__ import annotations

from .errors import RosError
from .naming import known_regions


def invalid_region() -> RosError:
    return RosError("InvalidRegionId", 404, "The specified region does not exist.")


def check(region: str) -> str:
    """``region`` if ROS answers in it, else the gateway's ``InvalidRegionId``."""
    if region not in known_regions():
        raise invalid_region()
    return region
