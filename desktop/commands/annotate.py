"""``demotrace annotate``: a step's note, outcome, decision point, tags and error type."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from capture.errors import DemotraceError
from capture.segment.steps import ERROR_TYPES, OUTCOMES, TAGS
from desktop.commands.common import add_db


class AnnotationError(DemotraceError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    ann = sub.add_parser("annotate", help="annotate one step of a session")
    ann.add_argument("session", help="session id or a unique prefix of one")
    add_db(ann)
    ann.add_argument("--step", type=int, required=True, metavar="K", help="the step's index")
    ann.add_argument("--note", help="your reasoning at this step (replaces the note)")
    ann.add_argument("--outcome", choices=OUTCOMES, help="what the screen showed after it")
    dp = ann.add_mutually_exclusive_group()
    dp.add_argument(
        "--decision", action="store_true", default=None, help="make it a decision point"
    )
    dp.add_argument(
        "--no-decision", dest="decision", action="store_false", help="not a decision point"
    )
    ann.add_argument(
        "--tag",
        action="append",
        choices=TAGS,
        metavar="T",
        help=f"a tag (repeat for several; replaces the tags): {', '.join(TAGS)}",
    )
    ann.add_argument(
        "--error-type", choices=ERROR_TYPES, metavar="E", help=f"one of {', '.join(ERROR_TYPES)}"
    )
    ann.set_defaults(handler=run)


def who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def run(args: argparse.Namespace) -> int:
    from capture.segment import EditError
    from capture.store.sessions import resolve_session
    from capture.store.steps import annotate
    from desktop.compose import open_store

    fields: dict[str, Any] = {}
    if args.note is not None:
        fields["note"] = args.note
    if args.outcome is not None:
        fields["outcome"] = args.outcome
    if args.decision is not None:
        fields["decision_point"] = args.decision
    if args.tag is not None:
        fields["tags"] = list(dict.fromkeys(args.tag))
    if args.error_type is not None:
        fields["error_type"] = args.error_type
    if not fields:
        raise AnnotationError("nothing to change: give --note, --outcome, --decision, --tag ...")
    db = open_store(args.db)
    session_id = resolve_session(db, args.session)
    try:
        steps = annotate(db, session_id, args.step, fields, who())
    except EditError as exc:
        raise AnnotationError(str(exc).split(": ", 1)[-1]) from None
    step = steps[args.step]
    print(f"step {step.index}: {', '.join(sorted(fields))} saved")
    return 0
