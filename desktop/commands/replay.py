"""``demotrace replay BUNDLE|SESSION``: the steps as a timeline, or executed on the live desktop."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from desktop.commands.common import add_db, describe_action
from replay.executor import AFTER_TIMEOUT_S, BEFORE_TIMEOUT_S
from replay.player import DEFAULT_IDLE_LIMIT


def register(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser(
        "replay",
        help="print a trajectory's timeline, or re-run it on this desktop (--execute)",
        description="Without --execute, prints the steps with their times. With --execute, "
        "runs the task's setup command, then each step once the screen resembles the step's "
        "before-frame. Exit 0 when every step ran (and, with --verify, reached its "
        "after-frame); 1 when the replay stopped early, with a report. Text typed in "
        "secret mode is never stored: it is read from $DEMOTRACE_SECRET_<K> (K: the step) or "
        "$DEMOTRACE_SECRET, or asked for at the terminal, before the first step runs.",
    )
    rep.add_argument("target", help="bundle (directory or .zip), or session id or prefix")
    rep.add_argument("--execute", action="store_true", help="send the steps' input to the desktop")
    rep.add_argument("--verify", action="store_true", help="check each step's after-frame too")
    rep.add_argument("--speed", type=float, default=1.0, help="playback speed (default 1)")
    rep.add_argument(
        "--delay", type=float, help="a fixed pause between steps (s) instead of the recording's"
    )
    rep.add_argument(
        "--idle-limit",
        type=float,
        default=DEFAULT_IDLE_LIMIT,
        help=f"longest pause kept from the recording, in s (default {DEFAULT_IDLE_LIMIT:g})",
    )
    rep.add_argument("--from", dest="first", type=int, metavar="K", help="first step to replay")
    rep.add_argument("--to", dest="last", type=int, metavar="K", help="last step to replay")
    rep.add_argument(
        "--timeout",
        type=float,
        default=BEFORE_TIMEOUT_S,
        help=f"seconds to wait for each before-frame (default {BEFORE_TIMEOUT_S:g})",
    )
    rep.add_argument(
        "--after-timeout",
        type=float,
        default=AFTER_TIMEOUT_S,
        help=f"seconds to wait for each after-frame with --verify (default {AFTER_TIMEOUT_S:g})",
    )
    rep.add_argument(
        "--report",
        type=Path,
        help="where to save the frames of a divergence (default: replay-<session> here)",
    )
    add_db(rep)
    rep.set_defaults(handler=run)


def _open(target: str, db_url: str | None, stack: ExitStack) -> Any:
    """A TrajectorySource: the bundle at ``target`` if it exists, else a stored session."""
    if Path(target).exists() or "/" in target or target.lower().endswith(".zip"):
        from replay.bundle import open_bundle

        bundle = open_bundle(Path(target))
        stack.callback(bundle.close)
        return bundle
    from capture.store.sessions import resolve_session
    from desktop.compose import open_store
    from replay.store_source import StoreTrajectory

    db = open_store(db_url, readonly=True)
    stack.callback(db.close)
    # The executor compares frames with the live screen: it needs them unredacted.
    return StoreTrajectory(db, resolve_session(db, target), redacted=False)


def run(args: argparse.Namespace) -> int:
    from capture.errors import DemotraceError
    from replay.player import timeline

    if args.speed <= 0:
        raise DemotraceError(f"--speed must be positive, not {args.speed:g}")
    if args.delay is not None and args.delay < 0:
        raise DemotraceError("--delay must not be negative")
    if args.verify and not args.execute:
        raise DemotraceError("--verify checks an execution; add --execute")
    with ExitStack() as stack:
        source = _open(args.target, args.db, stack)
        traj = source.trajectory
        steps = traj.steps
        indexes = {s.index for s in steps}
        for name, k in (("--from", args.first), ("--to", args.last)):
            if k is not None and k not in indexes:
                raise DemotraceError(f"{name} {k}: the trajectory has steps 0..{len(steps) - 1}")
        scheduled = timeline(
            steps,
            speed=args.speed,
            idle_limit=args.idle_limit,
            delay=args.delay,
            first=args.first,
            last=args.last,
        )
        if not scheduled:
            raise DemotraceError("no steps to replay")
        if not args.execute:
            _print_timeline(traj, scheduled)
            return 0
        return _execute(args, source, scheduled)


def _print_timeline(traj: Any, scheduled: list[Any]) -> None:
    print(f"session {traj.session_id}: {traj.task.instruction or '(no task)'}")
    if traj.task.setup_command:
        print(f"setup command (run first by --execute): {traj.task.setup_command}")
    for when, cue in scheduled:
        step = cue.step
        action = step.action.to_json()
        note = f"  # {step.note}" if step.note else ""
        print(
            f"{when:8.2f}s  #{step.index:<3} {action['type']:<12} {describe_action(action)}{note}"
        )


def _ask_secret(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def _execute(args: argparse.Namespace, source: Any, scheduled: list[Any]) -> int:
    from capture.display import require_x_display
    from capture.grabber import MssScreen
    from capture.listener import InjectionLog
    from replay.executor import Executor, Settings
    from replay.inputs import PynputInput
    from replay.report import run_setup, write_report
    from replay.secrets import resolve_secrets

    display = require_x_display(os.environ)
    traj = source.trajectory
    ask = _ask_secret if sys.stdin.isatty() else None
    secrets = resolve_secrets((cue.step for _, cue in scheduled), os.environ, ask)
    setup = traj.task.setup_command
    if setup and (args.first is None or args.first == traj.steps[0].index):
        print(f"running the task's setup command: {setup}", file=sys.stderr)
        run_setup(setup)
    screen = MssScreen(display)
    try:
        executor = Executor(
            source.frames,
            screen,
            PynputInput(),
            InjectionLog(),
            traj.screen,
            Settings(before_timeout=args.timeout, after_timeout=args.after_timeout),
            secrets=secrets,
        )

        def on_step(step: Any, check: Any) -> None:
            verified = "" if check is None else f"  after-frame {check.similarity:.3f}"
            print(f"step {step.index}: {step.action.type} done{verified}", flush=True)

        result = executor.run(scheduled, verify=args.verify, on_step=on_step)
    finally:
        screen.close()
    first, last = scheduled[0][1].index, scheduled[-1][1].index
    if result.divergence is None:
        print(f"replayed steps {first}..{last}: reached the end")
        return 0
    d = result.divergence
    report = args.report or Path(f"replay-{traj.session_id[:8]}")
    image = write_report(d, report)
    which = "before-frame never showed" if d.stage == "before" else "after-frame never showed"
    region = (
        ""
        if d.check.region_similarity is None
        else f", {d.check.region_similarity:.3f} where the step acted"
    )
    print(
        f"demotrace: error: step {d.step.index} ({d.step.action.type} "
        f"{describe_action(d.step.action.to_json())}): its {which} "
        f"(similarity {d.check.similarity:.3f}{region}); expected | actual | difference "
        f"in {image}",
        file=sys.stderr,
    )
    return 1
