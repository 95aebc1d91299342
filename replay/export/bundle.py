"""The ``bundle`` export format: each session as a trajectory bundle (docs/bundle.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from replay.bundle.writer import is_zip, write_bundle
from replay.export.registry import ExportError, ExportOptions, Progress
from replay.trajectory import ContextFrames, KeptVideo, KeptVideoSource, TrajectorySource

# Context video of one bundle: encoded from these frames, or the one the session kept.
VideoPlan = tuple[ContextFrames | None, KeptVideo | None]


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
        # Decided before anything is written, so a note does not break a progress line.
        plans = [_video_plan(source, options) for source in sources]
        if len(sources) == 1:
            write_bundle(sources[0], out, _in_steps(sources[0], progress), *plans[0])
            return
        # Several sessions: one bundle each, named by session id, in the directory ``out``.
        if is_zip(out):
            raise ExportError("a .zip holds one bundle; export several sessions to a directory")
        out.mkdir(parents=True)
        for source, plan in zip(sources, plans, strict=True):
            write_bundle(
                source,
                out / source.trajectory.session_id,
                _in_steps(source, progress),
                *plan,
            )


def _video_plan(source: TrajectorySource, options: ExportOptions) -> VideoPlan:
    """A session that kept a context video (imported with its bundle) gets it back as it came,
    with or without ``--video``: it is the better one. Unless redactions apply to the
    session: the kept video predates them, so it is never written; ``--video`` encodes
    one from the redacted frames instead, as for a recorded session."""
    encode = source if options.video and isinstance(source, ContextFrames) else None
    if not isinstance(source, KeptVideoSource):
        return encode, None
    kept = source.kept_video()
    if kept is None:
        return encode, None
    if not source.redacts():
        return None, kept
    sid = source.trajectory.session_id
    if encode is not None:
        options.note(
            f"session {sid}: its imported context.mp4 is not exported, as redactions apply; "
            "encoding one from the redacted frames"
        )
    else:
        options.note(
            f"session {sid}: its imported context.mp4 is left out, as redactions apply "
            "(--video encodes one from the redacted frames)"
        )
    return encode, None


def _in_steps(source: TrajectorySource, progress: Progress) -> Progress:
    """The writer counts frames; the export command shows steps."""
    steps = len(source.trajectory.steps)

    def report(done: int, total: int) -> None:
        progress(done * steps // max(1, total), steps)

    return report
