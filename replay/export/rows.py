"""Fields shared by the row-per-step formats (Parquet, WebDataset)."""

from __future__ import annotations

from typing import Any

from capture.segment import Step
from replay.export.projection import Region


def point(step: Step, region: Region) -> list[float] | None:
    """Where the action lands, normalised to the screenshot (a drag: where it starts)."""
    f = step.action.fields
    if "x" in f:
        return list(region.fraction(f["x"], f["y"]))
    if "path" in f:
        return list(region.fraction(*f["path"][0]))
    return None


def element(step: Step, region: Region) -> dict[str, Any] | None:
    """The accessible element the action landed on, with its box as a grounding target.

    ``box`` is [x0, y0, x1, y1] in fractions of the screenshot; ``bbox_px`` the
    element's [x, y, width, height] in desktop pixels, as recorded. None when
    no element was read (the step's ``element`` then only says why).
    """
    found = step.element
    if not found or "role" not in found:
        return None
    x, y, w, h = found["bbox"]
    x0, y0 = region.fraction(x, y)
    x1, y1 = region.fraction(x + w, y + h)
    return {
        "role": found["role"],
        "name": found["name"],
        "states": list(found.get("states", [])),
        "box": [x0, y0, x1, y1],
        "bbox_px": [x, y, w, h],
    }
