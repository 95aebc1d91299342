"""The step editor: list and filmstrip, a large before/after view, the annotation, edits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from capture.errors import DemotraceError
from capture.segment import DECISION_REASONS, EditError, Step
from capture.segment.steps import ERROR_TYPES, OUTCOMES, TAGS
from capture.store.session_frames import SessionFrames
from desktop.applog import announce
from desktop.commands.common import describe_action
from desktop.control_bar import count_text
from desktop.frame_view import FrameView
from desktop.pictures import frame_image
from desktop.step_model import THUMBNAIL, StepListModel

# Keys for what is done hundreds of times; shown in the toolbar's tooltips.
SHORTCUTS: dict[str, str | QKeySequence.StandardKey] = {
    "undo": QKeySequence.StandardKey.Undo,
    "redo": QKeySequence.StandardKey.Redo,
    "merge": "M",
    "split": "S",
    "delete": QKeySequence.StandardKey.Delete,
    "up": "Ctrl+Up",
    "down": "Ctrl+Down",
    "decision": "D",
    "next_missing": "N",
    "save_note": "Ctrl+S",
    "submit": "Ctrl+Return",
}
OUTCOME_KEYS = {"success": "1", "partial": "2", "failure": "3", "unknown": "4"}


def _keys(spec: str | QKeySequence.StandardKey) -> QKeySequence:
    return QKeySequence(spec)


class StepEditor(QWidget):
    submitted = Signal(str)  # session id
    closed = Signal()

    def __init__(self, model: StepListModel, frames: SessionFrames) -> None:
        super().__init__()
        self.model = model
        self._frames = frames
        self._showing: int | None = None

        self.toolbar = QToolBar()
        self.actions_by_name: dict[str, QAction] = {}
        back = QPushButton("← Tasks")
        back.clicked.connect(self._close)
        self.toolbar.addWidget(back)
        undo = model.undo_stack.createUndoAction(self, "Undo")
        redo = model.undo_stack.createRedoAction(self, "Redo")
        for name, action in (("undo", undo), ("redo", redo)):
            self._add(name, action)
        self.toolbar.addSeparator()
        for name, text, slot in (
            ("merge", "Merge with next", self.merge),
            ("split", "Split…", self.split),
            ("delete", "Delete", self.delete),
            ("up", "Move up", lambda: self.move_step(-1)),
            ("down", "Move down", lambda: self.move_step(1)),
            ("decision", "Decision point", self.toggle_decision),
            ("next_missing", "Next without note", self.next_missing),
        ):
            self._add(name, QAction(text, self), slot)
        self.toolbar.addSeparator()
        self._add("submit", QAction("Submit", self), self.submit)

        self.list = QListView()
        self.list.setModel(model)
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(80, 45))
        self.list.setMinimumWidth(380)
        self.filmstrip = QListView()
        self.filmstrip.setModel(model)
        self.filmstrip.setSelectionModel(self.list.selectionModel())
        self.filmstrip.setViewMode(QListView.ViewMode.IconMode)
        self.filmstrip.setFlow(QListView.Flow.LeftToRight)
        self.filmstrip.setWrapping(False)
        self.filmstrip.setUniformItemSizes(True)
        self.filmstrip.setIconSize(THUMBNAIL)
        self.filmstrip.setGridSize(QSize(THUMBNAIL.width() + 12, THUMBNAIL.height() + 36))
        self.filmstrip.setFixedHeight(THUMBNAIL.height() + 48)
        self.filmstrip.setMovement(QListView.Movement.Static)

        self.before = FrameView("no before-frame")
        self.after = FrameView("no after-frame")
        self.action_label = QLabel()
        self.action_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.window_label = QLabel()
        self.decision_label = QLabel()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("What did you see, what did you do, and why?")
        self.note.setFixedHeight(64)
        self.draft_note = QLabel()
        self.draft_note.setWordWrap(True)
        self.outcome = QComboBox()
        self.outcome.addItems(OUTCOMES)
        self.outcome.activated.connect(lambda _i: self._set("outcome", self.outcome.currentText()))
        self.tags = {tag: QCheckBox(tag.replace("_", " ")) for tag in TAGS}
        for box in self.tags.values():
            box.clicked.connect(lambda _c: self._set("tags", self._checked_tags()))
        self.error_type = QComboBox()
        self.error_type.addItems(["—", *ERROR_TYPES])
        self.error_type.activated.connect(
            lambda i: self._set("error_type", None if i == 0 else self.error_type.currentText())
        )
        # Outcome suggested from what the screen did after the step; the person confirms it.
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.use_suggestion = QPushButton("Use suggestion")
        self.use_suggestion.clicked.connect(self._use_suggestion)
        # Reviewers' comments on this step (a session sent back for changes shows why).
        self.review_notes = QLabel()
        self.review_notes.setWordWrap(True)
        self.review_notes.setTextFormat(Qt.TextFormat.RichText)
        self.review_notes.setStyleSheet("background: #fff4e5; padding: 4px")
        save_note = QPushButton("Save note")
        save_note.clicked.connect(self.save_note)
        self.status = QLabel()
        # Why the last thing asked for was refused (an edit, a submit); cleared by the next one.
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828")
        self.message.setWordWrap(True)

        for outcome, key in OUTCOME_KEYS.items():
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _c=False, o=outcome: self._set("outcome", o))
            self.list.addAction(act)
            self.filmstrip.addAction(act)
        save = QAction(self)
        save.setShortcut(_keys(SHORTCUTS["save_note"]))
        save.triggered.connect(self.save_note)
        self.addAction(save)

        frames_row = QHBoxLayout()
        for title, view in (("Before", self.before), ("After", self.after)):
            col = QVBoxLayout()
            col.addWidget(QLabel(f"<b>{title}</b>"))
            col.addWidget(view, 1)
            frames_row.addLayout(col, 1)
        tags_row = QHBoxLayout()
        for box in self.tags.values():
            tags_row.addWidget(box)
        tags_row.addStretch(1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(save_note, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.addRow("Action", self.action_label)
        form.addRow("Window", self.window_label)
        form.addRow("Decision", self.decision_label)
        form.addRow("Note", note_row)
        form.addRow("", self.draft_note)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome)
        outcome_row.addWidget(self.suggestion, 1)
        outcome_row.addWidget(self.use_suggestion)
        form.addRow("Outcome", outcome_row)
        form.addRow("Tags", tags_row)
        form.addRow("Error type", self.error_type)
        form.addRow("Review", self.review_notes)
        frames_box = QWidget()
        frames_box.setLayout(frames_row)
        form_box = QWidget()
        form_box.setLayout(form)
        detail = QSplitter(Qt.Orientation.Vertical)
        detail.addWidget(frames_box)
        detail.addWidget(form_box)
        detail.setStretchFactor(0, 3)
        detail.setStretchFactor(1, 0)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(split, 1)
        layout.addWidget(self.filmstrip)
        layout.addWidget(self.message)
        layout.addWidget(self.status)

        self.list.selectionModel().currentChanged.connect(self._current_changed)
        model.edited.connect(self._after_edit)
        model.modelReset.connect(self._after_edit)
        if model.rowCount():
            self.select(0)
        self._update_status()

    def _add(self, name: str, action: QAction, slot: Callable[[], object] | None = None) -> None:
        shortcut = _keys(SHORTCUTS[name])
        action.setShortcut(shortcut)
        action.setToolTip(f"{action.text()} ({shortcut.toString()})")
        if slot is not None:
            action.triggered.connect(lambda _c=False: slot())
        self.toolbar.addAction(action)
        self.actions_by_name[name] = action

    # -- what is shown

    @property
    def current_row(self) -> int | None:
        i = self.list.currentIndex()
        return i.row() if i.isValid() else None

    def current_step(self) -> Step | None:
        row = self.current_row
        return None if row is None else self.model.steps[row]

    def select(self, row: int) -> None:
        row = max(0, min(row, self.model.rowCount() - 1))
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(self.model.index(row))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if previous.isValid() and self._showing == previous.row():
            self._save_note_of(previous.row())
        self._show(current.row() if current.isValid() else None)

    def _show(self, row: int | None) -> None:
        self._showing = row
        step = None if row is None or row >= len(self.model.steps) else self.model.steps[row]
        if step is None:
            for view in (self.before, self.after):
                view.show_frame(None)
            return
        action = step.action.to_json()
        for view, frame_id in ((self.before, step.before_frame), (self.after, step.after_frame)):
            frame = self._frames.get(frame_id)
            origin = (frame.left, frame.top) if frame else (0, 0)
            view.show_frame(frame_image(self._frames, frame_id), action, origin)
        self.action_label.setText(f"{step.action.type}: {describe_action(action)}")
        window = step.window
        self.window_label.setText(f"{window.title} ({window.app})" if window else "unknown")
        if step.decision_point:
            reason = DECISION_REASONS.get(step.decision_reason or "manual", "")
            self.decision_label.setText(f"yes: {reason}")
        else:
            self.decision_label.setText("no")
        if self.note.toPlainText() != step.note:
            self.note.setPlainText(step.note)
        self.draft_note.setText(
            f"<i>Draft (not yours): {step.draft_note}</i>" if step.draft_note else ""
        )
        self.outcome.setCurrentText(step.outcome)
        suggested = step.outcome_suggested
        if suggested and suggested != "unknown":
            why = f" ({step.outcome_reason})" if step.outcome_reason else ""
            self.suggestion.setText(f"suggested: <b>{suggested}</b>{_html(why)}")
        else:
            self.suggestion.setText("")
        self.use_suggestion.setVisible(bool(suggested) and suggested != step.outcome)
        comments = self.model.trajectory.comments_on(step.index)
        self.review_notes.setText(
            "<br>".join(
                f"<b>{_html(who)}</b> ({verdict.replace('_', ' ')}): {_html(text)}"
                for who, verdict, text in comments
            )
            or "—"
        )
        for tag, box in self.tags.items():
            box.setChecked(tag in step.tags)
        self.error_type.setCurrentIndex(
            ERROR_TYPES.index(step.error_type) + 1 if step.error_type in ERROR_TYPES else 0
        )

    def _use_suggestion(self) -> None:
        step = self.current_step()
        if step is not None and step.outcome_suggested:
            self._set("outcome", step.outcome_suggested)

    def _after_edit(self) -> None:
        if self.current_row is not None:
            self._show(self.current_row)
        self._update_status()

    def _update_status(self) -> None:
        missing = len(self.model.trajectory.decision_points(unexplained_only=True))
        total = len(self.model.trajectory.decision_points())
        steps = count_text(len(self.model.steps), "step")
        sent_back = [
            r for r in self.model.trajectory.reviews[-1:] if r["verdict"] == "needs_changes"
        ]
        why = (
            f" · <b>sent back by {_html(sent_back[0]['reviewer'])}</b>: "
            f"{_html(sent_back[0]['reason'] or 'see the comments on the steps')}"
            if sent_back
            else ""
        )
        self.status.setText(
            f"{steps} · {count_text(total, 'decision point')} · "
            + (f"<b>{missing} need a note</b>" if missing else "every decision point has a note")
            + why
        )

    # -- edits

    def _run(self, op: str, **args: object) -> bool:
        try:
            self.model.edit(op, **args)
        except (EditError, DemotraceError) as exc:
            self.message.setText(f"Cannot {op}: {str(exc).split(': ', 1)[-1]}")
            return False
        self.message.clear()
        return True

    def _set(self, field: str, value: object) -> None:
        row = self.current_row
        if row is None or getattr(self.model.steps[row], field) == value:
            return
        if field == "tags":
            value = list(value)  # type: ignore[call-overload]
        self._run("relabel", index=row, fields={field: value})

    def _checked_tags(self) -> tuple[str, ...]:
        return tuple(tag for tag, box in self.tags.items() if box.isChecked())

    def _save_note_of(self, row: int) -> None:
        text = self.note.toPlainText().strip()
        if row < len(self.model.steps) and self.model.steps[row].note != text:
            self._run("relabel", index=row, fields={"note": text})

    def save_note(self) -> None:
        if self.current_row is not None:
            self._save_note_of(self.current_row)

    def merge(self) -> None:
        row = self.current_row
        if row is not None:
            self.save_note()
            if self._run("merge", index=row):
                self.select(row)

    def split(self) -> None:
        step = self.current_step()
        if step is None:
            return
        if step.first_seq is None or step.last_seq is None or step.first_seq == step.last_seq:
            self.message.setText("Cannot split: this step has no events to split between")
            return
        at, ok = QInputDialog.getInt(
            self,
            "Split step",
            f"The new step starts at raw event ({step.first_seq + 1}..{step.last_seq}):",
            (step.first_seq + step.last_seq + 1) // 2,
            step.first_seq + 1,
            step.last_seq,
        )
        if ok:
            self.save_note()
            self._run("split", index=step.index, at_seq=at)

    def delete(self) -> None:
        row = self.current_row
        if row is not None and self._run("delete", index=row):
            self.select(row)

    def move_step(self, by: int) -> None:
        row = self.current_row
        if row is None or not 0 <= row + by < self.model.rowCount():
            return
        self.save_note()
        if self._run("reorder", index=row, to=row + by):
            self.select(row + by)

    def toggle_decision(self) -> None:
        step = self.current_step()
        if step is not None:
            self._set("decision_point", not step.decision_point)

    def next_missing(self) -> None:
        self.save_note()
        missing = self.model.trajectory.decision_points(unexplained_only=True)
        if missing:
            row = self.current_row or 0
            later = [s.index for s in missing if s.index > row]
            self.select(later[0] if later else missing[0].index)
            self.note.setFocus()

    def submit(self) -> bool:
        self.save_note()
        problems = self.model.trajectory.problems()
        if problems:
            self.message.setText("Not ready to submit: " + "; ".join(problems))
            announce("not submitted", problems=problems)
            self.next_missing()
            return False
        try:
            self.model.trajectory.submit()
        except DemotraceError as exc:
            self.message.setText(f"Cannot submit: {exc}")
            announce("not submitted", problems=[str(exc)])
            return False
        self.message.setText("")
        self.submitted.emit(self.model.trajectory.session_id)
        return True

    def _close(self) -> None:
        self.save_note()
        self.closed.emit()


def _html(text: str) -> str:
    import html

    return html.escape(text)
