"""The app's settings, kept with QSettings: capture rate, reasoning mode, store location,
the control hotkeys and the decision-point thresholds (``RecordingRules``, stored with
each session recorded under them)."""

from __future__ import annotations

from dataclasses import dataclass, field

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

from capture.errors import DemotraceError
from capture.grabber import DEFAULT_FPS
from capture.recording_rules import RecordingRules
from capture.tasks import DEFAULT_REASONING_MODE, REASONING_MODES
from desktop.task_dialog import REASONING_NAMES


@dataclass(frozen=True)
class AppSettings:
    fps: float = DEFAULT_FPS
    # For recordings filed under no task (a task carries its own mode).
    reasoning_mode: str = DEFAULT_REASONING_MODE
    # A database URL or SQLite path; "" for the default. Used from the next start.
    store: str = ""
    rules: RecordingRules = field(default_factory=RecordingRules)

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
            rules=_load_rules(q, default.rules),
        )

    def save(self, q: QSettings) -> None:
        q.setValue("capture/fps", self.fps)
        q.setValue("reasoning/mode", self.reasoning_mode)
        q.setValue("store/location", self.store)
        for h in self.rules.hotkeys:
            q.setValue(f"hotkeys/{h.name}", h.keys)
        q.setValue("decisions/pause_ms", self.rules.decision_pause_ms or 0)
        q.setValue("decisions/screen_change", self.rules.decision_screen_change or 0.0)
        q.sync()


def _load_rules(q: QSettings, default: RecordingRules) -> RecordingRules:
    """The stored rules; settings edited into something unusable fall back to the defaults."""
    try:
        keys = {h.name: str(q.value(f"hotkeys/{h.name}", h.keys)) for h in default.hotkeys}
        pause = int(float(str(q.value("decisions/pause_ms", default.decision_pause_ms or 0))))
        change = float(str(q.value("decisions/screen_change", default.decision_screen_change)))
        return RecordingRules(
            decision_pause_ms=pause or None, decision_screen_change=change or None
        ).with_hotkeys(keys)
    except (ValueError, DemotraceError):
        return default


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
        rules = current.rules
        self.hotkeys = {h.name: QLineEdit(h.keys) for h in rules.hotkeys}
        for h in rules.hotkeys:
            self.hotkeys[h.name].setToolTip(f"{h.description}; keys as xdotool names them")
        self.pause = QDoubleSpinBox(minimum=0, maximum=600, decimals=1)
        self.pause.setValue((rules.decision_pause_ms or 0) / 1000)
        self.pause.setSuffix(" s  (0: never)")
        self.change = QDoubleSpinBox(minimum=0, maximum=100, decimals=0)
        self.change.setValue((rules.decision_screen_change or 0) * 100)
        self.change.setSuffix(" % of the screen  (0: never)")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Capture rate", self.fps)
        form.addRow("Reasoning (no task)", self.mode)
        form.addRow("Store (next start)", self.store)
        for name, edit in self.hotkeys.items():
            form.addRow(f"Hotkey: {name}", edit)
        form.addRow("Decision after a pause", self.pause)
        form.addRow("Decision after a change", self.change)
        form.addRow(QLabel("The first step and marked steps are always decision points."))
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def settings(self) -> AppSettings:
        """The settings the fields describe; a DemotraceError says what is wrong with them."""
        rules = RecordingRules(
            decision_pause_ms=round(self.pause.value() * 1000) or None,
            decision_screen_change=self.change.value() / 100 or None,
        ).with_hotkeys({name: edit.text() for name, edit in self.hotkeys.items()})
        return AppSettings(
            fps=self.fps.value(),
            reasoning_mode=str(self.mode.currentData()),
            store=self.store.text().strip(),
            rules=rules,
        )

    def _save(self) -> None:
        try:
            self.settings()
        except DemotraceError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
