"""Fields shared by the row-per-step formats (Parquet, WebDataset)."""

from __future__ import annotations

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
