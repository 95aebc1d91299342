"""The recorder's logic with fake screens and listeners over a real SQLite store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from capture.clock import SessionClock
from capture.errors import DiskFullError, SessionBusyError
from capture.events import EventKind, RawEvent, WindowChange
from capture.listener import InjectionLog
from capture.recorder import Recorder, RecorderParts, State
from capture.screen import Monitor, Rect, ScreenInfo
from capture.store.database import Database
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for, summarize


class Screen:
    def __init__(self) -> None:
        self.pixels = bytes(16 * 8 * 4)
        self.lock = threading.Lock()

    def show(self, value: int) -> None:
        with self.lock:
            self.pixels = bytes([value]) * (16 * 8 * 4)

    def grab(self) -> tuple[int, int, int, int, bytes]:
        with self.lock:
            return 0, 0, 16, 8, self.pixels

    def close(self) -> None:
        pass


class Hands:
    """Stands in for the pynput listeners: tests call ``send`` as if a person acted."""

    def __init__(self) -> None:
        self.sink: Callable[[RawEvent], None] | None = None
        self.clock: SessionClock | None = None
        self.injections: InjectionLog | None = None

    def make(
        self, clock: SessionClock, sink: Callable[[RawEvent], None], inj: InjectionLog
    ) -> Hands:
        self.clock, self.sink, self.injections = clock, sink, inj
        return self

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def send(self, kind: EventKind, **fields: object) -> None:
        assert self.sink and self.clock
        self.sink(RawEvent(self.clock.now(), kind, **fields))  # type: ignore[arg-type]


INFO = ScreenInfo(Rect(0, 0, 16, 8), (Monitor(0, 0, 16, 8, primary=True),))


def recorder(db: Database, screen: Screen, hands: Hands, **kw: object) -> Recorder:
    parts = RecorderParts(
        screen_source=lambda: screen,
        screen_info=lambda: INFO,
        listener=hands.make,
        window_watcher=None,
    )
    return Recorder(db, blob_store_for(db), parts, fps=50, **kw)  # type: ignore[arg-type]


def settle() -> None:
    threading.Event().wait(0.12)


def test_events_get_the_frame_that_was_on_screen_before_them(db: Database) -> None:
    screen, hands = Screen(), Hands()
    rec = recorder(db, screen, hands)
    sid = rec.start(task="demo")
    settle()
    hands.send(EventKind.PRESS, x=1, y=2, button="left")
    hands.send(EventKind.RELEASE, x=1, y=2, button="left")
    screen.show(200)
    settle()
    hands.send(EventKind.KEY_DOWN, key="a", char="a")
    hands.send(EventKind.KEY_UP, key="a")
    rec.stop()

    timeline = load_recording(db, sid)
    kinds = [e.event.kind for e in timeline.events]
    assert kinds == [EventKind.PRESS, EventKind.RELEASE, EventKind.KEY_DOWN, EventKind.KEY_UP]
    frames = {f.id: f for f in timeline.frames}
    press, _, key, _ = timeline.events
    assert press.frame_id is not None and key.frame_id is not None
    assert frames[press.frame_id].reason == "start"  # same content as the first grab
    assert frames[key.frame_id].blob != frames[press.frame_id].blob
    assert timeline.events[1].frame_id is None  # releases don't need one
    assert 0 < (key.frame_age_ns or 0) < 100_000_000
    summary = summarize(db, sid)
    assert summary.status == "finished" and summary.task == "demo"
    assert summary.duration_s > 0.2


def test_paused_recorder_drops_input_and_marks_the_pause(db: Database) -> None:
    screen, hands = Screen(), Hands()
    rec = recorder(db, screen, hands)
    sid = rec.start()
    hands.send(EventKind.KEY_DOWN, key="a", char="a")
    rec.pause()
    assert rec.state is State.PAUSED
    hands.send(EventKind.KEY_DOWN, key="b", char="b")
    rec.resume()
    rec.mark("chose the search box")
    hands.send(EventKind.KEY_DOWN, key="c", char="c")
    rec.stop()
    timeline = load_recording(db, sid)
    assert [e.event.key for e in timeline.events] == ["a", "c"]
    assert [(m.kind, m.label) for m in timeline.markers] == [
        ("pause", ""),
        ("resume", ""),
        ("mark", "chose the search box"),
    ]


def test_events_inside_an_injection_span_are_synthetic(db: Database) -> None:
    """The recorder hands its injection log to the listener, which marks input inside it."""
    from capture.listener import INJECTION_GRACE_S, InputListener

    made: list[InputListener] = []

    def listener(clock: SessionClock, sink: Callable[[RawEvent], None], inj: InjectionLog) -> Hands:
        made.append(InputListener(clock, sink, inj))
        return Hands()

    parts = RecorderParts(lambda: Screen(), lambda: INFO, listener, None)
    rec = Recorder(db, blob_store_for(db), parts, fps=50)
    sid = rec.start()
    [real] = made
    real._on_click(1, 1, "left", True)
    with rec.injections.injecting():
        real._on_click(2, 2, "left", True)
        real._on_scroll(2, 2, 0, 1)
    real._on_click(2, 2, "left", False)  # the injected release, heard a moment late
    time.sleep(INJECTION_GRACE_S + 0.05)
    real._on_click(3, 3, "left", True)
    settle()
    rec.stop()
    events = [e.event for e in load_recording(db, sid).events]
    assert [(e.x, e.synthetic) for e in events] == [
        (1, False), (2, True), (2, True), (2, True), (3, False)
    ]  # fmt: skip


def test_a_live_lease_refuses_a_second_recorder(db: Database) -> None:
    first = recorder(db, Screen(), Hands())
    sid = first.start()
    second = recorder(db, Screen(), Hands())
    with pytest.raises(SessionBusyError, match="is being recorded by"):
        second.start(session_id=sid)
    first.stop()


class FullDisk:
    """A blob store whose disk is full."""

    def has(self, digest: str, session: object) -> bool:
        return False

    def put(self, digest: str, data: bytes, session: object) -> None:
        import errno

        raise OSError(errno.ENOSPC, "No space left on device")

    def get(self, digest: str, session: object) -> bytes:
        raise AssertionError("nothing was stored")

    def size_bytes(self) -> int:
        return 0


def test_full_disk_stops_the_recording_and_says_so(db: Database) -> None:
    hands = Hands()
    errors = []
    parts = RecorderParts(lambda: Screen(), lambda: INFO, hands.make, None)
    rec = Recorder(db, FullDisk(), parts, fps=50, on_error=errors.append)
    sid = rec.start()
    assert rec.failed.wait(2)
    rec.stop()
    assert isinstance(rec.error, DiskFullError) and errors == [rec.error]
    summary = summarize(db, sid, with_sizes=False)
    assert summary.status == "interrupted" and summary.stop_reason.startswith("disk full")


def test_window_changes_are_stored(db: Database) -> None:
    hands = Hands()

    class Watcher:
        def __init__(self, clock: SessionClock, sink: Callable[[WindowChange], None]) -> None:
            self.clock, self.sink = clock, sink

        def start(self) -> None:
            self.sink(WindowChange(self.clock.now(), "Invoice - Editor", "editor", 42))

        def stop(self) -> None:
            pass

    parts = RecorderParts(lambda: Screen(), lambda: INFO, hands.make, Watcher)
    rec = Recorder(db, blob_store_for(db), parts, fps=50)
    sid = rec.start()
    rec.stop()
    assert [(w.title, w.app, w.window_id) for w in load_recording(db, sid).windows] == [
        ("Invoice - Editor", "editor", 42)
    ]


def test_session_file_layout(tmp_path: Path, db: Database) -> None:
    rec = recorder(db, Screen(), Hands())
    rec.start()
    rec.stop()
    assert (tmp_path / "store.frames").is_dir()


def test_steps_are_cut_live_and_stored_when_the_recording_stops(db: Database) -> None:
    from capture.store.steps import computed_steps, stored_steps

    screen, hands = Screen(), Hands()
    live: list[object] = []
    rec = recorder(db, screen, hands, on_steps=live.extend)
    sid = rec.start()
    hands.send(EventKind.PRESS, x=5, y=5, button="left")
    hands.send(EventKind.RELEASE, x=5, y=5, button="left")
    screen.show(90)
    threading.Event().wait(0.8)
    for key, char in (("h", "h"), ("i", "i"), ("Return", None)):
        hands.send(EventKind.KEY_DOWN, key=key, char=char)
        hands.send(EventKind.KEY_UP, key=key)
    # A step is final once what follows it has begun and ended (Return ends the
    # typing), the screen settled, and the writer's half-second hold-back passed.
    threading.Event().wait(1.5)
    assert [s.action.type for s in rec.live_steps] == ["click", "type"]
    rec.stop()

    steps = stored_steps(db, sid)
    assert [s.action.to_json() for s in steps] == [
        {"type": "click", "x": 5, "y": 5, "button": "left", "modifiers": []},
        {"type": "type", "text": "hi"},
        {"type": "key", "keys": ["Return"], "repeat": 1},
    ]
    assert steps == computed_steps(load_recording(db, sid))
    assert [s.action.type for s in live] == ["click", "type"]
    assert steps[0].before_frame is not None and steps[0].after_frame is not None
    assert steps[0].decision_point and steps[0].decision_reason == "first"


def test_control_hotkeys_stop_pause_and_mark(db: Database) -> None:
    stops: list[bool] = []
    screen, hands = Screen(), Hands()
    rec = recorder(db, screen, hands, on_stop_request=lambda: stops.append(True))
    sid = rec.start()

    def chord(key: str) -> None:
        hands.send(EventKind.KEY_DOWN, key=key, char=key, modifiers=frozenset({"ctrl", "alt"}))

    chord("m")
    chord("p")
    assert rec.state is State.PAUSED
    hands.send(EventKind.KEY_DOWN, key="x", char="x")  # dropped while paused
    chord("p")
    assert rec.state is State.RECORDING
    chord("s")
    assert stops == [True]
    rec.stop()
    timeline = load_recording(db, sid)
    assert [m.kind for m in timeline.markers] == ["mark", "pause", "resume"]
    assert "x" not in [e.event.key for e in timeline.events]


def test_a_recorder_whose_session_was_taken_over_stops_writing(db: Database) -> None:
    from sqlalchemy import update

    from capture.store.models import SessionRow

    hands = Hands()
    rec = recorder(db, Screen(), hands)
    sid = rec.start()
    with db.session() as s:
        s.execute(update(SessionRow).values(lease_owner="elsewhere:1:abc"))
        s.commit()
    hands.send(EventKind.KEY_DOWN, key="a", char="a")
    assert rec.failed.wait(2)
    rec.stop()
    assert isinstance(rec.error, SessionBusyError)
    assert "taken over by another recorder" in str(rec.error)
    assert load_recording(db, sid).events == []
    with db.session() as s:
        row = s.get(SessionRow, sid)
        assert row is not None and row.lease_owner == "elsewhere:1:abc"  # left to its new holder
        assert row.status == "recording"
