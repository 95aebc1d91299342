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
from capture.store.paths import default_store_path, frames_dir
from desktop.commands.common import add_db


def _epilog() -> str:
    from capture.privacy.exclusions import DEFAULT_EXCLUDED
    from capture.store.usage import BUDGET_ENV

    store = default_store_path()
    keys = "\n".join(f"  {h.keys:<12} {h.description}" for h in CONTROL_HOTKEYS)
    return (
        f"while recording, these keys control the recorder (they never become steps):\n{keys}\n\n"
        "The recording stops on the stop hotkey, Ctrl-C (SIGINT), SIGTERM, or after\n"
        "--duration seconds; it is saved and cut into steps either way.\n\n"
        f"Recordings go to $DEMOTRACE_DB if set, else to {store}\n"
        f"(frames in {frames_dir(store)}/); --db PATH or --db URL picks another store.\n\n"
        f"Excluded by default (capture pauses while one has the focus, and it is\n"
        f"painted out of frames wherever it is): {', '.join(DEFAULT_EXCLUDED)}.\n"
        f"The budget is --budget, else ${BUDGET_ENV}."
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
    rec.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="pause capture while a window whose class or title matches this glob has the "
        "focus (repeatable; added to the default password managers)",
    )
    rec.add_argument(
        "--no-default-excludes",
        action="store_true",
        help="do not exclude the password managers listed below",
    )
    rec.add_argument(
        "--redact-at-capture",
        action="store_true",
        help="blur the redaction rules (demotrace redact) into frames before they are stored",
    )
    rec.add_argument(
        "--budget",
        metavar="SIZE",
        help="warn when the store nears this size (e.g. 20G); a low disk always warns",
    )
    rec.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.display import require_x_display
    from capture.privacy.exclusions import Exclusions
    from capture.privacy.guard import Privacy
    from capture.store.redactions import redactions_for
    from capture.store.usage import BudgetWatch, budget_from
    from desktop.compose import build_recorder, open_store, tune_allocator

    tune_allocator()
    if args.duration is not None and not (math.isfinite(args.duration) and args.duration > 0):
        raise DemotraceError(
            f"--duration must be a positive number of seconds, not {args.duration:g}"
        )
    check_fps(args.fps)
    budget = budget_from(args.budget, os.environ)
    display = require_x_display(os.environ)
    db = open_store(args.db)
    stop = threading.Event()
    task = None
    if args.task_id or args.task.strip():
        from capture.store.tasks import get_task, task_with_instruction

        task = get_task(db, args.task_id) if args.task_id else task_with_instruction(db, args.task)
    session_ref = args.session
    if session_ref:
        from capture.store.sessions import resolve_session

        session_ref = resolve_session(db, session_ref)
    rules = redactions_for(db, session_ref) if args.redact_at_capture else []

    def tell(privacy: Privacy) -> None:
        secret = "on" if privacy.secret else "off"
        paused = f"; capture paused: {privacy.excluded} has the focus" if privacy.excluded else ""
        print(f"secret mode {secret}{paused}", file=sys.stderr, flush=True)

    recorder = build_recorder(
        db,
        display,
        args.fps,
        on_error=lambda _e: stop.set(),
        on_stop_request=stop.set,
        exclusions=Exclusions.with_defaults(args.exclude, defaults=not args.no_default_excludes),
        redact_at_capture=rules,
        on_privacy=tell,
    )
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
    watch = BudgetWatch(recorder.store_usage, budget)
    deadline = None if args.duration is None else time.monotonic() + args.duration
    while not stop.is_set():
        now = time.monotonic()
        warning = watch.poll(now)
        if warning:
            print(f"demotrace: warning: {warning}", file=sys.stderr, flush=True)
        remaining = None if deadline is None else deadline - now
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
