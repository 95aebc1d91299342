"""The sessions list as a Qt item model (no widgets: tests use it without a window)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from capture.store.sessions import SessionSummary, short_id

Index = QModelIndex | QPersistentModelIndex

COLUMNS: list[tuple[str, Callable[[SessionSummary], str]]] = [
    ("Session", lambda s: short_id(s.id)),
    ("Task", lambda s: s.task or "—"),
    ("Recorded", lambda s: s.created_at[:19].replace("T", " ")),
    ("Duration", lambda s: f"{s.duration_s:.1f} s"),
    ("Events", lambda s: str(s.events)),
    ("Frames", lambda s: str(s.frames)),
    ("Status", lambda s: s.status),
]


class SessionTableModel(QAbstractTableModel):
    def __init__(self, load: Callable[[], list[SessionSummary]]) -> None:
        super().__init__()
        self._load = load
        self._rows: list[SessionSummary] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = list(reversed(self._load()))  # newest first
        self.endResetModel()

    def session_at(self, row: int) -> SessionSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        session = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](session)
        if role == Qt.ItemDataRole.ToolTipRole:
            return session.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None
