"""A tiny real Qt text editor that end-to-end tests and benchmarks drive with xdotool.

Run it as ``python -m scripted.apps.editor``::

    python -m scripted.apps.editor --geometry 0,0,900,600 --log /tmp/editor.jsonl

Like the test form, the window is frameless and placed exactly where
``--geometry`` says (there is no window manager under Xvfb). Once it is shown
and painted the app prints one JSON line with the screen rectangles of its
widgets and of the first lines of text (global coordinates, physical pixels)
and the width of one character, then the line ``ready``::

    {"widgets": {"text": [x, y, w, h], "line0": [...], ...}, "window": [...],
     "dpr": 1.0, "char_width": 11.0}
    ready

Widgets: ``text`` (a plain-text editor holding a few lines of words in a
monospace font, caret at the end), ``line0`` .. ``line3`` (the rectangles of
the first four lines of text), and a ``status`` label showing the caret's line
and column. With ``--log PATH`` the app appends one JSON line per change of the
text (``text``) and of the selection (``selection``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from scripted.apps.form import EventLog, parse_geometry

LINES = (
    "alpha beta gamma delta",
    "the quick brown fox jumps",
    "lorem ipsum dolor sit amet",
    "one two three four five",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geometry",
        type=parse_geometry,
        default=(0, 0, 900, 600),
        help="window position and size in screen pixels: X,Y,W,H (default 0,0,900,600)",
    )
    parser.add_argument("--log", default=None, help="append one JSON line per change here")
    parser.add_argument("--title", default="demotrace test editor", help="window title")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtGui import QFont, QTextCursor
    from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QWidget

    log = EventLog(args.log)
    app = QApplication([sys.argv[0]])
    app.setApplicationName("demotrace-test-editor")
    x, y, width, height = args.geometry

    window = QWidget()
    window.setWindowTitle(args.title)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setFixedSize(width, height)
    window.move(x, y)

    text = QPlainTextEdit(window)
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPixelSize(18)
    text.setFont(font)
    text.setCursorWidth(2)
    text.setPlainText("\n".join(LINES))
    text.moveCursor(QTextCursor.MoveOperation.End)
    text.setGeometry(20, 20, width - 40, height - 80)
    text.textChanged.connect(lambda: log.write("text", text=text.toPlainText()))
    text.selectionChanged.connect(
        lambda: log.write("selection", text=text.textCursor().selectedText())
    )

    status = QLabel(window)
    status.setGeometry(20, height - 50, width - 40, 30)

    def show_caret() -> None:
        cursor = text.textCursor()
        status.setText(f"line {cursor.blockNumber() + 1}, column {cursor.positionInBlock() + 1}")

    text.cursorPositionChanged.connect(show_caret)
    show_caret()

    def announce() -> None:
        dpr = window.devicePixelRatioF()

        def rect(widget: QWidget, left: int = 0, top: int = 0, w: int = 0, h: int = 0) -> list[int]:
            origin = widget.mapToGlobal(QPoint(left, top))
            return [
                round(origin.x() * dpr),
                round(origin.y() * dpr),
                round((w or widget.width()) * dpr),
                round((h or widget.height()) * dpr),
            ]

        viewport = text.viewport()
        widgets: dict[str, Any] = {"text": rect(text), "status": rect(status)}
        block = text.document().firstBlock()
        for i in range(len(LINES)):
            box = text.blockBoundingGeometry(block).translated(text.contentOffset()).toRect()
            widgets[f"line{i}"] = rect(viewport, box.x(), box.y(), box.width(), box.height())
            block = block.next()
        layout = {
            "widgets": widgets,
            "window": rect(window),
            "dpr": dpr,
            "char_width": text.fontMetrics().horizontalAdvance("m") * dpr,
        }
        log.write("ready", **layout)
        sys.stdout.write(json.dumps(layout) + "\n")
        sys.stdout.write("ready\n")
        sys.stdout.flush()

    window.show()
    window.raise_()
    window.activateWindow()
    text.setFocus()

    def when_painted() -> None:
        window.repaint()
        app.processEvents()
        app.sync()
        QTimer.singleShot(100, announce)

    QTimer.singleShot(50, when_painted)
    try:
        return app.exec()
    finally:
        log.close()


if __name__ == "__main__":
    sys.exit(main())
