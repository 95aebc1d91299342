"""The screen grabber: grabs the virtual desktop at a fixed rate and keeps recent distinct frames.

Identical grabs cost one memcmp. A grab that differs is measured on a sparse
pixel grid (cheap, and enough to tell a caret blink from a new page) and kept
in a small ring, so the writer can persist the frame that was on screen just
before any input event.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from capture.clock import SessionClock
from capture.errors import DemotraceError
from capture.screen import Rect

SAMPLE_STEP = 8  # sample every 8th pixel in each direction for the change measure


@dataclass(frozen=True, slots=True)
class Frame:
    """A distinct screen image held in memory (BGRA)."""

    number: int  # distinct-frame counter within the session
    t_ns: int  # when this content was first grabbed (end of the grab call)
    left: int
    top: int
    width: int
    height: int
    pixels: bytes | bytearray


@dataclass(frozen=True, slots=True)
class ScreenChange:
    t_ns: int
    changed: float  # fraction of sampled pixels that differ from the previous frame
    frame: Frame | None = None  # the new screen, for the writer to keep if it settles


class DrawHint(Protocol):
    """Tells cheaply whether anything was drawn since the last time it said so."""

    def drawn(self) -> bool: ...

    def close(self) -> None: ...


class Redactor(Protocol):
    """Blurs what must not reach the disk out of a grab (BGRA, virtual-desktop position)."""

    def __call__(
        self, pixels: bytes | bytearray, left: int, top: int, width: int, height: int
    ) -> bytes | bytearray: ...


class ScreenSource(Protocol):
    def grab(self) -> tuple[int, int, int, int, bytes | bytearray]:
        """(left, top, width, height, BGRA pixels) of the whole virtual desktop."""

    def close(self) -> None: ...


class MssScreen:
    """The virtual desktop through mss (XShm on X11)."""

    def __init__(self, display_name: str) -> None:
        import mss

        kwargs: dict[str, Any] = {"display": display_name} if display_name else {}
        self._mss = mss.MSS(**kwargs)
        self._area = dict(self._mss.monitors[0])

    def grab(self) -> tuple[int, int, int, int, bytes | bytearray]:
        shot = self._mss.grab(self._area)
        return shot.left, shot.top, shot.width, shot.height, shot.raw

    def close(self) -> None:
        self._mss.close()


def changed_fraction(a: bytes | bytearray, b: bytes | bytearray, width: int, height: int) -> float:
    """Share of grid-sampled pixels that differ; 0 < result when only unsampled pixels differ."""
    va = np.frombuffer(a, np.uint32).reshape(height, width)[::SAMPLE_STEP, ::SAMPLE_STEP]
    vb = np.frombuffer(b, np.uint32).reshape(height, width)[::SAMPLE_STEP, ::SAMPLE_STEP]
    differing = int(np.count_nonzero(va != vb))
    return max(differing, 1) / va.size


MASK_BGRA = (128, 128, 128, 255)


def mask(
    pixels: bytes | bytearray, left: int, top: int, width: int, height: int, rects: Sequence[Rect]
) -> bytes | bytearray:
    """Paint ``rects`` (virtual-desktop coordinates) plain grey: demotrace's own windows
    are not part of the demonstration, and their redraws are not screen changes."""
    if not rects:
        return pixels
    if not isinstance(pixels, bytearray):
        pixels = bytearray(pixels)
    image = np.frombuffer(pixels, np.uint8).reshape(height, width, 4)
    for r in rects:
        x0, y0 = max(r.left - left, 0), max(r.top - top, 0)
        x1, y1 = min(r.left + r.width - left, width), min(r.top + r.height - top, height)
        if x0 < x1 and y0 < y1:
            image[y0:y1, x0:x1] = MASK_BGRA
    return pixels


class FrameRing:
    """The last few distinct frames, and the times of recent grabs. Thread-safe."""

    def __init__(self, capacity: int = 4, grab_history: int = 256) -> None:
        self._frames: deque[Frame] = deque(maxlen=capacity)
        self._grabs: deque[int] = deque(maxlen=grab_history)
        self._lock = threading.Lock()

    def add_grab(self, t_ns: int, frame: Frame | None) -> None:
        with self._lock:
            self._grabs.append(t_ns)
            if frame is not None:
                self._frames.append(frame)

    def latest(self) -> Frame | None:
        with self._lock:
            return self._frames[-1] if self._frames else None

    def before(self, t_ns: int) -> tuple[Frame, int] | None:
        """The frame on screen at the last grab strictly before ``t_ns``, and that grab's time."""
        with self._lock:
            grab = next((g for g in reversed(self._grabs) if g < t_ns), None)
            if grab is None:
                return None
            frame = next((f for f in reversed(self._frames) if f.t_ns <= grab), None)
            return None if frame is None else (frame, grab)


DEFAULT_FPS = 10.0  # screen grabs per second unless told otherwise
MAX_FPS = 60.0


def check_fps(fps: float) -> float:
    """``fps`` if the grabber can run at it: a number above 0 and at most ``MAX_FPS``."""
    if not 0 < fps <= MAX_FPS:  # also refuses nan
        raise DemotraceError(f"--fps must be a number above 0 and at most {MAX_FPS:g}, not {fps:g}")
    return fps


class ScreenGrabber:
    """Grabs at ``fps`` on its own thread until stopped; paused grabbers grab nothing."""

    def __init__(
        self,
        source: ScreenSource,
        clock: SessionClock,
        ring: FrameRing,
        on_change: Callable[[ScreenChange], None],
        fps: float = DEFAULT_FPS,
        on_error: Callable[[BaseException], None] | None = None,
        hint: DrawHint | None = None,
        recheck_s: float = 5.0,
        masks: Callable[[], Sequence[Rect]] | None = None,
        redact: Redactor | None = None,
    ) -> None:
        self._source = source
        self._masks = masks
        self._redact = redact
        self._hint = hint
        self._recheck_ns = int(recheck_s * 1e9)
        self._last_real_ns = 0
        self._clock = clock
        self._ring = ring
        self._on_change = on_change
        self._on_error = on_error
        self._interval_ns = int(1e9 / fps)
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-grabber", daemon=True)
        self._count = 0
        self.grabs = 0  # real grabs
        self.skipped = 0  # ticks that needed no grab: nothing was drawn

    def start(self, paused: bool = False) -> None:
        """Start grabbing; the first frame exists before anyone is told recording started."""
        if paused:
            self._paused.set()
        else:
            self.grab_once()
        self._thread.start()

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._source.close()
        if self._hint is not None:
            self._hint.close()

    def tick(self) -> None:
        """One scheduled look at the screen: a grab, unless nothing was drawn.

        When nothing was drawn the screen still shows the latest frame, so the
        tick counts as a grab of it; a real grab still happens every
        ``recheck_s`` in case some drawing escaped the hint.
        """
        if self._hint is not None and not self._hint.drawn():
            t = self._clock.now()
            if t - self._last_real_ns < self._recheck_ns:
                self.skipped += 1
                self._ring.add_grab(t, None)
                return
        self.grab_once()

    def grab_once(self) -> None:
        left, top, width, height, pixels = self._source.grab()
        t = self._clock.now()
        if self._masks is not None:
            pixels = mask(pixels, left, top, width, height, self._masks())
        if self._redact is not None:
            pixels = self._redact(pixels, left, top, width, height)
        self._last_real_ns = t
        self.grabs += 1
        previous = self._ring.latest()
        same_size = previous is not None and (previous.width, previous.height) == (width, height)
        # bytes/bytearray equality is one memcmp; memoryview equality unpacks every byte.
        if same_size and previous is not None and previous.pixels == pixels:
            self._ring.add_grab(t, None)
            return
        changed = (
            changed_fraction(previous.pixels, pixels, width, height)
            if same_size and previous is not None
            else 1.0
        )
        self._count += 1
        frame = Frame(self._count, t, left, top, width, height, pixels)
        self._ring.add_grab(t, frame)
        self._on_change(ScreenChange(t, changed, frame))

    def _run(self) -> None:
        next_at = self._clock.now() + self._interval_ns
        while not self._stop.is_set():
            delay = (next_at - self._clock.now()) / 1e9
            if delay > 0 and self._stop.wait(delay):
                break
            next_at += self._interval_ns
            now = self._clock.now()
            if next_at < now:  # fell behind (suspend, overload): skip, don't burst
                next_at = now + self._interval_ns
            if self._paused.is_set():
                continue
            try:
                self.tick()
            except Exception as exc:  # noqa: BLE001 - reported to the recorder, which stops
                if self._on_error is not None:
                    self._on_error(exc)
                return
