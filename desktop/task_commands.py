"""A task's setup and reset commands: run before and after a recording of it."""

from __future__ import annotations

import subprocess

from capture.errors import DemotraceError

TASK_COMMAND_TIMEOUT_S = 120


class TaskCommandError(DemotraceError):
    pass


def run_task_command(which: str, command: str, timeout_s: float = TASK_COMMAND_TIMEOUT_S) -> None:
    """Run ``command`` through the shell; a failure is one line naming it."""
    try:
        done = subprocess.run(command, shell=True, timeout=timeout_s, capture_output=True)
    except subprocess.TimeoutExpired:
        raise TaskCommandError(
            f"the task's {which} command did not finish in {timeout_s:g} s: {command}"
        ) from None
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()
        why = f": {tail[-1]}" if tail else ""
        raise TaskCommandError(
            f"the task's {which} command failed (exit {done.returncode}){why}: {command}"
        )
