"""Store-wide counts: categories, outcomes, faults recovered, mistakes by error type."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from capture.store.database import Database
from capture.store.models import ReviewRow, SessionRow, StepRow, TaskRow
from capture.store.stats import StepOutcome, collect_stats, trajectory_outcome
from capture.store.steps import current_steps
from tests.stored import stored_session

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_trajectory_outcome_prefers_the_review_then_the_last_label() -> None:
    steps = [StepOutcome("success", None), StepOutcome("unknown", "failure")]
    assert trajectory_outcome("achieved", steps) == "success"
    assert trajectory_outcome("not", steps) == "failure"
    assert trajectory_outcome(None, steps) == "failure"  # the suggestion stands in
    assert trajectory_outcome(None, [StepOutcome("partial", "success")]) == "partial"
    assert trajectory_outcome(None, []) == "unknown"


def _set_step(db: Database, sid: str, index: int, **values: object) -> None:
    with db.session() as s:
        s.execute(
            update(StepRow)
            .where(StepRow.session_id == sid, StepRow.index == index)
            .values(**values)
        )
        s.commit()


def test_counts_over_the_store(db: Database) -> None:
    plain = stored_session(db).id
    filed = stored_session(db).id
    injected = [stored_session(db).id for _ in range(3)]
    for sid in (plain, *injected):
        current_steps(db, sid)  # the first read suggests outcomes; ``filed`` is never read
    # ``filed`` will be suggested by the stats themselves: its outcome hangs on it.
    with db.session() as s:
        s.add(TaskRow(id="t1", instruction="Fill the form", category="forms", created_at=NOW))
        s.execute(update(SessionRow).where(SessionRow.id == filed).values(task_id="t1"))
        for sid, kind in zip(injected, ("typo", "typo", "dialog"), strict=True):
            s.execute(
                update(SessionRow)
                .where(SessionRow.id == sid)
                .values(origin="injected", source_session_id=plain, fault={"kind": kind, "at": 1})
            )
        # The first typo: a reviewer says the goal was reached.
        s.add(
            ReviewRow(
                session_id=injected[0],
                reviewer="r",
                created_at=NOW,
                verdict="accept",
                goal="achieved",
            )
        )
        s.commit()
    n = 6  # steps of the stored demo session
    # The dialog session: its last step labelled a failure by the person.
    _set_step(db, injected[2], n - 1, outcome="failure")
    # The second typo: the last step labelled success, so recovered without a review.
    _set_step(db, injected[1], n - 1, outcome="success")
    _set_step(db, plain, 1, tags=["mistake"], error_type="wrong_input")
    _set_step(db, plain, 2, tags=["mistake", "redundant"], error_type=None)
    _set_step(db, filed, 0, tags=["mistake"], error_type="wrong_input")

    stats = collect_stats(db)
    assert stats.trajectories == 5
    assert stats.by_category == {"forms": 1, "uncategorised": 4}
    assert stats.faults == {
        "dialog": {"injected": 1, "recovered": 0},
        "typo": {"injected": 2, "recovered": 2},
    }
    assert stats.mistakes == {"unspecified": 1, "wrong_input": 2}
    assert sum(stats.step_outcomes.values()) == 5 * n
    assert stats.step_outcomes["failure"] == 1 and stats.step_outcomes["success"] == 1
    assert sum(stats.step_outcomes_suggested.values()) == 5 * n
    assert "pending" not in stats.step_outcomes_suggested
    # Plain, filed and the two typos end in success (suggested or labelled); the dialog failed.
    assert stats.trajectory_outcomes == {"success": 4, "partial": 0, "failure": 1, "unknown": 0}
    assert stats.to_json()["faults"]["typo"]["recovered"] == 2


def test_stats_command_prints_json_and_a_table(db: Database, capsys: object) -> None:
    import json

    import pytest

    from desktop.cli import main

    assert isinstance(capsys, pytest.CaptureFixture)
    stored_session(db)
    url = str(db.url)
    assert main(["stats", "--db", url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["trajectories"] == 1
    assert data["by_category"] == {"uncategorised": 1}
    assert data["faults"] == {} and data["mistakes"] == {}
    assert main(["--db", url, "stats"]) == 0
    out = capsys.readouterr().out
    assert "trajectories: 1" in out and "faults injected:\n  none" in out


def test_steps_not_yet_suggested_count_as_pending(db: Database) -> None:
    sid = stored_session(db).id
    # A reviewed trajectory's outcome does not hang on a suggestion: none is computed.
    with db.session() as s:
        s.add(ReviewRow(session_id=sid, reviewer="r", created_at=NOW, verdict="accept", goal="not"))
        s.commit()
    stats = collect_stats(db)
    assert stats.step_outcomes_suggested["pending"] == 6
    assert stats.trajectory_outcomes["failure"] == 1
