"""A session in the store, seen as a ``Trajectory`` with its frames and raw input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import IO, Any

import numpy as np

from capture.events import RawEvent
from capture.framecodec import DeltaFrame
from capture.recording_rules import RecordingRules
from capture.store.baseline import with_frames
from capture.store.database import Database
from capture.store.frames import FrameReader
from capture.store.playback import stored_frames
from capture.store.recording import Recording, event_targets, load_recording, recorded_context
from capture.store.redactions import SessionRedactor
from capture.store.reviews import reviews_of, reviews_of_sessions
from capture.store.sessions import blob_store_for, session_record
from capture.store.steps import current_steps, edits
from capture.store.videos import StoredVideo, copy_video, stored_video
from replay.review import review_from_record
from replay.trajectory import FrameInfo, Monitor, Screen, TaskInfo, Trajectory


class StoreFrames:
    """Frames of one store, decoded on demand (a few keyframes cached)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._reader = FrameReader(blob_store_for(db))

    def bgra_delta(self, frame: str) -> DeltaFrame:
        """BGRA as the store keeps it, the delta not applied (``FrameReader.delta_frame``)."""
        with self._db.session() as s:
            return self._reader.delta_frame(frame, s)

    def rgb(self, frame: str) -> np.ndarray:
        import cv2

        with self._db.session() as s:
            bgra = self._reader.pixels(frame, s)
        # cvtColor converts in one vectorised pass, several times faster than a strided copy.
        return cv2.cvtColor(bgra, cv2.COLOR_BGRA2RGB)

    def rgb_at(self, frame: FrameInfo) -> np.ndarray:
        return self.rgb(frame.hash)


class RedactedFrames:
    """A session's frames with its redaction rules applied, as exports and the viewer show them."""

    def __init__(self, frames: StoreFrames, source: StoreTrajectory) -> None:
        self._frames = frames
        self._source = source

    @cached_property
    def redactor(self) -> SessionRedactor:
        return SessionRedactor.for_session(self._source.db, self._source.session_id)

    def rgb_at(self, frame: FrameInfo) -> np.ndarray:
        """``frame``'s pixels redacted as they were at ``frame.t_ns`` (any kept frame)."""
        pixels = self._frames.rgb(frame.hash)
        if not self.redactor.rules:
            return pixels
        return self.redactor(pixels, frame.t_ns, (frame.left, frame.top))

    def rgb(self, frame: str) -> np.ndarray:
        pixels = self._frames.rgb(frame)
        if not self.redactor.rules:
            return pixels
        info = self._source.trajectory.frames.get(frame)
        if info is None:  # not one of this session's observations: show nothing of it
            return self.redactor(pixels, 0)
        return self.redactor(pixels, info.t_ns, (info.left, info.top))

    def bgra_delta(self, frame: str) -> DeltaFrame:
        """As ``StoreFrames.bgra_delta``, redacted: a bundle writer's way around two
        conversions and a copy of each frame."""
        if not self.redactor.rules:
            return self._frames.bgra_delta(frame)
        import cv2

        return DeltaFrame(cv2.cvtColor(self.rgb(frame), cv2.COLOR_RGB2BGRA))


@dataclass(frozen=True)
class StoreVideo:
    """A session's kept context video, read from the store's blobs (``KeptVideo``)."""

    db: Database
    video: StoredVideo

    @property
    def header(self) -> dict[str, Any]:
        return dict(self.video.header)

    def copy_to(self, out: IO[bytes]) -> None:
        copy_video(self.db, blob_store_for(self.db), self.video, out)


class StoreTrajectory:
    """One stored session as a ``TrajectorySource``.

    Its frames carry the session's redactions (rectangles, window rules, global
    rules) unless ``redacted`` is False: only the executor, which compares them
    with the live screen on this machine, reads them unredacted.
    """

    def __init__(self, db: Database, session_id: str, *, redacted: bool = True) -> None:
        self.db = db
        self._db = db
        self.session_id = session_id
        plain = StoreFrames(db)
        self.frames: StoreFrames | RedactedFrames = (
            RedactedFrames(plain, self) if redacted else plain
        )

    @cached_property
    def _recording(self) -> Recording:
        return load_recording(self._db, self.session_id)

    @cached_property
    def trajectory(self) -> Trajectory:
        return load_trajectory(self._db, self.session_id)

    def events(self) -> Iterator[RawEvent]:
        return iter(self._recording.raw_events)

    def context_frames(self) -> list[FrameInfo]:
        return [
            FrameInfo(f.blob, f.t_ns, f.left, f.top, f.width, f.height)
            for f in stored_frames(self._db, self.session_id)
        ]

    def context_rgb(self, frame: FrameInfo) -> np.ndarray:
        return self.frames.rgb_at(frame)

    def kept_video(self) -> StoreVideo | None:
        """The context video an imported bundle brought, kept as it came; None without one."""
        video = stored_video(self._db, self.session_id)
        return None if video is None else StoreVideo(self._db, video)

    def redacts(self) -> bool:
        """Whether the frames read from here carry redactions: the session's own
        rectangles or window rules, or any global rule."""
        return isinstance(self.frames, RedactedFrames) and bool(self.frames.redactor.rules)


def load_trajectory(
    db: Database, session_id: str, recording: Recording | None = None
) -> Trajectory:
    """The session as it stands: its steps (edits applied), frames named by content hash."""
    record = session_record(db, session_id)
    stored = recording.frames if recording is not None else stored_frames(db, session_id)
    by_id = {f.id: f for f in stored}
    frames: dict[str, FrameInfo] = {}

    def ref(frame_id: object) -> str | None:
        if frame_id is None:
            return None
        stored = by_id.get(int(str(frame_id)))
        if stored is None:
            return None
        if stored.blob not in frames:
            frames[stored.blob] = FrameInfo(
                stored.blob, stored.t_ns, stored.left, stored.top, stored.width, stored.height
            )
        return stored.blob

    steps = tuple(
        step.evolve(before_frame=ref(step.before_frame), after_frame=ref(step.after_frame))
        for step in current_steps(db, session_id)
    )
    # A baseline's steps name frames too, which the current steps may no longer name.
    trail = tuple(with_frames(e, ref) for e in edits(db, session_id))
    markers, windows, changes = recorded_context(db, session_id)
    rules = record.get("rules")
    return Trajectory(
        steps=steps,
        frames=frames,
        reviews=tuple(review_from_record(r) for r in reviews_of(db, session_id)),
        # Spelled out in full, so every reader sees the same rules whatever the store kept.
        rules=None if rules is None else RecordingRules.from_json(rules).to_json(),
        edits=trail,
        targets=event_targets(db, session_id),
        markers=tuple(markers),
        windows=tuple(windows),
        screen_changes=tuple(changes),
        **_header(record),
    )


def load_summaries(db: Database, session_ids: Sequence[str]) -> list[Trajectory]:
    """Sessions as trajectories without their frames or raw input: enough to compare them.

    Steps keep their store frame ids (there is no ``frames`` map to name them by hash).
    """
    reviews = reviews_of_sessions(db, session_ids)
    return [
        Trajectory(
            steps=tuple(current_steps(db, sid)),
            frames={},
            reviews=tuple(review_from_record(r) for r in reviews.get(sid, [])),
            **_header(session_record(db, sid)),
        )
        for sid in session_ids
    ]


def _header(record: dict[str, Any]) -> dict[str, Any]:
    """Trajectory fields that come from the session row and its task."""
    screen = record["screen"]
    virtual = screen["virtual"]
    task = record["task"]
    return dict(
        session_id=record["id"],
        task=TaskInfo(
            instruction=task.get("instruction") or record["task_text"],
            id=task.get("id"),
            category=task.get("category", ""),
            expected_outcome=task.get("expected_outcome", ""),
            setup_command=task.get("setup_command", ""),
            reset_command=task.get("reset_command", ""),
        ),
        created_at=record["created_at"],
        duration_s=record["duration_s"],
        screen=Screen(
            left=virtual["left"],
            top=virtual["top"],
            width=virtual["width"],
            height=virtual["height"],
            scale=record["scale"],
            monitors=tuple(
                Monitor(m["left"], m["top"], m["width"], m["height"], bool(m.get("primary")))
                for m in screen["monitors"]
            ),
        ),
        platform=record["platform"],
        app_version=record["app_version"],
        extra=record["extra"],
        annotator=record["username"],
        fps=record["fps"],
        double_click_ms=record["double_click_ms"],
        double_click_px=record["double_click_px"],
        status=record["status"],
        stage=record["stage"],
        origin=record["origin"],
        source_session_id=record["source_session_id"],
        fault=record["fault"],
    )
