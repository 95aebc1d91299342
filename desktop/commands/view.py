"""``demotrace view``: the replay viewer on a stored session or a bundle."""

from __future__ import annotations

import argparse

from desktop.commands.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    view = sub.add_parser(
        "view",
        help="replay a session in the viewer, step through it, grade it",
        description="Keys: Space play/pause, Right/Left next/previous step, Home/End, +/- speed.",
    )
    view.add_argument("target", metavar="SESSION|BUNDLE", help="session id (or prefix) or bundle")
    view.add_argument("--reviewer", help="who reviews (default: the user's login name)")
    add_db(view)
    view.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    from capture.display import require_x_display
    from capture.errors import DemotraceError
    from capture.store.sessions import resolve_session
    from desktop.compose import keep_singletons_alive, open_store

    target = Path(args.target)
    if target.exists():
        raise DemotraceError(f"{target}: this version of demotrace cannot read bundles yet")
    db = open_store(args.db)
    try:
        session_id = resolve_session(db, args.target)
        require_x_display(os.environ)
        keep_singletons_alive()
        from PySide6.QtWidgets import QApplication

        from desktop.viewer.open import session_viewer

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("demotrace")
        window = session_viewer(db, session_id, args.reviewer)
        window.show()
        print(f"viewing session {session_id}", flush=True)
        return int(app.exec())
    finally:
        db.close()
