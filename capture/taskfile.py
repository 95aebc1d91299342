"""Task lists from JSON or CSV files: every row checked before anything is stored.

JSON: a list of objects (or ``{"tasks": [...]}``) with the task fields.
CSV: a header row naming task fields (``instruction`` required), one task a row.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from capture.tasks import Task, TaskError, task_problems


class TaskFileError(TaskError):
    """A task file with bad rows; ``problems`` holds one line per bad row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} bad rows")
        self.problems = problems


def read_task_file(path: Path) -> list[Task]:
    """The tasks in ``path``; TaskFileError naming every bad row, and nothing returned."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TaskError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise TaskError(f"{path} is not UTF-8 text") from None
    rows = _json_rows(path, text) if _looks_like_json(path, text) else _csv_rows(path, text)
    tasks, problems = [], []
    for label, data in rows:
        if isinstance(data, str):
            found = [data]
        else:
            found = task_problems(data) if isinstance(data, dict) else ["is not an object"]
        if found:
            problems.append(f"{path.name} {label}: {'; '.join(found)}")
            continue
        fields = {k: v.strip() if k == "instruction" else v for k, v in data.items()}
        tasks.append(Task(**{k: v for k, v in fields.items() if k not in ("id", "created_at")}))
    if problems:
        raise TaskFileError(problems)
    if not tasks:
        raise TaskError(f"{path} holds no tasks")
    return tasks


def _looks_like_json(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{")


def _json_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskError(f"{path.name} line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(data, dict) and set(data) == {"tasks"}:
        data = data["tasks"]
    if not isinstance(data, list):
        raise TaskError(f'{path.name}: expected a list of tasks (or {{"tasks": [...]}})')
    return [(f"item {n}", item) for n, item in enumerate(data, start=1)]


def _csv_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "instruction" not in reader.fieldnames:
        raise TaskError(f"{path.name}: the CSV header must name an instruction column")
    rows: list[tuple[str, Any]] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            rows.append((f"line {line}", "more cells than the header names"))
            continue
        data = {k: v for k, v in row.items() if v not in (None, "") or k == "instruction"}
        rows.append((f"line {line}", {k: (v or "") for k, v in data.items()}))
    return rows
