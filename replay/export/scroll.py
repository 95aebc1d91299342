"""Wheel notches in each format's sign and unit.

Natively ``dy > 0`` scrolls down and ``dx > 0`` right, in wheel notches.
"""

from __future__ import annotations

# OpenAI's sample code moves about 100 pixels per notch (not in the spec).
OPENAI_PIXELS_PER_NOTCH = 100


def direction(dx: int, dy: int) -> tuple[str, int]:
    """The dominant direction and its notches: ("down", 3). Vertical wins a tie."""
    if dy or not dx:
        return ("down" if dy >= 0 else "up"), abs(dy)
    return ("right" if dx > 0 else "left"), abs(dx)


def pyautogui_clicks(dx: int, dy: int) -> tuple[int, int]:
    """pyautogui's (hscroll, scroll) clicks: positive scroll is up, positive hscroll right."""
    return dx, -dy


def openai_pixels(dx: int, dy: int) -> tuple[int, int]:
    """OpenAI's (scroll_x, scroll_y): positive scroll_y scrolls down."""
    return dx * OPENAI_PIXELS_PER_NOTCH, dy * OPENAI_PIXELS_PER_NOTCH
