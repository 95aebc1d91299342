"""Tasks in the store, and task files: every row checked, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from capture.store.database import Database
from capture.store.tasks import (
    add_tasks,
    delete_task,
    get_task,
    list_tasks,
    save_task,
    task_with_instruction,
)
from capture.taskfile import TaskFileError, read_task_file
from capture.tasks import Task, TaskError


def test_tasks_are_stored_listed_and_found_by_prefix(db: Database) -> None:
    a = Task("Export the Q3 report as PDF", category="demonstration", reasoning_mode="live")
    b = Task("Rename the folder", setup_command="mkdir -p /tmp/x")
    add_tasks(db, [a, b])
    assert [t.instruction for t in list_tasks(db)] == [a.instruction, b.instruction]
    assert get_task(db, a.id[:6]) == a
    save_task(db, a.evolve(expected_outcome="a PDF on the desktop"))
    assert get_task(db, a.id).expected_outcome == "a PDF on the desktop"
    delete_task(db, b.id)
    with pytest.raises(TaskError, match="no task"):
        get_task(db, b.id)


def test_a_task_with_a_bad_field_cannot_be_made() -> None:
    with pytest.raises(TaskError, match="instruction is empty"):
        Task("  ")
    with pytest.raises(TaskError, match="category 'video'"):
        Task("x", category="video")
    with pytest.raises(TaskError, match="reasoning_mode"):
        Task("x", reasoning_mode="later")


def test_the_same_instruction_finds_the_same_task(db: Database) -> None:
    first = task_with_instruction(db, "Open the settings ")
    again = task_with_instruction(db, "Open the settings")
    assert first.id == again.id and first.instruction == "Open the settings"
    assert len(list_tasks(db)) == 1


def test_json_task_file(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    path.write_text(
        '{"tasks": [{"instruction": "A", "category": "feedback"}, {"instruction": "B"}]}'
    )
    tasks = read_task_file(path)
    assert [(t.instruction, t.category) for t in tasks] == [
        ("A", "feedback"),
        ("B", "trajectory"),
    ]


def test_csv_task_file_names_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    path.write_text(
        "instruction,category,reasoning_mode\n"
        "Good one,trajectory,live\n"
        ",trajectory,live\n"
        "Bad mode,trajectory,sometimes\n"
        "Too many,trajectory,live,extra\n"
    )
    with pytest.raises(TaskFileError) as err:
        read_task_file(path)
    assert err.value.problems == [
        "tasks.csv line 3: instruction is empty",
        "tasks.csv line 4: reasoning_mode 'sometimes' is not one of live, after, think_aloud",
        "tasks.csv line 5: more cells than the header names",
    ]


def test_task_file_that_is_not_json_or_has_no_instruction_column(tmp_path: Path) -> None:
    broken = tmp_path / "t.json"
    broken.write_text('[{"instruction": "A"},')
    with pytest.raises(TaskError, match=r"t\.json line 1: not valid JSON"):
        read_task_file(broken)
    headless = tmp_path / "t.csv"
    headless.write_text("title\nA\n")
    with pytest.raises(TaskError, match="must name an instruction column"):
        read_task_file(headless)
