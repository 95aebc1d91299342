"""Power loss, many times over: real ``demotrace record`` processes killed at random moments.

Starting a Python process with demotrace's imports takes seconds on a busy
machine, so a *zygote* (``python -m tests.powerloss``) imports the recorder
once and forks one recorder per request: each child is a fresh process in a
process group of its own, running the real ``demotrace record`` entry point,
and is killed with SIGKILL to its whole group. A pointer mover injects
input at 100 Hz through XTest the whole time, so there is always something to
lose. After each kill the store is checked as a restarted machine finds it.

Used by tests/e2e/test_power_loss.py (short) and bench/power_loss.py (soak).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.xsession import ROOT, XServer, _read_line, stop_process

MOVER = """
import sys, time
from Xlib import X, display
from Xlib.ext import xtest
d = display.Display()
i = 0
while True:
    xtest.fake_input(d, X.MotionNotify, x=100 + i % 500, y=200 + (i // 500) % 300)
    d.sync()
    i += 1
    time.sleep(0.01)
"""


def _zygote() -> None:
    """Import the recorder once; fork one recorder per line of JSON arguments on stdin."""
    # Imported before forking, so every child starts with them loaded.
    import desktop.cli
    import desktop.commands.record
    import desktop.compose

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    print("ready", flush=True)
    for line in sys.stdin:
        args = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os.setpgid(0, 0)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 1
            try:
                code = desktop.cli.main(args)
            finally:
                os._exit(code)
        print(f"pid {pid}", flush=True)


class Zygote:
    def __init__(self, x: XServer) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.powerloss"],
            env=x.env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        if _read_line(self.proc, 60).strip() != "ready":
            raise RuntimeError("the recorder zygote did not start")

    def record(self, *args: str) -> int:
        """Fork a ``demotrace record`` with ``args``; returns its pid (= its process group)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(["record", *args]) + "\n")
        self.proc.stdin.flush()
        line = _read_line(self.proc, 30).strip()
        if not line.startswith("pid "):
            raise RuntimeError(f"unexpected zygote output {line!r}")
        return int(line.split()[1])

    def session_line(self, timeout: float) -> str | None:
        try:
            line = _read_line(self.proc, timeout).strip()
        except TimeoutError:
            return None
        return line.split()[-1] if line.startswith("recording session ") else None

    def close(self) -> None:
        stop_process(self.proc)


def gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    raise RuntimeError(f"process {pid} outlived SIGKILL")


@dataclass
class Kill:
    after_s: float  # since the fork
    session_id: str | None  # None: killed before it said it was recording
    lost_s: float | None = None  # input between the last stored event and the kill


@dataclass
class PowerLoss:
    kills: list[Kill] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    dangling_frames: int = 0

    @property
    def worst_loss_s(self) -> float:
        return max((k.lost_s for k in self.kills if k.lost_s is not None), default=0.0)


def run(x: XServer, db_path: Path, times: int, max_after_s: float, seed: int) -> PowerLoss:
    """Kill ``times`` recorders at random moments within ``max_after_s`` of their start."""
    rng = random.Random(seed)
    result = PowerLoss()
    url = f"sqlite:///{db_path}"
    mover = subprocess.Popen([sys.executable, "-c", MOVER], env=x.env)
    zygote = Zygote(x)
    try:
        for _ in range(times):
            after = rng.uniform(0.05, max_after_s)
            forked = time.monotonic()
            pid = zygote.record("--db", url, "--fps", "10")
            session = zygote.session_line(max(0.0, forked + after - time.monotonic()))
            time.sleep(max(0.0, forked + after - time.monotonic()))
            killed_wall = time.time_ns()
            os.killpg(pid, signal.SIGKILL)
            gone(pid)
            if session is None:  # it may have said so just before the kill
                session = zygote.session_line(0.05)
            kill = Kill(after, session)
            result.kills.append(kill)
            result.integrity.append(integrity(db_path))
            if session is not None:
                kill.lost_s = lost_input_s(db_path, session, killed_wall)
        result.dangling_frames = dangling_frames(db_path)
    finally:
        zygote.close()
        mover.kill()
        mover.wait()
    return result


def integrity(db_path: Path) -> str:
    if not db_path.exists():
        return "ok"  # killed before the store was created: nothing to damage
    with sqlite3.connect(db_path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def lost_input_s(db_path: Path, session_id: str, killed_wall_ns: int) -> float:
    """Seconds of input between the last event the store kept and the kill."""
    with sqlite3.connect(db_path) as conn:
        wall_start = conn.execute(
            "SELECT wall_start_ns FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()[0]
        last = conn.execute(
            "SELECT max(t_ns) FROM events WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
    return (killed_wall_ns - (wall_start + (last or 0))) / 1e9


def dangling_frames(db_path: Path) -> int:
    """Frame rows whose blob is missing from the frame directory."""
    frames = db_path.with_suffix(".frames")
    with sqlite3.connect(db_path) as conn:
        blobs = [row[0] for row in conn.execute("SELECT DISTINCT blob FROM frames")]
    return sum(1 for b in blobs if not (frames / b[:2] / b).exists())


if __name__ == "__main__":
    _zygote()
