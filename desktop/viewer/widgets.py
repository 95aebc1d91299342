"""The viewer's thin widgets: the screen, the timeline bar, the before / action / after strip."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from replay.timeline import Timeline

MARKER_COLOURS = {
    "decision": QColor(99, 102, 241),
    "note": QColor(14, 165, 233),
    "comment": QColor(245, 158, 11),
    "mistake": QColor(220, 38, 38),
}


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ImageView(QWidget):
    """An image scaled to fit, aspect kept, on a dark background."""

    def __init__(self, minimum: QSize = QSize(320, 200)) -> None:  # noqa: B008
        super().__init__()
        self._image: QImage | None = None
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(24, 24, 27))
        if self._image is not None and not self._image.isNull():
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) // 2
            y = (self.height() - size.height()) // 2
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(QRect(x, y, size.width(), size.height()), self._image)
        p.end()


class TimelineBar(QWidget):
    """Step ticks, markers (decision points, notes, comments, mistakes) and the play head.

    Clicking or dragging on it seeks.
    """

    seek_requested = Signal(object)  # session time, ns

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self._timeline = timeline
        self._position = 0
        self._cached: QPixmap | None = None
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_timeline(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._cached = None
        self.update()

    def set_position(self, t_ns: int) -> None:
        self._position = t_ns
        self.update()

    def _x(self, t_ns: int) -> float:
        span = max(1, self._timeline.duration_ns)
        return 8 + (self.width() - 16) * t_ns / span

    def time_at(self, x: float) -> int:
        span = max(1, self._timeline.duration_ns)
        return int(max(0.0, min(1.0, (x - 8) / max(1, self.width() - 16))) * span)

    def _track(self) -> QPixmap:
        """Everything but the play head, drawn once per size (a long session has many ticks)."""
        size = self.size()
        if self._cached is not None and self._cached.size() == size:
            return self._cached
        pixmap = QPixmap(size)
        pixmap.fill(QColor(39, 39, 42))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        mid = 22
        p.fillRect(QRectF(8, mid - 2, self.width() - 16, 4), QColor(82, 82, 91))
        p.setPen(QPen(QColor(212, 212, 216), 1))
        ticks = {round(self._x(step.t_start)) for step in self._timeline.steps}
        p.drawLines([QLineF(x, mid - 7, x, mid + 7) for x in sorted(ticks)])
        lanes = {"decision": 6, "note": 38, "comment": 38, "mistake": 6}
        p.setPen(Qt.PenStyle.NoPen)
        drawn: set[tuple[str, int]] = set()
        for marker in self._timeline.markers:
            x = self._x(marker.t_ns)
            if (marker.kind, round(x)) in drawn:
                continue
            drawn.add((marker.kind, round(x)))
            y = lanes[marker.kind]
            p.setBrush(MARKER_COLOURS[marker.kind])
            if marker.kind == "decision":
                p.drawPolygon(
                    QPolygonF(
                        [QPointF(x, y - 4), QPointF(x + 4, y), QPointF(x, y + 4), QPointF(x - 4, y)]
                    )
                )
            elif marker.kind == "comment":
                p.drawRect(QRectF(x - 3.5 + 4, y - 3.5, 7, 7))
            else:
                p.drawEllipse(QPointF(x, y), 3.5, 3.5)
        p.end()
        self._cached = pixmap
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(0, 0, self._track())
        x = self._x(self._position)
        p.setPen(QPen(QColor(248, 113, 113), 2))
        p.drawLine(QPointF(x, 2), QPointF(x, self.height() - 2))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.seek_requested.emit(self.time_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.seek_requested.emit(self.time_at(event.position().x()))


class StepStrip(QWidget):
    """The current step before, during (the action drawn) and after."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.views: dict[str, ImageView] = {}
        for name in ("before", "action", "after"):
            box = QVBoxLayout()
            label = QLabel(name.capitalize())
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            view = ImageView(QSize(160, 100))
            box.addWidget(label)
            box.addWidget(view, 1)
            layout.addLayout(box, 1)
            self.views[name] = view

    def show_images(self, images: dict[str, Callable[[], np.ndarray | None]]) -> None:
        for name, view in self.views.items():
            rgb = images[name]()
            view.set_image(None if rgb is None else to_qimage(rgb))
