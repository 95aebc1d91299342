"""Actions on their way to becoming steps: timing and raw event range, no observations yet."""

from __future__ import annotations

from dataclasses import dataclass

from capture.events import RawEvent
from capture.segment.steps import Action

# Emission order: (time of the first raw event, its seq, 0), or for a wait
# (time of the event before the pause, its seq, 1) so it follows that event's step.
OrderKey = tuple[int, int, int]


@dataclass(slots=True)
class Draft:
    action: Action
    t_start: int
    t_end: int
    first_seq: int | None
    last_seq: int | None
    order: OrderKey
    synthetic: bool = False
    # For a wait: when the pause ended (the next raw event), None at the end.
    gap_end: int | None = None


class Span:
    """First and last raw event of an action still open."""

    __slots__ = ("first_seq", "first_t", "last_seq", "last_t", "synthetic")

    def __init__(self, e: RawEvent) -> None:
        self.first_t = self.last_t = e.t_ns
        self.first_seq = self.last_seq = e.seq
        self.synthetic = e.synthetic

    def extend(self, e: RawEvent) -> None:
        self.last_t, self.last_seq = e.t_ns, e.seq
        self.synthetic = self.synthetic or e.synthetic

    @property
    def order(self) -> OrderKey:
        return (self.first_t, self.first_seq, 0)

    def draft(self, action: Action) -> Draft:
        return Draft(
            action,
            self.first_t,
            self.last_t,
            self.first_seq,
            self.last_seq,
            self.order,
            self.synthetic,
        )
