"""Where each action landed: its window and accessible element, looked up off the capture threads.

The recorder hands every observed event to ``TargetLookup`` instead of the
writer. Its worker thread passes events on to the writer in the order they
came; presses and key-downs first get a ``Target``: for a press, the window
and element under the press point; for a key-down, the focused window and
the element that has the keyboard (the one last clicked in that window, or
looked up again when the focus may have moved). Listener threads never wait:
a slow or hung application costs the worker one bounded lookup, after which
it is skipped for a while, and a worker that fell behind looks up windows
only.

Typing into a password field leaves the worker as the secret placeholder,
whatever secret mode said when the keys were heard: the first keys after Tab
reach the recorder before the application says a password field has the
focus, so the first key after a focus-moving key waits here (300 ms at most)
for that news.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from capture.accessibility import (
    LOOKUP_TIMEOUT_S,
    POPUP_GONE,
    ElementLookup,
    Elements,
    is_password,
)
from capture.events import EventKind, Target
from capture.keys import is_modifier
from capture.privacy.secret import SecretFilter
from capture.window import WindowInfo, X11Windows
from capture.writer import ObservedEvent

WATCH_S = 0.05  # how often an idle worker notes popups mapping and closing
# A popup that closed this long before its press was queued may still be what was pressed
# (input reaches the recorder in batches).
POPUP_SLACK_S = 1.0
STOP_WAIT_S = 5.0  # how long stopping waits for a lookup in progress
MAX_LAG_S = 0.15  # a press older than this when its turn comes gets no element lookup
KEYBOARD_FRESH_S = (
    2.0  # a key-down this soon after the last one in the same window reuses its element
)
# Keys after which the focus may have moved: the next key-down looks the element up again.
FOCUS_KEYS = frozenset({"Tab", "ISO_Left_Tab", "Return", "KP_Enter", "Escape", "F6"})
# How long a key typed right after one of those (or after a click that gave no field the
# keyboard) waits for the application to say where the focus went: a password field's
# first keys reach the recorder before that news does.
FOCUS_WAIT_S = 0.3

_STOP = object()


class TargetLookup:
    def __init__(
        self,
        windows: Callable[[], X11Windows],
        elements: Callable[[X11Windows], Elements] | None,
        sink: Callable[[ObservedEvent], None],
        on_password: Callable[[bool], None] | None = None,
        timeout_s: float = LOOKUP_TIMEOUT_S,
    ) -> None:
        self._windows_factory = windows
        self._elements_factory = elements
        self._sink = sink
        self._on_password = on_password
        self._timeout = timeout_s
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="demotrace-targets", daemon=True)
        self._windows: X11Windows | None = None
        self._elements: Elements | None = None
        self._password = False
        # Typing the worker files as secret: keys that came before secret mode could turn on.
        self._secret = SecretFilter()
        self._moved_at = 0.0  # when the focus may have moved (monotonic), once, until looked up
        self._waited_until = 0.0  # lag from waiting for the focus is not falling behind
        # The keyboard's element: (window id, element JSON, when, whether to look again).
        self._keyboard: tuple[int, dict[str, Any] | None, float, bool] = (0, None, 0.0, True)
        # Where the first of the modifiers held now went down: a hotkey lands there.
        self._chord: Target | None = None

    def put(self, item: ObservedEvent) -> None:
        self._queue.put((item, time.monotonic()))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Pass on everything queued, then return."""
        self._queue.put(_STOP)
        if self._thread.is_alive():
            self._thread.join(timeout=STOP_WAIT_S)
        if self._thread.is_alive():
            # Stuck (e.g. the X server stopped answering): the rest goes on without targets.
            while True:
                try:
                    got = self._queue.get_nowait()
                except queue.Empty:
                    return
                if got is not _STOP and (kept := self._keep(got[0])) is not None:
                    self._sink(kept)

    def _run(self) -> None:
        try:
            self._windows = self._windows_factory()
            if self._elements_factory is not None:
                self._elements = self._elements_factory(self._windows)
        except Exception:  # noqa: BLE001 - targets are context; events still flow
            self._windows = self._elements = None
        try:
            while True:
                try:
                    got = self._queue.get(timeout=WATCH_S)
                except queue.Empty:
                    self._watch()
                    continue
                if got is _STOP:  # the listener stopped before: nothing comes after it
                    return
                item, queued = got
                kept = self._keep(self._resolve(item, queued))
                if kept is not None:
                    self._sink(kept)
        finally:
            # Never lose an event: whatever is left goes on without a target.
            while True:
                try:
                    got = self._queue.get_nowait()
                except queue.Empty:
                    break
                if got is not _STOP and (kept := self._keep(got[0])) is not None:
                    self._sink(kept)
            for part in (self._elements, self._windows):
                if part is not None:
                    with contextlib.suppress(Exception):
                        part.close()

    def _watch(self) -> None:
        if self._windows is None:
            return
        try:
            self._windows.watch()
        except Exception:  # noqa: BLE001 - e.g. the X server went away; lookups then fail alone
            self._windows = None

    def _resolve(self, item: ObservedEvent, queued: float) -> ObservedEvent:
        event = item.event
        if event.kind is EventKind.PRESS or (
            event.kind is EventKind.KEY_UP and is_modifier(event.key or "")
        ):
            self._chord = None
        if event.kind not in (EventKind.PRESS, EventKind.KEY_DOWN) or self._windows is None:
            if event.kind is EventKind.PRESS:
                return replace(item, target=Target(event.t_ns, None, {"reason": "no X display"}))
            return item
        try:
            behind = time.monotonic() - max(queued, self._waited_until) > MAX_LAG_S
            if event.kind is EventKind.PRESS:
                target = self._at_press(event.t_ns, event.x or 0, event.y or 0, behind, queued)
            else:
                key = event.key or ""
                target = self._held(
                    key, event.modifiers, self._at_key(event.t_ns, key, behind, queued)
                )
        except Exception as exc:  # noqa: BLE001 - e.g. the X server went away
            target = Target(event.t_ns, None, {"reason": f"lookup failed: {exc}"})
        self._password_signal()
        return replace(item, target=target)

    def _at_press(self, t_ns: int, x: int, y: int, behind: bool, queued: float) -> Target:
        assert self._windows is not None
        window = self._windows.at(x, y)
        if window is not None and window.popup and self._windows.opened_since(x, y, queued):
            # The press opened the popup now under it: it landed on the window below.
            window = replace(window, popup=False)
        if window is None or not window.popup:
            closed = self._windows.closed_popup_at(x, y, queued - POPUP_SLACK_S)
            if closed is not None:
                return Target(t_ns, closed.to_json(), {"reason": POPUP_GONE})
        element = self._element(x, y, window, behind)
        focusable = element is not None and "focusable" in element.get("states", ())
        if window is not None and focusable:
            # A click on a focusable element gives it the keyboard.
            self._keyboard = (window.id, element, time.monotonic(), False)
        else:
            self._keyboard = (self._keyboard[0], self._keyboard[1], 0.0, True)
            self._moved_at = queued
        return Target(t_ns, window.to_json() if window else None, element)

    def _at_key(self, t_ns: int, key: str, behind: bool, queued: float) -> Target:
        assert self._windows is not None
        known_id, known, when, stale = self._keyboard
        if stale and self._moved_at and self._elements is not None:
            # Typed right after Tab (or a click): the application may not have said yet
            # where the focus went, and it may be a password field. Off the listener
            # threads, so this waits for nothing but the keys behind it.
            left = self._moved_at + FOCUS_WAIT_S - time.monotonic()
            if left > 0:
                self._elements.focus_moved_since(self._moved_at, left)
                self._waited_until = time.monotonic()
            behind = False  # whether this is a password field is worth the lookup
        self._moved_at = 0.0
        window = self._windows.focused()
        now = time.monotonic()
        if window is None:
            element: dict[str, Any] | None = None
        elif window.id == known_id and not stale and now - when < KEYBOARD_FRESH_S:
            element = known
        else:
            element = self._focused_element(window, behind)
        if window is not None:
            self._keyboard = (window.id, element, now, key in FOCUS_KEYS)
        if key in FOCUS_KEYS:
            self._moved_at = queued
        return Target(t_ns, window.to_json() if window else None, element)

    def _held(self, key: str, modifiers: frozenset[str], target: Target) -> Target:
        """A key pressed with modifiers held lands where the first of them went down.

        The focus is read when the worker gets to a key, not when it was pressed:
        by then a window manager's alt+Tab has already moved it to the next window.
        """
        chord = self._chord
        if is_modifier(key):
            if chord is None or not modifiers:
                self._chord = target
            return target
        if not modifiers:
            self._chord = None
        elif (
            chord is not None
            and chord.window is not None
            and (target.window or {}).get("id") != chord.window.get("id")
        ):
            return replace(target, window=chord.window, element=chord.element)
        return target

    def _element(
        self, x: int, y: int, window: WindowInfo | None, behind: bool
    ) -> dict[str, Any] | None:
        if self._elements is None:
            return {"reason": "no accessibility lookup"}
        if behind:
            return {"reason": "lookup skipped: the recorder was behind"}
        found: ElementLookup = self._elements.at_point(x, y, window, self._timeout)
        return found.to_json()

    def _focused_element(self, window: WindowInfo, behind: bool) -> dict[str, Any] | None:
        if self._elements is None:
            return {"reason": "no accessibility lookup"}
        if behind:
            return {"reason": "lookup skipped: the recorder was behind"}
        found: ElementLookup = self._elements.focused(window, self._timeout)
        return found.to_json()

    def _keep(self, item: ObservedEvent) -> ObservedEvent | None:
        """``item`` as it may be stored: typing in a password field becomes the secret
        placeholder here too, for the keys that beat the focus news to the recorder."""
        kept = self._secret.admit(item.event)
        if kept is None:
            return None
        return item if kept is item.event else replace(item, event=kept)

    def _password_signal(self) -> None:
        """Whether the element that has the keyboard is a password field, on each change."""
        element = self._keyboard[1]
        if element is None or "reason" in element:
            return
        password = is_password(element)
        if password != self._password:
            self._password = password
            self._secret.set(password)
            if self._on_password is not None:
                self._on_password(password)
