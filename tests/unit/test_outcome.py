"""The suggested outcome of a step, from frames drawn to show each case."""

from __future__ import annotations

import numpy as np

from capture.outcome import changed_regions, suggest_outcome
from capture.segment.steps import Action, Step, Window, click, hotkey, key, type_text

W, H = 640, 400


def screen() -> np.ndarray:
    return np.full((H, W, 3), 240, np.uint8)


def step(action: Action, title: str = "app") -> Step:
    return Step(index=0, action=action, t_start=0, t_end=1, window=Window(title, "app"))


def box(frame: np.ndarray, x: int, y: int, w: int, h: int, color: tuple[int, int, int]) -> None:
    frame[y : y + h, x : x + w] = color


def dialog(frame: np.ndarray, icon: tuple[int, int, int] | None) -> None:
    box(frame, 220, 150, 220, 110, (250, 250, 250))
    box(frame, 220, 150, 220, 1, (90, 90, 90))
    box(frame, 300, 180, 120, 10, (20, 20, 20))  # its text
    box(frame, 360, 230, 60, 20, (200, 200, 200))  # its button
    if icon is not None:
        box(frame, 235, 175, 32, 32, icon)


def test_no_change_after_a_click_is_a_failure() -> None:
    before = screen()
    s = suggest_outcome(step(click(100, 100)), before, before.copy())
    assert s.outcome == "failure"
    assert "no visible change" in s.reason


def test_a_caret_blinking_elsewhere_is_not_a_change() -> None:
    before, after = screen(), screen()
    box(after, 500, 40, 1, 16, (0, 0, 0))
    assert suggest_outcome(step(click(100, 100)), before, after).outcome == "failure"


def test_a_change_at_the_target_is_a_success() -> None:
    before, after = screen(), screen()
    box(after, 80, 90, 40, 20, (0, 200, 0))
    s = suggest_outcome(step(click(100, 100)), before, after)
    assert (s.outcome, s.reason) == ("success", "the change stays at the target")


def test_a_plain_dialog_after_a_click_is_a_success() -> None:
    before, after = screen(), screen()
    dialog(after, icon=None)
    s = suggest_outcome(step(click(100, 100)), before, after)
    assert s.outcome == "success"
    assert "new window region" in s.reason


def test_a_dialog_with_a_red_icon_is_a_failure() -> None:
    before, after = screen(), screen()
    dialog(after, icon=(220, 30, 30))
    s = suggest_outcome(step(click(100, 100)), before, after)
    assert s.outcome == "failure"
    assert "error-looking" in s.reason


def test_a_large_red_patch_is_not_an_icon() -> None:
    before, after = screen(), screen()
    box(after, 200, 150, 200, 100, (255, 0, 0))
    assert suggest_outcome(step(click(300, 200)), before, after).outcome == "success"


def test_an_error_window_title_is_a_failure_whatever_the_pixels() -> None:
    before = screen()
    s = suggest_outcome(step(key("Return")), before, before, windows_after=["Permission denied"])
    assert s.outcome == "failure"
    assert "Permission denied" in s.reason


def test_the_steps_own_window_title_does_not_count() -> None:
    before, after = screen(), screen()
    box(after, 80, 90, 40, 20, (0, 0, 0))
    s = suggest_outcome(
        step(click(100, 100), title="Error log viewer"),
        before,
        after,
        windows_after=["Error log viewer"],
    )
    assert s.outcome == "success"


def test_typing_that_shows_a_line_of_text_is_a_success() -> None:
    before, after = screen(), screen()
    box(after, 100, 60, 70, 12, (0, 0, 0))
    assert suggest_outcome(step(type_text("hello")), before, after).outcome == "success"


def test_typing_that_shows_nothing_is_a_failure() -> None:
    before = screen()
    s = suggest_outcome(step(type_text("hello")), before, before.copy())
    assert s.outcome == "failure"


def test_a_key_without_change_is_unknown_and_a_later_change_counts() -> None:
    before = screen()
    assert suggest_outcome(step(hotkey("ctrl", "s")), before, before).outcome == "unknown"
    later = screen()
    box(later, 10, 10, 50, 50, (0, 0, 0))
    s = suggest_outcome(step(hotkey("ctrl", "s")), before, before, later=later)
    assert s.outcome == "success"
    assert "later" in s.reason


def test_missing_frames_give_unknown() -> None:
    assert suggest_outcome(step(click(1, 1)), None, screen()).outcome == "unknown"


def test_regions_group_a_dialog_into_one() -> None:
    before, after = screen(), screen()
    dialog(after, icon=(220, 30, 30))
    regions = changed_regions(before, after)
    assert len(regions) == 1
    r = regions[0]
    assert (r.left, r.top, r.width, r.height) == (220, 150, 220, 100)
