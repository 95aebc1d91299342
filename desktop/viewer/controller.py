"""Playback driven by a Qt timer; tells the widgets when the moment or the step changes."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from replay.timeline import Playback

TICK_MS = 33


class PlaybackController(QObject):
    position_changed = Signal(object)  # session time, ns (an int past 32 bits)
    row_changed = Signal(int)  # the step being shown
    state_changed = Signal()  # playing/paused or speed

    def __init__(self, playback: Playback) -> None:
        super().__init__()
        self.playback = playback
        self._row = playback.row
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0

    @property
    def row(self) -> int:
        return self._row

    def _emit(self) -> None:
        self.position_changed.emit(self.playback.position)
        row = self.playback.row
        if row != self._row:
            self._row = row
            self.row_changed.emit(row)

    def _tick(self) -> None:
        now = time.monotonic_ns()
        self.playback.advance(now - self._last)
        self._last = now
        self._emit()
        if not self.playback.playing:
            self._timer.stop()
            self.state_changed.emit()

    def toggle(self) -> None:
        if self.playback.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        self.playback.play()
        self._last = time.monotonic_ns()
        self._timer.start()
        self.state_changed.emit()
        self._emit()

    def pause(self) -> None:
        self.playback.pause()
        self._timer.stop()
        self.state_changed.emit()

    def seek(self, t_ns: int) -> None:
        self.playback.seek(t_ns)
        self._emit()

    def seek_row(self, row: int) -> None:
        self.playback.seek_row(row)
        self._emit()

    def next_step(self) -> None:
        self.playback.next_step()
        self._emit()

    def previous_step(self) -> None:
        self.playback.previous_step()
        self._emit()

    def faster(self) -> None:
        self.playback.faster()
        self.state_changed.emit()

    def slower(self) -> None:
        self.playback.slower()
        self.state_changed.emit()
