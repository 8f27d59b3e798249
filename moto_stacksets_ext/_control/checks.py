"""Checks of the test-control API's arguments: a scripted outcome that could never match is an error at the
call, with a message naming the valid values, not a "stale outcome" at teardown.

Every message is one line; a value close to a valid one names it ("did you mean 'eu-west-1'?", by
``difflib``), and a region or account names only the cloud it belongs to.

* ``cloud``: a registered cloud (``aws``, ``huawei`` or ``alibaba``);
* ``account``: a string matching the cloud's account pattern (its record's ``account_pattern``): on AWS 12
  digits, on Huawei a domain id (32 lower-case hex characters), on Alibaba 16 digits (with no ``cloud``, any);
* ``region``: a region of the cloud (its record's ``regions``): AWS: a region botocore knows in any partition
  (``aws``, ``aws-cn``, ``aws-us-gov``, ...); Huawei: the RFS SDK's regions; Alibaba: the regions ROS answers
  in (the ROS SDK's endpoint table, plus ``MOTO_STACKSETS_ALIBABA_REGIONS``); with no ``cloud``, any of these;
* ``action``: the engine's operation actions ``CREATE``, ``UPDATE``, ``DELETE``, ``DETECT_DRIFT``;
* ``times``: a positive integer or ``None``; ``reason`` and ``stack_set``: strings or ``None``;
* ``resources`` (DRIFT only): ``None``, a mapping of logical resource id to a ``StackResourceDriftStatus``
  (``IN_SYNC``, ``MODIFIED``, ``DELETED``, ``NOT_CHECKED``, ``UNKNOWN``, ``UNSUPPORTED``), or a sequence of
  logical ids (each MODIFIED) and ``DriftedResource`` objects; each logical id once, property differences
  (``PropertyDifference``, ``DifferenceType`` ``ADD``, ``REMOVE`` or ``NOT_EQUAL``) on MODIFIED resources only.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from .. import _clouds
from ..engine.model import DifferenceType, PropertyDifference, ResourceDriftStatus
from ..engine.outcomes import DriftedResource
from .suggest import closest, did_you_mean

ACTIONS = ("CREATE", "UPDATE", "DELETE", "DETECT_DRIFT", "ROLLBACK")


class ControlArgumentError(ValueError):
    """A test-control call with an argument that can never match anything."""


def clouds() -> tuple[str, ...]:
    """The registered clouds' names."""
    return _clouds.names()


def regions(cloud: str) -> tuple[str, ...]:
    return tuple(_clouds.get(cloud).regions())


def _rule(cloud: str) -> str:
    return _clouds.get(cloud).account_description


def _name(call: str, argument: str) -> str:
    return f"{call}: {argument}"


def cloud(call: str, value: Any) -> str | None:
    if value is None:
        return None
    if value not in clouds():
        raise ControlArgumentError(
            f"{_name(call, 'cloud')} must be one of {list(clouds())} (or None), not {value!r}"
            f"{did_you_mean(value, clouds())}"
        )
    return str(value)


def account(call: str, value: Any, in_cloud: str | None) -> str | None:
    if value is None:
        return None
    names = [in_cloud] if in_cloud else list(clouds())
    if not isinstance(value, str):
        rules = "; ".join(f"{name}: {_rule(name)}" for name in names)
        hint = f" (did you mean {str(value)!r}?)" if isinstance(value, int) and not isinstance(value, bool) else ""
        raise ControlArgumentError(
            f"{_name(call, 'account')} must be a string ({rules}), not the {type(value).__name__} {value!r}{hint}"
        )
    if not any(_clouds.get(name).account_pattern.fullmatch(value) for name in names):
        meant = _account_cloud(value, names)
        raise ControlArgumentError(f"{_name(call, 'account')} {value!r} is not an account id ({meant}: {_rule(meant)})")
    return value


def _account_cloud(value: str, names: list[str]) -> str:
    """The cloud whose account ids ``value`` looks most like, by its record's ``account_example``: the most of
    ``value``'s characters among the example's (any case), then the nearest length, then the longer ids (a
    value with hexadecimal letters is Huawei's; digits are AWS's or Alibaba's by their number)."""

    def likeness(name: str) -> tuple[int, int, int]:
        example = _clouds.get(name).account_example
        alphabet = set(example.lower())
        return sum(ch in alphabet for ch in value.lower()), -abs(len(example) - len(value)), len(example)

    return max(names, key=likeness)


def region(call: str, value: Any, in_cloud: str | None) -> str | None:
    if value is None:
        return None
    names = [in_cloud] if in_cloud else list(clouds())
    if isinstance(value, str) and any(value in regions(name) for name in names):
        return value
    argument = f"{_name(call, 'region')} {value!r}"
    if in_cloud is not None:
        hint = did_you_mean(value, regions(in_cloud)) or f" (e.g. {regions(in_cloud)[0]!r})"
        raise ControlArgumentError(f"{argument} is not a known {in_cloud} region{hint}")
    matches = [(name, match) for name in names if (match := closest(value, regions(name))) is not None]
    if matches:  # the closest region of all, and the one cloud it belongs to
        name, match = max(matches, key=lambda found: difflib.SequenceMatcher(None, value.lower(), found[1]).ratio())
        article = "an" if name[0] in "aeiou" else "a"
        raise ControlArgumentError(
            f"{argument} is not a known region (did you mean {match!r}, {article} {name} region?)"
        )
    raise ControlArgumentError(f"{argument} is not a known region of {', '.join(names)} (pass cloud= to say which)")


def action(call: str, value: Any) -> str | None:
    if value is None:
        return None
    if value not in ACTIONS:
        raise ControlArgumentError(
            f"{_name(call, 'action')} must be one of {list(ACTIONS)} (or None), not {value!r}"
            f"{did_you_mean(value, ACTIONS)}"
        )
    return str(value)


def times(call: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ControlArgumentError(
            f"{_name(call, 'times')} must be a positive integer (or None: until removed), not {value!r}"
        )
    return value


def text(call: str, argument: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ControlArgumentError(f"{_name(call, argument)} must be a string (or None), not {value!r}")


RESOURCE_DRIFT_STATUSES = tuple(s.value for s in ResourceDriftStatus)
DIFFERENCE_TYPES = tuple(t.value for t in DifferenceType)


def resources(call: str, value: Any) -> tuple[DriftedResource, ...] | None:
    """The resources a DRIFT outcome names, as ``DriftedResource`` objects (``None``: every resource MODIFIED)."""
    if value is None:
        return None
    argument = _name(call, "resources")
    if isinstance(value, Mapping):
        entries: list[Any] = [_named(argument, key, status) for key, status in value.items()]
    elif isinstance(value, (list, tuple)):
        entries = list(value)
    else:
        raise ControlArgumentError(
            f"{argument} must be a mapping of logical resource id to drift status, or a sequence of logical ids "
            f"and DriftedResource objects (or None: every resource MODIFIED), not {value!r}"
        )
    found: dict[str, DriftedResource] = {}
    for entry in entries:
        made = _drifted(argument, DriftedResource(entry) if isinstance(entry, str) else entry)
        if made.logical_resource_id in found:
            raise ControlArgumentError(f"{argument} names {made.logical_resource_id!r} more than once")
        found[made.logical_resource_id] = made
    return tuple(found.values())


def _status(argument: str, value: Any) -> ResourceDriftStatus:
    if isinstance(value, str) and value in RESOURCE_DRIFT_STATUSES:
        return ResourceDriftStatus(value)
    raise ControlArgumentError(
        f"{argument}: a drift status must be one of {list(RESOURCE_DRIFT_STATUSES)}, not {value!r}"
        f"{did_you_mean(value, RESOURCE_DRIFT_STATUSES)}"
    )


def _named(argument: str, key: Any, status: Any) -> DriftedResource:
    if not isinstance(key, str):
        raise ControlArgumentError(f"{argument}: a logical resource id must be a string, not {key!r}")
    return DriftedResource(key, _status(argument, status))


def _drifted(argument: str, entry: Any) -> DriftedResource:
    if not isinstance(entry, DriftedResource):
        raise ControlArgumentError(
            f"{argument}: each entry must be a logical resource id or a DriftedResource, not {entry!r}"
        )
    if not isinstance(entry.logical_resource_id, str):
        raise ControlArgumentError(
            f"{argument}: a logical resource id must be a string, not {entry.logical_resource_id!r}"
        )
    status = _status(argument, entry.status)
    if not isinstance(entry.property_differences, (list, tuple)):
        raise ControlArgumentError(
            f"{argument}: property_differences must be a sequence of PropertyDifference objects, "
            f"not {entry.property_differences!r}"
        )
    differences = tuple(_difference(argument, d) for d in entry.property_differences)
    if differences and status is not ResourceDriftStatus.MODIFIED:
        raise ControlArgumentError(
            f"{argument}: {entry.logical_resource_id!r} is {status.value}; property differences are for "
            "MODIFIED resources only"
        )
    return DriftedResource(entry.logical_resource_id, status, differences)


def _difference(argument: str, value: Any) -> PropertyDifference:
    if not isinstance(value, PropertyDifference):
        raise ControlArgumentError(
            f"{argument}: property differences must be PropertyDifference objects, not {value!r}"
        )
    for name in ("property_path", "expected_value", "actual_value"):
        if not isinstance(getattr(value, name), str):
            raise ControlArgumentError(
                f"{argument}: PropertyDifference.{name} must be a string, not {getattr(value, name)!r}"
            )
    if not (isinstance(value.difference_type, str) and value.difference_type in DIFFERENCE_TYPES):
        raise ControlArgumentError(
            f"{argument}: PropertyDifference.difference_type must be one of {list(DIFFERENCE_TYPES)}, "
            f"not {value.difference_type!r}"
        )
    return PropertyDifference(
        value.property_path, value.expected_value, value.actual_value, DifferenceType(value.difference_type)
    )
