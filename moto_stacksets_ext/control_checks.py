"""Checks of the test-control API's arguments: a scripted outcome that could never match is an error at the
call, with a message naming the valid values, not a "stale outcome" at teardown.

* ``cloud``: ``aws``, ``huawei`` or ``alibaba``;
* ``account``: a string; on AWS 12 digits, on Huawei a domain id (32 lower-case hex characters), on Alibaba
  16 digits (with no ``cloud``, any of these);
* ``region``: AWS: a region botocore knows in any partition (``aws``, ``aws-cn``, ``aws-us-gov``, ...); Huawei:
  the RFS SDK's regions; Alibaba: the regions ROS answers in (the ROS SDK's endpoint table, plus
  ``MOTO_STACKSETS_ALIBABA_REGIONS``); with no ``cloud``, any of these;
* ``action``: the engine's operation actions ``CREATE``, ``UPDATE``, ``DELETE``, ``DETECT_DRIFT``;
* ``times``: a positive integer or ``None``; ``reason`` and ``stack_set``: strings or ``None``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

CLOUDS = ("aws", "huawei", "alibaba")
ACTIONS = ("CREATE", "UPDATE", "DELETE", "DETECT_DRIFT")

_ACCOUNT_RULES = {
    "aws": (re.compile(r"\d{12}"), "12 digits, e.g. '111111111111'"),
    "huawei": (re.compile(r"[0-9a-f]{32}"), "a domain id of 32 lower-case hex characters"),
    "alibaba": (re.compile(r"\d{16}"), "16 digits, e.g. '1234567890123456'"),
}


class ControlArgumentError(ValueError):
    """A test-control call with an argument that can never match anything."""


@functools.lru_cache(maxsize=1)
def aws_regions() -> tuple[str, ...]:
    """Every region botocore knows for CloudFormation, in every partition."""
    import botocore.session

    session = botocore.session.get_session()
    found: list[str] = []
    for partition in session.get_available_partitions():
        found += session.get_available_regions("cloudformation", partition_name=partition)
    return tuple(dict.fromkeys(found))


def regions(cloud: str) -> tuple[str, ...]:
    if cloud == "aws":
        return aws_regions()
    if cloud == "huawei":
        from .huawei_rfs.identity import KNOWN_REGIONS

        return tuple(KNOWN_REGIONS)
    from .alibaba_ros.context import known_regions

    return tuple(known_regions())


def _name(call: str, argument: str) -> str:
    return f"{call}: {argument}"


def cloud(call: str, value: Any) -> str | None:
    if value is None:
        return None
    if value not in CLOUDS:
        raise ControlArgumentError(f"{_name(call, 'cloud')} must be one of {list(CLOUDS)} (or None), not {value!r}")
    return str(value)


def account(call: str, value: Any, in_cloud: str | None) -> str | None:
    if value is None:
        return None
    clouds = [in_cloud] if in_cloud else list(CLOUDS)
    rules = "; ".join(f"{name}: {_ACCOUNT_RULES[name][1]}" for name in clouds)
    if not isinstance(value, str):
        hint = f" (did you mean {str(value)!r}?)" if isinstance(value, int) and not isinstance(value, bool) else ""
        raise ControlArgumentError(
            f"{_name(call, 'account')} must be a string ({rules}), not the {type(value).__name__} {value!r}{hint}"
        )
    if not any(_ACCOUNT_RULES[name][0].fullmatch(value) for name in clouds):
        raise ControlArgumentError(f"{_name(call, 'account')} {value!r} is not an account id ({rules})")
    return value


def region(call: str, value: Any, in_cloud: str | None) -> str | None:
    if value is None:
        return None
    clouds = [in_cloud] if in_cloud else list(CLOUDS)
    if isinstance(value, str) and any(value in regions(name) for name in clouds):
        return value
    listed = "; ".join(f"{name}: {', '.join(regions(name))}" for name in clouds)
    raise ControlArgumentError(f"{_name(call, 'region')} {value!r} is not a known region. Known regions: {listed}")


def action(call: str, value: Any) -> str | None:
    if value is None:
        return None
    if value not in ACTIONS:
        raise ControlArgumentError(f"{_name(call, 'action')} must be one of {list(ACTIONS)} (or None), not {value!r}")
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
