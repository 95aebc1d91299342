"""Tasks: what an annotator is asked to demonstrate, and how each take of it starts.

The domain object and its rules; ``capture.store.tasks`` keeps them in the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from capture.errors import DemotraceError

# What kind of data a task is meant to produce (see "The data kinds" in the design).
CATEGORIES = ("demonstration", "trajectory", "error_recovery", "feedback")
CATEGORY_NAMES = {
    "demonstration": "tool-use demonstration",
    "trajectory": "full trajectory",
    "error_recovery": "error recovery",
    "feedback": "feedback labelling",
}
# How the person gives their reasoning at decision points.
REASONING_MODES = ("live", "after", "think_aloud")
DEFAULT_REASONING_MODE = "after"
TASK_FIELDS = (
    "instruction",
    "category",
    "setup_notes",
    "expected_outcome",
    "setup_command",
    "reset_command",
    "reasoning_mode",
)


class TaskError(DemotraceError):
    """A task that is missing, ambiguous or not well formed."""


def new_task_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Task:
    instruction: str
    category: str = "trajectory"
    setup_notes: str = ""
    expected_outcome: str = ""
    setup_command: str = ""
    reset_command: str = ""
    reasoning_mode: str = DEFAULT_REASONING_MODE
    id: str = field(default_factory=new_task_id)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        for problem in task_problems(asdict(self)):
            raise TaskError(problem)

    def evolve(self, **changes: Any) -> Task:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in TASK_FIELDS}
        return {"id": self.id, **out, "created_at": self.created_at.isoformat()}


def task_problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``data`` as a task's fields, one phrase each; [] when it is fine."""
    problems = []
    unknown = sorted(set(data) - set(TASK_FIELDS) - {"id", "created_at"})
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(TASK_FIELDS)}")
    for name in TASK_FIELDS:
        if name in data and not isinstance(data[name], str):
            problems.append(f"{name} must be text, not {data[name]!r}")
    instruction = data.get("instruction")
    if not isinstance(instruction, str) or not instruction.strip():
        problems.append("instruction is empty")
    category = data.get("category", "trajectory")
    if isinstance(category, str) and category not in CATEGORIES:
        problems.append(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    mode = data.get("reasoning_mode", DEFAULT_REASONING_MODE)
    if isinstance(mode, str) and mode not in REASONING_MODES:
        problems.append(f"reasoning_mode {mode!r} is not one of {', '.join(REASONING_MODES)}")
    return problems
