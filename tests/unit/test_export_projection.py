"""Projections, key names and scroll signs per format."""

from __future__ import annotations

import pytest

from replay.export import keys, scroll
from replay.export.projection import Region, anthropic_size, fit, smart_resize


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1024, 768), (1024, 768)),  # suggested sizes pass unchanged
        ((1280, 800), (1280, 800)),
        ((1366, 768), (1366, 768)),
        ((1920, 1080), (1429, 804)),  # the 1.15 MP area limit
        ((3000, 400), (1568, 209)),  # the 1568 px long edge
    ],
)
def test_anthropic_size(size: tuple[int, int], expected: tuple[int, int]) -> None:
    w, h = anthropic_size(*size)
    assert (w, h) == expected
    assert max(w, h) <= 1568 and w * h <= 1_150_000


def test_max_size_shrinks_and_never_enlarges() -> None:
    assert fit(1920, 1080, 960) == (960, 540)
    assert fit(800, 600, 960) == (800, 600)
    assert fit(800, 600, None) == (800, 600)
    assert anthropic_size(1920, 1080, 1024) == (1024, 576)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), (1932, 1092)),
        ((1280, 720), (1288, 728)),
        ((10, 10), (56, 56)),  # the pixel floor
        ((8000, 6000), (4116, 3080)),  # the pixel budget
    ],
)
def test_smart_resize_matches_qwen_rule(size: tuple[int, int], expected: tuple[int, int]) -> None:
    w, h = smart_resize(*size)
    assert (w, h) == expected and w % 28 == 0 and h % 28 == 0


def test_region_projects_points_of_its_own_rectangle() -> None:
    second_monitor = Region(1920, 0, 1280, 1024)
    assert second_monitor.normalised(1920 + 640, 512) == (0.5, 0.5)
    assert second_monitor.pixel(1920 + 1279, 1023, (640, 512)) == (639, 511)  # inside the image
    assert second_monitor.grid(1920 + 320, 256) == (250, 250)
    assert second_monitor.fraction(1920 + 1, 1) == (0.0008, 0.001)
    assert second_monitor.normalised(0, -5) == (0.0, 0.0)  # a point off the frame is clamped


def test_key_names_per_format() -> None:
    assert keys.anthropic(["ctrl", "s"]) == "ctrl+s"
    assert keys.anthropic(["alt", "Tab"]) == "alt+Tab"
    named = ["Return", "Escape", "BackSpace", "Page_Down", "Left", "super", "F5", "exclam", "a"]
    assert [keys.pyautogui(k) for k in named] == [
        "enter", "esc", "backspace", "pagedown", "left", "win", "f5", "!", "a"
    ]  # fmt: skip
    assert [keys.openai(k) for k in named] == [
        "ENTER", "ESC", "BACKSPACE", "PAGEDOWN", "ARROWLEFT", "SUPER", "F5", "!", "a"
    ]  # fmt: skip


def test_scroll_signs() -> None:
    assert scroll.direction(0, 3) == ("down", 3)
    assert scroll.direction(0, -2) == ("up", 2)
    assert scroll.direction(-4, 0) == ("left", 4)
    assert scroll.pyautogui_clicks(2, 3) == (2, -3)  # pyautogui: positive scroll is up
    assert scroll.openai_pixels(0, 3) == (0, 300)  # OpenAI: positive scroll_y is down
