"""Recording benchmark: demotrace beside ffmpeg x11grab and openadapt-capture.

    python -m bench.record [--seconds 60] [--repeat N] [--recorders demotrace,ffmpeg,openadapt]

Starts its own Xvfb (1920x1080x24, on a display Xvfb picks) and the test form,
then, for each recorder in turn: starts the recorder, waits for its readiness
line, plays the same scripted demonstration with xdotool, stops the recorder
with SIGINT and measures it. See docs/benchmarks.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench import demo
from bench.recorders import (
    Demotrace,
    FfmpegX11grab,
    OpenAdaptCapture,
    Recorder,
    tree_size,
)
from bench.sampler import Sample, TreeSampler
from scripted.xserver import XServer

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
MB = 1024 * 1024

TARGETS = {
    "cpu_core": "<= 0.05 (never > 0.08)",
    "cpu_peak_5s": "<= 0.08",
    "peak_rss_mb": "<= 150",
    "mb_per_min": "<= 2",
    "stop_s": "<= 1",
    "events_lost": "0",
    "age_median_ms": "<= interval",
    "age_p95_ms": "<= interval",
    "age_max_ms": "<= interval",
}


# -- the form under test ------------------------------------------------------


@dataclass
class Form:
    process: subprocess.Popen[str]
    widgets: dict[str, list[int]]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def seen(self) -> dict[str, int]:
        """What the app itself received: the injection, checked independently."""
        counts: Counter[str] = Counter()
        for line in self.log.read_text(encoding="utf-8").splitlines():
            counts[json.loads(line)["event"]] += 1
        return {
            # Qt 6 delivers a second click as a press followed by a double-click event.
            "press": counts["mouse_press"],
            "release": counts["mouse_release"],
            "scroll": counts["wheel"],
            "key_down": counts["key_press"],
            "key_up": counts["key_release"],
        }


def start_form(env: dict[str, str], workdir: Path) -> Form:
    log = workdir / "form-events.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scripted.apps.form",
            "--geometry",
            "0,0,1000,800",
            "--log",
            str(log),
        ],
        cwd=REPO,
        env={**env, "QT_QPA_PLATFORM": "xcb"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    widgets: dict[str, list[int]] = {}
    deadline = time.monotonic() + 30
    for line in process.stdout:
        if line.startswith("{"):
            widgets = json.loads(line)["widgets"]
        if line.strip() == "ready" or time.monotonic() > deadline:
            break
    if not widgets:
        process.kill()
        raise RuntimeError("the test form did not start (is PySide6 installed?)")
    return Form(process, widgets, log)


# -- one recorder, one run ----------------------------------------------------


@dataclass
class Running:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    ready_line: str | None = None
    ready: threading.Event = field(default_factory=threading.Event)

    def read(self, pattern: re.Pattern[str]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if len(self.lines) < 200:
                self.lines.append(line)
            if self.ready_line is None and pattern.search(line):
                self.ready_line = line
                self.ready.set()
        self.ready.set()


def measure(
    recorder: Recorder, xvfb: XServer, workdir: Path, options: argparse.Namespace
) -> dict[str, Any]:
    env = {**os.environ, "DISPLAY": xvfb.display}
    env.pop("WAYLAND_DISPLAY", None)
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"recorder": recorder.name, "config": recorder.describe()}
    form = start_form(env, workdir)
    try:
        script = demo.build(form.widgets, seed=options.seed)
        result["injected"] = script.expected()
        subprocess.run(["xdotool", "mousemove", *map(str, demo.HOME)], env=env, check=True)
        time.sleep(0.5)
        form.log.write_text("")  # only what the demonstration itself delivers
        result.update(record(recorder, script, env, workdir, options))
        time.sleep(0.3)
        result["app_saw"] = form.seen()
    finally:
        form.stop()
    return result


def record(
    recorder: Recorder,
    script: demo.Script,
    env: dict[str, str],
    workdir: Path,
    options: argparse.Namespace,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    stderr_path = workdir / f"{recorder.name}.stderr"
    with open(stderr_path, "w") as stderr:
        process = subprocess.Popen(
            recorder.command(workdir, env["DISPLAY"], options.fps),
            cwd=workdir,
            env=recorder.env(env),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
    running = Running(process)
    reader = threading.Thread(target=running.read, args=(recorder.ready,), daemon=True)
    reader.start()
    launched = time.monotonic()
    capped: list[int] = []

    def guard(sample: Sample) -> None:
        if sample.rss > options.rss_cap_mb * MB and not capped:
            capped.append(sample.rss)
            kill_group(process, signal.SIGKILL)

    sampler = TreeSampler(process.pid, on_sample=guard).start()
    try:
        running.ready.wait(options.ready_timeout)
        if running.ready_line is None:
            out["error"] = "not ready: " + tail(stderr_path, running.lines)
            return out
        out["ready_s"] = round(time.monotonic() - launched, 3)
        time.sleep(options.settle)
        first = sampler.sample()
        start, end = demo.run(script, env, until=first.t + options.seconds)
        last = sampler.sample()
        out["active_s"] = round(last.t - first.t, 3)
        out["script_s"] = round(end - start, 3)
        out["cpu_core"] = (last.cpu - first.cpu) / (last.t - first.t)
        out["cpu_peak_5s"] = sampler.peak_cpu(first.t, last.t)
        out["rss_mb_at_end"] = last.rss / MB
        out["exit_before_stop"] = process.poll()

        signalled = time.monotonic()
        kill_group(process, signal.SIGINT)
        try:
            process.wait(timeout=options.stop_timeout)
            out["stop_s"] = time.monotonic() - signalled
            out["exit_code"] = process.returncode
        except subprocess.TimeoutExpired:
            kill_group(process, signal.SIGKILL)
            process.wait()
            out["stop_s"] = None
            out["stop_note"] = f"not finalized after {options.stop_timeout:.0f} s; killed"
    finally:
        if process.poll() is None:
            kill_group(process, signal.SIGKILL)
            process.wait()
        sampler.stop()
        reader.join(timeout=5)
    out["peak_rss_mb"] = sampler.peak_rss / MB
    if capped:
        out["rss_capped"] = f"killed at {capped[0] / MB:.0f} MB (cap {options.rss_cap_mb} MB)"
    size = tree_size(recorder.store_paths(workdir))
    out["store_bytes"] = size
    out["mb_per_min"] = size / MB / (out["active_s"] / 60)
    try:
        stored = recorder.events(workdir, running.ready_line or "")
    except Exception as exc:  # noqa: BLE001 - a broken store is a result, not a crash
        stored = {"error": f"{type(exc).__name__}: {exc}"}
    if stored is not None:
        out["events"] = stored
        if "stored" in stored:
            out.update(losses(script, stored))
    if out.get("exit_code") not in (*recorder.ok_exit_codes, None):
        out["stderr_tail"] = tail(stderr_path, running.lines)
    return out


def losses(script: demo.Script, stored: dict[str, Any]) -> dict[str, Any]:
    expected = script.expected()
    got = stored["stored"]
    lost = {k: max(0, n - got.get(k, 0)) for k, n in expected.items()}
    extra = {k: got.get(k, 0) - n for k, n in expected.items() if got.get(k, 0) > n}
    want = [(x, y, b) for x, y, b in script.presses]
    have = [tuple(p) for p in stored.get("presses", [])]
    ages = stored.get("before_frame_age", {})
    return {
        "lost": lost,
        "extra": extra,
        "events_lost": sum(v for k, v in lost.items() if k != "move"),
        "moves_lost": lost["move"],
        "presses_match": want == have,
        "age_median_ms": ages.get("median_ms"),
        "age_p95_ms": ages.get("p95_ms"),
        "age_max_ms": ages.get("max_ms"),
    }


def kill_group(process: subprocess.Popen[str], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def tail(path: Path, lines: list[str]) -> str:
    text = path.read_text(errors="replace").strip().splitlines()
    return " | ".join((lines + text)[-6:])[-800:]


# -- many runs, one table -----------------------------------------------------

ROWS = [
    ("cpu_core", "CPU, fraction of one core (active demo)", "{:.3f}"),
    ("cpu_peak_5s", "CPU, busiest 5 s", "{:.3f}"),
    ("peak_rss_mb", "peak RSS, MB", "{:.0f}"),
    ("mb_per_min", "store size, MB per minute", "{:.2f}"),
    ("stop_s", "stop to finalized, s", "{:.2f}"),
    ("events_lost", "events lost (press/release/scroll/keys)", "{:.0f}"),
    ("moves_lost", "pointer moves lost", "{:.0f}"),
    ("age_median_ms", "before-frame age, median ms", "{:.0f}"),
    ("age_p95_ms", "before-frame age, p95 ms", "{:.0f}"),
    ("age_max_ms", "before-frame age, max ms", "{:.0f}"),
]


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if isinstance(r.get(key), int | float)]
    return statistics.median(values) if values else None


def summarize(runs: list[dict[str, Any]], names: list[str]) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for name in names:
        mine = [r for r in runs if r["recorder"] == name]
        summary[name] = {key: median_of(mine, key) for key, _, _ in ROWS}
        summary[name]["runs"] = len(mine)
        notes = sorted(
            {str(r[k]) for r in mine for k in ("error", "stop_note", "rss_capped", "skipped")
             if r.get(k)}
        )  # fmt: skip
        summary[name]["notes"] = notes
    return summary


def table(summary: dict[str, dict[str, Any]], names: list[str], interval_ms: float) -> str:
    base = names[0] if names and names[0] == "demotrace" else None
    header = ["figure", "target", *names]
    if base:
        header += [f"{base}/{n}" for n in names[1:]]
    lines = [header]
    for key, label, fmt in ROWS:
        target = TARGETS.get(key, "").replace("interval", f"{interval_ms:.0f}")
        row = [label, target]
        for name in names:
            value = summary[name].get(key)
            row.append("n/a" if value is None else fmt.format(value))
        if base:
            for name in names[1:]:
                a, b = summary[base].get(key), summary[name].get(key)
                row.append(f"{a / b:.3g}" if a is not None and b else "")
        lines.append(row)
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    text = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    for name in names:
        for note in summary[name]["notes"]:
            text.append(f"note [{name}]: {note}")
    return "\n".join(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.record", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="demonstration length")
    parser.add_argument("--repeat", type=int, default=1, help="runs per recorder (medians)")
    parser.add_argument("--fps", type=int, default=10, help="capture rate for every recorder")
    parser.add_argument(
        "--recorders", default="demotrace,ffmpeg,openadapt", help="comma-separated, in order"
    )
    parser.add_argument("--ffmpeg-codec", choices=sorted(FfmpegX11grab.CODECS), default="lossless")
    parser.add_argument(
        "--openadapt-capture",
        default="/tmp/oa-venv/bin/capture",
        help="the capture command of an openadapt-capture install (its own venv)",
    )
    parser.add_argument(
        "--oa-env", action="append", default=[], metavar="K=V",
        help="extra environment for openadapt-capture, e.g. VIDEO_ENCODING=mpeg4",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="seed of the scripted demo")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds after ready")
    parser.add_argument("--ready-timeout", type=float, default=60.0)
    parser.add_argument("--stop-timeout", type=float, default=120.0)
    parser.add_argument(
        "--rss-cap-mb", type=int, default=4096, help="kill a recorder whose tree grows past this"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep the stores here")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    return parser


def make_recorders(options: argparse.Namespace) -> list[Recorder]:
    extra = dict(item.split("=", 1) for item in options.oa_env)
    known: dict[str, Recorder] = {
        "demotrace": Demotrace(),
        "demotrace-nodamage": Demotrace(damage=False),
        "ffmpeg": FfmpegX11grab(options.ffmpeg_codec),
        "openadapt": OpenAdaptCapture(options.openadapt_capture, extra),
    }
    names = [n.strip() for n in options.recorders.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown recorder(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    recorders = make_recorders(options)
    names = [r.name for r in recorders]
    workroot = options.workdir or Path(tempfile.mkdtemp(prefix="demotrace-bench-"))
    runs: list[dict[str, Any]] = []
    started = datetime.now(UTC)
    with XServer() as xvfb:
        print(f"Xvfb {xvfb.display} 1920x1080x24; stores under {workroot}", flush=True)
        for repeat in range(options.repeat):
            for recorder in recorders:
                why = recorder.available()
                if why:
                    runs.append({"recorder": recorder.name, "skipped": why})
                    print(f"[{recorder.name}] skipped: {why}", flush=True)
                    continue
                print(f"[{recorder.name}] run {repeat + 1}/{options.repeat} ...", flush=True)
                run = measure(recorder, xvfb, workroot / f"{recorder.name}-{repeat + 1}", options)
                run["repeat"] = repeat + 1
                runs.append(run)
                brief = {k: run.get(k) for k, _, _ in ROWS if k in run}
                print(f"[{recorder.name}] {json.dumps(brief, default=str)}", flush=True)
                for key in ("error", "stop_note", "rss_capped", "stderr_tail"):
                    if run.get(key):
                        print(f"[{recorder.name}] {key}: {run[key]}", flush=True)

    interval_ms = 1000 / options.fps
    summary = summarize(runs, names)
    print()
    print(table(summary, names, interval_ms))
    report = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": psutil.cpu_count(),
            "memory_mb": round(psutil.virtual_memory().total / MB),
        },
        "options": {k: str(v) for k, v in vars(options).items()},
        "targets": TARGETS,
        "summary": summary,
        "runs": runs,
    }
    options.out.mkdir(parents=True, exist_ok=True)
    path = options.out / f"record-{started.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
