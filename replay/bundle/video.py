"""``context.mp4``: every frame a session kept, at the time it was grabbed, as H.264.

The video is variable frame rate: one video frame per kept frame whose
picture differs from the one before, stamped with the time it was grabbed, so
``pts * time_base`` is seconds on the session clock (the clock of
``trajectory.json``) to the millisecond and a viewer seeks a step by its
``t_start``. Frames are read, converted and encoded one at a time.

PyAV is optional: only writing or reading a bundle with a video needs it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import cv2
import numpy as np

from replay.bundle.errors import BundleError
from replay.bundle.schema import VIDEO_FILE, VideoInfo, nanoseconds, read_video
from replay.trajectory import ContextFrames, FrameInfo, KeptVideo, Screen, Trajectory

Progress = Callable[[int, int], None]

TIME_BASE = Fraction(1, 1000)  # pts in milliseconds of the session clock
PIX_FMT = "yuv420p"
# Encoders in order of preference: H.264 when the FFmpeg inside PyAV has it, else MPEG-4
# Part 2, which every FFmpeg build ships.
ENCODERS = ("libx264", "h264", "mpeg4")
X264_OPTIONS = {"preset": "veryfast", "crf": "20"}
KEYFRAME_S = 2.0  # at most this long between keyframes (at the recording's frame rate)
# How far a frame's time in the video may be from the header's: pts are whole milliseconds.
TOLERANCE_S = 0.0015


def _av() -> Any:
    try:
        import av
    except ImportError:
        raise BundleError(
            f"{VIDEO_FILE} needs PyAV, which did not load; reinstall it with: pip install av"
        ) from None
    return av


def _encoder(av: Any) -> str:
    for name in ENCODERS:
        try:
            av.codec.Codec(name, "w")
        except Exception:  # noqa: BLE001 - PyAV raises several kinds for a missing codec
            continue
        return name
    raise BundleError("the FFmpeg inside PyAV has no H.264 or MPEG-4 encoder")


def video_size(screen: Screen) -> tuple[int, int]:
    """The virtual desktop, rounded up to even sides (yuv420p needs them)."""
    return screen.width + screen.width % 2, screen.height + screen.height % 2


def pictures(frames: list[FrameInfo]) -> list[FrameInfo]:
    """The kept frames the video shows, one video frame each."""
    return list(_pictures(frames))


def _pictures(frames: list[FrameInfo]) -> Iterator[FrameInfo]:
    """The frames that start a new picture: a repeat of the one before, or one grabbed in the
    same millisecond, shows nothing new."""
    last: FrameInfo | None = None
    last_ms = -1
    for info in frames:
        ms = round(info.t_ns / 1_000_000)
        same = last is not None and (info.hash, info.left, info.top) == (
            last.hash,
            last.left,
            last.top,
        )
        if same or ms <= last_ms:
            continue
        last, last_ms = info, ms
        yield info


def _canvas(rgb: np.ndarray, info: FrameInfo, screen: Screen, size: tuple[int, int]) -> np.ndarray:
    """``rgb`` where it lies on the virtual desktop, padded black to ``size``."""
    width, height = size
    x, y = info.left - screen.left, info.top - screen.top
    if (x, y) == (0, 0) and rgb.shape[:2] == (height, width):
        return rgb
    out = np.zeros((height, width, 3), np.uint8)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + rgb.shape[1]), min(height, y + rgb.shape[0])
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = rgb[y0 - y : y1 - y, x0 - x : x1 - x]
    return out


def encode_context(
    source: ContextFrames,
    screen: Screen,
    fps: float,
    path: Path,
    progress: Progress | None = None,
) -> VideoInfo | None:
    """Write the context video of ``source`` to ``path``; None (and no file) when the session
    kept no frames. ``progress(done, total)`` after each video frame."""
    shown = pictures(source.context_frames())
    if not shown:
        return None
    av = _av()
    size = video_size(screen)
    rate = Fraction(fps).limit_denominator(1000) if fps > 0 else Fraction(10)
    name = _encoder(av)
    out = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
    try:
        stream = out.add_stream(name, rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = PIX_FMT
        stream.codec_context.time_base = TIME_BASE
        stream.codec_context.gop_size = max(1, round(float(rate) * KEYFRAME_S))
        if name == "libx264":
            stream.options = dict(X264_OPTIONS)
        for done, info in enumerate(shown, start=1):
            rgb = _canvas(source.context_rgb(info), info, screen, size)
            # OpenCV's BT.601 conversion: what FFmpeg assumes when it decodes, several times
            # faster than converting inside PyAV.
            yuv = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420)
            frame = av.VideoFrame.from_ndarray(yuv, format=PIX_FMT)
            frame.pts = round(info.t_ns / 1_000_000)
            frame.time_base = TIME_BASE
            for packet in stream.encode(frame):
                out.mux(packet)
            if progress is not None:
                progress(done, len(shown))
        for packet in stream.encode():
            out.mux(packet)
        codec = stream.codec_context.codec.canonical_name
    finally:
        out.close()
    first, last = shown[0].t_ns, shown[-1].t_ns
    return VideoInfo(
        file=VIDEO_FILE,
        codec=codec,
        pix_fmt=PIX_FMT,
        width=size[0],
        height=size[1],
        fps=float(fps),
        frames=len(shown),
        start_s=round(first / 1e9, 3),
        duration_s=round((round(last / 1e6) - round(first / 1e6)) / 1000, 3),
    )


def two_parts(progress: Progress, frames: int, video: ContextFrames) -> tuple[Progress, Progress]:
    """``progress`` split over writing ``frames`` PNGs, then encoding the video's frames."""
    total = frames + len(pictures(video.context_frames()))

    def first(done: int, _total: int) -> None:
        progress(done, total)

    def second(done: int, _total: int) -> None:
        progress(frames + done, total)

    return first, second


def add_context_video(
    video: ContextFrames,
    traj: Trajectory,
    out: Path,
    move_in: Callable[[str, Path], None],
    progress: Progress | None = None,
) -> VideoInfo | None:
    """Encode the context video beside the bundle ``out``, then ``move_in`` it as
    ``context.mp4``; None when the session kept no frames."""
    handle, name = tempfile.mkstemp(prefix=".context-", suffix=".mp4", dir=out.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        info = encode_context(video, traj.screen, traj.fps, tmp, progress)
        if info is not None:
            move_in(VIDEO_FILE, tmp)
        return info
    finally:
        tmp.unlink(missing_ok=True)


def add_kept_video(video: KeptVideo, out: Path, move_in: Callable[[str, Path], None]) -> VideoInfo:
    """Write a kept video back beside the bundle ``out`` byte for byte, then ``move_in`` it as
    ``context.mp4``; its header, checked as a bundle's is."""
    info = read_video({"context_video": dict(video.header)})
    if info is None:
        raise BundleError("the kept context video has no header")
    handle, name = tempfile.mkstemp(prefix=".context-", suffix=".mp4", dir=out.parent)
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as fh:
            video.copy_to(fh)
        move_in(VIDEO_FILE, tmp)
        return info
    finally:
        tmp.unlink(missing_ok=True)


def _damaged(exc: Exception) -> BundleError:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    first = str(reason).strip().splitlines()[0] if str(reason).strip() else type(exc).__name__
    return BundleError(f"{VIDEO_FILE} is damaged or truncated: {first}")


def check_video(open_file: Callable[[], IO[bytes]], info: VideoInfo) -> None:
    """Open the video and read every packet (not decoding them): a video stream of the
    header's codec and size, as many frames as the header says, spanning its times."""
    av = _av()
    try:
        with open_file() as fh, av.open(fh, "r") as container:
            if not container.streams.video:
                raise BundleError(f"{VIDEO_FILE} has no video stream")
            stream = container.streams.video[0]
            cc = stream.codec_context
            if (cc.width, cc.height) != (info.width, info.height):
                raise BundleError(
                    f"{VIDEO_FILE} is {cc.width}x{cc.height}, but context_video says "
                    f"{info.width}x{info.height}"
                )
            codec = cc.codec.canonical_name
            if codec != info.codec:
                raise BundleError(f"{VIDEO_FILE} is {codec}, but context_video says {info.codec}")
            times = [
                float(p.pts * stream.time_base)
                for p in container.demux(stream)
                if p.pts is not None
            ]
    except BundleError:
        raise
    except (OSError, ValueError, av.FFmpegError) as exc:
        raise _damaged(exc) from None
    if len(times) != info.frames:
        raise BundleError(
            f"{VIDEO_FILE} holds {len(times)} frames, but context_video says {info.frames} "
            "(damaged or truncated?)"
        )
    start, end = min(times), max(times)
    if abs(start - info.start_s) > TOLERANCE_S or abs(end - start - info.duration_s) > TOLERANCE_S:
        raise BundleError(
            f"{VIDEO_FILE} spans {start:.3f}-{end:.3f} s, but context_video says "
            f"{info.start_s:.3f}-{info.start_s + info.duration_s:.3f} s"
        )


def decode_video(open_file: Callable[[], IO[bytes]], info: VideoInfo) -> int:
    """Decode every frame (a bundle's full check); the number decoded."""
    av = _av()
    count = 0
    try:
        with open_file() as fh, av.open(fh, "r") as container:
            for _frame in container.decode(container.streams.video[0]):
                count += 1
    except (OSError, ValueError, av.FFmpegError) as exc:
        raise _damaged(exc) from None
    if count != info.frames:
        raise BundleError(
            f"{VIDEO_FILE} decodes to {count} frames, but context_video says {info.frames}"
        )
    return count


def frame_at(open_file: Callable[[], IO[bytes]], t: float) -> np.ndarray | None:
    """(height, width, 3) RGB of the picture on screen at ``t`` seconds (session clock):
    the last frame at or before ``t``; None before the first."""
    av = _av()
    shown = None
    target = nanoseconds(t)
    with open_file() as fh, av.open(fh, "r") as container:
        stream = container.streams.video[0]
        container.seek(max(0, round(t / stream.time_base)), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            if nanoseconds(float(frame.pts * stream.time_base)) > target + 500_000:
                break
            shown = frame.to_ndarray(format="rgb24")
    return shown
