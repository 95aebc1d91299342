"""The store's statistics in the app: a tree of sections, refreshed on demand.

The numbers come from ``capture.store.stats.collect_stats``; this widget only
lays them out. The app wires it with ``StatsView(lambda: collect_stats(db))``
(or ``StatsDialog`` for a window of its own).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from capture.store.stats import Stats

SECTIONS: list[tuple[str, Callable[[Stats], dict[str, int]]]] = [
    ("Trajectories by task category", lambda s: s.by_category),
    ("Step outcomes (labelled)", lambda s: s.step_outcomes),
    ("Step outcomes (suggested)", lambda s: s.step_outcomes_suggested),
    ("Trajectory outcomes", lambda s: s.trajectory_outcomes),
    ("Mistakes by error type", lambda s: s.mistakes),
]


class StatsView(QWidget):
    def __init__(self, load: Callable[[], Stats], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["", "Count", "Recovered"])
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.refresh_button)
        self.refresh()

    def refresh(self) -> None:
        stats = self._load()
        self.tree.clear()
        QTreeWidgetItem(self.tree, ["Trajectories", str(stats.trajectories)])
        for title, pick in SECTIONS:
            counts = pick(stats)
            section = QTreeWidgetItem(self.tree, [title, str(sum(counts.values()))])
            for name, n in counts.items():
                QTreeWidgetItem(section, [name, str(n)])
        faults = stats.faults
        section = QTreeWidgetItem(
            self.tree,
            [
                "Faults injected",
                str(sum(c["injected"] for c in faults.values())),
                str(sum(c["recovered"] for c in faults.values())),
            ],
        )
        for kind, c in faults.items():
            QTreeWidgetItem(section, [kind, str(c["injected"]), str(c["recovered"])])
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)

    def rows(self) -> list[tuple[str, ...]]:
        """What the tree shows, top to bottom (sections and their rows), as text."""
        out: list[tuple[str, ...]] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            out.append(("  " * depth + item.text(0), item.text(1), item.text(2)))
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return out


class StatsDialog(QDialog):
    def __init__(self, load: Callable[[], Stats], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("demotrace statistics")
        self.view = StatsView(load, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(460, 520)
