"""The writer thread: drains the recording queue and commits it in batched transactions.

Capture threads only put items on the queue. Every ``commit_interval`` the
writer takes everything queued, writes the frames those items need (blobs
first, then rows), inserts the rows with executemany, refreshes the session's
duration and lease, and commits once. A crash loses at most one interval.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from capture.errors import DemotraceError, DiskFullError, SessionBusyError, StoreError
from capture.events import ACTION_STARTS, EventKind, Marker, RawEvent, Target, WindowChange
from capture.grabber import Frame, ScreenChange
from capture.live_steps import LiveSteps, Written
from capture.segment.settle import Settling
from capture.store.blobs import BlobStore
from capture.store.database import Database, is_disk_full
from capture.store.frames import FrameWriter
from capture.store.lease import renew
from capture.store.models import (
    EventRow,
    FrameRow,
    MarkerRow,
    ScreenChangeRow,
    WindowRow,
)
from capture.store.rows import (
    event_row,
    frame_row,
    marker_row,
    screen_change_row,
    window_row,
)


@dataclass(frozen=True, slots=True)
class ObservedEvent:
    """A raw event and the frame that was on screen at the last grab before it."""

    event: RawEvent
    frame: Frame | None = None
    grab_ns: int | None = None
    # Where a press or key-down landed, once looked up (see capture.targets).
    target: Target | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Persist ``frame`` as an observation of its own (session start, session end)."""

    frame: Frame
    reason: str


Item = ObservedEvent | ScreenChange | Marker | WindowChange | Snapshot

ACTION_ENDS = frozenset({EventKind.RELEASE, EventKind.KEY_UP})
HEARTBEAT_S = 1.0  # how often an idle recorder still says it holds the session
LIVE_TAIL_S = 4.0  # how long after the last input the live segmenter may still finish steps


class StoreWriter:
    def __init__(
        self,
        db: Database,
        blobs: BlobStore,
        session_id: str,
        lease_owner: str,
        on_error: Callable[[DemotraceError], None],
        first_seq: int = 0,
        commit_interval: float = 0.2,
        settling: Settling | None = None,
        live: LiveSteps | None = None,
        now: Callable[[], int] | None = None,
    ) -> None:
        self._db = db
        self._frames = FrameWriter(blobs)
        self._session_id = session_id
        self._lease_owner = lease_owner
        self._on_error = on_error
        self._interval = commit_interval
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demotrace-writer", daemon=True)
        self._frame_ids: dict[int, int] = {}  # Frame.number -> frames.id
        self._seq = first_seq
        self._last_t = 0
        self.error: DemotraceError | None = None
        self.committed_events = 0
        self._settling = settling  # persist the screen once it settled after each action
        self._now = now
        self._live = live
        self._new_frames: list[tuple[int, int]] = []  # frames written in this transaction
        self._action_start_t = 0  # when the action awaiting its after-frame began
        self._action_t: int | None = None  # its last input so far
        self._change_t = 0  # last screen change above noise
        self._screen: Frame | None = None  # the screen as of the items written so far

    def put(self, item: Item) -> None:
        self._queue.put(item)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Write everything still queued, then return."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        last_commit = last_busy = 0.0
        while self.error is None:
            stopping = self._stop.wait(self._interval)
            batch = self._drain()
            now = time.monotonic()
            if batch:
                last_busy = now
            # With nothing to write, commit only for the lease heartbeat, or while
            # live steps may still become final after the last input.
            quiet = now - last_busy > LIVE_TAIL_S and now - last_commit < HEARTBEAT_S
            if quiet and self._action_t is None and not stopping:
                continue
            last_commit = now
            try:
                self._commit(batch)
            except Exception as exc:  # noqa: BLE001 - every failure ends the recording cleanly
                self.error = self._explain(exc)
                self._on_error(self.error)
                return
            if stopping and self._queue.empty():
                return

    def _drain(self) -> list[Item]:
        batch: list[Item] = []
        while True:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                return batch

    def _explain(self, exc: BaseException) -> DemotraceError:
        if is_disk_full(exc):
            return DiskFullError(
                f"disk full: recording stopped; the {self.committed_events} events committed "
                "before stay readable"
            )
        if isinstance(exc, DemotraceError):
            return exc
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return StoreError(
            f"cannot write to the store: {reason[0] if reason else type(exc).__name__}"
        )

    def _frame_id(self, s: Session, frame: Frame, reason: str) -> int:
        known = self._frame_ids.get(frame.number)
        if known is not None:
            return known
        digest = self._frames.put(frame.pixels, frame.width, frame.height, s)
        frame_id: int = s.execute(
            insert(FrameRow).returning(FrameRow.id),
            frame_row(frame, digest, reason, session_id=self._session_id),
        ).scalar_one()
        self._frame_ids[frame.number] = frame_id
        self._new_frames.append((frame_id, frame.t_ns))
        return frame_id

    def _settle(self, s: Session, t: int) -> None:
        """Everything before ``t`` is written: if the screen settled after the last action
        by then, keep the frame that was on screen at that moment (its after-observation).

        Called before each item in time order, so a change that comes after the
        screen settled never hides the moment it settled.
        """
        settling = self._settling
        if settling is None or self._action_t is None:
            return
        if t >= settling.settled_at(self._action_t, self._change_t):
            if self._change_t > self._action_start_t and self._screen is not None:
                self._frame_id(s, self._screen, "after")
            self._action_t = None

    def _commit(self, batch: list[Item]) -> None:
        events: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        markers: list[dict[str, Any]] = []
        windows: list[dict[str, Any]] = []
        sid = self._session_id
        pending = dict(self._frame_ids)
        self._new_frames = []
        written: list[Written] = []  # what the live segmenter gets, as domain objects
        with self._db.session() as s:
            try:
                for item in sorted(batch, key=_time_of):
                    self._settle(s, _time_of(item))
                    if isinstance(item, ObservedEvent):
                        event = replace(item.event, seq=self._seq)
                        self._seq += 1
                        events.append(self._event_row(s, item, event))
                        written.append(event)
                        if item.target is not None:
                            written.append(item.target)
                        if item.event.kind in ACTION_STARTS:
                            self._action_start_t = self._action_t = item.event.t_ns
                        elif self._action_t is not None and item.event.kind in ACTION_ENDS:
                            self._action_t = item.event.t_ns
                    elif isinstance(item, ScreenChange):
                        if self._settling is None or self._settling.counts(item.changed):
                            self._change_t = max(self._change_t, item.t_ns)
                        if item.frame is not None:
                            self._screen = item.frame
                        changes.append(screen_change_row(item.t_ns, item.changed, session_id=sid))
                        written.append((item.t_ns, item.changed))
                    elif isinstance(item, Marker):
                        markers.append(marker_row(item, session_id=sid))
                        written.append(item)
                    elif isinstance(item, WindowChange):
                        windows.append(window_row(item, session_id=sid))
                        written.append(item)
                    else:
                        self._frame_id(s, item.frame, item.reason)
                    self._last_t = max(self._last_t, _time_of(item))
                if self._settling is not None and self._now is not None:
                    self._settle(s, self._now())
                for model, rows in (
                    (EventRow, events),
                    (ScreenChangeRow, changes),
                    (MarkerRow, markers),
                    (WindowRow, windows),
                ):
                    if rows:
                        s.execute(insert(model), rows)
                if self._live is not None:
                    self._live.feed(s, written, self._new_frames, self._pending_since())
                if not renew(s, sid, self._lease_owner, self._last_t):
                    raise SessionBusyError(
                        f"session {sid} was taken over by another recorder; recording stopped"
                    )
                s.commit()
            except BaseException:
                s.rollback()
                self._frame_ids = pending  # rows of frames that never committed
                self._seq -= len(events)
                raise
        self.committed_events += len(events)

    def _pending_since(self) -> int | None:
        """The earliest time from which a frame may still be persisted: the screen after
        an action still settling, or the screen now, which the next action's before-frame
        will be, however long it stays. The live segmenter treats nothing after it as final."""
        pending = [self._action_start_t] if self._action_t is not None else []
        screen = self._screen
        if screen is not None and screen.number not in self._frame_ids:
            pending.append(screen.t_ns)
        return min(pending, default=None)

    def _event_row(self, s: Session, item: ObservedEvent, event: RawEvent) -> dict[str, Any]:
        """The row of ``event`` (``item``'s event with its seq), with its before-frame."""
        frame_id = age = None
        if item.frame is not None and item.grab_ns is not None:
            frame_id = self._frame_id(s, item.frame, "before")
            age = event.t_ns - item.grab_ns
        target = item.target
        return event_row(
            event,
            session_id=self._session_id,
            frame_id=frame_id,
            frame_age_ns=age,
            window=dict(target.window) if target and target.window else None,
            element=dict(target.element) if target and target.element else None,
        )


def _time_of(item: Item) -> int:
    if isinstance(item, ObservedEvent):
        return item.event.t_ns
    if isinstance(item, Snapshot):
        return item.frame.t_ns
    return item.t_ns
