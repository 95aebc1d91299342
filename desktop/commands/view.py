"""``demotrace view``: the replay viewer on a stored session or a bundle."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.commands.common import add_db

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def register(sub: argparse._SubParsersAction) -> None:
    view = sub.add_parser(
        "view",
        help="replay a session or bundle in the viewer, step through it, grade it",
        description="Keys: Space play/pause, Right/Left next/previous step, Home/End, +/- speed. "
        "Reviews are saved for stored sessions; import a bundle to review it.",
    )
    view.add_argument("target", metavar="SESSION|BUNDLE", help="session id (or prefix) or bundle")
    view.add_argument("--reviewer", help="who reviews (default: the user's login name)")
    add_db(view)
    view.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from capture.display import require_x_display
    from desktop.compose import open_store

    target = Path(args.target)
    if target.exists():
        from replay.bundle import open_bundle

        with open_bundle(target) as bundle:
            require_x_display(os.environ)
            from desktop.viewer.window import ViewerWindow

            return _show(
                lambda: ViewerWindow(bundle, reviewer=args.reviewer),
                f"viewing bundle {target} (session {bundle.trajectory.session_id})",
            )
    from capture.store.sessions import resolve_session

    db = open_store(args.db)
    try:
        session_id = resolve_session(db, args.target)
        require_x_display(os.environ)
        from desktop.viewer.open import session_viewer

        return _show(
            lambda: session_viewer(db, session_id, args.reviewer), f"viewing session {session_id}"
        )
    finally:
        db.close()


def _show(make_window: Callable[[], QWidget], ready: str) -> int:
    """Run the app with the window ``make_window()`` builds; print ``ready`` once it is shown."""
    import sys

    from desktop.compose import keep_singletons_alive

    keep_singletons_alive()  # before any Qt object is made
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("demotrace")
    window = make_window()
    window.show()
    print(ready, flush=True)
    return int(app.exec())
