"""Where the windows that must not be seen are: top-level windows on screen, scanned on X11.

Excluded applications are masked out of every frame wherever they are
visible, focused or not; the scanner reports the rectangles of the windows the
recorder asks about (``wanted``), so only those cost geometry requests.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from capture.screen import Rect
from capture.window import window_app, window_title

SCAN_S = 0.5  # how often the window list is read


@dataclass(frozen=True)
class ScreenWindow:
    window_id: int
    title: str
    app: str
    rect: Rect


Wanted = Callable[[str, str], bool]  # (title, app) -> report this window


class X11TopWindows:
    """Reads the mapped top-level windows (the window manager's client list when there is one)."""

    def __init__(self, display_name: str) -> None:
        from Xlib import display as xdisplay

        self._disp: Any = xdisplay.Display(display_name)
        self._root = self._disp.screen().root
        self._clients = self._disp.intern_atom("_NET_CLIENT_LIST")
        self._net_name = self._disp.intern_atom("_NET_WM_NAME")
        self._utf8 = self._disp.intern_atom("UTF8_STRING")
        self._apps: dict[int, str] = {}

    def close(self) -> None:
        self._disp.close()

    def read(self, wanted: Wanted) -> list[ScreenWindow]:
        from Xlib import X
        from Xlib.error import XError

        prop = self._root.get_full_property(self._clients, X.AnyPropertyType)
        if prop is not None and len(prop.value):
            windows = [self._disp.create_resource_object("window", i) for i in prop.value]
        else:
            windows = self._root.query_tree().children
        out = []
        for window in windows:
            try:
                app = self._app(window)
                title = self._title(window)
                if not wanted(title, app):
                    continue
                if window.get_attributes().map_state != X.IsViewable:
                    continue
                geometry = window.get_geometry()
                origin = self._root.translate_coords(window, 0, 0)
                rect = Rect(origin.x, origin.y, geometry.width, geometry.height)
                out.append(ScreenWindow(window.id, title, app, rect))
            except XError:
                continue  # the window went away meanwhile
        return out

    def _app(self, window: Any) -> str:
        known = self._apps.get(window.id)
        if known is None:
            known = self._apps[window.id] = window_app(window)
        return known

    def _title(self, window: Any) -> str:
        return window_title(window, self._net_name, self._utf8)


class WindowScanner:
    """Scans the windows on screen every ``interval_s``; reports the wanted ones on change."""

    def __init__(
        self,
        reader_factory: Callable[[], X11TopWindows],
        wanted: Wanted,
        sink: Callable[[list[ScreenWindow]], None],
        interval_s: float = SCAN_S,
    ) -> None:
        self._factory = reader_factory
        self._wanted = wanted
        self._sink = sink
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-windows", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        last: list[ScreenWindow] | None = None
        try:
            reader = self._factory()
        except Exception:  # noqa: BLE001 - no scanner: focus-based exclusion still works
            self._sink([])
            return
        try:
            while True:
                try:
                    current = reader.read(self._wanted)
                except Exception:  # noqa: BLE001 - e.g. the X server went away: stop scanning
                    return
                if current != last:
                    last = current
                    self._sink(current)
                if self._stop.wait(self._interval):
                    return
        finally:
            with contextlib.suppress(Exception):
                reader.close()
