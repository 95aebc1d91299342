"""Coordinates of a stored point in each format's space, computed from physical pixels once.

Points are stored in virtual-desktop physical pixels with the scale factor
beside them (see ``Screen``); a frame covers a rectangle of that desktop. Every
format's coordinate is a projection of the normalised point ``(x / W, y / H)``:
pixels of the screenshot actually sent, a 0..1000 grid, or fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Anthropic's guidance for its older models: long edge and area of the screenshot sent.
ANTHROPIC_LONG_EDGE = 1568
ANTHROPIC_AREA = 1_150_000
# UI-TARS 1.0 answers on a 0..1000 grid.
GRID = 1000
# Qwen2.5-VL (and UI-TARS 1.5, built on it) resize images to multiples of 28 within a pixel budget.
SMART_FACTOR = 28
SMART_MIN_PIXELS = 4 * 28 * 28
SMART_MAX_PIXELS = 16384 * 28 * 28


def fit(width: int, height: int, max_size: int | None) -> tuple[int, int]:
    """The image size after shrinking so the long edge is at most ``max_size`` (never enlarged)."""
    if not max_size or max(width, height) <= max_size:
        return width, height
    s = max_size / max(width, height)
    return max(1, round(width * s)), max(1, round(height * s))


def anthropic_size(width: int, height: int, max_size: int | None = None) -> tuple[int, int]:
    """The screenshot size Anthropic's docs ask for: long edge <= 1568, area <= ~1.15 MP."""
    s = min(
        1.0, ANTHROPIC_LONG_EDGE / max(width, height), math.sqrt(ANTHROPIC_AREA / (width * height))
    )
    if max_size:
        s = min(s, max_size / max(width, height))
    if s >= 1.0:
        return width, height
    # floor, but a size that is whole up to float error stays whole (3000 * 1568/3000)
    return max(1, math.floor(width * s + 1e-6)), max(1, math.floor(height * s + 1e-6))


def smart_resize(
    width: int,
    height: int,
    factor: int = SMART_FACTOR,
    min_pixels: int = SMART_MIN_PIXELS,
    max_pixels: int = SMART_MAX_PIXELS,
) -> tuple[int, int]:
    """The (width, height) Qwen2.5-VL's processor resizes an image to (qwen_vl_utils' rule)."""
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h = math.floor(height / beta / factor) * factor
        w = math.floor(width / beta / factor) * factor
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    return w, h


@dataclass(frozen=True, slots=True)
class Region:
    """The rectangle of the desktop (physical pixels) a screenshot shows."""

    left: int
    top: int
    width: int
    height: int

    def normalised(self, x: int, y: int) -> tuple[float, float]:
        xn = min(max((x - self.left) / self.width, 0.0), 1.0)
        yn = min(max((y - self.top) / self.height, 0.0), 1.0)
        return xn, yn

    def pixel(self, x: int, y: int, size: tuple[int, int]) -> tuple[int, int]:
        """The point on this region shown at ``size`` (the image sent), inside its bounds."""
        xn, yn = self.normalised(x, y)
        w, h = size
        return min(round(xn * w), w - 1), min(round(yn * h), h - 1)

    def grid(self, x: int, y: int) -> tuple[int, int]:
        xn, yn = self.normalised(x, y)
        return round(xn * GRID), round(yn * GRID)

    def fraction(self, x: int, y: int, digits: int = 4) -> tuple[float, float]:
        xn, yn = self.normalised(x, y)
        return round(xn, digits), round(yn, digits)
