"""``demotrace record``: headless recording from the command line."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
import time

from capture.errors import DemotraceError
from capture.grabber import DEFAULT_FPS, MAX_FPS, check_fps
from capture.hotkeys import CONTROL_HOTKEYS
from capture.store.database import default_store_path
from capture.store.sessions import frames_dir
from desktop.commands.common import add_db


def _epilog() -> str:
    store = default_store_path()
    keys = "\n".join(f"  {h.keys:<12} {h.description}" for h in CONTROL_HOTKEYS)
    return (
        f"while recording, these keys control the recorder (they never become steps):\n{keys}\n\n"
        "The recording stops on the stop hotkey, Ctrl-C (SIGINT), SIGTERM, or after\n"
        "--duration seconds; it is saved and cut into steps either way.\n\n"
        f"Recordings go to $DEMOTRACE_DB if set, else to {store}\n"
        f"(frames in {frames_dir(store)}/); --db PATH or --db URL picks another store."
    )


def register(sub: argparse._SubParsersAction) -> None:
    rec = sub.add_parser(
        "record",
        help="record a demonstration from the command line",
        description="Record your screen, mouse and keyboard until you stop.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_db(rec)
    which = rec.add_mutually_exclusive_group()
    which.add_argument(
        "--task",
        default="",
        help="the task's instruction: files the session under that task (created if new)",
    )
    which.add_argument("--task-id", help="file the session under this task (id or prefix)")
    rec.add_argument("--duration", type=float, help="stop after this many seconds")
    rec.add_argument(
        "--fps",
        type=float,
        default=DEFAULT_FPS,
        help=f"screen grabs per second, above 0 and at most {MAX_FPS:g} (default {DEFAULT_FPS:g})",
    )
    rec.add_argument("--session", help="continue recording into this existing session")
    rec.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.display import require_x_display
    from desktop.compose import build_recorder, open_store, tune_allocator

    tune_allocator()
    if args.duration is not None and not (math.isfinite(args.duration) and args.duration > 0):
        raise DemotraceError(
            f"--duration must be a positive number of seconds, not {args.duration:g}"
        )
    check_fps(args.fps)
    display = require_x_display(os.environ)
    db = open_store(args.db)
    stop = threading.Event()
    recorder = build_recorder(
        db, display, args.fps, on_error=lambda _e: stop.set(), on_stop_request=stop.set
    )
    task = None
    if args.task_id or args.task.strip():
        from capture.store.tasks import get_task, task_with_instruction

        task = get_task(db, args.task_id) if args.task_id else task_with_instruction(db, args.task)
    session_ref = args.session
    if session_ref:
        from capture.store.sessions import resolve_session

        session_ref = resolve_session(db, session_ref)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    # A capture thread that dies (pynput's listeners, when the X server goes
    # away) ends the recording with one line instead of a traceback.
    threading.excepthook = lambda hook: recorder.capture_failed(hook.exc_value or Exception())
    if task is not None and task.setup_command and not session_ref:
        from desktop.task_commands import run_task_command

        run_task_command("setup", task.setup_command)
    session_id = recorder.start(
        task=task.instruction if task else "",
        session_id=session_ref,
        task_id=task.id if task else None,
    )
    print(f"recording session {session_id}", flush=True)
    deadline = None if args.duration is None else time.monotonic() + args.duration
    while not stop.is_set():
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            break
        stop.wait(0.2 if remaining is None else min(0.2, remaining))
    recorder.stop()
    db.close()
    if task is not None and task.reset_command:
        from desktop.task_commands import run_task_command

        run_task_command("reset", task.reset_command)
    if recorder.error is not None:
        raise recorder.error
    print(
        f"stopped session {session_id} "
        f"(live steps: {len(recorder.live_steps)}, {recorder.live_cpu_s * 1000:.0f} ms CPU)",
        file=sys.stderr,
    )
    return 0
