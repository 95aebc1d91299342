"""Builds and runs the desktop app: the composition root for the GUI."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from capture.display import require_x_display
from capture.errors import DemotraceError

if TYPE_CHECKING:
    from capture.recorder import Recorder


def run_app(db_url: str | None) -> int:
    from desktop.qt_guard import keep_singletons_alive

    keep_singletons_alive()  # before any Qt object is made
    display = require_x_display(os.environ)
    if os.environ.get("DEMOTRACE_LOG") == "1":
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from desktop.applog import announce

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("demotrace")
    app.setOrganizationName("demotrace")
    # Something on screen at once; the store, the recorder's parts and the real
    # window (a second or more of imports on a busy machine) come after.
    opening = QLabel("Opening demotrace…")
    opening.setWindowTitle("demotrace")
    opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
    opening.resize(1280, 640)
    opening.show()
    app.processEvents()
    announce("visible")

    from desktop.compose import build_recorder, open_store, tune_allocator

    tune_allocator()
    settings = QSettings()

    from desktop.settings import AppSettings

    stored = AppSettings.load(settings)
    db = open_store(db_url or stored.store or None)

    from desktop.main_window import MainWindow

    def make_recorder(
        on_error: Callable[[DemotraceError], None],
        on_stop_request: Callable[[], None],
        on_mark: Callable[[], None],
    ) -> Recorder:
        return build_recorder(
            db,
            display,
            fps=window.settings.fps,
            rules=window.settings.rules,
            on_error=on_error,
            on_stop_request=on_stop_request,
            on_mark=on_mark,
        )

    window = MainWindow(db, make_recorder, settings)

    def capture_thread_died(hook: threading.ExceptHookArgs) -> None:
        # pynput's listeners die when the X server goes away: stop the recording cleanly.
        run = window.run
        if run is not None and run.recorder is not None:
            run.recorder.capture_failed(hook.exc_value or Exception())

    threading.excepthook = capture_thread_died

    def terminate(*_: object) -> None:
        # A signal handler runs between two Python bytecodes: leave the work to the loop.
        QTimer.singleShot(0, quit_cleanly)

    def quit_cleanly() -> None:
        window.shutdown()
        app.quit()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, terminate)
    # Qt's loop runs in C++: wake Python now and then so signal handlers run.
    wake = QTimer(interval=200)
    wake.timeout.connect(lambda: None)
    wake.start()
    from desktop.tray import tray_icon

    tray_icon(window, app)  # owned by the window
    window.setGeometry(opening.geometry())
    window.show()
    opening.close()
    app.processEvents()

    announce(
        "shown",
        {"record": window.record_button, "tasks": window.task_list},
        tasks=[
            {
                "instruction": t.instruction,
                "rect": _rect_of_row(window, row),
            }
            for row, t in enumerate(
                window.tasks.task_at(r) for r in range(window.tasks.rowCount() - 1)
            )
            if t is not None
        ],
    )
    try:
        return int(app.exec())
    finally:
        window.shutdown()
        db.close()


def _rect_of_row(window: object, row: int) -> list[int]:
    from desktop.applog import global_rect
    from desktop.main_window import MainWindow

    assert isinstance(window, MainWindow)
    view = window.task_list.viewport()
    return global_rect(view, window.task_list.visualRect(window.tasks.index(row)))
