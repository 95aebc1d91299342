"""Comparing the trajectories of one task: alignment, detours, verdicts, finding the task."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from capture.store.database import Database
from capture.store.models import SessionRow, TaskRow
from capture.store.reviews import add_review
from capture.store.task_sessions import TaskNotFoundError, sessions_of_task
from replay.compare import align, compare
from replay.store_source import load_summaries
from tests.stored import stored_session
from tests.unit.factories import Script


def test_alignment_of_identical_and_detouring_paths() -> None:
    assert align(list("abc"), list("abc")) == [(0, 0), (1, 1), (2, 2)]
    assert align(list("abcd"), list("axyd")) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert align(list("abd"), list("abxyd")) == [(0, 0), (1, 1), (None, 2), (None, 3), (2, 4)]
    assert align(list("abcd"), list("ad")) == [(0, 0), (1, None), (2, None), (3, 1)]
    assert align([], list("ab")) == [(None, 0), (None, 1)]
    assert align(list("ab"), []) == [(0, None), (1, None)]


def test_alignment_keeps_every_index_once_in_order() -> None:
    import random

    rng = random.Random(7)
    for _ in range(50):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        pairs = align(a, b)
        assert [i for i, _ in pairs if i is not None] == list(range(len(a)))
        assert [j for _, j in pairs if j is not None] == list(range(len(b)))


def detour() -> Script:
    """The same task with a wrong click and an Escape before typing, and no scroll or drag."""
    return (
        Script()
        .glide(0, 0, 40, 30)
        .click(40, 30)
        .wait(400)
        .click(250, 150)
        .wait(400)
        .key("Escape")
        .wait(400)
        .type("hello world")
        .wait(400)
        .hotkey("ctrl", "s")
        .wait(400)
        .key("Return")
        .wait(300)
    )


def test_compare_shows_the_detour_and_the_verdicts(db: Database) -> None:
    straight = stored_session(db, task="Save the note").id
    wandering = stored_session(db, detour(), task="Save the note").id
    stored_session(db, task="Something else")
    add_review(
        db,
        straight,
        reviewer="rita",
        verdict="accept",
        goal="achieved",
        efficiency=5,
        error_handling=4,
        note_quality=4,
    )
    add_review(db, wandering, reviewer="rita", verdict="reject", goal="partly", reason="lost")
    found = sessions_of_task(db, "Save the note")
    assert found.session_ids == (straight, wandering) or found.session_ids == (wandering, straight)
    result = compare(load_summaries(db, found.session_ids), found.instruction)
    assert result.reference == straight
    by_id = {t.session_id: t for t in result.takes}
    assert by_id[straight].parts_at is None and by_id[straight].detours == []
    off = by_id[wandering]
    assert off.parts_at == 1
    assert off.detours == [{"from": 1, "to": 2, "steps": 2, "after": 0}]
    assert off.skipped == [{"from": 2, "to": 3, "steps": 2, "after": 3}]
    assert off.matched == 4
    assert [v["verdict"] for v in off.verdicts] == ["reject"]
    assert off.stage == "rejected" and off.goal == "partly"
    assert by_id[straight].verdicts[0]["verdict"] == "accept"


def test_task_found_by_id_prefix_or_text_with_older_sessions_by_text(db: Database) -> None:
    with db.session() as s:
        s.add(
            TaskRow(
                id="t1a2b3",
                instruction="Export the report",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        s.commit()
    new = stored_session(db, task="Export the report").id
    old = stored_session(db, task="Export the report").id
    with db.session() as s:
        s.execute(update(SessionRow).where(SessionRow.id == new).values(task_id="t1a2b3"))
        s.commit()
    for ref in ("t1a2b3", "t1a", "Export the report"):
        found = sessions_of_task(db, ref)
        assert found.task_id == "t1a2b3"
        assert set(found.session_ids) == {new, old}
    with pytest.raises(TaskNotFoundError, match="no task or session matches 'nothing'"):
        sessions_of_task(db, "nothing")


def test_side_by_side_rows_put_detours_between_reference_steps(db: Database) -> None:
    from replay.compare import aligned_rows

    straight = stored_session(db, task="Save the note").id
    wandering = stored_session(db, detour(), task="Save the note").id
    add_review(
        db, straight, reviewer="r", verdict="accept", goal="achieved",
        efficiency=5, error_handling=5, note_quality=5,
    )  # fmt: skip
    result = compare(load_summaries(db, [straight, wandering]))
    assert [t.session_id for t in result.takes] == [straight, wandering]
    assert aligned_rows(result) == [
        (0, [0, 0]),
        (None, [None, 1]),
        (None, [None, 2]),
        (1, [1, 3]),
        (2, [2, None]),
        (3, [3, None]),
        (4, [4, 4]),
        (5, [5, 5]),
    ]
