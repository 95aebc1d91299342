"""A small annotated session for exporter tests: notes, a draft, a failed step, a review."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from capture.events import RawEvent
from capture.store.database import Database
from replay.export.registry import ExportOptions, exporter
from replay.store_source import StoreTrajectory
from replay.trajectory import FrameSource, Review, Trajectory
from tests.stored import stored_session

# The dataset formats of replay/export/ ; a format added later adds its name here.
DATASET_FORMATS = (
    "agentnet",
    "anthropic",
    "atif",
    "hf",
    "markdown",
    "openai",
    "uitars",
    "uitars-1.0",
    "webdataset",
)
SESSION_ID = "5e5510" + "0" * 26
NOTE = "The name field is empty, so I click it first."
DRAFT = "A model thinks this types the name."
# The accessible element under the first click (at 40, 30): a text field 80x24 at (20, 20).
ELEMENT = {
    "role": "text",
    "name": "Name",
    "states": ["editable", "focusable"],
    "bbox": [20, 20, 80, 24],
    "path": [{"role": "frame", "name": "form"}, {"role": "text", "name": "Name"}],
}


@dataclasses.dataclass
class Annotated:
    """A stored session with annotations applied on top, as a TrajectorySource."""

    inner: StoreTrajectory
    trajectory: Trajectory

    @property
    def frames(self) -> FrameSource:
        return self.inner.frames

    def events(self) -> Iterator[RawEvent]:
        return self.inner.events()


def annotated(db: Database, session_id: str = SESSION_ID, **kw: Any) -> Annotated:
    made = stored_session(db, session_id=session_id, **kw)
    inner = StoreTrajectory(db, made.id)
    traj = inner.trajectory
    steps = list(traj.steps)
    steps[0] = steps[0].evolve(note=NOTE, outcome="success", element=ELEMENT)
    steps[1] = steps[1].evolve(draft_note=DRAFT)
    steps[2] = steps[2].evolve(
        outcome="failure", tags=("mistake",), error_type="wrong_target",
        outcome_reason="the page did not move",
    )  # fmt: skip
    steps[3] = steps[3].evolve(tags=("recovery",))
    review = Review(
        reviewer="rita",
        created_at="2026-01-03T10:00:00+00:00",
        verdict="accept",
        goal="achieved",
        efficiency=4,
        error_handling=5,
        reason="Saved the form.",
        redundant_steps=(4,),
    )
    return Annotated(inner, dataclasses.replace(traj, steps=tuple(steps), reviews=(review,)))


def export(fmt: str, sources: list[Any], out: Path, max_size: int | None = None) -> Path:
    calls: list[tuple[int, int]] = []
    exporter(fmt).export(
        sources, out, ExportOptions(max_size=max_size), lambda d, t: calls.append((d, t))
    )
    total = sum(len(s.trajectory.steps) for s in sources)
    assert calls[-1] == (total, total)
    return out
