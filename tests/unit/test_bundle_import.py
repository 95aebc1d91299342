"""``export --format bundle`` and ``import``: a stored session out and back in, nothing lost."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from capture.segment import Step
from capture.store.database import Database, open_database, sqlite_url
from capture.store.models import ReviewCommentRow, ReviewRow, SessionRow, StepEditRow, TaskRow
from capture.store.steps import resegment
from desktop.cli import main
from replay.bundle import open_bundle
from replay.bundle.importing import import_bundle
from replay.store_source import StoreTrajectory
from tests.stored import RULES, stored_session, with_history
from tests.unit.test_bundle import FIXTURE_V1


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("name", ["out", "out.zip"])
def test_export_then_import_keeps_everything(
    db: Database, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = stored_session(db)
    out = tmp_path / name
    url = sqlite_url(tmp_path / "store.db")
    assert main(["export", stored.id, "--format", "bundle", "--out", str(out), "--db", url]) == 0
    assert out.is_file() == name.endswith(".zip")

    other_url = sqlite_url(tmp_path / "other.db")
    assert main(["import", str(out), "--db", other_url]) == 0
    assert (
        f"imported session {stored.id}: 6 steps, {stored.frames} frames" in capsys.readouterr().out
    )

    other = open_database(other_url)
    try:
        original = StoreTrajectory(db, stored.id)
        copy = StoreTrajectory(other, stored.id)
        for f in dataclasses.fields(original.trajectory):
            expected = getattr(original.trajectory, f.name)
            if f.name == "origin":
                expected = "imported"
            assert getattr(copy.trajectory, f.name) == expected, f.name
        assert list(copy.events()) == list(original.events())
        for digest in original.trajectory.frames:
            assert np.array_equal(copy.frames.rgb(digest), original.frames.rgb(digest))
    finally:
        other.close()


def test_importing_twice_does_not_duplicate(
    tmp_path: Path, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    first = import_bundle(db, FIXTURE_V1)
    second = import_bundle(db, FIXTURE_V1)
    assert first.imported and not second.imported
    assert count(db, SessionRow) == 1
    assert count(db, ReviewRow) == 1
    url = sqlite_url(tmp_path / "store.db")
    assert main(["import", str(FIXTURE_V1), "--db", url]) == 0
    assert "already in the store; nothing imported" in capsys.readouterr().out


def test_import_keeps_reviews_task_and_annotation(db: Database) -> None:
    import_bundle(db, FIXTURE_V1)
    with open_bundle(FIXTURE_V1) as bundle:
        expected = bundle.trajectory
    got = StoreTrajectory(db, expected.session_id).trajectory
    assert got.steps == expected.steps
    assert got.task == expected.task
    assert got.frames == expected.frames
    assert got.extra == expected.extra == {"source": "fixture"}  # other tools' data, kept
    with db.session() as s:
        review = s.scalars(select(ReviewRow)).one()
        assert (review.reviewer, review.verdict, review.goal) == ("rita", "accept", "achieved")
        assert (review.efficiency, review.error_handling, review.note_quality) == (4, 5, 4)
        assert review.redundant_steps == [4]
        comments = s.scalars(select(ReviewCommentRow).order_by(ReviewCommentRow.id)).all()
        assert [(c.step_index, c.text, c.resolved) for c in comments] == [
            (1, "nice recovery", False),
            (None, "good overall", True),
        ]
        assert s.get(TaskRow, "task0001") is not None
        assert s.get(SessionRow, expected.session_id).origin == "imported"  # type: ignore[union-attr]


def test_a_bad_bundle_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURE_V1, bundle)
    doc = json.loads((bundle / "trajectory.json").read_text())
    last = doc["frames"][-1]["hash"]
    other = doc["frames"][0]["hash"]
    # The last frame's file holds another frame's pixels: found only when decoded.
    shutil.copy(bundle / "frames" / f"{other}.png", bundle / "frames" / f"{last}.png")
    url = sqlite_url(tmp_path / "store.db")
    assert main(["import", str(bundle), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("demotrace: error: ")
    assert "hash mismatch" in err
    db = open_database(url)
    try:
        assert count(db, SessionRow) == 0
    finally:
        db.close()
    frames_dir = tmp_path / "store.frames"
    assert not frames_dir.exists() or not any(p.is_file() for p in frames_dir.rglob("*"))


def test_export_refuses_max_size(db: Database, tmp_path: Path) -> None:
    stored = stored_session(db)
    url = sqlite_url(tmp_path / "store.db")
    args = ["export", stored.id, "--format", "bundle", "--out", str(tmp_path / "o"), "--db", url]
    assert main([*args, "--max-size", "300"]) == 2
    assert not (tmp_path / "o").exists()


def test_export_of_several_sessions_makes_a_bundle_each(db: Database, tmp_path: Path) -> None:
    a, b = stored_session(db), stored_session(db)
    url = sqlite_url(tmp_path / "store.db")
    assert (
        main(["export", "--all", "--format", "bundle", "--out", str(tmp_path / "o"), "--db", url])
        == 0
    )
    for sid in (a.id, b.id):
        with open_bundle(tmp_path / "o" / sid) as bundle:
            assert bundle.trajectory.session_id == sid


def _documents(bundle: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with open_bundle(bundle) as b:
        b.check()
    doc = json.loads((bundle / "trajectory.json").read_text())
    events = [json.loads(line) for line in (bundle / "events.jsonl").read_text().splitlines()]
    return doc, events


def test_export_import_export_keeps_history_rules_and_targets(db: Database, tmp_path: Path) -> None:
    """A round trip through another store gives the same trajectory.json (but for where the
    session came from) and the same events.jsonl, edit trail, rules and targets included."""
    stored = stored_session(db)
    with_history(db, stored.id)
    url = sqlite_url(tmp_path / "store.db")
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["export", stored.id, "--format", "bundle", "--out", str(first), "--db", url]) == 0
    other_url = sqlite_url(tmp_path / "other.db")
    assert main(["import", str(first), "--db", other_url]) == 0
    args = ["export", stored.id, "--format", "bundle", "--out", str(second), "--db", other_url]
    assert main(args) == 0

    doc, events = _documents(first)
    doc_again, events_again = _documents(second)
    assert doc["rules"] == RULES and len(doc["edits"]) == 2
    assert sum(e["window"] is not None for e in events) > 5
    assert doc_again.pop("origin") == "imported"
    doc.pop("origin")
    assert doc_again == doc
    assert events_again == events

    other = open_database(other_url)
    try:
        with other.session() as s:
            edits = s.scalars(select(StepEditRow).order_by(StepEditRow.seq)).all()
            assert [(e.seq, e.who, e.op) for e in edits] == [
                (0, "ann", "relabel"),
                (1, "rita", "relabel"),
            ]
            assert s.get(SessionRow, stored.id).rules == RULES  # type: ignore[union-attr]

        # Segmenting the imported copy again replays its edit trail under its rules: the
        # annotation survives (frame ids differ from store to store).
        def seen(steps: list[Any]) -> list[tuple[Any, ...]]:
            return [(s.action, s.note, s.tags, s.window, s.element, s.t_start) for s in steps]

        expected = seen(list(StoreTrajectory(db, stored.id).trajectory.steps))
        assert seen(resegment(other, stored.id)) == expected
    finally:
        other.close()


def test_a_version_1_bundle_imports_without_history(db: Database) -> None:
    """No trail, rules or targets; its steps, which segmenting would not give back with
    their notes, become the baseline later edits start from."""
    import_bundle(db, FIXTURE_V1)
    got = StoreTrajectory(db, "0123456789abcdef0123456789abcdef").trajectory
    assert (got.rules, got.targets, got.markers, got.windows) == (None, {}, (), ())
    assert [(e.who, e.op) for e in got.edits] == [("import", "baseline")]
    with open_bundle(FIXTURE_V1) as bundle:
        assert [Step.from_json(s) for s in got.edits[0].args["steps"]] == list(got.steps)
        assert got.steps == bundle.trajectory.steps
