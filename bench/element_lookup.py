"""Element lookup latency, off the capture path: AT-SPI at a press point, beside the window lookup.

    python -m bench.element_lookup [--n 300]

Starts its own Xvfb with a window manager and the accessibility bus, the
test form (line edits, check box, button, a list of 200 items, a table of
240 cells), and asks for the element under points on its widgets the way
the recorder's lookup worker does. Prints median and p95 wall time and the
CPU time per lookup; the window lookup alone (X only) is the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()

    from bench.record import start_form
    from capture.accessibility import LOOKUP_TIMEOUT_S
    from capture.accessibility.atspi import AtspiElements, atspi_bus_address
    from capture.window import X11Windows
    from scripted.desktop import Desktop
    from scripted.xserver import XServer

    x = XServer()
    with tempfile.TemporaryDirectory() as home:
        desktop = Desktop(x, Path(home))
        form = start_form(desktop.env, Path(home))
        try:
            os.environ.update(desktop.env)
            windows = X11Windows(x.display)
            elements = AtspiElements(lambda: atspi_bus_address(windows.display, None))
            names = ["name", "email", "check", "toggle", "list", "table"]
            points = [(x + w // 2, y + h // 2) for x, y, w, h in (form.widgets[n] for n in names)]
            window_s, element_s, cpu_s, found = [], [], [], 0
            for i in range(args.n):
                px, py = points[i % len(points)]
                t0 = time.perf_counter()
                window = windows.at(px, py)
                t1 = time.perf_counter()
                c0 = time.thread_time()
                result = elements.at_point(px, py, window, LOOKUP_TIMEOUT_S)
                cpu_s.append(time.thread_time() - c0)
                element_s.append(time.perf_counter() - t1)
                window_s.append(t1 - t0)
                found += result.element is not None
            elements.close()
            windows.close()
        finally:
            form.stop()
            desktop.close()
            x.close()

    def row(label: str, values: list[float]) -> str:
        ms = sorted(v * 1000 for v in values)
        p95 = ms[int(len(ms) * 0.95) - 1]
        return f"{label:<34} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms"

    print(f"{args.n} lookups at 6 widgets of the test form; {found} found an element")
    print(row("window under the point (baseline)", window_s))
    print(row("element under the point (AT-SPI)", element_s))
    print(row("  of which CPU in the recorder", cpu_s))


if __name__ == "__main__":
    main()
