"""The session clock: one monotonic time base shared by every recording thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SessionClock:
    """Monotonic nanoseconds since the session started.

    The wall-clock start is read once, at the same instant as the monotonic
    origin, so any session time converts to wall time without drift from
    later clock adjustments.
    """

    origin_ns: int
    wall_start_ns: int
    _monotonic: Callable[[], int] = field(default=time.monotonic_ns, repr=False, compare=False)

    @classmethod
    def start(
        cls,
        monotonic: Callable[[], int] = time.monotonic_ns,
        wall: Callable[[], int] = time.time_ns,
    ) -> SessionClock:
        return cls(origin_ns=monotonic(), wall_start_ns=wall(), _monotonic=monotonic)

    def now(self) -> int:
        """Nanoseconds since the session started."""
        return self._monotonic() - self.origin_ns

    def to_wall_ns(self, t_ns: int) -> int:
        return self.wall_start_ns + t_ns
