"""A session's steps as a Qt item model, and its edits as undoable commands.

No widgets: tests drive the model and the undo stack without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QUndoCommand, QUndoStack

from capture.segment import EditRecord, Step
from desktop.commands.common import describe_action
from desktop.pictures import Thumbnails
from desktop.trajectory import Trajectory

Index = QModelIndex | QPersistentModelIndex
StepRole = Qt.ItemDataRole.UserRole + 1
THUMBNAIL = QSize(160, 90)
MISSING_NOTE = QColor("#c62828")

EDIT_NAMES = {
    "merge": "merge steps",
    "split": "split step",
    "delete": "delete step",
    "reorder": "move step",
    "relabel": "annotate step",
    "baseline": "steps as imported",
}


def step_line(step: Step) -> str:
    mark = "◆ " if step.decision_point else ""
    return f"{step.index}  {mark}{step.action.type}  {describe_action(step.action.to_json())}"


class StepListModel(QAbstractListModel):
    """The steps of one trajectory, with lazy thumbnails of their before-frames."""

    edited = Signal()

    def __init__(self, trajectory: Trajectory, thumbnails: Thumbnails | None = None) -> None:
        super().__init__()
        self.trajectory = trajectory
        self.undo_stack = QUndoStack(self)
        self._thumbnails = thumbnails
        self._row_of_frame: dict[int | str, list[int]] = {}
        self._index_frames()
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)

    @property
    def steps(self) -> list[Step]:
        return self.trajectory.steps

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.trajectory.steps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step = self.trajectory.steps[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return step_line(step)
        if role == Qt.ItemDataRole.DecorationRole and self._thumbnails is not None:
            # A blank of the right size until the thumbnail is made: views size rows once.
            return QIcon(self._thumbnails.get(step.before_frame) or self._thumbnails.blank)
        if role == Qt.ItemDataRole.ForegroundRole:
            if step.decision_point and not step.note.strip():
                return QBrush(MISSING_NOTE)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [step_line(step)]
            if step.decision_point:
                lines.append(f"decision point ({step.decision_reason or 'manual'})")
            if step.note:
                lines.append(step.note)
            return "\n".join(lines)
        if role == StepRole:
            return step
        return None

    def _index_frames(self) -> None:
        self._row_of_frame = {}
        for row, step in enumerate(self.trajectory.steps):
            if step.before_frame is not None:
                self._row_of_frame.setdefault(step.before_frame, []).append(row)

    def _thumbnail_ready(self, frame_id: int | str) -> None:
        for row in self._row_of_frame.get(frame_id, []):
            i = self.index(row)
            self.dataChanged.emit(i, i, [Qt.ItemDataRole.DecorationRole])

    # -- edits

    def edit(self, op: str, **args: object) -> None:
        """Compute the edit (EditError when it does not apply), then push it on the undo stack."""
        record, after = self.trajectory.compute(op, **args)
        self.undo_stack.push(StepEdit(self, record, list(self.trajectory.steps), after))

    def _change(self, store: Callable[[], object], changed_rows: tuple[int, ...] | None) -> None:
        """Run ``store`` (which changes the steps) and tell the views what changed."""
        if changed_rows is not None:
            store()
            for row in changed_rows:
                i = self.index(row)
                self.dataChanged.emit(i, i)
        else:
            self.beginResetModel()
            try:
                store()
            finally:
                self._index_frames()
                self.endResetModel()
        self.edited.emit()


class StepEdit(QUndoCommand):
    """One edit: redo appends it to the audit trail, undo withdraws it."""

    def __init__(
        self, model: StepListModel, record: EditRecord, before: list[Step], after: list[Step]
    ) -> None:
        super().__init__(EDIT_NAMES[record.op])
        self._model, self._record = model, record
        self._before, self._after = before, after
        self._seq: int | None = None
        self._rows = (int(record.args["index"]),) if record.op == "relabel" else None

    def redo(self) -> None:
        def store() -> None:
            self._seq = self._model.trajectory.commit(self._record, self._after)

        self._model._change(store, self._rows)

    def undo(self) -> None:
        seq = self._seq
        assert seq is not None
        self._model._change(lambda: self._model.trajectory.withdraw(seq, self._before), self._rows)
