"""``demotrace sessions`` and ``demotrace show``: what is recorded."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from desktop.commands.common import add_db, size, table

if TYPE_CHECKING:
    from capture.store.usage import StoreUsage


def describe_usage(usage: StoreUsage) -> str:
    """``1.2 GiB (database 3.1 MiB, frames 1.2 GiB), 40.0 GiB free``."""
    parts = []
    if usage.database_bytes is not None:
        parts.append(f"database {size(usage.database_bytes)}")
    if usage.frame_bytes is not None:
        parts.append(f"frames {size(usage.frame_bytes)}")
    text = f"{size(usage.total_bytes)} ({', '.join(parts)})"
    return text + (f", {size(usage.free_bytes)} free" if usage.free_bytes is not None else "")


def register(sub: argparse._SubParsersAction) -> None:
    ls = sub.add_parser("sessions", help="list recorded sessions")
    add_db(ls)
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(handler=run_sessions)

    show = sub.add_parser("show", help="summarize one session")
    show.add_argument("session", help="session id or a unique prefix of one")
    add_db(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)


def run_sessions(args: argparse.Namespace) -> int:
    from capture.store.sessions import list_sessions, short_id
    from desktop.compose import open_store

    db = open_store(args.db, readonly=True)
    sessions = list_sessions(db)
    if args.json:
        print(json.dumps([s.to_json() for s in sessions], indent=2))
        return 0
    if not sessions:
        print("no sessions")
        return 0
    rows = [("ID", "CREATED", "DURATION", "EVENTS", "FRAMES", "STATUS", "TASK")]
    for s in sessions:
        rows.append(
            (
                short_id(s.id),
                s.created_at[:19].replace("T", " "),
                f"{s.duration_s:.1f}s",
                str(s.events),
                str(s.frames),
                s.status,
                s.task,
            )
        )
    table(rows)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from capture.store.sessions import blob_store_for, resolve_session, summarize
    from capture.store.usage import store_usage
    from desktop.compose import open_store

    db = open_store(args.db, readonly=True)
    summary = summarize(db, resolve_session(db, args.session))
    usage = store_usage(db, blob_store_for(db))
    if args.json:
        print(json.dumps({**summary.to_json(), "store": asdict(usage)}, indent=2))
        return 0
    data: dict[str, Any] = summary.to_json()
    virtual = data["screen"]["virtual"]
    monitors = data["screen"]["monitors"]
    lines = [
        ("session", data["id"]),
        ("task", data["task"] or "-"),
        ("status", data["status"] + (f" ({data['stop_reason']})" if data["stop_reason"] else "")),
        ("created", data["created_at"]),
        ("duration", f"{data['duration_s']:.1f} s"),
        ("events", data["events"]),
        ("frames", f"{data['frames']} stored, {data['screen_changes']} screen changes"),
        ("markers", data["markers"]),
        ("windows", data["windows"]),
        (
            "screen",
            f"{virtual['width']}x{virtual['height']} at ({virtual['left']},{virtual['top']}), "
            f"{len(monitors)} monitor(s), scale {data['scale']:g}",
        ),
        ("double click", f"{data['double_click_ms']} ms, {data['double_click_px']} px"),
        ("frame rate", f"{data['fps']:g} fps"),
        ("platform", data["platform"]),
        ("size on disk", size(data["frame_bytes"])),
        ("store", describe_usage(usage)),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    return 0
