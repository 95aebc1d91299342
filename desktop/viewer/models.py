"""The viewer's Qt item model: the steps of the trajectory, in sync with playback."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from replay.describe import describe_action
from replay.review import comments_by_step
from replay.timeline import Timeline

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("#", "At", "Action", "Details", "Note", "Review")


class StepListModel(QAbstractTableModel):
    """One row per step; the row being played is shown bold."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self.current = 0
        self._use(timeline)

    def _use(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._comments = comments_by_step(timeline.trajectory.reviews)
        self._redundant = {i for r in timeline.trajectory.reviews for i in r.redundant_steps}

    def set_timeline(self, timeline: Timeline) -> None:
        """The same steps with new reviews (after one is saved)."""
        self.beginResetModel()
        self._use(timeline)
        self.endResetModel()

    def set_current(self, row: int) -> None:
        if row == self.current:
            return
        old, self.current = self.current, row
        last = len(COLUMNS) - 1
        self.dataChanged.emit(self.index(old, 0), self.index(old, last))
        self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._timeline.steps)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def review_text(self, row: int) -> str:
        step = self._timeline.steps[row]
        parts = [f"{r.reviewer}: {c.text}" for r, c in self._comments.get(step.index, [])]
        if step.index in self._redundant:
            parts.append("redundant")
        return "; ".join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step = self._timeline.steps[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return ("◆ " if step.decision_point else "") + str(step.index)
            if col == 1:
                return f"{step.t_start / 1e9:.2f}s"
            if col == 2:
                return step.action.type.replace("_", " ")
            if col == 3:
                return describe_action(step.action.to_json())
            if col == 4:
                return step.note
            return self.review_text(index.row())
        if role == Qt.ItemDataRole.ToolTipRole and col in (4, 5):
            return step.note if col == 4 else self.review_text(index.row())
        if role == Qt.ItemDataRole.FontRole and index.row() == self.current:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
