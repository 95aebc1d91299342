"""A private Xvfb server for one benchmark run."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

DISPLAYS = range(120, 140)


class XvfbError(RuntimeError):
    pass


def _display_taken(number: int) -> bool:
    return Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists()


class Xvfb:
    """Starts ``Xvfb :N`` on the first free display in 120-139; stops it on exit."""

    def __init__(self, width: int = 1920, height: int = 1080, depth: int = 24) -> None:
        self.size = (width, height, depth)
        self.process: subprocess.Popen[bytes] | None = None
        self.number = -1

    @property
    def display(self) -> str:
        return f":{self.number}"

    def start(self) -> Xvfb:
        executable = shutil.which("Xvfb")
        if executable is None:
            raise XvfbError("Xvfb is not installed (apt-get install -y xvfb)")
        width, height, depth = self.size
        for number in DISPLAYS:
            if _display_taken(number):
                continue
            process = subprocess.Popen(
                [
                    executable,
                    f":{number}",
                    "-screen",
                    "0",
                    f"{width}x{height}x{depth}",
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and process.poll() is None:
                if Path(f"/tmp/.X11-unix/X{number}").exists() and self._answers(number):
                    self.process, self.number = process, number
                    return self
                time.sleep(0.05)
            if process.poll() is None:
                process.kill()
            process.wait()
        raise XvfbError(f"no free X display in {DISPLAYS.start}-{DISPLAYS.stop - 1}")

    @staticmethod
    def _answers(number: int) -> bool:
        env = {**os.environ, "DISPLAY": f":{number}"}
        result = subprocess.run(
            ["xdotool", "getmouselocation"], env=env, capture_output=True, check=False
        )
        return result.returncode == 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> Xvfb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
