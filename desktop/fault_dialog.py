"""The unexpected error box of a ``dialog`` fault: a small Qt process of its own.

    python -m desktop.fault_dialog --text "Permission denied" [--title Error]

Shows a modal error box centred over the window that has the input focus (the
app being demonstrated), prints ``ready`` once it is painted, and exits when
the person dismisses it (OK, Return or Escape).
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_TITLE = "Error"


def focused_window_rect() -> tuple[int, int, int, int] | None:
    """Screen rectangle of the top-level window that has the input focus, if any."""
    from Xlib import X, display
    from Xlib.error import XError

    disp = display.Display()
    try:
        root = disp.screen().root
        window = disp.get_input_focus().focus
        if not hasattr(window, "query_tree") or window == X.PointerRoot:
            return None
        while True:  # walk up to the child of the root
            parent = window.query_tree().parent
            if not parent or parent.id == root.id:
                break
            window = parent
        geometry = window.get_geometry()
        at = window.translate_coords(root, 0, 0)
        return -at.x, -at.y, geometry.width, geometry.height
    except XError:
        return None
    finally:
        disp.close()


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

    # No window manager draws a frame under Xvfb or a bare X session: draw our own.
    box.setStyleSheet(
        "QMessageBox { background: #ffffff; border: 2px solid #b00000; }"
        " QMessageBox QLabel#qt_msgbox_label { min-width: 260px; font-size: 14px; }"
    )
    over = focused_window_rect()
    box.show()
    if over is not None:
        x, y, w, h = over
        size = box.sizeHint()
        box.move(x + (w - size.width()) // 2, y + (h - size.height()) // 2)
    QTimer.singleShot(150, announce)
    box.finished.connect(app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
