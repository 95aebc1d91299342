"""A small real Qt app whose controls succeed, fail or do nothing, for outcome suggestions.

Run it as ``python -m scripted.apps.outcomes [--geometry X,Y,W,H]``. Like the test
form (scripted/apps/form.py) it is frameless, placed where ``--geometry`` says, and
prints one JSON line with its widgets' screen rectangles, then ``ready``.

Widgets: line edits ``name`` and ``email``; ``submit``, which shows "Saved" in
``status`` or, when name is empty, an error box titled "Error"; when name is
``denied``, one titled "Permission denied"; ``delete``, which always fails with
a warning box titled "Delete failed"; ``settings``, which opens a plain
"Settings" dialog; a disabled ``archive`` button and ``locked`` check box; an
enabled ``check`` box; a ``list`` long enough to scroll and a ``short`` list
that cannot; a static ``caption``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from scripted.apps.form import parse_geometry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geometry", type=parse_geometry, default=(0, 0, 900, 600))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QDialog,
        QLabel,
        QLineEdit,
        QListWidget,
        QMessageBox,
        QPushButton,
        QVBoxLayout,
        QWidget,
    )

    app = QApplication([sys.argv[0]])
    app.setApplicationName("demotrace-outcomes")
    x, y, width, height = args.geometry
    window = QWidget()
    window.setWindowTitle("demotrace outcomes")
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setFixedSize(width, height)
    window.move(x, y)
    widgets: dict[str, QWidget] = {}

    def place(name: str, widget: QWidget, left: int, top: int, w: int, h: int) -> None:
        widget.setGeometry(left, top, w, h)
        widgets[name] = widget

    place(
        "caption",
        QLabel("Outcomes: every control here either works or says why not", window),
        20,
        10,
        600,
        30,
    )
    name, email = QLineEdit(window), QLineEdit(window)
    name.setPlaceholderText("Name")
    email.setPlaceholderText("Email")
    place("name", name, 20, 60, 300, 30)
    place("email", email, 20, 110, 300, 30)
    status = QLabel("", window)
    status.setStyleSheet("font-size: 16px;")
    place("status", status, 360, 160, 300, 30)

    def submit() -> None:
        text = name.text().strip()
        if not text:
            QMessageBox.critical(window, "Error", "Name is required.")
        elif text == "denied":
            QMessageBox.critical(window, "Permission denied", "You may not submit this form.")
        else:
            status.setText(f"Saved: {text}")

    def delete() -> None:
        QMessageBox.warning(window, "Delete failed", "The record is locked by another user.")

    def settings() -> None:
        dialog = QDialog(window)
        dialog.setWindowTitle("Settings")
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("Preferences for this form"))
        layout.addWidget(QCheckBox("Remember me"))
        ok = QPushButton("OK")
        ok.clicked.connect(dialog.accept)
        layout.addWidget(ok)
        dialog.resize(320, 160)
        dialog.exec()

    for key, label, slot, top in (
        ("submit", "Submit", submit, 160),
        ("delete", "Delete", delete, 210),
        ("settings", "Settings...", settings, 260),
    ):
        button = QPushButton(label, window)
        button.clicked.connect(slot)
        place(key, button, 20, top, 140, 36)
    archive = QPushButton("Archive", window)
    archive.setEnabled(False)
    place("archive", archive, 180, 160, 140, 36)
    locked = QCheckBox("Locked option", window)
    locked.setEnabled(False)
    place("locked", locked, 180, 210, 160, 30)
    place("check", QCheckBox("Subscribe", window), 180, 260, 160, 30)
    long_list, short_list = QListWidget(window), QListWidget(window)
    long_list.addItems([f"Entry {i:02d}" for i in range(60)])
    short_list.addItems(["One", "Two", "Three"])
    place("list", long_list, 360, 220, 240, 240)
    place("short", short_list, 620, 220, 240, 240)

    def announce() -> None:
        def rect(widget: QWidget) -> list[int]:
            p = widget.mapToGlobal(QPoint(0, 0))
            return [p.x(), p.y(), widget.width(), widget.height()]

        layout = {"widgets": {k: rect(w) for k, w in widgets.items()}, "window": rect(window)}
        sys.stdout.write(json.dumps(layout) + "\nready\n")
        sys.stdout.flush()

    window.show()
    window.raise_()
    window.activateWindow()
    long_list.setFocus()  # no field has the caret until the person clicks one

    def when_painted() -> None:
        window.repaint()
        app.processEvents()
        app.sync()
        QTimer.singleShot(100, announce)

    QTimer.singleShot(50, when_painted)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
