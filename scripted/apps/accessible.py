"""A small Qt window with accessible widgets, for the tests of where actions land.

Run as ``python -m scripted.apps.accessible --title T --geometry X,Y,W,H``
(``--slow-focus S``: the password field takes S seconds to take the focus). It
has a menu bar (File > Save), a ``Submit`` button, a ``Name`` field, a
``Password`` field, a ``Remember me`` check box and a ``Colour`` combo box.
Once shown it prints one JSON line with the global rectangles of its widgets
and ``ready``; when the File menu opens it prints ``{"menu": {"Save": [x, y,
w, h]}}``, when the combo box's list opens ``{"popup": {item: [x, y, w, h]}}``,
and when an item is chosen ``{"chosen": item}``. A right click on the window's
background opens a context menu with ``Clear form``; once shown it prints
``{"context": {"Clear form": [x, y, w, h]}}``, and the item prints
``{"cleared": true}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from scripted.apps.form import parse_geometry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", default="accessible app")
    parser.add_argument("--geometry", type=parse_geometry, default=(0, 0, 500, 400))
    parser.add_argument(
        "--slow-focus",
        type=float,
        default=0.0,
        help="seconds the password field takes to take the focus (a busy application)",
    )
    args = parser.parse_args(argv)

    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QComboBox,
        QLineEdit,
        QMainWindow,
        QMenu,
        QPushButton,
        QWidget,
    )

    app = QApplication([sys.argv[0]])
    app.setApplicationName("demotrace-accessible")
    window = QMainWindow()
    window.setWindowTitle(args.title)
    x, y, w, h = args.geometry
    window.setGeometry(x, y, w, h)
    menu = window.menuBar().addMenu("File")
    save = menu.addAction("Save")
    central = QWidget(window)
    window.setCentralWidget(central)

    widgets: dict[str, QWidget] = {}
    submit = QPushButton("Submit", central)
    submit.setGeometry(20, 20, 140, 36)
    widgets["submit"] = submit
    name = QLineEdit(central)
    name.setAccessibleName("Name")
    name.setGeometry(20, 80, 300, 30)
    widgets["name"] = name

    class PasswordField(QLineEdit):
        def focusInEvent(self, event: QFocusEvent) -> None:
            time.sleep(args.slow_focus)  # keys typed meanwhile wait in the X server
            super().focusInEvent(event)

    password = PasswordField(central)
    password.setAccessibleName("Password")
    password.setEchoMode(QLineEdit.EchoMode.Password)
    password.setGeometry(20, 130, 300, 30)
    widgets["password"] = password
    remember = QCheckBox("Remember me", central)
    remember.setGeometry(20, 180, 200, 30)
    widgets["remember"] = remember

    class Combo(QComboBox):
        def showPopup(self) -> None:
            super().showPopup()
            QTimer.singleShot(150, popup_shown)

    colour = Combo(central)
    colour.setAccessibleName("Colour")
    colour.addItems(["Red", "Green", "Blue"])
    colour.setGeometry(20, 230, 200, 30)
    widgets["colour"] = colour

    def popup_shown() -> None:
        view = colour.view()
        items = {}
        for row in range(colour.count()):
            box = view.visualRect(view.model().index(row, 0))
            top_left = view.viewport().mapToGlobal(box.topLeft())
            items[colour.itemText(row)] = [top_left.x(), top_left.y(), box.width(), box.height()]
        say({"popup": items})

    colour.activated.connect(lambda row: say({"chosen": colour.itemText(row)}))

    def rect(widget: QWidget) -> list[int]:
        top_left = widget.mapToGlobal(QPoint(0, 0))
        return [top_left.x(), top_left.y(), widget.width(), widget.height()]

    def say(data: dict[str, object]) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    def announce() -> None:
        bar = window.menuBar()
        file_rect = bar.actionGeometry(menu.menuAction())
        top_left = bar.mapToGlobal(file_rect.topLeft())
        layout = {name: rect(widget) for name, widget in widgets.items()}
        layout["file"] = [top_left.x(), top_left.y(), file_rect.width(), file_rect.height()]
        say({"widgets": layout})
        say({"ready": True})

    def menu_shown() -> None:
        geometry = menu.actionGeometry(save)
        top_left = menu.mapToGlobal(geometry.topLeft())
        say({"menu": {"Save": [top_left.x(), top_left.y(), geometry.width(), geometry.height()]}})

    context = QMenu(central)
    clear = context.addAction("Clear form")
    clear.triggered.connect(lambda: say({"cleared": True}))

    def context_shown() -> None:
        geometry = context.actionGeometry(clear)
        top_left = context.mapToGlobal(geometry.topLeft())
        say(
            {
                "context": {
                    "Clear form": [top_left.x(), top_left.y(), geometry.width(), geometry.height()]
                }
            }
        )

    central.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    central.customContextMenuRequested.connect(lambda at: context.popup(central.mapToGlobal(at)))
    context.aboutToShow.connect(lambda: QTimer.singleShot(150, context_shown))
    menu.aboutToShow.connect(lambda: QTimer.singleShot(150, menu_shown))
    save.triggered.connect(lambda: say({"saved": True}))
    window.show()
    QTimer.singleShot(400, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
