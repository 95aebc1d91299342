"""The recorder's privacy rules with fake screens, listeners and windows over a real store."""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from capture.clock import SessionClock
from capture.events import EventKind, WindowChange
from capture.privacy.exclusions import Exclusions
from capture.privacy.guard import Privacy
from capture.privacy.redact import Redaction
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.recorder import Recorder, RecorderParts, State
from capture.screen import Rect
from capture.screen_windows import ScreenWindow
from capture.store.database import Database, open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for
from capture.store.steps import stored_steps
from tests.unit.test_recorder import INFO, Hands, Screen, recorder


class Windows:
    """Stands in for the window watcher: tests call ``focus`` as if the person switched."""

    def __init__(self, first: tuple[str, str] = ("Editor", "editor")) -> None:
        self.first = first
        self.sink: Callable[[WindowChange], None] | None = None
        self.clock: SessionClock | None = None

    def make(self, clock: SessionClock, sink: Callable[[WindowChange], None]) -> Windows:
        self.clock, self.sink = clock, sink
        return self

    def start(self) -> None:
        self.focus(*self.first)

    def stop(self) -> None:
        pass

    def focus(self, title: str, app: str) -> None:
        assert self.sink and self.clock
        self.sink(WindowChange(self.clock.now(), title, app, hash(app) & 0xFFFF))


def with_windows(
    db: Database, screen: Screen, hands: Hands, windows: Windows, **kw: object
) -> Recorder:
    parts = RecorderParts(lambda: screen, lambda: INFO, hands.make, windows.make)
    return Recorder(db, blob_store_for(db), parts, fps=50, **kw)  # type: ignore[arg-type]


def settle() -> None:
    threading.Event().wait(0.15)


def type_text(hands: Hands, text: str) -> None:
    for ch in text:
        hands.send(EventKind.KEY_DOWN, key=ch, char=ch)
        hands.send(EventKind.KEY_UP, key=ch)


def test_secret_mode_stores_a_placeholder_and_never_the_keys(db: Database) -> None:
    changes: list[Privacy] = []
    screen, hands = Screen(), Hands()
    rec = recorder(db, screen, hands, on_privacy=changes.append)
    sid = rec.start()
    type_text(hands, "ok")
    hands.send(EventKind.KEY_DOWN, key="h", char="h", modifiers=frozenset({"ctrl", "alt"}))
    assert rec.secret and rec.privacy == Privacy(secret=True)
    type_text(hands, "zq9")
    screen.show(7)  # the field fills with dots: frames are kept
    settle()
    hands.send(EventKind.KEY_DOWN, key="Return")
    hands.send(EventKind.KEY_UP, key="Return")
    rec.set_secret(False)
    type_text(hands, "x")
    rec.stop()

    timeline = load_recording(db, sid)
    keys = [e.event.key for e in timeline.events if e.event.kind is EventKind.KEY_DOWN]
    assert keys == ["o", "k", "h", SECRET_PLACEHOLDER, "Return", "x"]
    assert not {"z", "q", "9"} & {e.event.key for e in timeline.events}
    assert [(m.kind, m.label) for m in timeline.markers] == [("secret", "on"), ("secret", "off")]
    assert [c.secret for c in changes] == [True, False]
    steps = [s.action.to_json() for s in stored_steps(db, sid)]
    assert {"type": "type", "text": SECRET_PLACEHOLDER} in steps
    assert {"type": "type", "text": "ok"} in steps
    assert not any("zq9" in str(s) for s in steps)
    assert len({f.blob for f in timeline.frames}) >= 2  # the dots were kept


def test_an_excluded_window_pauses_capture_and_leaves_a_gap(db: Database) -> None:
    changes: list[Privacy] = []
    screen, hands, windows = Screen(), Hands(), Windows()
    rec = with_windows(db, screen, hands, windows, on_privacy=changes.append)
    sid = rec.start()
    type_text(hands, "a")
    settle()
    windows.focus("Passwords.kdbx - KeePassXC", "KeePassXC")
    assert rec.privacy.excluded == "KeePassXC" and rec.state is State.RECORDING
    screen.show(99)  # the vault on screen
    settle()
    type_text(hands, "b")
    hands.send(EventKind.PRESS, x=3, y=3, button="left")
    rec.pause()
    rec.resume()  # a manual resume does not end the exclusion
    settle()
    windows.focus("Editor", "editor")
    screen.show(30)
    settle()
    type_text(hands, "c")
    rec.stop()

    timeline = load_recording(db, sid)
    assert [e.event.key for e in timeline.events if e.event.key] == ["a", "a", "c", "c"]
    assert not [e for e in timeline.events if e.event.kind is EventKind.PRESS]
    assert [(m.kind, m.label) for m in timeline.markers] == [
        ("pause", "excluded"),
        ("pause", ""),
        ("resume", ""),
        ("resume", "excluded"),
    ]
    assert [w.app for w in timeline.windows] == ["editor", "editor"]  # the vault's title is not
    reader = FrameReader(blob_store_for(db))
    with db.session() as s:
        shown = {int(reader.pixels(f.blob, s)[0, 0, 0]) for f in timeline.frames}
    assert 99 not in shown and 30 in shown
    assert [c.excluded for c in changes] == ["KeePassXC", ""]


def test_focus_on_an_excluded_window_at_start_means_no_first_frame(db: Database) -> None:
    screen, hands = Screen(), Hands()
    screen.show(99)
    windows = Windows(first=("Vault", "1Password"))
    rec = with_windows(db, screen, hands, windows, exclusions=Exclusions())
    sid = rec.start()
    type_text(hands, "p")
    rec.stop()
    timeline = load_recording(db, sid)
    assert timeline.frames == [] and timeline.events == []
    assert [(m.kind, m.label) for m in timeline.markers] == [("pause", "excluded")]


def test_redaction_at_capture_blurs_before_the_frame_is_stored(db: Database) -> None:
    class Striped(Screen):
        def __init__(self) -> None:
            super().__init__()
            image = np.zeros((8, 16, 4), np.uint8)
            image[:, ::2] = 255
            self.pixels = image.tobytes()

    screen, hands = Striped(), Hands()
    rule = Redaction("rect", rect=Rect(0, 0, 8, 8))
    rec = recorder(db, screen, hands, redact_at_capture=[rule])
    sid = rec.start()
    rec.stop()
    frames = load_recording(db, sid).frames
    assert frames
    with db.session() as s:
        image = FrameReader(blob_store_for(db)).pixels(frames[0].blob, s)
    left, right = image[:, :8, 0].astype(int), image[:, 8:, 0].astype(int)
    assert left.max() - left.min() < 40  # blurred
    assert sorted(set(right.flatten())) == [0, 255]  # untouched


def test_the_store_is_private(tmp_path: Path) -> None:
    root = tmp_path / "data" / "demotrace"
    db = open_database(sqlite_url(root / "store.db"))
    rec = recorder(db, Screen(), Hands())
    rec.start()
    rec.stop()
    made = [root, *root.rglob("*")]
    db.close()
    names = {p.name for p in made}
    assert {"store.db", "store.db-wal", "store.db-shm", "store.frames"} <= names
    assert any(p.parent.parent.name == "store.frames" for p in made)  # a frame blob
    for path in made:
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


class Scanner:
    """Stands in for the window scanner: reports a vault window at a fixed place."""

    def __init__(self, rect: Rect) -> None:
        self.rect = rect

    def make(
        self,
        wanted: Callable[[str, str], bool],
        sink: Callable[[list[ScreenWindow]], None],
    ) -> Scanner:
        self.wanted, self.sink = wanted, sink
        return self

    def start(self) -> None:
        vault = ScreenWindow(7, "Passwords", "KeePassXC", self.rect)
        other = ScreenWindow(8, "Editor", "editor", Rect(0, 0, 4, 4))
        self.sink([w for w in (vault, other) if self.wanted(w.title, w.app)])

    def stop(self) -> None:
        pass


def test_an_excluded_window_in_the_background_is_painted_out(db: Database) -> None:
    screen, hands, windows = Screen(), Hands(), Windows()
    screen.show(200)
    scanner = Scanner(Rect(8, 0, 8, 8))
    parts = RecorderParts(
        lambda: screen, lambda: INFO, hands.make, windows.make, window_scanner=scanner.make
    )
    rec = Recorder(db, blob_store_for(db), parts, fps=50)
    sid = rec.start()
    rec.stop()
    frames = load_recording(db, sid).frames
    assert frames
    with db.session() as s:
        image = FrameReader(blob_store_for(db)).pixels(frames[0].blob, s)
    assert set(image[:, :8, 0].flatten()) == {200}  # the editor, as it is
    assert set(image[:, 8:, 0].flatten()) == {128}  # the vault, painted grey
