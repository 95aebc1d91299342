"""A bundle opened for reading: a ``TrajectorySource`` that trusts nothing it has not checked."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from capture.buffers import BufferPool
from capture.events import RawEvent
from capture.pipeline import ordered_map
from replay.bundle import compat, png, schema
from replay.bundle.container import Container
from replay.bundle.errors import BundleError
from replay.bundle.schema import FORMAT_VERSION, read_event, read_trajectory
from replay.trajectory import Trajectory

if TYPE_CHECKING:
    from capture.events import Target

TRAJECTORY = "trajectory.json"
EVENTS = "events.jsonl"


# Numbers a bundle may hold: integers fit the store's 32-bit columns (bigger ones are
# refused), times and the like are finite and below ~30 million years in seconds.
MAX_INT = 2**31 - 1
MAX_FLOAT = 1e15


def _int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INT:
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not abs(value) <= MAX_FLOAT:
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _constant(text: str) -> Any:
    raise ValueError(f"{text} is not a number JSON allows")


def loads(raw: bytes | str, where: str) -> Any:
    """JSON with numbers checked; every error one line naming ``where``."""
    try:
        return json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{where} is not valid JSON ({exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"{where}: {exc}") from None


def frame_file(name: str) -> str:
    return f"frames/{name}.png"


class BundleFrames:
    """Pixels by frame hash, each decoded from its PNG and checked against its name."""

    def __init__(self, container: Container, trajectory: Trajectory) -> None:
        self._container = container
        self._frames = trajectory.frames

    def png(self, frame: str) -> bytes:
        if frame not in self._frames:
            raise BundleError(f"no frame {frame} in the bundle")
        return self._container.read(frame_file(frame))

    def _bgra(self, frame: str, data: bytes, out: np.ndarray | None = None) -> np.ndarray:
        info = self._frames[frame]
        return png.decode_bgra(data, frame, info.width, info.height, out)

    def rgb(self, frame: str) -> np.ndarray:
        info = self._frames.get(frame)
        if info is None:
            raise BundleError(f"no frame {frame} in the bundle")
        return png.decode(self.png(frame), frame, info.width, info.height)

    def all_bgra(self, buffers: BufferPool | None = None) -> Iterator[np.ndarray]:
        """Every frame as opaque BGRA in ``frames`` order, decoded and checked on worker
        threads; into arrays taken from ``buffers`` when given (the caller gives them back)."""

        def decode(item: tuple[str, bytes]) -> np.ndarray:
            name, data = item
            info = self._frames[name]
            out = None if buffers is None else buffers.take((info.height, info.width, 4))
            return self._bgra(name, data, out)

        # Files are read on this thread (a zip is not to be opened from several at once).
        return ordered_map(decode, ((n, self.png(n)) for n in self._frames))


class Bundle:
    """A bundle read from ``path`` (a directory or a zip); ``check`` decodes every frame."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._container = Container(path)
        self.version = FORMAT_VERSION  # the version the bundle was written as
        self.video: schema.VideoInfo | None = None  # context.mp4, when the bundle has one
        try:
            self.trajectory = self._read_trajectory()
            self._events, targets = self._read_events()
            self.trajectory = dataclasses.replace(self.trajectory, targets=targets)
            self._check_frame_files()
            self._check_video()
        except BaseException:
            self._container.close()
            raise
        self.frames = BundleFrames(self._container, self.trajectory)

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_trajectory(self) -> Trajectory:
        if not self._container.exists(TRAJECTORY):
            raise BundleError(f"{TRAJECTORY} is missing")
        data = loads(self._container.read(TRAJECTORY), TRAJECTORY)
        if not isinstance(data, dict):
            raise BundleError(f"{TRAJECTORY} must hold one JSON object")
        written_as = data.get("format_version")
        data = compat.migrate(data, FORMAT_VERSION)
        self.version = written_as if isinstance(written_as, int) else FORMAT_VERSION
        trajectory = read_trajectory(data)
        self.video = schema.read_video(data)
        return trajectory

    def _read_events(self) -> tuple[list[RawEvent], dict[int, Target]]:
        if not self._container.exists(EVENTS):
            raise BundleError(f"{EVENTS} is missing")
        events = []
        targets: dict[int, Target] = {}
        text = self._container.read(EVENTS)
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            raw = compat.migrate_event(
                loads(line, f"{EVENTS} line {n}"), self.version, FORMAT_VERSION
            )
            event, target = read_event(raw, n)
            events.append(event)
            if target is not None:
                targets[event.seq] = target
        for i, event in enumerate(events):
            if event.seq != i:
                raise BundleError(f"{EVENTS}: event seq {event.seq} out of order (expected {i})")
        return events, targets

    def _check_video(self) -> None:
        """A described video is opened and its packets read; one not described is refused
        (version 1 did not describe one, and ignored it)."""
        if self.video is None:
            if self.version >= 2 and self._container.exists(schema.VIDEO_FILE):
                raise BundleError(
                    f"{schema.VIDEO_FILE} is present but trajectory.json has no context_video"
                )
            return
        from replay.bundle.video import check_video

        check_video(self.open_video, self.video)

    def open_video(self) -> IO[bytes]:
        """``context.mp4`` as a seekable file object (for PyAV); BundleError without one."""
        if self.video is None:
            raise BundleError("this bundle has no context video")
        return self._container.open_file(schema.VIDEO_FILE)

    def _check_frame_files(self) -> None:
        """Every listed frame has a PNG of the right size; pixels are checked when decoded."""
        for name, info in self.trajectory.frames.items():
            file = frame_file(name)
            if not self._container.exists(file):
                raise BundleError(f"frame {name} is listed but {file} is missing")
            head = self._read_head(file)
            try:
                w, h = png.png_size(head)
            except BundleError:
                raise BundleError(f"{file} is not a PNG image") from None
            if w * h > png.MAX_PIXELS:
                raise BundleError(f"{file} is {w}x{h}, larger than {png.MAX_PIXELS} pixels")
            if (w, h) != (info.width, info.height):
                raise BundleError(
                    f"{file} is {w}x{h}, but frames lists it as {info.width}x{info.height}"
                )

    def _read_head(self, file: str) -> bytes:
        return self._container.head(file, 24)

    def events(self) -> Iterator[RawEvent]:
        return iter(self._events)

    def check(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Decode every frame and check its hash."""
        total = len(self.trajectory.frames)
        for i, _ in enumerate(self.frames.all_bgra(), start=1):
            if progress is not None:
                progress(i, total)
        if self.video is not None:
            from replay.bundle.video import decode_video

            decode_video(self.open_video, self.video)


def open_bundle(path: Path) -> Bundle:
    """The bundle at ``path``; every error names the bundle."""
    try:
        return Bundle(path)
    except BundleError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise BundleError(f"{path}: {exc}") from None
