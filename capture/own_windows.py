"""demotrace's own windows are not part of the demonstration: input on them is dropped,
and the grabber paints them out of frames."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from capture.events import EventKind, RawEvent
from capture.screen import Rect


class OwnWindows:
    """Where the app's windows are now, and which pointer input landed on them.

    The app updates the rectangles whenever its windows move; listeners ask
    ``drops`` for every pointer event. A button pressed on an own window has
    its release dropped too, wherever it lands, so presses and releases stay
    paired; moves while that button is held are dropped with them.
    """

    def __init__(self) -> None:
        self._rects: tuple[Rect, ...] = ()
        self._held: set[str] = set()
        self._lock = threading.Lock()

    def set(self, rects: Iterable[Rect]) -> None:
        self._rects = tuple(rects)

    def rects(self) -> tuple[Rect, ...]:
        return self._rects

    def drops(self, event: RawEvent) -> bool:
        if event.x is None or event.y is None:
            return False
        x, y = event.x, event.y
        inside = any(r.contains(x, y) for r in self._rects)
        with self._lock:
            if event.kind is EventKind.PRESS and event.button is not None:
                if inside:
                    self._held.add(event.button)
                return inside
            if event.kind is EventKind.RELEASE and event.button in self._held:
                self._held.discard(event.button)
                return True
            if event.kind is EventKind.MOVE:
                return inside or bool(self._held)
            return inside and event.kind is EventKind.SCROLL
