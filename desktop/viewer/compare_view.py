"""Every trajectory of one task side by side: a summary per trajectory and the aligned steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from replay.compare import Comparison, Row, aligned_rows, signature
from replay.describe import describe_action
from replay.trajectory import Trajectory

Index = QModelIndex | QPersistentModelIndex

SAME = QColor(220, 252, 231)
OTHER = QColor(254, 243, 199)
DETOUR = QColor(254, 215, 170)
MISSING = QColor(243, 244, 246)

SUMMARY = (
    "Session",
    "By",
    "Stage",
    "Goal",
    "Verdicts",
    "Steps",
    "Time",
    "Windows",
    "Parts at",
    "Detours",
)


class TakeSummaryModel(QAbstractTableModel):
    """One row per trajectory: outcome, verdicts, length, duration, windows, where it parts."""

    def __init__(self, result: Comparison) -> None:
        super().__init__()
        self._result = result

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._result.takes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SUMMARY)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        t = self._result.takes[index.row()]
        ref = " (reference)" if t.session_id == self._result.reference else ""
        detours = ", ".join(
            f"{d['from']}-{d['to']}" if d["to"] != d["from"] else str(d["from"]) for d in t.detours
        )
        return (
            t.session_id[:10] + ref,
            t.annotator,
            t.stage.replace("_", " "),
            t.goal or "—",
            ", ".join(f"{v['reviewer']}: {v['verdict'].replace('_', ' ')}" for v in t.verdicts)
            or "—",
            str(t.steps),
            f"{t.duration_s:.1f} s",
            ", ".join(t.windows) or "—",
            "—" if t.parts_at is None else f"step {t.parts_at}",
            detours or "—",
        )[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SUMMARY[section]
        return None


class AlignedStepsModel(QAbstractTableModel):
    """Columns are trajectories, rows are reference steps with detour rows between them."""

    def __init__(self, result: Comparison, trajectories: Sequence[Trajectory]) -> None:
        super().__init__()
        self._result = result
        by_id = {t.session_id: t for t in trajectories}
        self._trajs = [by_id[t.session_id] for t in result.takes]
        self._steps = [{s.index: s for s in t.steps} for t in self._trajs]
        self._rows: list[Row] = aligned_rows(result)
        ref = by_id[result.reference]
        self._ref_sig = {s.index: signature(ref, s) for s in ref.steps}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._trajs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        anchor, cells = self._rows[index.row()]
        own = cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if own is None:
                return "—" if anchor is not None else ""
            step = self._steps[index.column()][own]
            kind = step.action.type.replace("_", " ")
            return f"{own}  {kind} {describe_action(step.action.to_json())}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if own is None:
                return QBrush(MISSING) if anchor is not None else None
            if anchor is None:
                return QBrush(DETOUR)
            traj = self._trajs[index.column()]
            same = signature(traj, self._steps[index.column()][own]) == self._ref_sig[anchor]
            return QBrush(SAME if same else OTHER)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            t = self._result.takes[section]
            return f"{t.session_id[:8]} · {t.annotator}"
        anchor = self._rows[section][0]
        return "detour" if anchor is None else f"ref {anchor}"


class CompareWindow(QMainWindow):
    def __init__(self, result: Comparison, trajectories: Sequence[Trajectory]) -> None:
        super().__init__()
        self.setWindowTitle(f"demotrace compare — {result.instruction}")
        self.summary = TakeSummaryModel(result)
        self.aligned = AlignedStepsModel(result, trajectories)
        top = QTableView()
        top.setModel(self.summary)
        top.verticalHeader().hide()
        top.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        grid = QTableView()
        grid.setModel(self.aligned)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        title = QLabel(
            f"<b>{result.instruction}</b> — {len(result.takes)} trajectories; "
            "green: same action as the reference, amber: another action, "
            "orange: a detour, grey: a reference step not taken"
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(grid)
        split.setSizes([160, 500])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(title)
        layout.addWidget(split)
        self.setCentralWidget(body)
        self.resize(1300, 700)
