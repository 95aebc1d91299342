"""X DAMAGE on a real X server: drawing is reported once, pointer moves never."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from capture.damage import DamageWatch
from tests.xsession import XServer


@pytest.fixture
def painter(xserver: XServer) -> Iterator[Any]:
    """A window to draw into, on its own connection."""
    from Xlib import X, display

    disp: Any = display.Display(xserver.display)
    screen = disp.screen()
    window = screen.root.create_window(
        1500, 900, 50, 50, 0, screen.root_depth, background_pixel=screen.white_pixel
    )
    window.map()
    gc = window.create_gc(foreground=screen.black_pixel)
    disp.sync()

    def paint(x: int) -> None:
        window.fill_rectangle(gc, x, 0, 10, 10)
        disp.sync()

    paint.colour = lambda pixel: gc.change(foreground=pixel)  # type: ignore[attr-defined]
    yield paint
    window.destroy()
    disp.sync()
    disp.close()
    del X


@pytest.fixture
def watch(xserver: XServer, painter: Any) -> Iterator[DamageWatch]:
    w = DamageWatch(xserver.display)
    w.drawn()  # whatever was drawn before the test
    yield w
    w.close()


def test_drawing_is_reported_once(watch: DamageWatch, painter: Any) -> None:
    assert not watch.drawn()
    painter(0)
    assert watch.drawn()
    assert not watch.drawn()  # reported, then cleared
    painter(20)
    painter(30)
    assert watch.drawn()
    assert not watch.drawn()


def test_moving_the_pointer_draws_nothing(watch: DamageWatch, xserver: XServer) -> None:
    for x in (100, 400, 800):
        xserver.xdotool("mousemove", str(x), "300")
    assert not watch.drawn()


def test_closing_twice_is_harmless(xserver: XServer) -> None:
    w = DamageWatch(xserver.display)
    w.close()
    w.close()
