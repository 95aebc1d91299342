"""The live prompt: recording is paused while the person says what they see, do and why."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.reasoning import PROMPT_QUESTIONS, prompt_note


class LivePrompt(QDialog):
    answered = Signal(str)  # the note ("" when skipped)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("demotrace: decision point")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, question, _lead in PROMPT_QUESTIONS:
            field = QLineEdit()
            self.fields[key] = field
            form.addRow(question, field)
        buttons = QDialogButtonBox()
        self.resume = buttons.addButton("Resume recording", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip = buttons.addButton("Skip", QDialogButtonBox.ButtonRole.RejectRole)
        self.resume.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        paused = QLabel("<b>Recording paused.</b> This time is not part of the demonstration.")
        layout.addWidget(paused)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._sent = False

    def ask(self) -> None:
        for field in self.fields.values():
            field.clear()
        self._sent = False
        self.show()
        self.raise_()
        self.activateWindow()
        self.fields["see"].setFocus()

    def note(self) -> str:
        return prompt_note({k: f.text() for k, f in self.fields.items()})

    def done(self, result: int) -> None:
        if not self._sent:
            self._sent = True
            self.answered.emit(self.note() if result == QDialog.DialogCode.Accepted else "")
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.done(QDialog.DialogCode.Rejected)
        event.accept()
