"""A frame scaled to fit, with a step's action drawn on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.drawing import paint_action


class FrameView(QWidget):
    def __init__(self, placeholder: str = "no frame", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._action: Mapping[str, Any] | None = None
        self._origin = (0, 0)
        self._placeholder = placeholder
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 140)

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def show_frame(
        self,
        image: QImage | None,
        action: Mapping[str, Any] | None = None,
        origin: tuple[int, int] = (0, 0),
    ) -> None:
        self._image, self._action, self._origin = image, action, origin
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._image is None or self._image.isNull():
            painter.setPen(Qt.GlobalColor.lightGray)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
            painter.end()
            return
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        area = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(area, self._image)
        if self._action is not None:
            painter.translate(area.topLeft())
            paint_action(painter, self._action, self._origin, scale, QRectF(0, 0, w, h))
        painter.end()
