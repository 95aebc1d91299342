"""An action drawn on a frame: click ripples, drag paths, scroll arrows, captions for keys and text.

Pure OpenCV on RGB numpy images, used by the replay viewer, the HTML report and
any exporter that shows what happened on a screenshot. Points are in virtual
desktop pixels; a ``Projection`` maps them onto the image, which may be a
scaled-down copy of a frame that covers only part of the desktop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from capture.segment import Action

# RGB colours: one per kind of mark, readable on light and dark screens (each has an outline).
CLICK = (230, 40, 60)
DRAG = (30, 120, 230)
SCROLL = (20, 160, 90)
CURSOR = (255, 255, 255)
OUTLINE = (0, 0, 0)
CAPTION_BG = (30, 30, 30)
CAPTION_FG = (255, 255, 255)


@dataclass(frozen=True)
class Projection:
    """Desktop pixels -> image pixels: ``(x - left) * sx``, ``(y - top) * sy``."""

    left: int = 0
    top: int = 0
    sx: float = 1.0
    sy: float = 1.0

    @classmethod
    def of(cls, left: int, top: int, width: int, height: int, image: np.ndarray) -> Projection:
        """For an image showing the desktop rectangle (left, top, width, height)."""
        h, w = image.shape[:2]
        return cls(left, top, w / max(1, width), h / max(1, height))

    def point(self, x: float, y: float) -> tuple[int, int]:
        return round((x - self.left) * self.sx), round((y - self.top) * self.sy)


def _size(img: np.ndarray) -> float:
    """A unit for line widths and radii that keeps marks readable at any image size."""
    return max(1.0, min(img.shape[0], img.shape[1]) / 400)


def _ring(
    img: np.ndarray, at: tuple[int, int], radius: int, colour: tuple[int, ...], w: int
) -> None:
    cv2.circle(img, at, radius, OUTLINE, w + 2, cv2.LINE_AA)
    cv2.circle(img, at, radius, colour, w, cv2.LINE_AA)


def draw_click(
    img: np.ndarray, at: tuple[int, int], clicks: int = 1, button: str = "left", phase: float = 1.0
) -> None:
    """A ripple per click at ``at`` (``phase`` 0..1 grows it, for animation) and a dot."""
    u = _size(img)
    colour = CLICK if button == "left" else DRAG if button == "right" else SCROLL
    grown = 0.35 + 0.65 * max(0.0, min(1.0, phase))
    for i in range(clicks):
        _ring(img, at, max(3, round((10 + 7 * i) * u * grown)), colour, max(1, round(2 * u)))
    cv2.circle(img, at, max(2, round(3 * u)), OUTLINE, -1, cv2.LINE_AA)
    cv2.circle(img, at, max(1, round(2 * u)), colour, -1, cv2.LINE_AA)
    if button != "left":
        caption_at(img, button, (at[0] + round(12 * u), at[1] - round(12 * u)))


def draw_path(img: np.ndarray, points: Sequence[tuple[int, int]], progress: float = 1.0) -> None:
    """A drag: the path so far (``progress`` 0..1 of its points), start ring, arrow at the end."""
    if not points:
        return
    u = _size(img)
    w = max(1, round(2 * u))
    shown = max(1, round(len(points) * max(0.0, min(1.0, progress))))
    pts = np.array(points[:shown], dtype=np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], False, OUTLINE, w + 2, cv2.LINE_AA)
    cv2.polylines(img, [pts], False, DRAG, w, cv2.LINE_AA)
    _ring(img, points[0], max(3, round(6 * u)), DRAG, w)
    end = points[shown - 1]
    start = next((p for p in reversed(points[: shown - 1]) if p != end), None)
    if start is not None:
        _arrow_head(img, start, end, round(10 * u), DRAG, w)
    cv2.circle(img, end, max(2, round(4 * u)), DRAG, -1, cv2.LINE_AA)


def _arrow_head(
    img: np.ndarray,
    a: tuple[int, int],
    b: tuple[int, int],
    size: int,
    colour: tuple[int, ...],
    w: int,
) -> None:
    """Two short wings at ``b`` pointing along a -> b, the same size whatever the segment."""
    d = np.array(b, float) - np.array(a, float)
    d /= max(1e-9, float(np.hypot(*d)))
    for angle in (0.45, -0.45):
        c, s = np.cos(angle), np.sin(angle)
        wing = np.array([d[0] * c - d[1] * s, d[0] * s + d[1] * c])
        tip = (round(b[0] - wing[0] * size), round(b[1] - wing[1] * size))
        cv2.line(img, b, tip, OUTLINE, w + 2, cv2.LINE_AA)
        cv2.line(img, b, tip, colour, w, cv2.LINE_AA)


def draw_scroll(img: np.ndarray, at: tuple[int, int], dx: int, dy: int) -> None:
    """An arrow from ``at`` in the direction the content moved under the wheel, with the notches."""
    u = _size(img)
    length = round((18 + 4 * min(10, max(abs(dx), abs(dy)))) * u)
    sx = 0 if dx == 0 else (1 if dx > 0 else -1)
    sy = 0 if dy == 0 else (1 if dy > 0 else -1)
    end = (at[0] + sx * length, at[1] + sy * length)
    w = max(1, round(2 * u))
    cv2.arrowedLine(img, at, end, OUTLINE, w + 2, cv2.LINE_AA, tipLength=0.35)
    cv2.arrowedLine(img, at, end, SCROLL, w, cv2.LINE_AA, tipLength=0.35)
    cv2.circle(img, at, max(2, round(3 * u)), SCROLL, -1, cv2.LINE_AA)
    parts = [f"{abs(dy)} down" if dy > 0 else f"{abs(dy)} up"] if dy else []
    if dx:
        parts.append(f"{abs(dx)} right" if dx > 0 else f"{abs(dx)} left")
    caption_at(img, "scroll " + ", ".join(parts), (end[0] + round(6 * u), end[1]))


def draw_cursor(img: np.ndarray, at: tuple[int, int]) -> None:
    """An arrow pointer with its tip at ``at``."""
    u = _size(img) * 1.2
    x, y = at
    shape = [(0, 0), (0, 17), (4, 13), (7, 20), (10, 19), (7, 12), (12, 12)]
    pts = np.array([(x + round(px * u), y + round(py * u)) for px, py in shape], np.int32)
    cv2.fillPoly(img, [pts], CURSOR, cv2.LINE_AA)
    cv2.polylines(img, [pts], True, OUTLINE, max(1, round(u)), cv2.LINE_AA)


def _ascii(text: str) -> str:
    """What OpenCV's fonts can draw: printable ASCII, control keys spelled out."""
    text = text.replace("\n", "⏎").replace("\t", "⇥")
    table = {"⏎": "<Enter>", "⇥": "<Tab>"}
    return "".join(table.get(c, c if 32 <= ord(c) < 127 else "?") for c in text)


def caption_at(img: np.ndarray, text: str, at: tuple[int, int]) -> None:
    """A small dark label with its top-left corner near ``at``, kept inside the image."""
    u = _size(img)
    scale = 0.45 * u
    thick = max(1, round(u))
    label = _ascii(text)
    (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    pad = round(4 * u)
    h, w = img.shape[:2]
    x = max(0, min(w - tw - 2 * pad, at[0]))
    y = max(0, min(h - th - base - 2 * pad, at[1]))
    cv2.rectangle(img, (x, y), (x + tw + 2 * pad, y + th + base + 2 * pad), CAPTION_BG, -1)
    cv2.putText(
        img,
        label,
        (x + pad, y + pad + th),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        CAPTION_FG,
        thick,
        cv2.LINE_AA,
    )


def caption(img: np.ndarray, text: str) -> None:
    """A caption along the bottom of the image (typed text, keys), cut to fit."""
    u = _size(img)
    h, w = img.shape[:2]
    label = _ascii(text)
    scale = 0.6 * u
    thick = max(1, round(1.2 * u))
    while (
        len(label) > 4
        and cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)[0][0] > w - 30 * u
    ):
        label = label[: len(label) * 4 // 5 - 1] + "..."
    (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    pad = round(6 * u)
    x0 = max(0, (w - tw) // 2 - pad)
    y0 = max(0, h - th - base - 2 * pad - round(10 * u))
    overlay = img.copy()
    cv2.rectangle(overlay, (x0, y0), (x0 + tw + 2 * pad, y0 + th + base + 2 * pad), CAPTION_BG, -1)
    cv2.addWeighted(overlay, 0.85, img, 0.15, 0, dst=img)
    cv2.putText(
        img,
        label,
        (x0 + pad, y0 + pad + th),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        CAPTION_FG,
        thick,
        cv2.LINE_AA,
    )


def action_caption(action: Action) -> str | None:
    """The caption a keyboard or wait action gets: what was typed or pressed."""
    if action.type == "type":
        return f'typed "{action["text"]}"'
    if action.type == "key":
        repeat = action["repeat"]
        return "key " + "+".join(action["keys"]) + (f" x{repeat}" if repeat > 1 else "")
    if action.type == "hotkey":
        return "keys " + "+".join(action["keys"])
    if action.type == "wait":
        return f"wait {action['seconds']:.1f} s"
    return None


def draw_action(
    img: np.ndarray, action: Action, where: Projection, progress: float = 1.0
) -> np.ndarray:
    """``action`` drawn on ``img`` in place (and returned); ``progress`` 0..1 animates it."""
    kind = action.type
    if kind in ("click", "double_click", "triple_click"):
        clicks = {"click": 1, "double_click": 2, "triple_click": 3}[kind]
        draw_click(img, where.point(action["x"], action["y"]), clicks, action["button"], progress)
        mods = action["modifiers"]
        if mods:
            caption(img, "holding " + "+".join(mods))
    elif kind == "drag":
        draw_path(img, [where.point(x, y) for x, y in action["path"]], progress)
    elif kind == "scroll":
        draw_scroll(img, where.point(action["x"], action["y"]), action["dx"], action["dy"])
    elif kind == "move":
        draw_cursor(img, where.point(action["x"], action["y"]))
    text = action_caption(action)
    if text is not None:
        caption(img, text)
    return img


def scaled(img: np.ndarray, longest: int, fast: bool = False) -> np.ndarray:
    """``img`` with its longest edge at most ``longest`` pixels.

    Area-averaged (sharpest text) unless ``fast``: bilinear, several times quicker,
    for pictures redrawn while someone waits, like the viewer's.
    """
    h, w = img.shape[:2]
    factor = longest / max(h, w)
    if factor >= 1:
        return img.copy()
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(img, size, interpolation=cv2.INTER_LINEAR if fast else cv2.INTER_AREA)
