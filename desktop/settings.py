"""The app's settings, kept with QSettings: capture rate, reasoning mode, store location."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from capture.grabber import DEFAULT_FPS
from capture.segment.rules import SegmentationRules
from capture.tasks import DEFAULT_REASONING_MODE, REASONING_MODES
from desktop.control_bar import hotkey_label
from desktop.task_dialog import REASONING_NAMES


@dataclass(frozen=True)
class AppSettings:
    fps: float = DEFAULT_FPS
    # For recordings filed under no task (a task carries its own mode).
    reasoning_mode: str = DEFAULT_REASONING_MODE
    # A database URL or SQLite path; "" for the default. Used from the next start.
    store: str = ""

    @classmethod
    def load(cls, q: QSettings) -> AppSettings:
        default = cls()
        try:
            fps = float(str(q.value("capture/fps", default.fps)))
        except ValueError:
            fps = default.fps
        mode = str(q.value("reasoning/mode", default.reasoning_mode))
        return cls(
            fps=fps if 0 < fps <= 60 else default.fps,
            reasoning_mode=mode if mode in REASONING_MODES else default.reasoning_mode,
            store=str(q.value("store/location", "")),
        )

    def save(self, q: QSettings) -> None:
        q.setValue("capture/fps", self.fps)
        q.setValue("reasoning/mode", self.reasoning_mode)
        q.setValue("store/location", self.store)
        q.sync()


class SettingsDialog(QDialog):
    def __init__(self, current: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("demotrace settings")
        self.fps = QDoubleSpinBox(minimum=0.5, maximum=60, decimals=1, value=current.fps)
        self.fps.setSuffix(" frames/s")
        self.mode = QComboBox()
        for m in REASONING_MODES:
            self.mode.addItem(REASONING_NAMES[m], m)
        self.mode.setCurrentIndex(REASONING_MODES.index(current.reasoning_mode))
        self.store = QLineEdit(current.store)
        self.store.setPlaceholderText("default: $DEMOTRACE_DB or the user data directory")
        rules = SegmentationRules()
        hotkeys = ", ".join(f"{hotkey_label(n)} {n}" for n in ("mark", "pause", "stop"))
        fixed = QLabel(
            f"Hotkeys: {hotkeys}.<br>Decision points: the first step, a pause of "
            f"{(rules.decision_pause_ms or 0) / 1000:g} s, a screen change of "
            f"{(rules.decision_screen_change or 0):.0%}, a mark."
        )
        fixed.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Capture rate", self.fps)
        form.addRow("Reasoning (no task)", self.mode)
        form.addRow("Store (next start)", self.store)
        form.addRow("Fixed", fixed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def settings(self) -> AppSettings:
        return AppSettings(
            fps=self.fps.value(),
            reasoning_mode=str(self.mode.currentData()),
            store=self.store.text().strip(),
        )
