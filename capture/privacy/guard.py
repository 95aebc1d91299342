"""What the recorder may keep: secret mode, excluded windows and redaction at capture, together.

The recorder asks the guard about every raw event before queueing it, tells it
every active-window change, and lets it blur each grab when redaction at
capture is on. The guard only decides; the recorder pauses the grabber and
writes the markers.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from capture.events import RawEvent, WindowChange
from capture.privacy.exclusions import Exclusions
from capture.privacy.redact import ActiveWindow, Redaction, redact_bgra
from capture.privacy.secret import SecretFilter
from capture.privacy.windows import glob_matches
from capture.screen import Rect
from capture.screen_windows import ScreenWindow

# The label of the pause and resume markers an excluded window causes.
EXCLUDED_LABEL = "excluded"


@dataclass(frozen=True)
class Privacy:
    """What the control bar shows: secret mode, and the excluded window pausing capture."""

    secret: bool = False
    excluded: str = ""  # the excluded window's app (or title); "" when capture runs

    @property
    def capture_paused(self) -> bool:
        return bool(self.excluded)


@dataclass(frozen=True)
class WindowVerdict:
    """What to do with an active-window change."""

    store: bool  # write the change itself (never for an excluded window: its title may tell)
    entered: bool = False  # an excluded window took the focus: pause capture
    left: bool = False  # the focus left excluded windows: resume capture


class PrivacyGuard:
    def __init__(
        self,
        exclusions: Exclusions | None = None,
        redactions: Sequence[Redaction] = (),
    ) -> None:
        self.exclusions = Exclusions() if exclusions is None else exclusions
        self.redactions = tuple(redactions)
        self.secret = SecretFilter()
        self._lock = threading.Lock()
        self._excluded = ""
        self._window: ActiveWindow | None = None
        self._window_id = 0
        self._on_screen: tuple[ScreenWindow, ...] = ()
        self._hidden: tuple[Rect, ...] = ()
        self.window_known = threading.Event()  # the first active-window report arrived
        self.screen_known = threading.Event()  # the first scan of the windows on screen arrived

    @property
    def state(self) -> Privacy:
        return Privacy(self.secret.on, self._excluded)

    @property
    def excluded(self) -> bool:
        return bool(self._excluded)

    @property
    def needs_window(self) -> bool:
        """Whether the first frame must wait until the active window is known."""
        return bool(self.exclusions.patterns) or any(r.kind != "rect" for r in self.redactions)

    def admit(self, event: RawEvent) -> RawEvent | None:
        """``event`` as it may be stored, or None: nothing is kept while an excluded
        window has the focus, and secret mode replaces typing by its placeholder."""
        if self._excluded:
            return None
        return self.secret.admit(event)

    def wants(self, title: str, app: str) -> bool:
        """Whether the window scanner should report this window: excluded or redacted."""
        if self.exclusions.match(title, app) is not None:
            return True
        for rule in self.redactions:
            if rule.kind == "window_class" and glob_matches(rule.pattern, app):
                return True
            if rule.kind == "window_title" and glob_matches(rule.pattern, title):
                return True
        return False

    def screen_windows(self, windows: list[ScreenWindow]) -> None:
        """The wanted windows on screen now (scanner thread): excluded ones are masked."""
        with self._lock:
            self._on_screen = tuple(windows)
            self._hidden = tuple(
                w.rect for w in windows if self.exclusions.match(w.title, w.app) is not None
            )
            if self._window is not None:
                self._window = ActiveWindow(self._window.title, self._window.app, self._rect_of())
        self.screen_known.set()

    def hidden(self) -> tuple[Rect, ...]:
        """Rectangles of excluded windows on screen, focused or not: painted out of frames."""
        return self._hidden

    def _rect_of(self) -> Rect | None:
        return next((w.rect for w in self._on_screen if w.window_id == self._window_id), None)

    def window(self, change: WindowChange) -> WindowVerdict:
        with self._lock:
            self._window_id = change.window_id
            self._window = ActiveWindow(change.title, change.app, self._rect_of())
            self.window_known.set()
            matched = self.exclusions.match(change.title, change.app)
            if matched is not None:
                entered = not self._excluded
                self._excluded = change.app or change.title or matched
                return WindowVerdict(store=False, entered=entered)
            left = bool(self._excluded)
            self._excluded = ""
            return WindowVerdict(store=True, left=left)

    def redact(
        self, pixels: bytes | bytearray, left: int, top: int, width: int, height: int
    ) -> bytes | bytearray:
        """A grab with the redaction rules applied (for ``record --redact-at-capture``):
        window rules cover every matching window on screen, and the active one."""
        windows = [ActiveWindow(w.title, w.app, w.rect) for w in self._on_screen]
        if self._window is not None:
            windows.append(self._window)
        return redact_bgra(pixels, left, top, width, height, self.redactions, windows)
