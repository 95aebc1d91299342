"""The recorders under test: how to start each one, when it is ready, what it stored."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACTION_KINDS = ("press", "scroll", "key_down")


def tree_size(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total


def age_stats(ages_ms: list[float]) -> dict[str, Any]:
    if not ages_ms:
        return {"n": 0}
    ordered = sorted(ages_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": statistics.median(ordered),
        "p95_ms": p95,
        "max_ms": ordered[-1],
    }


@dataclass
class Recorder:
    """One recorder: a command line, a readiness line, a store and (maybe) its events."""

    name: str
    ready: re.Pattern[str] = field(default_factory=lambda: re.compile(r"."))
    # Exit statuses that mean "stopped and finalized normally".
    ok_exit_codes: tuple[int, ...] = (0,)

    def available(self) -> str | None:
        """None when the recorder can run here, else why not."""
        return None

    def command(self, workdir: Path, display: str, fps: int) -> list[str]:
        raise NotImplementedError

    def env(self, base: dict[str, str]) -> dict[str, str]:
        return dict(base)

    def describe(self) -> str:
        return self.name

    def store_paths(self, workdir: Path) -> list[Path]:
        return [workdir]

    def events(self, workdir: Path, ready_line: str) -> dict[str, Any] | None:
        """Stored input events by kind and the before-frame ages, or None if not applicable."""
        return None


# The checkout this bench belongs to, ahead of any installed demotrace.
_RUN_HERE = f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
# A baseline: X DAMAGE unavailable, so the grabber grabs on every tick.
_NO_DAMAGE = (
    "import capture.damage as damage, desktop.compose as compose\n"
    "def unavailable(*_):\n    raise damage.DamageUnsupported('off for the baseline')\n"
    "compose.DamageWatch = unavailable\n"
)


class Demotrace(Recorder):
    def __init__(self, damage: bool = True) -> None:
        name = "demotrace" if damage else "demotrace-nodamage"
        super().__init__(name, re.compile(r"^recording session (\S+)"))
        self.damage = damage

    def available(self) -> str | None:
        return None

    def command(self, workdir: Path, display: str, fps: int) -> list[str]:
        code = _RUN_HERE + ("" if self.damage else f"\n{_NO_DAMAGE}")
        code += "\nfrom desktop.cli import main\nsys.exit(main())"
        return [sys.executable, "-c", code, "record", "--db", f"{workdir}/demo.db",
                "--task", "bench", "--fps", str(fps)]  # fmt: skip

    def describe(self) -> str:
        if not self.damage:
            return "demotrace record with X DAMAGE off (grabs every tick): the baseline"
        return "demotrace record (defaults, --fps as given)"

    def store_paths(self, workdir: Path) -> list[Path]:
        return [workdir / "demo.db", workdir / "demo.db-wal", workdir / "demo.frames"]

    def events(self, workdir: Path, ready_line: str) -> dict[str, Any] | None:
        match = self.ready.match(ready_line)
        session = match.group(1) if match else None
        con = sqlite3.connect(f"file:{workdir / 'demo.db'}?mode=ro", uri=True)
        try:
            where, params = ("WHERE session_id = ?", (session,)) if session else ("", ())
            counts = dict(
                con.execute(f"SELECT kind, count(*) FROM events {where} GROUP BY kind", params)
            )
            kinds = ",".join(f"'{k}'" for k in ACTION_KINDS)
            rows = con.execute(
                f"SELECT frame_age_ns FROM events {where} {'AND' if where else 'WHERE'} "
                f"kind IN ({kinds}) ORDER BY seq",
                params,
            ).fetchall()
            presses = con.execute(
                f"SELECT x, y, button FROM events {where} {'AND' if where else 'WHERE'} "
                "kind = 'press' ORDER BY seq",
                params,
            ).fetchall()
            frames = con.execute(f"SELECT count(*) FROM frames {where}", params).fetchone()[0]
        finally:
            con.close()
        ages = [r[0] / 1e6 for r in rows if r[0] is not None]
        return {
            "session": session,
            "stored": counts,
            "frames": frames,
            "actions_without_frame": sum(1 for r in rows if r[0] is None),
            "before_frame_age": age_stats(ages),
            "presses": [list(p) for p in presses],
        }


class FfmpegX11grab(Recorder):
    CODECS = {
        # Lossless, fast enough to keep up: the fair match for lossless frames.
        "lossless": ["-c:v", "libx264rgb", "-crf", "0", "-preset", "ultrafast"],
        # What ffmpeg picks for .mp4 with no options: libx264, crf 23, preset medium.
        "default": [],
    }

    def __init__(self, codec: str = "lossless") -> None:
        super().__init__("ffmpeg", re.compile(r"^progress="))
        self.codec = codec
        # ffmpeg finalizes the file on SIGINT and then exits with 255.
        self.ok_exit_codes = (0, 255)

    def available(self) -> str | None:
        return (
            None if shutil.which("ffmpeg") else "ffmpeg is not installed (apt-get install ffmpeg)"
        )

    def command(self, workdir: Path, display: str, fps: int) -> list[str]:
        suffix = "mkv" if self.codec == "lossless" else "mp4"
        return [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats",
            "-progress", "pipe:1", "-f", "x11grab", "-draw_mouse", "1",
            "-framerate", str(fps), "-video_size", "1920x1080", "-i", f"{display}.0+0,0",
            *self.CODECS[self.codec], str(workdir / f"screen.{suffix}"),
        ]  # fmt: skip

    def describe(self) -> str:
        args = " ".join(self.CODECS[self.codec]) or "no codec options (libx264 crf 23 medium)"
        return f"ffmpeg -f x11grab, {self.codec}: {args}"


class OpenAdaptCapture(Recorder):
    def __init__(self, executable: str | None, extra_env: dict[str, str] | None = None) -> None:
        super().__init__("openadapt", re.compile(r"^Capture session: (\S+)"))
        self.exe = executable
        self.extra_env = extra_env or {}

    def available(self) -> str | None:
        if not self.exe or not Path(self.exe).exists():
            return (
                "openadapt-capture is not installed; python3 -m venv /tmp/oa-venv && "
                "/tmp/oa-venv/bin/pip install openadapt-capture"
            )
        return None

    def command(self, workdir: Path, display: str, fps: int) -> list[str]:
        assert self.exe is not None
        return [self.exe, "record", str(workdir / "capture")]

    def env(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        # Its own venv first, so that its python is used; ffmpeg from the system.
        env["PATH"] = f"{Path(self.exe or '').parent}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONUNBUFFERED"] = "1"  # the readiness line is a print() into a pipe
        env.setdefault("SCREEN_CAPTURE_FPS", "10")
        env.update(self.extra_env)
        return env

    def describe(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.extra_env.items())
        return f"capture record DIR (defaults{', ' + extra if extra else ''})"

    def store_paths(self, workdir: Path) -> list[Path]:
        return [workdir / "capture"]

    def events(self, workdir: Path, ready_line: str) -> dict[str, Any] | None:
        db = workdir / "capture" / "recording.db"
        if not db.exists():
            return None
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT name, mouse_pressed, timestamp, screenshot_timestamp, mouse_x, mouse_y, "
                "mouse_button_name FROM action_event ORDER BY timestamp, id"
            ).fetchall()
            screenshots = con.execute("SELECT count(*) FROM screenshot").fetchone()[0]
        finally:
            con.close()
        counts: dict[str, int] = {}
        ages: list[float] = []
        missing = 0
        presses = []
        for name, pressed, ts, shot_ts, x, y, button in rows:
            kind = {
                "move": "move",
                "scroll": "scroll",
                "press": "key_down",
                "release": "key_up",
                "click": "press" if pressed else "release",
            }.get(name, name)
            counts[kind] = counts.get(kind, 0) + 1
            if kind in ACTION_KINDS:
                if shot_ts is None:
                    missing += 1
                else:
                    ages.append((float(ts) - float(shot_ts)) * 1000)
            if kind == "press":
                presses.append([round(float(x)), round(float(y)), button])
        return {
            "stored": counts,
            "frames": screenshots,
            "actions_without_frame": missing,
            "before_frame_age": age_stats(ages),
            "presses": presses,
        }
