"""The active window's title and app, read from a real X server (Xvfb, no window manager)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from capture.clock import SessionClock
from capture.events import WindowChange
from capture.window import WindowWatcher, X11ActiveWindow
from tests.xsession import XServer


class Desk:
    """Windows made with python-xlib on the test's X server, removed afterwards."""

    def __init__(self, display: str) -> None:
        from Xlib import X, Xatom
        from Xlib import display as xdisplay

        self.X, self.Xatom = X, Xatom
        self.disp: Any = xdisplay.Display(display)
        self.root = self.disp.screen().root
        self.made: list[Any] = []

    def window(
        self, title: str = "", app: str | None = None, parent: Any = None, utf8: str = ""
    ) -> Any:
        w = (parent or self.root).create_window(10, 10, 200, 100, 0, self.disp.screen().root_depth)
        if title:
            w.set_wm_name(title)
        if app is not None:
            w.set_wm_class(app.lower(), app)
        if utf8:
            w.change_property(
                self.disp.intern_atom("_NET_WM_NAME"),
                self.disp.intern_atom("UTF8_STRING"),
                8,
                utf8.encode(),
            )
        w.map()
        self.made.append(w)
        self.disp.sync()
        return w

    def focus(self, window: Any) -> None:
        window.set_input_focus(self.X.RevertToPointerRoot, self.X.CurrentTime)
        self.disp.sync()

    def set_active(self, window: Any | None) -> None:
        atom = self.disp.intern_atom("_NET_ACTIVE_WINDOW")
        if window is None:
            self.root.delete_property(atom)
        else:
            self.root.change_property(atom, self.Xatom.WINDOW, 32, [window.id])
        self.disp.sync()

    def close(self) -> None:
        self.set_active(None)
        self.disp.set_input_focus(
            self.X.PointerRoot, self.X.RevertToPointerRoot, self.X.CurrentTime
        )
        for w in reversed(self.made):
            w.destroy()
        self.disp.sync()
        self.disp.close()


@pytest.fixture
def desk(xserver: XServer) -> Iterator[Desk]:
    d = Desk(xserver.display)
    yield d
    d.close()


@pytest.fixture
def active(xserver: XServer) -> Iterator[X11ActiveWindow]:
    reader = X11ActiveWindow(xserver.display)
    yield reader
    reader.close()


def test_without_a_window_manager_the_focused_window_is_active(
    desk: Desk, active: X11ActiveWindow
) -> None:
    w = desk.window("Invoice - Editor", "Editor")
    desk.focus(w)
    assert active.read() == (w.id, "Invoice - Editor", "Editor")


def test_focus_inside_an_app_names_the_app_window(desk: Desk, active: X11ActiveWindow) -> None:
    top = desk.window("Report", "Writer")
    inner = desk.window(parent=top)  # a text field: no class, no title of its own
    desk.focus(inner)
    assert active.read() == (top.id, "Report", "Writer")


def test_the_window_manager_active_window_wins_and_utf8_titles_are_read(
    desk: Desk, active: X11ActiveWindow
) -> None:
    focused = desk.window("Other", "Other")
    desk.focus(focused)
    w = desk.window("fallback", "Browser", utf8="Résumé — Browser")
    desk.set_active(w)
    assert active.read() == (w.id, "Résumé — Browser", "Browser")


def test_a_window_that_went_away_is_no_window(desk: Desk, active: X11ActiveWindow) -> None:
    w = desk.window("Short-lived", "Popup")
    desk.set_active(w)
    assert active.read()[0] == w.id
    desk.made.remove(w)
    w.destroy()
    desk.disp.sync()
    assert active.read() == (0, "", "")


class Reader:
    """Stands in for X11ActiveWindow: a list of readings, then the last one forever."""

    def __init__(self, readings: list[tuple[int, str, str]]) -> None:
        self.readings = readings
        self.closed = threading.Event()
        self.done = threading.Event()

    def read(self) -> tuple[int, str, str]:
        if len(self.readings) == 1:
            self.done.set()
            return self.readings[0]
        return self.readings.pop(0)

    def close(self) -> None:
        self.closed.set()


def test_the_watcher_reports_changes_only() -> None:
    a, b = (1, "A", "app"), (2, "B", "app")
    reader = Reader([a, a, a, b, b, a])
    seen: list[WindowChange] = []
    watcher = WindowWatcher(lambda: reader, SessionClock.start(), seen.append, interval_s=0.001)  # type: ignore[arg-type, return-value]
    watcher.start()
    assert reader.done.wait(5)
    watcher.stop()
    assert reader.closed.is_set()
    assert [(c.window_id, c.title) for c in seen] == [(1, "A"), (2, "B"), (1, "A")]


def test_a_watcher_that_cannot_connect_ends_quietly() -> None:
    def broken() -> X11ActiveWindow:
        raise OSError("no display")

    seen: list[WindowChange] = []
    watcher = WindowWatcher(broken, SessionClock.start(), seen.append)
    watcher.start()
    watcher.stop()
    assert seen == []
