"""A private Xvfb: the one X server launcher of the tests and the benchmarks.

Xvfb picks a free display itself (``-displayfd``) and says which, so runs side
by side never collide and nothing scans for a free number.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from capture.display import ensure_xauthority

ROOT = Path(__file__).resolve().parents[1]


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed: run scripts/setup.sh")
    return path


class XServer:
    """An Xvfb display of its own, 1920x1080x24 unless told otherwise."""

    def __init__(self, width: int = 1920, height: int = 1080) -> None:
        # Clients started from this process (python-xlib, pynput, mss) need an authority
        # file on a machine that has none; a real one is left alone.
        ensure_xauthority(os.environ)
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
        ensure_xauthority(env)  # python-xlib insists on one; this Xvfb needs no cookie
        env["PYTHONPATH"] = str(ROOT)
        return env

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env, check=True, capture_output=True, text=True, timeout=60
        )
        return out.stdout

    def close(self) -> None:
        stop_process(self.proc)

    def __enter__(self) -> XServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """Terminate (then kill) ``proc`` and close its pipes."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def read_line(proc: subprocess.Popen[str], timeout: float) -> str:
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
