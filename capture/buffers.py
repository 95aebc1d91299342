"""Frame-sized arrays used again rather than allocated afresh.

A new 8 MB array costs the kernel's zeroing of its pages the first time each is
touched, about as much at 1080p as converting or hashing the frame. A frame
pipeline (a bundle's import) takes an array per frame from a pool and gives
it back once done with it, so a long session reuses a handful.
"""

from __future__ import annotations

import threading

import numpy as np


class BufferPool:
    """Arrays by shape (uint8), at most ``keep`` idle ones held; thread-safe."""

    def __init__(self, keep: int = 8) -> None:
        self._keep = keep
        self._idle: list[np.ndarray] = []
        self._lock = threading.Lock()

    def take(self, shape: tuple[int, ...]) -> np.ndarray:
        """An array of ``shape``, contents undefined."""
        with self._lock:
            for i, array in enumerate(self._idle):
                if array.shape == shape:
                    return self._idle.pop(i)
        return np.empty(shape, np.uint8)

    def give(self, array: np.ndarray) -> None:
        """Hand back an array from ``take``; the caller must hold no other reference to use."""
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(array)
