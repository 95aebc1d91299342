"""The rule "the screen has settled", shared by segmentation and the recorder's writer.

After an action ends (its last raw event at ``t_end``), the screen has settled
once no change bigger than ``noise`` came for ``quiet_ns`` after the action or
the last such change, and at the latest ``max_ns`` after the action ended.
Segmentation picks the frame on screen at that moment as the step's after
observation; the writer persists exactly that frame while recording.
"""

from __future__ import annotations

from dataclasses import dataclass

from capture.segment.rules import MS, SegmentationRules


@dataclass(frozen=True, slots=True)
class Settling:
    quiet_ns: int
    max_ns: int
    noise: float

    @classmethod
    def from_rules(cls, rules: SegmentationRules) -> Settling:
        return cls(rules.settle_ms * MS, rules.after_max_ms * MS, rules.settle_noise)

    def counts(self, changed: float) -> bool:
        """Whether a change of this size keeps the screen from settling."""
        return changed >= self.noise

    def settled_at(self, t_end: int, last_change: int) -> int:
        """When the screen settled, given the last change that counted (before it settled)."""
        return min(max(t_end, last_change) + self.quiet_ns, t_end + self.max_ns)
