"""ATIF (Agent Trajectory Interchange Format): one JSON document per session, images beside.

``out/<session>.json`` and ``out/images/<hash>.png``. Step 1 is the user's
instruction with the first screen; each action is an ``agent`` step whose
``reasoning_content`` is the person's note, with one ``computer`` tool call
(arguments: the native action, physical pixels) and an observation holding
the screen after it as an image content part. The step's outcome, tags, error
type, fault and any model-drafted note go in its ``extra``; the reviews'
grades in ``final_metrics.extra``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from replay.export.captions import caption
from replay.export.grades import grades, step_fields
from replay.export.images import ImageFiles
from replay.export.lines import Record
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, Episode, episodes
from replay.trajectory import Trajectory, TrajectorySource

SCHEMA_VERSION = "ATIF-v1.6"
IMAGES = "images"


def _image(name: str) -> dict[str, Any]:
    return {"type": "image", "source": {"media_type": "image/png", "path": f"{IMAGES}/{name}"}}


def timestamp(traj: Trajectory, t_ns: int) -> str:
    start = datetime.fromisoformat(traj.created_at)
    return (start + timedelta(microseconds=t_ns // 1000)).isoformat()


NOTES = "A human demonstration; reasoning_content is the person's own note."


def _steps(ep: Episode, images: Path, options: ExportOptions) -> Iterator[dict[str, Any]]:
    traj = ep.trajectory
    first = next(ep.shots())
    shown = ep.screenshots.file(first.before, images, ep.size(first.before, options))
    yield {
        "step_id": 1,
        "timestamp": timestamp(traj, 0),
        "source": "user",
        "message": [{"type": "text", "text": traj.task.instruction}, _image(shown)],
    }
    for n, shot in enumerate(ep.shots(), start=2):
        step = shot.step
        call = f"call_{step.index:05d}"
        after = ep.screenshots.file(shot.after, images, ep.size(shot.after, options))
        extra = step_fields(step)
        if step.draft_note:
            extra["draft_note"] = step.draft_note
        yield {
            "step_id": n,
            "timestamp": timestamp(traj, step.t_start),
            "source": "agent",
            "message": caption(step),
            "reasoning_content": step.note or None,
            "tool_calls": [
                {
                    "tool_call_id": call,
                    "function_name": "computer",
                    "arguments": step.action.to_json(),
                }
            ],
            "observation": {"results": [{"source_call_id": call, "content": [_image(after)]}]},
            "extra": {"index": step.index, **extra},
        }


def _document(
    ep: Episode, fh: TextIO, images: Path, options: ExportOptions, counter: Counter
) -> None:
    traj = ep.trajectory
    head = {
        "schema_version": SCHEMA_VERSION,
        "session_id": traj.session_id,
        "agent": {
            "name": "human",
            "version": traj.app_version,
            "model_name": None,
            "extra": {"recorder": "demotrace", "annotator": traj.annotator},
        },
        "notes": NOTES,
    }
    steps = Record(fh, head, "steps")
    for n, item in enumerate(_steps(ep, images, options)):
        steps.add(item)
        if n:
            counter.step()
    steps.close(
        {
            "final_metrics": {"total_steps": len(traj.steps) + 1, "extra": grades(traj).to_json()},
            "extra": {
                "task": {"id": traj.task.id, "instruction": traj.task.instruction},
                "screen": [traj.screen.width, traj.screen.height],
                "scale": traj.screen.scale,
                "platform": traj.platform,
                "coordinates": "physical pixels of the screen",
            },
        }
    )


class AtifExporter:
    name = "atif"
    summary = "ATIF JSON per session, screenshots as image content parts"

    def export(
        self,
        sources: Sequence[TrajectorySource],
        out: Path,
        options: ExportOptions,
        progress: Progress,
    ) -> None:
        with ImageFiles() as files:
            eps = episodes(sources, files)
            counter = Counter(eps, progress)
            out.mkdir(parents=True)
            for ep in eps:
                with open(out / f"{ep.id}.json", "w", encoding="utf-8") as fh:
                    _document(ep, fh, out / IMAGES, options, counter)
