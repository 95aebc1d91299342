"""The export dialog: the options of ``demotrace export`` as a form, giving an ``ExportRequest``.

It runs nothing itself: whoever opens it takes ``request()`` after it is
accepted and hands it to ``export_sessions`` (off the GUI thread).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from capture.store.selection import ANY_VERDICT, DEFAULT_VERDICT, VERDICTS, Selection
from desktop.commands.export import MIN_MAX_SIZE, ExportRequest, parse_since, parse_until
from replay.export.registry import FORMATS

DEFAULT_VERDICT_LABEL = f"default ({DEFAULT_VERDICT} once reviewed)"


class ExportDialog(QDialog):
    def __init__(self, session_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.format = QComboBox()
        self.format.addItems(sorted(FORMATS))
        self.one = QRadioButton(f"This session ({session_id[:8]})" if session_id else "")
        self.many = QRadioButton("Every session matching the filters")
        self._session = session_id
        self.one.setVisible(session_id is not None)
        (self.one if session_id else self.many).setChecked(True)

        self.task = QLineEdit()
        self.task.setPlaceholderText("task id or instruction")
        self.verdict = QComboBox()
        self.verdict.addItems([DEFAULT_VERDICT_LABEL, *VERDICTS, ANY_VERDICT])
        self.annotator = QLineEdit()
        self.since = QLineEdit()
        self.since.setPlaceholderText("YYYY-MM-DD")
        self.until = QLineEdit()
        self.until.setPlaceholderText("YYYY-MM-DD")
        self.filters = QGroupBox("Filters")
        form = QFormLayout(self.filters)
        form.addRow("Task", self.task)
        form.addRow("Verdict", self.verdict)
        form.addRow("Annotator", self.annotator)
        form.addRow("Since", self.since)
        form.addRow("Until", self.until)

        self.out = QLineEdit()
        self.out.setPlaceholderText("a new folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.out)
        where.addWidget(browse)
        self.max_size = QSpinBox()
        self.max_size.setRange(MIN_MAX_SIZE - 1, 10000)
        self.max_size.setSpecialValueText("as recorded")
        self.max_size.setSuffix(" px")
        self.max_size.setValue(MIN_MAX_SIZE - 1)
        self.force = QCheckBox("Replace the folder if it is not empty")
        self.video = QCheckBox("Add a context video (context.mp4)")
        self.video.setToolTip(
            "Bundles only: every frame the session kept, as H.264, for the motion between steps"
        )

        main = QFormLayout()
        main.addRow("Format", self.format)
        main.addRow("Output", where)
        main.addRow("Longest edge", self.max_size)
        main.addRow("", self.force)
        main.addRow("", self.video)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(main)
        layout.addWidget(self.one)
        layout.addWidget(self.many)
        layout.addWidget(self.filters)
        layout.addWidget(self.buttons)
        for edit in (self.out, self.since, self.until):
            edit.textChanged.connect(self._check)
        self.many.toggled.connect(self._check)
        self.format.currentTextChanged.connect(self._check)
        self._check()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", "", options=QFileDialog.Option.DontConfirmOverwrite
        )
        if path:
            self.out.setText(path)

    def _selection(self) -> Selection | None:
        """The filters, or None while a date does not parse."""
        try:
            since = parse_since(self.since.text()) if self.since.text().strip() else None
            until = parse_until(self.until.text()) if self.until.text().strip() else None
        except argparse.ArgumentTypeError:
            return None
        verdict = self.verdict.currentText()
        return Selection(
            task=self.task.text().strip() or None,
            verdict=None if verdict == DEFAULT_VERDICT_LABEL else verdict,
            annotator=self.annotator.text().strip() or None,
            since=since,
            until=until,
        )

    def _check(self) -> None:
        self.filters.setEnabled(self.many.isChecked())
        bundle = self.format.currentText() == "bundle"
        self.video.setEnabled(bundle)
        if not bundle:
            self.video.setChecked(False)
        ok = bool(self.out.text().strip()) and self._selection() is not None
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)

    def request(self) -> ExportRequest | None:
        selection = self._selection()
        if not self.out.text().strip() or selection is None:
            return None
        size = self.max_size.value()
        one = self.one.isChecked() and self._session is not None
        return ExportRequest(
            format=self.format.currentText(),
            out=Path(self.out.text().strip()).expanduser(),
            session=self._session if one else None,
            selection=Selection() if one else selection,
            max_size=None if size < MIN_MAX_SIZE else size,
            force=self.force.isChecked(),
            video=self.video.isChecked(),
        )
