"""How much the live screen looks like a recorded frame.

Both images are turned to grayscale and shrunk by ``SCALE`` in each direction
(area averaging, so a 1-pixel caret or antialiasing wobble fades while a
changed word, button or colour stays visible). A cell *matches* when the two
gray values differ by at most ``TOLERANCE`` levels; the similarity is the share
of cells that match, from 0 to 1.

Two checks use it. Before a step, the whole screen must reach
``BEFORE_THRESHOLD``. After a step (``--verify``), the whole screen must reach
``AFTER_THRESHOLD`` and, inside the box where the recording itself changed
between the step's before- and after-frame (the step's own effect, padded by
``REGION_PAD`` cells), ``REGION_THRESHOLD``: a wrong letter in a text field is
a tiny part of the screen but a large part of what the step changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SCALE = 4
TOLERANCE = 24
BEFORE_THRESHOLD = 0.995
AFTER_THRESHOLD = 0.99
REGION_THRESHOLD = 0.95
REGION_PAD = 2

Region = tuple[int, int, int, int]  # y0, y1, x0, x1 in cells


def small_gray(image: np.ndarray, bgra: bool = False) -> np.ndarray:
    """The comparison form of an RGB (or BGRA) image."""
    code = cv2.COLOR_BGRA2GRAY if bgra else cv2.COLOR_RGB2GRAY
    gray = cv2.cvtColor(image, code)
    h, w = gray.shape
    size = (max(1, w // SCALE), max(1, h // SCALE))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def fit(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``actual`` resized to ``expected``'s cells when the screens differ in size."""
    if actual.shape == expected.shape:
        return actual
    return cv2.resize(actual, (expected.shape[1], expected.shape[0]), interpolation=cv2.INTER_AREA)


def matching(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    return cv2.absdiff(expected, fit(actual, expected)) <= TOLERANCE


def similarity(expected: np.ndarray, actual: np.ndarray, region: Region | None = None) -> float:
    same = matching(expected, actual)
    if region is not None:
        y0, y1, x0, x1 = region
        same = same[y0:y1, x0:x1]
    return float(same.mean()) if same.size else 1.0


def change_region(before: np.ndarray, after: np.ndarray) -> Region | None:
    """The box of cells where ``after`` differs from ``before`` (padded), or None."""
    if before.shape != after.shape:
        return None
    ys, xs = np.nonzero(~matching(before, after))
    if ys.size == 0:
        return None
    h, w = before.shape
    return (
        max(0, int(ys.min()) - REGION_PAD),
        min(h, int(ys.max()) + 1 + REGION_PAD),
        max(0, int(xs.min()) - REGION_PAD),
        min(w, int(xs.max()) + 1 + REGION_PAD),
    )


@dataclass(frozen=True)
class Check:
    """The outcome of waiting for a frame: the best similarity seen and whether it was enough."""

    frame: str
    ok: bool
    similarity: float
    region_similarity: float | None
    waited_s: float


def side_by_side(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Expected | actual | difference (RGB), for a divergence report."""
    if actual.shape != expected.shape:
        actual = cv2.resize(actual, (expected.shape[1], expected.shape[0]))
    diff = cv2.absdiff(expected, actual)
    mask = diff.max(axis=2) > TOLERANCE
    heat = (actual // 3).astype(np.uint8)
    heat[mask] = (255, 0, 255)
    gap = np.full((expected.shape[0], 8, 3), 255, np.uint8)
    return np.concatenate([expected, gap, actual, gap, heat], axis=1)
