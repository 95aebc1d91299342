"""What a replay leaves behind when it stops early: the frames side by side and a JSON summary."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import cv2

from capture.errors import DemotraceError
from replay.executor import Divergence
from replay.screencheck import side_by_side


class SetupError(DemotraceError):
    """The task's setup command failed."""


def run_setup(command: str, timeout: float = 300) -> None:
    """Run the task's setup command in a shell; a non-zero exit stops the replay."""
    try:
        done = subprocess.run(command, shell=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SetupError(f"the task's setup command did not finish in {timeout:g} s") from None
    if done.returncode != 0:
        raise SetupError(f"the task's setup command exited with {done.returncode}: {command}")


def write_report(divergence: Divergence, directory: Path) -> Path:
    """``step-K.png`` (expected | actual | difference) and ``report.json`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    step, check = divergence.step, divergence.check
    image = directory / f"step-{step.index:03d}.png"
    cv2.imwrite(str(image), side_by_side(divergence.expected, divergence.actual)[:, :, ::-1])
    summary = {
        "step": step.index,
        "action": step.action.to_json(),
        "stage": divergence.stage,
        "frame": check.frame,
        "similarity": round(check.similarity, 4),
        "region_similarity": None
        if check.region_similarity is None
        else round(check.region_similarity, 4),
        "waited_s": round(check.waited_s, 2),
        "image": image.name,
        "image_layout": "expected | actual | difference (magenta: cells that differ)",
    }
    (directory / "report.json").write_text(json.dumps(summary, indent=1) + "\n")
    return image
