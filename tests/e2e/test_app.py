"""The desktop app on a real X server: record from the main window while xdotool acts."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from capture.errors import DemotraceError
from capture.events import EventKind
from capture.recorder import Recorder, State
from capture.segment import Step
from capture.store.database import Database, open_database, sqlite_url
from capture.store.frames import FrameReader
from capture.store.recording import load_recording
from capture.store.sessions import blob_store_for, list_sessions
from desktop.compose import build_recorder
from desktop.main_window import MainWindow, RecorderFactory
from desktop.session_model import SessionTableModel
from tests.xsession import XServer


@pytest.fixture
def on_display(xserver: XServer, monkeypatch: pytest.MonkeyPatch) -> XServer:
    """Point Qt (pytest-qt's QApplication) and the recorder at the test X server."""
    monkeypatch.setenv("DISPLAY", xserver.display)
    return xserver


def recorder_factory(store: Database, x: XServer) -> RecorderFactory:
    def make(
        on_error: Callable[[DemotraceError], None],
        on_stop_request: Callable[[], None],
        on_steps: Callable[[list[Step]], None],
    ) -> Recorder:
        return build_recorder(store, x.display, 10, on_error, on_stop_request, on_steps)

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_database(sqlite_url(tmp_path / "app.db"))
    yield db
    db.close()


def test_record_pause_mark_and_stop_from_the_window(
    on_display: XServer, store: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    assert os.environ["QT_QPA_PLATFORM"] == "xcb"
    model = SessionTableModel(lambda: list_sessions(store))
    window = MainWindow(model, recorder_factory(store, on_display), store.url)
    qtbot.addWidget(window)
    window.move(1000, 100)
    window.show()
    qtbot.waitExposed(window)
    assert model.rowCount() == 0
    assert not window.stop_button.isEnabled()

    window.task.setText("click twice")
    window.record_button.click()
    assert window.recorder is not None and window.recorder.state is State.RECORDING
    assert not window.record_button.isEnabled() and window.stop_button.isEnabled()
    on_display.xdotool("mousemove", "300", "300", "click", "1")
    qtbot.wait(300)
    window.pause_button.click()
    assert window.pause_button.text() == "Resume"
    on_display.xdotool("mousemove", "310", "310", "click", "1")  # not recorded
    qtbot.wait(300)
    window.pause_button.click()
    # A real click on the window's own Mark button: it marks, and is not a step.
    mark = window.mark_button
    at = mark.mapToGlobal(mark.rect().center())
    on_display.xdotool("mousemove", str(at.x()), str(at.y()), "click", "1")
    qtbot.waitUntil(
        lambda: window.recorder is not None and window.recorder.state is State.RECORDING
    )
    qtbot.wait(200)
    on_display.xdotool("mousemove", "320", "320", "click", "1")
    qtbot.wait(300)
    session_id = window.recorder.session_id
    assert "steps so far" in window.state_label.text()
    on_display.xdotool("key", "ctrl+alt+h")  # secret mode, from anywhere: the window says so
    qtbot.waitUntil(lambda: "secret mode:" in window.state_label.text(), timeout=2000)
    if os.environ.get("DEMOTRACE_SCREENSHOTS"):
        window.grab().save(str(Path(os.environ["DEMOTRACE_SCREENSHOTS"]) / "secret-mode.png"))
    on_display.xdotool("key", "ctrl+alt+h")
    qtbot.waitUntil(lambda: "secret mode:" not in window.state_label.text(), timeout=2000)
    on_display.xdotool("key", "ctrl+alt+s")  # the stop hotkey, pressed anywhere
    qtbot.waitUntil(lambda: window.recorder is None, timeout=5000)

    assert window.record_button.isEnabled()
    assert model.rowCount() == 1
    assert model.session_at(0).id == session_id
    assert model.data(model.index(0, 1)) == "click twice"
    timeline = load_recording(store, session_id)
    presses = [e for e in timeline.events if e.event.kind is EventKind.PRESS]
    assert [(p.event.x, p.event.y) for p in presses] == [(300, 300), (320, 320)]
    # The app's own window is painted out of what was recorded.
    frame = next(f for f in timeline.frames if f.id == presses[-1].frame_id)
    g = window.frameGeometry()
    with store.session() as s:
        rgb = FrameReader(blob_store_for(store)).rgb(frame.blob, s)
    assert [int(v) for v in rgb[g.center().y(), g.center().x()]] == [128, 128, 128]
    assert [int(v) for v in rgb[300, 300]] != [128, 128, 128]
    assert [m.kind for m in timeline.markers] == ["pause", "resume", "mark", "secret", "secret"]


def test_screenshot_of_the_main_window(
    on_display: XServer, store: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    """The window really paints; DEMOTRACE_SCREENSHOTS=DIR keeps the picture there."""
    model = SessionTableModel(lambda: list_sessions(store))
    window = MainWindow(model, recorder_factory(store, on_display), store.url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shots = Path(os.environ.get("DEMOTRACE_SCREENSHOTS", tmp_path))
    window.task.setText("Export the Q3 report as PDF")
    window.record_button.click()
    time.sleep(0.3)
    qtbot.wait(100)
    recording = window.grab()
    assert recording.save(str(shots / "main-window-recording.png"))
    # What is drawn, not only how big: text where the enabled widgets are, and the
    # state line and the sessions table redrawn once the recording stopped.
    parts = {
        "record": window.record_button,
        "stop": window.stop_button,
        "pause": window.pause_button,
        "task": window.task,
        "state": window.state_label,
        "rows": window.table.viewport(),
    }
    during = {name: _ink(recording.toImage(), window, w) for name, w in parts.items()}
    window.stop_button.click()
    qtbot.wait(200)
    idle = window.grab()
    assert idle.width() >= 900 and idle.height() >= 500
    out = shots / "main-window.png"
    assert idle.save(str(out))
    after = {name: _ink(idle.toImage(), window, w) for name, w in parts.items()}

    assert min(during["stop"], during["pause"], during["state"]) > 20, during
    assert min(after["record"], after["task"], after["state"]) > 20, after
    assert during["state"] != after["state"]
    assert model.rowCount() == 1
    assert after["rows"] > 20 and after["rows"] != during["rows"]


def _ink(image: Any, window: MainWindow, widget: Any) -> int:
    """Dark pixels (text, icons) in ``widget``'s rectangle of a grab of ``window``."""
    ratio = image.devicePixelRatio()
    origin = widget.mapTo(window, widget.rect().topLeft())
    x0, y0 = round(origin.x() * ratio), round(origin.y() * ratio)
    w, h = round(widget.width() * ratio), round(widget.height() * ratio)
    return sum(
        image.pixelColor(x, y).lightness() < 110
        for y in range(y0, min(y0 + h, image.height()), 2)
        for x in range(x0, min(x0 + w, image.width()), 2)
    )
