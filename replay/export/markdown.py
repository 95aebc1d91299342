"""A step-by-step guide for people: numbered steps, a caption in words, a highlighted crop.

``out/README.md`` lists the sessions; ``out/<session>.md`` is one guide, its
images in ``out/images/<session>-<step>.png``: the screen before the action,
cropped around where it lands with the spot ringed (a drag: its whole path);
actions with no place (typing, keys, waiting) show the whole screen. The
person's note follows the caption; model drafts are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from capture.segment import Step
from replay.export.captions import caption
from replay.export.images import ImageFiles, resized
from replay.export.projection import Region, fit
from replay.export.registry import ExportOptions, Progress
from replay.export.walk import Counter, Episode, episodes
from replay.trajectory import TrajectorySource

IMAGES = "images"
CROP = (640, 400)  # physical pixels around the action
WHOLE = 960  # longest edge of a whole-screen picture
RING = (230, 40, 40)  # RGB


def points(step: Step, region: Region, shape: tuple[int, ...]) -> list[tuple[int, int]]:
    f = step.action.fields
    h, w = shape[:2]
    raw = f["path"] if "path" in f else [(f["x"], f["y"])] if "x" in f else []
    return [region.pixel(x, y, (w, h)) for x, y in raw]


def picture(rgb: np.ndarray, spots: list[tuple[int, int]]) -> np.ndarray:
    """The screen cropped around ``spots`` with them ringed, or the whole screen, shrunk."""
    if not spots:
        h, w = rgb.shape[:2]
        return resized(rgb, fit(w, h, WHOLE))
    img = np.ascontiguousarray(rgb.copy())
    h, w = img.shape[:2]
    if len(spots) > 1:
        cv2.polylines(img, [np.array(spots, np.int32)], False, RING, 3, cv2.LINE_AA)
    for x, y in (spots[0], spots[-1]):
        cv2.circle(img, (x, y), 18, RING, 3, cv2.LINE_AA)
    xs, ys = [p[0] for p in spots], [p[1] for p in spots]
    cw = min(w, max(CROP[0], max(xs) - min(xs) + 120))
    ch = min(h, max(CROP[1], max(ys) - min(ys) + 120))
    x0 = min(max(0, (min(xs) + max(xs)) // 2 - cw // 2), w - cw)
    y0 = min(max(0, (min(ys) + max(ys)) // 2 - ch // 2), h - ch)
    return img[y0 : y0 + ch, x0 : x0 + cw]


def _guide(
    ep: Episode, out: Path, options: ExportOptions, counter: Counter, files: ImageFiles
) -> None:
    traj = ep.trajectory
    sid = traj.session_id
    with open(out / f"{sid}.md", "w", encoding="utf-8") as fh:
        fh.write(f"# {traj.task.instruction}\n\n")
        fh.write(
            f"Recorded by {traj.annotator} on {traj.created_at[:10]}, {len(traj.steps)} steps.\n\n"
        )
        for n, shot in enumerate(ep.shots(), start=1):
            step = shot.step
            rgb = ep.screenshots.rgb(shot.before)
            img = picture(rgb, points(step, shot.region, rgb.shape))
            if options.max_size:
                h, w = img.shape[:2]
                img = resized(img, fit(w, h, options.max_size))
            name = f"{sid}-{step.index:05d}.png"
            files.write(out / IMAGES / name, img)
            text = caption(step)
            fh.write(f"{n}. {text}\n\n   ![Step {n}: {_alt(text)}]({IMAGES}/{name})\n\n")
            if step.note:
                fh.write(f"   *Why:* {step.note}\n\n")
            counter.step()


def _alt(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


class MarkdownExporter:
    name = "markdown"
    summary = "a step-by-step guide for people: captions and highlighted screenshots"

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
            (out / IMAGES).mkdir(parents=True)
            with open(out / "README.md", "w", encoding="utf-8") as index:
                index.write("# Guides\n\n")
                for ep in eps:
                    _guide(ep, out, options, counter, files)
                    t = ep.trajectory
                    index.write(f"- [{_alt(t.task.instruction)}]({t.session_id}.md)\n")
