"""The ``demotrace`` command run the way a person runs it, as a process of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from scripted.xserver import ROOT, XServer, read_line


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
        line = read_line(proc, 60).strip()
    if not line.startswith("recording session "):
        proc.kill()
        _, err = proc.communicate()
        proc.wait()
        raise RuntimeError(f"recorder did not start: {line!r} {err}")
    return RecorderProcess(proc, line.split()[-1], time.time_ns())
