"""Sessions whose recorder died: marked ``interrupted`` and their steps rebuilt.

Run whenever sessions are listed or looked up, so every command and the app
see a killed recording the same way without anyone asking. A store that cannot
be written is left as it is; readers then show such a session as interrupted
(``lease.orphaned``) and compute its steps instead of reading them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from capture.store.database import Database
from capture.store.lease import orphaned
from capture.store.models import SessionRow
from capture.store.recording import load_recording
from capture.store.steps import computed_steps, edits, replace_steps


def stop_reason(why: str) -> str:
    return f"recording stopped without finishing ({why})"


def recover_sessions(db: Database, session_id: str | None = None) -> list[str]:
    """Mark every recording whose recorder is gone as interrupted; returns their ids."""
    now = datetime.now(UTC)
    query = select(SessionRow).where(SessionRow.status == "recording")
    if session_id is not None:
        query = query.where(SessionRow.id == session_id)
    with db.session() as s:
        found = [
            (row.id, row.lease_owner, why)
            for row in s.scalars(query)
            if (why := orphaned(row, now))
        ]
    if not found or not db.can_write:
        return []
    recovered = []
    with db.writer() as w:
        for sid, owner, why in found:
            steps = computed_steps(load_recording(w, sid), edits(w, sid))
            with w.session() as s:
                row = s.get(SessionRow, sid, with_for_update=True)
                # Someone else recovered or continued it meanwhile.
                if row is None or row.status != "recording" or row.lease_owner != owner:
                    continue
                row.status, row.stop_reason = "interrupted", stop_reason(why)
                row.lease_owner = row.lease_heartbeat = None
                replace_steps(s, sid, steps)
                s.commit()
            recovered.append(sid)
    return recovered
