"""Hugging Face datasets: Parquet, one row per step, ``datasets.Image`` columns for the frames.

``out/data/train-00000.parquet`` ... each shard closes near ``SHARD_BYTES``;
row groups hold ``ROW_GROUP`` rows so no group comes near the dataset viewer's
limit. ``before``/``after`` are ``struct{bytes, path}`` (how ``datasets``
stores an ``Image``); the schema carries the ``huggingface`` features metadata
so ``load_dataset("parquet", ...)`` decodes them. The person's note and the
model draft are separate columns. A ``README.md`` dataset card points the Hub
at the shards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from replay.export.captions import caption
from replay.export.grades import grades, step_fields
from replay.export.registry import ExportOptions, Progress
from replay.export.rows import element, point
from replay.export.walk import Counter, episodes
from replay.trajectory import TrajectorySource

SHARD_BYTES = 500 * 1024 * 1024
ROW_GROUP = 64

IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
_DTYPES = {
    "string": "string",
    "int32": "int32",
    "float": "float32",
    "double": "float64",
    "bool": "bool",
}

COLUMNS: dict[str, pa.DataType] = {
    "session_id": pa.string(),
    "task_id": pa.string(),
    "instruction": pa.string(),
    "step_index": pa.int32(),
    "action_type": pa.string(),
    "action": pa.string(),  # the native action as JSON, physical pixels
    "point": pa.list_(pa.float32()),  # where it lands, fractions of the screenshot
    # The accessible element under the action: a grounding box [x0, y0, x1, y1] in fractions.
    "element_role": pa.string(),
    "element_name": pa.string(),
    "element_box": pa.list_(pa.float32()),
    "before": IMAGE,
    "after": IMAGE,
    "caption": pa.string(),
    "note": pa.string(),
    "draft_note": pa.string(),
    "outcome": pa.string(),
    "outcome_suggested": pa.string(),
    "outcome_reason": pa.string(),
    "tags": pa.list_(pa.string()),
    "error_type": pa.string(),
    "fault": pa.string(),  # JSON
    "decision_point": pa.bool_(),
    "window_title": pa.string(),
    "window_app": pa.string(),
    "t_start_s": pa.float64(),
    "t_end_s": pa.float64(),
    "screen_width": pa.int32(),
    "screen_height": pa.int32(),
    "scale": pa.float64(),
    "platform": pa.string(),
    "annotator": pa.string(),
    "created_at": pa.string(),
    "verdict": pa.string(),
    "task_completed": pa.bool_(),
    "alignment_score": pa.int32(),
    "efficiency_score": pa.int32(),
}


def feature(kind: pa.DataType) -> dict[str, Any]:
    """The ``datasets`` feature for an arrow type, as ``Features.to_dict()`` writes it."""
    if kind == IMAGE:
        return {"_type": "Image"}
    if pa.types.is_list(kind):
        return {"feature": feature(kind.value_type), "_type": "List"}
    return {"dtype": _DTYPES[str(kind)], "_type": "Value"}


def schema() -> pa.Schema:
    features = {name: feature(kind) for name, kind in COLUMNS.items()}
    meta = {"huggingface": json.dumps({"info": {"features": features}})}
    return pa.schema(list(COLUMNS.items()), metadata=meta)


CARD = """---
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.parquet
---

# demotrace export

Human computer-use demonstrations, one row per step. `before`/`after` are the
screens before and after the action; `action` is the native action (JSON, in
physical pixels), `point` where it lands as fractions of the screenshot;
`note` is the person's own reasoning, `draft_note` text drafted by a model.
"""


class Parquet:
    """Rows buffered into small row groups, shards rotated by size."""

    def __init__(self, out: Path) -> None:
        self._out = out
        self._schema = schema()
        self._rows: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = None
        self._bytes = 0
        self._n = 0

    def add(self, row: dict[str, Any], size: int) -> None:
        self._rows.append(row)
        self._bytes += size
        if len(self._rows) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            if self._writer is None:
                path = self._out / f"train-{self._n:05d}.parquet"
                self._writer = pq.ParquetWriter(path, self._schema)
                self._n += 1
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []
        if self._writer is not None and self._bytes >= SHARD_BYTES:
            self.close()

    def close(self) -> None:
        if self._rows:
            self.flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self._bytes = 0


class HuggingFaceExporter:
    name = "hf"
    summary = "Hugging Face Parquet, one row per step, Image columns"

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        eps = episodes(sources)
        counter = Counter(eps, progress)
        (out / "data").mkdir(parents=True)
        (out / "README.md").write_text(CARD, encoding="utf-8")
        shards = Parquet(out / "data")
        try:
            for ep in eps:
                traj = ep.trajectory
                g = grades(traj)
                for shot in ep.shots():
                    step = shot.step
                    before = ep.screenshots.png(shot.before, ep.size(shot.before, options))
                    after = ep.screenshots.png(shot.after, ep.size(shot.after, options))
                    fields = step_fields(step)
                    target = element(step, shot.region)
                    row = {
                        "session_id": traj.session_id,
                        "task_id": traj.task.id,
                        "instruction": traj.task.instruction,
                        "step_index": step.index,
                        "action_type": step.action.type,
                        "action": json.dumps(step.action.to_json()),
                        "point": point(step, shot.region),
                        "element_role": target["role"] if target else None,
                        "element_name": target["name"] if target else None,
                        "element_box": target["box"] if target else None,
                        "before": {"bytes": before, "path": f"{shot.before}.png"},
                        "after": {"bytes": after, "path": f"{shot.after}.png"},
                        "caption": caption(step),
                        "note": step.note,
                        "draft_note": step.draft_note,
                        **{
                            k: fields[k] for k in ("outcome", "outcome_suggested", "outcome_reason")
                        },
                        "tags": fields["tags"],
                        "error_type": step.error_type,
                        "fault": None if step.fault is None else json.dumps(dict(step.fault)),
                        "decision_point": step.decision_point,
                        "window_title": step.window.title if step.window else None,
                        "window_app": step.window.app if step.window else None,
                        "t_start_s": step.t_start / 1e9,
                        "t_end_s": step.t_end / 1e9,
                        "screen_width": traj.screen.width,
                        "screen_height": traj.screen.height,
                        "scale": traj.screen.scale,
                        "platform": traj.platform,
                        "annotator": traj.annotator,
                        "created_at": traj.created_at,
                        "verdict": g.verdict,
                        "task_completed": g.task_completed,
                        "alignment_score": g.alignment_score,
                        "efficiency_score": g.efficiency_score,
                    }
                    shards.add(row, len(before) + len(after) + 512)
                    counter.step()
        finally:
            shards.close()
