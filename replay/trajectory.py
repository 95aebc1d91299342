"""A trajectory as every part of replay/ sees it: one session, whole, with no store behind it.

The bundle reader and the store loader both produce a ``Trajectory`` and a
``FrameSource``; the player, executor, reviewer tools and exporters only ever
consume these. Step frame references (``before_frame``/``after_frame``) are
content hashes of the frame's pixels, the same names the bundle's ``frames/``
uses, so a trajectory means the same thing wherever it came from; so are those
of the steps a ``baseline`` edit holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, runtime_checkable

import numpy as np

from capture.events import Marker, RawEvent, Target, WindowChange
from capture.segment import EditRecord, Step


@dataclass(frozen=True, slots=True)
class Monitor:
    left: int
    top: int
    width: int
    height: int
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Screen:
    """The virtual desktop in physical pixels, its monitors, and the scale factor."""

    left: int
    top: int
    width: int
    height: int
    scale: float = 1.0
    monitors: tuple[Monitor, ...] = ()

    def normalised(self, x: int, y: int) -> tuple[float, float]:
        """A point as fractions of the virtual desktop: the one projection every format uses."""
        return (x - self.left) / self.width, (y - self.top) / self.height


@dataclass(frozen=True, slots=True)
class FrameInfo:
    """One distinct observation: its content hash, when it was first seen, where it lies."""

    hash: str
    t_ns: int
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class TaskInfo:
    instruction: str
    id: str | None = None
    category: str = ""
    expected_outcome: str = ""
    setup_command: str = ""
    reset_command: str = ""


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """A reviewer's comment on one step (``step_index``) or the whole trajectory (None)."""

    step_index: int | None
    text: str
    resolved: bool = False
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer's grade: verdict, goal completion and the 1-5 scores."""

    reviewer: str
    created_at: str  # ISO 8601
    verdict: str  # accept | needs_changes | reject
    goal: str | None = None  # achieved | partly | not
    efficiency: int | None = None
    error_handling: int | None = None
    note_quality: int | None = None
    reason: str = ""
    redundant_steps: tuple[int, ...] = ()
    comments: tuple[ReviewComment, ...] = ()


@dataclass(frozen=True)
class Trajectory:
    session_id: str
    task: TaskInfo
    created_at: str  # ISO 8601, UTC
    duration_s: float
    screen: Screen
    platform: str
    app_version: str
    annotator: str
    fps: float
    double_click_ms: int
    double_click_px: int
    steps: tuple[Step, ...]
    frames: Mapping[str, FrameInfo]
    reviews: tuple[Review, ...] = ()
    status: str = "finished"  # how the recording ended: finished | interrupted
    stage: str = "draft"  # draft | submitted | accepted | needs_changes | rejected
    origin: str = "recorded"  # recorded | imported | injected
    source_session_id: str | None = None
    fault: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The rules it was recorded under (RecordingRules.to_json()); None: recorded before
    # rules were kept, so the defaults.
    rules: Mapping[str, Any] | None = None
    # The audit trail of the annotator's edits to the steps, oldest first.
    edits: tuple[EditRecord, ...] = ()
    # Where each press and key-down landed (window, accessible element), by event seq.
    targets: Mapping[int, Target] = field(default_factory=dict)
    # What segmenting the raw input again reads besides it (and the frames), in time order:
    # the markers (mark, pause, resume, note, secret), the active window's changes, and the
    # screen changes (t_ns, fraction of the screen that changed) of each distinct grab.
    markers: tuple[Marker, ...] = ()
    windows: tuple[WindowChange, ...] = ()
    screen_changes: tuple[tuple[int, float], ...] = ()

    def frame(self, ref: Any) -> FrameInfo | None:
        return None if ref is None else self.frames.get(str(ref))

    @property
    def latest_verdict(self) -> str | None:
        return self.reviews[-1].verdict if self.reviews else None


class FrameSource(Protocol):
    """Pixels of a trajectory's frames by content hash, decoded one at a time."""

    def rgb(self, frame: str) -> np.ndarray:
        """(height, width, 3) uint8 RGB."""
        ...


@runtime_checkable
class ContextFrames(Protocol):
    """Every frame a session kept, at the time it was grabbed: what a context video shows.

    A store keeps more frames than the steps name (one before each press, wheel
    turn and key-down, the screen as each action settled, the start and the end).
    """

    def context_frames(self) -> list[FrameInfo]:
        """In time order; a hash may come back at several times."""
        ...

    def context_rgb(self, frame: FrameInfo) -> np.ndarray:
        """(height, width, 3) uint8 RGB of ``frame`` as shown at ``frame.t_ns``."""
        ...


class KeptVideo(Protocol):
    """A context video a session brought with it (an imported bundle's ``context.mp4``)."""

    @property
    def header(self) -> Mapping[str, Any]:
        """The bundle's ``context_video`` (docs/bundle.md), as it came."""
        ...

    def copy_to(self, out: IO[bytes]) -> None:
        """Write the file's bytes, as they came, to ``out``."""
        ...


@runtime_checkable
class KeptVideoSource(Protocol):
    """A session that may have kept a context video."""

    def kept_video(self) -> KeptVideo | None: ...

    def redacts(self) -> bool:
        """True when redactions apply to the session's frames: a kept video, older than
        them, shows what they hide."""
        ...


class TrajectorySource(Protocol):
    """Where a trajectory came from (a store or a bundle): the data, its pixels, its raw input."""

    @property
    def trajectory(self) -> Trajectory: ...

    @property
    def frames(self) -> FrameSource: ...

    def events(self) -> Iterator[RawEvent]: ...
