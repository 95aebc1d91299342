"""The small always-on-top bar shown while recording."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from capture.recorder import State
from capture.recording_rules import RecordingRules
from desktop.recording import RecordingRun


def hotkey_label(name: str, rules: RecordingRules | None = None) -> str:
    """``Ctrl+Alt+S`` for the control hotkey ``name`` (stop, pause, mark, secret)."""
    return (rules or RecordingRules()).hotkey(name).label


def clock_text(seconds: float) -> str:
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


class ControlBar(QWidget):
    def __init__(self, run: RecordingRun) -> None:
        super().__init__(
            None,
            Qt.WindowType.Tool
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.FramelessWindowHint,
        )
        self.setWindowTitle("demotrace recording")
        self.setObjectName("controlBar")
        self.setStyleSheet(
            "#controlBar { background: #263238; border: 1px solid #111; }"
            "#controlBar QLabel { color: #eceff1; }"
        )
        self._run = run
        self.state = QLabel()
        self.elapsed = QLabel()
        self.steps = QLabel()
        self.decisions = QLabel()
        self.pause = QPushButton()
        self.mark = QPushButton("◆ Mark")
        self.stop = QPushButton("■ Stop")
        rules = run.recorder.rules if run.recorder is not None else None
        self.pause.setToolTip(hotkey_label("pause", rules))
        self.mark.setToolTip(f"A decision point ({hotkey_label('mark', rules)})")
        self.stop.setToolTip(hotkey_label("stop", rules))
        self.pause.clicked.connect(run.toggle_pause)
        self.mark.clicked.connect(run.mark)
        self.stop.clicked.connect(run.stop)
        self.think_aloud = QLineEdit(placeholderText="Think aloud: type a note, Enter")
        self.think_aloud.returnPressed.connect(self._note)
        # Privacy: what is not being recorded right now (secret mode, an excluded window).
        self.privacy = QLabel()
        self.privacy.setStyleSheet("color: #ffb300")
        # Privacy controls (a secret mode button) go here.
        self.extras = QHBoxLayout()

        top = QHBoxLayout()
        for w in (self.state, self.elapsed, self.steps, self.decisions):
            top.addWidget(w)
        top.addStretch(1)
        top.addLayout(self.extras)
        for b in (self.pause, self.mark, self.stop):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.privacy)
        layout.addWidget(self.think_aloud)
        self.setFixedWidth(560)
        run.changed.connect(self.refresh)
        self.refresh()

    def _note(self) -> None:
        text = self.think_aloud.text()
        if text.strip():
            self._run.note(text)
            self.think_aloud.clear()
            self.think_aloud.setPlaceholderText("Noted: it goes with your next step")

    def refresh(self) -> None:
        run = self._run
        state = run.state
        paused = state is State.PAUSED
        if run.finalizing:
            label = "Saving…"
        else:
            label = "Asking" if run.asking else ("Paused" if paused else "● REC")
        self.state.setText(f"<b style='color:{'#ffb300' if paused else '#ef5350'}'>{label}</b>")
        self.elapsed.setText(clock_text(run.elapsed_s))
        self.steps.setText(count_text(run.steps, "step"))
        self.decisions.setText(count_text(run.decision_points, "decision point"))
        self.pause.setText("▶ Resume" if paused else "❚❚ Pause")
        self.privacy.setText(privacy_text(run))
        self.privacy.setVisible(bool(self.privacy.text()))
        live = state in (State.RECORDING, State.PAUSED)
        for b in (self.pause, self.mark, self.stop):
            b.setEnabled(live and not run.asking)

    def place(self) -> None:
        """Top centre of the primary screen, out of the way."""
        screen = self.screen().availableGeometry()
        self.adjustSize()
        self.move(screen.x() + (screen.width() - self.width()) // 2, screen.y() + 4)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the bar goes away when the recording stops, not before


def count_text(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def privacy_text(run: RecordingRun) -> str:
    """What the recording leaves out right now, in words; "" when nothing."""
    recorder = run.recorder
    if recorder is None:
        return ""
    privacy = recorder.privacy
    parts = []
    if privacy.excluded:
        parts.append(f"capture paused: {privacy.excluded} has the focus")
    if privacy.secret:
        ends = hotkey_label("secret", recorder.rules)
        parts.append(f"secret mode: typing is not recorded ({ends} ends it)")
    return " · ".join(parts)
