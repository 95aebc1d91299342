"""The ``demotrace`` command. Bare ``demotrace`` opens the desktop app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from capture.errors import DemotraceError
from capture.version import app_version


def _parser() -> argparse.ArgumentParser:
    from desktop.commands import command_modules

    parser = argparse.ArgumentParser(
        prog="demotrace",
        description="Record, annotate, review and export computer-use demonstrations.",
    )
    parser.add_argument(
        "--db",
        help="database URL or SQLite file path (default: $DEMOTRACE_DB or the user data dir)",
    )
    parser.add_argument("--version", action="version", version=f"demotrace {app_version()}")
    sub = parser.add_subparsers(dest="command")
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from desktop.app import run_app

            return run_app(args.db)
        return int(args.handler(args))
    except DemotraceError as exc:
        print(f"demotrace: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
