"""The accessible element an action landed on: role, name, states, box, path.

``Elements`` is what a platform implements (AT-SPI here; Windows UI
Automation and macOS AX could later). A lookup always answers: an element,
or no element and the reason (no accessibility bus, the application is not
accessible, no answer in time). Lookups are blocking and bounded by a
deadline; the caller runs them on a worker thread, never on a capture thread.

On Linux the elements come from AT-SPI over D-Bus (jeepney: pure Python,
blocking calls with a timeout each). The application is found by the
window's process id, its top-level accessible by the point (and the window
title), then ``GetAccessibleAtPoint`` is followed down to the deepest element.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from capture.window import WindowInfo

PASSWORD_ROLES = frozenset({"password text", "password"})
LOOKUP_TIMEOUT_S = 0.25  # one element lookup, all its calls together
POPUP_GONE = "the popup closed before the lookup"


@dataclass(frozen=True, slots=True)
class Element:
    role: str
    name: str
    states: tuple[str, ...]
    bbox: tuple[int, int, int, int]  # x, y, width, height in screen pixels
    path: tuple[tuple[str, str], ...]  # (role, name) from the window down to the element

    @property
    def password(self) -> bool:
        return self.role in PASSWORD_ROLES or "password" in self.states

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "states": list(self.states),
            "bbox": list(self.bbox),
            "path": [{"role": r, "name": n} for r, n in self.path],
        }


@dataclass(frozen=True, slots=True)
class ElementLookup:
    """An element, or None and why not."""

    element: Element | None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.element.to_json() if self.element else {"reason": self.reason}


def is_password(element: Mapping[str, Any] | None) -> bool:
    """Whether a stored element (its JSON) is a password field."""
    if not element:
        return False
    return element.get("role") in PASSWORD_ROLES or "password" in element.get("states", ())


class Elements(Protocol):
    """A platform's accessibility tree, asked about one point or the focus."""

    def at_point(
        self, x: int, y: int, window: WindowInfo | None, timeout_s: float
    ) -> ElementLookup: ...

    def focused(self, window: WindowInfo, timeout_s: float) -> ElementLookup: ...

    def focus_moved_since(self, since: float, timeout_s: float) -> bool:
        """Wait until an application says the focus moved after ``since`` (monotonic
        time), at most ``timeout_s``; whether one did."""
        ...

    def close(self) -> None: ...
