"""Power loss, many times over: ``demotrace record`` SIGKILLed at random moments on one store.

    python -m bench.power_loss [--kills 200] [--max-after 3.0] [--seed 1]

Each kill hits the recorder's whole process group; after each, the store must
pass ``PRAGMA integrity_check``, every frame row must have its blob, and the
input lost (the pointer moves at 100 Hz all the time, injected through XTest)
is the time between the last stored event and the kill. Prints the figures
beside the writer's commit interval, the floor any loss sits on.

Starting a Python process with demotrace's imports takes seconds on a busy
machine, so a *zygote* (``python -m bench.power_loss --zygote``) imports the
recorder once and forks one recorder per request: each child is a fresh
process in a process group of its own running the real ``demotrace record``
entry point. tests/e2e/test_power_loss.py runs fifty kills of the same kind.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scripted.xserver import read_line

REPO = Path(__file__).resolve().parent.parent

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
    def __init__(self, env: Mapping[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.power_loss", "--zygote"],
            env=dict(env),
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
        )
        if read_line(self.proc, 60).strip() != "ready":
            raise RuntimeError("the recorder zygote did not start")

    def record(self, *args: str) -> int:
        """Fork a ``demotrace record`` with ``args``; returns its pid (= its process group)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(["record", *args]) + "\n")
        self.proc.stdin.flush()
        line = read_line(self.proc, 30).strip()
        if not line.startswith("pid "):
            raise RuntimeError(f"unexpected zygote output {line!r}")
        return int(line.split()[1])

    def session_line(self, timeout: float) -> str | None:
        try:
            line = read_line(self.proc, timeout).strip()
        except TimeoutError:
            return None
        return line.split()[-1] if line.startswith("recording session ") else None

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().splitlines()[2]
    except OSError as exc:
        return str(exc)


def gone(pid: int, timeout: float = 10) -> bool:
    """Wait for ``pid`` to be gone; False if it still exists after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


@dataclass
class Kill:
    after_s: float  # since the fork
    session_id: str | None  # None: killed before it said it was recording
    lost_s: float | None = None  # input between the last stored event and the kill


@dataclass
class PowerLoss:
    kills: list[Kill] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    died: list[int] = field(default_factory=list)  # recorders that ended before their kill
    stuck: list[int] = field(default_factory=list)  # still there 10 s after SIGKILL
    dangling_frames: int = 0

    @property
    def worst_loss_s(self) -> float:
        return max((k.lost_s for k in self.kills if k.lost_s is not None), default=0.0)


STARTUP_SHARE = 0.2  # of the kills land while the recorder is still starting


def run(
    env: Mapping[str, str], db_path: Path, times: int, max_after_s: float, seed: int
) -> PowerLoss:
    """Kill ``times`` recorders: a fifth while starting (within 0.5 s of the fork), the
    rest at a random moment within ``max_after_s`` of saying they record."""
    rng = random.Random(seed)
    result = PowerLoss()
    url = f"sqlite:///{db_path}"
    mover = subprocess.Popen([sys.executable, "-c", MOVER], env=dict(env))
    zygote = Zygote(env)
    try:
        for _ in range(times):
            forked = time.monotonic()
            pid = zygote.record("--db", url, "--fps", "10")
            if rng.random() < STARTUP_SHARE:
                kill_at = forked + rng.uniform(0.0, 0.5)
                session = zygote.session_line(max(0.0, kill_at - time.monotonic()))
            else:
                session = zygote.session_line(30)
                kill_at = time.monotonic() + rng.uniform(0.0, max_after_s)
            time.sleep(max(0.0, kill_at - time.monotonic()))
            killed_wall = time.time_ns()
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended on its own: a failure of its own
                result.died.append(len(result.kills))
            if not gone(pid):
                result.stuck.append(len(result.kills))
                print(f"process {pid} after SIGKILL: {_state(pid)}", file=sys.stderr)
            if session is None:  # it may have said so just before the kill
                session = zygote.session_line(0.05)
            kill = Kill(time.monotonic() - forked, session)
            result.kills.append(kill)
            result.integrity.append(integrity(db_path))
            ended_itself = bool(result.died) and result.died[-1] == len(result.kills) - 1
            if session is not None and not ended_itself:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument(
        "--max-after", type=float, default=3.0, help="latest kill, s after the recorder is ready"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.zygote:
        _zygote()
        return 0
    from capture.writer import StoreWriter
    from scripted.xserver import XServer

    commit_s = inspect.signature(StoreWriter).parameters["commit_interval"].default
    started = time.monotonic()
    with XServer() as x, tempfile.TemporaryDirectory() as tmp:
        result = run(x.env, Path(tmp) / "soak.db", args.kills, args.max_after, args.seed)
    losses = [k.lost_s for k in result.kills if k.lost_s is not None]
    bad = [r for r in result.integrity if r != "ok"]
    print(f"kills                 {len(result.kills)} in {time.monotonic() - started:.0f} s")
    print(f"during recording      {len(losses)} (the rest hit start-up)")
    print(f"integrity_check ok    {len(result.integrity) - len(bad)}/{len(result.integrity)}")
    print(f"frame rows w/o blob   {result.dangling_frames}")
    print(f"ended before the kill {len(result.died)} (at kills {result.died})")
    print(f"there 10 s after kill {len(result.stuck)} (at kills {result.stuck})")
    if losses:
        print(f"input lost, median    {statistics.median(losses) * 1000:.0f} ms")
        p95 = sorted(losses)[int(0.95 * (len(losses) - 1))]
        print(f"input lost, p95       {p95 * 1000:.0f} ms")
        print(f"input lost, worst     {max(losses) * 1000:.0f} ms (target <= 500 ms)")
    print(f"baseline: commit interval {commit_s * 1000:.0f} ms")
    return 0 if not bad and result.dangling_frames == 0 and max(losses, default=0) <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
