"""Tasks in the store: saved, listed, found by id or instruction, deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from sqlalchemy import select, update

from capture.store.database import Database
from capture.store.models import SessionRow, TaskRow
from capture.tasks import TASK_FIELDS, Task, TaskError


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
