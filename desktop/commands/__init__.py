"""The subcommands of ``demotrace``, one module each; each has ``register(subparsers)``.

A module's ``register`` adds its parser(s) with ``set_defaults(handler=...)``;
the handler takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

from types import ModuleType


def command_modules() -> list[ModuleType]:
    from desktop.commands import (
        annotate,
        compare,
        edit,
        export,
        importing,
        inject,
        record,
        redact,
        replay,
        review,
        sessions,
        stats,
        steps,
        submit,
        tasks,
        view,
    )

    annotator = [tasks, annotate, edit, submit]
    return [
        record,
        sessions,
        steps,
        *annotator,
        export,
        redact,
        importing,
        replay,
        review,
        compare,
        view,
        inject,
        stats,
    ]
