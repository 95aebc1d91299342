"""``demotrace edit``: merge, split, delete or move steps (kept in the audit trail)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from capture.errors import DemotraceError
from desktop.commands.annotate import who
from desktop.commands.common import add_db


class StepEditError(DemotraceError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    edit = sub.add_parser("edit", help="merge, split, delete or move steps")
    edit.add_argument("session", help="session id or a unique prefix of one")
    add_db(edit)
    ops = edit.add_subparsers(dest="op", required=True)
    merge = ops.add_parser("merge", help="step K and the one after it become one")
    merge.add_argument("step", type=int, metavar="K")
    merge.add_argument("--action", help="the merged action as JSON, when the two do not combine")
    split = ops.add_parser("split", help="the raw events from SEQ on become a new step")
    split.add_argument("step", type=int, metavar="K")
    split.add_argument("--at-seq", type=int, required=True, metavar="SEQ")
    delete = ops.add_parser("delete", help="drop step K")
    delete.add_argument("step", type=int, metavar="K")
    move = ops.add_parser("move", help="move step K to position TO")
    move.add_argument("step", type=int, metavar="K")
    move.add_argument("to", type=int, metavar="TO")
    for p in (merge, split, delete, move):
        add_db(p)
    edit.set_defaults(handler=run)


def edit_args(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The audit-trail op and its arguments for the command line's words."""
    if args.op == "merge":
        out: dict[str, Any] = {"index": args.step}
        if args.action:
            try:
                out["action"] = json.loads(args.action)
            except json.JSONDecodeError as exc:
                raise StepEditError(f"--action is not JSON: {exc.msg}") from None
        return "merge", out
    if args.op == "split":
        return "split", {"index": args.step, "at_seq": args.at_seq}
    if args.op == "delete":
        return "delete", {"index": args.step}
    return "reorder", {"index": args.step, "to": args.to}


def run(args: argparse.Namespace) -> int:
    from capture.segment import EditError, EditRecord
    from capture.store.sessions import resolve_session
    from capture.store.steps import edit
    from desktop.compose import open_store

    op, op_args = edit_args(args)
    db = open_store(args.db)
    session_id = resolve_session(db, args.session)
    try:
        steps = edit(db, session_id, EditRecord(who(), op, op_args))
    except EditError as exc:
        raise StepEditError(str(exc).split(": ", 1)[-1]) from None
    print(f"{args.op} done; {len(steps)} steps")
    return 0
