"""Anthropic computer use: each session as a Messages API conversation with the computer tool.

``out/conversations.jsonl`` holds one line per session: ``tools`` (the
``computer_20250124`` definition with the display size of the screenshots
sent), ``messages``, then ``steps`` (each step's outcome, tags, error type and
fault) and ``metadata``. The conversation: the user's instruction; a
``screenshot`` call answered with the first screen; per step an assistant turn
with the person's note as a text block (model drafts are left out:
``metadata.reasoning_source``) and a ``tool_use``, answered by a
``tool_result`` carrying the screen after it, ``is_error`` when the step
failed; a last assistant turn with no tool call. Screenshots are resized to
Anthropic's limits (and ``--max-size``); coordinates are pixels of the image
sent. A scroll with both axes keeps the larger one.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capture.segment import Step
from replay.export import keys, scroll
from replay.export.grades import failed, grades, step_fields
from replay.export.images import Screenshots
from replay.export.lines import Record
from replay.export.projection import Region, anthropic_size
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, episodes
from replay.trajectory import TrajectorySource

LINES = "conversations.jsonl"
TOOL_TYPE = "computer_20250124"
BETA = "computer-use-2025-01-24"
REASONING_SOURCE = "human"  # Step.note; Step.draft_note is never exported here

_CLICKS = {
    ("click", "left"): "left_click",
    ("click", "right"): "right_click",
    ("click", "middle"): "middle_click",
}


def tool_input(step: Step, region: Region, size: tuple[int, int]) -> dict[str, Any]:
    """The computer tool's ``input`` for one step, coordinates on the screenshot of ``size``."""
    f = step.action.fields
    t = step.action.type

    def at(x: int, y: int) -> list[int]:
        return list(region.pixel(x, y, size))

    if t in ("click", "double_click", "triple_click"):
        action = _CLICKS.get((t, f["button"]), t)
        out: dict[str, Any] = {"action": action, "coordinate": at(f["x"], f["y"])}
        if f["modifiers"]:
            out["text"] = keys.anthropic(f["modifiers"])
        return out
    if t == "drag":
        path = f["path"]
        return {
            "action": "left_click_drag",
            "start_coordinate": at(*path[0]),
            "coordinate": at(*path[-1]),
        }
    if t == "scroll":
        way, notches = scroll.direction(f["dx"], f["dy"])
        return {
            "action": "scroll",
            "coordinate": at(f["x"], f["y"]),
            "scroll_direction": way,
            "scroll_amount": notches,
        }
    if t == "type":
        return {"action": "type", "text": f["text"]}
    if t == "key":
        return {"action": "key", "text": " ".join([keys.anthropic(f["keys"])] * f["repeat"])}
    if t == "hotkey":
        return {"action": "key", "text": keys.anthropic(f["keys"])}
    if t == "move":
        return {"action": "mouse_move", "coordinate": at(f["x"], f["y"])}
    # the tool takes whole seconds
    return {"action": "wait", "duration": max(1, math.ceil(f["seconds"]))}


def image_block(shots: Screenshots, frame: str, size: tuple[int, int]) -> dict[str, Any]:
    data = base64.b64encode(shots.png(frame, size)).decode("ascii")
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}


def tool_definition(size: tuple[int, int]) -> dict[str, Any]:
    return {
        "type": TOOL_TYPE,
        "name": "computer",
        "display_width_px": size[0],
        "display_height_px": size[1],
    }


class AnthropicExporter:
    name = "anthropic"
    summary = "Anthropic Messages with the computer tool, screenshots inline"

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
        with open(out / LINES, "w", encoding="utf-8") as fh:
            for ep in eps:
                traj = ep.trajectory
                first = next(ep.shots())
                r = first.region
                size = anthropic_size(r.width, r.height, options.max_size)
                head = {
                    "session_id": traj.session_id,
                    "instruction": traj.task.instruction,
                    "betas": [BETA],
                    "tools": [tool_definition(size)],
                }
                messages = Record(fh, head, "messages")
                messages.add(
                    {"role": "user", "content": [{"type": "text", "text": traj.task.instruction}]}
                )
                look = f"toolu_{traj.session_id}_start"
                messages.add(
                    {
                        "role": "assistant",
                        "content": [
                            {
                                "type": "tool_use",
                                "id": look,
                                "name": "computer",
                                "input": {"action": "screenshot"},
                            }
                        ],
                    }
                )
                messages.add(
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "tool_result",
                                "tool_use_id": look,
                                "content": [image_block(ep.screenshots, first.before, size)],
                            }
                        ],
                    }
                )
                for shot in ep.shots():
                    step = shot.step
                    call = f"toolu_{traj.session_id}_{step.index:05d}"
                    content: list[dict[str, Any]] = []
                    if step.note:
                        content.append({"type": "text", "text": step.note})
                    content.append(
                        {
                            "type": "tool_use",
                            "id": call,
                            "name": "computer",
                            "input": tool_input(step, shot.region, size),
                        }
                    )
                    messages.add({"role": "assistant", "content": content})
                    result: dict[str, Any] = {
                        "type": "tool_result",
                        "tool_use_id": call,
                        "content": [image_block(ep.screenshots, shot.after, size)],
                    }
                    if failed(step):
                        result["is_error"] = True
                    messages.add({"role": "user", "content": [result]})
                    counter.step()
                g = grades(traj)
                done = (
                    "I could not complete the task."
                    if g.task_completed is False
                    else "The task is done."
                )
                messages.add({"role": "assistant", "content": [{"type": "text", "text": done}]})
                messages.close(
                    {
                        "steps": [
                            {
                                "index": s.index,
                                "tool_use_id": f"toolu_{traj.session_id}_{s.index:05d}",
                                **step_fields(s),
                            }
                            for s in traj.steps
                        ],
                        "metadata": {
                            "reasoning_source": REASONING_SOURCE,
                            "screen": [traj.screen.width, traj.screen.height],
                            "scale": traj.screen.scale,
                            "annotator": traj.annotator,
                            **g.to_json(),
                        },
                    }
                )
