"""What the commands share: the --db option, tables, sizes, actions in words."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from replay.describe import describe_action as describe_action
from replay.describe import scroll_words as scroll_words


def add_db(parser: argparse.ArgumentParser) -> None:
    """``--db`` on a subcommand, so it may come before or after the command name."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help="database URL or SQLite file path")


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
