"""``demotrace export``: choosing sessions, and every error a user can cause as one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from capture.store.database import Database, sqlite_url
from capture.store.models import ReviewRow, SessionRow
from capture.store.sessions import frames_dir
from desktop.cli import main
from tests.stored import stored_session
from tests.unit.factories import Script


def _url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "store.db")  # the db fixture's file


def _run(tmp_path: Path, *args: str) -> int:
    return main(["export", *args, "--db", _url(tmp_path)])


def _exported(out: Path) -> list[str]:
    lines = (out / "trajectories.jsonl").read_text().splitlines()
    return [json.loads(line)["session_id"] for line in lines]


def _review(db: Database, sid: str, verdict: str, minute: int = 0) -> None:
    with db.session() as s:
        s.add(
            ReviewRow(
                session_id=sid,
                reviewer="rita",
                created_at=datetime(2026, 1, 5, 0, minute, tzinfo=UTC),
                verdict=verdict,
                redundant_steps=[],
            )
        )
        s.commit()


def _set(db: Database, sid: str, **values: object) -> None:
    with db.session() as s:
        s.execute(update(SessionRow).where(SessionRow.id == sid).values(**values))
        s.commit()


def test_one_session_exports_and_says_where(db: Database, tmp_path: Path, capsys) -> None:
    sid = stored_session(db).id
    out = tmp_path / "out"
    assert _run(tmp_path, sid[:8], "--format", "agentnet", "--out", str(out)) == 0
    assert _exported(out) == [sid]
    assert f"exported 1 session(s) as agentnet to {out}" in capsys.readouterr().out


def test_all_takes_accepted_sessions_once_reviews_exist(db: Database, tmp_path: Path) -> None:
    a, b, c = (stored_session(db).id for _ in range(3))
    assert _run(tmp_path, "--all", "--format", "agentnet", "--out", str(tmp_path / "o1")) == 0
    assert sorted(_exported(tmp_path / "o1")) == sorted([a, b, c])  # no reviews: every one
    _review(db, a, "accept")
    _review(db, b, "reject")
    _review(db, b, "accept", minute=5)  # the latest verdict counts
    _review(db, c, "needs_changes")
    assert _run(tmp_path, "--all", "--format", "agentnet", "--out", str(tmp_path / "o2")) == 0
    assert sorted(_exported(tmp_path / "o2")) == sorted([a, b])
    args = ["--all", "--verdict", "needs_changes", "--format", "agentnet"]
    assert _run(tmp_path, *args, "--out", str(tmp_path / "o3")) == 0
    assert _exported(tmp_path / "o3") == [c]
    args = ["--all", "--verdict", "any", "--format", "agentnet"]
    assert _run(tmp_path, *args, "--out", str(tmp_path / "o4")) == 0
    assert len(_exported(tmp_path / "o4")) == 3


def test_all_filters_by_task_annotator_and_dates(db: Database, tmp_path: Path) -> None:
    a = stored_session(db, task="Save the letter").id
    b = stored_session(db, task="Fill in the form").id
    _set(db, b, username="bob", created_at=datetime(2026, 3, 1, 12, tzinfo=UTC))

    def pick(*args: str) -> list[str]:
        out = tmp_path / f"o{len(list(tmp_path.iterdir()))}"
        assert _run(tmp_path, "--all", *args, "--format", "agentnet", "--out", str(out)) == 0
        return _exported(out)

    assert pick("--task", "save the letter") == [a]
    assert pick("--annotator", "bob") == [b]
    assert pick("--since", "2026-02-01") == [b]
    assert pick("--until", "2026-01-02") == [a]  # a date includes its whole day
    assert pick("--since", "2026-01-01", "--until", "2026-03-01") == [a, b]


def _fails(tmp_path: Path, capsys, *args: str) -> str:
    assert _run(tmp_path, *args) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("demotrace: error: ")
    return err


def test_errors_are_one_line_and_leave_nothing(db: Database, tmp_path: Path, capsys) -> None:
    sid = stored_session(db).id
    out = tmp_path / "out"
    err = _fails(tmp_path, capsys, sid, "--format", "parquet", "--out", str(out))
    assert "unknown format 'parquet'" in err and "agentnet" in err and "webdataset" in err

    out.mkdir()
    (out / "keep.txt").write_text("mine")
    err = _fails(tmp_path, capsys, sid, "--format", "hf", "--out", str(out))
    assert "exists and is not empty" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]

    empty = stored_session(db, script=Script().move(10, 10).move(20, 20).wait(100)).id
    err = _fails(tmp_path, capsys, empty, "--format", "hf", "--out", str(tmp_path / "e"))
    assert f"session {empty} has no steps" in err
    assert not (tmp_path / "e").exists()


@pytest.mark.parametrize("fmt", ["hf", "anthropic", "markdown"])
def test_an_unreadable_frame_fails_the_export_cleanly(
    db: Database, tmp_path: Path, capsys, fmt: str
) -> None:
    sid = stored_session(db).id
    blobs = sorted(p for p in frames_dir(tmp_path / "store.db").rglob("*") if p.is_file())
    blobs[-1].write_bytes(b"not a frame")
    before = sorted(p.name for p in tmp_path.iterdir())
    err = _fails(tmp_path, capsys, sid, "--format", fmt, "--out", str(tmp_path / "out"))
    assert f"of session {sid} cannot be read" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no staging left
