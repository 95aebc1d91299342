"""Tasks and their sessions as Qt item models (no widgets: tests use them without a window)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from capture.store.sessions import short_id
from capture.store.stages import Take
from capture.tasks import CATEGORY_NAMES, Task

Index = QModelIndex | QPersistentModelIndex
NO_TASK = "Sessions without a task"


class TaskListModel(QAbstractListModel):
    """Every task, then one row for the sessions filed under none."""

    def __init__(self, load: Callable[[], list[Task]]) -> None:
        super().__init__()
        self._load = load
        self._tasks: list[Task] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self._tasks = self._load()
        self.endResetModel()

    def task_at(self, row: int) -> Task | None:
        """The task on ``row``; None for the sessions-without-a-task row."""
        return self._tasks[row] if row < len(self._tasks) else None

    def row_of(self, task_id: str | None) -> int:
        for row, task in enumerate(self._tasks):
            if task.id == task_id:
                return row
        return len(self._tasks)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task = self.task_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return task.instruction if task else NO_TASK
        if role == Qt.ItemDataRole.ToolTipRole and task is not None:
            return f"{CATEGORY_NAMES[task.category]} · reasoning: {task.reasoning_mode}"
        return None


TAKE_COLUMNS: list[tuple[str, Callable[[Take], str]]] = [
    ("Session", lambda t: short_id(t.id)),
    ("Recorded", lambda t: t.created_at.astimezone().strftime("%Y-%m-%d %H:%M")),
    ("Duration", lambda t: f"{t.duration_s:.1f} s"),
    ("Steps", lambda t: str(t.steps)),
    ("Decision points", lambda t: str(t.decision_points)),
    ("Need a note", lambda t: str(t.unexplained) if t.unexplained else "—"),
    ("Status", lambda t: t.status),
]


class TakeTableModel(QAbstractTableModel):
    """The sessions of the task shown, newest first."""

    def __init__(self, load: Callable[[str | None], list[Take]]) -> None:
        super().__init__()
        self._load = load
        self._task_id: str | None = None
        self._rows: list[Take] = []

    def show_task(self, task_id: str | None) -> None:
        self._task_id = task_id
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = self._load(self._task_id)
        self.endResetModel()

    def take_at(self, row: int) -> Take:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TAKE_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        take = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return TAKE_COLUMNS[index.column()][1](take)
        if role == Qt.ItemDataRole.ToolTipRole:
            return take.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return TAKE_COLUMNS[section][0]
        return None
