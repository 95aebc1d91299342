"""A tray icon where the desktop has a tray: record, stop, show the window, quit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.main_window import MainWindow


def _dot(color: str) -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(4, 4, 24, 24)
    painter.end()
    return QIcon(pixmap)


def tray_icon(window: MainWindow, app: QCoreApplication) -> QSystemTrayIcon | None:
    """The icon, shown; None where the platform has no tray (e.g. a bare X server)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    idle, recording = _dot("#9e9e9e"), _dot("#e53935")
    tray = QSystemTrayIcon(idle, window)
    menu = QMenu(window)
    show = QAction("Show demotrace", menu)
    show.triggered.connect(window.show)
    show.triggered.connect(window.raise_)
    record = QAction("Record", menu)
    record.triggered.connect(window.start_recording)
    stop = QAction("Stop recording", menu)
    stop.triggered.connect(window.stop_recording)
    quit_ = QAction("Quit", menu)
    quit_.triggered.connect(window.shutdown)
    quit_.triggered.connect(app.quit)
    for action in (show, record, stop, quit_):
        menu.addAction(action)

    def update() -> None:
        busy = window.run is not None
        tray.setIcon(recording if busy else idle)
        tray.setToolTip("demotrace: recording" if busy else "demotrace")
        record.setEnabled(not busy)
        stop.setEnabled(busy)

    menu.aboutToShow.connect(update)
    window.recording_changed.connect(update)
    tray.setContextMenu(menu)
    update()
    tray.show()
    return tray
