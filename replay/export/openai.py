"""OpenAI computer use: each session as Responses API items around ``computer_call``s.

``out/items.jsonl`` holds one line per session: ``tools`` (the
``computer_use_preview`` tool with the display size), ``input`` (the items:
the user's instruction with the first screenshot; per step an optional
``reasoning`` item whose summary is the person's note, the ``computer_call``
and its ``computer_call_output`` with the screen after it; a final assistant
``message``) and ``metadata``. Each ``computer_call`` carries a ``demotrace``
field with the step's outcome, tags, error type and fault (the SDK's models
allow extra fields). Model-drafted notes are left out
(``metadata.reasoning_source``). Coordinates are pixels of the screenshot sent;
``scroll_y > 0`` scrolls down, 100 pixels per wheel notch. A triple click is
one call with a batched ``actions`` list (double click, click).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capture.segment import Step
from replay.export import keys, scroll
from replay.export.grades import grades, step_fields
from replay.export.images import data_url
from replay.export.lines import Record
from replay.export.projection import Region, fit
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, episodes
from replay.trajectory import TrajectorySource

LINES = "items.jsonl"
REASONING_SOURCE = "human"  # Step.note; Step.draft_note is never exported here
_BUTTONS = {"left": "left", "right": "right", "middle": "wheel"}


def environment(platform: str) -> str:
    p = platform.lower()
    if p.startswith("darwin") or p.startswith("mac"):
        return "mac"
    if p.startswith("win"):
        return "windows"
    return "linux"


def actions(step: Step, region: Region, size: tuple[int, int]) -> list[dict[str, Any]]:
    """The step as OpenAI computer actions (one, or a batch for what needs several)."""
    f = step.action.fields
    t = step.action.type

    def at(x: int, y: int) -> dict[str, int]:
        px, py = region.pixel(x, y, size)
        return {"x": px, "y": py}

    def held() -> dict[str, Any]:
        mods = f.get("modifiers") or ()
        return {"keys": [keys.openai(m) for m in mods]} if mods else {}

    if t == "click":
        return [{"type": "click", "button": _BUTTONS[f["button"]], **at(f["x"], f["y"]), **held()}]
    if t == "double_click":
        return [{"type": "double_click", **at(f["x"], f["y"]), **held()}]
    if t == "triple_click":
        point = at(f["x"], f["y"])
        return [
            {"type": "double_click", **point, **held()},
            {"type": "click", "button": "left", **point, **held()},
        ]
    if t == "drag":
        return [{"type": "drag", "path": [at(x, y) for x, y in f["path"]], **held()}]
    if t == "scroll":
        sx, sy = scroll.openai_pixels(f["dx"], f["dy"])
        return [{"type": "scroll", **at(f["x"], f["y"]), "scroll_x": sx, "scroll_y": sy}]
    if t == "type":
        return [{"type": "type", "text": f["text"]}]
    if t == "key":
        press = {"type": "keypress", "keys": [keys.openai(k) for k in f["keys"]]}
        return [press] * f["repeat"]
    if t == "hotkey":
        return [{"type": "keypress", "keys": [keys.openai(k) for k in f["keys"]]}]
    if t == "move":
        return [{"type": "move", **at(f["x"], f["y"])}]
    return [{"type": "wait"}]


def computer_call(step: Step, call: str, acts: list[dict[str, Any]]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "computer_call",
        "id": f"cu_{call}",
        "call_id": f"call_{call}",
        "status": "completed",
        "pending_safety_checks": [],
    }
    if len(acts) == 1:
        item["action"] = acts[0]
    else:
        item["actions"] = acts
    item["demotrace"] = {"index": step.index, **step_fields(step)}
    return item


class OpenAIExporter:
    name = "openai"
    summary = "OpenAI Responses API items: computer_call and computer_call_output"

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
                sid = traj.session_id
                first = next(ep.shots())
                size = fit(first.region.width, first.region.height, options.max_size)
                tool = {
                    "type": "computer_use_preview",
                    "display_width": size[0],
                    "display_height": size[1],
                    "environment": environment(traj.platform),
                }
                items = Record(
                    fh,
                    {"session_id": sid, "instruction": traj.task.instruction, "tools": [tool]},
                    "input",
                )
                screen = data_url(ep.screenshots.png(first.before, size))
                items.add(
                    {
                        "type": "message",
                        "role": "user",
                        "content": [
                            {"type": "input_text", "text": traj.task.instruction},
                            {"type": "input_image", "image_url": screen, "detail": "auto"},
                        ],
                    }
                )
                for shot in ep.shots():
                    step = shot.step
                    call = f"{sid}_{step.index:05d}"
                    if step.note:
                        items.add(
                            {
                                "type": "reasoning",
                                "id": f"rs_{call}",
                                "summary": [{"type": "summary_text", "text": step.note}],
                            }
                        )
                    items.add(computer_call(step, call, actions(step, shot.region, size)))
                    after = data_url(ep.screenshots.png(shot.after, size))
                    items.add(
                        {
                            "type": "computer_call_output",
                            "id": f"cuo_{call}",
                            "call_id": f"call_{call}",
                            "status": "completed",
                            "output": {"type": "computer_screenshot", "image_url": after},
                        }
                    )
                    counter.step()
                g = grades(traj)
                done = (
                    "I could not complete the task."
                    if g.task_completed is False
                    else "The task is done."
                )
                items.add(
                    {
                        "type": "message",
                        "id": f"msg_{sid}",
                        "role": "assistant",
                        "status": "completed",
                        "content": [{"type": "output_text", "text": done, "annotations": []}],
                    }
                )
                items.close(
                    {
                        "metadata": {
                            "reasoning_source": REASONING_SOURCE,
                            "screen": [traj.screen.width, traj.screen.height],
                            "scale": traj.screen.scale,
                            "annotator": traj.annotator,
                            **g.to_json(),
                        }
                    }
                )
