"""How fast operations progress: moto's state-manager conventions, applied to stack-set operations.

A front-end names its operation model (AWS: ``cloudformation::stackset-operation``) and registers it with
``moto.moto_api.state_manager``; the transition in force when an operation is created decides its pace:

* ``{"progression": "immediate"}`` (default): the operation runs to its end inside the call;
* ``{"progression": "manual", "times": N}``: it advances one step per N reads of the operation;
* ``{"progression": "time", "seconds": S}``: it advances one step per S seconds of the engine clock.

A step finishes the targets in flight and starts the next batch (or ends the operation).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from .errors import InvalidProgression


class Mode(str, Enum):
    IMMEDIATE = "immediate"
    MANUAL = "manual"
    TIME = "time"


@dataclass(frozen=True)
class Progression:
    mode: Mode = Mode.IMMEDIATE
    times: int = 1
    seconds: float = 1.0

    @classmethod
    def from_transition(cls, transition: Mapping[str, Any]) -> Progression:
        """Read a moto state-manager transition (``InvalidProgression`` if it cannot be read).

        ``progression`` must be immediate, manual or time (absent: immediate); ``times`` a whole number
        (at least 1 is used) and ``seconds`` a finite number (at least 0.001 is used), each absent meaning 1.
        """
        if not isinstance(transition, Mapping):
            raise InvalidProgression(f"the transition must be a mapping, not {type(transition).__name__}")
        try:
            mode = Mode(transition.get("progression", "immediate"))
        except (ValueError, TypeError):
            allowed = ", ".join(m.value for m in Mode)
            raise InvalidProgression(f"progression must be one of {allowed}") from None
        if mode is Mode.MANUAL:
            return cls(mode, times=max(1, _whole(transition.get("times", 1))))
        if mode is Mode.TIME:
            return cls(mode, seconds=max(0.001, _seconds(transition.get("seconds", 1))))
        return cls()


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidProgression(f"times must be a whole number, not {value!r}")
    if isinstance(value, str) and not re.fullmatch(r"\s*[0-9]{1,9}\s*", value):
        raise InvalidProgression(f"times must be a whole number, not {value!r}")
    return int(value)


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidProgression(f"seconds must be a number, not {value!r}")
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        raise InvalidProgression(f"seconds must be a number, not {value!r}") from None
    if not math.isfinite(seconds):
        raise InvalidProgression(f"seconds must be a finite number, not {value!r}")
    return seconds


@dataclass
class Pace:
    """An operation's progression and how far along it is."""

    progression: Progression
    since: datetime
    reads: int = 0

    def on_read(self) -> int:
        """Steps due because the operation was read once more."""
        if self.progression.mode is not Mode.MANUAL:
            return 0
        self.reads += 1
        if self.reads >= self.progression.times:
            self.reads = 0
            return 1
        return 0

    def due(self, now: datetime) -> list[datetime]:
        """The moments of the steps the clock has made due (time progression), oldest first."""
        if self.progression.mode is not Mode.TIME:
            return []
        elapsed = (now - self.since).total_seconds()
        steps = max(0, math.floor(elapsed / self.progression.seconds + 1e-9))
        period = timedelta(seconds=self.progression.seconds)
        moments = [self.since + period * (n + 1) for n in range(steps)]
        if moments:
            self.since = moments[-1]
        return moments
