"""Tasks: what an annotator is asked to demonstrate, and the sessions filed under each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from capture.errors import DemotraceError
from capture.store.database import Database
from capture.store.models import SessionRow, TaskRow

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


def _task(row: TaskRow) -> Task:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return Task(
        id=row.id,
        instruction=row.instruction,
        category=row.category,
        setup_notes=row.setup_notes,
        expected_outcome=row.expected_outcome,
        setup_command=row.setup_command,
        reset_command=row.reset_command,
        reasoning_mode=row.reasoning_mode,
        created_at=created,
    )


def _row(task: Task) -> TaskRow:
    fields = {n: getattr(task, n) for n in TASK_FIELDS}
    return TaskRow(id=task.id, created_at=task.created_at, **fields)


def add_tasks(db: Database, tasks: Iterable[Task]) -> None:
    """Store every task, or none of them."""
    with db.session() as s:
        s.add_all(_row(t) for t in tasks)
        s.commit()


def save_task(db: Database, task: Task) -> None:
    """Store a new task or the new fields of an existing one."""
    with db.session() as s:
        s.merge(_row(task))
        s.commit()


def list_tasks(db: Database) -> list[Task]:
    with db.session() as s:
        return [_task(r) for r in s.scalars(select(TaskRow).order_by(TaskRow.created_at))]


def get_task(db: Database, ref: str) -> Task:
    """A task by id or a unique prefix of one."""
    ref = ref.strip().lower()
    if not ref:
        raise TaskError("no task given")
    with db.session() as s:
        row = s.get(TaskRow, ref)
        if row is not None:
            return _task(row)
        rows = list(
            s.scalars(select(TaskRow).where(TaskRow.id.startswith(ref, autoescape=True)).limit(2))
        )
    if not rows:
        raise TaskError(f"no task {ref}; `demotrace tasks` lists them")
    if len(rows) > 1:
        raise TaskError(f"task prefix {ref} is ambiguous; give more characters")
    return _task(rows[0])


def task_with_instruction(db: Database, instruction: str) -> Task:
    """The task with exactly this instruction, created when there is none."""
    text = instruction.strip()
    with db.session() as s:
        row = s.scalars(
            select(TaskRow).where(TaskRow.instruction == text).order_by(TaskRow.created_at)
        ).first()
        if row is not None:
            return _task(row)
    task = Task(instruction=text)
    add_tasks(db, [task])
    return task


def delete_task(db: Database, task_id: str) -> None:
    """Remove a task; its sessions stay, filed under no task."""
    with db.session() as s:
        s.execute(update(SessionRow).where(SessionRow.task_id == task_id).values(task_id=None))
        row = s.get(TaskRow, task_id)
        if row is not None:
            s.delete(row)
        s.commit()
