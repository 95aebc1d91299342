"""The ``bundle`` export format: each session as a trajectory bundle (docs/bundle.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from replay.bundle.writer import is_zip, write_bundle
from replay.export.registry import ExportError, ExportOptions, Progress
from replay.trajectory import ContextFrames, TrajectorySource


class BundleExporter:
    name = "bundle"
    summary = "the replayable trajectory bundle: a directory, or a zip when --out ends in .zip"

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        if options.max_size is not None:
            raise ExportError("a bundle keeps every frame's pixels; --max-size does not apply")
        if options.video and not all(isinstance(s, ContextFrames) for s in sources):
            raise ExportError("--video needs sessions from a store (their kept frames)")

        def video(source: TrajectorySource) -> ContextFrames | None:
            return source if options.video and isinstance(source, ContextFrames) else None

        if len(sources) == 1:
            write_bundle(sources[0], out, _in_steps(sources[0], progress), video(sources[0]))
            return
        # Several sessions: one bundle each, named by session id, in the directory ``out``.
        if is_zip(out):
            raise ExportError("a .zip holds one bundle; export several sessions to a directory")
        out.mkdir(parents=True)
        for source in sources:
            write_bundle(
                source,
                out / source.trajectory.session_id,
                _in_steps(source, progress),
                video(source),
            )


def _in_steps(source: TrajectorySource, progress: Progress) -> Progress:
    """The writer counts frames; the export command shows steps."""
    steps = len(source.trajectory.steps)

    def report(done: int, total: int) -> None:
        progress(done * steps // max(1, total), steps)

    return report
