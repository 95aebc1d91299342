"""``demotrace import BUNDLE``: a bundle into the store, all checked before anything is written."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.common import add_db, progress_line


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="bring a trajectory bundle (directory or .zip) into the store",
        description="Checks every field and frame first; a session already in the store "
        "is left as it is.",
    )
    imp.add_argument("bundle", type=Path, help="bundle directory or .zip")
    add_db(imp)
    imp.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.compose import open_store
    from replay.bundle.importing import import_bundle

    db = open_store(args.db)
    try:
        result = import_bundle(db, args.bundle, progress_line("importing frames"))
    finally:
        db.close()
    if not result.imported:
        print(f"session {result.session_id} is already in the store; nothing imported")
    else:
        print(f"imported session {result.session_id}: {result.steps} steps, {result.frames} frames")
        if result.video:
            print("its context.mp4 was kept with it")
    return 0
