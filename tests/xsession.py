"""Real X servers, apps and input for end-to-end tests: Xvfb, xdotool, the recorder CLI."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed: run scripts/setup.sh")
    return path


class XServer:
    """An Xvfb display of its own, 1920x1080x24 unless told otherwise."""

    def __init__(self, width: int = 1920, height: int = 1080) -> None:
        require_tool("Xvfb")
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                self.proc.kill()
                raise RuntimeError("Xvfb did not start")
            chunk = os.read(read_fd, 16)
            if not chunk:
                raise RuntimeError("Xvfb exited during start-up")
            number += chunk
        os.close(read_fd)
        self.display = f":{int(number)}"
        self.width, self.height = width, height

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
        env["DISPLAY"] = self.display
        env["QT_QPA_PLATFORM"] = "xcb"
        env["PYTHONPATH"] = str(ROOT)
        return env

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env, check=True, capture_output=True, text=True, timeout=60
        )
        return out.stdout

    def close(self) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """Terminate (then kill) ``proc`` and close its pipes."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The next line ``proc`` prints, or TimeoutError.

    Reads the pipe's file descriptor directly: a buffered readline could swallow
    two lines at once and leave select() waiting for a line already read.
    """
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = _pending.setdefault(proc.pid, bytearray())
    deadline = time.monotonic() + timeout
    while b"\n" not in buffer:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError("no output in time")
        chunk = os.read(fd, 4096)
        if not chunk:
            line = buffer.decode()
            buffer.clear()
            return line
        buffer.extend(chunk)
    end = buffer.index(b"\n") + 1
    line = buffer[:end].decode()
    del buffer[:end]
    return line


_pending: dict[int, bytearray] = {}


@dataclass
class FormApp:
    """The test form (tests/apps/form.py) running on a real X display."""

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


def start_form(x: XServer, log: Path, geometry: str = "0,0,1000,800", *options: str) -> FormApp:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.apps.form",
            "--geometry",
            geometry,
            "--log",
            str(log),
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


@dataclass
class RecorderProcess:
    """``demotrace record`` as a user runs it."""

    proc: subprocess.Popen[str]
    session_id: str
    started_wall_ns: int
    stderr_text: str = field(default="")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30) -> int:
        self.proc.send_signal(sig)
        _, err = self.proc.communicate(timeout=timeout)
        self.stderr_text = err
        return self.proc.returncode

    def kill(self) -> None:
        self.proc.kill()
        self.proc.communicate()


def demotrace(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        env=env if env is not None else {**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_recorder(x: XServer, db_url: str, *args: str) -> RecorderProcess:
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "record", "--db", db_url, *args],
        env=x.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = ""
    with contextlib.suppress(TimeoutError):
        line = _read_line(proc, 60).strip()
    if not line.startswith("recording session "):
        proc.kill()
        _, err = proc.communicate()
        proc.wait()
        raise RuntimeError(f"recorder did not start: {line!r} {err}")
    return RecorderProcess(proc, line.split()[-1], time.time_ns())
