"""``demotrace export``: one session or many, into any registered format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.commands.common import add_db
from replay.export.registry import FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser(
        "export",
        help="write sessions as a bundle or a training dataset",
        description="Formats: " + ", ".join(sorted(FORMATS)),
    )
    exp.add_argument("session", nargs="?", help="session id or a unique prefix of one")
    exp.add_argument("--all", action="store_true", help="every session that matches the filters")
    exp.add_argument(
        "--format", required=True, metavar="F", help="one of: " + ", ".join(sorted(FORMATS))
    )
    exp.add_argument("--out", required=True, type=Path, help="output directory or file")
    exp.add_argument("--max-size", type=int, help="longest screenshot edge, in pixels")
    exp.add_argument("--force", action="store_true", help="replace a non-empty output path")
    add_db(exp)
    exp.set_defaults(handler=run)


class _Progress:
    """A progress line on stderr when it is a terminal; silent otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self._tty or total <= 0:
            return
        pct = done * 100 // total
        if pct != self._last:
            self._last = pct
            sys.stderr.write(f"\rexporting: {done}/{total} steps ({pct}%)")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from capture.errors import DemotraceError
    from capture.store.sessions import list_sessions, resolve_session
    from desktop.compose import open_store
    from replay.export.registry import ExportOptions, exporter, write_atomically
    from replay.store_source import StoreTrajectory

    if bool(args.session) == bool(args.all):
        raise DemotraceError("give one session, or --all")
    if args.max_size is not None and args.max_size < 64:
        raise DemotraceError(f"--max-size must be at least 64 pixels, not {args.max_size}")
    chosen = exporter(args.format)
    db = open_store(args.db)
    try:
        ids = [s.id for s in list_sessions(db)] if args.all else [resolve_session(db, args.session)]
        sources = [StoreTrajectory(db, sid) for sid in ids]
        if not sources:
            raise DemotraceError("no sessions to export")
        options = ExportOptions(max_size=args.max_size)
        write_atomically(
            args.out, args.force, lambda tmp: chosen.export(sources, tmp, options, _Progress())
        )
    finally:
        db.close()
    print(f"exported {len(sources)} session(s) as {args.format} to {args.out}")
    return 0
