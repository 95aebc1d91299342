"""``demotrace submit``: hand a trajectory in for review once every decision point has a note."""

from __future__ import annotations

import argparse
import sys

from desktop.commands.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    submit = sub.add_parser(
        "submit", help="submit a session for review (every decision point needs a note)"
    )
    submit.add_argument("session", help="session id or a unique prefix of one")
    add_db(submit)
    submit.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from capture.store.sessions import resolve_session
    from capture.store.stages import SubmitRefused, submit
    from desktop.compose import open_store

    db = open_store(args.db)
    session_id = resolve_session(db, args.session)
    try:
        submit(db, session_id)
    except SubmitRefused as exc:
        for line in exc.problems:
            print(f"demotrace: error: {line}", file=sys.stderr)
        return exc.exit_code
    print(f"submitted session {session_id}")
    return 0
