"""WebDataset: tar shards, a sample per step: before and after PNG and a JSON, sharing a key.

A key is ``<session>_<step:06d>`` (no dots: WebDataset splits the name at the
first one). Shards (``shard-000000.tar`` ...) close near ``SHARD_BYTES``. The
JSON holds the task, the native action (physical pixels) with the normalised
point, the caption, the person's note and the model draft in separate fields,
outcome, tags, error type, fault, window and the trajectory's grades.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from replay.export.captions import caption
from replay.export.grades import grades, step_fields
from replay.export.registry import ExportOptions, Progress
from replay.export.rows import element, point
from replay.export.walk import Counter, episodes
from replay.trajectory import TrajectorySource

SHARD_BYTES = 500 * 1024 * 1024


class Shards:
    """Tar files written one after another, each closed once it passes ``limit`` bytes."""

    def __init__(self, out: Path, pattern: str, limit: int) -> None:
        self._out = out
        self._pattern = pattern
        self._limit = limit
        self._n = 0
        self._tar: tarfile.TarFile | None = None
        self._size = 0

    def add(self, name: str, data: bytes, mtime: float) -> None:
        if self._tar is None:
            self._tar = tarfile.open(self._out / self._pattern.format(self._n), "w")  # noqa: SIM115 - closed by close()
            self._n += 1
            self._size = 0
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = int(mtime)
        self._tar.addfile(info, io.BytesIO(data))
        self._size += len(data) + 1024

    def end_sample(self) -> None:
        if self._tar is not None and self._size >= self._limit:
            self.close()

    def close(self) -> None:
        if self._tar is not None:
            self._tar.close()
            self._tar = None


def key(session_id: str, index: int) -> str:
    return f"{session_id.replace('.', '_')}_{index:06d}"


class WebDatasetExporter:
    name = "webdataset"
    summary = "WebDataset tar shards: before/after PNG and a JSON per step"
    shard_bytes = SHARD_BYTES

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        eps = episodes(sources)
        counter = Counter(eps, progress)
        out.mkdir(parents=True)
        shards = Shards(out, "shard-{:06d}.tar", self.shard_bytes)
        try:
            for ep in eps:
                traj = ep.trajectory
                g = grades(traj).to_json()
                for shot in ep.shots():
                    step = shot.step
                    k = key(traj.session_id, step.index)
                    mtime = step.t_start / 1e9
                    meta: dict[str, Any] = {
                        "session_id": traj.session_id,
                        "task_id": traj.task.id,
                        "instruction": traj.task.instruction,
                        "step_index": step.index,
                        "action": step.action.to_json(),
                        "point": point(step, shot.region),
                        "element": element(step, shot.region),
                        "caption": caption(step),
                        "note": step.note,
                        "draft_note": step.draft_note,
                        **step_fields(step),
                        "window": None if step.window is None else step.window.to_json(),
                        "t_start_s": step.t_start / 1e9,
                        "t_end_s": step.t_end / 1e9,
                        "screen": [traj.screen.width, traj.screen.height],
                        "scale": traj.screen.scale,
                        "annotator": traj.annotator,
                        "trajectory": g,
                    }
                    before = ep.screenshots.png(shot.before, ep.size(shot.before, options))
                    after = ep.screenshots.png(shot.after, ep.size(shot.after, options))
                    shards.add(f"{k}.before.png", before, mtime)
                    shards.add(f"{k}.after.png", after, mtime)
                    shards.add(f"{k}.json", json.dumps(meta, ensure_ascii=False).encode(), mtime)
                    shards.end_sample()
                    counter.step()
        finally:
            shards.close()
