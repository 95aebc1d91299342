"""The main window: record a demonstration, see the sessions recorded so far."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from capture.errors import DemotraceError
from capture.hotkeys import CONTROL_HOTKEYS, hotkey
from capture.recorder import Recorder, State
from capture.screen import Rect
from capture.segment import Step
from capture.store.sessions import short_id
from desktop.session_model import SessionTableModel


class RecorderFactory(Protocol):
    def __call__(
        self,
        on_error: Callable[[DemotraceError], None],
        on_stop_request: Callable[[], None],
        on_steps: Callable[[list[Step]], None],
    ) -> Recorder: ...


class _Relay(QObject):
    """Carries what capture threads report to the GUI thread."""

    failed = Signal(str)
    stop_requested = Signal()
    steps = Signal(int)


class MainWindow(QMainWindow):
    def __init__(self, sessions: SessionTableModel, make_recorder: RecorderFactory, where: str):
        super().__init__()
        self.setWindowTitle("demotrace")
        self._sessions = sessions
        self._make_recorder = make_recorder
        self._recorder: Recorder | None = None
        self._relay = _Relay()
        self._relay.failed.connect(self._on_failure)
        self._relay.stop_requested.connect(self.stop_recording)
        self._relay.steps.connect(self._on_steps)
        self._step_count = 0

        self.task = QLineEdit(
            placeholderText="What will you demonstrate? e.g. “Export the Q3 report as PDF”"
        )
        self.record_button = QPushButton("● Record")
        self.pause_button = QPushButton("Pause")
        self.mark_button = QPushButton("Mark decision")
        self.stop_button = QPushButton("■ Stop")
        self.record_button.clicked.connect(self.start_recording)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.mark_button.clicked.connect(self.mark)
        self.stop_button.clicked.connect(self.stop_recording)
        self.state_label = QLabel(wordWrap=True)

        controls = QHBoxLayout()
        controls.addWidget(self.task, 1)
        for button in (self.record_button, self.pause_button, self.mark_button, self.stop_button):
            controls.addWidget(button)

        self.table = QTableView()
        self.table.setModel(sessions)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        body = QVBoxLayout()
        body.addLayout(controls)
        body.addWidget(self.state_label)
        body.addWidget(QLabel("Recorded sessions"))
        body.addWidget(self.table, 1)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"Store: {where}")
        self.resize(980, 560)
        self._tick = QTimer(self, interval=500)
        self._tick.timeout.connect(self._update_state)
        sessions.refresh()
        self._update_state()

    @property
    def recorder(self) -> Recorder | None:
        return self._recorder

    def start_recording(self) -> None:
        if self._recorder is not None:
            return
        try:
            self._step_count = 0
            recorder = self._make_recorder(
                lambda e: self._relay.failed.emit(str(e)),
                self._relay.stop_requested.emit,
                lambda steps: self._relay.steps.emit(len(steps)),
            )
            recorder.start(task=self.task.text().strip())
        except DemotraceError as exc:
            QMessageBox.warning(self, "Cannot record", str(exc))
            return
        self._recorder = recorder
        self._report_geometry()
        self._tick.start()
        self._update_state()

    def toggle_pause(self) -> None:
        if self._recorder is None:
            return
        if self._recorder.state is State.PAUSED:
            self._recorder.resume()
        else:
            self._recorder.pause()
        self._update_state()

    def mark(self) -> None:
        if self._recorder is not None:
            self._recorder.mark()

    def stop_recording(self) -> None:
        recorder, self._recorder = self._recorder, None
        if recorder is None:
            return
        recorder.stop()
        self._tick.stop()
        self._sessions.refresh()
        self._update_state()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._report_geometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._report_geometry()

    def _report_geometry(self) -> None:
        """Tell the recorder where this window is: clicks on it are not part of the demo."""
        if self._recorder is None:
            return
        g, ratio = self.frameGeometry(), self.devicePixelRatioF()
        self._recorder.own_windows.set(
            [
                Rect(
                    round(g.x() * ratio),
                    round(g.y() * ratio),
                    round(g.width() * ratio),
                    round(g.height() * ratio),
                )
            ]
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_recording()
        super().closeEvent(event)

    def _on_steps(self, count: int) -> None:
        self._step_count += count
        self._update_state()

    def _on_failure(self, message: str) -> None:
        self.stop_recording()
        QMessageBox.critical(self, "Recording stopped", message)

    def _update_state(self) -> None:
        state = self._recorder.state if self._recorder else State.IDLE
        recording = state in (State.RECORDING, State.PAUSED)
        self.record_button.setEnabled(not recording)
        self.task.setEnabled(not recording)
        for button in (self.pause_button, self.mark_button, self.stop_button):
            button.setEnabled(recording)
        self.pause_button.setText("Resume" if state is State.PAUSED else "Pause")
        if self._recorder and recording:
            keys = ", ".join(f"{h.label} {escape(h.description)}" for h in CONTROL_HOTKEYS)
            privacy = self._recorder.privacy
            self.state_label.setText(
                f"<b>{'Paused' if state is State.PAUSED else 'Recording'}</b> "
                f"session {short_id(self._recorder.session_id)} · "
                f"{self._step_count} steps so far · "
                + (
                    f"<b>capture paused: {escape(privacy.excluded)} has the focus</b> · "
                    if privacy.excluded
                    else ""
                )
                + ("<b>secret mode: typing is not recorded</b> · " if privacy.secret else "")
                + keys
            )
        else:
            self.state_label.setText(
                "Ready to record. Your screen, mouse and keyboard are captured "
                f"until you stop ({hotkey('stop').label})."
            )
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
