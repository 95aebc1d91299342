"""The composition root: the one place that builds stores, recorders and the app's parts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence

from capture.accessibility.atspi import AtspiElements, atspi_bus_address
from capture.clock import SessionClock
from capture.damage import DamageUnsupported, DamageWatch
from capture.errors import DemotraceError, SchemaOutdatedError
from capture.events import RawEvent, WindowChange
from capture.grabber import DEFAULT_FPS, MssScreen, check_fps
from capture.listener import InjectionLog, InputListener
from capture.privacy.exclusions import Exclusions
from capture.privacy.guard import Privacy
from capture.privacy.redact import Redaction
from capture.recorder import Recorder, RecorderParts
from capture.recording_rules import RecordingRules
from capture.screen import read_screen
from capture.screen_windows import ScreenWindow, WindowScanner, X11TopWindows
from capture.segment import Step
from capture.store.database import (
    Database,
    open_database,
    sqlite_url,
    store_url,
)
from capture.store.paths import default_store_path
from capture.store.sessions import blob_store_for
from capture.targets import TargetLookup
from capture.window import WindowWatcher, X11ActiveWindow, X11Windows
from capture.writer import ObservedEvent
from desktop.qt_guard import keep_singletons_alive as keep_singletons_alive


def tune_allocator() -> None:
    """One malloc arena for the whole process (glibc).

    Each grab allocates a frame-sized buffer on the grabber thread and frees
    it on another. With an arena per thread, every arena keeps a few freed
    frames around and resident memory creeps up by tens of MB; one arena
    reuses the same memory for the next frame. (Handing every frame back to
    the OS instead, with a low mmap threshold, costs more CPU in page faults.)
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        m_arena_max = -8
        ctypes.CDLL(name).mallopt(m_arena_max, 1)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def default_db_url(env: Mapping[str, str]) -> str:
    """``$DEMOTRACE_DB``, else ``demotrace.db`` in the user's data directory."""
    if env.get("DEMOTRACE_DB"):
        return store_url(env["DEMOTRACE_DB"])
    return sqlite_url(default_store_path())


def open_store(
    url: str | None, env: Mapping[str, str] | None = None, *, readonly: bool = False
) -> Database:
    """The store at ``url`` (a URL or a SQLite file path), else the default one.

    ``readonly``: for commands that only read; they never create a store, and
    write only to upgrade an older one they are allowed to write.
    """
    env = os.environ if env is None else env
    target = store_url(url) if url else default_db_url(env)
    if not readonly:
        return open_database(target)
    try:
        return open_database(target, readonly=True)
    except SchemaOutdatedError:
        return open_database(target)


def x11_parts(display_name: str) -> RecorderParts:
    def listener(
        clock: SessionClock, sink: Callable[[RawEvent], None], injections: InjectionLog
    ) -> InputListener:
        return InputListener(clock, sink, injections)

    def watcher(clock: SessionClock, sink: Callable[[WindowChange], None]) -> WindowWatcher:
        return WindowWatcher(lambda: X11ActiveWindow(display_name), clock, sink)

    def targets(
        sink: Callable[[ObservedEvent], None], on_password: Callable[[bool], None]
    ) -> TargetLookup:
        session_bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")

        def elements(windows: X11Windows) -> AtspiElements:
            found = AtspiElements(
                lambda: atspi_bus_address(windows.display, session_bus), on_password
            )
            found.connect()  # from the start: focus changes are announced, never asked for
            return found

        return TargetLookup(lambda: X11Windows(display_name), elements, sink, on_password)

    def scanner(
        wanted: Callable[[str, str], bool], sink: Callable[[list[ScreenWindow]], None]
    ) -> WindowScanner:
        return WindowScanner(lambda: X11TopWindows(display_name), wanted, sink)

    def damage() -> DamageWatch | None:
        try:
            return DamageWatch(display_name)
        except DamageUnsupported:
            return None  # grab every tick instead

    return RecorderParts(
        screen_source=lambda: MssScreen(display_name),
        screen_info=lambda: read_screen(display_name),
        listener=listener,
        window_watcher=watcher,
        window_scanner=scanner,
        draw_hint=damage,
        targets=targets,
    )


def build_recorder(
    db: Database,
    display_name: str,
    fps: float = DEFAULT_FPS,
    on_error: Callable[[DemotraceError], None] | None = None,
    on_stop_request: Callable[[], None] | None = None,
    on_steps: Callable[[list[Step]], None] | None = None,
    on_mark: Callable[[], None] | None = None,
    exclusions: Exclusions | None = None,
    redact_at_capture: Sequence[Redaction] = (),
    on_privacy: Callable[[Privacy], None] | None = None,
    rules: RecordingRules | None = None,
) -> Recorder:
    return Recorder(
        db,
        blob_store_for(db),
        x11_parts(display_name),
        fps=check_fps(fps),
        on_error=on_error,
        on_stop_request=on_stop_request,
        on_steps=on_steps,
        on_mark=on_mark,
        exclusions=exclusions,
        redact_at_capture=redact_at_capture,
        on_privacy=on_privacy,
        rules=rules,
    )
