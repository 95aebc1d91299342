"""Which recorder holds a session, and how the store tells that recorder has died.

A recorder writing a session holds its lease: ``sessions.lease_owner`` names it
as ``host:pid:nonce`` and ``lease_heartbeat`` says when it last wrote (the writer
renews it at least once a second). The holder is gone when the heartbeat is
older than ``LEASE_TIMEOUT``, or at once when it ran on this host and its
process no longer exists.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from capture.errors import SessionBusyError, SessionNotFoundError
from capture.store.models import SessionRow

# Many missed heartbeats: a recorder on a loaded machine is slow, not dead.
LEASE_TIMEOUT = timedelta(seconds=15)


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int

    @classmethod
    def parse(cls, owner: str) -> Holder | None:
        parts = owner.rsplit(":", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]))


def new_owner() -> str:
    """A lease owner name for a recorder in this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` on this host is running (a zombie is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in (b"Z", b"X")


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when


def holder_gone(owner: str | None, heartbeat: datetime | None, now: datetime) -> str | None:
    """Why the lease ``owner`` took at ``heartbeat`` no longer holds, or None if it does."""
    heartbeat = _aware(heartbeat)
    if not owner or heartbeat is None:
        return "its recorder left no lease"
    holder = Holder.parse(owner)
    here = holder is not None and holder.host == socket.gethostname()
    if holder is not None and here and not process_alive(holder.pid):
        return f"its recorder (process {holder.pid}) is gone"
    silent = now - heartbeat
    if silent >= LEASE_TIMEOUT:
        return f"no word from its recorder for {silent.total_seconds():.0f} s"
    return None


def orphaned(row: SessionRow, now: datetime | None = None) -> str | None:
    """Why ``row`` is a recording nobody is writing any more, or None."""
    if row.status != "recording":
        return None
    return holder_gone(row.lease_owner, row.lease_heartbeat, now or datetime.now(UTC))


def claim(s: Session, session_id: str, owner: str) -> SessionRow:
    """Take the lease of an existing session in ``s`` (committed by the caller).

    Refused while another recorder that is still alive holds it.
    """
    row = s.get(SessionRow, session_id, with_for_update=True)
    if row is None:
        raise SessionNotFoundError(f"no session {session_id}")
    held_by = row.lease_owner
    if (
        held_by
        and held_by != owner
        and holder_gone(held_by, row.lease_heartbeat, datetime.now(UTC)) is None
    ):
        raise SessionBusyError(
            f"session {session_id} is being recorded by {held_by}; stop that recorder first"
        )
    row.lease_owner, row.lease_heartbeat, row.status = owner, datetime.now(UTC), "recording"
    return row


def renew(s: Session, session_id: str, owner: str, duration_ns: int) -> bool:
    """Say ``owner`` still holds the session (and how long it is); False if it lost it."""
    held = s.execute(
        update(SessionRow)
        .where(SessionRow.id == session_id, SessionRow.lease_owner == owner)
        .values(duration_ns=duration_ns, lease_heartbeat=datetime.now(UTC))
    )
    return bool(held.rowcount)  # type: ignore[attr-defined]


def release(
    s: Session, session_id: str, owner: str, status: str, reason: str, duration_ns: int
) -> bool:
    """Close the session as ``owner``; a recorder that lost its lease leaves it to the new one."""
    done = s.execute(
        update(SessionRow)
        .where(SessionRow.id == session_id, SessionRow.lease_owner == owner)
        .values(
            status=status,
            stop_reason=reason,
            duration_ns=duration_ns,
            lease_owner=None,
            lease_heartbeat=None,
        )
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]
