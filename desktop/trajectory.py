"""One session's steps being annotated: edits computed in memory, kept in the audit trail.

No Qt here: the step editor's undo stack and the walkthrough drive this class.
"""

from __future__ import annotations

from collections.abc import Sequence

from capture.segment import EditRecord, Step, apply_edits
from capture.store.database import Database
from capture.store.recording import Recording, load_recording
from capture.store.reviews import reviews_of
from capture.store.stages import submit, submit_problems
from capture.store.steps import current_steps, record_edit, rules_for, withdraw_edit


class Trajectory:
    def __init__(self, db: Database, session_id: str, who: str) -> None:
        self.db = db
        self.session_id = session_id
        self.who = who
        self.steps: list[Step] = current_steps(db, session_id)
        self._recording: Recording | None = None
        # The store checks an imported session's trail at the first edit only.
        self._checked = False
        # Reviewers' word, oldest first: what a session sent back for changes asks for.
        self.reviews = reviews_of(db, session_id)

    def comments_on(self, index: int | None) -> list[tuple[str, str, str]]:
        """(reviewer, verdict, text) of every open comment on step ``index`` (None: the whole)."""
        return [
            (r["reviewer"], r["verdict"], c["text"])
            for r in self.reviews
            for c in r["comments"]
            if c["step_index"] == index and not c["resolved"]
        ]

    def _timeline(self) -> Recording:
        if self._recording is None:  # only splits need the raw events
            self._recording = load_recording(self.db, self.session_id)
        return self._recording

    def compute(self, op: str, **args: object) -> tuple[EditRecord, list[Step]]:
        """The edit and the steps it gives; EditError when it does not apply. Nothing stored."""
        record = EditRecord(self.who, op, args)
        if op == "split":
            rec = self._timeline()
            steps = apply_edits(
                self.steps,
                [record],
                events=rec.raw_events,
                frames=[(f.id, f.t_ns) for f in rec.frames],
                rules=rules_for(rec),
            )
        else:
            steps = apply_edits(self.steps, [record])
        return record, steps

    def commit(self, record: EditRecord, steps: Sequence[Step]) -> int:
        seq = record_edit(self.db, self.session_id, record, steps, checked=self._checked)
        self._checked = True
        self.steps = list(steps)
        return seq

    def withdraw(self, seq: int, steps: Sequence[Step]) -> None:
        withdraw_edit(self.db, self.session_id, seq, steps)
        self.steps = list(steps)

    def annotate(self, index: int, **fields: object) -> None:
        """Change an annotation and store it at once (the walkthrough's way)."""
        record, steps = self.compute("relabel", index=index, fields=fields)
        self.commit(record, steps)

    def decision_points(self, *, unexplained_only: bool = False) -> list[Step]:
        return [
            s
            for s in self.steps
            if s.decision_point and (not unexplained_only or not s.note.strip())
        ]

    def problems(self) -> list[str]:
        return submit_problems(self.steps)

    def submit(self) -> None:
        submit(self.db, self.session_id)
