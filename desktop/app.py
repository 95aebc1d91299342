"""Builds and runs the desktop app: the composition root for the GUI."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

from capture.display import require_x_display
from capture.errors import DemotraceError
from capture.recorder import Recorder
from capture.segment import Step
from capture.store.sessions import list_sessions
from desktop.compose import build_recorder, keep_singletons_alive, open_store, tune_allocator


def run_app(db_url: str | None) -> int:
    tune_allocator()
    keep_singletons_alive()
    display = require_x_display(os.environ)
    db = open_store(db_url)

    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.session_model import SessionTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("demotrace")

    def make_recorder(
        on_error: Callable[[DemotraceError], None],
        on_stop_request: Callable[[], None],
        on_steps: Callable[[list[Step]], None],
    ) -> Recorder:
        return build_recorder(
            db,
            display,
            on_error=on_error,
            on_stop_request=on_stop_request,
            on_steps=on_steps,
        )

    window = MainWindow(SessionTableModel(lambda: list_sessions(db)), make_recorder, db.url)

    def capture_thread_died(hook: threading.ExceptHookArgs) -> None:
        # pynput's listeners die when the X server goes away: stop the recording cleanly.
        if window.recorder is not None:
            window.recorder.capture_failed(hook.exc_value or Exception())

    threading.excepthook = capture_thread_died
    window.show()
    try:
        return int(app.exec())
    finally:
        db.close()
