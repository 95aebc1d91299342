"""One recording as the app runs it: the recorder, its task, time and counts, marks and notes.

A QObject without widgets: the control bar, the prompt and the main window are
views of it, and tests drive it directly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QObject, QRect, QTimer, Signal

from capture.errors import DemotraceError
from capture.recorder import Recorder, State
from capture.screen import Rect
from capture.store.database import Database
from capture.store.stages import step_counts
from capture.tasks import DEFAULT_REASONING_MODE, Task
from desktop.task_commands import run_task_command

TICK_MS = 250


class RecorderFactory(Protocol):
    def __call__(
        self,
        on_error: Callable[[DemotraceError], None],
        on_stop_request: Callable[[], None],
        on_mark: Callable[[], None],
    ) -> Recorder: ...


class RecordingRun(QObject):
    """start, pause/resume, mark, note, stop; ``changed`` whenever something shown changes."""

    changed = Signal()
    ask_reasoning = Signal()  # live mode: a mark opened the prompt; recording is paused
    stopped = Signal(str)  # session id, once finalized
    failed = Signal(str)
    # Carry what capture threads report to the GUI thread.
    _hotkey_stop = Signal()
    _hotkey_mark = Signal()
    _error = Signal(str)
    _done = Signal()

    def __init__(
        self,
        db: Database,
        make_recorder: RecorderFactory,
        task: Task | None,
        reasoning_mode: str = DEFAULT_REASONING_MODE,
        own_windows: Callable[[], Iterable[QRect]] = list,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._db = db
        self._make_recorder = make_recorder
        self.task = task
        self.reasoning_mode = task.reasoning_mode if task else reasoning_mode
        self._own_windows = own_windows
        self._clock = clock
        self.recorder: Recorder | None = None
        self.session_id = ""
        self.steps = 0
        self.decision_points = 0
        self.marks = 0
        self.notes = 0
        self.asking = False
        self.finalizing = False
        self._finishing: threading.Thread | None = None
        self._stop_error: DemotraceError | None = None
        self._elapsed = 0.0
        self._last_tick = 0.0
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._hotkey_stop.connect(self.stop)
        self._hotkey_mark.connect(lambda: self._marked("hotkey"))
        self._error.connect(self._failed)
        self._done.connect(self._finished)

    # -- state

    @property
    def state(self) -> State:
        return self.recorder.state if self.recorder else State.IDLE

    @property
    def elapsed_s(self) -> float:
        """Time spent demonstrating: pauses (and the prompt) not counted."""
        return self._elapsed

    def start(self) -> str:
        if self.task is not None and self.task.setup_command:
            run_task_command("setup", self.task.setup_command)
        recorder = self._make_recorder(
            lambda e: self._error.emit(str(e)), self._hotkey_stop.emit, self._hotkey_mark.emit
        )
        self.session_id = recorder.start(
            task=self.task.instruction if self.task else "",
            task_id=self.task.id if self.task else None,
        )
        self.recorder = recorder
        self._last_tick = self._clock()
        self.update_own_windows()
        self._timer.start()
        self.changed.emit()
        return self.session_id

    def tick(self) -> None:
        now = self._clock()
        if self.state is State.RECORDING:
            self._elapsed += now - self._last_tick
        self._last_tick = now
        if self.session_id:
            self.steps, self.decision_points = step_counts(self._db, self.session_id)
        self.update_own_windows()
        self.changed.emit()

    def update_own_windows(self) -> None:
        """Tell the recorder where the app's windows are: input on them is not the demo."""
        if self.recorder is not None:
            self.recorder.own_windows.set(
                Rect(g.x(), g.y(), g.width(), g.height()) for g in self._own_windows()
            )

    # -- controls

    def toggle_pause(self) -> None:
        if self.recorder is None or self.asking:
            return
        if self.recorder.state is State.PAUSED:
            self.recorder.resume()
        else:
            self.recorder.pause()
        self.tick()

    def mark(self) -> None:
        """The Mark button: a decision point; in live mode, pause and ask."""
        if self.recorder is not None:
            self.recorder.mark("button")
            self._marked("button")

    def _marked(self, _how: str) -> None:
        if self.recorder is None or self.asking:
            return
        self.marks += 1
        if self.reasoning_mode == "live":
            self.asking = True
            self.recorder.pause()
            self.tick()
            self.ask_reasoning.emit()
        else:
            self.changed.emit()

    def answered(self, note: str) -> None:
        """The prompt closed: its note attaches to the next step; recording resumes."""
        if self.recorder is None:
            return
        if note.strip():
            self.recorder.note(note)
            self.notes += 1
        self.asking = False
        self.recorder.resume()
        self.tick()

    def note(self, text: str) -> None:
        """Think-aloud: a note typed while recording; it attaches to the next step."""
        if self.recorder is not None and text.strip():
            self.recorder.note(text)
            self.notes += 1
            self.changed.emit()

    def stop(self, wait: bool = False) -> None:
        """Stop, then finalize on a worker thread (the GUI stays responsive) and emit
        ``stopped``; with ``wait``, finalize before returning (quitting, SIGTERM)."""
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            if wait and self._finishing is not None:
                self._finishing.join()
            return
        self._timer.stop()
        self.finalizing = True
        self.changed.emit()
        if wait:
            self._finish(recorder)
            self._finished()
            return

        def work() -> None:
            self._finish(recorder)
            self._done.emit()

        # Not a daemon: an app quitting meanwhile still finishes writing the session.
        self._finishing = threading.Thread(target=work, name="demotrace-finalize")
        self._finishing.start()

    def _finish(self, recorder: Recorder) -> None:
        recorder.stop()
        error: DemotraceError | None = recorder.error
        if self.task is not None and self.task.reset_command:
            try:
                run_task_command("reset", self.task.reset_command)
            except DemotraceError as exc:
                error = error or exc
        self._stop_error = error

    def _finished(self) -> None:
        self.finalizing = False
        self.steps, self.decision_points = step_counts(self._db, self.session_id)
        self.changed.emit()
        # Stopped first, so the window is back when the failure is shown over it.
        self.stopped.emit(self.session_id)
        if self._stop_error is not None:
            self.failed.emit(str(self._stop_error))

    def _failed(self, message: str) -> None:
        if self.recorder is not None:
            self.stop()
