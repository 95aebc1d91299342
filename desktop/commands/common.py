"""What the commands share: the --db option, tables, sizes, actions in words."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

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
