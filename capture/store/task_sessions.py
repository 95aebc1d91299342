"""Every session of one task: by the task's id when a session names it, by its text otherwise.

Sessions are filed under a task through ``sessions.task_id``; sessions recorded
before tasks existed only carry the instruction in ``sessions.task``. A task is
found by its id, a unique prefix of one, or its instruction text, and its
sessions are those naming its id plus those without one whose text matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

from capture.errors import DemotraceError
from capture.store.database import Database
from capture.store.models import SessionRow, TaskRow


class TaskNotFoundError(DemotraceError):
    pass


@dataclass(frozen=True)
class TaskSessions:
    instruction: str
    task_id: str | None
    session_ids: tuple[str, ...]  # oldest first


def sessions_of_task(db: Database, ref: str) -> TaskSessions:
    """The sessions of the task ``ref`` names (task id, unique id prefix, or instruction text)."""
    text = ref.strip()
    if not text:
        raise TaskNotFoundError("no task given")
    with db.session() as s:
        task = s.get(TaskRow, text)
        if task is None:
            by_prefix = list(
                s.scalars(
                    select(TaskRow).where(TaskRow.id.startswith(text.lower(), autoescape=True))
                ).all()
            )
            if len(by_prefix) > 1:
                raise TaskNotFoundError(f"task prefix {text} is ambiguous; give more characters")
            task = by_prefix[0] if by_prefix else None
        if task is None:
            by_text = list(s.scalars(select(TaskRow).where(TaskRow.instruction == text)).all())
            if len(by_text) > 1:
                names = ", ".join(t.id for t in by_text)
                raise TaskNotFoundError(
                    f"several tasks have that instruction ({names}); give an id"
                )
            task = by_text[0] if by_text else None
        instruction = task.instruction if task is not None else text
        task_id = task.id if task is not None else None
        clauses: list[ColumnElement[bool]] = [
            (SessionRow.task_id.is_(None)) & (SessionRow.task == instruction)
        ]
        if task_id is not None:
            clauses.append(SessionRow.task_id == task_id)
        ids = tuple(
            s.scalars(
                select(SessionRow.id)
                .where(or_(*clauses))
                .where(SessionRow.status != "recording")
                .order_by(SessionRow.created_at, SessionRow.id)
            )
        )
    if not ids:
        if task is None:
            raise TaskNotFoundError(f"no task or session matches {text!r}")
        raise TaskNotFoundError(f"task {task_id} has no sessions yet")
    return TaskSessions(instruction, task_id, ids)
