"""A session brought in from elsewhere (a bundle): written whole, in one transaction.

Callers hand plain data: the session's header, its frames (pixels on demand),
raw events, steps whose frame references are frame hashes, and reviews. The
caller has checked everything first; this module writes, after working out
what later edits of the session start from (``capture/store/baseline.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from capture.buffers import BufferPool
from capture.errors import StoreError
from capture.events import Marker, RawEvent, WindowChange
from capture.framecodec import FrameEncoder, frame_hash
from capture.pipeline import ordered_map
from capture.segment import Step
from capture.store.baseline import imported_trail, with_frames
from capture.store.database import Database
from capture.store.models import (
    EventRow,
    FrameRow,
    MarkerRow,
    ScreenChangeRow,
    SessionRow,
    StepEditRow,
    StepRow,
    TaskRow,
    WindowRow,
)
from capture.store.reviews import insert_review
from capture.store.rows import (
    edit_row,
    event_row,
    marker_row,
    screen_change_row,
    step_row,
    window_row,
)
from capture.store.sessions import blob_store_for
from capture.store.videos import store_video

if TYPE_CHECKING:
    from capture.events import Target
    from capture.segment import EditRecord

ORIGIN = "imported"


@dataclass(frozen=True)
class ImportedFrame:
    hash: str
    t_ns: int
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class ImportedVideo:
    """A context video to keep with the session: its header (the bundle's
    ``context_video``) and its bytes, read a chunk at a time while it is stored."""

    header: Mapping[str, Any]
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class ImportedSession:
    id: str
    task_text: str
    # {id, instruction, category, expected_outcome, setup_command, reset_command}, or None.
    task: Mapping[str, Any] | None
    status: str
    stage: str
    source_session_id: str | None
    fault: Mapping[str, Any] | None
    created_at: datetime
    duration_ns: int
    platform: str
    app_version: str
    username: str
    screen: Mapping[str, Any]
    scale: float
    double_click_ms: int
    double_click_px: int
    fps: float
    frames: Sequence[ImportedFrame] = ()
    events: Sequence[RawEvent] = ()
    steps: Sequence[Step] = ()  # before_frame/after_frame: frame hashes
    # Each {reviewer, created_at, verdict, goal, efficiency, error_handling,
    # note_quality, reason, redundant_steps, comments: [{step_index, text, resolved, created_at}]}
    reviews: Sequence[Mapping[str, Any]] = field(default=())
    # The rules it was recorded under (RecordingRules.to_json()), None: the defaults.
    rules: Mapping[str, Any] | None = None
    # The bundle's free-form ``extra``, kept as it is.
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The audit trail of edits to the steps, oldest first.
    edits: Sequence[EditRecord] = ()
    # Where presses and key-downs landed, by event seq.
    targets: Mapping[int, Target] = field(default_factory=dict)
    # What segmentation reads besides the raw input, in time order: the person's markers
    # (mark, pause, resume, note, secret), the active window's changes, and each distinct
    # grab's (t_ns, fraction of the screen that changed).
    markers: Sequence[Marker] = ()
    windows: Sequence[WindowChange] = ()
    screen_changes: Sequence[tuple[int, float]] = ()
    # The bundle's context video, kept as it came (capture/store/videos.py).
    video: ImportedVideo | None = None


def has_session(db: Database, session_id: str) -> bool:
    with db.session() as s:
        return s.get(SessionRow, session_id) is not None


def _when(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def import_session(
    db: Database,
    session: ImportedSession,
    pixels: Iterable[np.ndarray],
    progress: Callable[[int, int], None] | None = None,
    *,
    hashed: bool = False,
    buffers: BufferPool | None = None,
) -> None:
    """Write ``session``; ``pixels`` yields each frame as (H, W, 4) BGRA, in ``session.frames``
    order (opaque: alpha 255, so the store's hash is the frame's name). ``hashed``: the
    caller has checked each frame's pixels against its hash already (a bundle's reader
    does), so they are not hashed again. ``buffers``: the pool ``pixels`` takes its
    arrays from; each goes back once coded.

    Frames are coded for the store on a thread of their own, and written (to a
    directory store) on two more, a few frames in flight. Whatever goes wrong
    (including ``pixels`` raising, as a bundle does on a frame whose hash does
    not match), nothing stays behind: the transaction is rolled back and frame
    blobs this import added are removed again. ``session.video``'s bytes are
    kept the same way, as blobs written in the same transaction.
    """
    trail = imported_trail(session)
    blobs = blob_store_for(db)
    added: list[str] = []
    try:
        with db.session() as s:
            _task(s, session.task)
            row = _session_row(session)
            s.add(row)
            s.flush()
            if session.video is not None:
                video = session.video
                row.context_video = store_video(
                    blobs, s, video.header, video.chunks, added
                ).to_json()
            known = {f.hash for f in session.frames if blobs.has(f.hash, s)}
            coder = _Coder(known, hashed, buffers)
            coded = ordered_map(coder, zip(session.frames, pixels, strict=True), 1, 2)

            def store(item: Coded) -> Coded:
                frame, data = item
                if data is not None:
                    added.append(frame.hash)  # first: a failure anywhere removes it
                    blobs.put(frame.hash, data, s)
                return frame, None

            if blobs.concurrent:  # files: written on threads of their own
                coded = ordered_map(store, coded, 2, 4)
            rows: dict[str, FrameRow] = {}
            # Closed whatever happens: no thread still writes a blob once this is left.
            with closing(coded):
                for done, (frame, data) in enumerate(coded, start=1):
                    if data is not None:
                        store((frame, data))
                    rows[frame.hash] = FrameRow(
                        session_id=session.id,
                        t_ns=frame.t_ns,
                        blob=frame.hash,
                        left=frame.left,
                        top=frame.top,
                        width=frame.width,
                        height=frame.height,
                        reason="before",
                    )
                    if progress is not None:
                        progress(done, len(session.frames))
            s.add_all(rows.values())
            s.flush()
            ids = {digest: row.id for digest, row in rows.items()}
            if session.events:
                s.execute(
                    insert(EventRow),
                    [_event_row(session, e) for e in session.events],
                )
            _timeline(s, session)
            if trail:
                s.execute(
                    insert(StepEditRow),
                    [
                        edit_row(
                            with_frames(record, lambda ref: ids[str(ref)]),
                            seq,
                            session_id=session.id,
                        )
                        for seq, record in enumerate(trail)
                    ],
                )
            step_rows = [
                step_row(
                    step.evolve(
                        before_frame=ids.get(str(step.before_frame)),
                        after_frame=ids.get(str(step.after_frame)),
                    ),
                    session_id=session.id,
                )
                for step in session.steps
            ]
            if step_rows:
                s.execute(insert(StepRow), step_rows)
            for review in session.reviews:
                insert_review(s, session.id, review)
            s.commit()
            added.clear()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot import session {session.id}: {exc.__class__.__name__}") from None
    finally:
        if added:
            with db.session() as s:
                for digest in added:
                    blobs.discard(digest, s)


Coded = tuple[ImportedFrame, bytes | None]


class _Coder:
    """Frames coded for the store, in order, on one thread (deltas follow their keyframe):
    (frame, the blob to store, or None when the store or this import has it already)."""

    def __init__(self, known: set[str], hashed: bool, buffers: BufferPool | None) -> None:
        self._encoder = FrameEncoder()
        self._known = known
        self._hashed = hashed
        self._buffers = buffers
        self._keyframe: np.ndarray | None = None  # the encoder compares frames with it

    def __call__(self, item: tuple[ImportedFrame, np.ndarray]) -> Coded:
        frame, bgra = item
        spare: np.ndarray | None = bgra
        try:
            pixels = bgra.reshape(-1).data
            if not self._hashed:
                digest = frame_hash(pixels, frame.width, frame.height)
                if digest != frame.hash:
                    raise StoreError(f"frame {frame.hash} hashed to {digest} in the store")
            if frame.hash in self._known:
                return frame, None
            self._known.add(frame.hash)
            encoded = self._encoder.encode(pixels, frame.width, frame.height, frame.hash)
            if encoded.is_keyframe:  # kept by the encoder; the one it replaces is free
                spare, self._keyframe = self._keyframe, bgra
            return frame, encoded.data
        finally:
            if self._buffers is not None and spare is not None:
                self._buffers.give(spare)


def _timeline(s: Any, session: ImportedSession) -> None:
    """The markers, window changes and screen changes segmentation reads."""
    sid = session.id
    if session.markers:
        s.execute(insert(MarkerRow), [marker_row(m, session_id=sid) for m in session.markers])
    if session.windows:
        s.execute(insert(WindowRow), [window_row(w, session_id=sid) for w in session.windows])
    if session.screen_changes:
        s.execute(
            insert(ScreenChangeRow),
            [screen_change_row(t, c, session_id=sid) for t, c in session.screen_changes],
        )


def _task(s: Any, task: Mapping[str, Any] | None) -> None:
    if task is None or not task.get("id") or s.get(TaskRow, task["id"]) is not None:
        return
    s.add(
        TaskRow(
            id=task["id"],
            instruction=task["instruction"],
            category=task["category"] or "trajectory",
            expected_outcome=task["expected_outcome"],
            setup_command=task["setup_command"],
            reset_command=task["reset_command"],
            created_at=datetime.now(UTC),
        )
    )


def _session_row(session: ImportedSession) -> SessionRow:
    created = session.created_at
    return SessionRow(
        id=session.id,
        task=session.task_text,
        status=session.status,
        stage=session.stage,
        task_id=session.task.get("id") if session.task else None,
        origin=ORIGIN,
        source_session_id=session.source_session_id,
        fault=None if session.fault is None else dict(session.fault),
        rules=None if session.rules is None else dict(session.rules),
        extra=dict(session.extra) or None,
        created_at=created,
        wall_start_ns=int(created.timestamp() * 1e9),
        duration_ns=session.duration_ns,
        platform=session.platform,
        app_version=session.app_version,
        hostname="",
        username=session.username,
        screen=dict(session.screen),
        scale=session.scale,
        double_click_ms=session.double_click_ms,
        double_click_px=session.double_click_px,
        fps=session.fps,
        stop_reason="",
    )


def _event_row(session: ImportedSession, event: RawEvent) -> dict[str, Any]:
    target = session.targets.get(event.seq)
    return event_row(
        event,
        session_id=session.id,
        frame_id=None,
        window=None if target is None or target.window is None else dict(target.window),
        element=None if target is None or target.element is None else dict(target.element),
    )
