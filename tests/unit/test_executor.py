"""The executor's logic with a fake screen and input device; the real desktop is in e2e tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from capture.listener import InjectionLog
from capture.segment import Step
from capture.segment.steps import Action, click, hotkey, key, type_text
from replay import screencheck
from replay.executor import Executor, Settings
from replay.inputs import interpolate
from replay.player import timeline
from replay.trajectory import Screen

W, H = 400, 300


def screen_with(box: tuple[int, int, int, int] | None = None, value: int = 30) -> np.ndarray:
    img = np.full((H, W, 3), 230, np.uint8)
    if box is not None:
        x, y, w, h = box
        img[y : y + h, x : x + w] = value
    return img


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += s


class FakeScreen:
    """Shows ``current`` (RGB), at ``scale`` times the recorded size."""

    def __init__(self, current: np.ndarray, scale: int = 1) -> None:
        self.current = current
        self.scale = scale

    def grab(self) -> tuple[int, int, int, int, bytes]:
        img = self.current
        if self.scale != 1:
            img = img.repeat(self.scale, axis=0).repeat(self.scale, axis=1)
        h, w, _ = img.shape
        bgra = np.empty((h, w, 4), np.uint8)
        bgra[:, :, :3] = img[:, :, ::-1]
        bgra[:, :, 3] = 0
        return 0, 0, w, h, bgra.tobytes()

    def close(self) -> None:
        pass


class FakeDevice:
    """Records each call; ``effects`` maps a call's name to the screen it leaves behind."""

    def __init__(
        self, screen: FakeScreen, injections: InjectionLog, effects: dict[str, np.ndarray]
    ) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._screen = screen
        self._injections = injections
        self._effects = effects

    def _record(self, *call: Any) -> None:
        assert self._injections.injecting_now, "input sent outside an injection span"
        self.calls.append(call)
        if call[0] in self._effects:
            self._screen.current = self._effects[call[0]]

    def move(self, x: int, y: int) -> None:
        self._record("move", x, y)

    def click(self, x: int, y: int, button: str, count: int, modifiers: Sequence[str]) -> None:
        self._record("click", x, y, button, count, tuple(modifiers))

    def drag(self, path: Sequence[tuple[int, int]], button: str, modifiers: Sequence[str]) -> None:
        self._record("drag", tuple(path), button, tuple(modifiers))

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self._record("scroll", x, y, dx, dy)

    def type(self, text: str) -> None:
        self._record("type", text)

    def keys(self, keys: Sequence[str], repeat: int) -> None:
        self._record("keys", tuple(keys), repeat)

    def hotkey(self, keys: Sequence[str]) -> None:
        self._record("hotkey", tuple(keys))


class Frames:
    def __init__(self, images: dict[str, np.ndarray]) -> None:
        self.images = images

    def rgb(self, frame: str) -> np.ndarray:
        return self.images[frame]


START = screen_with()
TYPED = screen_with((50, 50, 120, 20))
SAVED = screen_with((50, 50, 120, 20)) | screen_with((300, 250, 60, 30))
FRAMES = {"start": START, "typed": TYPED, "saved": SAVED}


def make_steps() -> list[Step]:
    def step(i: int, action: Action, before: str, after: str) -> Step:
        t = i * 200_000_000
        return Step(i, action, t, t, before_frame=before, after_frame=after)

    return [
        step(0, click(60, 60, modifiers=("shift",)), "start", "start"),
        step(1, type_text("hello"), "start", "typed"),
        step(2, hotkey("ctrl", "s"), "typed", "saved"),
        step(3, key("Return", repeat=2), "saved", "saved"),
    ]


def make_executor(
    effects: dict[str, np.ndarray],
    scale: int = 1,
    secrets: dict[int, str] | None = None,
    **settings: float,
) -> tuple[Executor, FakeDevice, FakeClock]:
    clock = FakeClock()
    screen = FakeScreen(START, scale)
    injections = InjectionLog()
    device = FakeDevice(screen, injections, effects)
    executor = Executor(
        Frames(FRAMES),
        screen,
        device,
        injections,
        Screen(0, 0, W, H),
        Settings(**settings),
        clock=clock,
        sleep=clock.sleep,
        secrets=secrets,
    )
    return executor, device, clock


def test_runs_every_step_in_order_marked_synthetic() -> None:
    executor, device, clock = make_executor({"type": TYPED, "hotkey": SAVED})
    result = executor.run(timeline(make_steps(), idle_limit=None), verify=True)
    assert result.reached_end and result.steps_run == 4
    assert device.calls == [
        ("click", 60, 60, "left", 1, ("shift",)),
        ("type", "hello"),
        ("hotkey", ("ctrl", "s")),
        ("keys", ("Return",), 2),
    ]
    assert clock.t >= 0.6  # paced by the recording: steps 0.2 s apart


def test_coordinates_follow_a_larger_screen() -> None:
    executor, device, _ = make_executor({"type": TYPED, "hotkey": SAVED}, scale=2)
    executor.run_step(make_steps()[0])
    drag = Step(
        9, Action.make("drag", path=[(10, 20), (30, 40)], button="left", modifiers=()), 0, 0
    )
    executor.run_step(drag)
    assert device.calls[0][:3] == ("click", 120, 120)
    assert device.calls[1] == ("drag", ((20, 40), (60, 80)), "left", ())


def test_stops_when_the_before_frame_never_shows() -> None:
    # Typing does nothing on this "app": step 2 waits for "typed" in vain.
    executor, _, clock = make_executor({}, before_timeout=3.0)
    result = executor.run(timeline(make_steps()), verify=False)
    assert not result.reached_end
    d = result.divergence
    assert d is not None
    assert (d.step.index, d.stage, d.check.frame) == (2, "before", "typed")
    assert d.check.similarity < screencheck.BEFORE_THRESHOLD
    assert 3.0 <= clock.t < 5.0
    assert d.expected.shape == d.actual.shape == (H, W, 3)


def test_verify_stops_at_the_step_whose_effect_differs() -> None:
    # The app types, but something else than recorded: a shorter field.
    wrong = screen_with((50, 50, 60, 20))
    executor, _, _ = make_executor({"type": wrong}, after_timeout=2.0)
    result = executor.run(timeline(make_steps()), verify=True)
    d = result.divergence
    assert d is not None and (d.step.index, d.stage) == (1, "after")
    assert d.check.region_similarity is not None
    assert d.check.region_similarity < screencheck.REGION_THRESHOLD


def test_wait_for_tolerates_a_caret() -> None:
    executor, _, _ = make_executor({})
    caret = START.copy()
    caret[50:70, 200] = 0
    executor._screen.current = caret  # type: ignore[attr-defined]
    check = executor.wait_for("start", timeout=0)
    assert check.ok and check.similarity > 0.999


def test_similarity_and_region() -> None:
    a, b = screencheck.small_gray(START), screencheck.small_gray(TYPED)
    assert screencheck.similarity(a, a) == 1.0
    region = screencheck.change_region(a, b)
    assert region is not None
    y0, y1, x0, x1 = region
    assert y0 <= 50 // 4 and y1 >= 70 // 4 and x0 <= 50 // 4 and x1 >= 170 // 4
    assert screencheck.similarity(b, a, region) < 0.5
    assert screencheck.change_region(a, a) is None


def test_drag_path_is_interpolated() -> None:
    points = interpolate([(0, 0), (30, 0), (30, 5)], step_px=10)
    assert points == [(0, 0), (10, 0), (20, 0), (30, 0), (30, 5)]


def test_setup_command_failure_stops_the_replay(tmp_path: Any) -> None:
    import pytest

    from replay.report import SetupError, run_setup

    run_setup(f"touch {tmp_path}/ok")
    assert (tmp_path / "ok").exists()
    with pytest.raises(SetupError, match="exited with 3"):
        run_setup("exit 3")


def test_a_secret_is_typed_from_the_environment_never_from_the_step() -> None:
    from capture.privacy.secret import SECRET_PLACEHOLDER
    from replay.secrets import SecretsMissingError, resolve_secrets

    steps = make_steps()
    steps[1] = steps[1].evolve(action=type_text(SECRET_PLACEHOLDER))
    # The step's own variable wins over the shared one; nothing is asked for.
    env = {"DEMOTRACE_SECRET_1": "hunter2", "DEMOTRACE_SECRET": "other"}
    assert resolve_secrets(steps, env) == {1: "hunter2"}
    assert resolve_secrets(steps, {"DEMOTRACE_SECRET": "shared"}) == {1: "shared"}
    asked: list[str] = []
    assert resolve_secrets(steps, {}, lambda p: asked.append(p) or "typed") == {1: "typed"}
    assert asked == ["secret typed at step 1: "]
    with pytest.raises(SecretsMissingError, match="DEMOTRACE_SECRET_1"):
        resolve_secrets(steps, {})

    secrets = resolve_secrets(steps, env)
    executor, device, _ = make_executor({"type": TYPED, "hotkey": SAVED}, secrets=secrets)
    result = executor.run(timeline(steps, idle_limit=None), verify=True)
    assert result.reached_end
    assert ("type", "hunter2") in device.calls
    assert all(SECRET_PLACEHOLDER not in str(call) for call in device.calls)
    # Without the secret the step is refused rather than typing the placeholder.
    bare, bare_device, _ = make_executor({"type": TYPED})
    with pytest.raises(SecretsMissingError):
        bare.run_step(steps[1])
    assert bare_device.calls == []
