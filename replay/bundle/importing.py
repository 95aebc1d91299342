"""A bundle into a store: checked whole first, then written in one transaction."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from capture.buffers import BufferPool
from capture.events import RawEvent
from capture.store import videos
from capture.store.database import Database
from capture.store.imports import (
    ImportedFrame,
    ImportedSession,
    ImportedVideo,
    has_session,
    import_session,
)
from replay.bundle.errors import BundleError
from replay.bundle.reader import Bundle, open_bundle
from replay.bundle.schema import VIDEO_FILE, nanoseconds, review_json, video_json
from replay.trajectory import Trajectory

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    session_id: str
    imported: bool  # False: the store already held this session
    steps: int
    frames: int
    # The bundle had a context video, kept with the session.
    video: bool = False


def _video_chunks(bundle: Bundle) -> Iterator[bytes]:
    """``context.mp4``'s bytes, a chunk at a time; a read error is one line."""
    try:
        with bundle.open_video() as fh:
            while data := fh.read(videos.CHUNK):
                yield data
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise BundleError(f"cannot read {VIDEO_FILE}: {exc}") from None


def imported_session(
    traj: Trajectory,
    events: list[RawEvent],
    frames: list[ImportedFrame],
    video: ImportedVideo | None = None,
) -> ImportedSession:
    s = traj.screen
    created = datetime.fromisoformat(traj.created_at)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    task = traj.task
    return ImportedSession(
        id=traj.session_id,
        task_text=task.instruction,
        task=None
        if task.id is None
        else {
            "id": task.id,
            "instruction": task.instruction,
            "category": task.category,
            "expected_outcome": task.expected_outcome,
            "setup_command": task.setup_command,
            "reset_command": task.reset_command,
        },
        status=traj.status,
        stage=traj.stage,
        source_session_id=traj.source_session_id,
        fault=traj.fault,
        created_at=created,
        duration_ns=nanoseconds(traj.duration_s),
        platform=traj.platform,
        app_version=traj.app_version,
        username=traj.annotator,
        screen={
            "virtual": {"left": s.left, "top": s.top, "width": s.width, "height": s.height},
            "monitors": [
                {
                    "left": m.left,
                    "top": m.top,
                    "width": m.width,
                    "height": m.height,
                    "primary": m.primary,
                }
                for m in s.monitors
            ],
        },
        scale=s.scale,
        double_click_ms=traj.double_click_ms,
        double_click_px=traj.double_click_px,
        fps=traj.fps,
        frames=frames,
        events=events,
        steps=traj.steps,
        reviews=[review_json(r) for r in traj.reviews],
        rules=traj.rules,
        extra=traj.extra,
        edits=traj.edits,
        targets=traj.targets,
        markers=traj.markers,
        windows=traj.windows,
        screen_changes=traj.screen_changes,
        video=video,
    )


def import_bundle(db: Database, path: Path, progress: Progress | None = None) -> ImportResult:
    """Import the bundle at ``path`` unless the store holds its session already.

    Every field is checked when the bundle is opened, before anything is
    written; each frame's pixels are checked as they are decoded, inside the
    import's transaction, and a bad one rolls the whole import back (frame
    blobs included), so a failed import leaves the store as it was. A context
    video is kept as it came: its bytes streamed into the store's blob storage
    in the same transaction, its header on the session.
    """
    with open_bundle(path) as bundle:
        traj = bundle.trajectory
        video = bundle.video is not None
        if has_session(db, traj.session_id):
            return ImportResult(traj.session_id, False, len(traj.steps), len(traj.frames))
        buffers = BufferPool(keep=4)
        frames = [
            ImportedFrame(f.hash, f.t_ns, f.left, f.top, f.width, f.height)
            for f in traj.frames.values()
        ]
        kept = (
            None
            if bundle.video is None
            else ImportedVideo(video_json(bundle.video), _video_chunks(bundle))
        )
        import_session(
            db,
            imported_session(traj, list(bundle.events()), frames, kept),
            bundle.frames.all_bgra(buffers),
            progress,
            hashed=True,  # all_bgra checks each frame's pixels against its name
            buffers=buffers,
        )
        return ImportResult(traj.session_id, True, len(traj.steps), len(traj.frames), video)
