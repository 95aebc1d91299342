"""Redaction: rectangles and window rules blurred out of frames.

``redact_frame`` is the one function that applies them; the recorder calls it
before pixels reach the disk (``record --redact-at-capture``), exporters and
the viewer call it on every frame they show or write, with the rules from
``capture.store.redactions.redactions_for(db, session_id)`` and the window
that was active when the frame was grabbed.

A window rule blurs that window's rectangle when it is known, else the whole
frame: demotrace records the active window's class and title but not its
geometry, so a frame taken while a matching window was active is blurred
entirely. Blurring is pixelation into coarse blocks followed by a smoothing
pass: unlike a plain Gaussian blur it cannot be undone by deconvolution, and
text under it is unreadable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from capture.privacy.windows import glob_matches
from capture.screen import Rect

KINDS = ("rect", "window_class", "window_title")
BLOCK_PX = 16  # pixelation block size


@dataclass(frozen=True)
class Redaction:
    """A rule: ``rect`` (virtual-desktop pixels) or a glob on the window class or title.

    ``session_id`` None: a rule for every session.
    """

    kind: str
    pattern: str = ""
    rect: Rect | None = None
    session_id: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown redaction kind {self.kind!r}; one of {', '.join(KINDS)}")
        rect = self.rect
        if self.kind == "rect" and (rect is None or rect.width <= 0 or rect.height <= 0):
            raise ValueError("a rect redaction needs a rectangle with a positive size")
        if self.kind != "rect" and not self.pattern.strip():
            raise ValueError(f"a {self.kind} redaction needs a pattern")

    def describe(self) -> str:
        if self.rect is not None:
            r = self.rect
            return f"rect {r.left},{r.top},{r.width},{r.height}"
        return f"{self.kind.replace('_', ' ')} {self.pattern}"


@dataclass(frozen=True)
class ActiveWindow:
    """The window that had the focus when a frame was grabbed (``rect`` when known)."""

    title: str
    app: str
    rect: Rect | None = None


Windows = ActiveWindow | Sequence[ActiveWindow] | None


def regions(rules: Iterable[Redaction], windows: Windows, frame: Rect) -> list[Rect]:
    """The rectangles of ``frame`` (virtual-desktop coordinates) that ``rules`` cover."""
    if windows is None:
        windows = ()
    elif isinstance(windows, ActiveWindow):
        windows = (windows,)
    out: list[Rect] = []
    for rule in rules:
        if rule.kind == "rect":
            assert rule.rect is not None
            out.append(rule.rect)
            continue
        for window in windows:
            target = window.app if rule.kind == "window_class" else window.title
            if glob_matches(rule.pattern, target):
                out.append(window.rect or frame)
    return out


def redact_frame(
    pixels: np.ndarray,
    rules: Sequence[Redaction],
    window: Windows = None,
    origin: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """``pixels`` (height, width, channels) with what ``rules`` cover blurred.

    ``window``: the active window when the frame was grabbed (or every window
    on screen whose rectangle is known). ``origin`` is the virtual-desktop
    position of the frame's top-left pixel.
    Returns ``pixels`` itself when nothing is covered, else a blurred copy.
    """
    height, width = pixels.shape[:2]
    frame = Rect(origin[0], origin[1], width, height)
    covered = regions(rules, window, frame)
    if not covered:
        return pixels
    out = pixels.copy()
    for r in covered:
        x0, y0 = max(r.left - origin[0], 0), max(r.top - origin[1], 0)
        x1 = min(r.left + r.width - origin[0], width)
        y1 = min(r.top + r.height - origin[1], height)
        if x0 < x1 and y0 < y1:
            out[y0:y1, x0:x1] = blur(out[y0:y1, x0:x1])
    return out


def blur(region: np.ndarray) -> np.ndarray:
    """Coarse blocks, then smoothed: nothing readable survives."""
    import cv2

    region = np.ascontiguousarray(region)
    h, w = region.shape[:2]
    small = cv2.resize(
        region, (max(1, w // BLOCK_PX), max(1, h // BLOCK_PX)), interpolation=cv2.INTER_AREA
    )
    blocks = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    k = min(BLOCK_PX * 2 + 1, (min(w, h) // 2) * 2 + 1)
    return cv2.blur(blocks, (k, k)) if k > 1 else blocks


def redact_bgra(
    pixels: bytes | bytearray,
    left: int,
    top: int,
    width: int,
    height: int,
    rules: Sequence[Redaction],
    window: Windows,
) -> bytes | bytearray:
    """``redact_frame`` over a grabber's raw BGRA buffer; the buffer itself when untouched."""
    if not rules:
        return pixels
    image = np.frombuffer(pixels, np.uint8).reshape(height, width, 4)
    out = redact_frame(image, rules, window, (left, top))
    return pixels if out is image else out.tobytes()
