"""Re-running a trajectory's steps on the live desktop, checking the screen as it goes.

``Executor`` works one step at a time so other tools (fault injection) can
drive it: ``wait_for(frame)`` polls the screen until it resembles a recorded
frame, ``run_step(step)`` sends the step's input (marked synthetic through the
``InjectionLog``), ``verify(step)`` waits for the step's after-frame. ``run``
strings them together along a player schedule and stops at the first screen
that never comes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from capture.grabber import ScreenSource
from capture.listener import InjectionLog
from capture.segment import Step
from replay import screencheck
from replay.inputs import InputDevice
from replay.player import Cue
from replay.screencheck import Check, Region
from replay.secrets import SecretsMissingError, is_secret_step
from replay.trajectory import FrameSource, Screen

# How long to wait for the screen to show a step's before-frame / after-frame (seconds).
BEFORE_TIMEOUT_S = 10.0
AFTER_TIMEOUT_S = 5.0
POLL_S = 0.05


@dataclass(frozen=True)
class Settings:
    before_timeout: float = BEFORE_TIMEOUT_S
    after_timeout: float = AFTER_TIMEOUT_S
    poll: float = POLL_S
    before_threshold: float = screencheck.BEFORE_THRESHOLD
    after_threshold: float = screencheck.AFTER_THRESHOLD
    region_threshold: float = screencheck.REGION_THRESHOLD


@dataclass(frozen=True)
class Divergence:
    """Where a run stopped: the step, which frame it waited for, and the last screen seen."""

    step: Step
    stage: str  # "before": the screen never looked ready; "after": the step did not get there
    check: Check
    expected: np.ndarray  # RGB
    actual: np.ndarray  # RGB, mapped to the recording's size


@dataclass(frozen=True)
class RunResult:
    steps_run: int
    divergence: Divergence | None

    @property
    def reached_end(self) -> bool:
        return self.divergence is None


class CoordinateMap:
    """Recorded virtual-desktop pixels to the live desktop's, when the sizes differ."""

    def __init__(self, recorded: Screen, live: tuple[int, int, int, int]) -> None:
        self._rec = recorded
        self._left, self._top, self._w, self._h = live

    def point(self, x: int, y: int) -> tuple[int, int]:
        r = self._rec
        return (
            self._left + round((x - r.left) * self._w / r.width),
            self._top + round((y - r.top) * self._h / r.height),
        )


class Executor:
    def __init__(
        self,
        frames: FrameSource,
        screen: ScreenSource,
        device: InputDevice,
        injections: InjectionLog,
        recorded: Screen,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        secrets: Mapping[int, str] | None = None,
    ) -> None:
        self._frames = frames
        # What to type for steps typed in secret mode, by step index (see replay/secrets.py).
        self._secrets = dict(secrets or {})
        self._screen = screen
        self._device = device
        self._injections = injections
        self._settings = settings or Settings()
        self._clock = clock
        self._sleep = sleep
        self._small: OrderedDict[str, np.ndarray] = OrderedDict()
        left, top, width, height, _ = screen.grab()
        self.map = CoordinateMap(recorded, (left, top, width, height))
        self.last_screen: np.ndarray | None = None  # BGRA of the last grab

    # ---- the screen ------------------------------------------------------

    def _expected(self, frame: str) -> np.ndarray:
        if frame in self._small:
            self._small.move_to_end(frame)
            return self._small[frame]
        small = screencheck.small_gray(self._frames.rgb(frame))
        self._small[frame] = small
        if len(self._small) > 8:
            self._small.popitem(last=False)
        return small

    def _grab_small(self) -> np.ndarray:
        _, _, width, height, pixels = self._screen.grab()
        bgra = np.frombuffer(pixels, np.uint8).reshape(height, width, 4)
        self.last_screen = bgra
        return screencheck.small_gray(bgra, bgra=True)

    def wait_for(
        self,
        frame: str,
        timeout: float | None = None,
        threshold: float | None = None,
        region: Region | None = None,
        region_threshold: float | None = None,
    ) -> Check:
        """Poll the screen until it resembles ``frame`` (and, in ``region``, closely)."""
        s = self._settings
        timeout = s.before_timeout if timeout is None else timeout
        threshold = s.before_threshold if threshold is None else threshold
        region_threshold = s.region_threshold if region_threshold is None else region_threshold
        expected = self._expected(frame)
        start = self._clock()
        best: tuple[float, float | None] = (-1.0, None)
        while True:
            actual = self._grab_small()
            sim = screencheck.similarity(expected, actual)
            reg = None if region is None else screencheck.similarity(expected, actual, region)
            if sim >= threshold and (reg is None or reg >= region_threshold):
                return Check(frame, True, sim, reg, self._clock() - start)
            if sim + (reg or 0) > best[0] + (best[1] or 0):
                best = (sim, reg)
            if self._clock() - start >= timeout:
                return Check(frame, False, best[0], best[1], self._clock() - start)
            self._sleep(s.poll)

    def effect_region(self, step: Step) -> Region | None:
        """Where the recording changed between the step's before- and after-frame."""
        if step.before_frame is None or step.after_frame is None:
            return None
        return screencheck.change_region(
            self._expected(str(step.before_frame)), self._expected(str(step.after_frame))
        )

    def verify(self, step: Step) -> Check | None:
        """Wait for the step's after-frame; None when the step has none."""
        if step.after_frame is None:
            return None
        s = self._settings
        return self.wait_for(
            str(step.after_frame),
            timeout=s.after_timeout,
            threshold=s.after_threshold,
            region=self.effect_region(step),
        )

    # ---- input -----------------------------------------------------------

    def run_step(self, step: Step) -> None:
        """Send the step's action to the desktop; everything sent is marked synthetic."""
        a = step.action.fields
        kind = step.action.type
        d = self._device
        with self._injections.injecting():
            if kind in ("click", "double_click", "triple_click"):
                count = {"click": 1, "double_click": 2, "triple_click": 3}[kind]
                d.click(*self.map.point(a["x"], a["y"]), a["button"], count, a["modifiers"])
            elif kind == "drag":
                path = [self.map.point(x, y) for x, y in a["path"]]
                d.drag(path, a["button"], a["modifiers"])
            elif kind == "scroll":
                d.scroll(*self.map.point(a["x"], a["y"]), a["dx"], a["dy"])
            elif kind == "type":
                d.type(self._text(step))
            elif kind == "key":
                d.keys(a["keys"], a["repeat"])
            elif kind == "hotkey":
                d.hotkey(a["keys"])
            elif kind == "move":
                d.move(*self.map.point(a["x"], a["y"]))
            elif kind == "wait":
                self._sleep(a["seconds"])

    def _text(self, step: Step) -> str:
        if not is_secret_step(step):
            return str(step.action["text"])
        if step.index not in self._secrets:
            raise SecretsMissingError(f"no secret given for step {step.index}")
        return self._secrets[step.index]

    # ---- a whole run -----------------------------------------------------

    def _divergence(self, step: Step, stage: str, check: Check) -> Divergence:
        expected = self._frames.rgb(check.frame)
        assert self.last_screen is not None
        actual = np.ascontiguousarray(self.last_screen[:, :, 2::-1])
        return Divergence(step, stage, check, expected, actual)

    def run(
        self,
        scheduled: Sequence[tuple[float, Cue]],
        verify: bool = False,
        on_step: Callable[[Step, Check | None], None] | None = None,
    ) -> RunResult:
        """Each step at its scheduled time (or as soon as its before-frame shows, if later)."""
        start = self._clock()
        done = 0
        for when, cue in scheduled:
            step = cue.step
            if step.before_frame is not None:
                check = self.wait_for(str(step.before_frame))
                if not check.ok:
                    return RunResult(done, self._divergence(step, "before", check))
            late = when - (self._clock() - start)
            if late > 0:
                self._sleep(late)
            self.run_step(step)
            after = self.verify(step) if verify else None
            if after is not None and not after.ok:
                return RunResult(done, self._divergence(step, "after", after))
            done += 1
            if on_step is not None:
                on_step(step, after)
        return RunResult(done, None)
