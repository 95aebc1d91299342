"""Fault injection from the app: choose a step and a fault, then ``demotrace inject`` runs it.

The dialog only builds the request (``Fault`` checks it, as the CLI does); an
``InjectRun`` starts the same command as a process, so the replay, the fault
and the recovery recording are exactly the CLI's, and tells the app when the
person has taken over and when the recovery is stopped (stop hotkey).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from capture.errors import DemotraceError
from replay.faults import (
    DEFAULT_DIALOG_TEXT,
    DEFAULT_OFFSET,
    DEFAULT_TYPO,
    DIALOG_EXAMPLES,
    FAULT_KINDS,
    TYPOS,
    Fault,
)

TAKEN_OVER = re.compile(r"^recording session ([0-9a-f]{32})$")


@dataclass(frozen=True)
class InjectRequest:
    session_id: str
    db_url: str
    at: int
    fault: Fault

    def argv(self) -> list[str]:
        f = self.fault
        args = ["inject", self.session_id, "--db", self.db_url, "--at", str(self.at)]
        args += ["--fault", f.kind]
        if f.kind == "offset":
            args += ["--offset", f"{f.offset[0]},{f.offset[1]}"]
        elif f.kind == "typo":
            args += ["--typo", f.typo]
        elif f.kind == "wrong-key" and f.key:
            args += ["--key", f.key]
        elif f.kind == "dialog":
            args += ["--dialog-text", f.dialog_text]
        return [sys.executable, "-m", "desktop.cli", *args]


class InjectDialog(QDialog):
    def __init__(
        self,
        session_id: str,
        db_url: str,
        step_indices: Sequence[int],
        current: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inject a fault")
        self._session, self._db_url = session_id, db_url
        self.step = QSpinBox()
        self.step.setRange(min(step_indices, default=0), max(step_indices, default=0))
        self.step.setValue(current if current is not None else self.step.minimum())
        self.kind = QComboBox()
        self.kind.addItems(FAULT_KINDS)
        self.dx, self.dy = QSpinBox(), QSpinBox()
        for spin, value in ((self.dx, DEFAULT_OFFSET[0]), (self.dy, DEFAULT_OFFSET[1])):
            spin.setRange(-2000, 2000)
            spin.setValue(value)
        self.typo = QComboBox()
        self.typo.addItems(TYPOS)
        self.typo.setCurrentText(DEFAULT_TYPO)
        self.key = QLineEdit()
        self.key.setPlaceholderText("a key or hotkey, e.g. Escape or ctrl+w (default: a near miss)")
        self.dialog_text = QComboBox()
        self.dialog_text.setEditable(True)
        self.dialog_text.addItems(DIALOG_EXAMPLES)
        self.dialog_text.setCurrentText(DEFAULT_DIALOG_TEXT)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                "The steps before the chosen one are replayed, the fault is applied to it, "
                "then you take over and your recovery is recorded until the stop hotkey."
            )
        )
        form.addRow("Step", self.step)
        form.addRow("Fault", self.kind)
        form.addRow("Offset x (offset)", self.dx)
        form.addRow("Offset y (offset)", self.dy)
        form.addRow("Typo (typo)", self.typo)
        form.addRow("Key (wrong-key)", self.key)
        form.addRow("Message (dialog)", self.dialog_text)
        form.addRow(self.error)
        form.addRow(buttons)
        self.result_request: InjectRequest | None = None

    def request(self) -> InjectRequest:
        """The request the fields describe; a DemotraceError says what is wrong."""
        fault = Fault(
            self.kind.currentText(),
            offset=(self.dx.value(), self.dy.value()),
            typo=self.typo.currentText(),
            key=self.key.text().strip() or None,
            dialog_text=self.dialog_text.currentText().strip() or DEFAULT_DIALOG_TEXT,
        )
        return InjectRequest(self._session, self._db_url, self.step.value(), fault)

    def _accept(self) -> None:
        try:
            self.result_request = self.request()
        except DemotraceError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class InjectRun(QObject):
    """``demotrace inject`` as a process: ``taken_over(session)``, then ``finished(ok, error)``."""

    taken_over = Signal(str)
    finished = Signal(bool, str)

    def __init__(self, argv: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session_id: str | None = None
        self._errors: list[str] = []
        self._out = b""
        self.process = QProcess(self)
        self.process.setProgram(argv[0])
        self.process.setArguments(list(argv[1:]))
        self.process.readyReadStandardOutput.connect(self._read_out)
        self.process.readyReadStandardError.connect(self._read_err)
        self.process.finished.connect(self._done)

    def start(self) -> None:
        self.process.start()

    def stop(self) -> None:
        """End the recovery recording as the stop hotkey would (SIGTERM)."""
        self.process.terminate()

    def _read_out(self) -> None:
        self._out += bytes(self.process.readAllStandardOutput().data())
        *lines, self._out = self._out.split(b"\n")
        for line in lines:
            found = TAKEN_OVER.match(line.decode(errors="replace").strip())
            if found and self.session_id is None:
                self.session_id = found.group(1)
                self.taken_over.emit(self.session_id)

    def _read_err(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode(errors="replace")
        self._errors += [line for line in text.splitlines() if line.strip()]

    def _done(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read_out()
        self._read_err()
        errors = [e for e in self._errors if e.startswith("demotrace: error:")]
        message = errors[-1] if errors else ("" if code == 0 else f"inject exited with {code}")
        self.finished.emit(code == 0, message)
