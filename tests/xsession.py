"""Real X servers, apps and input for end-to-end tests: Xvfb, xdotool, the recorder CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripted.cli import RecorderProcess, demotrace, start_recorder
from scripted.xserver import ROOT, XServer, read_line, require_tool, stop_process

_read_line = read_line

__all__ = [
    "ROOT",
    "RecorderProcess",
    "XServer",
    "demotrace",
    "require_tool",
    "start_recorder",
    "stop_process",
]


@dataclass
class FormApp:
    """The test form (scripted/apps/form.py) running on a real X display."""

    proc: subprocess.Popen[str]
    widgets: dict[str, list[int]]
    log: Path

    def center(self, name: str) -> tuple[int, int]:
        x, y, w, h = self.widgets[name]
        return x + w // 2, y + h // 2

    def log_lines(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def close(self) -> None:
        stop_process(self.proc)


def start_form(
    x: XServer,
    log: Path,
    geometry: str = "0,0,1000,800",
    title: str | None = None,
    options: Sequence[str] = (),
) -> FormApp:
    titled = ["--title", title] if title else []
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scripted.apps.form",
            "--geometry",
            geometry,
            "--log",
            str(log),
            *titled,
            *options,
        ],
        env=x.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    widgets: dict[str, list[int]] = {}
    deadline = time.monotonic() + 60
    try:
        while True:
            line = _read_line(proc, max(0.1, deadline - time.monotonic())).strip()
            if not line and proc.poll() is not None:
                raise RuntimeError("form app exited before it was ready")
            if line.startswith("{"):
                widgets = json.loads(line)["widgets"]
            elif line == "ready":
                return FormApp(proc, widgets, log)
    except BaseException:
        stop_process(proc)
        raise
