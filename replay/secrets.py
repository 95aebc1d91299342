"""Secrets a replay must type: never in the store or a bundle, asked for at run time.

A step typed in secret mode holds only ``SECRET_PLACEHOLDER``. To replay it,
the executor takes the text from ``DEMOTRACE_SECRET_<K>`` (K: the step's index)
or else ``DEMOTRACE_SECRET``, and else asks the person at the terminal. All
secrets of a run are resolved before the first step is sent, so a missing one
stops nothing half-way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from capture.errors import DemotraceError
from capture.privacy.secret import SECRET_PLACEHOLDER
from capture.segment import Step

SECRET_ENV = "DEMOTRACE_SECRET"


def is_secret_step(step: Step) -> bool:
    return step.action.type == "type" and step.action["text"] == SECRET_PLACEHOLDER


def env_names(step: Step) -> tuple[str, str]:
    """Where a step's secret is looked for, most specific first."""
    return f"{SECRET_ENV}_{step.index}", SECRET_ENV


class SecretsMissingError(DemotraceError):
    pass


def resolve_secrets(
    steps: Iterable[Step],
    env: Mapping[str, str],
    ask: Callable[[str], str] | None = None,
) -> dict[int, str]:
    """The text to type for every secret step, by step index."""
    found: dict[int, str] = {}
    for step in steps:
        if not is_secret_step(step):
            continue
        named, shared = env_names(step)
        if named in env:
            found[step.index] = env[named]
        elif shared in env:
            found[step.index] = env[shared]
        elif ask is not None:
            found[step.index] = ask(f"secret typed at step {step.index}: ")
        else:
            raise SecretsMissingError(
                f"step {step.index} typed a secret, which is never stored; "
                f"set {named} (or {shared}) to replay it, or run from a terminal to be asked"
            )
    return found
