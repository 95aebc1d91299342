"""Sessions whose recorder died are found, marked interrupted and their steps rebuilt."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from factories import Script, session_row

from capture.errors import SessionBusyError
from capture.segment import segment
from capture.store.database import Database, open_database, sqlite_url
from capture.store.lease import LEASE_TIMEOUT, claim, holder_gone, new_owner, process_alive
from capture.store.models import SessionRow
from capture.store.sessions import list_sessions, resolve_session, summarize
from capture.store.steps import add_steps, current_steps, stored_steps

FOUR = ["click", "type", "key", "click"]


def demo() -> Script:
    return Script().click(10, 10).wait(800).type("hello").key("Return").wait(800).click(200, 100)


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def here(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:abcdef"


def killed(
    db: Database, owner: str, heartbeat: datetime | None = None, session_id: str = "s1"
) -> str:
    """A recording whose recorder stored only its first live step, then vanished."""
    script = demo()
    sid = session_row(
        db,
        script,
        session_id,
        status="recording",
        lease_owner=owner,
        lease_heartbeat=heartbeat or datetime.now(UTC),
    )
    with db.session() as s:
        add_steps(s, sid, segment(script.events)[:1])
        s.commit()
    return sid


def status(db: Database, sid: str) -> tuple[str, str, str | None]:
    with db.session() as s:
        found = s.get(SessionRow, sid)
        assert found is not None
        return found.status, found.stop_reason, found.lease_owner


def types(steps: list) -> list[str]:  # type: ignore[type-arg]
    return [s.action.type for s in steps]


def test_a_dead_process_on_this_host_is_found_at_once() -> None:
    now = datetime.now(UTC)
    gone = holder_gone(here(dead_pid()), now, now)
    assert gone is not None and "is gone" in gone
    assert holder_gone(here(os.getpid()), now, now) is None
    assert not process_alive(dead_pid())
    assert process_alive(os.getpid())


def test_a_silent_lease_expires_and_a_fresh_one_on_another_host_holds() -> None:
    now = datetime.now(UTC)
    assert holder_gone("elsewhere:1:abc", now - timedelta(seconds=1), now) is None
    stale = holder_gone("elsewhere:1:abc", now - LEASE_TIMEOUT, now)
    assert stale is not None and "no word" in stale


def test_listing_recovers_a_session_whose_recorder_was_killed(db: Database) -> None:
    sid = killed(db, here(dead_pid()))
    assert types(stored_steps(db, sid)) == ["click"]  # what the live segmenter got to

    [summary] = list_sessions(db)

    assert summary.status == "interrupted"
    state, reason, owner = status(db, sid)
    assert state == "interrupted" and "is gone" in reason and owner is None
    assert types(stored_steps(db, sid)) == FOUR  # rebuilt from the raw events


def test_looking_a_session_up_recovers_it(db: Database) -> None:
    sid = killed(db, "elsewhere:1:abc", datetime.now(UTC) - LEASE_TIMEOUT * 2)
    assert resolve_session(db, sid[:1]) == sid
    assert status(db, sid)[0] == "interrupted"
    assert types(current_steps(db, sid)) == FOUR


def test_a_live_recording_is_left_alone(db: Database) -> None:
    sid = killed(db, new_owner())  # this process: alive, and its heartbeat is fresh
    assert list_sessions(db)[0].status == "recording"
    assert status(db, sid)[0] == "recording"
    assert types(stored_steps(db, sid)) == ["click"]


def test_a_store_that_cannot_be_written_shows_the_session_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    writable = open_database(sqlite_url(path))
    sid = killed(writable, here(dead_pid()))
    writable.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    # As on a read-only mount (where even root may not write); tests may run as root.
    monkeypatch.setattr(Database, "can_write", property(lambda self: not self.readonly))
    db = open_database(sqlite_url(path), readonly=True)
    summary = summarize(db, sid)
    assert summary.status == "interrupted" and "is gone" in summary.stop_reason
    assert types(current_steps(db, sid)) == FOUR
    assert list_sessions(db)[0].status == "interrupted"
    db.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_dead_holder_does_not_refuse_a_new_claim(db: Database) -> None:
    sid = killed(db, here(dead_pid()))
    with db.session() as s:
        claim(s, sid, new_owner())
        s.commit()
    assert status(db, sid)[0] == "recording"
    other = killed(db, "elsewhere:1:abc", session_id="s2")
    with db.session() as s, pytest.raises(SessionBusyError, match="being recorded by"):
        claim(s, other, new_owner())
