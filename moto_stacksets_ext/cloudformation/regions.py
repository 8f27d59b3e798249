"""The regions an AWS stack set may target: those of its own region's partition, as botocore's endpoint
data lists them for CloudFormation (``aws``: us-east-1, eu-west-1...; ``aws-cn``: cn-north-1,
cn-northwest-1...). Registered with the engine, which refuses other target regions before any change."""

from __future__ import annotations

from functools import lru_cache

from botocore.session import get_session
from moto.utilities.utils import get_partition

from ..engine import regions


@lru_cache(maxsize=16)
def _partition_regions(partition: str) -> frozenset[str]:
    return frozenset(get_session().get_available_regions("cloudformation", partition_name=partition))


def partition_regions(home_region: str) -> frozenset[str] | None:
    """The CloudFormation regions of ``home_region``'s partition (None if botocore knows none: no check)."""
    found = _partition_regions(get_partition(home_region))
    return found or None


regions.register("aws", partition_regions)
