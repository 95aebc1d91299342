"""What every exporter walks: sessions checked, steps with their screenshots resolved, progress.

A step's before or after frame may be missing (a step made from events with no
frame between them); the nearest neighbouring observation stands in, so every
format can show a screenshot for every step. A session with no steps, or with
no screenshot at all, is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from capture.segment import Step
from replay.export.images import ImageFiles, Screenshots
from replay.export.projection import Region, fit
from replay.export.registry import ExportError, ExportOptions, Progress
from replay.trajectory import Trajectory, TrajectorySource


@dataclass(frozen=True, slots=True)
class Shot:
    """One step with the frames shown before and after it (content hashes, never None)."""

    step: Step
    before: str
    after: str
    region: Region


@dataclass
class Episode:
    source: TrajectorySource
    trajectory: Trajectory
    screenshots: Screenshots

    @property
    def id(self) -> str:
        return self.trajectory.session_id

    def shots(self) -> Iterator[Shot]:
        traj = self.trajectory
        steps = traj.steps
        refs: list[str | None] = []
        for step in steps:
            refs.append(_ref(step.before_frame))
            refs.append(_ref(step.after_frame))
        # forward fill, then back fill for a leading gap
        filled: list[str | None] = []
        last: str | None = None
        for ref in refs:
            last = ref or last
            filled.append(last)
        first = next((r for r in refs if r), None)
        for i, step in enumerate(steps):
            before = filled[2 * i] or first
            after = filled[2 * i + 1] or before
            assert before is not None and after is not None  # checked in episodes()
            yield Shot(step, before, after, self.region(before))

    def size(self, frame: str, options: ExportOptions) -> tuple[int, int] | None:
        """The size ``frame`` is shipped at under ``--max-size`` (None: as stored)."""
        if not options.max_size:
            return None
        r = self.region(frame)
        return fit(r.width, r.height, options.max_size)

    def region(self, frame: str) -> Region:
        info = self.trajectory.frame(frame)
        if info is not None and info.width > 0 and info.height > 0:
            return Region(info.left, info.top, info.width, info.height)
        s = self.trajectory.screen
        return Region(s.left, s.top, s.width, s.height)


def _ref(frame: object) -> str | None:
    return None if frame is None else str(frame)


def episodes(sources: Sequence[TrajectorySource], files: ImageFiles | None = None) -> list[Episode]:
    """The sources as episodes, refused if any has no steps or no screenshot.

    With ``files``, screenshots written as files are encoded on its workers.
    """
    out = []
    for source in sources:
        traj = source.trajectory
        if not traj.steps:
            raise ExportError(f"session {traj.session_id} has no steps to export")
        if not any(s.before_frame is not None or s.after_frame is not None for s in traj.steps):
            raise ExportError(f"session {traj.session_id} has no screenshots to export")
        out.append(Episode(source, traj, Screenshots(source.frames, traj.session_id, files)))
    return out


class Counter:
    """Steps written so far, reported to ``progress`` after each."""

    def __init__(self, eps: Sequence[Episode], progress: Progress) -> None:
        self.total = sum(len(e.trajectory.steps) for e in eps)
        self.done = 0
        self._progress = progress

    def step(self) -> None:
        self.done += 1
        self._progress(self.done, self.total)
