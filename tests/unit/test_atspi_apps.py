"""Which accessible applications may own a window: the list, read again for a newcomer."""

from __future__ import annotations

import time
from typing import Any

from capture.accessibility.atspi import ROOT_PATH, AtspiElements
from capture.window import WindowInfo


class Registry(AtspiElements):
    """AtspiElements answered by a list of (bus name, process id) instead of D-Bus."""

    def __init__(self, apps: dict[str, int]) -> None:
        super().__init__(lambda: None)
        self.apps = apps
        self.listed = 0

    def _call(self, deadline: float, bus: str, path: str, interface: str, member: str,
              signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:  # fmt: skip
        if member == "GetChildren":
            self.listed += 1
            return ([(name, ROOT_PATH) for name in self.apps],)
        assert member == "GetConnectionUnixProcessID"
        return (self.apps[body[0]],)


def window(pid: int) -> WindowInfo:
    return WindowInfo(1, "w", "app", pid)


def test_an_application_started_since_the_list_was_read_is_found_at_once():
    registry = Registry({":1.1": 100})
    deadline = time.monotonic() + 1
    assert registry._apps_of(window(100), deadline) == [":1.1"]
    registry.apps[":1.2"] = 200  # started a moment later
    assert registry._apps_of(window(200), deadline) == [":1.2"]
    assert registry.listed == 2
    # A known one costs no new reading of the list while it is fresh.
    assert registry._apps_of(window(100), deadline) == [":1.1"]
    assert registry.listed == 2


def test_a_window_of_no_accessible_application_reads_the_list_once_per_lookup():
    registry = Registry({":1.1": 100})
    deadline = time.monotonic() + 1
    assert registry._apps_of(window(100), deadline) == [":1.1"]
    assert registry._apps_of(window(999), deadline) == []
    assert registry.listed == 2
