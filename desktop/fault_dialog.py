"""The unexpected error box of a ``dialog`` fault: a small Qt process of its own.

    python -m desktop.fault_dialog --text "Permission denied" [--title Error]

Shows a modal error box over whatever is on the screen, prints ``ready`` once
it is painted, and exits when the person dismisses it (OK, Return or Escape).
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_TITLE = "Error"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", required=True, help="the message, e.g. 'Network error'")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="window title (default: Error)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication([sys.argv[0]])
    app.setApplicationName("demotrace-fault")
    box = QMessageBox(
        QMessageBox.Icon.Critical, args.title, args.text, QMessageBox.StandardButton.Ok
    )
    box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)

    def announce() -> None:
        box.raise_()
        box.activateWindow()
        app.processEvents()
        app.sync()
        sys.stdout.write("ready\n")
        sys.stdout.flush()

    box.show()
    QTimer.singleShot(150, announce)
    box.finished.connect(app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
