"""Suggested outcomes for stored steps, from the frames in the blob store.

Never computed in the live recorder, nor when a recording stops: decoding and
comparing frames costs tens of milliseconds per step (docs/benchmarks.md).
``current_steps`` fills them in on the first read after the steps were
(re)computed and stores them (in a store open for writing), so a walkthrough,
``steps --json`` or an export sees them and later reads cost nothing;
``replace_steps`` keeps them for steps an edit or a re-cut leaves unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from capture.errors import StoreError
from capture.framecodec import FrameDecodeError
from capture.outcome import suggest_outcome
from capture.segment import Step
from capture.store.database import Database
from capture.store.frames import FrameReader
from capture.store.recording import Recording

# Windows that become active this long after a step still count as its effect
# when no later step comes first.
WINDOW_WINDOW_NS = 3_000_000_000


def with_suggestions(
    db: Database, timeline: Recording, steps: Sequence[Step], titles: bool = True
) -> list[Step]:
    """``steps`` with ``outcome_suggested``/``outcome_reason`` filled in from their frames
    where they have none.

    ``titles=False`` judges by pixels alone (the benchmark measures both).
    """
    from capture.store.sessions import blob_store_for  # sessions -> recovery -> steps -> here

    blobs = {f.id: f.blob for f in timeline.frames}
    reader = FrameReader(blob_store_for(db))
    decoded: dict[str, np.ndarray] = {}

    def rgb(frame_id: object, s: object) -> np.ndarray | None:
        if frame_id is None:
            return None
        digest = blobs.get(int(str(frame_id)))
        if digest is None:
            return None
        if digest not in decoded:
            if len(decoded) > 8:
                decoded.pop(next(iter(decoded)))
            try:
                bgra = reader.pixels(digest, s)  # type: ignore[arg-type]
            except (FrameDecodeError, StoreError, OSError):
                return None  # judged without it; whoever needs the frame reports it
            decoded[digest] = cv2.cvtColor(bgra, cv2.COLOR_BGRA2RGB)
        return decoded[digest]

    out = []
    with db.session() as s:
        for i, step in enumerate(steps):
            if step.outcome_suggested is not None:  # judged already
                out.append(step)
                continue
            following = steps[i + 1] if i + 1 < len(steps) else None
            until = following.t_start if following else step.t_end + WINDOW_WINDOW_NS
            after = [w.title for w in timeline.windows if step.t_start < w.t_ns <= until]
            suggestion = suggest_outcome(
                step,
                rgb(step.before_frame, s),
                rgb(step.after_frame, s),
                later=rgb(following.before_frame, s) if following else None,
                windows_after=after if titles else (),
            )
            out.append(
                step.evolve(outcome_suggested=suggestion.outcome, outcome_reason=suggestion.reason)
            )
    return out
