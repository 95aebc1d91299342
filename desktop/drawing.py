"""A step's action painted onto a frame: click markers, drag paths, scroll arrows, captions.

Used where a step is shown over its screen in a widget (the step editor, the
walkthrough), painted at the widget's scale so marks stay crisp. The colours
and the captions' words are ``replay.drawing``'s, which draws the same marks
into pixels for the viewer and the HTML report: one visual language.
Coordinates in an action are virtual-desktop pixels; ``origin`` is where the
frame's top-left corner sits on that desktop.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF

from capture.segment import Action
from replay import drawing as marks

BUTTON_COLORS = {"left": marks.CLICK, "right": marks.DRAG, "middle": marks.SCROLL}
CLICK_COUNTS = {"click": 1, "double_click": 2, "triple_click": 3}
CAPTION_COLOR = QColor(*marks.CAPTION_BG, 215)


def action_caption(action: Mapping[str, Any]) -> str:
    """What the caption says for actions that have no place on screen (typing, keys, waits)."""
    return marks.action_caption(Action.from_json(action)) or ""


def paint_action(
    painter: QPainter,
    action: Mapping[str, Any],
    origin: tuple[int, int] = (0, 0),
    scale: float = 1.0,
    area: QRectF | None = None,
) -> None:
    """Draw ``action`` with ``painter`` over a frame drawn at ``scale`` whose corner is ``origin``.

    ``area``: the rectangle the frame occupies on the painter (captions go at its bottom).
    """
    kind = action["type"]

    def at(x: float, y: float) -> QPointF:
        return QPointF((x - origin[0]) * scale, (y - origin[1]) * scale)

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    size = max(6.0, 18.0 * scale)
    width = max(2.0, 4.0 * scale)
    color = QColor(*BUTTON_COLORS.get(action.get("button", "left"), marks.CLICK))
    if kind in CLICK_COUNTS:
        center = at(action["x"], action["y"])
        painter.setPen(QPen(color, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for ring in range(CLICK_COUNTS[kind]):
            r = size * (1 + 0.45 * ring)
            painter.drawEllipse(center, r, r)
        painter.setBrush(color)
        painter.drawEllipse(center, width, width)
    elif kind == "drag":
        points = [at(x, y) for x, y in action["path"]]
        path = QPainterPath(points[0])
        for p in points[1:]:
            path.lineTo(p)
        color = QColor(*marks.DRAG)
        painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(color)
        painter.drawEllipse(points[0], width * 1.5, width * 1.5)
        _arrow_head(painter, points[-2], points[-1], size, color)
    elif kind == "scroll":
        start = at(action["x"], action["y"])
        dx, dy = action["dx"], action["dy"]
        length = size * (1.5 + min(6, max(abs(dx), abs(dy))) * 0.5)
        norm = math.hypot(dx, dy) or 1.0
        end = QPointF(start.x() + dx / norm * length, start.y() + dy / norm * length)
        scroll_color = QColor(*marks.SCROLL)
        painter.setPen(QPen(scroll_color, width))
        painter.drawLine(start, end)
        _arrow_head(painter, start, end, size, scroll_color)
        painter.setBrush(scroll_color)
        painter.drawEllipse(start, width, width)
    elif kind == "move":
        center = at(action["x"], action["y"])
        painter.setPen(QPen(QColor(*marks.DRAG), width))
        painter.drawLine(center - QPointF(size, 0), center + QPointF(size, 0))
        painter.drawLine(center - QPointF(0, size), center + QPointF(0, size))
    caption = action_caption(action)
    if caption and area is not None:
        _caption(painter, caption, area)
    painter.restore()


def _arrow_head(painter: QPainter, tail: QPointF, tip: QPointF, size: float, color: QColor) -> None:
    angle = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
    wing = size * 0.8
    left, right = (
        QPointF(tip.x() - wing * math.cos(angle + s), tip.y() - wing * math.sin(angle + s))
        for s in (-0.45, 0.45)
    )
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(QPolygonF([tip, left, right]))


def _caption(painter: QPainter, text: str, area: QRectF) -> None:
    font = QFont(painter.font())
    font.setPixelSize(max(11, min(28, int(area.height() / 18))))
    painter.setFont(font)
    metrics = painter.fontMetrics()
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(area.width() * 0.9))
    pad = font.pixelSize() * 0.5
    box = QRectF(0, 0, metrics.horizontalAdvance(shown) + 2 * pad, metrics.height() + pad)
    box.moveCenter(QPointF(area.center().x(), area.bottom() - box.height()))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(CAPTION_COLOR)
    painter.drawRoundedRect(box, pad, pad)
    painter.setPen(QColor(*marks.CAPTION_FG))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)


def frame_with_action(
    frame: QImage, action: Mapping[str, Any], origin: tuple[int, int] = (0, 0)
) -> QImage:
    """A copy of ``frame`` (at its own size) with ``action`` drawn on it."""
    out = frame.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(out)
    paint_action(painter, action, origin, 1.0, QRectF(out.rect()))
    painter.end()
    return out
