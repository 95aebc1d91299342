"""What a person may set for their recordings: the control hotkeys and when a step is a
decision point. Stored with each session, so segmenting it again later (``--resegment``,
edits) follows the rules it was recorded under, whatever the settings say by then."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from capture.errors import DemotraceError
from capture.hotkeys import CONTROL_HOTKEYS, ControlHotkey, parse_hotkey
from capture.segment.rules import SegmentationRules

_DEFAULT = SegmentationRules()
HOLD_KEYS = frozenset({"ctrl", "alt", "super"})  # a control hotkey holds one of these


class RulesError(DemotraceError):
    """Settings that cannot be recorded under; the message says which and why."""


@dataclass(frozen=True)
class RecordingRules:
    hotkeys: tuple[ControlHotkey, ...] = CONTROL_HOTKEYS
    # A step after a pause this long (ms) is a decision point; None: pauses never make one.
    decision_pause_ms: int | None = _DEFAULT.decision_pause_ms
    # ... and a step whose screen changed this much (fraction) since the last one.
    decision_screen_change: float | None = _DEFAULT.decision_screen_change

    def __post_init__(self) -> None:
        names = [h.name for h in self.hotkeys]
        if sorted(names) != sorted(h.name for h in CONTROL_HOTKEYS):
            raise RulesError(
                f"the control hotkeys are {', '.join(h.name for h in CONTROL_HOTKEYS)}"
            )
        seen: dict[frozenset[str], str] = {}
        for h in self.hotkeys:
            try:
                keys = parse_hotkey(h.keys)
            except ValueError:
                raise RulesError(f"the {h.name} hotkey is empty") from None
            if not keys & HOLD_KEYS or len(keys) < 2:
                raise RulesError(
                    f"the {h.name} hotkey {h.keys!r} needs ctrl, alt or super and one more key, "
                    "so it cannot be typed by accident"
                )
            if keys in seen:
                raise RulesError(f"{h.keys!r} is both the {seen[keys]} and the {h.name} hotkey")
            seen[keys] = h.name
        pause = self.decision_pause_ms
        if pause is not None and not 0 < pause <= 600_000:
            raise RulesError(
                f"a decision pause must be between 0 and 600 s, not {pause / 1000:g} s"
            )
        change = self.decision_screen_change
        if change is not None and not 0 < change <= 1:
            raise RulesError(f"a decision screen change must be a fraction above 0, not {change}")

    def with_hotkeys(self, keys: Mapping[str, str]) -> RecordingRules:
        """These rules with some hotkeys given new keys (``{"mark": "ctrl+alt+n"}``)."""
        table = tuple(
            ControlHotkey(h.name, keys.get(h.name, h.keys).strip(), h.description)
            for h in self.hotkeys
        )
        return replace(self, hotkeys=table)

    def hotkey(self, name: str) -> ControlHotkey:
        return next(h for h in self.hotkeys if h.name == name)

    def segmentation(self, double_click_ms: int, double_click_px: int) -> SegmentationRules:
        return SegmentationRules.for_session(
            double_click_ms,
            double_click_px,
            control_hotkeys=tuple(h.keys for h in self.hotkeys),
            decision_pause_ms=self.decision_pause_ms,
            decision_screen_change=self.decision_screen_change,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "hotkeys": {h.name: h.keys for h in self.hotkeys},
            "decision_pause_ms": self.decision_pause_ms,
            "decision_screen_change": self.decision_screen_change,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RecordingRules:
        """A session's stored rules; sessions recorded before rules were kept get the defaults."""
        if not data:
            return cls()
        return cls(
            decision_pause_ms=data.get("decision_pause_ms", _DEFAULT.decision_pause_ms),
            decision_screen_change=data.get(
                "decision_screen_change", _DEFAULT.decision_screen_change
            ),
        ).with_hotkeys(data.get("hotkeys") or {})
