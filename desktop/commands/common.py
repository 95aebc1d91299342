"""What the commands share: the --db option, tables, sizes, actions in words."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any


def add_db(parser: argparse.ArgumentParser) -> None:
    """``--db`` on a subcommand, so it may come before or after the command name."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help="database URL or SQLite file path")


def describe_action(action: dict[str, Any]) -> str:
    """One short line for a step's action, as a person would say it."""
    kind = action["type"]
    mods = "+".join(action.get("modifiers", []))
    prefix = f"{mods}+" if mods else ""
    if kind in ("click", "double_click", "triple_click"):
        return f"{prefix}{action['button']} at ({action['x']}, {action['y']})"
    if kind == "drag":
        (x0, y0), (x1, y1) = action["path"][0], action["path"][-1]
        return f"{prefix}{action['button']} ({x0}, {y0}) -> ({x1}, {y1})"
    if kind == "scroll":
        return f"{scroll_words(action['dx'], action['dy'])} at ({action['x']}, {action['y']})"
    if kind == "type":
        return json.dumps(action["text"], ensure_ascii=False)
    if kind == "key":
        repeat = action.get("repeat", 1)
        return "+".join(action["keys"]) + (f" x{repeat}" if repeat and repeat > 1 else "")
    if kind == "hotkey":
        return "+".join(action["keys"])
    if kind == "move":
        return f"to ({action['x']}, {action['y']})"
    if kind == "wait":
        return f"{action['seconds']:.1f}s"
    return ""


def scroll_words(dx: int, dy: int) -> str:
    """Wheel notches as a person says them: dy > 0 is down, dx > 0 is right."""
    parts = [f"{abs(dy)} {'down' if dy > 0 else 'up'}"] if dy else []
    if dx:
        parts.append(f"{abs(dx)} {'right' if dx > 0 else 'left'}")
    return ", ".join(parts) or "no movement"


def size(n: int | None) -> str:
    from capture.store.usage import format_size

    return format_size(n)


def table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def progress_line(label: str) -> Callable[[int, int], None]:
    """``progress(done, total)`` drawing one line on stderr when it is a terminal."""
    tty = sys.stderr.isatty()
    last = [-1]

    def progress(done: int, total: int) -> None:
        if not tty or total <= 0:
            return
        pct = done * 100 // total
        if pct != last[0]:
            last[0] = pct
            sys.stderr.write(f"\r{label}: {done}/{total} ({pct}%)")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return progress
