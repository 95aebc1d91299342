"""Context video benchmark: encoding ``context.mp4`` (export ``--video``) at 1080p.

    python -m bench.context_video [--frames 1000] [--width 1920 --height 1080]
                                  [--memory-frames 300,1000]

The kept frames of a synthetic session (a real UI screenshot tiled over the
screen, a marker and a counter drawn so every frame is distinct, one frame
every 100 ms as a 10 fps recording keeps them) are encoded with the encoder
``replay/bundle/video.py`` picks. Measured in the same run: making the frames
alone (what any export of them pays before encoding) and writing the same
frames as PNG the plain way (``cv2.imwrite``, one thread), which is what a
bundle pays per frame without the video. Memory runs in a child process per
size and reports its peak resident set.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from bench.export import SyntheticFrames
from replay.bundle.video import encode_context
from replay.trajectory import FrameInfo, Screen

ROOT = Path(__file__).resolve().parents[1]


class SyntheticContext:
    """``frames`` kept frames, 100 ms apart, each one distinct."""

    def __init__(self, frames: int, width: int, height: int) -> None:
        self._pictures = SyntheticFrames(width, height)
        self._infos = [
            FrameInfo(f"f{i}", i * 100_000_000, 0, 0, width, height) for i in range(frames)
        ]

    def context_frames(self) -> list[FrameInfo]:
        return list(self._infos)

    def context_rgb(self, frame: FrameInfo) -> np.ndarray:
        return self._pictures.rgb(frame.hash)


def timed(run: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def encode_once(frames: int, width: int, height: int) -> tuple[float, float, int, str]:
    source = SyntheticContext(frames, width, height)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "context.mp4"
        holder: list[str] = []

        def run() -> None:
            info = encode_context(source, Screen(0, 0, width, height), 10.0, path)
            assert info is not None and info.frames == frames
            holder.append(info.codec)

        wall, cpu = timed(run)
        return wall, cpu, path.stat().st_size, holder[0]


def frames_only(frames: int, width: int, height: int) -> tuple[float, float]:
    source = SyntheticContext(frames, width, height)

    def run() -> None:
        for f in source.context_frames():
            source.context_rgb(f)  # made, then dropped, as the encoder drops each

    return timed(run)


def png_baseline(frames: int, width: int, height: int) -> tuple[float, float]:
    source = SyntheticContext(frames, width, height)
    with tempfile.TemporaryDirectory() as tmp:

        def run() -> None:
            for f in source.context_frames():
                cv2.imwrite(str(Path(tmp) / f"{f.hash}.png"), source.context_rgb(f)[:, :, ::-1])

        return timed(run)


def peak_rss_mb(run: str, frames: int, width: int, height: int) -> float:
    """Peak resident set of a child that runs ``run`` (``encode_once`` or ``frames_only``)."""
    code = (
        f"import resource; from bench.context_video import {run}; "
        f"{run}({frames}, {width}, {height}); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


RUNS = ("frames_only", "encode_once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--memory-frames", default="300,1000")
    args = parser.parse_args()
    n, w, h = args.frames, args.width, args.height
    # Children first: on Linux a child inherits its parent's peak resident set.
    memory = {
        int(m): {run: round(peak_rss_mb(run, int(m), w, h)) for run in RUNS}
        for m in args.memory_frames.split(",")
    }
    wall, cpu, size, codec = encode_once(n, w, h)
    made_wall, _ = frames_only(n, w, h)
    png_wall, png_cpu = png_baseline(n, w, h)
    per = 1000 / n
    result = {
        "frames": n,
        "size": f"{w}x{h}",
        "codec": codec,
        "encode_s_per_1000": round(wall * per, 2),
        "encode_cpu_s_per_1000": round(cpu * per, 2),
        "making_frames_s_per_1000": round(made_wall * per, 2),
        "png_baseline_s_per_1000": round(png_wall * per, 2),
        "png_baseline_cpu_s_per_1000": round(png_cpu * per, 2),
        "video_mb": round(size / 2**20, 2),
        "video_kb_per_frame": round(size / 1024 / n, 1),
        # Making the frames alone beside making and encoding them: the encoder's share.
        "peak_rss_mb": memory,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
