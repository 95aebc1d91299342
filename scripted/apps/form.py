"""A small real Qt form that end-to-end tests and the benchmark drive with xdotool.

Run it as ``python -m scripted.apps.form`` or ``python scripted/apps/form.py``::

    python -m scripted.apps.form --geometry 0,0,1000,800 --log /tmp/form.jsonl

There is no window manager under Xvfb, so the window is frameless and placed
exactly where ``--geometry`` says. Once the window is shown and painted the app
prints, on stdout, one JSON line with the screen rectangles of its key widgets
(global coordinates, physical pixels) and then the line ``ready``::

    {"widgets": {"name": [x, y, w, h], ...}, "window": [x, y, w, h], "dpr": 1.0}
    ready

Widgets: three line edits (``name``, ``email``, ``notes``), a ``toggle`` button
that flips the ``patch`` (200x100) between pure red and pure green (or ``--on-color``) on each
click, a ``counter`` label, a ``check`` box, a ``list`` of 200 items (scrolls
vertically), a wide ``table`` (scrolls horizontally) and a ``canvas`` that draws
a line along each mouse drag.

With ``--log PATH`` the app appends one JSON line per thing it receives: raw
input as delivered to its window (``mouse_press``, ``mouse_release``,
``mouse_double_click``, ``wheel``, ``key_press``, ``key_release``) and what the
widgets made of it (``clicked``, ``text``, ``checked``, ``scroll``, ``stroke``).
Every line has ``t_ns`` (time.monotonic_ns) and ``event``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, TextIO

RED = "#ff0000"
GREEN = "#00ff00"
LIST_ITEMS = 200
TABLE_ROWS = 6
TABLE_COLUMNS = 40


def parse_geometry(text: str) -> tuple[int, int, int, int]:
    parts = [int(p) for p in text.replace("x", ",").split(",")]
    if len(parts) != 4 or parts[2] <= 0 or parts[3] <= 0:
        raise argparse.ArgumentTypeError("expected X,Y,W,H, e.g. 0,0,1000,800")
    return parts[0], parts[1], parts[2], parts[3]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geometry",
        type=parse_geometry,
        default=(0, 0, 1000, 800),
        help="window position and size in screen pixels: X,Y,W,H (default 0,0,1000,800)",
    )
    parser.add_argument("--log", default=None, help="append one JSON line per UI event here")
    parser.add_argument("--title", default="demotrace test form", help="window title")
    parser.add_argument(
        "--on-color", default=GREEN, help=f"the patch's colour when toggled on (default {GREEN})"
    )
    return parser


class EventLog:
    """Appends JSON lines to a file (or nowhere), one per call, flushed at once."""

    def __init__(self, path: str | None) -> None:
        self._file: TextIO | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, event: str, **fields: Any) -> None:
        if self._file is None:
            return
        record = {"t_ns": time.monotonic_ns(), "event": event, **fields}
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    # Qt is imported here so that --help works without a display.
    from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
    from PySide6.QtGui import (
        QColor,
        QKeyEvent,
        QMouseEvent,
        QPainter,
        QPen,
        QPolygonF,
        QWheelEvent,
    )
    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QFrame,
        QLabel,
        QLineEdit,
        QListWidget,
        QPushButton,
        QTableWidget,
        QTableWidgetItem,
        QWidget,
    )

    log = EventLog(args.log)

    class Canvas(QWidget):
        """White surface; each drag with the left button leaves a black line."""

        def __init__(self, parent: QWidget) -> None:
            super().__init__(parent)
            self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
            self.strokes: list[list[tuple[float, float]]] = []
            self._current: list[tuple[float, float]] | None = None

        @staticmethod
        def _at(event: QMouseEvent) -> tuple[float, float]:
            # Copy the coordinates: the event and its QPointF die after delivery.
            position = event.position()
            return position.x(), position.y()

        def mousePressEvent(self, event: QMouseEvent) -> None:
            if event.button() == Qt.MouseButton.LeftButton:
                self._current = [self._at(event)]
                self.strokes.append(self._current)
                self.update()

        def mouseMoveEvent(self, event: QMouseEvent) -> None:
            if self._current is not None:
                self._current.append(self._at(event))
                self.update()

        def mouseReleaseEvent(self, event: QMouseEvent) -> None:
            if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
                self._current.append(self._at(event))
                points = [[round(x), round(y)] for x, y in self._current]
                log.write(
                    "stroke", widget="canvas", points=len(points), first=points[0], last=points[-1]
                )
                self._current = None
                self.update()

        def paintEvent(self, event: Any) -> None:
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor("#ffffff"))
            painter.setPen(QPen(QColor("#808080"), 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
            painter.setPen(QPen(QColor("#000000"), 3))
            for stroke in self.strokes:
                if len(stroke) == 1:
                    painter.drawPoint(QPointF(*stroke[0]))
                    continue
                # One call per stroke: a QPainterPath.lineTo loop trips a
                # reference-count bug in some PySide6 builds on Python 3.11.
                painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in stroke]))
            painter.end()

    class InputSpy(QObject):
        """Sees each input event once, as the platform delivered it to the window."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if isinstance(event, QWheelEvent):
                pos, delta = event.globalPosition(), event.angleDelta()
                log.write("wheel", x=round(pos.x()), y=round(pos.y()), dx=delta.x(), dy=delta.y())
            elif isinstance(event, QMouseEvent) and kind in MOUSE_KINDS:
                pos = event.globalPosition()
                log.write(
                    MOUSE_KINDS[kind],
                    x=round(pos.x()),
                    y=round(pos.y()),
                    button=event.button().name,
                )
            elif isinstance(event, QKeyEvent) and kind in KEY_KINDS:
                log.write(
                    KEY_KINDS[kind],
                    key=event.key(),
                    text=event.text(),
                    modifiers=event.modifiers().value,
                    autorepeat=event.isAutoRepeat(),
                )
            return False

    MOUSE_KINDS = {
        QEvent.Type.MouseButtonPress: "mouse_press",
        QEvent.Type.MouseButtonRelease: "mouse_release",
        QEvent.Type.MouseButtonDblClick: "mouse_double_click",
    }
    KEY_KINDS = {QEvent.Type.KeyPress: "key_press", QEvent.Type.KeyRelease: "key_release"}

    app = QApplication([sys.argv[0]])
    app.setApplicationName("demotrace-test-form")
    x, y, width, height = args.geometry

    window = QWidget()
    window.setWindowTitle(args.title)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setFixedSize(width, height)
    window.move(x, y)
    window.setStyleSheet("QWidget#form { background: #f0f0f0; }")
    window.setObjectName("form")

    widgets: dict[str, QWidget] = {}

    def place(name: str, widget: QWidget, left: int, top: int, w: int, h: int) -> None:
        widget.setGeometry(left, top, w, h)
        widgets[name] = widget

    title = QLabel("demotrace test form", window)
    title.setGeometry(20, 10, 400, 30)
    title.setStyleSheet("font-size: 18px; font-weight: bold;")

    for row, (name, placeholder) in enumerate(
        [("name", "Name"), ("email", "Email"), ("notes", "Notes")]
    ):
        label = QLabel(placeholder, window)
        label.setGeometry(20, 60 + row * 50, 80, 30)
        edit = QLineEdit(window)
        edit.setPlaceholderText(placeholder)
        edit.setObjectName(name)
        edit.textChanged.connect(lambda text, n=name: log.write("text", widget=n, text=text))
        place(name, edit, 100, 60 + row * 50, 360, 30)

    check = QCheckBox("Subscribe", window)
    check.toggled.connect(lambda on: log.write("checked", widget="check", checked=on))
    place("check", check, 100, 210, 200, 30)

    counter = QLabel("clicks: 0", window)
    counter.setStyleSheet("font-size: 16px;")
    place("counter", counter, 260, 260, 200, 40)

    patch = QFrame(window)
    patch.setAutoFillBackground(True)
    patch.setStyleSheet(f"background-color: {RED}; border: none;")
    place("patch", patch, 100, 320, 200, 100)

    state = {"clicks": 0}

    toggle = QPushButton("Toggle", window)

    def on_toggle() -> None:
        state["clicks"] += 1
        color = args.on_color if state["clicks"] % 2 else RED
        patch.setStyleSheet(f"background-color: {color}; border: none;")
        counter.setText(f"clicks: {state['clicks']}")
        log.write("clicked", widget="toggle", clicks=state["clicks"], patch=color)

    toggle.clicked.connect(on_toggle)
    place("toggle", toggle, 100, 260, 140, 40)

    items = QListWidget(window)
    for i in range(LIST_ITEMS):
        items.addItem(f"Item {i:03d}")
    items.verticalScrollBar().valueChanged.connect(
        lambda v: log.write("scroll", widget="list", axis="vertical", value=v)
    )
    items.currentRowChanged.connect(lambda r: log.write("selected", widget="list", row=r))
    place("list", items, 500, 60, 460, 260)

    table = QTableWidget(TABLE_ROWS, TABLE_COLUMNS, window)
    for c in range(TABLE_COLUMNS):
        table.setHorizontalHeaderItem(c, QTableWidgetItem(f"Col {c}"))
        for r in range(TABLE_ROWS):
            table.setItem(r, c, QTableWidgetItem(f"r{r}c{c}"))
    table.setHorizontalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
    table.horizontalScrollBar().valueChanged.connect(
        lambda v: log.write("scroll", widget="table", axis="horizontal", value=v)
    )
    place("table", table, 500, 340, 460, 200)

    canvas = Canvas(window)
    place("canvas", canvas, 20, 560, 940, 220)

    spy = InputSpy(window)

    def announce() -> None:
        dpr = window.devicePixelRatioF()

        def rect(widget: QWidget) -> list[int]:
            top_left = widget.mapToGlobal(QPoint(0, 0))
            return [
                round(top_left.x() * dpr),
                round(top_left.y() * dpr),
                round(widget.width() * dpr),
                round(widget.height() * dpr),
            ]

        layout = {
            "widgets": {name: rect(w) for name, w in widgets.items()},
            "window": rect(window),
            "dpr": dpr,
            "colors": {"off": RED, "on": args.on_color},
        }
        log.write("ready", **layout)
        sys.stdout.write(json.dumps(layout) + "\n")
        sys.stdout.write("ready\n")
        sys.stdout.flush()

    window.show()
    handle = window.windowHandle()
    if handle is not None:
        handle.installEventFilter(spy)
    else:  # pragma: no cover - a shown widget always has a native window
        window.installEventFilter(spy)
    window.raise_()
    window.activateWindow()
    name_edit = widgets["name"]
    name_edit.setFocus()

    def when_painted() -> None:
        # Flush the paint queue and the X connection so that the pixels are on
        # the screen before anyone is told they can look.
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
