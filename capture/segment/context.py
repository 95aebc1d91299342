"""What segmentation knows besides input: frames, screen changes, marks, active windows.

Each kind is kept sorted by time, whatever order it arrives in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

from capture.events import Marker, Target, WindowChange
from capture.segment.steps import FrameId, Window


class SegmentContext:
    def __init__(self) -> None:
        self._frame_t: list[int] = []
        self._frame_id: list[FrameId] = []
        self._frame_time: dict[FrameId, int] = {}
        self._change_t: list[int] = []
        self._change_f: list[float] = []
        self._mark_t: list[int] = []
        self._pause_t: list[int] = []  # pause and resume markers
        self._note_t: list[int] = []  # the person's notes (think-aloud, live prompt)
        self._note: list[str] = []
        self._window_t: list[int] = []
        self._window: list[Window] = []
        self._targets: dict[int, Target] = {}  # by the time of their press or key-down

    # -- feeding

    def add_frames(self, frames: Iterable[tuple[FrameId, int]]) -> None:
        for frame_id, t in frames:
            i = bisect_right(self._frame_t, t)
            self._frame_t.insert(i, t)
            self._frame_id.insert(i, frame_id)
            self._frame_time[frame_id] = t

    def add_screen_changes(self, changes: Iterable[tuple[int, float]]) -> None:
        for t, fraction in changes:
            i = bisect_right(self._change_t, t)
            self._change_t.insert(i, t)
            self._change_f.insert(i, fraction)

    def add_markers(self, markers: Iterable[Marker]) -> None:
        for m in markers:
            if m.kind == "mark":
                self._mark_t.insert(bisect_right(self._mark_t, m.t_ns), m.t_ns)
            elif m.kind == "note" and m.label.strip():
                i = bisect_right(self._note_t, m.t_ns)
                self._note_t.insert(i, m.t_ns)
                self._note.insert(i, m.label.strip())
            elif m.kind in ("pause", "resume"):
                self._pause_t.insert(bisect_right(self._pause_t, m.t_ns), m.t_ns)

    def add_windows(self, windows: Iterable[WindowChange]) -> None:
        for w in windows:
            i = bisect_right(self._window_t, w.t_ns)
            self._window_t.insert(i, w.t_ns)
            self._window.insert(i, Window(w.title, w.app))

    def add_targets(self, targets: Iterable[Target]) -> None:
        for target in targets:
            self._targets[target.t_ns] = target

    # -- questions

    def frame_before(self, t: int) -> FrameId | None:
        """The last frame grabbed strictly before ``t``."""
        i = bisect_left(self._frame_t, t)
        return self._frame_id[i - 1] if i else None

    def frame_at_or_before(self, t: int) -> FrameId | None:
        i = bisect_right(self._frame_t, t)
        return self._frame_id[i - 1] if i else None

    def last_frame(self) -> FrameId | None:
        return self._frame_id[-1] if self._frame_id else None

    def frame_time(self, frame_id: FrameId | None) -> int | None:
        return None if frame_id is None else self._frame_time.get(frame_id)

    def changes(self, after: int, upto: int) -> Iterable[tuple[int, float]]:
        """Screen changes with ``after < t <= upto``, oldest first."""
        lo = bisect_right(self._change_t, after)
        hi = bisect_right(self._change_t, upto)
        return zip(self._change_t[lo:hi], self._change_f[lo:hi], strict=True)

    def max_change(self, after: int, upto: int) -> float:
        lo = bisect_right(self._change_t, after)
        hi = bisect_right(self._change_t, upto)
        return max(self._change_f[lo:hi], default=0.0)

    def last_change_before(self, after: int, before: int | None, at_least: float) -> int | None:
        """The latest change of at least ``at_least`` with ``after < t < before``."""
        lo = bisect_right(self._change_t, after)
        hi = len(self._change_t) if before is None else bisect_left(self._change_t, before)
        for i in range(hi - 1, lo - 1, -1):
            if self._change_f[i] >= at_least:
                return self._change_t[i]
        return None

    def marked(self, after: int | None, upto: int) -> bool:
        """A mark with ``after < t <= upto`` (``after=None``: any mark up to ``upto``)."""
        lo = 0 if after is None else bisect_right(self._mark_t, after)
        return bisect_right(self._mark_t, upto) > lo

    def notes(self, after: int | None, upto: int | None) -> list[str]:
        """Notes with ``after < t <= upto`` (None: unbounded on that side), oldest first."""
        lo = 0 if after is None else bisect_right(self._note_t, after)
        hi = len(self._note_t) if upto is None else bisect_right(self._note_t, upto)
        return self._note[lo:hi]

    def paused(self, after: int, before: int | None) -> bool:
        """A pause or resume marker with ``after < t < before``."""
        lo = bisect_right(self._pause_t, after)
        hi = len(self._pause_t) if before is None else bisect_left(self._pause_t, before)
        return hi > lo

    def window_at(self, t: int) -> Window | None:
        i = bisect_right(self._window_t, t)
        return self._window[i - 1] if i else None

    def window_change_at(self, t: int) -> tuple[int, Window] | None:
        """When the window active at ``t`` became active, and that window."""
        i = bisect_right(self._window_t, t)
        return (self._window_t[i - 1], self._window[i - 1]) if i else None

    def window_acted_on(self, t: int, upto: int, own_apps: frozenset[str]) -> Window | None:
        """The window an action at ``t`` landed on.

        The active window, unless that is one of demotrace's own (input on those
        is dropped, so the action went elsewhere) or none is known (nothing had
        focus: demotrace's window just hid; or the watcher had not reported yet).
        Then the window that became active next, up to ``upto``: without a
        window manager, a window becomes active only once the click is in.
        """

        def known(w: Window | None) -> bool:
            return w is not None and bool(w.title or w.app) and w.app not in own_apps

        window = self.window_at(t)
        if known(window):
            return window
        lo, hi = bisect_right(self._window_t, t), bisect_right(self._window_t, upto)
        for later in self._window[lo:hi]:
            if known(later):
                return later
        return None if window is None or window.app in own_apps else window

    def window_of_action(
        self, t: int, upto: int | None = None, own_apps: frozenset[str] = frozenset()
    ) -> Window | None:
        """The window of the action starting at ``t``: where its press or key-down landed,
        else the active window polled last before it (see ``window_acted_on``)."""
        target = self._targets.get(t)
        if target is not None and target.window is not None:
            return Window(str(target.window.get("title", "")), str(target.window.get("app", "")))
        return self.window_at(t) if upto is None else self.window_acted_on(t, upto, own_apps)

    def element_of_action(self, t: int) -> Mapping[str, Any] | None:
        target = self._targets.get(t)
        return None if target is None else target.element
