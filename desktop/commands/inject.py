"""``demotrace inject``: replay a session up to step K, inject a fault, record the recovery."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from capture.errors import DemotraceError
from desktop.commands.common import add_db
from replay.faults import DEFAULT_DIALOG_TEXT, DEFAULT_OFFSET, DEFAULT_TYPO, FAULT_KINDS, TYPOS


def _offset(text: str) -> tuple[int, int]:
    try:
        dx, dy = (int(p) for p in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected DX,DY in pixels, e.g. 40,-10") from None
    return dx, dy


def _stop_keys() -> str:
    from capture.hotkeys import CONTROL_HOTKEYS

    return next(h.keys for h in CONTROL_HOTKEYS if h.name == "stop")


def register(sub: argparse._SubParsersAction) -> None:
    inject = sub.add_parser(
        "inject",
        help="replay steps before K, inject a fault at K, then record the person's recovery",
        description=(
            "Replays the steps before K of a recorded session, applies the fault at step K, "
            "then hands over: prints 'recording session <ID>' and records what the person "
            f"does until SIGINT, SIGTERM or the stop hotkey ({_stop_keys()}). The new session "
            "links to its source; its steps are tagged replayed, injected_fault and recovery."
        ),
    )
    inject.add_argument(
        "source",
        metavar="BUNDLE|SESSION",
        help="bundle (directory or .zip), or session id or prefix",
    )
    add_db(inject)
    inject.add_argument("--at", type=int, required=True, metavar="K", help="step index")
    inject.add_argument("--fault", required=True, choices=FAULT_KINDS)
    inject.add_argument(
        "--offset",
        type=_offset,
        default=DEFAULT_OFFSET,
        metavar="DX,DY",
        help="offset: how far the pointer lands off target (default {},{})".format(*DEFAULT_OFFSET),
    )
    inject.add_argument(
        "--typo", choices=TYPOS, default=DEFAULT_TYPO, help=f"typo (default {DEFAULT_TYPO})"
    )
    inject.add_argument("--key", help="wrong-key: the key or hotkey to send, e.g. Escape, ctrl+w")
    inject.add_argument(
        "--dialog-text",
        default=DEFAULT_DIALOG_TEXT,
        help=f"dialog: the error message (default {DEFAULT_DIALOG_TEXT!r})",
    )
    inject.add_argument("--fps", type=float, default=10.0, help="screen grabs per second")
    inject.set_defaults(handler=run)


class DialogProcess:
    """The fault's error box (desktop/fault_dialog.py), shown until dismissed or closed."""

    def __init__(self, text: str) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "desktop.fault_dialog", "--text", text],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()  # "ready" once painted
        if line != "ready":
            self.close()
            raise DemotraceError("the fault's error box did not appear")

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


def _source(target: str, db: Any, stack: ExitStack) -> Any:
    """A TrajectorySource: the bundle at ``target`` if it exists, else a stored session."""
    if Path(target).exists() or "/" in target or target.lower().endswith(".zip"):
        from replay.bundle import open_bundle

        bundle = open_bundle(Path(target))
        stack.callback(bundle.close)
        return bundle
    from capture.store.sessions import resolve_session
    from replay.store_source import StoreTrajectory

    return StoreTrajectory(db, resolve_session(db, target))


def run(args: argparse.Namespace) -> int:
    from capture.display import require_x_display
    from desktop.compose import open_store
    from replay.faults import Fault, plan_fault

    display = require_x_display(os.environ)
    db = open_store(args.db)
    with ExitStack() as stack:
        stack.callback(db.close)
        source = _source(args.source, db, stack)
        traj = source.trajectory
        steps = list(traj.steps)
        if not 0 <= args.at < len(steps):
            raise DemotraceError(
                f"--at {args.at}: session {traj.session_id[:12]} has {len(steps)} steps "
                f"(0..{len(steps) - 1})"
            )
        fault = Fault(args.fault, args.offset, args.typo, args.key, args.dialog_text)
        plan = plan_fault(steps[args.at], fault)  # refuses a fault that does not fit the step
        record: dict[str, Any] = {**plan.record, "source": traj.session_id}
        return _record(args, display, db, source, plan, record)


def _record(
    args: argparse.Namespace,
    display: str,
    db: Any,
    source: Any,
    plan: Any,
    record: dict[str, Any],
) -> int:
    """Replay, inject, hand over and record into a new session until told to stop."""
    from capture.grabber import MssScreen
    from capture.store.sessions import mark_injected
    from desktop.compose import build_recorder
    from replay.executor import Executor
    from replay.faults_run import InjectedRun, RecordedInput

    traj = source.trajectory
    steps = list(traj.steps)
    stop = threading.Event()
    recorder = build_recorder(
        db, display, args.fps, on_error=lambda _e: stop.set(), on_stop_request=stop.set
    )
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    threading.excepthook = lambda hook: recorder.capture_failed(hook.exc_value or Exception())
    device = RecordedInput()
    screen = MssScreen(display)
    session_id = recorder.start(task=traj.task.instruction)
    mark_injected(db, session_id, traj.session_id, record)
    executor = Executor(source.frames, screen, device, recorder.injections, traj.screen)
    injected = InjectedRun(executor, recorder.now_ns, DialogProcess)
    try:
        if injected.replay(steps[: args.at], stop):
            times = injected.apply(steps[args.at], plan)
            timed = {**record, "t_ns": times.t_ns, "takeover_ns": times.takeover_ns}
            mark_injected(db, session_id, traj.session_id, timed)
            print(f"recording session {session_id}", flush=True)
            while not stop.is_set():
                stop.wait(0.2)
        else:
            print(f"stopped before the fault; session {session_id} holds the replayed steps",
                  file=sys.stderr)  # fmt: skip
    finally:
        if injected.dialog is not None:
            injected.dialog.close()
        device.close()
        screen.close()
        recorder.stop()
    if recorder.error is not None:
        raise recorder.error
    print(f"stopped session {session_id} (fault {args.fault} at step {args.at})", file=sys.stderr)
    return 0
