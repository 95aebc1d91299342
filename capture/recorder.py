"""The recorder: one session's grabber, listeners and writer, started and stopped together."""

from __future__ import annotations

import contextlib
import getpass
import os
import platform
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from capture.clock import SessionClock
from capture.errors import DemotraceError
from capture.events import ACTION_STARTS, Marker, RawEvent, WindowChange
from capture.grabber import (
    DEFAULT_FPS,
    DrawHint,
    FrameRing,
    ScreenChange,
    ScreenGrabber,
    ScreenSource,
)
from capture.hotkeys import Hotkeys
from capture.listener import InjectionLog
from capture.live_steps import LiveSteps
from capture.own_windows import OwnWindows
from capture.privacy.exclusions import Exclusions
from capture.privacy.guard import EXCLUDED_LABEL, Privacy, PrivacyGuard
from capture.privacy.redact import Redaction
from capture.recording_rules import RecordingRules
from capture.screen import Rect, ScreenInfo
from capture.screen_windows import ScreenWindow
from capture.segment import SegmentationRules, Step
from capture.segment.settle import Settling
from capture.store.blobs import BlobStore
from capture.store.database import Database
from capture.store.lease import new_owner
from capture.store.recording_sessions import (
    NewSession,
    close_session,
    continue_session,
    create_session,
    segmentation_rules,
)
from capture.store.steps import resegment
from capture.store.usage import StoreUsage, store_usage
from capture.version import app_version
from capture.writer import ObservedEvent, Snapshot, StoreWriter

FIRST_WINDOW_WAIT_S = 0.5  # at most this long for the active window before the first frame


class State(StrEnum):
    IDLE = "idle"
    RECORDING = "recording"
    PAUSED = "paused"
    STOPPED = "stopped"


class Listener(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


class Watcher(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


class Targets(Protocol):
    """Looks up where presses and key-downs landed, then hands events to the writer in order."""

    def put(self, item: ObservedEvent) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class RecorderParts:
    """How to make the live parts of a recording; the composition root supplies them."""

    screen_source: Callable[[], ScreenSource]
    screen_info: Callable[[], ScreenInfo]
    listener: Callable[[SessionClock, Callable[[RawEvent], None], InjectionLog], Listener]
    window_watcher: Callable[[SessionClock, Callable[[WindowChange], None]], Watcher] | None
    draw_hint: Callable[[], DrawHint | None] | None = None
    # Reports where excluded (and redacted) windows are on screen, focused or not.
    window_scanner: (
        Callable[[Callable[[str, str], bool], Callable[[list[ScreenWindow]], None]], Watcher] | None
    ) = None
    # (writer's put, password-field signal) -> the target lookup; None: no lookups.
    targets: Callable[[Callable[[ObservedEvent], None], Callable[[bool], None]], Targets] | None = (
        None
    )


def new_session_id() -> str:
    return uuid.uuid4().hex


class Recorder:
    """start / pause / resume / mark / secret mode / stop for one session.

    Thread-safe for the control calls; callbacks from capture threads only
    enqueue. ``on_error`` is called (from a capture or writer thread) when the
    recording had to stop on its own, e.g. a full disk. ``on_privacy`` is
    called (from a capture thread) whenever secret mode or the excluded-window
    pause changes, e.g. by a hotkey or a focus change.
    """

    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        parts: RecorderParts,
        fps: float = DEFAULT_FPS,
        ring_size: int = 2,
        on_error: Callable[[DemotraceError], None] | None = None,
        clock_factory: Callable[[], SessionClock] = SessionClock.start,
        on_steps: Callable[[list[Step]], None] | None = None,
        on_stop_request: Callable[[], None] | None = None,
        rules: RecordingRules | None = None,
        on_mark: Callable[[], None] | None = None,
        exclusions: Exclusions | None = None,
        redact_at_capture: Sequence[Redaction] = (),
        on_privacy: Callable[[Privacy], None] | None = None,
    ) -> None:
        self._db = db
        self._blobs = blobs
        self._parts = parts
        self._fps = fps
        self._ring = FrameRing(ring_size)
        self._on_error_cb = on_error
        self._clock_factory = clock_factory
        self._on_steps = on_steps
        self._on_stop_request = on_stop_request
        self._on_mark = on_mark
        # The hotkeys and decision thresholds this recording follows; stored with its session.
        self.rules = rules or RecordingRules()
        self._hotkeys = Hotkeys(self.rules.hotkeys)
        self._guard = PrivacyGuard(exclusions, redact_at_capture)
        self._on_privacy = on_privacy
        self._lock = threading.Lock()
        self._live: LiveSteps | None = None
        self.own_windows = OwnWindows()
        self._owner = ""
        self._state = State.IDLE
        self._injections = InjectionLog()
        self.session_id = ""
        self.error: DemotraceError | None = None
        self.failed = threading.Event()
        self._grabber: ScreenGrabber | None = None
        self._writer: StoreWriter | None = None
        self._listener: Listener | None = None
        self._watcher: Watcher | None = None
        self._targets: Targets | None = None
        self._scanner: Watcher | None = None
        self._clock: SessionClock | None = None
        # The keyboard is in a password field (seen by the target lookup).
        self.in_password_field = threading.Event()
        self._secret_for_password = False  # secret mode is on because of a password field

    @property
    def state(self) -> State:
        return self._state

    @property
    def injections(self) -> InjectionLog:
        return self._injections

    def start(
        self, task: str = "", session_id: str | None = None, task_id: str | None = None
    ) -> str:
        """Begin a new session (filed under ``task_id``), or continue ``session_id``."""
        with self._lock:
            if self._state is not State.IDLE:
                raise RuntimeError("a recorder records one session once")
            owner = self._owner = new_owner()
            continuing = session_id is not None
            if session_id is None:
                screen = self._parts.screen_info()
                clock = self._clock_factory()
                session_id = new_session_id()
                self._create_session(session_id, task, screen, clock, owner, task_id)
                first_seq = 0
            else:
                clock, first_seq = self._take_over(session_id, owner)
            self.session_id = session_id
            self._clock = clock
            rules = self._rules()
            self._live = LiveSteps(session_id, rules, clock.now, on_steps=self._on_steps)
            self._writer = StoreWriter(
                self._db,
                self._blobs,
                session_id,
                owner,
                self._fail,
                first_seq=first_seq,
                settling=Settling.from_rules(rules),
                live=self._live if not continuing else None,
                now=clock.now,
            )
            if self._parts.targets is not None:
                self._targets = self._parts.targets(self._writer.put, self._password_field)
                self._targets.start()
            # Listeners and the window watcher first: their start-up (imports, X
            # connections) must not delay the grabber's first ticks.
            self._listener = self._parts.listener(clock, self._on_event, self._injections)
            self._listener.start()
            if self._parts.window_watcher is not None:
                self._watcher = self._parts.window_watcher(clock, self._on_window)
            guard = self._guard
            if self._parts.window_scanner is not None:
                self._scanner = self._parts.window_scanner(guard.wants, guard.screen_windows)
            self._grabber = ScreenGrabber(
                self._parts.screen_source(),
                clock,
                self._ring,
                self._on_screen_change,
                fps=self._fps,
                on_error=self._grabber_failed,
                hint=self._parts.draw_hint() if self._parts.draw_hint else None,
                masks=self._masks,
                redact=guard.redact if guard.redactions else None,
            )
            self._writer.start()
            for watcher in (self._watcher, self._scanner):
                if watcher is not None:
                    watcher.start()
            if guard.needs_window:
                # No first frame before it is known what on screen may be seen.
                if self._watcher is not None:
                    guard.window_known.wait(FIRST_WINDOW_WAIT_S)
                if self._scanner is not None:
                    guard.screen_known.wait(FIRST_WINDOW_WAIT_S)
            self._grabber.start(paused=guard.excluded)
            first = self._ring.latest()
            if first is not None:
                self._writer.put(Snapshot(first, "start"))
            if continuing:
                self._writer.put(Marker(clock.now(), "resume", "continued"))
            self._state = State.RECORDING
            return session_id

    def pause(self) -> None:
        with self._lock:
            if self._state is State.RECORDING:
                assert self._grabber and self._writer and self._clock
                self._grabber.pause()
                self._state = State.PAUSED
                self._writer.put(Marker(self._clock.now(), "pause"))

    def resume(self) -> None:
        with self._lock:
            if self._state is State.PAUSED:
                assert self._grabber and self._writer and self._clock
                self._writer.put(Marker(self._clock.now(), "resume"))
                if not self._guard.excluded:
                    self._grabber.grab_once()
                    self._grabber.resume()
                self._state = State.RECORDING

    def mark(self, label: str = "") -> None:
        """Flag a decision point: the next action is one the person chose deliberately."""
        with self._lock:
            if self._state in (State.RECORDING, State.PAUSED):
                assert self._writer and self._clock
                self._writer.put(Marker(self._clock.now(), "mark", label))

    def note(self, text: str) -> None:
        """The person's own words, typed while recording; they attach to the next step."""
        with self._lock:
            if text.strip() and self._state in (State.RECORDING, State.PAUSED):
                assert self._writer and self._clock
                self._writer.put(Marker(self._clock.now(), "note", text.strip()))

    def set_secret(self, on: bool) -> None:
        """Secret mode on or off: while on, typing is stored only as a placeholder."""
        with self._lock:
            changed = self._guard.secret.set(on)
            if changed and self._writer is not None and self._clock is not None:
                self._writer.put(Marker(self._clock.now(), "secret", "on" if on else "off"))
        if changed:
            self._notify_privacy()

    @property
    def secret(self) -> bool:
        return self._guard.secret.on

    def store_usage(self) -> StoreUsage:
        """How much room the store takes now, and what is left on its disk."""
        return store_usage(self._db, self._blobs)

    @property
    def privacy(self) -> Privacy:
        """Secret mode, and the excluded window pausing capture, as of now."""
        return self._guard.state

    def stop(self) -> None:
        """Stop capturing, write everything queued, and close the session."""
        with self._lock:
            if self._state in (State.IDLE, State.STOPPED):
                return
            self._state = State.STOPPED
        for part in (self._listener, self._watcher, self._scanner, self._targets):
            if part is not None:
                part.stop()
        assert self._grabber and self._writer
        self._grabber.stop()
        last = self._ring.latest()
        if last is not None and self.error is None:
            self._writer.put(Snapshot(last, "end"))
        self._writer.stop()
        error = self.error or self._writer.error
        if error is None:
            try:
                resegment(self._db, self.session_id)
            except Exception as exc:  # noqa: BLE001 - the raw recording is safe; steps can be redone
                self._fail(DemotraceError(f"could not cut the recording into steps: {exc}"))
                error = self.error
        status = "interrupted" if error else "finished"
        assert self._clock is not None
        self._close_session(status, str(error) if error else "", self._clock.now())

    def now_ns(self) -> int:
        """The session clock, on which events and steps are timed."""
        assert self._clock is not None, "the recorder has not started"
        return self._clock.now()

    @property
    def live_cpu_s(self) -> float:
        """CPU time the live segmenter has used so far."""
        return self._live.cpu_s if self._live is not None else 0.0

    @property
    def live_steps(self) -> list[Step]:
        """Steps the live segmenter has finalized so far."""
        return list(self._live.steps) if self._live is not None else []

    def _rules(self) -> SegmentationRules:
        return segmentation_rules(self._db, self.session_id)

    def _on_event(self, event: RawEvent) -> None:
        command = None
        if self._state in (State.RECORDING, State.PAUSED):
            command = self._hotkeys.command(event)
            if command is not None:
                self._run_hotkey(command)
        if self._state is not State.RECORDING or self._writer is None:
            return
        if self.own_windows.drops(event):
            return
        if self._guard.excluded:
            return
        if command is None:  # a control hotkey is never secret, and never a step
            admitted = self._guard.admit(event)
            if admitted is None:
                return
            event = admitted
        put = self._targets.put if self._targets is not None else self._writer.put
        if event.kind in ACTION_STARTS:
            found = self._ring.before(event.t_ns)
            if found is not None:
                put(ObservedEvent(event, found[0], found[1]))
                return
        put(ObservedEvent(event))

    def _password_field(self, on: bool) -> None:
        """The keyboard went into or out of a password field: secret mode follows it,
        unless the person had turned it on themselves (then it stays theirs)."""
        # Called on the target lookup's or the accessibility focus watch's thread.
        if on:
            self.in_password_field.set()
            if not self.secret:
                self._secret_for_password = True
                self.set_secret(True)
        else:
            self.in_password_field.clear()
            if self._secret_for_password:
                self._secret_for_password = False
                self.set_secret(False)

    def _run_hotkey(self, command: str) -> None:
        # Called on a listener thread: never join threads from here.
        if command == "stop":
            if self._on_stop_request is not None:
                self._on_stop_request()
        elif command == "pause":
            if self._state is State.PAUSED:
                self.resume()
            else:
                self.pause()
        elif command == "mark":
            self.mark("hotkey")
            if self._on_mark is not None:
                self._on_mark()
        elif command == "secret":
            self.set_secret(not self.secret)

    def _on_window(self, change: WindowChange) -> None:
        """The active window changed (watcher thread): pause capture while an excluded
        window has the focus, and keep the change unless it names that window."""
        verdict = self._guard.window(change)
        writer, grabber = self._writer, self._grabber
        if writer is None:
            return
        if verdict.entered:
            if grabber is not None:
                grabber.pause()
            writer.put(Marker(change.t_ns, "pause", EXCLUDED_LABEL))
        elif verdict.left:
            writer.put(Marker(change.t_ns, "resume", EXCLUDED_LABEL))
            if grabber is not None and self._state is not State.PAUSED:
                grabber.grab_once()
                grabber.resume()
        if verdict.store:
            writer.put(change)
        if verdict.entered or verdict.left:
            self._notify_privacy()

    def _masks(self) -> tuple[Rect, ...]:
        """Painted grey in every grab: the app's own windows and excluded windows on screen."""
        hidden = self._guard.hidden()
        own = self.own_windows.rects()
        return own + hidden if hidden else own

    def _notify_privacy(self) -> None:
        if self._on_privacy is not None:
            self._on_privacy(self._guard.state)

    def _on_screen_change(self, change: ScreenChange) -> None:
        if self._writer is not None:
            self._writer.put(change)

    def _grabber_failed(self, exc: BaseException) -> None:
        self._fail(DemotraceError(f"screen capture failed: {_first_line(exc)}; recording stopped"))

    def capture_failed(self, exc: BaseException) -> None:
        """A capture thread (e.g. a listener) died: stop, keeping what was recorded."""
        self._fail(DemotraceError(f"input capture failed: {_first_line(exc)}; recording stopped"))

    def _fail(self, error: DemotraceError) -> None:
        if self.error is None:
            self.error = error
        self.failed.set()
        if self._on_error_cb is not None:
            self._on_error_cb(error)

    def _create_session(
        self,
        session_id: str,
        task: str,
        screen: ScreenInfo,
        clock: SessionClock,
        owner: str,
        task_id: str | None,
    ) -> None:
        create_session(
            self._db,
            NewSession(
                id=session_id,
                task=task,
                task_id=task_id,
                wall_start_ns=clock.wall_start_ns,
                platform=f"{platform.system()} {platform.release()} ({_display_server()})",
                app_version=app_version(),
                hostname=socket.gethostname(),
                username=_username(),
                screen=screen.to_json(),
                scale=screen.scale,
                double_click_ms=screen.double_click_ms,
                double_click_px=screen.double_click_px,
                fps=self._fps,
                rules=self.rules,
                owner=owner,
            ),
        )

    def _take_over(self, session_id: str, owner: str) -> tuple[SessionClock, int]:
        """Claim an existing session for this recorder; refuse if a live recorder holds it."""
        held = continue_session(self._db, session_id, owner)
        # Continue the session's own timeline one second after what it holds.
        base = self._clock_factory()
        clock = SessionClock(
            origin_ns=base.origin_ns - (held.duration_ns + 1_000_000_000),
            wall_start_ns=held.wall_start_ns,
            _monotonic=base._monotonic,
        )
        return clock, held.next_seq

    def _close_session(self, status: str, reason: str, duration_ns: int) -> None:
        # A full disk may refuse even this; what was recorded is safe all the same.
        with contextlib.suppress(Exception):
            close_session(self._db, self.session_id, self._owner, status, reason, duration_ns)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _display_server() -> str:
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "x11" if os.environ.get("DISPLAY") else "unknown"


def _username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
