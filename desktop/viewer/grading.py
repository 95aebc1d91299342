"""The grading form: the rubric, a verdict, comments on steps; nothing is saved until it is valid.

``GradingDraft`` holds what the reviewer has entered so far (plain, tested
without a window); the rules are replay/review.py's, shown all at once.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from capture.errors import DemotraceError
from replay.review import GOALS, SCORE_RANGE, SCORES, VERDICTS, problems
from replay.trajectory import Review, ReviewComment

SaveReview = Callable[[Review], None]


@dataclass
class GradingDraft:
    reviewer: str
    verdict: str | None = None
    goal: str | None = None
    scores: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(SCORES))
    reason: str = ""
    comments: list[tuple[int | None, str]] = field(default_factory=list)
    redundant: set[int] = field(default_factory=set)

    def review(self, now: datetime | None = None) -> Review:
        return Review(
            reviewer=self.reviewer,
            created_at=(now or datetime.now(UTC)).isoformat(),
            verdict=self.verdict or "",
            goal=self.goal,
            efficiency=self.scores["efficiency"],
            error_handling=self.scores["error_handling"],
            note_quality=self.scores["note_quality"],
            reason=self.reason,
            redundant_steps=tuple(sorted(self.redundant)),
            comments=tuple(ReviewComment(i, t) for i, t in self.comments),
        )

    def problems(self, step_indexes: Iterable[int]) -> list[str]:
        if self.verdict is None:
            return ["choose a verdict", *problems(self.review(), step_indexes)[1:]]
        return problems(self.review(), step_indexes)


class GradingForm(QWidget):
    saved = Signal(object)  # the Review written

    def __init__(
        self, step_indexes: Iterable[int], save: SaveReview | None, reviewer: str | None = None
    ) -> None:
        super().__init__()
        self._steps = list(step_indexes)
        self._save = save
        self.draft = GradingDraft(reviewer or getpass.getuser())
        self._step: int | None = self._steps[0] if self._steps else None

        self.verdict = QComboBox()
        self.verdict.addItems(["—", *(v.replace("_", " ") for v in VERDICTS)])
        self.goal = QComboBox()
        self.goal.addItems(["—", *GOALS])
        low, high = SCORE_RANGE
        self.scores: dict[str, QSpinBox] = {}
        for name in SCORES:
            spin = QSpinBox()
            spin.setRange(low - 1, high)
            spin.setSpecialValueText("—")
            self.scores[name] = spin
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why (needed to reject)")
        self.reviewer = QLineEdit(self.draft.reviewer)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("a comment on the current step")
        self.add_comment = QPushButton("Comment on step")
        self.comment_list = QListWidget()
        self.comment_list.setMaximumHeight(90)
        self.redundant = QCheckBox("Current step is redundant")
        self.save_button = QPushButton("Save review")
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b91c1c")

        form = QFormLayout()
        form.addRow("Verdict", self.verdict)
        form.addRow("Goal", self.goal)
        form.addRow("Efficiency", self.scores["efficiency"])
        form.addRow("Error handling", self.scores["error_handling"])
        form.addRow("Note quality", self.scores["note_quality"])
        form.addRow("Reason", self.reason)
        form.addRow("Reviewer", self.reviewer)
        row = QHBoxLayout()
        row.addWidget(self.comment, 1)
        row.addWidget(self.add_comment)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.comment_list)
        layout.addWidget(self.redundant)
        layout.addWidget(self.save_button)
        layout.addWidget(self.errors)
        layout.addStretch(1)

        self.verdict.currentIndexChanged.connect(self._read)
        self.goal.currentIndexChanged.connect(self._read)
        for spin in self.scores.values():
            spin.valueChanged.connect(self._read)
        self.reason.textChanged.connect(self._read)
        self.reviewer.textChanged.connect(self._read)
        self.add_comment.clicked.connect(self.comment_on_current_step)
        self.comment.returnPressed.connect(self.comment_on_current_step)
        self.redundant.toggled.connect(self._toggle_redundant)
        self.save_button.clicked.connect(self.submit)
        self.save_button.setEnabled(save is not None)
        if save is None:
            self.errors.setText("Reviews can be saved only for sessions in a store.")
        self.set_step(self._step)

    def set_step(self, index: int | None) -> None:
        """The step the form's comment and redundant flag apply to (the one being viewed)."""
        self._step = index
        label = "—" if index is None else str(index)
        self.add_comment.setText(f"Comment on step {label}")
        self.redundant.setText(f"Step {label} is redundant")
        self.redundant.blockSignals(True)
        self.redundant.setChecked(index in self.draft.redundant)
        self.redundant.blockSignals(False)

    def _read(self) -> None:
        d = self.draft
        d.verdict = (
            VERDICTS[self.verdict.currentIndex() - 1] if self.verdict.currentIndex() else None
        )
        d.goal = GOALS[self.goal.currentIndex() - 1] if self.goal.currentIndex() else None
        for name, spin in self.scores.items():
            d.scores[name] = spin.value() or None
        d.reason = self.reason.text()
        d.reviewer = self.reviewer.text().strip()

    def _toggle_redundant(self, on: bool) -> None:
        if self._step is None:
            return
        if on:
            self.draft.redundant.add(self._step)
        else:
            self.draft.redundant.discard(self._step)

    def comment_on_current_step(self) -> None:
        text = self.comment.text().strip()
        if not text or self._step is None:
            return
        self.draft.comments.append((self._step, text))
        self.comment_list.addItem(f"step {self._step}: {text}")
        self.comment.clear()

    def submit(self) -> bool:
        """Validate and save; every rule broken is listed. True when saved."""
        self._read()
        found = self.draft.problems(self._steps)
        self.errors.setStyleSheet("color: #b91c1c")
        if found:
            self.errors.setText("\n".join(found))
            return False
        if self._save is None:
            return False
        review = self.draft.review()
        try:
            self._save(review)
        except DemotraceError as exc:
            self.errors.setText(str(exc))
            return False
        self.errors.setStyleSheet("color: #15803d")
        self.errors.setText(f"Saved: {review.verdict.replace('_', ' ')} by {review.reviewer}")
        self.saved.emit(review)
        return True
