"""UI-TARS: a ``Thought: ...\\nAction: ...`` text per step, coordinates on the model's grid.

``uitars`` writes UI-TARS 1.5 (Qwen2.5-VL based): ``point='<point>x y</point>'``
in pixels of the image as the model's processor resizes it (``smart_resize``,
factor 28) — the image shipped is the screenshot (shrunk by ``--max-size``
first), the coordinates are on its smart-resized size, given as
``model_size``. ``uitars-1.0`` writes UI-TARS 1.0: ``start_box='(x,y)'`` on a
0..1000 grid. ``out/uitars.jsonl`` holds one line per session, images beside.

``Thought`` is the person's own note (``reasoning_source``); actions with no
UI-TARS equivalent (middle click, triple click, pointer move) are left out and
listed in ``unmapped_steps``. A scroll keeps its larger axis, direction only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from capture.segment import Step
from replay.export import keys, scroll
from replay.export.grades import grades, step_fields
from replay.export.images import ImageFiles
from replay.export.lines import Record
from replay.export.projection import Region, smart_resize
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, Episode, episodes
from replay.trajectory import TrajectorySource

IMAGES = "images"
LINES = "uitars.jsonl"
COORDINATES = {"1.0": "grid 0..1000", "1.5": "pixels of model_size"}
REASONING_SOURCE = "human"  # Step.note; Step.draft_note is never exported here


_CLICKS = {
    ("click", "left"): "click",
    ("click", "right"): "right_single",
    ("double_click", "left"): "left_double",
}


def quote(text: str) -> str:
    """Text inside ``'...'`` the way UI-TARS writes it: backslash escapes."""
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")


class UITarsExporter:
    name = "uitars"
    summary = "UI-TARS 1.5 Thought/Action text, points on the smart-resized image"
    version = "1.5"

    def point(
        self, region: Region, x: int, y: int, size: tuple[int, int], end: bool = False
    ) -> str:
        """One point argument: ``start_box='(x,y)'`` (1.0) or ``point='<point>x y</point>'``."""
        if self.version == "1.0":
            gx, gy = region.grid(x, y)
            return f"{'end' if end else 'start'}_box='({gx},{gy})'"
        px, py = region.pixel(x, y, smart_resize(*size))
        return f"{'end_point' if end else 'point'}='<point>{px} {py}</point>'"

    def action(self, step: Step, region: Region, size: tuple[int, int]) -> str | None:
        """The step as one UI-TARS action, or None when UI-TARS has no such action."""
        f = step.action.fields
        t = step.action.type
        if t in ("click", "double_click") and f["button"] != "middle":
            verb = _CLICKS.get((t, f["button"]))
            if verb:
                return f"{verb}({self.point(region, f['x'], f['y'], size)})"
        if t == "drag":
            (x0, y0), (x1, y1) = f["path"][0], f["path"][-1]
            start = self.point(region, x0, y0, size)
            if self.version != "1.0":
                start = start.replace("point=", "start_point=", 1)
            return f"drag({start}, {self.point(region, x1, y1, size, end=True)})"
        if t == "scroll":
            way, _ = scroll.direction(f["dx"], f["dy"])
            return f"scroll({self.point(region, f['x'], f['y'], size)}, direction='{way}')"
        if t == "type":
            return f"type(content='{quote(f['text'])}')"
        if t in ("key", "hotkey"):
            return f"hotkey(key='{' '.join(keys.pyautogui(k) for k in f['keys'])}')"
        if t == "wait":
            return "wait()"
        return None

    def finished(self) -> str:
        return "finished()" if self.version == "1.0" else "finished(content='')"

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
                    self._episode(ep, fh, out / IMAGES, options, counter)

    def _episode(
        self, ep: Episode, fh: TextIO, images: Path, options: ExportOptions, counter: Counter
    ) -> None:
        traj = ep.trajectory
        head = {
            "session_id": traj.session_id,
            "instruction": traj.task.instruction,
            "version": self.version,
            "reasoning_source": REASONING_SOURCE,
        }
        steps = Record(fh, head, "steps")
        unmapped: list[int] = []
        last = ""
        model_size: list[int] | None = None
        for shot in ep.shots():
            step = shot.step
            shipped = ep.size(shot.before, options)
            size = shipped or (shot.region.width, shot.region.height)
            model_size = list(size if self.version == "1.0" else smart_resize(*size))
            action = self.action(step, shot.region, size)
            last = shot.after
            counter.step()
            if action is None:
                unmapped.append(step.index)
                continue
            image = ep.screenshots.file(shot.before, images, shipped)
            steps.add(
                {
                    "index": step.index,
                    "image": f"{IMAGES}/{image}",
                    "thought": step.note,
                    "action": action,
                    "text": f"Thought: {step.note}\nAction: {action}",
                    **step_fields(step),
                }
            )
        image = ep.screenshots.file(last, images, ep.size(last, options))
        steps.add(
            {
                "index": len(traj.steps),
                "image": f"{IMAGES}/{image}",
                "thought": "",
                "action": self.finished(),
                "text": f"Thought: \nAction: {self.finished()}",
            }
        )
        steps.close(
            {
                "model_size": model_size,
                "coordinates": COORDINATES[self.version],
                "unmapped_steps": unmapped,
                **grades(traj).to_json(),
            }
        )


class UITars10Exporter(UITarsExporter):
    name = "uitars-1.0"
    summary = "UI-TARS 1.0 Thought/Action text on the 0..1000 grid"
    version = "1.0"
