"""The ``demotrace`` command. Bare ``demotrace`` opens the desktop app."""

from __future__ import annotations

import argparse
import os
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


def _app_only(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether ``argv`` just opens the app (at most ``--db``), and the --db given.

    Then the subcommands' parsers (and what their help texts import) are not
    built: the app's first window comes that much sooner.
    """
    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--db")
    known, rest = quick.parse_known_args(argv)
    return not rest, known.db


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    app_only, db = _app_only(argv)
    try:
        if app_only:
            from desktop.app import run_app

            return run_app(db)
        args = _parser().parse_args(argv)
        if args.command is None:
            from desktop.app import run_app

            return run_app(args.db)
        return int(args.handler(args))
    except DemotraceError as exc:
        print(f"demotrace: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``demotrace sessions | head``): stop quietly, as cat does.
        # Point stdout at /dev/null so flushing it at exit cannot fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
