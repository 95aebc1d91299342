"""After a recording: visit each decision point, see it, and say why and how it went."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from capture.segment import DECISION_REASONS
from capture.segment.steps import OUTCOMES
from capture.store.session_frames import SessionFrames
from desktop.commands.common import describe_action
from desktop.frame_view import FrameView
from desktop.pictures import frame_image
from desktop.trajectory import Trajectory


def walk_indices(trajectory: Trajectory, reasoning_mode: str) -> list[int]:
    """Which steps the walkthrough visits: every decision point after a recording made
    in ``after`` mode; otherwise those still without a note."""
    return [s.index for s in trajectory.decision_points(unexplained_only=reasoning_mode != "after")]


class Walkthrough(QDialog):
    finished_walk = Signal(str)  # session id

    def __init__(
        self,
        trajectory: Trajectory,
        frames: SessionFrames,
        indices: list[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("demotrace: walk through your decision points")
        self.trajectory = trajectory
        self._frames = frames
        self.indices = indices
        self.position = 0
        self.heading = QLabel()
        self.before = FrameView("no before-frame")
        self.after = FrameView("no after-frame")
        self.action = QLabel()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("What did you see, what did you decide, and why?")
        self.note.setFixedHeight(90)
        self.outcome = QComboBox()
        self.outcome.addItems(OUTCOMES)
        self.back = QPushButton("← Back")
        self.next = QPushButton("Next →")
        self.back.clicked.connect(lambda: self.go(-1))
        self.next.clicked.connect(lambda: self.go(1))
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self.go(1))

        frames_row = QHBoxLayout()
        for title, view in (("Before", self.before), ("After", self.after)):
            col = QVBoxLayout()
            col.addWidget(QLabel(f"<b>{title}</b>"))
            col.addWidget(view, 1)
            frames_row.addLayout(col, 1)
        form = QFormLayout()
        form.addRow("Action", self.action)
        form.addRow("Your note", self.note)
        form.addRow("Outcome", self.outcome)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Ctrl+Enter: save and go on"))
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(frames_row, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(1100, 720)
        self._show()

    @property
    def step_index(self) -> int:
        return self.indices[self.position]

    def _show(self) -> None:
        if not self.indices:
            self.heading.setText("No decision points to walk through.")
            self.next.setText("Finish")
            self.back.setEnabled(False)
            return
        step = self.trajectory.steps[self.step_index]
        self.heading.setText(
            f"<b>Decision point {self.position + 1} of {len(self.indices)}</b> · step "
            f"{step.index} · {DECISION_REASONS.get(step.decision_reason or 'manual', '')} · "
            f"{step.window.title if step.window else 'unknown window'}"
        )
        action = step.action.to_json()
        for view, frame_id in ((self.before, step.before_frame), (self.after, step.after_frame)):
            frame = self._frames.get(frame_id)
            origin = (frame.left, frame.top) if frame else (0, 0)
            view.show_frame(frame_image(self._frames, frame_id), action, origin)
        self.action.setText(f"{step.action.type}: {describe_action(action)}")
        self.note.setPlainText(step.note)
        self.outcome.setCurrentText(step.outcome)
        self.back.setEnabled(self.position > 0)
        last = self.position == len(self.indices) - 1
        self.next.setText("Finish" if last else "Next →")
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        if not self.indices:
            return
        step = self.trajectory.steps[self.step_index]
        changes: dict[str, object] = {}
        note = self.note.toPlainText().strip()
        if note != step.note:
            changes["note"] = note
        if self.outcome.currentText() != step.outcome:
            changes["outcome"] = self.outcome.currentText()
        if changes:
            self.trajectory.annotate(step.index, **changes)

    def go(self, by: int) -> None:
        self.save()
        target = self.position + by
        if target >= len(self.indices):
            self.finished_walk.emit(self.trajectory.session_id)
            self.accept()
            return
        self.position = max(0, target)
        self._show()
