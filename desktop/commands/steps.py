"""``demotrace steps``: the steps of one session."""

from __future__ import annotations

import argparse
import json

from desktop.commands.common import add_db, describe_action, table


def _epilog() -> str:
    from capture.segment import SegmentationRules

    pause_s = (SegmentationRules().decision_pause_ms or 0) / 1000
    return f"""\
DECISION says why a step is a decision point, a moment where the person chose
what to do next (the steps a note is asked for): the first step, a step marked
with the hotkey or the app's button, the first step after a pause of {pause_s:g} s or
more, or one whose screen looked very different from the one before. Empty:
not a decision point.

Scrolls are counted in wheel notches: "3 down" is three notches towards the
end of the page. In --json, dy > 0 is down and dx > 0 is right."""


def register(sub: argparse._SubParsersAction) -> None:
    steps = sub.add_parser(
        "steps",
        help="the steps of one session",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    steps.add_argument("session", help="session id or a unique prefix of one")
    add_db(steps)
    steps.add_argument("--json", action="store_true", help="print JSON")
    steps.add_argument(
        "--resegment",
        action="store_true",
        help="cut the raw events into steps again (current rules), then re-apply the edits",
    )
    steps.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.segment import DECISION_REASONS
    from capture.store.sessions import resolve_session
    from capture.store.steps import current_steps, resegment
    from desktop.compose import open_store

    db = open_store(args.db, readonly=not args.resegment)
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
                DECISION_REASONS.get(step.decision_reason or "", step.decision_reason or "yes")
                if step.decision_point
                else "",
                step.note[:40],
            )
        )
    table(rows)
    return 0
