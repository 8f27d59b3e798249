"""The engine clock: every timestamp the engine records comes from here.

It follows the wall clock by default; a test can freeze it or move it forward explicitly (``advance``),
so that time-based behaviour is deterministic and fast to test.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class Clock:
    """A UTC clock that tests can advance.

    ``now()`` is the wall clock plus every offset given to ``advance``. Timestamps are truncated to
    milliseconds, the precision the providers report.
    """

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now(timezone.utc)
            current = base + self._offset
        return current.replace(microsecond=current.microsecond // 1000 * 1000)

    @property
    def frozen(self) -> bool:
        """Whether the clock stands still (``freeze``) rather than following the wall clock."""
        return self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            try:
                offset = self._offset + timedelta(seconds=seconds)
                (self._frozen_at or datetime.now(timezone.utc)) + offset
            except OverflowError as error:
                raise ValueError(f"advancing by {seconds} seconds would take the clock past year 9999") from error
            self._offset = offset

    def freeze(self) -> None:
        """Stop following the wall clock; only ``advance`` moves time from now on."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = datetime.now(timezone.utc)

    def unfreeze(self) -> None:
        """Follow the wall clock again, keeping the time already advanced."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset -= datetime.now(timezone.utc) - self._frozen_at
                self._offset = max(self._offset, timedelta(0))
                self._frozen_at = None

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
            self._frozen_at = None


#: The process-wide engine clock. Reset with moto's reset.
clock = Clock()
