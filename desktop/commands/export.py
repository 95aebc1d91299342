"""``demotrace export``: one session or many, into any registered format."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from capture.errors import DemotraceError
from capture.store.selection import ANY_VERDICT, DEFAULT_VERDICT, VERDICTS, Selection
from desktop.commands.common import add_db
from replay.export.registry import FORMATS, Progress

if TYPE_CHECKING:
    from capture.store.database import Database

# Smaller screenshots than this are no use to any format.
MIN_MAX_SIZE = 64


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
    exp.add_argument(
        "--video",
        action="store_true",
        help="bundles: add context.mp4, every kept frame at its time, as H.264",
    )
    picks = exp.add_argument_group("filters for --all")
    picks.add_argument("--task", help="a task id (or prefix) or its instruction")
    picks.add_argument(
        "--verdict",
        choices=(*VERDICTS, ANY_VERDICT),
        help=f"latest review verdict (default: {DEFAULT_VERDICT} once any review exists, "
        f"else {ANY_VERDICT})",
    )
    picks.add_argument("--annotator", help="who recorded the session")
    picks.add_argument(
        "--since", type=parse_since, help="recorded on or after (YYYY-MM-DD or ISO time)"
    )
    picks.add_argument("--until", type=parse_until, help="recorded up to (a date includes its day)")
    add_db(exp)
    exp.set_defaults(handler=run)


def _parse(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_since(text: str) -> datetime:
    return _parse(text)


def parse_until(text: str) -> datetime:
    when = _parse(text)
    return when + timedelta(days=1) if len(text.strip()) == 10 else when


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


@dataclass(frozen=True)
class ExportRequest:
    """One export as the CLI and the export dialog describe it."""

    format: str
    out: Path
    session: str | None = None  # an id or prefix; None takes every session ``selection`` matches
    selection: Selection = field(default_factory=Selection)
    max_size: int | None = None
    force: bool = False
    video: bool = False  # bundles: add context.mp4


def export_sessions(db: Database, request: ExportRequest, progress: Progress) -> int:
    """Write the sessions ``request`` names; the number exported. Errors are DemotraceError."""
    from capture.store.selection import select_sessions
    from capture.store.sessions import resolve_session
    from replay.export.registry import ExportOptions, exporter, write_atomically
    from replay.store_source import StoreTrajectory

    if request.max_size is not None and request.max_size < MIN_MAX_SIZE:
        raise DemotraceError(
            f"--max-size must be at least {MIN_MAX_SIZE} pixels, not {request.max_size}"
        )
    if request.video and request.format != "bundle":
        raise DemotraceError("--video applies to --format bundle only")
    chosen = exporter(request.format)
    if request.session:
        ids = [resolve_session(db, request.session)]
    else:
        ids = select_sessions(db, request.selection)
    sources = [StoreTrajectory(db, sid) for sid in ids]
    if not request.session:
        empty = [s for s in sources if not s.trajectory.steps]
        if empty:
            print(f"demotrace: skipping {len(empty)} session(s) with no steps", file=sys.stderr)
        sources = [s for s in sources if s.trajectory.steps]
    if not sources:
        raise DemotraceError("no sessions match; nothing to export")
    options = ExportOptions(max_size=request.max_size, video=request.video)
    write_atomically(
        request.out, request.force, lambda tmp: chosen.export(sources, tmp, options, progress)
    )
    return len(sources)


def run(args: argparse.Namespace) -> int:
    from desktop.compose import open_store

    filters = (args.task, args.verdict, args.annotator, args.since, args.until)
    if bool(args.session) == bool(args.all):
        raise DemotraceError("give one session, or --all")
    if args.session and any(f is not None for f in filters):
        raise DemotraceError("--task, --verdict, --annotator, --since and --until go with --all")
    request = ExportRequest(
        format=args.format,
        out=args.out,
        session=args.session,
        selection=Selection(*filters),
        max_size=args.max_size,
        force=args.force,
        video=args.video,
    )
    from replay.export.registry import exporter

    exporter(args.format)  # an unknown format fails before the store is opened
    db = open_store(args.db, readonly=True)
    try:
        count = export_sessions(db, request, _Progress())
    finally:
        db.close()
    print(f"exported {count} session(s) as {args.format} to {args.out}")
    return 0
