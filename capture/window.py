"""Active window title and application class on X11 (EWMH, or the input focus without a WM)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from capture.clock import SessionClock
from capture.events import WindowChange

# How often the active window is read. It bounds how late an excluded window is
# noticed: input and frames of its first tenth of a second may still be kept.
POLL_S = 0.1


class X11ActiveWindow:
    """Reads (window id, title, app class) of the active window."""

    def __init__(self, display_name: str) -> None:
        from Xlib import display as xdisplay

        self._disp: Any = xdisplay.Display(display_name)
        self._root = self._disp.screen().root
        self._active = self._disp.intern_atom("_NET_ACTIVE_WINDOW")
        self._net_name = self._disp.intern_atom("_NET_WM_NAME")
        self._utf8 = self._disp.intern_atom("UTF8_STRING")
        self._last: tuple[int, Any, str] | None = None  # focused id, its app window, app

    def close(self) -> None:
        self._disp.close()

    def read(self) -> tuple[int, str, str]:
        """(window id, title, app); the walk to the app's window only when focus moved."""
        from Xlib.error import XError

        try:
            window = self._active_window()
            if window is None:
                self._last = None
                return 0, "", ""
            if self._last is not None and self._last[0] == window.id:
                _, target, app = self._last
            else:
                target = self._with_class(window) or window
                app = self._app(target)
                self._last = (window.id, target, app)
            return target.id, self._title(target), app
        except XError:
            self._last = None
            return 0, "", ""  # the window went away between two requests

    def _active_window(self) -> Any:
        prop = self._root.get_full_property(self._active, 0)
        if prop is not None and len(prop.value) and prop.value[0]:
            return self._disp.create_resource_object("window", prop.value[0])
        focus = self._disp.get_input_focus().focus
        return focus if hasattr(focus, "id") and focus.id > 1 else None

    def _with_class(self, window: Any) -> Any:
        """Walk up from the focused window to the first one with WM_CLASS."""
        current = window
        for _ in range(16):
            if current.get_wm_class():
                return current
            parent = current.query_tree().parent
            if not parent or parent.id == self._root.id:
                return None
            current = parent
        return None

    def _title(self, window: Any) -> str:
        prop = window.get_full_property(self._net_name, self._utf8)
        if prop is not None and prop.value:
            value = prop.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        name = window.get_wm_name()
        if isinstance(name, bytes):
            return name.decode("latin-1")
        return name or ""

    def _app(self, window: Any) -> str:
        wm_class = window.get_wm_class()
        return wm_class[1] if wm_class else ""


class WindowWatcher:
    """Polls the active window ten times a second; reports only changes."""

    def __init__(
        self,
        reader_factory: Callable[[], X11ActiveWindow],
        clock: SessionClock,
        sink: Callable[[WindowChange], None],
        interval_s: float = POLL_S,
    ) -> None:
        self._factory = reader_factory
        self._clock = clock
        self._sink = sink
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-window", daemon=True)
        self._last: tuple[int, str, str] | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        try:
            reader = self._factory()
        except Exception:  # noqa: BLE001 - window titles are context; the recording goes on
            return
        try:
            while True:
                try:
                    current = reader.read()
                except Exception:  # noqa: BLE001 - e.g. the X server went away: stop watching
                    return
                if current != self._last:
                    self._last = current
                    window_id, title, app = current
                    self._sink(WindowChange(self._clock.now(), title, app, window_id))
                if self._stop.wait(self._interval):
                    return
        finally:
            with contextlib.suppress(Exception):
                reader.close()
