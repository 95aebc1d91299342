"""The knobs of segmentation. One value per session; every rule change is a re-run."""

from __future__ import annotations

from dataclasses import dataclass

from capture.hotkeys import CONTROL_HOTKEYS, parse_hotkey

MS = 1_000_000  # nanoseconds per millisecond


@dataclass(frozen=True, slots=True)
class OwnWindow:
    """A rectangle of demotrace's own UI, on screen from ``t_from`` until ``t_to`` (ns)."""

    left: int
    top: int
    width: int
    height: int
    t_from: int = 0
    t_to: int | None = None

    def covers(self, x: int, y: int, t_ns: int) -> bool:
        if t_ns < self.t_from or (self.t_to is not None and t_ns >= self.t_to):
            return False
        return self.left <= x < self.left + self.width and self.top <= y < self.top + self.height


@dataclass(frozen=True, slots=True)
class SegmentationRules:
    """Thresholds for turning raw events into steps. Times in ms, distances in physical px.

    Changed fractions are the grabber's "fraction of sampled pixels that changed"
    between two consecutive distinct grabs.
    """

    # Clicks: the OS settings stored with the session.
    double_click_ms: int = 400
    double_click_px: int = 5
    # A press whose release lands within this distance of it is a click...
    click_jitter_px: int = 5
    # ...unless the pointer wandered farther than this while the button was held.
    drag_threshold_px: int = 8
    # Drag paths keep the points that deviate more than this from a straight line.
    drag_simplify_px: float = 2.0
    # Wheel bursts: notches closer in time than this, near the first notch, add up.
    scroll_gap_ms: int = 400
    scroll_radius_px: int = 24
    # Repeated presses of one non-printable key closer than this become one step.
    merge_key_repeats: bool = True
    key_repeat_gap_ms: int = 500
    # A pause this long ends a typing run even if typing continues afterwards.
    typing_gap_ms: int = 3000
    # Pointer moves shorter than this from the resting point do not end a rest.
    rest_radius_px: int = 3
    # Hover: the pointer rests this long, the screen changes at least this much
    # while it rests, and it had been calm just before the pointer stopped.
    hover_ms: int = 800
    hover_min_change: float = 0.005
    # Wait: after the last input the screen kept changing for at least this long.
    wait_ms: int = 3000
    wait_min_change: float = 0.0003
    # The after observation: the screen is settled once no change bigger than
    # settle_noise happened for settle_ms; looked for at most after_max_ms.
    settle_ms: int = 500
    after_max_ms: int = 3000
    settle_noise: float = 0.0001
    # Decision points.
    decide_first: bool = True
    decide_on_mark: bool = True
    decision_pause_ms: int | None = 3000
    decision_screen_change: float | None = 0.15
    # Input that is not part of the demonstration.
    control_hotkeys: tuple[str, ...] = tuple(h.keys for h in CONTROL_HOTKEYS)
    own_windows: tuple[OwnWindow, ...] = ()
    own_apps: frozenset[str] = frozenset({"demotrace"})
    drop_synthetic: bool = False
    synthetic_tag: str | None = "injected_fault"

    @classmethod
    def for_session(
        cls, double_click_ms: int, double_click_px: int, **overrides: object
    ) -> SegmentationRules:
        """Rules with the OS double-click settings the session stored."""
        return cls(
            double_click_ms=double_click_ms,
            double_click_px=double_click_px,
            **overrides,  # type: ignore[arg-type]
        )

    @property
    def control_key_sets(self) -> frozenset[frozenset[str]]:
        return frozenset(parse_hotkey(h) for h in self.control_hotkeys)

    def on_own_window(self, x: int, y: int, t_ns: int) -> bool:
        return any(w.covers(x, y, t_ns) for w in self.own_windows)
