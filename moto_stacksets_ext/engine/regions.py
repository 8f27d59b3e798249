"""The regions a namespace may target, and the order an operation deploys them in.

Each cloud registers its catalogue; calls that start operations on targets check them first, so an unknown
region is a validation error before anything changes. ``deployment_order`` is the one rule of region order
every cloud shares (AWS's ``RegionOrder``, RFS's ``region_order``, ROS's ``RegionIdsOrder``: the front-ends
pass the preference through, the executor plans by it).

A catalogue maps the namespace's own region to the regions it may deploy to (AWS: the regions of that
region's partition in botocore's endpoint data; Huawei and Alibaba: their SDKs' region lists), or to
``None`` when anything goes. A cloud that registers nothing is not checked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable

from .errors import UnknownRegion

#: home region → the regions its stack sets may target (None: any)
RegionCatalog = Callable[[str], Collection[str] | None]

_lock = threading.Lock()
_catalogs: dict[str, RegionCatalog] = {}


def register(cloud: str, catalog: RegionCatalog) -> None:
    """Make ``catalog`` the regions of ``cloud`` (a later registration replaces an earlier one)."""
    with _lock:
        _catalogs[cloud] = catalog


def deployment_order(regions: Iterable[str], preferred: Iterable[str]) -> list[str]:
    """The order an operation deploys ``regions`` in: those ``preferred`` lists first, in its order, then
    the others in the order their targets came (regions ``preferred`` names without targets are left out)."""
    targeted = list(dict.fromkeys(regions))
    first = [region for region in dict.fromkeys(preferred) if region in targeted]
    return first + [region for region in targeted if region not in first]


def check_targets(identity: tuple[str, str, str], regions: Iterable[str]) -> None:
    """Raise ``UnknownRegion`` if any of ``regions`` is not a region the namespace ``identity`` may target."""
    with _lock:
        catalog = _catalogs.get(identity[0])
    if catalog is None:
        return
    known = catalog(identity[2])
    if known is None:
        return
    unknown = [region for region in dict.fromkeys(regions) if region not in known]
    if unknown:
        raise UnknownRegion(unknown)
