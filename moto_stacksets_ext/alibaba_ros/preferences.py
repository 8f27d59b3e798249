"""ROS ``OperationPreferences`` <-> engine ``Preferences``.

ROS's limits: FailureToleranceCount 0-20, FailureTolerancePercentage 0-100, MaxConcurrentCount 1-20,
MaxConcurrentPercentage 1-100 (each pair exclusive), RegionConcurrencyType SEQUENTIAL/PARALLEL,
RegionIdsOrder a list of region ids. The engine keeps what was sent (``None`` = not sent), so the
rendering echoes it; for a pair of which nothing was sent, ROS's default count is shown
(FailureToleranceCount 0, MaxConcurrentCount 1), as ROS's own sample answers do.
"""

from __future__ import annotations

from ..engine.model import Preferences, RegionConcurrency
from .errors import invalid_parameter
from .params import parse_int, string_list

NAME = "OperationPreferences"

_RANGES = {
    "FailureToleranceCount": (0, 20),
    "FailureTolerancePercentage": (0, 100),
    "MaxConcurrentCount": (1, 20),
    "MaxConcurrentPercentage": (1, 100),
}
_KEYS = (*_RANGES, "RegionConcurrencyType", "RegionIdsOrder")
MAX_REGIONS = 20


#: The engine's exclusive preferences in ROS's names (count, percentage).
_EXCLUSIVE = {
    "failure_tolerance": ("FailureToleranceCount", "FailureTolerancePercentage"),
    "max_concurrent": ("MaxConcurrentCount", "MaxConcurrentPercentage"),
}


def parse(value: dict[str, object] | None, *, allow_region_concurrency: bool = True) -> Preferences:
    """The engine preferences of a decoded ``OperationPreferences`` object (None: not sent)."""
    if value is None:
        return Preferences()
    unknown = [key for key in value if key not in _KEYS]
    if unknown:
        raise invalid_parameter(NAME, f"the key {unknown[0]} is not supported")
    numbers: dict[str, int] = {}
    for key, (low, high) in _RANGES.items():
        if key in value and value[key] is not None:
            number = parse_int(f"{NAME}.{key}", value[key])
            if not low <= number <= high:
                raise invalid_parameter(NAME, f"{key} should be between {low} and {high}")
            numbers[key] = number
    exclusive = Preferences(
        failure_tolerance_count=numbers.get("FailureToleranceCount"),
        failure_tolerance_percentage=numbers.get("FailureTolerancePercentage"),
        max_concurrent_count=numbers.get("MaxConcurrentCount"),
        max_concurrent_percentage=numbers.get("MaxConcurrentPercentage"),
    )
    both = exclusive.both_given()
    if both is not None:
        first, second = _EXCLUSIVE[both]
        raise invalid_parameter(NAME, f"only one of {first} and {second} can be specified")
    concurrency: RegionConcurrency | None = None
    raw_type = value.get("RegionConcurrencyType")
    if raw_type is not None:
        if not allow_region_concurrency:
            raise invalid_parameter(NAME, "RegionConcurrencyType is not supported by this operation")
        if raw_type not in ("SEQUENTIAL", "PARALLEL"):
            raise invalid_parameter(NAME, "RegionConcurrencyType should be SEQUENTIAL or PARALLEL")
        concurrency = RegionConcurrency(raw_type)
    order: list[str] = []
    if value.get("RegionIdsOrder") is not None:
        order = string_list(f"{NAME}.RegionIdsOrder", value["RegionIdsOrder"], max_items=MAX_REGIONS)
    return Preferences(
        region_concurrency_type=concurrency,
        region_order=order,
        failure_tolerance_count=numbers.get("FailureToleranceCount"),
        failure_tolerance_percentage=numbers.get("FailureTolerancePercentage"),
        max_concurrent_count=numbers.get("MaxConcurrentCount"),
        max_concurrent_percentage=numbers.get("MaxConcurrentPercentage"),
    )


def render(preferences: Preferences) -> dict[str, object]:
    """``OperationPreferences`` of GetStackGroupOperation (integers, RegionIdsOrder when sent)."""
    rendered: dict[str, object] = {}
    if preferences.failure_tolerance_percentage is not None:
        rendered["FailureTolerancePercentage"] = preferences.failure_tolerance_percentage
    else:
        rendered["FailureToleranceCount"] = (
            0 if preferences.failure_tolerance_count is None else preferences.failure_tolerance_count
        )
    if preferences.max_concurrent_percentage is not None:
        rendered["MaxConcurrentPercentage"] = preferences.max_concurrent_percentage
    else:
        rendered["MaxConcurrentCount"] = (
            1 if preferences.max_concurrent_count is None else preferences.max_concurrent_count
        )
    if preferences.region_order:
        rendered["RegionIdsOrder"] = list(preferences.region_order)
    return rendered
