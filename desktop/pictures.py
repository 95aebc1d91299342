"""Frames as Qt images, and thumbnails made on a worker thread so the GUI never waits."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap

from capture.store.session_frames import SessionFrames


def to_qimage(rgb: np.ndarray) -> QImage:
    h, w, _ = rgb.shape
    data = np.ascontiguousarray(rgb)
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def frame_image(frames: SessionFrames, frame_id: int | str | None) -> QImage | None:
    if frames.get(frame_id) is None:
        return None
    assert frame_id is not None
    return to_qimage(frames.rgb(frame_id))


class _Done(QObject):
    ready = Signal(object, QImage)


class _Make(QRunnable):
    def __init__(self, frames: SessionFrames, frame_id: int | str, size: QSize, done: _Done):
        super().__init__()
        self._frames, self._frame_id, self._size, self._done = frames, frame_id, size, done

    def run(self) -> None:
        try:
            image = to_qimage(self._frames.rgb(self._frame_id))
        except Exception:  # noqa: BLE001 - a missing blob leaves a blank thumbnail
            image = QImage()
        if not image.isNull():
            image = image.scaled(
                self._size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self._done.ready.emit(self._frame_id, image)


class Thumbnails(QObject):
    """Small images of frames, made on request off the GUI thread; ``ready`` when each is done."""

    ready = Signal(object)  # frame id

    def __init__(self, frames: SessionFrames, size: QSize, keep: int = 600) -> None:
        super().__init__()
        self._frames = frames
        self._size = size
        self._keep = keep
        self._images: OrderedDict[int | str, QPixmap] = OrderedDict()
        self._asked: set[int | str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._done = _Done()
        self.blank = QPixmap(size)
        self.blank.fill(Qt.GlobalColor.darkGray)
        self._done.ready.connect(self._arrived)

    def get(self, frame_id: int | str | None) -> QPixmap | None:
        """The thumbnail if made; otherwise None, and it is being made."""
        if frame_id is None or self._frames.get(frame_id) is None:
            return None
        image = self._images.get(frame_id)
        if image is not None:
            self._images.move_to_end(frame_id)
            return image
        if frame_id not in self._asked:
            self._asked.add(frame_id)
            self._pool.start(_Make(self._frames, frame_id, self._size, self._done))
        return None

    def _arrived(self, frame_id: int | str, image: QImage) -> None:
        self._asked.discard(frame_id)
        self._images[frame_id] = QPixmap.fromImage(image)  # on the GUI thread, as pixmaps must
        while len(self._images) > self._keep:
            self._images.popitem(last=False)
        self.ready.emit(frame_id)

    def close(self) -> None:
        self._pool.clear()
        self._pool.waitForDone(5000)
