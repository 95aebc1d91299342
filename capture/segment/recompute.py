"""A session's steps from its parts: its raw input segmented, its edit trail applied.

Pure (no store): the store recomputes a session's steps with it after every
edit, and an import checks a bundle's steps with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from capture.events import Marker, RawEvent, Target, WindowChange
from capture.segment.edits import EditRecord, apply_edits
from capture.segment.injected import label_injected
from capture.segment.live import segment
from capture.segment.rules import SegmentationRules
from capture.segment.steps import FrameId, Step


def recomputed(
    events: Sequence[RawEvent],
    frames: Sequence[tuple[FrameId, int]],
    rules: SegmentationRules,
    edit_log: Iterable[EditRecord] = (),
    *,
    screen_changes: Iterable[tuple[int, float]] = (),
    markers: Iterable[Marker] = (),
    windows: Iterable[WindowChange] = (),
    targets: Iterable[Target] = (),
    fault: Mapping[str, Any] | None = None,
) -> list[Step]:
    """Segment a session's raw input and apply its edit trail."""
    log = list(edit_log)
    base = max((i for i, e in enumerate(log) if e.op == "baseline"), default=None)
    if base is not None:  # the newest baseline sets the steps: nothing before it counts
        return apply_edits([], log[base:], events=events, frames=frames, rules=rules)
    steps = segment(
        events,
        frames=frames,
        screen_changes=screen_changes,
        markers=markers,
        windows=windows,
        rules=rules,
        targets=targets,
    )
    if fault is not None:
        steps = label_injected(steps, fault)
    return apply_edits(steps, log, events=events, frames=frames, rules=rules)
