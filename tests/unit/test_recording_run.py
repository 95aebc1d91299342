"""What the app does around a recording: live prompts, think-aloud, time, counts, tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from factories import Script, session_row
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from capture.privacy.guard import Privacy
from capture.recorder import State
from capture.recording_rules import RecordingRules
from capture.screen import Rect
from capture.store.database import Database
from capture.store.stages import takes
from capture.store.steps import resegment
from capture.store.tasks import add_tasks, list_tasks
from capture.tasks import Task
from desktop.control_bar import ControlBar, hotkey_label
from desktop.drawing import action_caption, frame_with_action
from desktop.prompt import LivePrompt
from desktop.recording import RecordingRun
from desktop.task_model import TakeTableModel, TaskListModel
from replay.drawing import CLICK

pytestmark = pytest.mark.gui


class FakeOwnWindows:
    def __init__(self) -> None:
        self.rects: list[Rect] = []

    def set(self, rects: Any) -> None:
        self.rects = list(rects)


class FakeRecorder:
    """Stands in for the capture threads: records what the app asked of it."""

    def __init__(self, callbacks: tuple[Callable[..., None], ...]) -> None:
        self.on_error, self.on_stop_request, self.on_mark = callbacks
        self.state = State.IDLE
        self.calls: list[tuple[str, ...]] = []
        self.own_windows = FakeOwnWindows()
        self.error = None
        self.privacy = Privacy()
        # The person chose their own mark key in the settings.
        self.rules = RecordingRules().with_hotkeys({"mark": "ctrl+alt+n"})

    def start(
        self, task: str = "", session_id: str | None = None, task_id: str | None = None
    ) -> str:
        self.calls.append(("start", task, str(task_id)))
        self.state = State.RECORDING
        return "s1"

    def pause(self) -> None:
        self.calls.append(("pause",))
        self.state = State.PAUSED

    def resume(self) -> None:
        self.calls.append(("resume",))
        self.state = State.RECORDING

    def mark(self, label: str = "") -> None:
        self.calls.append(("mark", label))

    def note(self, text: str) -> None:
        self.calls.append(("note", text))

    def stop(self) -> None:
        self.calls.append(("stop",))
        self.state = State.STOPPED


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def start_run(db: Database, task: Task | None) -> tuple[RecordingRun, FakeRecorder, Clock]:
    made: list[FakeRecorder] = []

    def make(*callbacks: Callable[..., None]) -> Any:
        made.append(FakeRecorder(callbacks))
        return made[0]

    clock = Clock()
    run = RecordingRun(db, make, task, own_windows=lambda: [QRect(10, 20, 300, 40)], clock=clock)
    run.start()
    return run, made[0], clock


def test_live_mode_mark_pauses_asks_and_resumes_with_the_note(db: Database, qtbot: QtBot) -> None:
    task = Task("Fill in the form", reasoning_mode="live")
    run, recorder, clock = start_run(db, task)
    assert recorder.calls == [("start", "Fill in the form", task.id)]
    assert recorder.own_windows.rects == [Rect(10, 20, 300, 40)]
    clock.t += 5
    run.tick()
    with qtbot.waitSignal(run.ask_reasoning):
        run.mark()
    assert run.asking and recorder.state is State.PAUSED
    clock.t += 30  # answering takes a while; it is not part of the demonstration
    run.tick()
    prompt = LivePrompt()
    qtbot.addWidget(prompt)
    prompt.answered.connect(run.answered)
    prompt.ask()
    prompt.fields["see"].setText("an empty form")
    prompt.fields["why"].setText("the name comes first")
    prompt.resume.click()
    assert recorder.calls[1:] == [
        ("mark", "button"),
        ("pause",),
        ("note", "I see: an empty form\nBecause: the name comes first"),
        ("resume",),
    ]
    clock.t += 2
    run.tick()
    assert run.elapsed_s == pytest.approx(7)
    # The hotkey (from a capture thread) asks too.
    recorder.on_mark()
    qtbot.waitUntil(lambda: run.asking)
    run.answered("")
    assert recorder.calls[-2:] == [("pause",), ("resume",)]


def test_think_aloud_and_the_control_bar(db: Database, qtbot: QtBot) -> None:
    run, recorder, _ = start_run(db, Task("Sort the list", reasoning_mode="think_aloud"))
    bar = ControlBar(run)
    qtbot.addWidget(bar)
    bar.think_aloud.setText("sorting by name")
    bar.think_aloud.returnPressed.emit()
    assert recorder.calls[-1] == ("note", "sorting by name") and bar.think_aloud.text() == ""
    bar.mark.click()  # not live: a mark, no prompt
    assert not run.asking and recorder.calls[-1] == ("mark", "button")
    bar.pause.click()
    assert bar.pause.text() == "▶ Resume" and "Paused" in bar.state.text()
    assert bar.pause.toolTip() == hotkey_label("pause") == "Ctrl+Alt+P"
    assert bar.mark.toolTip() == "A decision point (Ctrl+Alt+N)"  # the recording's own key
    assert bar.privacy.isHidden()
    recorder.privacy = Privacy(secret=True, excluded="keepassxc")
    run.tick()
    assert bar.privacy.text() == (
        "capture paused: keepassxc has the focus · "
        "secret mode: typing is not recorded (Ctrl+Alt+H ends it)"
    )
    with qtbot.waitSignal(run.stopped):
        recorder.on_stop_request()
    assert recorder.calls[-1] == ("stop",)


def test_the_counts_shown_are_the_store_s(db: Database, qtbot: QtBot) -> None:
    run, _, _ = start_run(db, None)
    bar = ControlBar(run)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    before = ink(bar, bar.steps)
    session_row(db, Script().click(1, 1).wait(4000).click(5, 5), session_id="s1")
    resegment(db, "s1")
    run.tick()
    assert (bar.steps.text(), bar.decisions.text()) == ("2 steps", "2 decision points")
    # What is painted changed with it, not only the label's text.
    after = ink(bar, bar.steps)
    assert min(before, after) > 20 and before != after


def ink(bar: ControlBar, widget: Any) -> int:
    """Light pixels (the bar's text on its dark background) in ``widget``'s rectangle."""
    image = bar.grab().toImage()
    g = widget.geometry()
    return sum(
        image.pixelColor(x, y).lightness() > 150
        for y in range(g.top(), g.bottom())
        for x in range(g.left(), g.right())
    )


def test_task_and_take_models(db: Database, qapp: object) -> None:
    task = Task("Export the report", category="feedback")
    add_tasks(db, [task])
    session_row(db, Script().click(1, 1), session_id="a", task_id=task.id, status="interrupted")
    tasks = TaskListModel(lambda: list_tasks(db))
    tasks.refresh()
    assert [tasks.data(tasks.index(r)) for r in range(tasks.rowCount())] == [
        "Export the report",
        "Sessions without a task",
    ]
    assert tasks.data(tasks.index(0), 3) == "feedback labelling · reasoning: after"
    model = TakeTableModel(lambda tid: takes(db, tid))
    model.show_task(task.id)
    assert model.rowCount() == 1 and model.data(model.index(0, 6)) == "interrupted"
    model.show_task(None)
    assert model.rowCount() == 0


def test_drawing_puts_the_action_where_it_happened(qapp: object) -> None:
    frame = QImage(400, 300, QImage.Format.Format_RGB32)
    frame.fill(QColor("white"))
    drawn = frame_with_action(
        frame,
        {"type": "click", "x": 1100, "y": 650, "button": "left", "modifiers": []},
        (1000, 500),
    )
    assert drawn.pixelColor(100, 150) == QColor(*CLICK)  # the dot at the click
    assert drawn.pixelColor(300, 50) == QColor("white")
    typed = frame_with_action(frame, {"type": "type", "text": "hello"})
    bottom = [typed.pixelColor(x, 280).lightness() for x in range(150, 250)]
    assert min(bottom) < 80  # a dark caption box along the bottom
    assert action_caption({"type": "type", "text": "hello"}) == 'typed "hello"'
    assert action_caption({"type": "hotkey", "keys": ["ctrl", "s"]}) == "keys ctrl+s"
