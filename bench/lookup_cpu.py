"""Recorder CPU with and without window and element lookups, on the same scripted demonstration.

    python -m bench.lookup_cpu [--baseline main] [--repeat 2]

Starts its own Xvfb with a window manager and the accessibility bus and the
test form with accessibility on, then records the benchmark's scripted
demonstration (bench/demo.py) with ``demotrace record`` from this tree
(lookups on every press and key-down) and from ``--baseline`` (a git
revision without them, extracted to a temporary directory), alternating.
Prints the recorder process's CPU time per wall second, median of the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import psutil

from bench import demo

REPO = Path(__file__).resolve().parent.parent


def extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def elements_found(db: Path) -> int:
    """How many presses and key-downs the recording filed with an accessible element."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM events WHERE element LIKE '%\"role\"%'"
        ).fetchone()
    return int(count)


def record_once(root: Path, env: dict[str, str], script: demo.Script, db: Path) -> float:
    """CPU seconds per wall second of one recording of ``script``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "record", "--db", f"sqlite:///{db}"],
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("recording session"):
            raise RuntimeError(f"recorder did not start: {line!r}")
        time.sleep(1.0)
        process = psutil.Process(proc.pid)
        before = process.cpu_times()
        start, end = demo.run(script, env)
        after = process.cpu_times()
        cpu = (after.user - before.user) + (after.system - before.system)
        return cpu / (end - start)
    finally:
        proc.send_signal(2)
        proc.communicate(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision without lookups")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from bench.record import start_form
    from scripted.desktop import Desktop
    from scripted.xserver import XServer

    x = XServer()
    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        baseline = extract(args.baseline, home / "baseline")
        desktop = Desktop(x, home / "home")
        form = start_form(desktop.env, home)
        try:
            script = demo.build(form.widgets, args.seed)
            runs: dict[str, list[float]] = {"with lookups": [], "baseline": []}
            found: list[int] = []
            for i in range(args.repeat):
                for name, root in (("with lookups", REPO), ("baseline", baseline)):
                    db = home / f"{name.replace(' ', '-')}-{i}.db"
                    runs[name].append(record_once(root, desktop.env, script, db))
                    if name == "with lookups":
                        found.append(elements_found(db))
        finally:
            form.stop()
            desktop.close()
            x.close()
    print(f"scripted demo ({len(script.presses)} presses), {args.repeat} runs each")
    print(f"events filed with an accessible element, per run with lookups: {found}")
    for name, values in runs.items():
        shown = ", ".join(f"{v:.3f}" for v in values)
        print(f"{name:<14} cpu {statistics.median(values):.3f} core   ({shown})")
    diff = statistics.median(runs["with lookups"]) - statistics.median(runs["baseline"])
    print(f"difference     {diff * 100:+.2f}% of a core")


if __name__ == "__main__":
    main()
