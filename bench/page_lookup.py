"""Element lookups on a web page in Chromium, and how soon applications announce a focus change.

    python -m bench.page_lookup [--n 200]

Starts its own Xvfb with a window manager and the accessibility bus, then
Chromium on scripted/apps/browser_form.html (kiosk, page accessibility on)
and the Qt and GTK test apps. Prints: how long Chromium takes until the page
answers a lookup, the first lookup on the page, median and p95 of lookups at
its controls (the Qt app's beside it, the baseline), and for each app the time
from a Tab (XTest) until its focus announcement reaches the recorder's focus
watch: how long the first key typed after Tab waits in the lookup worker.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

PAGE_POINTS = [(120, 60), (200, 126), (200, 186), (56, 246), (160, 306)]  # the form's controls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()

    from capture.accessibility import LOOKUP_TIMEOUT_S
    from capture.accessibility.atspi import AtspiElements, atspi_bus_address
    from capture.window import X11Windows
    from scripted.desktop import (
        Desktop,
        start_accessible_app,
        start_browser,
        start_gtk_app,
    )
    from scripted.xserver import ROOT, XServer

    x = XServer()
    with tempfile.TemporaryDirectory() as home:
        desktop = Desktop(x, Path(home) / "home")
        os.environ.update(desktop.env)
        windows = X11Windows(x.display)
        elements = AtspiElements(lambda: atspi_bus_address(windows.display, None))
        elements.connect()
        started = time.monotonic()
        browser = start_browser(
            desktop, ROOT / "scripted/apps/browser_form.html", Path(home) / "profile"
        )
        apps: list[Any] = []
        try:
            first_s = None
            while True:
                if time.monotonic() - started > 60:
                    raise SystemExit("the page never answered")
                window = windows.at(*PAGE_POINTS[1])
                t0 = time.perf_counter()
                found = elements.at_point(*PAGE_POINTS[1], window, 2.0)
                if found.element is not None and found.element.role == "entry":
                    first_s = time.perf_counter() - t0
                    break
                time.sleep(0.05)
            ready_s = time.monotonic() - started
            page = lookups(elements, windows, PAGE_POINTS, args.n, LOOKUP_TIMEOUT_S)

            qt = start_accessible_app(desktop, "Qt window", "1000,60,500,400")
            apps.append(qt)
            gtk = start_gtk_app(desktop, "GTK window", "1000,560,420,300")
            apps.append(gtk)
            qt_points = [qt.center(n) for n in ("submit", "name", "password", "remember")]
            qt_times = lookups(elements, windows, qt_points, args.n, LOOKUP_TIMEOUT_S)

            focus = {
                "Chromium page": focus_news(desktop, elements, PAGE_POINTS[1]),
                "Qt app": focus_news(desktop, elements, qt.center("name")),
                "GTK app": focus_news(desktop, elements, gtk.center("email")),
            }
        finally:
            for app in apps:
                app.close()
            browser.close()
            elements.close()
            windows.close()
            desktop.close()
            x.close()

    print(f"Chromium started to the page's first answer: {ready_s:.2f} s")
    print(f"first lookup on the page: {first_s * 1000:.1f} ms")
    print(row(f"page, {args.n} lookups at 5 controls", page))
    print(row(f"Qt app, {args.n} lookups (baseline)", qt_times))
    for name, waits in focus.items():
        print(row(f"Tab to focus news, {name}", waits))


def lookups(
    elements: Any, windows: Any, points: list[tuple[int, int]], n: int, timeout_s: float
) -> list[float]:
    out = []
    for i in range(n):
        px, py = points[i % len(points)]
        window = windows.at(px, py)
        t0 = time.perf_counter()
        found = elements.at_point(px, py, window, timeout_s)
        out.append(time.perf_counter() - t0)
        if found.element is None:
            raise SystemExit(f"no element at {px},{py}: {found.reason}")
    return out


def focus_news(desktop: Any, elements: Any, field: tuple[int, int], n: int = 20) -> list[float]:
    """Seconds from a Tab sent with XTest until the focus watch hears the focus move."""
    from Xlib import XK, X
    from Xlib.display import Display
    from Xlib.ext import xtest

    display = Display(desktop.env["DISPLAY"])
    tab = display.keysym_to_keycode(XK.string_to_keysym("Tab"))
    shift = display.keysym_to_keycode(XK.string_to_keysym("Shift_L"))
    desktop.xdotool("mousemove", str(field[0]), str(field[1]), "click", "1")
    time.sleep(0.5)
    out = []
    try:
        for i in range(n):
            back = i % 2 == 1  # Tab forward, then back, so the focus always moves
            t0 = time.monotonic()
            if back:
                xtest.fake_input(display, X.KeyPress, shift)
            xtest.fake_input(display, X.KeyPress, tab)
            xtest.fake_input(display, X.KeyRelease, tab)
            if back:
                xtest.fake_input(display, X.KeyRelease, shift)
            display.sync()
            if elements.focus_moved_since(t0, 2.0):
                out.append(time.monotonic() - t0)
            time.sleep(0.2)
    finally:
        display.close()
    return out


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<44} no values"
    ms = sorted(v * 1000 for v in values)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"{label:<44} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms  (n={len(ms)})"


if __name__ == "__main__":
    main()
