"""``demotrace redact``: rectangles and window rules blurred out of frames."""

from __future__ import annotations

import argparse

from capture.errors import DemotraceError
from capture.screen import Rect
from desktop.commands.common import add_db, table


def register(sub: argparse._SubParsersAction) -> None:
    red = sub.add_parser(
        "redact",
        help="add, list or remove redactions (blurred at export, in the viewer, "
        "and at capture with record --redact-at-capture)",
        description="Without a session, rules apply to every session. "
        "Without rules to add or remove, lists what covers the session.",
    )
    red.add_argument("session", nargs="?", help="session id or a unique prefix of one")
    add_db(red)
    red.add_argument(
        "--rect",
        action="append",
        default=[],
        type=_rect,
        metavar="X,Y,W,H",
        help="a rectangle in screen pixels (repeatable)",
    )
    red.add_argument(
        "--window-class",
        action="append",
        default=[],
        metavar="GLOB",
        help="blur frames while a window of this application class is active (repeatable)",
    )
    red.add_argument(
        "--window-title",
        action="append",
        default=[],
        metavar="GLOB",
        help="blur frames while a window with this title is active (repeatable)",
    )
    red.add_argument(
        "--remove", action="append", default=[], type=int, metavar="ID", help="remove a redaction"
    )
    red.set_defaults(handler=run)


def _rect(text: str) -> Rect:
    try:
        x, y, w, h = (int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not X,Y,W,H: {text!r}") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"width and height must be positive: {text!r}")
    return Rect(x, y, w, h)


def run(args: argparse.Namespace) -> int:
    from capture.privacy.redact import Redaction
    from capture.store.redactions import add_redaction, redactions_for, remove_redaction
    from capture.store.sessions import resolve_session
    from desktop.compose import open_store

    db = open_store(args.db)
    session_id = resolve_session(db, args.session) if args.session else None
    new = [Redaction("rect", rect=r, session_id=session_id) for r in args.rect]
    window_rules = (("window_class", args.window_class), ("window_title", args.window_title))
    for kind, patterns in window_rules:
        for pattern in patterns:
            if not pattern.strip():
                raise DemotraceError(f"--{kind.replace('_', '-')} needs a pattern")
            new.append(Redaction(kind, pattern=pattern, session_id=session_id))
    for redaction_id in args.remove:
        remove_redaction(db, redaction_id)
        print(f"removed redaction {redaction_id}")
    for redaction in new:
        added = add_redaction(db, redaction)
        print(f"added redaction {added.id}: {added.describe()}")
    if new or args.remove:
        return 0
    rules = redactions_for(db, session_id)
    if not rules:
        print("no redactions")
        return 0
    rows = [("ID", "APPLIES TO", "RULE")]
    for rule in rules:
        scope = rule.session_id[:12] if rule.session_id else "every session"
        rows.append((str(rule.id), scope, rule.describe()))
    table(rows)
    return 0
