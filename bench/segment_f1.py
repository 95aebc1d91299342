"""Step-level F1 of demotrace and openadapt-capture on the same scripted demonstrations.

    python -m bench.segment_f1                     # every scenario, both recorders
    python -m bench.segment_f1 --recorders demotrace
    python -m bench.segment_f1 --scenarios form_fill --workdir /tmp/f1

Runs each scenario of ``scripted/scenarios.py`` on a private Xvfb
once under ``demotrace record`` and once under openadapt-capture's ``capture
record DIR``, and scores both against the scenario's ground truth with
``scripted/stepmatch.py``. See "Segmentation: step-level F1" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capture.keys import NOT_TYPED, is_modifier, key_name, keysym_name  # noqa: E402
from scripted.scenarios import (  # noqa: E402
    SCENARIOS,
    Scenario,
    park_pointer,
    play,
    record_with_demotrace,
    start_app,
)
from scripted.stepmatch import score  # noqa: E402
from scripted.xserver import XServer, read_line  # noqa: E402

OA_VENV = Path("/tmp/oa-venv")

# Runs inside openadapt-capture's own venv: its library's reduction of the
# recording into actions, written out as JSON.
OA_DUMP = r"""
import json, sys
from openadapt_capture.capture import CaptureSession
session = CaptureSession.load(sys.argv[1])
out = []
for a in session.actions():
    kind = getattr(a.type, "value", a.type)
    children = []
    for c in getattr(a.event, "children", None) or []:
        ckind = getattr(c.type, "value", c.type)
        children.append({k: getattr(c, k, None) for k in ("key_name", "key_char", "key_vk")}
                        | {"type": ckind})
    out.append({"type": kind, "x": a.x, "y": a.y, "text": a.text, "keys": a.keys,
                "dx": a.dx, "dy": a.dy, "button": a.button, "children": children})
print(json.dumps(out))
"""


def ensure_openadapt(venv: Path) -> Path:
    """openadapt-capture's ``capture`` command, installing it into ``venv`` if missing."""
    exe = venv / "bin" / "capture"
    if not exe.exists():
        print(f"installing openadapt-capture into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "openadapt-capture"],
                       check=True)  # fmt: skip
    return exe


# -- openadapt's actions in our vocabulary


class Keymap:
    """X keycode -> (key name, unshifted char, shifted char) from the display's keymap."""

    def __init__(self, display: str) -> None:
        from Xlib import display as xdisplay

        d = xdisplay.Display(display)
        try:
            self.table: dict[int, tuple[str, str | None, str | None]] = {}
            first = d.display.info.min_keycode
            count = d.display.info.max_keycode - first + 1
            for i, syms in enumerate(d.get_keyboard_mapping(first, count)):
                if not syms or not syms[0]:
                    continue
                name = key_name(keysym_name(syms[0]))
                shifted = syms[1] if len(syms) > 1 and syms[1] else syms[0]
                self.table[first + i] = (name, self._char(syms[0]), self._char(shifted))
        finally:
            d.close()

    @staticmethod
    def _char(keysym: int) -> str | None:
        if keysym_name(keysym) in NOT_TYPED:
            return None
        if 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF:
            return chr(keysym)
        if keysym & 0xFF000000 == 0x01000000:
            return chr(keysym & 0xFFFFFF)
        return None


def _child_key(child: dict[str, Any], keymap: Keymap | None, shift: bool) -> tuple[str, str | None]:
    """(our key name, printable char or None) of one of openadapt's key events."""
    name, char, vk = child.get("key_name"), child.get("key_char"), child.get("key_vk")
    if char:
        return (name or char), char
    if keymap is not None and vk is not None and str(vk).isdigit():
        entry = keymap.table.get(int(vk))
        if entry is not None:
            return entry[0], entry[2] if shift else entry[1]
    return str(name or vk), None


def keyboard_action(children: list[dict[str, Any]], keymap: Keymap | None) -> dict[str, Any]:
    """One of openadapt's keyboard actions (a key.type of raw key events) as one step."""
    held: set[str] = set()
    mods: list[str] = []
    others: list[str] = []
    text: list[str] = []
    for child in children:
        name, char = _child_key(child, keymap, "shift" in held)
        if child["type"] == "key.up":
            held.discard(name)
            continue
        if is_modifier(name):
            held.add(name)
            if name not in mods:
                mods.append(name)
            continue
        others.append(name)
        if char is not None:
            text.append(char)
    commands = [m for m in mods if m != "shift"]
    if others and not commands and len(text) == len(others):
        return {"type": "type", "text": "".join(text)}
    if others and (commands or mods):
        return {"type": "hotkey", "keys": [*mods, *others]}
    return {"type": "key", "keys": others or mods or ["?"], "repeat": 1}


def openadapt_steps(actions: list[dict[str, Any]], keymap: Keymap | None) -> list[dict[str, Any]]:
    """openadapt-capture's actions mapped one for one onto the native vocabulary."""
    out: list[dict[str, Any]] = []
    clicks = {"mouse.singleclick": "click", "mouse.click": "click",
              "mouse.doubleclick": "double_click"}  # fmt: skip
    for a in actions:
        kind = a["type"]
        x = round(a["x"]) if a.get("x") is not None else 0
        y = round(a["y"]) if a.get("y") is not None else 0
        button = a.get("button") or "left"
        if kind in clicks:
            out.append({"type": clicks[kind], "x": x, "y": y, "button": button, "modifiers": []})
        elif kind == "mouse.drag":
            end = [x + round(a["dx"]), y + round(a["dy"])]
            out.append({"type": "drag", "path": [[x, y], end], "button": button, "modifiers": []})
        elif kind == "mouse.scroll":
            # pynput's wheel: dy > 0 is up; ours: dy > 0 is down.
            dx, dy = round(a["dx"] or 0), -round(a["dy"] or 0)
            out.append({"type": "scroll", "x": x, "y": y, "dx": dx, "dy": dy})
        elif kind in ("key.type", "key.shortcut"):
            out.append(keyboard_action(a["children"], keymap))
        else:  # an unmerged mouse.down / mouse.up: not a step of ours
            out.append({"type": kind})
    return out


def record_openadapt(
    x: XServer, scenario: Scenario, workdir: Path, exe: Path, stop_wait: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(truth, openadapt's actions, note) for one scenario recorded by ``capture record``."""
    workdir.mkdir(parents=True, exist_ok=True)
    app = start_app(x.env, scenario.app, scenario.geometry)
    out_dir = workdir / "capture"
    shutil.rmtree(out_dir, ignore_errors=True)  # it refuses a directory with two sessions
    env = {k: v for k, v in x.env.items() if k != "PYTHONPATH"}
    env.update(PATH=f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONUNBUFFERED="1")
    note = ""
    errors = (workdir / "openadapt.stderr").open("w")
    try:
        park_pointer(x.env)
        # No video: its lossless encoder cannot keep up here (see "Recording"
        # above); PNG screenshots instead. The actions do not depend on it.
        proc = subprocess.Popen(
            [str(exe), "record", str(out_dir), "--video=False", "--images=True"],
            env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=errors,
            text=True, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not read_line(proc, max(0.1, deadline - time.monotonic())).startswith(
                "Capture session:"
            ):
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"openadapt-capture exited before it was ready; see {errors.name}"
                    )
            time.sleep(1.0)
            truth = play(x.env, scenario, app)
            time.sleep(1.0)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=stop_wait)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                note = f"not finalized {stop_wait:.0f} s after SIGINT; killed, store read as left"
            assert proc.stdout is not None
            proc.stdout.close()
    finally:
        app.close()
        errors.close()
    dumped = subprocess.run(
        [str(exe.parent / "python"), "-c", OA_DUMP, str(out_dir)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return truth, json.loads(dumped.stdout), note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recorders", default="demotrace,openadapt")
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS))
    parser.add_argument("--oa-venv", type=Path, default=OA_VENV)
    parser.add_argument(
        "--stop-wait", type=float, default=20.0, help="seconds it gets to exit after SIGINT (20)"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep every store here")
    args = parser.parse_args(argv)
    recorders = args.recorders.split(",")
    wanted = [s for s in SCENARIOS if s.name in args.scenarios.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="segment-f1-"))
    exe = ensure_openadapt(args.oa_venv) if "openadapt" in recorders else None

    rows: list[dict[str, Any]] = []
    x = XServer()
    try:
        keymap = Keymap(x.display)
        for scenario in wanted:
            row: dict[str, Any] = {"scenario": scenario.name, "plain": scenario.plain}
            if "demotrace" in recorders:
                rec = record_with_demotrace(x, scenario, workdir / "demotrace" / scenario.name)
                s = score(rec.truth, rec.actions)
                row.update(truth=len(rec.truth), dt_steps=s.got, dt_f1=s.f1)
                print(f"demotrace  {scenario.name}: {s.explain()}", flush=True)
            if exe is not None:
                for attempt in (1, 2):  # its start-up can time out on a busy machine
                    try:
                        truth, actions, note = record_openadapt(
                            x, scenario, workdir / "openadapt" / scenario.name, exe, args.stop_wait
                        )
                        break
                    except RuntimeError as e:
                        print(f"openadapt  {scenario.name}: attempt {attempt}: {e}", flush=True)
                        if attempt == 2:
                            raise
                raw = score(truth, openadapt_steps(actions, None))
                decoded = score(truth, openadapt_steps(actions, keymap))
                row.update(truth=len(truth), oa_actions=len(actions), oa_raw_f1=raw.f1,
                           oa_f1=decoded.f1, oa_note=note)  # fmt: skip
                suffix = f"\n  {note}" if note else ""
                print(f"openadapt  {scenario.name}: {decoded.explain()}{suffix}", flush=True)
            rows.append(row)
    finally:
        x.close()

    def f(v: float | None) -> str:
        return "—" if v is None else f"{v:.3f}"

    print()
    print("| scenario | true steps | demotrace steps | demotrace F1 | openadapt actions "
          "| openadapt F1 (keys as stored) | openadapt F1 (keycodes decoded) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scenario']}{' (plain)' if r['plain'] else ''} | {r.get('truth', '—')} "
              f"| {r.get('dt_steps', '—')} | {f(r.get('dt_f1'))} | {r.get('oa_actions', '—')} "
              f"| {f(r.get('oa_raw_f1'))} | {f(r.get('oa_f1'))} |")  # fmt: skip
    out = ROOT / "bench" / "results" / f"segment-f1-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    print(f"\nstores in {workdir}; results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
