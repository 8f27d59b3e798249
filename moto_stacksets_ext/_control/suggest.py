"""Errors that help: the valid value closest to a wrong one ("did you mean 'eu-west-1'?"), by ``difflib``.

Imports nothing but the standard library, so the pytest plugin can use it before moto is loaded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: object, choices: Iterable[object]) -> str | None:
    """The valid value closest to ``value`` (case-insensitive), or None when none is close enough."""
    if not isinstance(value, str) or not value:
        return None
    by_folded = {str(choice).lower(): str(choice) for choice in choices}
    found = difflib.get_close_matches(value.lower(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[found[0]] if found else None


def did_you_mean(value: object, choices: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` naming the closest valid value, else ``""``."""
    match = closest(value, choices)
    return f" (did you mean {match!r}?)" if match is not None else ""


def did_you_mean_all(values: Iterable[object], choices: Iterable[object]) -> str:
    """The hint for several wrong values: ``" (did you mean 'a' for 'b'?)"``, else ``""``."""
    valid = list(choices)
    pairs = [(match, value) for value in values if (match := closest(value, valid)) is not None]
    if not pairs:
        return ""
    return " (did you mean " + ", ".join(f"{match!r} for {value!r}" for match, value in pairs) + "?)"
