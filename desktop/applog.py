"""What the app tells a log reader: windows shown (with where their controls are), recordings.

One JSON object a line on the ``demotrace.app`` logger. The app writes these to
stderr when ``DEMOTRACE_LOG=1``; end-to-end tests read them to find buttons.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

log = logging.getLogger("demotrace.app")


def global_rect(widget: QWidget, rect: QRect | None = None) -> list[int]:
    """[x, y, width, height] of ``widget`` (or ``rect`` inside it) on the screen, in pixels."""
    r = rect or widget.rect()
    top_left = widget.mapToGlobal(r.topLeft())
    ratio = widget.devicePixelRatioF()
    return [
        round(top_left.x() * ratio),
        round(top_left.y() * ratio),
        round(r.width() * ratio),
        round(r.height() * ratio),
    ]


def announce(
    event: str, widgets: Mapping[str, QWidget | tuple[QWidget, QRect]] | None = None, **info: object
) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    where = {
        name: global_rect(*w) if isinstance(w, tuple) else global_rect(w)
        for name, w in (widgets or {}).items()
    }
    log.info(json.dumps({"event": event, **info, "widgets": where}))
