"""The subcommands of ``demotrace``, one module each; each has ``register(subparsers)``.

A module's ``register`` adds its parser(s) with ``set_defaults(handler=...)``;
the handler takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

from types import ModuleType


def command_modules() -> list[ModuleType]:
    from desktop.commands import (
        annotate,
        edit,
        export,
        importing,
        record,
        redact,
        replay,
        sessions,
        steps,
        submit,
        tasks,
    )

    return [
        record,
        sessions,
        steps,
        tasks,
        annotate,
        edit,
        submit,
        export,
        redact,
        importing,
        replay,
    ]
