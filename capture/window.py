"""Windows on X11: the active window (polled), and the window an action landed on."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from capture.clock import SessionClock
from capture.events import WindowChange

# How often the active window is read. It bounds how late an excluded window is
# noticed: input and frames of its first tenth of a second may still be kept.
POLL_S = 0.1


def window_title(window: Any, net_wm_name: int, utf8_string: int) -> str:
    """A window's title: _NET_WM_NAME (UTF-8), else WM_NAME (Latin-1)."""
    prop = window.get_full_property(net_wm_name, utf8_string)
    if prop is not None and prop.value:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return name or ""


def window_app(window: Any) -> str:
    """A window's application: the class part of WM_CLASS, or ""."""
    wm_class = window.get_wm_class()
    return wm_class[1] if wm_class else ""


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
        return window_title(window, self._net_name, self._utf8)

    def _app(self, window: Any) -> str:
        return window_app(window)


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


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """The top-level window an action landed on, as the window manager knows it.

    For a popup (a menu, a context menu) or a transient dialog this is the
    application window that owns it; ``popup`` says the action hit the popup.
    """

    id: int
    title: str
    app: str
    pid: int | None = None
    popup: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "app": self.app,
            "pid": self.pid,
            "popup": self.popup,
        }


POPUP_MEMORY_S = 2.0  # how long a closed popup is remembered
Rect = tuple[int, int, int, int]


class X11Windows:
    """Which top-level window is under a point, or has the keyboard focus (python-xlib).

    Under a point: the root's child at that point, then down to the client
    window (the one with WM_STATE, set by the window manager; without one,
    the first with WM_CLASS). Override-redirect popups have no WM_STATE: they
    are mapped to their owner through WM_TRANSIENT_FOR, then a client with the
    same _NET_WM_PID, then one with the same client leader.
    """

    def __init__(self, display_name: str) -> None:
        from Xlib import display as xdisplay

        self._disp: Any = xdisplay.Display(display_name)
        self._root = self._disp.screen().root
        atom = self._disp.intern_atom
        self._wm_state = atom("WM_STATE")
        self._active = atom("_NET_ACTIVE_WINDOW")
        self._client_list = atom("_NET_CLIENT_LIST")
        self._pid = atom("_NET_WM_PID")
        self._leader = atom("WM_CLIENT_LEADER")
        self._transient = atom("WM_TRANSIENT_FOR")
        self._net_name = atom("_NET_WM_NAME")
        self._utf8 = atom("UTF8_STRING")
        self.display = self._disp
        from Xlib import X

        # Popups come and go faster than a lookup: note them as they map and close.
        self._root.change_attributes(event_mask=X.SubstructureNotifyMask)
        # Popups mapped now, by id, and closed lately: their rectangle and owner.
        self._popups: dict[int, tuple[Rect, WindowInfo]] = {}
        self._seen: dict[int, float] = {}  # popups mapped now: when they were first noticed
        self._closed: list[tuple[float, Rect, WindowInfo]] = []

    def close(self) -> None:
        self._disp.close()

    def at(self, x: int, y: int) -> WindowInfo | None:
        from Xlib.error import XError

        try:
            top = self._root.translate_coords(self._root, x, y).child
            if not top or not getattr(top, "id", 0):
                return None
            client = self._client_below(top)
            if client is not None:
                return self._describe(client)
            if top.get_attributes().override_redirect:
                owner = self._owner(top)
                if owner is not None:
                    return self._describe(owner, popup=True)
            return self._describe(top) if top.get_wm_class() else None
        except XError:
            return None  # the window went away between two requests

    def watch(self) -> None:
        """Take note of override-redirect popups mapping, moving and closing (call often).

        A popup's owner is read when it maps: toolkits destroy a closed menu's window.
        """
        from Xlib import X
        from Xlib.error import XError

        while self._disp.pending_events():
            event = self._disp.next_event()
            window: Any = getattr(event, "window", None)
            wid: Any = getattr(window, "id", None)
            if event.type == X.MapNotify and event.override:
                try:
                    g = window.get_geometry()
                    owner = self._owner(window)
                except XError:
                    continue
                if owner is not None:
                    info = self._describe(owner, popup=True)
                    self._popups[wid] = ((g.x, g.y, g.width, g.height), info)
                    self._seen[wid] = time.monotonic()
            elif event.type == X.ConfigureNotify and wid in self._popups:
                rect = (event.x, event.y, event.width, event.height)
                self._popups[wid] = (rect, self._popups[wid][1])
            elif event.type in (X.UnmapNotify, X.DestroyNotify) and wid in self._popups:
                rect, info = self._popups.pop(wid)
                self._seen.pop(wid, None)
                self._closed.append((time.monotonic(), rect, info))
        cutoff = time.monotonic() - POPUP_MEMORY_S
        self._closed = [c for c in self._closed if c[0] > cutoff]

    def closed_popup_at(self, x: int, y: int, since: float) -> WindowInfo | None:
        """The owner of a popup that covered (x, y) and closed after ``since`` (monotonic):
        a click on a menu item closes the menu, often before the click is looked up."""
        self.watch()
        for when, (px, py, pw, ph), owner in reversed(self._closed):
            if when >= since and px <= x < px + pw and py <= y < py + ph:
                return owner
        return None

    def opened_since(self, x: int, y: int, since: float) -> bool:
        """Whether the popup at (x, y) was first noticed after ``since`` (monotonic): it
        opened on the press queued then (GTK draws a combo box's list over the box)."""
        self.watch()
        return any(
            self._seen.get(wid, 0.0) >= since and px <= x < px + pw and py <= y < py + ph
            for wid, ((px, py, pw, ph), _) in self._popups.items()
        )

    def focused(self) -> WindowInfo | None:
        from Xlib.error import XError

        try:
            prop = self._root.get_full_property(self._active, 0)
            if prop is not None and len(prop.value) and prop.value[0]:
                return self._describe(self._window(int(prop.value[0])))
            focus = self._disp.get_input_focus().focus
            if not hasattr(focus, "id") or focus.id <= 1:
                return None
            current = focus
            for _ in range(16):
                if self._has(current, self._wm_state) or current.get_wm_class():
                    return self._describe(current)
                parent = current.query_tree().parent
                if not parent or parent.id == self._root.id:
                    return None
                current = parent
            return None
        except XError:
            return None

    # -- the window tree

    def _window(self, window_id: int) -> Any:
        return self._disp.create_resource_object("window", window_id)

    def _has(self, window: Any, atom: int) -> bool:
        return window.get_full_property(atom, 0) is not None

    def _client_below(self, top: Any) -> Any:
        """``top`` or the first window below it (breadth first, 3 levels) with WM_STATE."""
        level = [top]
        for _ in range(3):
            below = []
            for window in level:
                if self._has(window, self._wm_state):
                    return window
                below.extend(window.query_tree().children)
            level = below
        return None

    def _clients(self) -> list[Any]:
        prop = self._root.get_full_property(self._client_list, 0)
        if prop is not None:
            return [self._window(int(w)) for w in prop.value]
        return [w for w in self._root.query_tree().children if w.get_wm_class()]

    def _owner(self, popup: Any) -> Any:
        """The application window a popup belongs to."""
        transient = popup.get_full_property(self._transient, 0)
        if transient is not None and len(transient.value) and transient.value[0]:
            owner = self._window(int(transient.value[0]))
            return self._client_below(owner) or owner
        for atom in (self._pid, self._leader):
            mine = popup.get_full_property(atom, 0)
            if mine is None or not len(mine.value):
                continue
            for client in self._clients():
                theirs = client.get_full_property(atom, 0)
                if theirs is not None and len(theirs.value) and theirs.value[0] == mine.value[0]:
                    return client
        return None

    def _describe(self, window: Any, popup: bool = False) -> WindowInfo:
        title = self._title(window)
        wm_class = window.get_wm_class()
        owner = None
        if not wm_class or not title:
            transient = window.get_full_property(self._transient, 0)
            if transient is not None and len(transient.value) and transient.value[0]:
                owner = self._window(int(transient.value[0]))
                wm_class = wm_class or owner.get_wm_class()
        pid = window.get_full_property(self._pid, 0)
        return WindowInfo(
            id=window.id,
            title=title or (self._title(owner) if owner is not None else ""),
            app=wm_class[1] if wm_class else "",
            pid=int(pid.value[0]) if pid is not None and len(pid.value) else None,
            popup=popup,
        )

    def _title(self, window: Any) -> str:
        return window_title(window, self._net_name, self._utf8)
