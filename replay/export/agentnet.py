"""AgentNet (OpenCUA) style: one JSON line per task, pyautogui code with normalised coordinates.

``out/`` holds ``trajectories.jsonl`` and ``images/<hash>.png`` (each step's
``image`` is the frame before its action). ``thought`` carries the person's own
note only; model-drafted notes are left out (``metadata.thought_source``).
``last_step_correct``/``last_step_redundant``/``reflection`` judge the
previous step, as AgentNet's fields do; ``observation`` (in AgentNet a model's
description of the screen) stays empty, as nobody wrote one. The trajectory
ends with a ``computer.terminate`` step. Grades come from reviews (``grades``).

Each step's ``target`` is the accessible element the action landed on, in the
shape AgentNetTool records it (``title``, ``role``, ``rect`` in desktop pixels)
plus its ``box`` in the same fractions as the code, its states and its path up
to the window; ``{"mark": false, "reason": ...}`` when none was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from capture.segment import Step
from replay.export import keys, scroll
from replay.export.captions import caption
from replay.export.grades import Grades, failed, grades, redundant, step_fields
from replay.export.images import ImageFiles
from replay.export.lines import Record
from replay.export.projection import Region
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, Episode, episodes
from replay.trajectory import TrajectorySource

IMAGES = "images"
LINES = "trajectories.jsonl"
THOUGHT_SOURCE = "human"  # Step.note; Step.draft_note is never exported here

_CLICK = {"left": "click", "right": "rightClick", "middle": "middleClick"}


def _xy(region: Region, x: int, y: int) -> str:
    xn, yn = region.fraction(x, y)
    return f"x={xn:.4f}, y={yn:.4f}"


def code(step: Step, region: Region) -> list[str]:
    """pyautogui lines for one step, coordinates as 4-decimal fractions of the screenshot."""
    f = step.action.fields
    t = step.action.type
    if t in ("click", "double_click", "triple_click"):
        xy = _xy(region, f["x"], f["y"])
        if t == "triple_click":
            xn, yn = region.fraction(f["x"], f["y"])
            line = f"computer.triple_click(x={xn:.4f}, y={yn:.4f})"
        elif t == "double_click":
            button = "" if f["button"] == "left" else f", button={f['button']!r}"
            line = f"pyautogui.doubleClick({xy}{button})"
        else:
            line = f"pyautogui.{_CLICK[f['button']]}({xy})"
        mods = [keys.pyautogui(m) for m in f["modifiers"]]
        if not mods:
            return [line]
        downs = [f"pyautogui.keyDown({m!r})" for m in mods]
        ups = [f"pyautogui.keyUp({m!r})" for m in reversed(mods)]
        return [*downs, line, *ups]
    if t == "drag":
        path = f["path"]
        lines = [f"pyautogui.moveTo({_xy(region, *path[0])})"]
        lines.append(f"pyautogui.dragTo({_xy(region, *path[-1])}, button={f['button']!r})")
        return lines
    if t == "scroll":
        h, v = scroll.pyautogui_clicks(f["dx"], f["dy"])
        lines = [f"pyautogui.moveTo({_xy(region, f['x'], f['y'])})"]
        if v:
            lines.append(f"pyautogui.scroll({v})")
        if h:
            lines.append(f"pyautogui.hscroll({h})")
        return lines
    if t == "type":
        return [f"pyautogui.write(message={f['text']!r})"]
    if t == "key":
        names = [keys.pyautogui(k) for k in f["keys"]]
        if len(names) == 1:
            presses = f", presses={f['repeat']}" if f["repeat"] > 1 else ""
            return [f"pyautogui.press({names[0]!r}{presses})"]
        args = ", ".join(repr(n) for n in names)
        return [f"pyautogui.hotkey({args})"] * f["repeat"]
    if t == "hotkey":
        return ["pyautogui.hotkey(" + ", ".join(repr(keys.pyautogui(k)) for k in f["keys"]) + ")"]
    if t == "move":
        return [f"pyautogui.moveTo({_xy(region, f['x'], f['y'])})"]
    return [f"computer.wait(seconds={f['seconds']:g})"]


def target(step: Step, region: Region) -> dict[str, Any]:
    """AgentNetTool's ``target``: the element under the action, or why there is none."""
    found = step.element or {}
    if "role" not in found:
        return {"mark": False, "reason": found.get("reason", "no element recorded")}
    x, y, w, h = found["bbox"]
    x0, y0 = region.fraction(x, y)
    x1, y1 = region.fraction(x + w, y + h)
    return {
        "mark": True,
        "title": found["name"],
        "role": found["role"],
        "states": list(found.get("states", [])),
        "rect": {"x": x, "y": y, "w": w, "h": h},
        "box": [round(x0, 4), round(y0, 4), round(x1, 4), round(y1, 4)],
        "path": [dict(p) for p in found.get("path", [])],
    }


def _reflection(previous: Step | None, g: Grades) -> str:
    if previous is None:
        return ""
    parts = []
    if failed(previous):
        what = f" ({previous.error_type.replace('_', ' ')})" if previous.error_type else ""
        parts.append(f"The previous step did not work{what}.")
    if redundant(previous, g):
        parts.append("The previous step was not needed.")
    reason = previous.outcome_reason.strip()
    if reason:
        parts.append(reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else "."))
    return " ".join(parts)


def _value(step: Step | None, previous: Step | None, g: Grades, code: str, action: str) -> dict:
    return {
        "code": code,
        "observation": "",
        "thought": step.note if step else "",
        "action": action,
        "last_step_correct": previous is None or not failed(previous),
        "last_step_redundant": previous is not None and redundant(previous, g),
        "reflection": _reflection(previous, g),
    }


def _episode(
    ep: Episode, fh: TextIO, images: Path, options: ExportOptions, counter: Counter
) -> None:
    traj = ep.trajectory
    g = grades(traj)
    head = {
        "task_id": traj.task.id or traj.session_id,
        "session_id": traj.session_id,
        "instruction": traj.task.instruction,
    }
    items = Record(fh, head, "traj")
    previous: Step | None = None
    last = ""
    for shot in ep.shots():
        step = shot.step
        image = ep.screenshots.file(shot.before, images, ep.size(shot.before, options))
        lines = "\n".join(code(step, shot.region))
        items.add(
            {
                "index": step.index,
                "image": f"{IMAGES}/{image}",
                "value": _value(step, previous, g, lines, caption(step)),
                "target": target(step, shot.region),
                "window": None if step.window is None else step.window.to_json(),
                **step_fields(step),
            }
        )
        previous, last = step, shot.after
        counter.step()
    status = "failure" if g.task_completed is False else "success"
    image = ep.screenshots.file(last, images, ep.size(last, options))
    action = "Finish the task." if status == "success" else "Give up on the task."
    items.add(
        {
            "index": len(traj.steps),
            "image": f"{IMAGES}/{image}",
            "value": _value(None, previous, g, f"computer.terminate(status={status!r})", action),
        }
    )
    items.close(
        {
            "task_completed": g.task_completed,
            "alignment_score": g.alignment_score,
            "efficiency_score": g.efficiency_score,
            "task_difficulty": None,
            "reason": g.reason,
            "actual_task": traj.task.instruction,
            "natural_language_task": traj.task.instruction,
            "metadata": {
                "thought_source": THOUGHT_SOURCE,
                "verdict": g.verdict,
                "annotator": traj.annotator,
                "screen": [traj.screen.width, traj.screen.height],
                "scale": traj.screen.scale,
                "platform": traj.platform,
            },
        }
    )


class AgentNetExporter:
    name = "agentnet"
    summary = "AgentNet/OpenCUA JSON lines with pyautogui code, images beside"

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
            with open(out / LINES, "w", encoding="utf-8") as fh:
                for ep in eps:
                    _episode(ep, fh, out / IMAGES, options, counter)
