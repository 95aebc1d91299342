"""The ``demotrace`` command. Bare ``demotrace`` opens the desktop app."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from capture.errors import DemotraceError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="demotrace",
        description="Record, annotate, review and export computer-use demonstrations.",
    )
    parser.add_argument("--db", help="database URL (default: $DEMOTRACE_DB or the user data dir)")
    sub = parser.add_subparsers(dest="command")

    rec = sub.add_parser("record", help="record a demonstration from the command line")
    rec.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    rec.add_argument("--task", default="", help="what the demonstration does")
    rec.add_argument("--duration", type=float, help="stop after this many seconds")
    rec.add_argument("--fps", type=float, default=10.0, help="screen grabs per second (default 10)")
    rec.add_argument("--session", help="continue recording into this existing session")

    ls = sub.add_parser("sessions", help="list recorded sessions")
    ls.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    ls.add_argument("--json", action="store_true", help="print JSON")

    steps = sub.add_parser("steps", help="the steps of one session")
    steps.add_argument("session", help="session id or a unique prefix of one")
    steps.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    steps.add_argument("--json", action="store_true", help="print JSON")
    steps.add_argument(
        "--resegment",
        action="store_true",
        help="cut the raw events into steps again (current rules), then re-apply the edits",
    )

    show = sub.add_parser("show", help="summarize one session")
    show.add_argument("session", help="session id or a unique prefix of one")
    show.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    show.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from desktop.app import run_app

            return run_app(args.db)
        handler = {"record": _record, "sessions": _sessions, "show": _show, "steps": _steps}[
            args.command
        ]
        return handler(args)
    except DemotraceError as exc:
        print(f"demotrace: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _record(args: argparse.Namespace) -> int:
    from capture.display import require_x_display
    from desktop.compose import build_recorder, open_store, tune_allocator

    tune_allocator()
    if args.duration is not None and args.duration <= 0:
        raise DemotraceError("--duration must be positive")
    display = require_x_display(os.environ)
    db = open_store(args.db)
    stop = threading.Event()
    recorder = build_recorder(
        db, display, args.fps, on_error=lambda _e: stop.set(), on_stop_request=stop.set
    )
    session_ref = args.session
    if session_ref:
        from capture.sessions import resolve_session

        session_ref = resolve_session(db, session_ref)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    # A capture thread that dies (pynput's listeners, when the X server goes
    # away) ends the recording with one line instead of a traceback.
    threading.excepthook = lambda hook: recorder.capture_failed(hook.exc_value or Exception())
    session_id = recorder.start(task=args.task, session_id=session_ref)
    print(f"recording session {session_id}", flush=True)
    deadline = None if args.duration is None else time.monotonic() + args.duration
    while not stop.is_set():
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            break
        stop.wait(0.2 if remaining is None else min(0.2, remaining))
    recorder.stop()
    db.close()
    if recorder.error is not None:
        raise recorder.error
    print(
        f"stopped session {session_id} "
        f"(live steps: {len(recorder.live_steps)}, {recorder.live_cpu_s * 1000:.0f} ms CPU)",
        file=sys.stderr,
    )
    return 0


def _sessions(args: argparse.Namespace) -> int:
    from capture.sessions import list_sessions
    from desktop.compose import open_store

    db = open_store(args.db)
    sessions = list_sessions(db)
    if args.json:
        print(json.dumps([s.to_json() for s in sessions], indent=2))
        return 0
    if not sessions:
        print("no sessions")
        return 0
    rows = [("ID", "CREATED", "DURATION", "EVENTS", "FRAMES", "STATUS", "TASK")]
    for s in sessions:
        rows.append(
            (
                s.id[:12],
                s.created_at[:19].replace("T", " "),
                f"{s.duration_s:.1f}s",
                str(s.events),
                str(s.frames),
                s.status,
                s.task,
            )
        )
    _table(rows)
    return 0


def _show(args: argparse.Namespace) -> int:
    from capture.sessions import resolve_session, summarize
    from desktop.compose import open_store

    db = open_store(args.db)
    summary = summarize(db, resolve_session(db, args.session))
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
        return 0
    data: dict[str, Any] = summary.to_json()
    virtual = data["screen"]["virtual"]
    monitors = data["screen"]["monitors"]
    lines = [
        ("session", data["id"]),
        ("task", data["task"] or "-"),
        ("status", data["status"] + (f" ({data['stop_reason']})" if data["stop_reason"] else "")),
        ("created", data["created_at"]),
        ("duration", f"{data['duration_s']:.1f} s"),
        ("events", data["events"]),
        ("frames", f"{data['frames']} stored, {data['screen_changes']} screen changes"),
        ("markers", data["markers"]),
        ("windows", data["windows"]),
        (
            "screen",
            f"{virtual['width']}x{virtual['height']} at ({virtual['left']},{virtual['top']}), "
            f"{len(monitors)} monitor(s), scale {data['scale']:g}",
        ),
        ("double click", f"{data['double_click_ms']} ms, {data['double_click_px']} px"),
        ("frame rate", f"{data['fps']:g} fps"),
        ("platform", data["platform"]),
        ("size on disk", _size(data["frame_bytes"])),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    return 0


def _steps(args: argparse.Namespace) -> int:
    from capture.sessions import resolve_session
    from capture.stepstore import current_steps, resegment
    from desktop.compose import open_store

    db = open_store(args.db)
    session_id = resolve_session(db, args.session)
    steps = resegment(db, session_id) if args.resegment else current_steps(db, session_id)
    if args.json:
        print(json.dumps([step.to_json() for step in steps], indent=2, ensure_ascii=False))
        return 0
    if not steps:
        print("no steps")
        return 0
    rows = [("#", "AT", "ACTION", "DETAILS", "WINDOW", "DECISION", "NOTE")]
    for step in steps:
        rows.append(
            (
                str(step.index),
                f"{step.t_start / 1e9:.2f}s",
                step.action.type,
                describe_action(step.action.to_json()),
                step.window.title[:30] if step.window else "",
                step.decision_reason or "" if step.decision_point else "",
                step.note[:40],
            )
        )
    _table(rows)
    return 0


def describe_action(action: dict[str, Any]) -> str:
    """One short line for a step's action, as a person would say it."""
    kind = action["type"]
    mods = "+".join(action.get("modifiers", []))
    prefix = f"{mods}+" if mods else ""
    if kind in ("click", "double_click", "triple_click"):
        return f"{prefix}{action['button']} at ({action['x']}, {action['y']})"
    if kind == "drag":
        (x0, y0), (x1, y1) = action["path"][0], action["path"][-1]
        return f"{prefix}{action['button']} ({x0}, {y0}) -> ({x1}, {y1})"
    if kind == "scroll":
        return f"dx={action['dx']} dy={action['dy']} at ({action['x']}, {action['y']})"
    if kind == "type":
        return json.dumps(action["text"], ensure_ascii=False)
    if kind == "key":
        repeat = action.get("repeat", 1)
        return "+".join(action["keys"]) + (f" x{repeat}" if repeat and repeat > 1 else "")
    if kind == "hotkey":
        return "+".join(action["keys"])
    if kind == "move":
        return f"to ({action['x']}, {action['y']})"
    if kind == "wait":
        return f"{action['seconds']:.1f}s"
    return ""


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    sys.exit(main())
