"""Create or edit a task."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from capture.tasks import CATEGORIES, CATEGORY_NAMES, REASONING_MODES, Task, TaskError

REASONING_NAMES = {
    "live": "live: Mark pauses and asks",
    "after": "after: walk through each decision point at stop",
    "think_aloud": "think-aloud: notes typed while recording",
}


class TaskDialog(QDialog):
    def __init__(self, task: Task | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit task" if task else "New task")
        self._task = task
        self.instruction = QPlainTextEdit()
        self.instruction.setFixedHeight(60)
        self.category = QComboBox()
        for c in CATEGORIES:
            self.category.addItem(CATEGORY_NAMES[c], c)
        self.reasoning = QComboBox()
        for m in REASONING_MODES:
            self.reasoning.addItem(REASONING_NAMES[m], m)
        self.setup_notes = QPlainTextEdit()
        self.setup_notes.setFixedHeight(50)
        self.expected = QLineEdit()
        self.setup_command = QLineEdit(placeholderText="shell command run before each recording")
        self.reset_command = QLineEdit(placeholderText="shell command run after each recording")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        if task is not None:
            self.instruction.setPlainText(task.instruction)
            self.category.setCurrentIndex(CATEGORIES.index(task.category))
            self.reasoning.setCurrentIndex(REASONING_MODES.index(task.reasoning_mode))
            self.setup_notes.setPlainText(task.setup_notes)
            self.expected.setText(task.expected_outcome)
            self.setup_command.setText(task.setup_command)
            self.reset_command.setText(task.reset_command)
        else:
            self.reasoning.setCurrentIndex(REASONING_MODES.index("after"))
        form = QFormLayout()
        form.addRow("Instruction", self.instruction)
        form.addRow("Category", self.category)
        form.addRow("Reasoning", self.reasoning)
        form.addRow("Setup notes", self.setup_notes)
        form.addRow("Expected outcome", self.expected)
        form.addRow("Setup command", self.setup_command)
        form.addRow("Reset command", self.reset_command)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.result_task: Task | None = None

    def task(self) -> Task:
        fields = {
            "instruction": self.instruction.toPlainText().strip(),
            "category": self.category.currentData(),
            "reasoning_mode": self.reasoning.currentData(),
            "setup_notes": self.setup_notes.toPlainText(),
            "expected_outcome": self.expected.text(),
            "setup_command": self.setup_command.text().strip(),
            "reset_command": self.reset_command.text().strip(),
        }
        return self._task.evolve(**fields) if self._task else Task(**fields)

    def accept(self) -> None:
        try:
            self.result_task = self.task()
        except TaskError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
